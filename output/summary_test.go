package output_test

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

func TestSummaryLine(t *testing.T) {
	f := c2Frame1(t)
	var buf bytes.Buffer
	if err := output.WriteSummary(&buf, f); err != nil {
		t.Fatal(err)
	}
	// tshark -r c2 (frame 1):
	want := "    1   0.000000 192.168.100.121 → 192.168.100.255 NBNS 110 Registration NB WORKGROUP<1e>\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// Short addresses are padded to 12 (source right-aligned, destination
	// left-aligned), a long relative time widens its column:
	// synthetic/edge-nbss139-split-session-msg_zeek.pcap frame 1:
	//     1   0.000000     10.0.0.1 → 10.0.0.2     TCP 54 54321 → 139 [SYN] Seq=0 Win=8192 Len=0
	g := &dissect.Frame{Number: 1, Len: 54, Proto: "TCP", Info: []byte("54321 → 139 [SYN] Seq=0 Win=8192 Len=0")}
	g.Net.HasIP, g.Net.Src, g.Net.Dst = true, [4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2}
	buf.Reset()
	output.WriteSummary(&buf, g)
	want = "    1   0.000000     10.0.0.1 → 10.0.0.2     TCP 54 54321 → 139 [SYN] Seq=0 Win=8192 Len=0\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// smb-on-windows-10 frame 246: "  246  86.765865 192.168.199.133 → 192.168.199.1 LANMAN 176 ..."
	g.Number, g.Rel, g.Len, g.Proto, g.Info = 246, 86765865000*time.Nanosecond, 176, "LANMAN", []byte("NetServerEnum2 Request")
	g.Net.Src, g.Net.Dst = [4]byte{192, 168, 199, 133}, [4]byte{192, 168, 199, 1}
	buf.Reset()
	output.WriteSummary(&buf, g)
	want = "  246  86.765865 192.168.199.133 → 192.168.199.1 LANMAN 176 NetServerEnum2 Request\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The info column is escaped.
	g.Info = []byte("Host Announcement EVIL\x1b[2J\r\n")
	buf.Reset()
	output.WriteSummary(&buf, g)
	if got := buf.String(); !strings.HasSuffix(got, `EVIL\x1b[2J\r\n`+"\n") {
		t.Errorf("info not escaped: %q", got)
	}
}

// TestSummaryDiffTshark compares the columns the printer lays out (number,
// time, source → destination) with tshark's lines on real captures.
func TestSummaryDiffTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark: skipped with -short")
	}
	needTshark(t)
	for _, name := range []string{
		"nbns-registration-browser-elections_pcap-attack-dns-txt-c2-cut.pcap",
		"synthetic/edge-nbss139-split-session-msg_zeek.pcap",
		"nbss139-smb1-maccdc2012-rawip-linktype_nemesys-cut.pcap",
		"../testdata/pcaps/two-workgroups.pcapng",
		"../testdata/specframes/link-null.pcap",
		"../testdata/specframes/udp-edges.pcap",
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.HasPrefix(name, "../") {
				name = sharedPcaps + "/" + name
			}
			path := capturePath(t, name)
			frames := loadFrames(t, path)
			want := strings.Split(strings.TrimSuffix(string(runTshark(t, "-r", path)), "\n"), "\n")
			if len(want) != len(frames) {
				t.Fatalf("%s: %d frames, tshark %d lines", name, len(frames), len(want))
			}
			for i, f := range frames {
				line := string(output.AppendSummary(nil, f))
				// Up to the end of the destination column and its space.
				arrow := strings.Index(want[i], " → ")
				end := arrow + len(" → ")
				for end < len(want[i]) && want[i][end] != ' ' {
					end++
				}
				for end < len(want[i]) && want[i][end] == ' ' {
					end++
				}
				if arrow < 0 || len(line) < end || line[:end] != want[i][:end] {
					t.Errorf("%s frame %d:\ngot  %q\nwant %q", name, i+1, line, want[i])
				}
			}
		})
	}
}

// An IPX frame's source and destination columns are its IPX addresses
// (network.node), as tshark prints them, on every IPX frame of the
// Windows for Workgroups capture.
func TestSummaryIPXAddresses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark: skipped with -short")
	}
	needTshark(t)
	path := capturePath(t, sharedPcaps+"/netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng")
	frames := loadFrames(t, path)
	want := strings.Split(strings.TrimSuffix(string(runTshark(t, "-r", path, "-Y", "ipx", "-T", "fields",
		"-e", "frame.number", "-e", "_ws.col.Source", "-e", "_ws.col.Destination")), "\n"), "\n")
	if len(want) < 100 {
		t.Fatalf("tshark shows %d IPX frames", len(want))
	}
	for _, w := range want {
		c := strings.Split(w, "\t")
		n, err := strconv.Atoi(c[0])
		if err != nil || len(c) != 3 || n < 1 || n > len(frames) {
			t.Fatalf("tshark line %q", w)
		}
		line := string(output.AppendSummary(nil, frames[n-1]))
		if !strings.Contains(line, " "+c[1]+" → "+c[2]+" ") {
			t.Errorf("frame %d: %q, tshark %s → %s", n, line, c[1], c[2])
		}
	}
}

func TestWriteAllocs(t *testing.T) {
	withUTC(t)
	f := c2Frame1(t)
	for name, fn := range map[string]func(io.Writer, *dissect.Frame) error{
		"WriteSummary": output.WriteSummary, "WriteVerbose": output.WriteVerbose, "WriteHex": output.WriteHex,
	} {
		fn(io.Discard, f)
		if a := testing.AllocsPerRun(100, func() { fn(io.Discard, f) }); a != 0 {
			t.Errorf("%s allocates %.1f times per frame", name, a)
		}
	}
}
