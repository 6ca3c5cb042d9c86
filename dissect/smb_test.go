package dissect

// Tests of the SMB1 decoder on real bytes. Expected values are tshark
// 4.0.17's (-T fields and the info column) for the capture and frame named
// above each literal; the literals are the SMB messages of those frames
// (from the 0xFF of the header to the end of the NBSS message or datagram).

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
)

// smbHex decodes a packet literal: hex bytes separated by spaces and
// newlines; "#" starts a comment that runs to the end of the line.
func smbHex(tb testing.TB, s string) []byte {
	tb.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		tb.Fatalf("bad packet literal: %v", err)
	}
	return b
}

func TestSMBDecodeTable(t *testing.T) {
	fields := smbRequiredFields()
	for _, c := range smbCases {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			if err := s.DecodeFromBytes(smbHex(t, c.msg), gopacket.NilDecodeFeedback); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			if c.treePath != "" {
				s.TreePath, s.TreeMappedIn = []byte(c.treePath), c.mappedIn
			}
			var tr Tree
			s.AppendTree(&tr)
			for _, f := range fields {
				if strings.HasPrefix(f, "smb.flags.") || strings.HasPrefix(f, "smb.flags2.") {
					continue
				}
				id, _ := LookupField(f)
				if got := smbFieldText(&tr, id); got != c.want[f] {
					t.Errorf("%s = %q, tshark %q", f, got, c.want[f])
				}
			}
			if c.info != "" {
				if got := smbEscape(s.AppendInfo(nil)); got != c.info {
					t.Errorf("info = %q, tshark %q", got, c.info)
				}
			}
		})
	}
}

// smbCaseMsg returns the message of the named case.
func smbCaseMsg(tb testing.TB, name string) []byte {
	tb.Helper()
	for _, c := range smbCases {
		if c.name == name {
			return smbHex(tb, c.msg)
		}
	}
	tb.Fatalf("no case %q", name)
	return nil
}

