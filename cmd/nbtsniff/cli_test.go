package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/dissect"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUnreadableFile(t *testing.T) {
	code, _, stderr := runCLI("-r", "/nonexistent/capture.pcap")
	if code != 1 || !strings.Contains(stderr, "/nonexistent/capture.pcap") {
		t.Errorf("exit %d, stderr %q: want 1 and the file named", code, stderr)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.pcap")
	os.WriteFile(garbage, []byte("this is not a capture file at all"), 0o644)
	code, _, stderr = runCLI("-r", garbage)
	if code != 1 || !strings.Contains(stderr, garbage) {
		t.Errorf("exit %d, stderr %q: want 1 and the file named", code, stderr)
	}
}

func TestBadFilterReportedBeforeReading(t *testing.T) {
	// The file does not exist: the filter error must come first.
	code, _, stderr := runCLI("-r", "/nonexistent.pcap", "-Y", "nbns.flags.opcode == && browser")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "column 22") || !strings.Contains(stderr, "^") || strings.Contains(stderr, "nonexistent") {
		t.Errorf("stderr %q: want the error column, a caret, and no file error", stderr)
	}
}

func TestTruncatedFileWarns(t *testing.T) {
	full, err := os.ReadFile("../../testdata/pcaps/election.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcapng")
	os.WriteFile(cut, full[:20000], 0o644)
	code, stdout, stderr := runCLI("-r", cut)
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(stderr, "truncated at byte 20000") {
		t.Errorf("stderr %q: want the cut offset", stderr)
	}
	if n := strings.Count(stdout, "\n"); n < 100 {
		t.Errorf("%d frames printed before the cut, want the whole records (>100)", n)
	}
}

// hostilePcap writes a capture with one NBNS name query whose name holds
// an ANSI escape sequence (built to RFC 1002 §4.2.12 with a hostile name).
func hostilePcap(t *testing.T) string {
	t.Helper()
	raw := dissect.MakeName("\x1b[31mEVIL\x07", 0x20)
	msg := []byte{0x12, 0x34, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 0, 32}
	msg = dissect.EncodeName(msg, raw)
	msg = append(msg, 0, 0x00, 0x20, 0x00, 0x01)
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 255}}
	udp := &layers.UDP{SrcPort: 137, DstPort: 137}
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, gopacket.Payload(msg)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "hostile.pcap")
	fh, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := pcapgo.NewWriter(fh)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	data := buf.Bytes()
	w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1795308410, 0), CaptureLength: len(data), Length: len(data)}, data)
	fh.Close()
	return p
}

// TestHostileNameEscaped: no byte of a hostile NetBIOS name reaches the
// terminal raw, in any output mode.
func TestHostileNameEscaped(t *testing.T) {
	p := hostilePcap(t)
	for _, args := range [][]string{
		{"-r", p},
		{"-r", p, "-V"},
		{"-r", p, "-x"},
		{"-r", p, "-T", "fields", "-e", "nbns.name"},
		{"-r", p, "-T", "json"},
		{"-r", p, "-T", "events"},
		{"-r", p, "--report"},
	} {
		code, stdout, stderr := runCLI(args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		if strings.ContainsAny(stdout, "\x1b\x07") {
			t.Errorf("%v: raw control characters in the output: %q", args, stdout)
		}
		if !strings.Contains(stdout, "EVIL") && args[len(args)-1] != "--report" && args[len(args)-1] != "events" {
			t.Errorf("%v: the name is not shown at all: %q", args, stdout)
		}
	}
}
