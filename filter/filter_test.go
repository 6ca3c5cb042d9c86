package filter_test

import (
	"errors"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/filter"
)

// TestMatch evaluates expressions on frames 1, 2 and 4 of the c2 capture
// (built by hand in c2Frame). The expected frame lists are what tshark
// 4.0.17 -Y printed for the same expressions on the real capture,
// restricted to those three frames.
func TestMatch(t *testing.T) {
	frames := []*dissect.Frame{c2Frame(t, 1), c2Frame(t, 2), c2Frame(t, 4)}
	tests := []struct {
		expr string
		want []int
	}{
		{"nbns", []int{1, 2}},
		{"browser", []int{4}},
		{"nbns.name", []int{1, 2}},
		{"!nbns", []int{4}},
		{"not nbns", []int{4}},
		// Precedence: && binds tighter than || (tshark prints 1).
		{"frame.number == 1 or frame.number == 2 and frame.number == 4", []int{1}},
		{"frame.number == 4 and frame.number == 2 or frame.number == 1", []int{1}},
		// != is all_ne and false when the field is absent; ~= is any_ne.
		{"nbns.id != 0xf0d7", []int{1}},
		{`nbns.name != "ISATAP<00>"`, []int{1}},
		{`nbns.name ~= "WORKGROUP<1d>"`, []int{1, 2}},
		{`nbns.name !== "WORKGROUP<1e>"`, []int{1, 2}},
		{`nbns.name === "WORKGROUP<1e>"`, nil},
		{`nbns.name == "WORKGROUP<1e>"`, []int{1}},
		// matches is case-insensitive unless (?-i); contains is not.
		{`nbns.name matches "isatap"`, []int{2}},
		{`nbns.name matches "^isatap<00>$"`, []int{2}},
		{`nbns.name matches "(?-i)isatap"`, nil},
		{`nbns.name ~ "(?i)ISATAP"`, []int{2}},
		{`nbns.name contains "isatap"`, nil},
		{`nbns.name contains "<1e>"`, []int{1}},
		{`nbns && !nbns.name contains "ISA"`, []int{1}},
		// Bare words for strings; value names; booleans.
		{"browser.server == USER-PC", []int{4}},
		{`browser.server == "USER-PC"`, []int{4}},
		{`nbns.flags.opcode == "Registration"`, []int{1}},
		{"nbns.flags.opcode == registration", []int{1}},
		{"nbns.flags.response == True", nil},
		{"nbns.flags.response == False", []int{1, 2}},
		{"nbns.flags.response == 0", []int{1, 2}},
		// Integers in every base, sets and ranges (commas or spaces).
		{"nbns.flags == 0x2810", []int{1}},
		{"nbns.flags == 10256", []int{1}},
		{"nbns.flags == 024020", []int{1}},
		{"nbns.flags == 0b0010100000010000", []int{1}},
		{"frame.number in {1,4}", []int{1, 4}},
		{"frame.number in {1 4}", []int{1, 4}},
		{"frame.number in {2..4}", []int{2, 4}},
		{"frame.number in {2 .. 3}", []int{2}},
		{"frame.number not in {1..2}", []int{4}},
		{"nbns.id not in {0xf0d7}", []int{1, 4}},
		{"nbns.id in {0xf0d6..0xf0d7}", []int{1, 2}},
		{`nbns.name in {"ISATAP<00>", "WORKGROUP<1d>"}`, []int{2}},
		{"frame.number >= 2 && frame.number le 2", []int{2}},
		{"frame.len > 100 and frame.len < 230", []int{1}},
		{"frame.number gt 1", []int{2, 4}},
		// Addresses and networks.
		{"ip.src == 192.168.100.0/24 && frame.number < 4", []int{1, 2}},
		{"ip.src == 192.168.100.121/32", []int{1, 2, 4}},
		{"ip.src != 10.0.0.0/8", []int{1, 2, 4}},
		{"ip.src in {192.168.100.0/24}", []int{1, 2, 4}},
		{"ip.dst eq 192.168.100.255 and frame.number le 2", []int{1, 2}},
		{"ip.src > 192.168.100.120 && frame.number < 2", []int{1}},
		{"ip.dst > ip.src && frame.number < 2", []int{1}},
		{"ip.src == ip.src", []int{1, 2, 4}},
		{"ip.src == ip.dst", nil},
		{"nbns.addr == 192.168.100.121", []int{1}},
		{"eth.src == 52:54:00:4a:04:af && frame.number < 2", []int{1}},
		{"eth.src == 52-54-00-4a-04-af && frame.number < 2", []int{1}},
		{"eth.src == 5254004a04af && frame.number < 2", []int{1}},
		{"eth.src[0:3] == 52:54:00 && frame.number == 1", []int{1}},
		{"eth.src[-1] == af && frame.number == 1", []int{1}},
		{`nbns.name[0:3] == "ISA"`, []int{2}},
		// Bitwise and, functions.
		{"nbns.flags & 0x0800", []int{1}},
		{"nbns.flags & 0x0800 == 0x0800", []int{1}},
		{"count(nbns.name) == 2", []int{1}},
		{"count(nbns.name) == 0", nil},
		{"len(nbns.name) > 15", []int{1}},
		// Protocols as bytes.
		{`nbns contains "FHEPF"`, []int{1}},
		{`udp && frame.number == 1`, []int{1}},
		// Relative time (seconds).
		{"frame.time_relative > 0.1", []int{2, 4}},
		{"frame.time_relative == 0.109504", []int{2}},
		// String escapes.
		{`nbns.name == "\x49SATAP<00>"`, []int{2}},
		{`nbns.name == "\111SATAP<00>"`, []int{2}},
		{`nbns.name == r"ISATAP<00>"`, []int{2}},
		{"browser.comment == \"\"", []int{4}},
		{"nbns.flags.opcode == 'A'", nil},
		{"((nbns))", []int{1, 2}},
	}
	for _, tt := range tests {
		f, err := filter.Compile(tt.expr)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.expr, err)
			continue
		}
		var got []int
		for _, fr := range frames {
			if f.Match(fr) {
				got = append(got, fr.Number)
			}
		}
		if !equalInts(got, tt.want) {
			t.Errorf("%s: matched %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		expr string
		col  int
		msg  string
	}{
		{"", 1, "the filter is empty"},
		{"nbns.flags.opcode == ", 22, `expected a value after "=="`},
		{"nbns.flags.opcode == && nbns", 22, `expected a value after "=="`},
		{"nbns.nmae == 1", 1, `unknown field "nbns.nmae" (did you mean "nbns.name"?)`},
		{"nbns && bogus.field", 9, `unknown field "bogus.field"`},
		{"nbns.id == 0x1ffff", 12, `too big for nbns.id`},
		{"nbns.id == -1", 12, "negative"},
		{`frame.number == "1"`, 17, "cannot be compared with the string"},
		{`nbns.flags.opcode == "Nonsense"`, 22, "not a value name"},
		{"nbns.flags.response == true2", 24, "not a valid number"},
		{"ip.src == 300.1.1.1", 11, "not an IPv4 address"},
		{"ip.src == 10.0.0.0/33", 11, "not an IPv4 network"},
		{"ip.src < 10.0.0.0/8", 10, "can only be tested with"},
		{"eth.src == 52:54:00", 12, "not a MAC address"},
		{"eth.src == zz:54:00:4a:04:af", 12, "not a byte string"},
		// tshark 4.0 evaluates these; nbtsniff says it does not, rather
		// than answer differently.
		{"max(udp.port) > 1", 1, "max() is a tshark 4.0 function nbtsniff does not evaluate"},
		{"udp.port + 1 == 139", 10, "arithmetic (+)"},
		{"frame[0] == ff", 13, "as the Wireshark protocol of that name"},
		{"upper(udp.port) == 1", 1, "upper() and lower() work on string fields"},
		{"string(nbns.name) == 1", 1, "string() works on integer"},
		{"foo(nbns.name) == 1", 1, `unknown function "foo"()`},
		{"upper(nbns.name)", 1, "must be compared"},
		{"(nbns", 6, `expected ")"`},
		{"nbns)", 5, `unexpected ")"`},
		{"nbns nbdgm", 6, `unexpected "nbdgm"`},
		{"nbns.id = 1", 9, `use "=="`},
		{"ip.src == 192.168.100.121 == 1", 27, "cannot be chained"},
		{`nbns.name matches "(unclosed"`, 19, "bad regular expression"},
		{`nbns.name matches ISATAP`, 19, "quoted regular expression"},
		{"nbns.id contains 01", 9, `"contains" works on strings`},
		{"frame.number in {1", 17, "not closed"},
		{"frame.number in {}", 17, "empty"},
		{"frame.number in 1", 17, `expected "{"`},
		{`nbns.name == "abc`, 14, "not closed"},
		{`nbns.name == "a\qb"`, 16, `unknown escape \q`},
		{"== 1", 1, "expected a field"},
		{"1 == frame.number", 1, "not the value"},
		{"nbns.id &&", 9, "expected a test after"},
		{"nbns.id[0:2] == 01", 8, "only strings, byte fields"},
		{"len(nbns.id) > 1", 1, "len() works on"},
		{"len(nbns.name)", 1, "must be compared"},
		{"frame.number ≠ 1", 14, `unexpected "≠"`},
		{"frame.number == 1 \x00", 19, "unexpected character"},
		{"ip.fragments == 1", 1, "has no value"},
		{"nbns.name == 'ab'", 14, "character constant"},
	}
	for _, tt := range tests {
		_, err := filter.Compile(tt.expr)
		var se *filter.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q) = %v, want a *SyntaxError", tt.expr, err)
			continue
		}
		if se.Column() != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Compile(%q):\n got column %d: %s\nwant column %d: ...%s...", tt.expr, se.Column(), se.Msg, tt.col, tt.msg)
		}
		want := "filter: column " + strconv.Itoa(se.Column()) + ": " + se.Msg
		if err.Error() != want {
			t.Errorf("Error() = %q", err.Error())
		}
	}
}