// TestSMBTypedFields checks the typed values the timeline and the other
// decoders read, against what tshark shows for the same frames.
func TestSMBTypedFields(t *testing.T) {
	var s SMB
	decode := func(name string) {
		t.Helper()
		if err := s.DecodeFromBytes(smbCaseMsg(t, name), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	decode("negotiate request, 8 dialects")
	var names []string
	for _, d := range s.Commands[0].NegotiateRequest.Dialects {
		names = append(names, string(d.Name))
	}
	// tshark: smb.dialect.name
	if got := strings.Join(names, ","); got != "PC NETWORK PROGRAM 1.0,XENIX CORE,MICROSOFT NETWORKS 1.03,LANMAN1.0,Windows for Workgroups 3.1a,LM1.2X002,LANMAN2.1,NT LM 0.12" {
		t.Errorf("dialects = %q", got)
	}

	decode("negotiate response WCT 17, challenge, domain and server")
	nr := &s.Commands[0].NegotiateResponse
	// tshark -V: Selected Index: 7, Max Buffer Size: 4356, Capabilities
	// 0x0000e3fd, Challenge 33f729eecc176305, Server: VMWINXP, System Time
	// Feb  3, 2013 21:01:40.193076600 UTC, Server Time Zone: 300.
	if nr.DialectIndex != 7 || nr.MaxBufferSize != 4356 || nr.Capabilities != 0xe3fd || nr.ExtendedSecurity() ||
		hex.EncodeToString(nr.Challenge) != "33f729eecc176305" || string(nr.ServerName.Text) != "VMWINXP" ||
		nr.ServerTimeZone != 300 || nr.SystemTimeUnixNano() != 1359925300193076600 {
		t.Errorf("negotiate response = %+v", *nr)
	}

	decode("negotiate response WCT 17, extended security")
	nr = &s.Commands[0].NegotiateResponse
	var tr Tree
	s.AppendTree(&tr)
	// tshark: smb.server_guid 2cd03d3f-b200-e14f-bdd4-c8b70c275666,
	// smb.server_timezone -120
	if id, _ := LookupField("smb.server_guid"); smbFieldText(&tr, id) != "2cd03d3f-b200-e14f-bdd4-c8b70c275666" {
		t.Errorf("server GUID = %q", smbFieldText(&tr, id))
	}
	if !nr.ExtendedSecurity() || nr.ServerTimeZone != -120 || len(nr.SecurityBlob) != 320 {
		t.Errorf("negotiate response = %+v", *nr)
	}

	decode("negotiate response WCT 13 (LANMAN2.1) with extra byte parameters")
	nr = &s.Commands[0].NegotiateResponse
	// tshark: Server Date and Time: Mar 16, 2016 10:43:14 UTC (DOS Time
	// 0x5567, DOS Date 0x4870); Extra byte parameters: 80c538e956
	if got := dosDateTimeUnixNano(nr.ServerDate, nr.ServerTime); got != 1458124994*1e9 {
		t.Errorf("server date and time = %d", got)
	}
	if hex.EncodeToString(s.Commands[0].Extra) != "80c538e956" {
		t.Errorf("extra = %x", s.Commands[0].Extra)
	}

	decode("session setup WCT 13, anonymous")
	ss := &s.Commands[0].SessionSetupRequest
	if !ss.Anonymous() || ss.AccountName.Present == false || string(ss.NativeOS.Text) != "FXNICOS 0.1" || ss.OEMPasswordLength != 24 {
		t.Errorf("session setup = %+v", *ss)
	}

	decode("session setup response WCT 3, guest")
	if r := &s.Commands[0].SessionSetupResponse; !r.Guest() || string(r.NativeLanMan.Text) != "Windows 2000 LAN Manager" {
		t.Errorf("session setup response = %+v", *r)
	}

	decode("session setup WCT 12, NTLMSSP_AUTH, empty user")
	if ss := &s.Commands[0].SessionSetupRequest; ss.NTLMSSP.Type != 3 || !ss.Anonymous() || ss.SecurityBlobLength != 172 {
		t.Errorf("session setup = %+v", *ss)
	}

	decode("session setup WCT 10 chained with tree connect")
	if len(s.Commands) != 2 || s.Commands[1].Command != SMBComTreeConnectAndX ||
		string(s.Commands[0].SessionSetupRequest.AccountName.Text) != "BITDIGGER" ||
		s.Commands[0].SessionSetupRequest.PrimaryDomain.Present ||
		string(s.Commands[1].TreeConnectRequest.Path.Text) != `\\WFW_HOST_2\IPC$` ||
		string(s.Commands[1].TreeConnectRequest.Service.Text) != "IPC" {
		t.Errorf("chain = %+v", s.Commands)
	}

	decode("tree connect response WCT 7")
	// tshark: Maximal Share Access Rights 0x001fffff, Service: IPC
	if r := &s.Commands[0].TreeConnectResponse; r.MaximalShareAccessRights != 0x1fffff || string(r.Service.Text) != "IPC" || r.OptionalSupport != 1 {
		t.Errorf("tree connect response = %+v", *r)
	}

	decode("tree connect error response, WCT 0")
	if !s.IsError() || s.Status != StatusBadNetworkName || s.Commands[0].Form != SMBFormEmpty {
		t.Errorf("error response: status %#x form %d", s.Status, s.Commands[0].Form)
	}

	decode("logoff response, DOS error Bad userid")
	if !s.IsError() || s.ErrorClass != SMBErrClassSRV || SMBErrorString(s.ErrorClass, s.ErrorCode) != "Bad userid" {
		t.Errorf("DOS error %d/%d", s.ErrorClass, s.ErrorCode)
	}
}

// smbSet returns a copy of b with the little-endian uint16 at off set.
func smbSet16(b []byte, off int, v uint16) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint16(c[off:], v)
	return c
}

func smbSet8(b []byte, off int, v byte) []byte {
	c := append([]byte(nil), b...)
	c[off] = v
	return c
}

func TestSMBMalformed(t *testing.T) {
	trans := smbCaseMsg(t, `trans request, Unicode \PIPE\LANMAN, padding`) // WordCount at 32, words at 33, ByteCount at 61, bytes at 63..118
	ss := smbCaseMsg(t, "session setup WCT 10 chained with tree connect")  // AndXOffset at 35 = 66
	nego := smbCaseMsg(t, "negotiate response WCT 17, extended security")  // ByteCount at 67
	tc := smbCaseMsg(t, "tree connect request")                            // password length at 39
	resp := smbCaseMsg(t, "trans response")                                // data offset at 47
	chain := append(append([]byte(nil), ss[:66]...), ss[66:]...)
	// a chain that AndX-offsets back to its own first block: a loop
	loop := smbSet16(chain, 35, 32)
	// 9 chained LOGOFF_ANDX blocks: more than MaxAndXCommands
	long := append([]byte(nil), ss[:32]...)
	long[4] = byte(SMBComLogoffAndX)
	for i := 0; i < 9; i++ {
		next := 32 + (i+1)*7
		long = append(long, 2, byte(SMBComLogoffAndX), 0, byte(next), byte(next>>8), 0, 0)
	}
	// 65 dialects
	many := append([]byte(nil), smbCaseMsg(t, "negotiate request, 8 dialects")[:33]...)
	var dl []byte
	for i := 0; i < 65; i++ {
		dl = append(dl, 2, 'X', 0)
	}
	many = append(many, byte(len(dl)), byte(len(dl)>>8))
	many = append(many, dl...)

	for _, c := range []struct {
		name  string
		msg   []byte
		is    error
		field string // in the error message
	}{
		{"empty", nil, ErrTruncated, "protocol"},
		{"not SMB", []byte("\xfeSMB@\x00"), ErrMalformed, "protocol"},
		{"header cut", trans[:20], ErrTruncated, "header"},
		{"word count missing", trans[:32], ErrTruncated, "word count"},
		{"words cut", trans[:40], ErrTruncated, "Trans parameter words"},
		{"byte count cut", trans[:62], ErrTruncated, "Trans byte count"},
		{"byte block cut", trans[:100], ErrTruncated, "Trans byte block"},
		{"param offset before the byte block", smbSet16(trans, 53, 40), ErrMalformed, "trans parameter block"},
		{"param block past ByteCount", smbSet16(trans, 51, 60), ErrMalformed, "trans parameter block"},
		{"data block past ByteCount", smbSet16(smbSet16(trans, 55, 4), 57, 116), ErrMalformed, "trans data block"},
		{"response data offset past ByteCount", smbSet16(resp, 47, 200), ErrMalformed, "trans data block"},
		{"setup count disagrees with word count", smbSet8(trans, 59, 2), ErrMalformed, "trans setup count"},
		{"andx loop", loop, ErrMalformed, "andx offset"},
		{"andx offset into the words", smbSet16(chain, 35, 40), ErrMalformed, "andx offset"},
		{"andx offset past the end", smbSet16(chain, 35, 4000), ErrTruncated, "andx command"},
		{"andx chain too long", long, ErrLimit, "andx chain"},
		{"too many dialects", many, ErrLimit, "negotiate dialects"},
		{"negotiate GUID outside the byte block", smbSet16(nego, 67, 10)[:79], ErrMalformed, "negotiate server GUID"},
		{"tree connect password past the byte block", smbSet16(tc, 39, 200), ErrMalformed, "tree connect password"},
		{"session setup password past the byte block", smbSet16(ss, 47, 300), ErrMalformed, "session setup password"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			err := s.DecodeFromBytes(c.msg, gopacket.NilDecodeFeedback)
			if !errors.Is(err, c.is) {
				t.Fatalf("err = %v, want %v", err, c.is)
			}
			if s.Err != err {
				t.Errorf("Err field = %v, returned %v", s.Err, err)
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q does not name %q", err, c.field)
			}
			var tr Tree
			s.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: ") {
				t.Errorf("last node = %+v, want the malformed note", last)
			}
			_ = s.AppendInfo(nil)
		})
	}
}

