package dissect

import (
	"errors"
	"strings"
	"testing"
)

// nbssWanderview4 is nbss139-session-full-scanner-winxp_wanderview.pcap
// frame 4, tshark: "4 0.001010 10.0.1.10 → 10.0.1.12 NBSS 138 Session
// request, to VMWINXP<20> from PRINTER<00>".
const nbssWanderview4 = `
		81 00 00 44  # TYPE 0x81 SESSION REQUEST, FLAGS 0, LENGTH 68
		20 46 47 45 4e 46 48 45 4a 45 4f 46 49 46 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43  # CALLED NAME VMWINXP<20>
		41 00
		20 46 41 46 43 45 4a 45 4f 46 45 45 46 46 43 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 41  # CALLING NAME PRINTER<00>
		41 00`

// nbssWanderview6 is the same capture's frame 6, tshark: "6 0.002280
// 10.0.1.10 → 10.0.1.12 SMB 240 Negotiate Protocol Request". It came in
// one segment and carries SMB, so tshark reads a 24-bit length and shows
// no flags (LongLength).
const nbssWanderview6 = `
		00 00 00 aa  # TYPE 0 SESSION MESSAGE, LENGTH 170 (24 bits)
		ff 53 4d 42 72 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00  # SMB Negotiate Protocol Request
		00 87 00 02 50 43 20 4e 45 54 57 4f 52 4b 20 50 52 4f 47 52 41 4d 20 31 2e 30 00 02 58 45 4e 49
		58 20 43 4f 52 45 00 02 4d 49 43 52 4f 53 4f 46 54 20 4e 45 54 57 4f 52 4b 53 20 31 2e 30 33 00
		02 4c 41 4e 4d 41 4e 31 2e 30 00 02 57 69 6e 64 6f 77 73 20 66 6f 72 20 57 6f 72 6b 67 72 6f 75
		70 73 20 33 2e 31 61 00 02 4c 4d 31 2e 32 58 30 30 32 00 02 4c 41 4e 4d 41 4e 32 2e 31 00 02 4e
		54 20 4c 4d 20 30 2e 31 32 00`

// nbssBigMessage is built to RFC 1002 §4.3.1: a session message of 0x10010
// body bytes (E set, LENGTH 0x0010), the SMB Trans of
// browser-host-announce-request_ppa-bethscomputer.pcap frame 2 followed by
// zeros. tshark shows the reassembled message with nbss.flags 0x01,
// nbss.flags.e 1, nbss.length 65552.
func nbssBigMessage(tb testing.TB) []byte {
	b := make([]byte, 4+0x10010)
	copy(b, []byte{0x00, 0x01, 0x00, 0x10})
	copy(b[4:], nbtHex(tb, nbdgmUserData))
	return b
}

