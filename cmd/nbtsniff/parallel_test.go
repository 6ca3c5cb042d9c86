package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// Files are decoded by several engines (parallel.go), other inputs by one:
// both must print the same bytes, for every output mode, on captures with
// SMB transactions, RAP, reassembled TCP and NBNS from many hosts
// (TestTsharkFieldsDiff holds the parallel path itself to tshark's
// output). Two and three engines, whatever the machine's cores, so that
// frames really are spread, and engine 0's session packets are decoded by
// engine 0 and by a worker of their own.
func TestParallelPrintsWhatOneEnginePrints(t *testing.T) {
	for _, k := range []int{2, 3} { // without and with the session worker
		forceEngines = k
		parallelPrintsWhatOneEnginePrints(t)
	}
	forceEngines = 0
}

func parallelPrintsWhatOneEnginePrints(t *testing.T) {
	captures := []string{
		"../../testdata/pcaps/enum.pcapng",
		"../../testdata/pcaps/storm.pcapng",
	}
	captures = append(captures, corpus.Maybe(t, "nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap")...)
	captures = append(captures, corpus.Maybe(t, "nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng")...)
	modes := [][]string{
		nil,
		{"-V", "-x"},
		{"-T", "json"},
		{"-T", "fields", "-e", "frame.number", "-e", "nbns.name", "-e", "smb.cmd", "-e", "browser.command", "-e", "_ws.col.Info", "-E", "quote=d", "-E", "occurrence=a"},
		{"-T", "events"},
		{"--report"},
		{"--report=json"},
		{"-Y", "browser || nbss.type == 0", "-T", "fields", "-e", "frame.number", "-e", "browser.server", "-e", "nbss.type"},
	}
	for _, c := range captures {
		for _, m := range modes {
			name := c[strings.LastIndex(c, "/")+1:] + " " + strings.Join(m, " ")
			var two, one, errs bytes.Buffer
			if code := run(context.Background(), append([]string{"-r", c}, m...), strings.NewReader(""), &two, &errs); code != 0 {
				t.Fatalf("%s: exit %d: %s", name, code, errs.String())
			}
			oneEngine = true
			code := run(context.Background(), append([]string{"-r", c}, m...), strings.NewReader(""), &one, &errs)
			oneEngine = false
			if code != 0 {
				t.Fatalf("%s (one goroutine): exit %d: %s", name, code, errs.String())
			}
			if two.Len() == 0 && !quietEvents(c, m) {
				t.Errorf("%s: no output", name)
			}
			if !bytes.Equal(two.Bytes(), one.Bytes()) {
				t.Errorf("%s: two goroutines and one print different output (%d and %d bytes)", name, two.Len(), one.Len())
			}
		}
	}
}

// quietEvents: the SMIA capture is SMB traffic only, with no name,
// browser or session-request frame and no decode problem: its -T events
// output is empty.
func quietEvents(capture string, mode []string) bool {
	return strings.HasSuffix(capture, "/nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap") &&
		len(mode) == 2 && mode[0] == "-T" && mode[1] == "events"
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (w *failWriter) Write(b []byte) (int, error) {
	if w.n < len(b) {
		return 0, errFull
	}
	w.n -= len(b)
	return len(b), nil
}

// Every capture of the project and of ../shared/pcaps, with every field
// of -T fields (as bench/fields.sh prints them) and the timeline events,
// and the same fields without tcp.stream but with TCP's relative sequence
// numbers: then the TCP frames are spread over the engines by shard.
func TestParallelAllCaptures(t *testing.T) {
	forceEngines = 3
	defer func() { forceEngines = 0 }()
	caps := captureFiles(t) // with NBTSNIFF_EXTRA_PCAPS's
	fields := []string{"-T", "fields", "-e", "frame.number", "-e", "frame.time_delta", "-e", "frame.time_relative", "-e", "tcp.stream"}
	for _, fi := range dissect.AllFields() {
		switch fi.Proto {
		case "nbns", "nbdgm", "nbss", "smb", "browser", "mailslot", "lanman", "llc", "netbios", "ipx", "nbipx":
			fields = append(fields, "-e", fi.Abbrev)
		}
	}
	var byShard []string
	for i := 0; i < len(fields); i += 2 {
		if fields[i+1] != "tcp.stream" {
			byShard = append(byShard, fields[i], fields[i+1])
		}
	}
	byShard = append(byShard, "-e", "tcp.seq", "-e", "tcp.len")
	for _, c := range caps {
		for _, m := range [][]string{fields, {"-T", "events"}, byShard} {
			args := append([]string{"-r", c}, m...)
			var par, one, errs bytes.Buffer
			if code := run(context.Background(), args, strings.NewReader(""), &par, &errs); code != 0 {
				t.Fatalf("%s: exit %d: %s", c, code, errs.String())
			}
			oneEngine = true
			code := run(context.Background(), args, strings.NewReader(""), &one, &errs)
			oneEngine = false
			if code != 0 {
				t.Fatalf("%s (one engine): exit %d: %s", c, code, errs.String())
			}
			if !bytes.Equal(par.Bytes(), one.Bytes()) {
				pl, ol := strings.Split(par.String(), "\n"), strings.Split(one.String(), "\n")
				for i := 0; i < len(pl) && i < len(ol); i++ {
					if pl[i] != ol[i] {
						t.Errorf("%s %s: line %d differs:\n  several engines: %.300s\n  one engine:      %.300s", c, m[1], i+1, pl[i], ol[i])
						break
					}
				}
				if len(pl) != len(ol) {
					t.Errorf("%s %s: %d lines with several engines, %d with one", c, m[1], len(pl), len(ol))
				}
			}
		}
	}
}

// Only output that cannot show tcp.stream lets the TCP frames be spread
// over the engines by shard (pipeline.Config.SpreadTCP): since session
// 11 that includes the timeline's (--report, -T events).
func TestShowsTCPStream(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"-T", "fields", "-e", "nbss.type"}, false},
		{[]string{"-T", "fields", "-e", "nbss.type", "-e", "tcp.stream"}, true},
		{nil, false},
		{[]string{"-Y", "nbss"}, false},
		{[]string{"-Y", "tcp.stream == 3"}, true},
		{[]string{"-V"}, true},
		{[]string{"-T", "json"}, true},
		// The timeline tells sessions apart by the stream numbers of the
		// engine that numbered them (timeline.Adapter.ShareSessions): its
		// TCP goes by shard too.
		{[]string{"-T", "events"}, false},
		{[]string{"--report"}, false},
		{[]string{"-T", "events", "-Y", "tcp.stream == 3"}, true},
	} {
		o, err := parseFlags(append([]string{"-r", "x.pcap"}, c.args...), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got := needsOf(o).TCPStreamShown(); got != c.want {
			t.Errorf("%v: TCPStreamShown = %v, want %v", c.args, got, c.want)
		}
	}
}