func TestSMBAllocs(t *testing.T) {
	msg := smbCaseMsg(t, `trans request, Unicode \PIPE\LANMAN, padding`)
	var s SMB
	var tr Tree
	var info []byte
	if n := testing.AllocsPerRun(100, func() {
		if err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("DecodeFromBytes allocates %v times per run", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		tr.Reset()
		s.AppendTree(&tr)
		info = s.AppendInfo(info[:0])
	}); n != 0 {
		t.Errorf("AppendTree+AppendInfo allocate %v times per run", n)
	}
	// every real case decodes without allocating once warmed up
	for _, c := range smbCases {
		m := smbHex(t, c.msg)
		if n := testing.AllocsPerRun(10, func() { _ = s.DecodeFromBytes(m, nil) }); n != 0 {
			t.Errorf("%s: %v allocations", c.name, n)
		}
	}
}

func BenchmarkSMBDecodeTrans(b *testing.B) {
	msg := smbCaseMsg(b, `trans request, Unicode \PIPE\LANMAN, padding`)
	var s SMB
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
	}
}

func BenchmarkSMBDecodeAndTree(b *testing.B) {
	msg := smbCaseMsg(b, "session setup WCT 10 chained with tree connect")
	var s SMB
	var tr Tree
	var info []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		tr.Reset()
		s.AppendTree(&tr)
		info = s.AppendInfo(info[:0])
	}
}

