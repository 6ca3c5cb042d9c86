package dissect_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
)

// ---------------------------------------------------------------------------
// Differential tests against tshark.

// nbnsLoadCapture returns the NBNS payloads (UDP port 137) of a capture by
// frame number. ok is false (and the test skipped if it is one) when the
// file is missing.
func nbnsLoadCapture(tb testing.TB, name string) (frames map[int][]byte, ok bool) {
	paths := corpus.Maybe(tb, name)
	if len(paths) == 0 {
		return nil, false
	}
	path := paths[0]
	frames, _, err := nbnsReadCapture(path)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return frames, true
}

// nbnsReadCapture reads a pcap or pcapng file; total is its packet count.
func nbnsReadCapture(path string) (frames map[int][]byte, total int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil {
		return nil, 0, err
	}
	type source interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var src source
	var linkType func(ci gopacket.CaptureInfo) layers.LinkType
	if binary.LittleEndian.Uint32(magic[:]) == 0x0a0d0d0a {
		r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, 0, err
		}
		src = r
		linkType = func(ci gopacket.CaptureInfo) layers.LinkType {
			if intf, err := r.Interface(ci.InterfaceIndex); err == nil {
				return intf.LinkType
			}
			return r.LinkType()
		}
	} else {
		r, err := pcapgo.NewReader(f)
		if err != nil {
			return nil, 0, err
		}
		src = r
		lt := r.LinkType()
		linkType = func(gopacket.CaptureInfo) layers.LinkType { return lt }
	}
	frames = map[int][]byte{}
	for {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			break
		}
		total++
		p := gopacket.NewPacket(data, linkType(ci), gopacket.DecodeOptions{NoCopy: true})
		if p.Layer(layers.LayerTypeICMPv4) != nil {
			continue // a quoted datagram in an ICMP error
		}
		if u, ok := p.Layer(layers.LayerTypeUDP).(*layers.UDP); ok && (u.SrcPort == dissect.PortNBNS || u.DstPort == dissect.PortNBNS) {
			frames[total] = u.Payload
		}
	}
	return frames, total, nil
}

func nbnsSortedFrames(frames map[int][]byte) []int {
	nums := make([]int, 0, len(frames))
	for k := range frames {
		nums = append(nums, k)
	}
	sort.Ints(nums)
	return nums
}

// nbnsFieldValue formats a node's value the way tshark -T fields prints it,
// with package output's AppendValue. One difference is bridged here:
// tshark 4.0 prints a zero-length FT_BYTES value (nbns.data of a NULL
// record) as "<MISSING>", AppendValue as nothing (reported to the output
// package's owner).
func nbnsFieldValue(nd *dissect.Node) string {
	if dissect.Field(nd.Field).Type == dissect.FTBytes && len(nd.S) == 0 {
		return "<MISSING>"
	}
	return string(output.AppendValue(nil, nd))
}

// nbnsOurFields decodes a payload and returns, for every field whose
// abbreviation starts with "nbns.", its values in tree order joined with
// "," (tshark's -E occurrence=a -E aggregator=,), and the info column.
func nbnsOurFields(n *dissect.NBNS, tr *dissect.Tree, payload []byte) (map[string]string, string) {
	_ = n.DecodeFromBytes(payload, gopacket.NilDecodeFeedback)
	tr.Reset()
	n.AppendTree(tr)
	vals := map[string][]string{}
	for k := range tr.Nodes {
		nd := &tr.Nodes[k]
		if nd.Field == 0 {
			continue
		}
		a := dissect.Field(nd.Field).Abbrev
		if strings.HasPrefix(a, "nbns.") {
			vals[a] = append(vals[a], nbnsFieldValue(nd))
		}
	}
	out := map[string]string{}
	for a, v := range vals {
		out[a] = strings.Join(v, ",")
	}
	return out, string(n.AppendInfo(nil))
}

// nbnsTsharkTable is tshark -T fields output: column names and rows.
type nbnsTsharkTable struct {
	header []string
	rows   [][]string
}

func nbnsParseTSV(text string) nbnsTsharkTable {
	var t nbnsTsharkTable
	for _, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if t.header == nil {
			t.header = cols
			continue
		}
		t.rows = append(t.rows, cols)
	}
	return t
}

// nbnsFieldsArgs are the tshark arguments of a golden .fields.tsv: every
// nbns field of tshark's list, all occurrences joined with ",".
func nbnsFieldsArgs(pcap string) []string {
	args := []string{"-n", "-r", pcap, "-Y", "nbns", "-T", "fields", "-E", "header=y", "-E", "separator=/t",
		"-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number", "-e", "frame.protocols"}
	for _, a := range dissect.WiresharkAbbrevs("nbns") {
		args = append(args, "-e", a)
	}
	return args
}