// An NBT datagram fragment that never completes is reported as expired by
// the first datagram more than 30 s later: with several engines, the
// datagrams after the fragment must all go to the engine that holds it,
// so the report lands on the same frame.
func TestParallelDatagramFragmentExpires(t *testing.T) {
	forceEngines = 3
	defer func() { forceEngines = 0 }()
	in, err := os.Open("../../testdata/pcaps/storm.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r, err := pcapgo.NewNgReader(in, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fragment.pcap")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := pcapgo.NewWriter(out)
	w.WriteFileHeader(65536, r.LinkType())
	made := false
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if !made {
			if frag := firstFragmentOf(data); frag != nil {
				// The first of two fragments of a datagram whose second
				// never comes, just before the real datagram.
				w.WritePacket(gopacket.CaptureInfo{Timestamp: ci.Timestamp, CaptureLength: len(frag), Length: len(frag)}, frag)
				made = true
			}
		}
		w.WritePacket(ci, data)
	}
	out.Close()
	if !made {
		t.Fatal("storm.pcapng has no NBT datagram to cut")
	}
	args := []string{"-r", path, "-V"}
	var par, one, errs bytes.Buffer
	if code := run(context.Background(), args, strings.NewReader(""), &par, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	oneEngine = true
	code := run(context.Background(), args, strings.NewReader(""), &one, &errs)
	oneEngine = false
	if code != 0 {
		t.Fatalf("one engine: exit %d: %s", code, errs.String())
	}
	if !strings.Contains(one.String(), "[Datagram: ") {
		t.Fatal("the fragment was not reported as expired: the test tests nothing")
	}
	if !bytes.Equal(par.Bytes(), one.Bytes()) {
		t.Errorf("several engines and one print different -V output (%d and %d bytes)", par.Len(), one.Len())
	}
}

// firstFragmentOf returns, for an Ethernet frame carrying a whole NBT
// datagram with names, the frame of the first of two fragments of it (F
// and M set, 30 bytes of user data), or nil.
func firstFragmentOf(data []byte) []byte {
	p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
	eth, _ := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	udp, _ := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if eth == nil || ip == nil || udp == nil || udp.DstPort != 138 {
		return nil
	}
	d := udp.Payload
	if len(d) < 82+30 || d[0] < 0x10 || d[0] > 0x12 || d[1]&3 != 2 {
		return nil
	}
	frag := append([]byte(nil), d[:82+30]...)
	frag[1] |= 3
	binary.BigEndian.PutUint16(frag[10:], 68+30)
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, gopacket.Payload(frag)); err != nil {
		return nil
	}
	return buf.Bytes()
}

// A printer that fails stops the decoder and the error is reported once.
func TestParallelStopsOnWriteError(t *testing.T) {
	var errb bytes.Buffer
	code := run(context.Background(), []string{"-r", "../../testdata/pcaps/storm.pcapng", "-V"}, strings.NewReader(""), &failWriter{n: 1000}, &errb)
	if code != 1 || strings.Count(errb.String(), "disk full") != 1 {
		t.Errorf("exit %d, stderr %q: want 1 and the error once", code, errb.String())
	}
}