// FuzzSMB feeds mutations of real SMB1 messages (header, AndX chains,
// session set-up and transactions) to the decoder. It must not panic, and
// what it reports must stay inside the message.
func FuzzSMB(f *testing.F) {
	for _, c := range smbCases {
		f.Add(smbHex(f, c.msg))
	}
	f.Add(smbHex(f, smbNTCreateExtended))
	seeds := make([][]byte, 0, len(smbCases)+1)
	for _, c := range smbCases {
		seeds = append(seeds, smbHex(f, c.msg))
	}
	seeds = append(seeds, smbHex(f, smbNTCreateExtended))
	f.Fuzz(func(t *testing.T, msg []byte) {
		var s SMB
		err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		checkSMBReused(t, msg, &s, seeds)
		checkSMBSkipText(t, msg, &s)
		checkSMBSkipBodies(t, msg, &s)
		if (err == nil) != (s.Err == nil) {
			t.Fatalf("returned %v, Err %v", err, s.Err)
		}
		if len(s.Commands) > MaxAndXCommands {
			t.Fatalf("%d commands", len(s.Commands))
		}
		for i := range s.Commands {
			b := &s.Commands[i]
			if b.Off < smbHeaderLen || b.Off > len(msg) || (b.Off == len(msg) && err == nil) {
				t.Fatalf("block %d at %d of %d (err %v)", i, b.Off, len(msg), err)
			}
			if i > 0 && b.Off <= s.Commands[i-1].Off {
				t.Fatalf("block %d does not move forward", i)
			}
			if n := &b.NTTrans; b.Form == SMBFormNTTrans && b.err == nil {
				for _, blk := range [][]byte{n.Params, n.Data} {
					if len(blk) > 0 && !smbWithin(blk, b.Bytes) {
						t.Fatalf("nt trans block outside the byte block")
					}
				}
			}
			for _, fd := range []*SMBFileData{&b.ReadAndXResponse.SMBFileData, &b.WriteAndXRequest.SMBFileData} {
				for _, blk := range [][]byte{fd.Padding, fd.Data} {
					if len(blk) > 0 && !smbWithin(blk, b.Bytes) {
						t.Fatalf("file data outside the byte block")
					}
				}
			}
			if tr := &b.Trans; (b.Form == SMBFormTrans || b.Form == SMBFormTrans2) && b.err == nil {
				// Where ByteCount disagrees with the blocks' own offsets
				// (BeyondByteCount), tshark reads them past the byte
				// block: they are then inside the message.
				outer, where := b.Bytes, "byte block"
				if tr.BeyondByteCount {
					outer, where = msg, "message"
				}
				for _, blk := range [][]byte{tr.Params, tr.Data} {
					if len(blk) > 0 && !smbWithin(blk, outer) {
						t.Fatalf("trans block outside the %s", where)
					}
				}
			}
		}
		var tr Tree
		s.AppendTree(&tr)
		_ = s.AppendInfo(nil)
		if err != nil {
			return
		}
		if tr.Depth() != 0 {
			t.Fatalf("tree left open at depth %d", tr.Depth())
		}
	})
}