func TestCaret(t *testing.T) {
	_, err := filter.Compile("nbns.flags.opcode == && nbns")
	var se *filter.SyntaxError
	if !errors.As(err, &se) {
		t.Fatal(err)
	}
	if got := err.Error(); got != `filter: column 22: expected a value after "=="` {
		t.Errorf("Error() = %q", got)
	}
	want := "nbns.flags.opcode == && nbns\n                     ^"
	if got := se.Caret(); got != want {
		t.Errorf("Caret() =\n%s\nwant\n%s", got, want)
	}
	// Tabs are kept so the caret lines up; control characters are not
	// printed raw.
	_, err = filter.Compile("nbns\t&& \x1b")
	errors.As(err, &se)
	if got, want := se.Caret(), "nbns\t&&  \n    \t   ^"; got != want {
		t.Errorf("Caret() = %q, want %q", got, want)
	}
}

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("(", filter.MaxDepth+1) + "nbns" + strings.Repeat(")", filter.MaxDepth+1)
	if _, err := filter.Compile(deep); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep parentheses: %v", err)
	}
	nots := strings.Repeat("!", 100000) + "nbns"
	if _, err := filter.Compile(nots); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep negations: %v", err)
	}
	ok := strings.Repeat("(", filter.MaxDepth) + "nbns" + strings.Repeat(")", filter.MaxDepth)
	if _, err := filter.Compile(ok); err != nil {
		t.Errorf("%d levels: %v", filter.MaxDepth, err)
	}
	// Long flat chains are not nesting.
	long := "nbns" + strings.Repeat(" || nbns", 10000)
	if _, err := filter.Compile(long); err != nil {
		t.Errorf("long chain: %v", err)
	}
}