var nbssDecodeTests = []struct {
	name          string
	pkt           string
	big           bool // use nbssBigMessage
	direct, long  bool
	want          map[string]string
	info          string
	err           error
	payload       int
	called, calls string
}{
	{
		name: "wanderview frame 4, session request",
		pkt:  nbssWanderview4,
		want: map[string]string{
			"nbss.type": "0x81", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "68",
			"nbss.called_name": "VMWINXP<20>", "nbss.calling_name": "PRINTER<00>",
		},
		info: "Session request, to VMWINXP<20> from PRINTER<00>", called: "VMWINXP<20>", calls: "PRINTER<00>",
	},
	{
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 5, tshark:
		// "5 0.001074 10.0.1.12 → 10.0.1.10 NBSS 70 Positive session response".
		name: "wanderview frame 5, positive response",
		pkt:  `82 00 00 00  # TYPE 0x82 POSITIVE SESSION RESPONSE, LENGTH 0`,
		want: map[string]string{"nbss.type": "0x82", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "0"},
		info: "Positive session response",
	},
	{
		name: "wanderview frame 6, session message",
		pkt:  nbssWanderview6,
		long: true,
		want: map[string]string{"nbss.type": "0x00", "nbss.length": "170"},
		info: "Session message", payload: 170,
	},
	{
		// nbss139-session-request-negative-responses_nfpc-evidence04-cut.pcap
		// frame 20, tshark: "20 183.316306 10.42.42.50 → 10.42.42.25 NBSS 71
		// Negative session response, Called name not present".
		name: "evidence04 frame 20, called name not present",
		pkt:  `83 00 00 01 82  # TYPE 0x83 NEGATIVE SESSION RESPONSE, LENGTH 1, ERROR_CODE 0x82`,
		want: map[string]string{"nbss.type": "0x83", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "1", "nbss.error_code": "0x82"},
		info: "Negative session response, Called name not present",
	},
	{
		// The same capture's frame 36, tshark: "36 183.340813 10.42.42.50 →
		// 10.42.42.25 NBSS 71 Negative session response, Not listening on
		// called name".
		name: "evidence04 frame 36, not listening on called name",
		pkt:  `83 00 00 01 80  # ERROR_CODE 0x80`,
		want: map[string]string{"nbss.type": "0x83", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "1", "nbss.error_code": "0x80"},
		info: "Negative session response, Not listening on called name",
	},
	{
		// nbns-nbstat-nbss139-negative-session-smb1_evilfingers-xscan-cut.pcap
		// frame 11, tshark: "11 5.234432 192.168.1.120 → 192.168.1.125 NBSS
		// 59 Negative session response, Unspecified error".
		name: "xscan frame 11, unspecified error",
		pkt:  `83 00 00 01 8f  # ERROR_CODE 0x8f`,
		want: map[string]string{"nbss.type": "0x83", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "1", "nbss.error_code": "0x8f"},
		info: "Negative session response, Unspecified error",
	},
	{
		// The same capture's frame 42, tshark: "42 88.590904 192.168.1.125 →
		// 192.168.1.120 NBSS 126 Session request, to Nessus1601<20> from
		// <15 spaces><20>": tshark keeps an all-space name's spaces.
		name: "xscan frame 42, blank calling name",
		pkt: `
		81 00 00 44  # TYPE 0x81 SESSION REQUEST, FLAGS 0, LENGTH 68
		20 45 4f 47 46 48 44 48 44 48 46 48 44 44 42 44 47 44 41 44 42 43 41 43 41 43 41 43 41 43 41 43  # CALLED NAME Nessus1601<20>
		41 00
		20 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43  # CALLING NAME fifteen spaces, <20>
		41 00`,
		want: map[string]string{
			"nbss.type": "0x81", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "68",
			"nbss.called_name": "Nessus1601<20>", "nbss.calling_name": "               <20>",
		},
		info: "Session request, to Nessus1601<20> from                <20>",
	},
	{
		// Built to RFC 1002 §4.3.2, the calling name with a scope; tshark:
		// "4 0.003000 10.0.1.10 → 10.0.1.12 NBSS 139 Session request, to
		// FILESRV<20> from PC7<00>.CORP.EXAMPLE".
		name: "built: session request with scope",
		pkt: `
		81 00 00 51  # TYPE 0x81, FLAGS 0, LENGTH 81
		20 45 47 45 4a 45 4d 45 46 46 44 46 43 46 47 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43  # CALLED NAME FILESRV<20>
		41 00
		20 46 41 45 44 44 48 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 41  # CALLING NAME PC7<00>
		41 04 43 4f 52 50 07 45 58 41 4d 50 4c 45 00  # scope CORP.EXAMPLE`,
		want: map[string]string{
			"nbss.type": "0x81", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "81",
			"nbss.called_name": "FILESRV<20>", "nbss.calling_name": "PC7<00>.CORP.EXAMPLE",
		},
		info: "Session request, to FILESRV<20> from PC7<00>.CORP.EXAMPLE", called: "FILESRV<20>", calls: "PC7<00>.CORP.EXAMPLE",
	},
	{
		// Built to RFC 1002 §4.3.4; tshark: "5 0.004000 10.0.1.12 → 10.0.1.10
		// NBSS 60 Negative session response, Not listening for calling name".
		name: "built: not listening for calling name",
		pkt:  `83 00 00 01 81`,
		want: map[string]string{"nbss.type": "0x83", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "1", "nbss.error_code": "0x81"},
		info: "Negative session response, Not listening for calling name",
	},
	{
		// Built to RFC 1002 §4.3.4; tshark: "7 0.006000 10.0.1.12 → 10.0.1.10
		// NBSS 60 Negative session response, Called name present, but
		// insufficient resources".
		name: "built: insufficient resources",
		pkt:  `83 00 00 01 83`,
		want: map[string]string{"nbss.type": "0x83", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "1", "nbss.error_code": "0x83"},
		info: "Negative session response, Called name present, but insufficient resources",
	},
	{
		// Built: an error code RFC 1002 does not define; tshark: "59 0.058000
		// 10.0.1.12 → 10.0.1.10 NBSS 60 Negative session response, Unknown (7)".
		name: "built: unknown error code",
		pkt:  `83 00 00 01 07`,
		want: map[string]string{"nbss.type": "0x83", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "1", "nbss.error_code": "0x07"},
		info: "Negative session response, Unknown (7)",
	},
	{
		// Built to RFC 1002 §4.3.5; tshark: "9 0.008000 10.0.1.12 → 10.0.1.10
		// NBSS 64 Retarget session response" (the ", to 10.0.0.5:139" is
		// nbtsniff's).
		name: "built: retarget",
		pkt:  `84 00 00 06 0a 00 00 05 00 8b  # TYPE 0x84, LENGTH 6, RETARGET_IP_ADDRESS 10.0.0.5, PORT 139`,
		want: map[string]string{
			"nbss.type": "0x84", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "6",
			"nbss.retarget_ip_address": "10.0.0.5", "nbss.retarget_port": "139",
		},
		info: "Retarget session response, to 10.0.0.5:139",
	},
	{
		// Built to RFC 1002 §4.3.7; tshark: "12 0.011000 10.0.1.10 → 10.0.1.12
		// NBSS 60 Session keep-alive".
		name: "built: keep-alive",
		pkt:  `85 00 00 00`,
		want: map[string]string{"nbss.type": "0x85", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "0"},
		info: "Session keep-alive",
	},
	{
		name: "built: E bit", // see nbssBigMessage
		big:  true,
		want: map[string]string{"nbss.type": "0x00", "nbss.flags": "0x01", "nbss.flags.e": "1", "nbss.length": "65552"},
		info: "Session message", payload: 0x10010,
	},
	{
		// Built: direct hosted SMB2 on TCP 445 ([MS-SMB2] §2.1); tshark: "1
		// 0.000000 10.0.1.10 → 10.0.1.12 SMB2 122 Negotiate Protocol
		// Request[Malformed Packet]" (the SMB2 body is zeros), with no flags.
		name:   "built: direct hosted SMB2",
		pkt:    `00 00 00 40  fe 53 4d 42 40 00` + strings.Repeat(" 00", 58),
		direct: true, long: true,
		want: map[string]string{"nbss.type": "0x00", "nbss.length": "64"},
		info: "Session message", payload: 64,
	},
	{
		// Built: a keep-alive alone in its segment on TCP 445; tshark: "2
		// 0.001000 10.0.1.10 → 10.0.1.12 NBSS 60 Session keep-alive", and
		// it does show the flags.
		name:   "built: keep-alive on 445",
		pkt:    `85 00 00 00`,
		direct: true,
		want:   map[string]string{"nbss.type": "0x85", "nbss.flags": "0x00", "nbss.flags.e": "0", "nbss.length": "0"},
		info:   "Session keep-alive",
	},
}