// smbWithin reports whether inner is a subslice of outer.
func smbWithin(inner, outer []byte) bool {
	if len(outer) == 0 {
		return false
	}
	o0 := &outer[0]
	for i := range outer {
		if &outer[i] == &inner[0] {
			return i+len(inner) <= len(outer)
		}
	}
	_ = o0
	return false
}

// SMB2 on port 139: recognised and labelled, header only.
func TestSMB2Header(t *testing.T) {
	for _, c := range []struct {
		name string
		msg  string
		info string
		want map[string]string
	}{
		{
			name: "negotiate response",
			// nbss139-session-smb1-to-smb2-negotiate_wswiki-SMB-locking-139-flow.pcapng frame 7:
			// 192.168.199.1 → 192.168.199.133 SMB2 506 Negotiate Protocol Response (header only)
			msg: `fe 53 4d 42 40 00 00 00 00 00 00 00 00 00 01 00 01 00 00 00 00 00 00 00
			      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 41 00 01 00 ff 02`,
			info: "Negotiate Protocol Response",
			want: map[string]string{"smb2.protocol_id": "0xfe534d42", "smb2.header_len": "64", "smb2.cmd": "0",
				"smb2.nt_status": "0x00000000", "smb2.msg_id": "0", "smb2.flags.response": "1", "smb2.credits.granted": "1",
				"smb2.pid": "0x00000000", "smb2.tid": "0x00000000", "smb2.sesid": "0x0000000000000000"},
		},
		{
			name: "transform header",
			// crafted (no capture has SMB3 encryption); tshark 4.0.17 on
			// it: SMB2 Encrypted SMB3
			msg: `fd 53 4d 42 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b
			      1c 1d 1e 1f 64 00 00 00 00 00 01 00 88 77 66 55 44 33 22 11 ee ee ee ee`,
			info: "Encrypted SMB3",
			want: map[string]string{"smb2.protocol_id": "0xfd534d42", "smb2.header.transform.msg_size": "100",
				"smb2.header.transform.flags": "0x0001", "smb2.sesid": "0x1122334455667788",
				"smb2.header.transform.nonce": "101112131415161718191a1b1c1d1e1f"},
		},
		{
			name: "async error response",
			// crafted; tshark 4.0.17 on it: SMB2 Create Response, Error: STATUS_ACCESS_DENIED
			msg: `fe 53 4d 42 40 00 01 00 22 00 00 c0 05 00 01 00 03 00 00 00 00 00 00 00 07 00 00 00 00 00 00 00
			      ef cd ab 00 00 00 00 00 99 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11
			      09 00 00 00 00 00 00 00`,
			info: "Create Response, Error: STATUS_ACCESS_DENIED",
			want: map[string]string{"smb2.aid": "0x0000000000abcdef", "smb2.sesid": "0x0000000000000099",
				"smb2.nt_status": "0xc0000022", "smb2.cmd": "5", "smb2.flags": "0x00000003", "smb2.msg_id": "7",
				"smb2.flags.async": "1", "smb2.pid": "", "smb2.credit.charge": "1"},
		},
	} {
		var s SMB2
		if err := s.DecodeFromBytes(smbHex(t, c.msg), nil); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var tr Tree
		s.AppendTree(&tr)
		smbWantFields(t, &tr, c.name, c.want)
		if got := string(s.AppendInfo(nil)); got != c.info {
			t.Errorf("%s: info %q, tshark %q", c.name, got, c.info)
		}
	}
	var s SMB2
	if err := s.DecodeFromBytes([]byte("\xfeSMB\x40\x00"), nil); !errors.Is(err, ErrTruncated) {
		t.Errorf("short SMB2 header: %v", err)
	}
	if !IsSMB2([]byte("\xfdSMB")) || IsSMB2([]byte("\xffSMB")) {
		t.Errorf("IsSMB2")
	}
}