func TestMatchAllocs(t *testing.T) {
	frames := []*dissect.Frame{c2Frame(t, 1), c2Frame(t, 2), c2Frame(t, 4)}
	for _, expr := range []string{
		`nbns.name == "WORKGROUP<1e>" || browser.server matches "^user"`,
		"ip.src == 192.168.100.0/24 && nbns.flags & 0x0800 && !(frame.number in {2..3})",
		`eth.src[0:3] == 52:54:00 && count(nbns.name) > 1 && nbns contains "FHEPF"`,
		"ip.src == ip.src && nbns.id != 0xf0d7 && len(nbns.name) >= 10",
	} {
		f := filter.MustCompile(expr)
		if a := testing.AllocsPerRun(200, func() {
			for _, fr := range frames {
				f.Match(fr)
			}
		}); a != 0 {
			t.Errorf("%s: Match allocates %.1f times", expr, a)
		}
	}
}

func BenchmarkFilterMatch(b *testing.B) {
	frames := []*dissect.Frame{c2Frame(b, 1), c2Frame(b, 2), c2Frame(b, 4)}
	f := filter.MustCompile(`ip.src == 192.168.100.0/24 && (nbns.name == "WORKGROUP<1d>" || browser.server matches "^user" || nbns.flags.opcode == Registration)`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Match(frames[i%len(frames)])
	}
}