func nbssTestPacket(tb testing.TB, pkt string, big bool) []byte {
	if big {
		return nbssBigMessage(tb)
	}
	return nbtHex(tb, pkt)
}

func TestNBSSDecode(t *testing.T) {
	for _, tt := range nbssDecodeTests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := nbssTestPacket(t, tt.pkt, tt.big)
			s := NBSS{Direct: tt.direct, LongLength: tt.long}
			err := s.DecodeFromBytes(pkt, nil)
			switch {
			case tt.err == nil && err != nil:
				t.Fatalf("DecodeFromBytes: %v", err)
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Fatalf("DecodeFromBytes error %v, want %v", err, tt.err)
			}
			if s.Direct != tt.direct || s.LongLength != tt.long {
				t.Errorf("inputs changed: Direct %v LongLength %v", s.Direct, s.LongLength)
			}
			var tr Tree
			s.AppendTree(&tr)
			nbtCheckFields(t, &tr, "nbss", tt.want)
			if got := string(s.AppendInfo(nil)); got != tt.info {
				t.Errorf("info %q, want %q", got, tt.info)
			}
			if len(s.Payload) != tt.payload {
				t.Errorf("payload %d bytes, want %d", len(s.Payload), tt.payload)
			}
			if s.MessageLen() != len(pkt) {
				t.Errorf("MessageLen %d, packet %d bytes", s.MessageLen(), len(pkt))
			}
			if tt.called != "" && (s.CalledName.String() != tt.called || s.CallingName.String() != tt.calls) {
				t.Errorf("names %q, %q", s.CalledName.String(), s.CallingName.String())
			}
			if tt.direct != (tr.Nodes[1].Field == 0 && strings.Contains(tr.Nodes[1].Label, "Direct hosted SMB")) {
				t.Errorf("direct hosted label: %+v", tr.Nodes[1])
			}
			// The framing reading and the display reading agree (FLAGS is 0 or 1).
			for _, long := range []bool{tt.long, NBSSUsesLongLength(tt.direct, pkt)} {
				if l, ok := NBSSLength(pkt, long); !ok || l != int(s.Length) {
					t.Errorf("NBSSLength(long %v) %d %v, Length %d", long, l, ok, s.Length)
				}
			}
			if !NBSSPlausible(pkt, tt.direct, false) && s.Type != NBSSNegativeSessionResponse {
				t.Errorf("not plausible")
			}
		})
	}
}