// nbnsInfoArgs are those of a golden .info.tsv. The info column is asked for
// in a separate run: building columns makes tshark stop at an exception
// that a fields-only run does not meet (it reads an NB record's address for
// the column before looking at RDLENGTH).
func nbnsInfoArgs(pcap string) []string {
	return []string{"-n", "-r", pcap, "-Y", "nbns", "-T", "fields", "-E", "header=y", "-E", "separator=/t",
		"-e", "frame.number", "-e", "_ws.col.Info"}
}

func nbnsRunTshark(tb testing.TB, args []string) string {
	cmd := exec.Command("tshark", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// nbnsCapture is one input of the differential tests.
type nbnsCapture struct {
	golden string         // basename of the golden files
	path   string         // the capture ("" for the built frames)
	frames map[int][]byte // NBNS payloads by frame number
	total  int            // packets in the capture
}

// nbnsCaptures lists the corpus and lab captures that exist, and the built
// frames.
func nbnsCaptures(tb testing.TB) []nbnsCapture {
	var out []nbnsCapture
	var paths []string
	paths = append(paths, corpus.Maybe(tb, "*.pcap*")...)
	paths = append(paths, corpus.Maybe(tb, "synthetic/*")...)
	lab, _ := filepath.Glob(filepath.Join(nbnsLabPcaps, "*.pcapng"))
	for _, p := range lab {
		// dmb.pcapng is dmb.subnetA and dmb.subnetB merged: once is enough.
		if !strings.Contains(filepath.Base(p), ".subnet") {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		frames, total, err := nbnsReadCapture(p)
		if err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), ".pcapng"), ".pcap")
		if strings.HasPrefix(p, nbnsLabPcaps) {
			base = "lab-" + base
		}
		out = append(out, nbnsCapture{golden: base, path: p, frames: frames, total: total})
	}
	built := map[int][]byte{}
	for k, b := range nbnsBuiltFrames() {
		built[k+1] = b.payload
	}
	out = append(out, nbnsCapture{golden: nbnsBuiltName, frames: built, total: len(built)})
	return out
}

// nbnsWriteBuiltPcap writes the built frames as Ethernet/IPv4/UDP 137
// packets, for tshark.
func nbnsWriteBuiltPcap(tb testing.TB, path string) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		tb.Fatal(err)
	}
	for k, b := range nbnsBuiltFrames() {
		eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0, 0, 0, 1}, DstMAC: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 255}}
		udp := &layers.UDP{SrcPort: 137, DstPort: 137}
		_ = udp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, gopacket.Payload(b.payload)); err != nil {
			tb.Fatal(err)
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(k), 0), CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}
		if err := w.WritePacket(ci, buf.Bytes()); err != nil {
			tb.Fatal(err)
		}
	}
}

// nbnsKnownDivergence explains the frames where nbtsniff shows something
// else than tshark on purpose; the differential tests skip them.
var nbnsKnownDivergence = map[string]map[int]string{}

// nbnsCompare compares nbtsniff's fields and info column for the frames
// tshark shows as NBNS with tshark's output. offset maps tshark's frame
// numbers to the capture's (for a merged file).
func nbnsCompare(t *testing.T, c nbnsCapture, fields, info nbnsTsharkTable, offset int) {
	t.Helper()
	var n dissect.NBNS
	var tr dissect.Tree
	errs := 0
	report := func(format string, args ...any) {
		errs++
		if errs <= 20 {
			t.Errorf(c.golden+": "+format, args...)
		}
	}
	infoByFrame := map[int]string{}
	for _, row := range info.rows {
		if len(row) >= 2 {
			num, _ := strconv.Atoi(row[0])
			infoByFrame[num-offset] = row[1]
		}
	}
	seen := map[int]bool{}
	for _, row := range fields.rows {
		num, _ := strconv.Atoi(row[0])
		num -= offset
		if len(row) > 1 && strings.Contains(row[1], "icmp") {
			continue
		}
		if why, ok := nbnsKnownDivergence[c.golden][num]; ok {
			t.Logf("%s frame %d skipped: %s", c.golden, num, why)
			seen[num] = true
			continue
		}
		payload, ok := c.frames[num]
		if !ok {
			report("frame %d: tshark shows NBNS, nbtsniff found no UDP 137 payload", num)
			continue
		}
		seen[num] = true
		ours, ourInfo := nbnsOurFields(&n, &tr, payload)
		for k := 2; k < len(fields.header) && k < len(row); k++ {
			a := fields.header[k]
			if ours[a] != row[k] {
				report("frame %d %s = %q, tshark %q (err %v)", num, a, ours[a], row[k], n.Err)
			}
		}
		if want, ok := infoByFrame[num]; ok {
			want = strings.TrimSuffix(want, "[Malformed Packet]")
			if ourInfo != want {
				report("frame %d info = %q, tshark %q", num, ourInfo, want)
			}
		}
	}
	for _, num := range nbnsSortedFrames(c.frames) {
		if !seen[num] {
			report("frame %d: nbtsniff found UDP 137, tshark shows no NBNS", num)
		}
	}
	if errs > 20 {
		t.Errorf("%s: %d differences in all", c.golden, errs)
	}
}