// tsharkExprs are compared with tshark -Y on real captures. No commas:
// they are passed to tshark's io,stat, whose arguments are comma-separated.
var tsharkExprs = []string{
	"nbns", "nbdgm", "browser", "smb", "nbss", "udp", "tcp", "!nbns",
	"nbns.flags.response == 1", "nbns.flags.opcode == 5", "nbns.flags.opcode == Registration",
	`nbns.name contains "WORKGROUP"`, `nbns.name matches "<1[de]>"`, `nbns.name == "ISATAP<00>"`,
	`nbns.name != "ISATAP<00>"`, "nbns.count.answers > 0", `nbns.name ~= "ISATAP<00>"`,
	"count(nbns.name) >= 2", "nbns.id in {0xf0d6..0xf0e0}", "len(nbns.name) > 12",
	"ip.src == 192.168.0.0/16", "ip.dst == 192.168.100.255", "udp.port == 138", "udp.srcport != 137",
	"tcp.port == 139 && tcp.len > 0", "frame.len > 200", "frame.number in {1..5} || frame.number == 9",
	"eth.dst == ff:ff:ff:ff:ff:ff", "eth.src[0:3] == 00:0c:29", "frame.time_relative >= 3.5",
	"ip.ttl < 128 || ip.proto == 6", "tcp.flags & 0x02", "vlan.id == 104", "not ip.src == ip.dst",
	`browser.server contains "-"`, "browser.command == 0x01", "smb.cmd == 0x25", "nbss.type == 0x81",
	`nbdgm.source_name contains "<20>"`, "nbdgm.type == 0x11", `smb contains "BROWSE"`,
	`nbns.name == "<01><02>__MSBROWSE__<02><01>"`, `nbns.name matches "__msbrowse__"`,
	`browser.comment contains "lab host"`, `browser.comment matches "LAB HOST"`, "browser.os_major == 4",
	`browser.server == "ZULU" || browser.server == XRAY`, "browser.server_type & 0x00040000", "browser.election.criteria > 0",
}