// A dialect whose terminator lies past ByteCount is listed, but without
// smb.dialect.name: tshark stops at the byte count. The 8-dialect request
// with ByteCount 134 for its 135 bytes, as nmap's version scan sends it
// (EvilFingers NMAP_PCAPS version_scan.pcap frame 2069: tshark lists 5 of
// its 6 names).
func TestNegotiateDialectPastByteCount(t *testing.T) {
	msg := smbSet16(smbCaseMsg(t, "negotiate request, 8 dialects"), 33, 134)
	var s SMB
	if err := s.DecodeFromBytes(msg, nil); err != nil {
		t.Fatal(err)
	}
	var tree Tree
	s.AppendTree(&tree)
	id, _ := LookupField("smb.dialect.name")
	n := 0
	for _, nd := range tree.Nodes {
		if nd.Field == id {
			n++
		}
	}
	if n != 7 {
		t.Errorf("%d dialect names, want 7 (the eighth has no terminator within ByteCount)", n)
	}
}

// checkSMBReused holds a decoder reused across messages to a fresh one
// (growBlock clears a reused block by its command's forms only): msg
// decoded after each seed gives fresh's commands and error, and each seed
// decoded after msg gives its own fresh decode's. Blocks are compared as
// printed (%+v: every field, a nil slice as an empty one, which a reused
// decoder's buffers leave).
func checkSMBReused(t *testing.T, msg []byte, fresh *SMB, seeds [][]byte) {
	t.Helper()
	var r SMB
	for _, seed := range seeds {
		_ = r.DecodeFromBytes(seed, gopacket.NilDecodeFeedback)
		// As the engine's tree tracker sets them between decodes.
		r.TreePath, r.TreeMappedIn = []byte(`\\SRV\IPC$`), 7
		err := r.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		if smbPrinted(r.Commands, err) != smbPrinted(fresh.Commands, fresh.Err) {
			t.Fatalf("reused after % x:\n%+v (%v)\nfresh:\n%+v (%v)", seed, r.Commands, err, fresh.Commands, fresh.Err)
		}
		if got, want := smbHeadPrinted(&r), smbHeadPrinted(fresh); got != want {
			t.Fatalf("reused after % x, the header:\n%s\nfresh:\n%s", seed, got, want)
		}
		var f SMB
		_ = f.DecodeFromBytes(seed, gopacket.NilDecodeFeedback)
		_ = r.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		err = r.DecodeFromBytes(seed, gopacket.NilDecodeFeedback)
		if smbPrinted(r.Commands, err) != smbPrinted(f.Commands, f.Err) {
			t.Fatalf("seed % x reused after the input:\n%+v\nfresh:\n%+v", seed, r.Commands, f.Commands)
		}
	}
}

// smbHeadPrinted prints what DecodeFromBytes sets outside the command
// blocks (the header, its length, the error; TreePath and TreeMappedIn,
// which it must clear).
func smbHeadPrinted(s *SMB) string {
	c := *s
	c.Commands, c.strBuf, c.dialects, c.Err = nil, nil, nil, nil
	c.skipText, c.skipBodies = false, false // the caller's settings
	return fmt.Sprintf("%+v %v", c, s.Err)
}