func TestNBSSNextLayer(t *testing.T) {
	var s NBSS
	s.LongLength = true
	if err := s.DecodeFromBytes(nbtHex(t, nbssWanderview6), nil); err != nil || s.NextLayerType() != LayerTypeSMB {
		t.Errorf("SMB1: %v %v", err, s.NextLayerType())
	}
	s.Direct = true
	if err := s.DecodeFromBytes(nbtHex(t, `00 00 00 40 fe 53 4d 42`+strings.Repeat(" 00", 60)), nil); err != nil || s.NextLayerType() != LayerTypeSMB2 {
		t.Errorf("SMB2: %v %v", err, s.NextLayerType())
	}
}

// TestNBSSPlausible checks the resync tests on the real headers and on
// what tshark calls continuation data (nbss.continuation_data of
// nbns-nbstat-nbss139-negative-session-smb1_evilfingers-xscan-cut.pcap
// frames 10, 50 and 69, and of
// nbns-query-nbstat-nbss-request-browser_ndpi-netbios.pcap frame 28).
func TestNBSSPlausible(t *testing.T) {
	for _, tt := range []struct {
		name          string
		pkt           string
		direct        bool
		loose, strict bool
	}{
		{"session request", nbssWanderview4, false, true, true},
		{"session message", nbssWanderview6, false, true, true},
		{"positive response", `82 00 00 00`, false, true, true},
		{"negative response", `83 00 00 01 8f`, false, true, true},
		{"negative response, unknown code", `83 00 00 01 07`, false, true, false},
		{"keep-alive", `85 00 00 00`, false, true, true},
		{"retarget", `84 00 00 06 0a 00 00 05 00 8b`, false, true, true},
		{"xscan frame 10", `47 45 54 20 2f 20 48 54 54 50 2f 31 2e 30 0d 0a 0d 0a`, false, false, false},
		{"xscan frame 50", `48 45 4c 50 0d 0a`, false, false, false},
		{"xscan frame 69", `02 01 00 47 00 00 02 00`, false, false, false},
		{"ndpi frame 28", `00`, false, false, false},
		{"session message, not SMB", `00 00 00 08 01 02 03 04 05 06 07 08`, false, true, false},
		{"session message, length 0", `00 00 00 00`, false, false, false},
		{"reserved flags", `85 02 00 00`, false, false, false},
		{"session request on 445", nbssWanderview4, true, false, false},
		{"positive response with a body", `82 00 00 01`, false, false, false},
	} {
		pkt := nbtHex(t, tt.pkt)
		if got := NBSSPlausible(pkt, tt.direct, false); got != tt.loose {
			t.Errorf("%s: plausible %v, want %v", tt.name, got, tt.loose)
		}
		if got := NBSSPlausible(pkt, tt.direct, true); got != tt.strict {
			t.Errorf("%s: strictly plausible %v, want %v", tt.name, got, tt.strict)
		}
	}
}