var tsharkCaptures = []string{
	"nbns-registration-browser-elections_pcap-attack-dns-txt-c2-cut.pcap",
	"browser-elections-announce-req-domain-lmb_suricata-verify-tls-subjectaltname-cut.pcap",
	"nbns-nbstat-query-response-win2003-lmb-announce_iagox86-dissector-nbt.pcap",
	"nbns-query-8021q-vlan_aiengine-flow_vlan_netbios.pcap",
	"nbns-nbstat-nbss139-negative-session-smb1_evilfingers-xscan-cut.pcap",
	"../testdata/pcaps/two-workgroups.pcapng",
	"../testdata/pcaps/election.pcapng",
	"../testdata/specframes/link-ethernet.pcap",
	"../testdata/specframes/udp-edges.pcap",
}

// comparedProtos are the protocols whose presence must agree between the
// engine and tshark for a frame to be compared: the filter is under test
// here, not the engine's coverage (IPv6, NBSS on TCP before its decoder is
// wired, ...).
var comparedProtos = []string{"vlan", "sll", "ip", "ipv6", "udp", "tcp", "nbns", "nbdgm", "smb", "browser", "nbss", "lanman"}

// TestDifferentialTshark compares, per capture, how many frames (and
// bytes) each expression selects with nbtsniff and with tshark 4.0, over
// the frames whose protocol stack both decode alike. tshark runs twice per
// capture (its io,stat counts every expression in one run); an expression
// that differs is then run with -Y to show the frame numbers.
func TestDifferentialTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark: skipped with -short")
	}
	tshark := needTshark(t)
	for _, name := range tsharkCaptures {
		t.Run(name, func(t *testing.T) {
			path := capturePath(t, name)
			frames := loadFrames(t, path)
			out, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.protocols").Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			if len(lines) != len(frames) {
				t.Fatalf("%d frames, tshark %d", len(frames), len(lines))
			}
			var same []int
			for i, f := range frames {
				if stackOf(f) == tsharkStack(lines[i]) {
					same = append(same, f.Number)
				}
			}
			t.Logf("%d of %d frames have the same protocol stack in nbtsniff and tshark", len(same), len(frames))
			if len(same) == 0 {
				t.Fatal("no frame has the same protocol stack in nbtsniff and tshark: nothing compared")
			}
			restrict := rangesFilter(same)
			args := []string{"-n", "-r", path, "-q", "-z", "io,stat,0"}
			for _, e := range tsharkExprs {
				if len(same) == len(frames) {
					args[len(args)-1] += "," + e
				} else {
					args[len(args)-1] += ",(" + restrict + ") && (" + e + ")"
				}
			}
			if len(args[len(args)-1]) > 100000 {
				t.Fatalf("too many frame ranges to pass to tshark (%d bytes)", len(args[len(args)-1]))
			}
			out, err = exec.Command(tshark, args...).Output()
			if err != nil {
				t.Fatalf("tshark io,stat: %v", err)
			}
			counts := parseIOStat(t, string(out), len(tsharkExprs))
			inSame := map[int]bool{}
			for _, n := range same {
				inSame[n] = true
			}
			nonzero := 0
			for _, c := range counts {
				if c[0] > 0 {
					nonzero++
				}
			}
			t.Logf("%d of %d expressions select some frame", nonzero, len(tsharkExprs))
			for k, expr := range tsharkExprs {
				flt, err := filter.Compile(expr)
				if err != nil {
					t.Errorf("Compile(%q): %v", expr, err)
					continue
				}
				var got []int
				bytes := 0
				for _, f := range frames {
					if inSame[f.Number] && flt.Match(f) {
						got = append(got, f.Number)
						bytes += f.Len
					}
				}
				if len(got) == counts[k][0] && bytes == counts[k][1] {
					continue
				}
				out, _ := exec.Command(tshark, "-n", "-r", path, "-Y", "("+restrict+") && ("+expr+")", "-T", "fields", "-e", "frame.number").Output()
				var want []int
				for _, l := range strings.Fields(string(out)) {
					n, _ := strconv.Atoi(l)
					want = append(want, n)
				}
				sort.Ints(want)
				t.Errorf("%s: nbtsniff matches %s, tshark %s", expr, short(got), short(want))
			}
		})
	}
}

