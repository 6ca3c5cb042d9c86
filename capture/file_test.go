package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

const (
	formatPcap   = "pcap"
	formatPcapng = "pcapng"
)

// corpusFiles is every capture of the corpus with what capinfos says of it:
//
//	capinfos -T -r -c -d -S -a -e -E FILE
//
// (count, data size = sum of captured lengths, earliest and latest packet
// time in microseconds since the epoch). The format is the magic number's:
// two files have the other format's extension.
var corpusFiles = []struct {
	name             string
	format           string
	linkType         layers.LinkType
	count, dataSize  int
	earliest, latest int64
}{
	{"browser-backuplist-req-domain-lmb-announce_ndpi-1kxun-cut.pcap", formatPcap, layers.LinkTypeEthernet, 31, 3589, 1470104378021294, 1470104426276929},
	{"browser-elections-announce-req-domain-lmb_suricata-verify-tls-subjectaltname-cut.pcap", formatPcap, layers.LinkTypeEthernet, 28, 4720, 1647506328746977, 1647506422450251},
	{"browser-host-announce-request_ppa-bethscomputer.pcap", formatPcap, layers.LinkTypeEthernet, 5, 984, 1168110333375216, 1168110336149341},
	{"browser-host-announce-udp-netbeui-ipx-8021q_wswiki-vlan.pcap", formatPcap, layers.LinkTypeEthernet, 395, 138113, 941826040056226, 941826044502622},
	{"nbns-browser-nbss139-smb1-smb2-midstream-teardown_suricata-verify-smb2-07-psexec-cut.pcap", formatPcap, layers.LinkTypeEthernet, 36, 3395, 1507567479356472, 1507567522979659},
	{"nbns-nbstat-nbss139-negative-session-smb1_evilfingers-xscan-cut.pcap", formatPcap, layers.LinkTypeEthernet, 136, 13525, 1232120508209081, 1232120850679580},
	{"nbns-nbstat-nbss139-smb1-negotiate_evilfingers-xprobe-icmp-d.pcap", formatPcap, layers.LinkTypeEthernet, 34, 3236, 1234098208177324, 1234098209332336},
	{"nbns-nbstat-query-response-host-announce-subnet27-bcast_zeek-smb_v2_only-cut.pcap", formatPcap, layers.LinkTypeEthernet, 5, 825, 1735109558817958, 1735109730150597},
	{"nbns-nbstat-query-response-win2003-lmb-announce_iagox86-dissector-nbt.pcap", formatPcap, layers.LinkTypeEthernet, 12, 1871, 1304182833862070, 1304182872544550},
	{"nbns-opcode8-refresh_suricata-verify-bug-5162-cut.pcap", formatPcap, layers.LinkTypeEthernet, 9, 990, 1645806836955391, 1645806849022539},
	{"nbns-query-8021q-vlan_aiengine-flow_vlan_netbios.pcap", formatPcap, layers.LinkTypeEthernet, 3, 288, 941826041521798, 941826043023840},
	{"nbns-query-browser-backuplist_nfpc-evidence02-cut.pcap", formatPcap, layers.LinkTypeEthernet, 16, 2007, 1255181697170987, 1255181728215974},
	{"nbns-query-browser-backuplist_wswiki-mDNS3-netmon2-cut-to-pcap.pcap", formatPcap, layers.LinkTypeEthernet, 22, 2148, 1121532793476000, 1121532811832596},
	{"nbns-query-browser-host-announce-backuplist_suricata-verify-sip-cut.pcap", formatPcap, layers.LinkTypeEthernet, 122, 12261, 1120469540839312, 1120471068711674},
	{"nbns-query-inside-erspan-gre_zeek-erspan-cut.pcap", formatPcap, layers.LinkTypeEthernet, 30, 4020, 1442310002811640, 1442310044342592},
	{"nbns-query-linux-cooked-sll_pcapplusplus-sll-cut.pcap", formatPcap, layers.LinkTypeLinuxSLL, 3, 282, 1465939117309208, 1465939118808423},
	{"nbns-query-nbstat-nbss-request-browser_ndpi-netbios.pcap", formatPcapng, layers.LinkTypeEthernet, 261, 24812, 1447772210350540, 1645514718788263},
	{"nbns-registration-browser-backuplist_nfpc-puzzle1.pcap", formatPcap, layers.LinkTypeEthernet, 240, 67093, 1250143023151495, 1250143117481245},
	{"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap", formatPcap, layers.LinkTypeEthernet, 220, 22712, 1576409796586005, 1576409931837438},
	{"nbns-registration-browser-elections_pcap-attack-dns-txt-c2-cut.pcap", formatPcap, layers.LinkTypeEthernet, 31, 4802, 1591425400128128, 1591425441575916},
	{"nbns-registration-query-browser-elections_tcpdump-eapon1.pcap", formatPcap, layers.LinkTypeEthernet, 114, 14564, 1080055048958610, 1080055156024149},
	{"nbns-registration-release-query_ndpi-anyconnect-vpn-cut.pcap", formatPcap, layers.LinkTypeEthernet, 15, 1542, 1569687277139200, 1569687283186905},
	{"nbns-winxp-bcast-query-full_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 4, 451, 1360546153991301, 1360546153992729},
	{"nbns-winxp-nbstat-query_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 92, 1355803599485227, 1355803599485227},
	{"nbns-winxp-nbstat-response_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 271, 1355804400370890, 1355804400370890},
	{"nbns-winxp-positive-query-response_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 104, 1355025667431918, 1355025667431918},
	{"nbns-winxp-query_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 92, 1353788828579795, 1353788828579795},
	{"nbns-winxp-registration-negative-response_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 116, 1355893213720192, 1355893213720192},
	{"nbns-winxp-registration_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 110, 1353788013339792, 1353788013339792},
	{"nbss139-session-full-scanner-winxp_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 16, 1943, 1359925300146013, 1359925300158332},
	{"nbss139-session-request-negative-responses_nfpc-evidence04-cut.pcap", formatPcap, layers.LinkTypeEthernet, 138, 10913, 1265153647819609, 1265154250035650},
	{"nbss139-session-request-winxp_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 3, 379, 1355548620071305, 1355548620074471},
	{"nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap", formatPcap, layers.LinkTypeEthernet, 185, 58132, 1056991898644676, 1056991899622068},
	{"nbss139-smb1-maccdc2012-rawip-linktype_nemesys-cut.pcap", formatPcap, layers.LinkTypeRaw, 58, 11148, 1578224802995347, 1578230525174886},
	{"nbss139-smb1-negotiate-request-winxp_wanderview.pcap", formatPcap, layers.LinkTypeEthernet, 1, 191, 1358992117703153, 1358992117703153},
	{"nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap", formatPcap, layers.LinkTypeEthernet, 3952, 532356, 1318226600638331, 1318233371671541},
	{"nbss139-smb1-spoolss-trans-pipe_ppa-printerproblem.pcap", formatPcap, layers.LinkTypeEthernet, 250, 101180, 1169431839386103, 1169431839637323},
	{"nbss139-session-smb1-to-smb2-negotiate_wswiki-SMB-locking-139-flow.pcapng", formatPcap, layers.LinkTypeEthernet, 12, 1989, 1476813666489506, 1476813666503331},
	{"nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng", formatPcapng, layers.LinkTypeEthernet, 1000, 108428, 1476605277277352, 1476605945957581},
	{"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng", formatPcapng, layers.LinkTypeEthernet, 406, 42269, 1458121298643011, 1458121902538139},
	{"synthetic/edge-nbss139-split-session-msg_zeek.pcap", formatPcap, layers.LinkTypeEthernet, 10, 584, 1786481658117272, 1786481658118949},
	{"synthetic/edge-nbss139-truncated-session-msg_zeek.pcap", formatPcap, layers.LinkTypeEthernet, 8, 536, 1786025034507026, 1786025034508193},
	{"synthetic/edge-smb2-direct-over-tcp139-no-session-request_zeek-smb2_fscontrol.pcap", formatPcap, layers.LinkTypeEthernet, 8, 631, 1674866122334962, 1674866123347279},
	{"synthetic/malformed-browser-announce-request_tcpdump-smb_print_trans-oobr2.pcap", formatPcap, layers.LinkTypeEthernet, 1, 221, 1080055048958610, 1080055048958610},
	{"synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap", formatPcap, layers.LinkTypeEthernet, 691, 99997, 1120469540839312, 1120471107427770},
	{"synthetic/malformed-nbss139-smb1-ossfuzz-54883_zeek.pcap", formatPcap, layers.LinkTypeEthernet, 53, 14035, 1674918364386764, 1674918365890229},
}

func TestOpenFileCorpus(t *testing.T) {
	for i, tt := range corpusFiles {
		t.Run(tt.name, func(t *testing.T) {
			path := corpus(t, tt.name)
			src, err := OpenFile(path, i)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if got := fileFormat(src); got != tt.format {
				t.Errorf("format %s, want %s", got, tt.format)
			}
			if src.Label() != path {
				t.Errorf("label %q, want %q", src.Label(), path)
			}
			checkCorpusFile(t, src, i, tt.linkType, tt.count, tt.dataSize, tt.earliest, tt.latest)
		})
	}
}

func fileFormat(src Source) string {
	if src.(*fileSource).ng != nil {
		return formatPcapng
	}
	return formatPcap
}

// checkCorpusFile reads src to the end and checks it against capinfos.
func checkCorpusFile(t *testing.T, src Source, index int, lt layers.LinkType, count, dataSize int, earliest, latest int64) {
	t.Helper()
	var p Packet
	n, size := 0, 0
	first, last := int64(1<<62), int64(-1)
	for {
		err := src.Next(&p)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", n+1, err)
		}
		n++
		size += len(p.Data)
		us := p.CI.Timestamp.UnixMicro()
		first, last = min(first, us), max(last, us)
		if p.LinkType != lt || p.Source != index || p.CI.CaptureLength != len(p.Data) || p.CI.Length < len(p.Data) {
			t.Fatalf("frame %d: link %v source %d caplen %d len %d data %d", n, p.LinkType, p.Source, p.CI.CaptureLength, p.CI.Length, len(p.Data))
		}
	}
	if n != count || size != dataSize || first != earliest || last != latest {
		t.Errorf("got %d frames, %d bytes, %d..%d; capinfos: %d frames, %d bytes, %d..%d",
			n, size, first, last, count, dataSize, earliest, latest)
	}
	if got := src.Stats().Received; got != uint64(count) {
		t.Errorf("Stats().Received = %d, want %d", got, count)
	}
	if err := src.Next(&p); err != io.EOF {
		t.Errorf("Next after the end: %v, want io.EOF", err)
	}
}

func TestSplitSpec(t *testing.T) {
	for _, tt := range []struct{ spec, label, path string }{
		{"a.pcap", "a.pcap", "a.pcap"},
		{"A=a.pcap", "A", "a.pcap"},
		{"lan 2=/tmp/x=y.pcap", "lan 2", "/tmp/x=y.pcap"},
		{"=a.pcap", "=a.pcap", "=a.pcap"},
		{"/tmp/x=y.pcap", "/tmp/x=y.pcap", "/tmp/x=y.pcap"},
		{"-", "stdin", "-"},
		{"B=-", "B", "-"},
	} {
		label, path := SplitSpec(tt.spec)
		if label != tt.label || path != tt.path {
			t.Errorf("SplitSpec(%q) = %q, %q; want %q, %q", tt.spec, label, path, tt.label, tt.path)
		}
	}
}

func TestOpenFileLabel(t *testing.T) {
	path := corpus(t, sllPcap)
	src, err := OpenFile("A="+path, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Label() != "A" {
		t.Errorf("label %q, want A", src.Label())
	}
	frames, err := readAll(t, src)
	if err != nil || len(frames) != 3 || frames[0].source != 3 {
		t.Fatalf("got %d frames, err %v", len(frames), err)
	}
}

// TestGzip compresses captures into a file whose name does not say gzip:
// the magic bytes decide.
func TestGzip(t *testing.T) {
	for _, name := range []string{smiaPcap, win10Pcapng, rawIPPcap} {
		t.Run(name, func(t *testing.T) {
			path := corpus(t, name)
			want := openAll(t, path, 0)
			gz := writeTemp(t, "capture.pcap", gzipBytes(t, readFile(t, path)))
			src, err := OpenFile(gz, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if !src.(*fileSource).gzip {
				t.Error("gzip not detected")
			}
			got, err := readAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			sameFrames(t, got, want)
		})
	}
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStdin reads "-" (os.Stdin) and an io.Reader.
func TestStdin(t *testing.T) {
	path := corpus(t, xscanPcap)
	want := openAll(t, path, 0)

	r, err := OpenReader(bytes.NewReader(readFile(t, path)), "pipe", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	if r.Label() != "pipe" {
		t.Errorf("label %q", r.Label())
	}

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stdin := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = stdin }()
	src, err := OpenFile("-", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = readAll(t, src); err != nil {
		t.Fatal(err)
	}
	sameFrames(t, got, want)
	if src.Label() != "stdin" {
		t.Errorf("label %q, want stdin", src.Label())
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stat(); err != nil {
		t.Errorf("Close closed standard input: %v", err)
	}
}

// pcapRecordEnds walks the record headers of a little-endian pcap file
// (independently of pcapgo) and returns the offset after each record.
func pcapRecordEnds(t *testing.T, b []byte) []int {
	t.Helper()
	var ends []int
	for off := 24; off < len(b); {
		if off+16 > len(b) {
			t.Fatalf("record header at %d overruns the file", off)
		}
		off += 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
		ends = append(ends, off)
	}
	return ends
}

// pcapngBlockEnds returns the offset after each block of a little-endian
// pcapng file, and the number of packets (type 6) up to that point.
func pcapngBlockEnds(t *testing.T, b []byte) (ends, packets []int) {
	t.Helper()
	n := 0
	for off := 0; off < len(b); {
		typ := binary.LittleEndian.Uint32(b[off:])
		off += int(binary.LittleEndian.Uint32(b[off+4:]))
		if typ == 6 {
			n++
		}
		ends, packets = append(ends, off), append(packets, n)
	}
	return ends, packets
}

func TestTruncated(t *testing.T) {
	path := corpus(t, xscanPcap)
	full := readFile(t, path)
	ends := pcapRecordEnds(t, full)
	if len(ends) != 136 || ends[135] != len(full) {
		t.Fatalf("walked %d records to %d of %d bytes", len(ends), ends[len(ends)-1], len(full))
	}
	r50 := ends[49] // record 51 starts here
	for _, tt := range []struct {
		name    string
		cut     int
		records int // whole records before the cut
		clean   bool
	}{
		{"in record data at an odd offset", r50 + 16 + 33, 50, false},
		{"in a record header", r50 + 7, 50, false},
		{"after a record header, before its data", r50 + 16, 50, false},
		{"one byte short of the end", len(full) - 1, 135, false},
		{"on a record boundary", r50, 50, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cut := writeTemp(t, "cut.pcap", full[:tt.cut])
			src, err := OpenFile(cut, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			frames, err := readAll(t, src)
			if len(frames) != tt.records {
				t.Errorf("got %d whole records, want %d", len(frames), tt.records)
			}
			if tt.clean {
				if err != nil {
					t.Fatalf("cut on a boundary: %v", err)
				}
				return
			}
			want := &TruncatedError{File: cut, Offset: int64(tt.cut), Records: tt.records}
			checkTruncated(t, err, want)
			if err := src.Next(&Packet{}); err != io.EOF {
				t.Errorf("Next after the error: %v, want io.EOF", err)
			}
		})
	}
}

func checkTruncated(t *testing.T, err error, want *TruncatedError) {
	t.Helper()
	var te *TruncatedError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T), want *TruncatedError", err, err)
	}
	if *te != *want {
		t.Errorf("got %+v, want %+v", *te, *want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("not io.ErrUnexpectedEOF")
	}
	msg := want.File + ": truncated at byte "
	if !strings.HasPrefix(err.Error(), msg) {
		t.Errorf("message %q does not start with %q", err, msg)
	}
}

func TestTruncatedHeader(t *testing.T) {
	full := readFile(t, corpus(t, xscanPcap))
	cut := writeTemp(t, "cut.pcap", full[:11])
	_, err := OpenFile(cut, 0)
	checkTruncated(t, err, &TruncatedError{File: cut, Offset: 11})
	if want := cut + ": truncated at byte 11 after 0 records"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestTruncatedPcapng(t *testing.T) {
	full := readFile(t, corpus(t, win10Pcapng))
	ends, packets := pcapngBlockEnds(t, full)
	if ends[len(ends)-1] != len(full) || packets[len(packets)-1] != 1000 {
		t.Fatalf("walked blocks to %d of %d bytes, %d packets", ends[len(ends)-1], len(full), packets[len(packets)-1])
	}
	b := len(ends) / 2
	at := ends[b] + 41 // inside the block after block b
	cut := writeTemp(t, "cut.pcapng", full[:at])
	src, err := OpenFile(cut, 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	if len(frames) != packets[b] {
		t.Errorf("got %d packets, want %d", len(frames), packets[b])
	}
	checkTruncated(t, err, &TruncatedError{File: cut, Offset: int64(at), Records: packets[b]})
}

// TestTruncatedGzip cuts the compressed stream: the records that were
// decompressed come out, then a *TruncatedError that says so.
func TestTruncatedGzip(t *testing.T) {
	full := readFile(t, corpus(t, smiaPcap))
	gz := gzipBytes(t, full)
	cut := writeTemp(t, "cut.pcap.gz", gz[:len(gz)/2+1])
	src, err := OpenFile(cut, 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	var te *TruncatedError
	if !errors.As(err, &te) || !te.Gzip || te.Records != len(frames) || len(frames) == 0 || len(frames) >= 3952 {
		t.Fatalf("%d frames, error %v", len(frames), err)
	}
	// The records returned are a prefix of the file.
	ends := pcapRecordEnds(t, full)
	if te.Offset < int64(ends[te.Records-1]) || te.Offset >= int64(ends[te.Records]) {
		t.Errorf("offset %d not inside record %d (%d..%d)", te.Offset, te.Records+1, ends[te.Records-1], ends[te.Records])
	}
	if !strings.Contains(err.Error(), "of the decompressed data") {
		t.Errorf("message %q does not say the offset is in decompressed data", err)
	}
}

func TestNotACapture(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"garbage.pcap", []byte("<!DOCTYPE html><html>not a capture</html>"), ErrUnknownFormat,
			"garbage.pcap: not a pcap, pcapng or gzip capture (starts with 3c 21 44 4f)"},
		{"empty.pcap", nil, ErrUnknownFormat, "empty.pcap: not a pcap, pcapng or gzip capture: empty file"},
		{"bad-gzip.pcap", []byte{0x1f, 0x8b, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ErrMalformed,
			"bad-gzip.pcap: malformed: gzip: invalid header"},
		{"version.pcap", pcapHeader(binary.LittleEndian, magicPcapMicro, 3, 1), ErrMalformed,
			"version.pcap: malformed: pcap header: Unknown major version 3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := dir + "/" + tt.name
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := OpenFile(path, 0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if err.Error() != dir+"/"+tt.msg {
				t.Errorf("message %q, want %q", err, dir+"/"+tt.msg)
			}
		})
	}
	_, err := OpenFile(dir+"/missing.pcap", 0)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), dir+"/missing.pcap") {
		t.Errorf("missing file: %v", err)
	}
}

// pcapHeader is a pcap file header with the given magic, major version
// and link type, snaplen 65535.
func pcapHeader(order binary.ByteOrder, magic uint32, major uint16, lt layers.LinkType) []byte {
	h := make([]byte, 24)
	order.PutUint32(h[0:], magic)
	order.PutUint16(h[4:], major)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], 65535)
	order.PutUint32(h[20:], uint32(lt))
	return h
}

// TestMalformedRecord corrupts the captured length of record 3 of a real
// file: two records, then ErrMalformed at the offset of record 3. (A
// captured length over the original length alone is not an error: see
// TestCaplenOverLen.)
func TestMalformedRecord(t *testing.T) {
	full := readFile(t, corpus(t, xscanPcap))
	ends := pcapRecordEnds(t, full)
	for _, tt := range []struct {
		name           string
		capLen, length uint32
		msg            string
	}{
		{"huge", 0xfffffff0, 0xfffffff0, "record captures 4294967280 bytes, over the 262144 byte limit"},
		{"over the limit", MaxRecordSize + 1, MaxRecordSize + 1, "record captures 262145 bytes, over the 262144 byte limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := bytes.Clone(full)
			binary.LittleEndian.PutUint32(bad[ends[1]+8:], tt.capLen)
			binary.LittleEndian.PutUint32(bad[ends[1]+12:], tt.length)
			path := writeTemp(t, "bad.pcap", bad)
			src, err := OpenFile(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			frames, err := readAll(t, src)
			var fe *FileError
			if len(frames) != 2 || !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("%d frames, error %v", len(frames), err)
			}
			want := FileError{File: path, Offset: int64(ends[1]), Records: 2}
			if fe.File != want.File || fe.Offset != want.Offset || fe.Records != want.Records {
				t.Errorf("got %+v, want %+v", *fe, want)
			}
			msg := path + ": at byte " + strconv.Itoa(ends[1]) + " after 2 records: malformed: " + tt.msg
			if err.Error() != msg {
				t.Errorf("message %q, want %q", err, msg)
			}
		})
	}
}

// TestPcapVariants writes real frames as big-endian and nanosecond pcap
// (pcapgo writes little-endian only, so the test writes big-endian files
// itself) and reads them back.
func TestPcapVariants(t *testing.T) {
	want := openAll(t, corpus(t, xscanPcap), 0)
	for i := range want { // give the nanosecond files nanoseconds to keep
		want[i].ci = want[i].ci.Add(time.Duration(i%1000) * time.Nanosecond)
		// and some frames an original length of their own (cut by a
		// snap length): each of the record header's numbers is read
		want[i].length += i % 3 * 100
	}
	for _, tt := range []struct {
		name  string
		order binary.ByteOrder
		magic uint32
		nanos bool
	}{
		{"little-endian nanoseconds", binary.LittleEndian, magicPcapNano, true},
		{"big-endian microseconds", binary.BigEndian, magicPcapMicro, false},
		{"big-endian nanoseconds", binary.BigEndian, magicPcapNano, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := writePcap(t, tt.order, tt.magic, tt.nanos, want)
			src, err := OpenReader(bytes.NewReader(data), tt.name, 0)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			w := want
			if !tt.nanos {
				w = truncateMicro(want)
			}
			sameFrames(t, got, w)
		})
	}
}

func truncateMicro(frames []frame) []frame {
	out := append([]frame(nil), frames...)
	for i := range out {
		out[i].ci = out[i].ci.Truncate(time.Microsecond)
	}
	return out
}

// writePcap writes frames as a pcap file. The little-endian nanosecond
// file comes from pcapgo.NewWriterNanos; the big-endian ones are written
// here, header and records, as a big-endian host would.
func writePcap(t *testing.T, order binary.ByteOrder, magic uint32, nanos bool, frames []frame) []byte {
	t.Helper()
	var buf bytes.Buffer
	if order == binary.LittleEndian && nanos {
		w := pcapgo.NewWriterNanos(&buf)
		if err := w.WriteFileHeader(65535, frames[0].linkType); err != nil {
			t.Fatal(err)
		}
		for _, f := range frames {
			ci := gopacket.CaptureInfo{Timestamp: f.ci, CaptureLength: len(f.data), Length: f.length}
			if err := w.WritePacket(ci, f.data); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	buf.Write(pcapHeader(order, magic, 2, frames[0].linkType))
	for _, f := range frames {
		var h [16]byte
		frac := f.ci.Nanosecond()
		if !nanos {
			frac /= 1000
		}
		order.PutUint32(h[0:], uint32(f.ci.Unix()))
		order.PutUint32(h[4:], uint32(frac))
		order.PutUint32(h[8:], uint32(len(f.data)))
		order.PutUint32(h[12:], uint32(f.length))
		buf.Write(h[:])
		buf.Write(f.data)
	}
	return buf.Bytes()
}

// TestMalformedPcapng gives the 11th packet block of a real pcapng file a
// captured length of 2 GiB: ten packets, then ErrMalformed at that block,
// before anything is allocated for it.
func TestMalformedPcapng(t *testing.T) {
	full := readFile(t, corpus(t, win10Pcapng))
	ends, packets := pcapngBlockEnds(t, full)
	b := 0
	for packets[b] != 10 || binary.LittleEndian.Uint32(full[ends[b]:]) != 6 {
		b++
	}
	at := ends[b] // the 11th enhanced packet block
	bad := bytes.Clone(full)
	binary.LittleEndian.PutUint32(bad[at+20:], 0x7fffffff)
	src, err := OpenReader(bytes.NewReader(bad), "bad.pcapng", 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, src)
	want := "bad.pcapng: at byte " + strconv.Itoa(at) + " after 10 records: malformed: packet block captures 2147483647 bytes, over the 262144 byte limit"
	if len(frames) != 10 || !errors.Is(err, ErrMalformed) || err.Error() != want {
		t.Fatalf("%d frames, error %v; want 10 frames, %q", len(frames), err, want)
	}
}

// TestRecordBudget: a pcapng block that claims 1 GiB of metadata, followed
// by endless bytes, stops after recordBudget bytes instead of reading on.
func TestRecordBudget(t *testing.T) {
	full := readFile(t, corpus(t, win10Pcapng))
	ends, _ := pcapngBlockEnds(t, full)
	head := bytes.Clone(full[:ends[1]]) // section header and first interface
	block := make([]byte, 8)
	binary.LittleEndian.PutUint32(block, 0x00000bad) // custom block
	binary.LittleEndian.PutUint32(block[4:], 1<<30)
	r := io.MultiReader(bytes.NewReader(head), bytes.NewReader(block), zeros{})
	src, err := OpenReader(r, "endless", 0)
	if err != nil {
		t.Fatal(err)
	}
	var p Packet
	err = src.Next(&p)
	// The offset is where the read began: after the section header (the
	// interface block was read in the same call).
	want := "endless: at byte " + strconv.Itoa(ends[0]) + " after 0 records: malformed: more than 67108864 bytes without a whole record"
	if !errors.Is(err, ErrMalformed) || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