// checkSMBSkipBodies holds a decode with SkipBodies (and SkipText, as
// the engine sets them together) to the full one (fresh): the same
// errors and header, and the same blocks but for the bodies it may leave
// out: of the commands marked noErrors and of those it stops decoding
// after their last error (Negotiate, Session Setup, Tree Connect), of
// which only a tree connect request's form and path are kept, the tree
// tracker's.
func checkSMBSkipBodies(t *testing.T, msg []byte, fresh *SMB) {
	t.Helper()
	var full, r SMB
	full.SkipText(true)
	_ = full.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
	r.SkipText(true)
	r.SkipBodies(true)
	err := r.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
	if (err == nil) != (fresh.Err == nil) || err != nil && err.Error() != fresh.Err.Error() {
		t.Fatalf("SkipBodies: %v, want %v", err, fresh.Err)
	}
	if len(r.Commands) != len(full.Commands) {
		t.Fatalf("SkipBodies: %d blocks, want %d", len(r.Commands), len(full.Commands))
	}
	strip := func(cmds []SMBCommandBlock) []SMBCommandBlock {
		out := make([]SMBCommandBlock, len(cmds))
		for i := range cmds {
			b := &cmds[i]
			switch c := b.Command; {
			case smbCommands[c].noErrors, c == SMBComNegotiate, c == SMBComSessionSetupAndX, c == SMBComTreeConnectAndX:
				o := SMBCommandBlock{Command: b.Command, Off: b.Off, WordCount: b.WordCount, Words: b.Words,
					HasByteCount: b.HasByteCount, ByteCount: b.ByteCount, Bytes: b.Bytes,
					AndX: b.AndX, AndXCommand: b.AndXCommand, AndXReserved: b.AndXReserved, AndXOffset: b.AndXOffset,
					err: b.err}
				if b.Form == SMBFormTreeConnectRequest {
					o.Form, o.TreeConnectRequest.Path = b.Form, b.TreeConnectRequest.Path
				}
				out[i] = o
			default:
				out[i] = *b
			}
		}
		return out
	}
	if got, exp := smbPrinted(strip(r.Commands), err), smbPrinted(strip(full.Commands), full.Err); got != exp {
		t.Fatalf("SkipBodies:\n%s\nwant:\n%s", got, exp)
	}
	if got, exp := smbHeadPrinted(&r), smbHeadPrinted(&full); got != exp {
		t.Fatalf("SkipBodies, the header:\n%s\nwant:\n%s", got, exp)
	}
}

func smbPrinted(cmds []SMBCommandBlock, err error) string {
	out := fmt.Sprint(err)
	for _, b := range cmds {
		berr, terr := b.err, b.Trans.Err
		b.err, b.Trans.Err = nil, nil // pointers: printed by their text
		out += fmt.Sprintf("\n%+v %v %v", b, berr, terr)
	}
	return out
}

// checkSMBSkipText holds a decode with SkipText to the full one (fresh):
// the same blocks and errors, but for the Text of the strings only the
// tree and the info column show, which it leaves empty.
func checkSMBSkipText(t *testing.T, msg []byte, fresh *SMB) {
	t.Helper()
	var r SMB
	r.SkipText(true)
	err := r.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
	want := make([]SMBCommandBlock, len(fresh.Commands))
	copy(want, fresh.Commands)
	for i := range want {
		b := &want[i]
		for _, p := range []*SMBString{&b.NTCreate.FileName,
			&b.SessionSetupRequest.AccountName, &b.SessionSetupRequest.PrimaryDomain,
			&b.SessionSetupRequest.NativeOS, &b.SessionSetupRequest.NativeLanMan,
			&b.SessionSetupResponse.NativeOS, &b.SessionSetupResponse.NativeLanMan,
			&b.SessionSetupResponse.PrimaryDomain,
			&b.TreeConnectRequest.Service, &b.TreeConnectResponse.Service,
			&b.TreeConnectResponse.NativeFileSystem,
			&b.NegotiateResponse.DomainName, &b.NegotiateResponse.ServerName} {
			p.Text = nil
		}
	}
	if got, exp := smbPrinted(r.Commands, err), smbPrinted(want, fresh.Err); got != exp {
		t.Fatalf("SkipText:\n%s\nwant:\n%s", got, exp)
	}
}