// TestNBSSLongLengthAsTshark encodes packet-nbt.c's is_cifs choice as
// observed with tshark 4.0.17 (see nbssDecodeTests and the stream tests).
func TestNBSSLongLengthAsTshark(t *testing.T) {
	smb := nbtHex(t, nbssWanderview6)
	ka := nbtHex(t, `85 00 00 00`)
	for _, tt := range []struct {
		direct, reassembled bool
		leader              []byte
		want                bool
	}{
		{false, false, smb, true}, // wanderview frame 6
		{false, false, ka, false}, // built nbss139 frame 13: keep-alive then SMB, both with flags
		{false, true, smb, false}, // edge-nbss139-split-session-msg_zeek.pcap frame 6
		{true, false, smb, true},  // built nbss445 frame 1
		{true, false, ka, false},  // built nbss445 frame 2
		{true, true, ka, true},
	} {
		if got := NBSSLongLengthAsTshark(tt.direct, tt.reassembled, tt.leader); got != tt.want {
			t.Errorf("direct %v reassembled %v leader %x: %v", tt.direct, tt.reassembled, tt.leader[:4], got)
		}
	}
}

func TestNBSSMalformed(t *testing.T) {
	req := nbtHex(t, nbssWanderview4)
	for _, tt := range []struct {
		name         string
		pkt          []byte
		direct, long bool
		err          error
		field        string
	}{
		{"empty", nil, false, false, ErrTruncated, "header"},
		{"three bytes", req[:3], false, false, ErrTruncated, "header"},
		{"called name cut", req[:20], false, false, ErrTruncated, "called name"},
		{"calling name cut", req[:50], false, false, ErrTruncated, "calling name"},
		{"names past the length", append([]byte{0x81, 0, 0, 40}, req[4:]...), false, false, ErrMalformed, "calling name"},
		{"session message cut", nbtHex(t, nbssWanderview6)[:100], false, true, ErrTruncated, "session message"},
		{"negative response cut", nbtHex(t, `83 00 00 01`), false, false, ErrTruncated, "body"},
		{"negative response length 0", nbtHex(t, `83 00 00 00`), false, false, ErrMalformed, "length"},
		{"negative response length 2", nbtHex(t, `83 00 00 02 82 00`), false, false, ErrMalformed, "length"},
		{"retarget cut", nbtHex(t, `84 00 00 06 0a 00`), false, false, ErrTruncated, "body"},
		{"positive response with a body", nbtHex(t, `82 00 00 01 00`), false, false, ErrMalformed, "length"},
		{"unknown type", nbtHex(t, `69 00 00 00`), false, false, ErrMalformed, "type"},
		{"reserved flags", nbtHex(t, `85 80 00 00`), false, false, ErrMalformed, "flags"},
		{"session request on 445", req, true, false, ErrMalformed, "type"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := NBSS{Direct: tt.direct, LongLength: tt.long}
			err := s.DecodeFromBytes(tt.pkt, nil)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Field != tt.field || de.Proto != "nbss" {
				t.Errorf("error %#v, want field %q", err, tt.field)
			}
			var tr Tree
			s.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || last.Label != "[Malformed: "+err.Error()+"]" {
				t.Errorf("last node %+v, want the malformed note", last)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left at depth %d", tr.Depth())
			}
			_ = s.AppendInfo(nil)
		})
	}
}