// TestNBNSTsharkGolden compares every NBNS frame of the corpus, the lab
// captures and the built frames with tshark's output recorded in
// testdata/nbns-tshark (regenerate with -update-nbns-golden).
func TestNBNSTsharkGolden(t *testing.T) {
	if *nbnsUpdateGolden {
		nbnsUpdate(t)
	}
	caps := nbnsCaptures(t)
	for _, c := range caps {
		fb, err1 := os.ReadFile(filepath.Join(nbnsGoldenDir, c.golden+".fields.tsv"))
		ib, err2 := os.ReadFile(filepath.Join(nbnsGoldenDir, c.golden+".info.tsv"))
		if err1 != nil || err2 != nil {
			if len(c.frames) > 0 {
				t.Errorf("%s: %d NBNS frames but no golden file (run go test -run TestNBNSTsharkGolden -update-nbns-golden)", c.golden, len(c.frames))
			}
			continue
		}
		fields := nbnsParseTSV(string(fb))
		want := append([]string{"frame.number", "frame.protocols"}, dissect.WiresharkAbbrevs("nbns")...)
		if strings.Join(fields.header, " ") != strings.Join(want, " ") {
			t.Fatalf("%s: golden columns differ from tshark's nbns field list: regenerate", c.golden)
		}
		t.Run(c.golden, func(t *testing.T) { nbnsCompare(t, c, fields, nbnsParseTSV(string(ib)), 0) })
	}
}

// nbnsUpdate rewrites the golden files with tshark's output.
func nbnsUpdate(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Fatal("-update-nbns-golden needs tshark on PATH")
	}
	if err := os.MkdirAll(nbnsGoldenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range nbnsCaptures(t) {
		if !strings.Contains(c.golden, *nbnsUpdateOnly) {
			continue
		}
		path := c.path
		if path == "" {
			path = filepath.Join(t.TempDir(), nbnsBuiltName+".pcap")
			nbnsWriteBuiltPcap(t, path)
		}
		fields := nbnsRunTshark(t, nbnsFieldsArgs(path))
		if len(nbnsParseTSV(fields).rows) == 0 {
			continue
		}
		info := nbnsRunTshark(t, nbnsInfoArgs(path))
		for name, text := range map[string]string{".fields.tsv": fields, ".info.tsv": info} {
			if err := os.WriteFile(filepath.Join(nbnsGoldenDir, c.golden+name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestNBNSTsharkLive re-runs tshark (when it is installed) on every capture
// and the built frames, merged into one file so that tshark starts twice
// only, and compares all nbns fields and the info column.
func TestNBNSTsharkLive(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(t, "tshark is not on PATH")
	}
	if _, err := exec.LookPath("mergecap"); err != nil {
		corpus.Skip(t, "mergecap is not on PATH")
	}
	if testing.Short() {
		t.Skip("-short: not running tshark")
	}
	caps := nbnsCaptures(t)
	dir := t.TempDir()
	var inputs []string
	var used []nbnsCapture
	for _, c := range caps {
		if len(c.frames) == 0 {
			continue
		}
		p := c.path
		if p == "" {
			p = filepath.Join(dir, nbnsBuiltName+".pcap")
			nbnsWriteBuiltPcap(t, p)
		}
		inputs = append(inputs, p)
		used = append(used, c)
	}
	merged := filepath.Join(dir, "merged.pcapng")
	cmd := exec.Command("mergecap", append([]string{"-a", "-F", "pcapng", "-w", merged}, inputs...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mergecap: %v\n%s", err, out)
	}
	fields := nbnsParseTSV(nbnsRunTshark(t, nbnsFieldsArgs(merged)))
	info := nbnsParseTSV(nbnsRunTshark(t, nbnsInfoArgs(merged)))
	offset := 0
	for _, c := range used {
		lo, hi := offset, offset+c.total
		pick := func(tab nbnsTsharkTable) nbnsTsharkTable {
			out := nbnsTsharkTable{header: tab.header}
			for _, row := range tab.rows {
				if num, _ := strconv.Atoi(row[0]); num > lo && num <= hi {
					out.rows = append(out.rows, row)
				}
			}
			return out
		}
		t.Run(c.golden, func(t *testing.T) { nbnsCompare(t, c, pick(fields), pick(info), lo) })
		offset = hi
	}
}