// A command marked noErrors (SkipBodies leaves its decode out) has a
// decode that returns no error: on random messages of that command,
// request and response, Unicode or not, with every word count and random
// byte blocks. (Session Setup, whose decode can fail, fails this.)
func TestSMBNoErrorsDecodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for c := range smbCommands {
		cmd := &smbCommands[c]
		if !cmd.noErrors {
			continue
		}
		if cmd.decode == nil {
			t.Fatalf("command 0x%02x: noErrors without a decode", c)
		}
		for range 20000 {
			wc := rng.IntN(60)
			msg := make([]byte, smbHeaderLen+1+2*wc+2+rng.IntN(300))
			for i := range msg {
				msg[i] = byte(rng.IntN(256))
			}
			copy(msg, smbProtocolID)
			msg[4] = byte(c)
			msg[smbHeaderLen] = byte(wc)
			if wc > 0 {
				msg[smbHeaderLen+1] = 0xff // AndX: no chained command
			}
			var s SMB
			s.Contents = msg
			s.decodeHeader(msg)
			b := SMBCommandBlock{Command: SMBCommand(c), Off: smbHeaderLen, WordCount: byte(wc)}
			b.Words = msg[smbHeaderLen+1 : smbHeaderLen+1+2*wc]
			b.HasByteCount = true
			b.ByteCount = uint16(len(msg) - (smbHeaderLen + 1 + 2*wc + 2))
			b.bytesOff = smbHeaderLen + 1 + 2*wc + 2
			b.Bytes = msg[b.bytesOff:]
			b.extraOff = -1
			if err := cmd.decode(&s, &b); err != nil {
				t.Fatalf("command 0x%02x, % x: %v", c, msg, err)
			}
		}
	}
}

// A decoder reused after whole messages decodes every cut of every case
// (each length, so each early return of decodeBlock) as a fresh one does:
// decodeBlock writes every common field of a block on every path.
func TestSMBReusedCut(t *testing.T) {
	var r SMB
	// Before each cut: the whole case itself, and the case with the most
	// blocks (then the longest).
	most := smbHex(t, smbCases[0].msg)
	for _, c := range smbCases {
		m := smbHex(t, c.msg)
		var s SMB
		_ = s.DecodeFromBytes(m, gopacket.NilDecodeFeedback)
		var p SMB
		_ = p.DecodeFromBytes(most, gopacket.NilDecodeFeedback)
		if len(s.Commands) > len(p.Commands) || len(s.Commands) == len(p.Commands) && len(m) > len(most) {
			most = m
		}
	}
	for _, c := range smbCases {
		msg := smbHex(t, c.msg)
		for n := 0; n <= len(msg); n++ {
			for _, prev := range [][]byte{msg, most} {
				_ = r.DecodeFromBytes(prev, gopacket.NilDecodeFeedback)
				err := r.DecodeFromBytes(msg[:n], gopacket.NilDecodeFeedback)
				var f SMB
				ferr := f.DecodeFromBytes(msg[:n], gopacket.NilDecodeFeedback)
				if got, want := smbPrinted(r.Commands, err), smbPrinted(f.Commands, ferr); got != want {
					t.Fatalf("%s cut to %d after % x:\n%s\nfresh:\n%s", c.name, n, prev, got, want)
				}
			}
		}
	}
}
