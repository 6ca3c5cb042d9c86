package dissect

// Tests of the command bodies (smb_file.go, smb_readwrite.go,
// smb_nttrans.go, TRANSACTION2) against tshark -V for the same frames.

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
)

// smbNTCreateExtended is nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap
// frame 84: "84 0.348285 192.168.0.116 → 192.168.0.173 SMB 193 NT Create
// AndX Response, FID: 0xc006". WordCount says 42; tshark reads ByteCount
// after 100 bytes of words (smb.bcc 26972 from the last two bytes of this
// cut capture, which leaves the byte block short).
const smbNTCreateExtended = `
			ff 53 4d 42 a2 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 03 18 10 01 01 18 80 21
			2a ff 00 87 00 02 06 c0 01 00 00 00 d0 49 95 e7 9f 5c c0 01 7c 13 56 71 fb 3d c3 01 8c eb ba ef
			f8 3c c3 01 7c 13 56 71 fb 3d c3 01 80 00 00 00 00 c0 01 00 00 00 00 00 00 c0 01 00 00 00 00 00
			00 00 07 00 00 00 00 00 61 00 69 00 6c 00 62 00 6f 00 78 00 2e 00 50 00 41 00 42 00 00 bf 01 13
			00 00 00 00 00 5c 69
`