// TestNBSSContinuation checks the layer tshark shows for data that is not
// a header: xscan frame 50, tshark: "50 ... NBSS 60 NBSS Continuation
// Message", nbss.continuation_data 48454c500d0a.
func TestNBSSContinuation(t *testing.T) {
	var tr Tree
	AppendNBSSContinuation(&tr, nbtHex(t, `48 45 4c 50 0d 0a`))
	nbtCheckFields(t, &tr, "nbss", map[string]string{"nbss.continuation_data": "48454c500d0a"})
}

func TestNBSSAllocs(t *testing.T) {
	var s NBSS
	var tr Tree
	info := make([]byte, 0, 128)
	for _, pkt := range [][]byte{nbtHex(t, nbssWanderview4), nbtHex(t, nbssWanderview6)} {
		s.LongLength = pkt[0] == 0
		run := func() {
			if err := s.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			s.AppendTree(&tr)
			info = s.AppendInfo(info[:0])
		}
		run()
		run()
		if n := testing.AllocsPerRun(100, func() {
			if err := s.DecodeFromBytes(pkt, nil); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("type %#x DecodeFromBytes: %v allocations", pkt[0], n)
		}
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("type %#x decode, tree and info: %v allocations", pkt[0], n)
		}
	}
}

func BenchmarkNBSS(b *testing.B) {
	for _, bb := range []struct {
		name string
		pkt  []byte
	}{{"request", nbtHex(b, nbssWanderview4)}, {"message", nbtHex(b, nbssWanderview6)}} {
		b.Run(bb.name, func(b *testing.B) {
			s := NBSS{LongLength: bb.pkt[0] == 0}
			var tr Tree
			b.ReportAllocs()
			b.SetBytes(int64(len(bb.pkt)))
			for i := 0; i < b.N; i++ {
				if err := s.DecodeFromBytes(bb.pkt, nil); err != nil {
					b.Fatal(err)
				}
				tr.Reset()
				s.AppendTree(&tr)
			}
		})
	}
}

func FuzzNBSS(f *testing.F) {
	for _, tt := range nbssDecodeTests {
		if !tt.big {
			mode := byte(0)
			if tt.direct {
				mode |= 1
			}
			if tt.long {
				mode |= 2
			}
			f.Add(mode, nbtHex(f, tt.pkt))
		}
	}
	f.Fuzz(func(t *testing.T, mode byte, data []byte) {
		s := NBSS{Direct: mode&1 != 0, LongLength: mode&2 != 0}
		err := s.DecodeFromBytes(data, nil)
		if err != s.Err {
			t.Fatalf("returned %v, Err %v", err, s.Err)
		}
		if len(s.Contents) > len(data) || len(s.Payload) > len(data) || len(s.Payload) > int(s.Length) {
			t.Fatalf("contents %d, payload %d, data %d, length %d", len(s.Contents), len(s.Payload), len(data), s.Length)
		}
		if err == nil && s.MessageLen() > len(data) {
			t.Fatalf("no error, but message %d > %d bytes", s.MessageLen(), len(data))
		}
		var tr Tree
		s.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree left at depth %d", tr.Depth())
		}
		for _, n := range tr.Nodes {
			if int(n.Off)+int(n.Len) > len(data) && n.Field != FieldNBSS {
				t.Fatalf("node %s at %d+%d outside %d bytes", Field(n.Field).Abbrev, n.Off, n.Len, len(data))
			}
		}
		_ = s.AppendInfo(nil)
		_ = s.NextLayerType()
		_ = NBSSPlausible(data, s.Direct, true)
	})
}