// stackOf is the set of compared protocols a frame's tree holds.
func stackOf(f *dissect.Frame) string {
	have := map[string]bool{}
	for i := range f.Tree.Nodes {
		if id := f.Tree.Nodes[i].Field; id != 0 && dissect.Field(id).Type == dissect.FTProtocol {
			have[dissect.Field(id).Abbrev] = true
		}
	}
	var s []string
	for _, p := range comparedProtos {
		if have[p] {
			s = append(s, p)
		}
	}
	return strings.Join(s, ":")
}

func tsharkStack(protocols string) string {
	have := map[string]bool{}
	for _, p := range strings.Split(protocols, ":") {
		have[p] = true
	}
	var s []string
	for _, p := range comparedProtos {
		if have[p] {
			s = append(s, p)
		}
	}
	return strings.Join(s, ":")
}

// rangesFilter writes a frame list as "frame.number in {a..b} || ..."
// without commas.
func rangesFilter(nums []int) string {
	var parts []string
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		parts = append(parts, "frame.number in {"+strconv.Itoa(nums[i])+".."+strconv.Itoa(nums[j])+"}")
		i = j + 1
	}
	return strings.Join(parts, " || ")
}

// parseIOStat reads the Frames and Bytes of each column of tshark's
// io,stat table (one interval).
func parseIOStat(t *testing.T, out string, n int) [][2]int {
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, "<>") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
		if len(cells) != 1+2*n {
			t.Fatalf("io,stat row has %d cells, want %d: %q", len(cells), 1+2*n, l)
		}
		res := make([][2]int, n)
		for k := 0; k < n; k++ {
			a, err1 := strconv.Atoi(strings.TrimSpace(cells[1+2*k]))
			b, err2 := strconv.Atoi(strings.TrimSpace(cells[2+2*k]))
			if err1 != nil || err2 != nil {
				t.Fatalf("io,stat cell %q %q", cells[1+2*k], cells[2+2*k])
			}
			res[k] = [2]int{a, b}
		}
		return res
	}
	t.Fatalf("no io,stat row in tshark's output:\n%s", out)
	return nil
}

func short(v []int) string {
	s := make([]string, 0, 12)
	for i, n := range v {
		if i == 10 {
			s = append(s, "… ("+strconv.Itoa(len(v))+" in all)")
			break
		}
		s = append(s, strconv.Itoa(n))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func FuzzCompile(f *testing.F) {
	for _, e := range tsharkExprs {
		f.Add(e)
	}
	for _, e := range []string{
		`nbns.name == "\x49SATAP<00>"`, "frame.number in {1 .. 3, 5}", "eth.src[-1] == af",
		"len(nbns.name) > 15", "count(nbns.name) == 2", "((nbns))", "nbns.flags & 0x0800 == 0x0800",
		`nbns.name matches "(?-i)isatap"`, "ip.src == 10.0.0.0/8", "frame.time_relative > 10.75",
		"ip.src == ip.dst", `browser.server == USER-PC`, "nbns.flags.opcode == 'A'",
		`upper(nbns.name) contains "WORK"`, `string(ip.src) matches "^192"`, `udp contains "NAME"`,
		"frame[0] == 0xff", "abs(nbns.id) > 1", "len(udp) == 8",
	} {
		f.Add(e)
	}
	frames := []*dissect.Frame{c2Frame(f, 1), c2Frame(f, 2), c2Frame(f, 4), {}}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := filter.Compile(expr)
		if err != nil {
			var se *filter.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Compile(%q): error %T is not a *SyntaxError", expr, err)
			}
			if se.Pos < 0 || se.Pos > len(expr) {
				t.Fatalf("Compile(%q): position %d out of range", expr, se.Pos)
			}
			_ = se.Caret()
			return
		}
		for _, fr := range frames {
			flt.Match(fr)
		}
	})
}