// TestSMBCommandBodies checks the typed values of the bodies of
// smb_file.go, smb_readwrite.go and smb_nttrans.go against tshark -V for the same frames.
func TestSMBCommandBodies(t *testing.T) {
	var s SMB
	decode := func(name string) *SMBCommandBlock {
		t.Helper()
		if err := s.DecodeFromBytes(smbCaseMsg(t, name), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return &s.Commands[0]
	}

	// tshark -V: Subcommand: QUERY_PATH_INFO (0x0005), Parameter Count: 8
	b := decode("Trans2 request QUERY_PATH_INFO, no name, padding before the parameters")
	if sub, ok := b.Trans.Subcommand(); b.Form != SMBFormTrans2 || !ok || sub != 5 || sub.String() != "QUERY_PATH_INFO" ||
		b.Trans.HasName || len(b.Trans.Params) != 8 || s.Trans() != nil {
		t.Errorf("trans2 request: form %d sub %v name %v params %x", b.Form, sub, b.Trans.HasName, b.Trans.Params)
	}
	if got := string(s.AppendInfo(nil)); got != "Trans2 Request, QUERY_PATH_INFO" {
		t.Errorf("trans2 info %q", got)
	}

	// tshark -V: Parameter Count: 2, Data Count: 40, Data Offset: 60
	b = decode("Trans2 response QUERY_PATH_INFO, padding before and between the blocks")
	if len(b.Trans.Params) != 2 || len(b.Trans.Data) != 40 || b.Trans.DataOffset != 60 {
		t.Errorf("trans2 response: params %d data %d", len(b.Trans.Params), len(b.Trans.Data))
	}

	// tshark -V: FID: 0x802e, Offset: 0, Write Mode: 0x0008, Remaining:
	// 72, Data Length Low: 72, Data Offset: 64, Padding: ee; DCE/RPC Bind,
	// FragLen: 72
	b = decode("write andx request WCT 14, one pad byte before the data")
	w := &b.WriteAndXRequest
	if b.Form != SMBFormWriteAndXRequest || w.FID != 0x802e || w.FileOffset() != 0 || w.WriteMode != 8 ||
		w.Remaining != 72 || w.Length() != 72 || w.DataOffset != 64 || hex.EncodeToString(w.Padding) != "ee" ||
		len(w.Data) != 72 || w.DataOff != 64 || w.Data[0] != 5 {
		t.Errorf("write andx = %+v", *w)
	}
	if got := string(s.AppendInfo(nil)); got != "Write AndX Request, FID: 0x802e, 72 bytes at offset 0" {
		t.Errorf("write andx info %q", got)
	}

	// tshark -V: Data Length Low: 68, Data Offset: 60, Padding: 00;
	// DCE/RPC Bind_ack, FragLen: 68
	b = decode("read andx response, one pad byte before the data")
	r := &b.ReadAndXResponse
	if b.Form != SMBFormReadAndXResponse || r.Length() != 68 || r.DataOffset != 60 || hex.EncodeToString(r.Padding) != "00" ||
		len(r.Data) != 68 || r.DataOff != 60 {
		t.Errorf("read andx = %+v", *r)
	}
	if got := string(s.AppendInfo(nil)); got != "Read AndX Response, 68 bytes" {
		t.Errorf("read andx info %q", got)
	}

	// tshark -V: Function: NT IOCTL (2), Setup Count: 4, Max Data Count:
	// 16, FID: 0x000b (in the setup words)
	b = decode("NT trans request NT IOCTL, padding up to ParameterOffset")
	n := &b.NTTrans
	if b.Form != SMBFormNTTrans || !n.Request || n.Function != 2 || n.Function.String() != "NT IOCTL" ||
		n.SetupCount != 4 || len(n.Setup) != 8 || binary.LittleEndian.Uint16(n.Setup[4:]) != 0x000b || n.MaxDataCount != 16 {
		t.Errorf("nt trans request = %+v", *n)
	}
	if got := string(s.AppendInfo(nil)); got != "NT Trans Request, NT IOCTL" {
		t.Errorf("nt trans info %q", got)
	}

	// tshark -V: Total Data Count: 16, Data Offset: 80, Setup Count: 4
	b = decode("NT trans response NT IOCTL with data")
	n = &b.NTTrans
	if n.Request || n.TotalDataCount != 16 || len(n.Data) != 16 || n.DataOffset != 80 || len(n.Setup) != 8 {
		t.Errorf("nt trans response = %+v", *n)
	}

	// A response whose parameters run past the message: tshark shows no
	// padding (a crafted response, ParameterCount 40 at offset 72 of 76
	// bytes: "NT Trans Response, <unknown>[BoundError]", no smb.padding).
	long := append([]byte(nil), smbCaseMsg(t, "NT trans response NT IOCTL with data")...)
	binary.LittleEndian.PutUint32(long[33+11:], 40) // ParameterCount; ParameterOffset is 80 of 96
	if err := s.DecodeFromBytes(long, nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("NT trans response with long parameters: err %v", err)
	}
	var ptr Tree
	s.AppendTree(&ptr)
	if id, _ := LookupField("smb.padding"); smbFieldText(&ptr, id) != "" {
		t.Errorf("NT trans response with long parameters: padding %q, tshark none", smbFieldText(&ptr, id))
	}

	// The extended NT Create response: ByteCount read after 100 bytes.
	// Windows Server 2003 sends garbage there with nothing after it (frame
	// 84 of the zeek mapi capture); tshark shows the count and clamps it
	// without an error, and so does the decoder (ntCreateResponse).
	err := s.DecodeFromBytes(smbHex(t, smbNTCreateExtended), nil)
	if err != nil || len(s.Commands[0].Words) != 100 || s.Commands[0].ByteCount != 26972 ||
		s.Commands[0].NTCreate.FID != 0xc006 {
		t.Errorf("NT create extended: err %v words %d bcc %d", err, len(s.Commands[0].Words), s.Commands[0].ByteCount)
	}
	var tr Tree
	s.AppendTree(&tr)
	if id, _ := LookupField("smb.bcc"); smbFieldText(&tr, id) != "26972" {
		t.Errorf("NT create extended bcc %q, tshark 26972", smbFieldText(&tr, id))
	}
}

// TestSMBCommandBodiesMalformed: lying counts and offsets in the bodies
// of smb_nttrans.go are errors, and the tree still ends in the note.
func TestSMBCommandBodiesMalformed(t *testing.T) {
	ntreq := smbCaseMsg(t, "NT trans request NT IOCTL, padding up to ParameterOffset") // words at 33: ParameterCount 52, ParameterOffset 56, DataCount 60, DataOffset 64, SetupCount 68; bytes 81..84
	ntresp := smbCaseMsg(t, "NT trans response NT IOCTL with data")                    // DataCount 56, DataOffset 60; bytes 79..96
	trans2 := smbCaseMsg(t, "Trans2 request QUERY_PATH_INFO, no name, padding before the parameters")
	read := smbCaseMsg(t, "read andx response, one pad byte before the data") // ByteCount at 57
	set32 := func(b []byte, off int, v uint32) []byte {
		c := append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(c[off:], v)
		return c
	}
	for _, c := range []struct {
		name  string
		msg   []byte
		is    error
		field string
	}{
		{"nt trans setup count disagrees with word count", smbSet8(ntreq, 68, 3), ErrMalformed, "nt trans setup count"},
		{"nt trans parameters past ByteCount", set32(ntreq, 52, 10), ErrMalformed, "nt trans parameter block"},
		{"nt trans parameter offset huge", set32(set32(ntreq, 52, 1), 56, 0xffffffff), ErrMalformed, "nt trans parameter block"},
		{"nt trans data before the byte block", set32(ntresp, 60, 40), ErrMalformed, "nt trans data block"},
		{"nt trans data count huge", set32(ntresp, 56, 0xfffffff0), ErrMalformed, "nt trans data block"},
		{"nt trans words cut", ntreq[:60], ErrTruncated, "NT Trans parameter words"},
		{"trans2 parameters past ByteCount", smbSet16(trans2, 51, 20), ErrMalformed, "trans parameter block"},
		{"read andx byte block cut", read[:70], ErrTruncated, "Read AndX byte block"},
		{"NT create extended response cut before ByteCount", smbHex(t, smbNTCreateExtended)[:120], ErrTruncated, "NT Create AndX parameter words"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			err := s.DecodeFromBytes(c.msg, gopacket.NilDecodeFeedback)
			if !errors.Is(err, c.is) {
				t.Fatalf("err = %v, want %v", err, c.is)
			}
			if s.Err != err || !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q (Err %v) does not name %q", err, s.Err, c.field)
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

// TestSMBCommandBodiesAllocs: the new bodies decode, print and fill the
// info column without allocating once warmed up.
func TestSMBCommandBodiesAllocs(t *testing.T) {
	var s SMB
	var tr Tree
	var info []byte
	for _, name := range []string{
		"Trans2 request QUERY_PATH_INFO, no name, padding before the parameters",
		"Trans2 response QUERY_PATH_INFO, padding before and between the blocks",
		"write andx request WCT 14, one pad byte before the data",
		"read andx response, one pad byte before the data",
		"NT trans request NT IOCTL, padding up to ParameterOffset",
		"NT trans response NT IOCTL with data",
	} {
		msg := smbCaseMsg(t, name)
		if n := testing.AllocsPerRun(50, func() {
			if err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			s.AppendTree(&tr)
			info = s.AppendInfo(info[:0])
		}); n != 0 {
			t.Errorf("%s: %v allocations per run", name, n)
		}
	}
}

func BenchmarkSMBDecodeNTTrans(b *testing.B) {
	msg := smbCaseMsg(b, "NT trans response NT IOCTL with data")
	var s SMB
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		tr.Reset()
		s.AppendTree(&tr)
	}
}

// An oplock break acknowledgement (Locking AndX request, LockType 0x02):
// frame 307 of smb_SMIA20111010-one-rigid1_maxdiff-1000.pcap
// (vs-uulm/nemesys, SMIA 2011 traffic), the SMB message after its NBSS
// header. tshark: "Locking AndX Request, FID: 0x8001", smb.fid 0x8001,
// smb.lock.type 0x02, smb.locking.oplock.level 1, smb.timeout 0.
const smbLockingOplockBreak = `
ff534d4224000000000000000000000000000000000000000208ffff0000ffff
08 ff00 0000 0180 02 01 00000000 0000 0000 0000`

func TestSMBLockingAndXRequest(t *testing.T) {
	var s SMB
	if err := s.DecodeFromBytes(smbHex(t, smbLockingOplockBreak), gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	b := &s.Commands[0]
	r := &b.LockingAndXRequest
	if b.Form != SMBFormLockingAndXRequest || r.FID != 0x8001 || r.LockType != 2 || r.OplockLevel != 1 || r.Timeout != 0 ||
		r.NumberOfUnlocks != 0 || r.NumberOfLocks != 0 {
		t.Fatalf("form %d, %+v", b.Form, *r)
	}
	var tr Tree
	s.AppendTree(&tr)
	smbWantFields(t, &tr, "oplock break", map[string]string{"smb.fid": "0x8001", "smb.lock.type": "0x02",
		"smb.locking.oplock.level": "1", "smb.timeout": "0"})
	if info := string(s.AppendInfo(nil)); info != "Locking AndX Request, FID: 0x8001" {
		t.Errorf("info %q", info)
	}
}

// Read AndX and Close requests and the NT Create AndX response's FID, on
// the zeek mapi capture of ../shared/pcaps; the values are tshark's
// (tshark -T fields -e smb.fid -e smb.offset -e smb.maxcount_low
// -e smb.mincount -e smb.maxcount_high -e smb.remaining -e smb.offset_high).
func TestSMBFIDCommands(t *testing.T) {
	smbCheckFrames(t, "../../shared/pcaps/nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap", map[int]smbFrameWant{
		35: {"Close Request, FID: 0xc00f", map[string]string{"smb.fid": "0xc00f"}},
		84: {"NT Create AndX Response, FID: 0xc006", map[string]string{"smb.fid": "0xc006"}},
		87: {"Read AndX Request, FID: 0xc006, 4096 bytes at offset 0", map[string]string{"smb.fid": "0xc006",
			"smb.offset": "0", "smb.maxcount_low": "4096", "smb.mincount": "4096", "smb.maxcount_high": "0",
			"smb.remaining": "4096", "smb.offset_high": "0"}},
	})
}

// smbFrameWant is what tshark shows of one SMB message: its info ("" to
// leave it unchecked) and field values.
type smbFrameWant struct {
	info   string
	fields map[string]string
}

// smbCheckFrames decodes the SMB messages of the capture at path and
// checks those of the frames in want.
func smbCheckFrames(t *testing.T, path string, want map[int]smbFrameWant) {
	t.Helper()
	msgs, _ := smbCaptureMessages(t, path)
	seen := 0
	for _, m := range msgs {
		w, ok := want[m.frame]
		if !ok {
			continue
		}
		seen++
		var s SMB
		if err := s.DecodeFromBytes(m.data, gopacket.NilDecodeFeedback); err != nil {
			t.Errorf("frame %d: %v", m.frame, err)
			continue
		}
		if info := string(s.AppendInfo(nil)); w.info != "" && info != w.info {
			t.Errorf("frame %d: info %q, tshark %q", m.frame, info, w.info)
		}
		var tr Tree
		s.AppendTree(&tr)
		smbWantFields(t, &tr, "frame "+strconv.Itoa(m.frame), w.fields)
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d frames", seen, len(want))
	}
}

// NT Transact's 32-bit parameter and data offsets are tshark's smb.po and
// smb.data_offset, as on the trans commands; the setup words, which
// tshark decodes per function, are nbtsniff's own field. The values are
// tshark's on the SMIA capture of ../shared/pcaps (tshark -T fields
// -e smb.data_offset -e smb.po -e smb.pc -e smb.dc -e smb.sc -e smb.tdc
// -e smb.nt.function).
func TestSMBNTTransOffsets(t *testing.T) {
	smbCheckFrames(t, "../../shared/pcaps/nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap", map[int]smbFrameWant{
		260: {"", map[string]string{"smb.data_offset": "0", "smb.po": "84", "smb.pc": "0", "smb.dc": "0", "smb.sc": "4", "smb.tdc": "0",
			"smb.nt.function": "4", "nbtsniff.smb.setup": "1700000003c00000"}},
		// A response: tshark takes its function (2) from the request.
		268: {"", map[string]string{"smb.data_offset": "80", "smb.po": "80", "smb.pc": "0", "smb.dc": "16", "smb.sc": "4", "smb.tdc": "16"}},
	})
}

// smbWantFields checks the text of each field in want (tshark's values)
// in tr; what names the message in errors.
func smbWantFields(t *testing.T, tr *Tree, what string, want map[string]string) {
	t.Helper()
	for f, v := range want {
		id, ok := LookupField(f)
		if !ok {
			t.Fatalf("%s: field %s is not registered", what, f)
		}
		if got := smbFieldText(tr, id); got != v {
			t.Errorf("%s: %s = %q, tshark %q", what, f, got, v)
		}
	}
}
