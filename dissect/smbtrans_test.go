package dissect

// Tests of SMB_COM_TRANSACTION and SMB_COM_TRANSACTION_SECONDARY: the typed
// Trans values on real frames (expected values from tshark 4.0.17: smb.*
// and the lanman/mailslot fields of the same frames), and the placement of
// the blocks and of tshark's padding on the shapes the real captures lack
// (data before parameters, a response piece, a secondary request). Those
// are crafted messages that were written to a pcap and dissected by tshark
// 4.0.17; its output is what the cases expect.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/gopacket/gopacket"
)

var smbTransCases = []smbCase{
	{
		name: "request, padding before the parameters and before the data",
		// crafted, dissected by tshark 4.0.17 as: frame 1: 10.0.0.1 → 10.0.0.2     SMB 139 Trans Request
		msg: `
			ff 53 4d 42 25 00 00 00 00 18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			0e 04 00 04 00 08 00 e8 03 00 00 00 00 88 13 00 00 00 00 04 00 47 00 04 00 4d 00 00 00 12 00 5c
			58 59 5a 00 aa aa aa 50 50 50 50 aa aa 44 44 44 44
		`,
		info: "Trans Request",
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "14",
			"smb.bcc":         "18",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "1",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "0",
			"smb.mid":         "0",
			"smb.flags":       "0x18",
			"smb.flags2":      "0x0001",
			"smb.padding":     "aaaaaa,aaaa",
			"smb.timeout":     "5000",
			"smb.msc":         "0",
			"smb.tpc":         "4",
			"smb.tdc":         "4",
			"smb.mpc":         "8",
			"smb.mdc":         "1000",
			"smb.pc":          "4",
			"smb.po":          "71",
			"smb.dc":          "4",
			"smb.sc":          "0",
			"smb.trans_name":  `\XYZ`,
		},
	},
	{
		name: "response piece, padding, continuation",
		// crafted, dissected by tshark 4.0.17 as: frame 4: 10.0.0.2 → 10.0.0.1     SMB 156 Trans Response[transact continuation]
		msg: `
			ff 53 4d 42 25 00 00 00 00 98 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			0a 08 00 64 00 00 00 00 00 38 00 08 00 28 00 3a 00 04 00 00 00 2b 00 aa aa aa 44 44 44 44 44 44
			44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44
			44 44
		`,
		info: "Trans Response[transact continuation]",
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "10",
			"smb.bcc":         "43",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "1",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "0",
			"smb.mid":         "0",
			"smb.flags":       "0x98",
			"smb.flags2":      "0x0001",
			"smb.padding":     "aa,aaaa",
			"smb.tpc":         "8",
			"smb.tdc":         "100",
			"smb.pd":          "8",
			"smb.pc":          "0",
			"smb.po":          "56",
			"smb.dc":          "40",
			"smb.data_disp":   "4",
			"smb.sc":          "0",
		},
	},
	{
		name: "secondary request",
		// crafted, dissected by tshark 4.0.17 as: frame 5: 10.0.0.1 → 10.0.0.2     SMB 118 Trans Secondary Request
		msg: `
			ff 53 4d 42 26 00 00 00 00 18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			08 14 00 1e 00 04 00 35 00 04 00 03 00 39 00 0a 00 09 00 aa aa 50 50 50 50 44 44 44
		`,
		info: "Trans Secondary Request",
		want: map[string]string{
			"smb.cmd":         "0x26",
			"smb.wct":         "8",
			"smb.bcc":         "9",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "1",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "0",
			"smb.mid":         "0",
			"smb.flags":       "0x18",
			"smb.flags2":      "0x0001",
			"smb.padding":     "aaaa,50505050",
			"smb.tpc":         "20",
			"smb.tdc":         "30",
			"smb.pd":          "4",
			"smb.pc":          "4",
			"smb.po":          "53",
			"smb.dc":          "3",
			"smb.data_disp":   "10",
		},
	},
	{
		name: "request, data before parameters",
		// crafted, dissected by tshark 4.0.17 as: frame 3: 10.0.0.1 → 10.0.0.2     SMB 142 Trans Request
		msg: `
			ff 53 4d 42 25 00 00 00 00 18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			0e 02 00 02 00 08 00 e8 03 00 00 00 00 88 13 00 00 00 00 02 00 52 00 02 00 4e 00 00 00 15 00 5c
			50 49 50 45 5c 4c 41 4e 4d 41 4e 00 aa aa 44 44 aa aa 50 50
		`,
		info: "Trans Request",
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "14",
			"smb.bcc":         "21",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "1",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "0",
			"smb.mid":         "0",
			"smb.flags":       "0x18",
			"smb.flags2":      "0x0001",
			"smb.padding":     "aaaa4444aaaa",
			"smb.timeout":     "5000",
			"smb.msc":         "0",
			"smb.tpc":         "2",
			"smb.tdc":         "2",
			"smb.mpc":         "8",
			"smb.mdc":         "1000",
			"smb.pc":          "2",
			"smb.po":          "82",
			"smb.dc":          "2",
			"smb.sc":          "0",
			"smb.trans_name":  `\PIPE\LANMAN`,
		},
	},
}

func TestTransCraftedShapes(t *testing.T) {
	fields := smbRequiredFields()
	for _, c := range smbTransCases {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			if err := s.DecodeFromBytes(smbHex(t, c.msg), gopacket.NilDecodeFeedback); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			var tr Tree
			s.AppendTree(&tr)
			for _, f := range fields {
				if f == "smb.flags" || f == "smb.flags2" || f == "smb.pid" || f == "smb.tid" || f == "smb.uid" ||
					f == "smb.mid" || f == "smb.pid.high" || f == "smb.nt_status" || f == "smb.error_class" ||
					f == "smb.error_code" || bytes.HasPrefix([]byte(f), []byte("smb.flags")) {
					continue // header fields: covered by the real cases
				}
				id, _ := LookupField(f)
				if got := smbFieldText(&tr, id); got != c.want[f] {
					t.Errorf("%s = %q, tshark %q", f, got, c.want[f])
				}
			}
			if got := smbEscape(s.AppendInfo(nil)); got != c.info {
				t.Errorf("info = %q, tshark %q", got, c.info)
			}
		})
	}
}

// TestTransBlocks checks that the blocks are taken by offset and count,
// whatever the padding.
func TestTransBlocks(t *testing.T) {
	var s SMB
	for _, c := range []struct {
		name         string
		params, data string
	}{
		{"request, padding before the parameters and before the data", "50505050", "44444444"},
		{"response piece, padding, continuation", "", "44444444444444444444444444444444444444444444444444444444444444444444444444444444"},
		{"secondary request", "50505050", "444444"},
		{"request, data before parameters", "5050", "4444"},
	} {
		for _, k := range smbTransCases {
			if k.name != c.name {
				continue
			}
			if err := s.DecodeFromBytes(smbHex(t, k.msg), nil); err != nil {
				t.Fatal(err)
			}
			tr := s.Trans()
			if got := hexString(tr.Params); got != c.params {
				t.Errorf("%s: params %s, want %s", c.name, got, c.params)
			}
			if got := hexString(tr.Data); got != c.data {
				t.Errorf("%s: data %s, want %s", c.name, got, c.data)
			}
		}
	}
}

func hexString(b []byte) string {
	const h = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, h[c>>4], h[c&0xf])
	}
	return string(out)
}

// TestTransRealFrames checks the Trans values the mailslot, browser and
// RAP decoders read, on real frames, against tshark's view of them.
func TestTransRealFrames(t *testing.T) {
	var s SMB
	decode := func(name string) *Trans {
		t.Helper()
		if err := s.DecodeFromBytes(smbCaseMsg(t, name), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tr := s.Trans()
		if tr == nil {
			t.Fatalf("%s: no transaction", name)
		}
		return tr
	}

	tr := decode(`trans request, Unicode \PIPE\LANMAN, padding`)
	// tshark frame 246: smb.tpc 26, smb.mdc 4374, smb.timeout 5000, smb.po 92,
	// smb.trans_name \PIPE\LANMAN; lanman.function_code 104 (NetServerEnum2),
	// lanman.param_desc WrLehDO, lanman.ret_desc B16BBDz
	if !tr.Request || tr.Secondary || tr.TotalParamCount != 26 || tr.MaxDataCount != 4374 || tr.Timeout != 5000 ||
		tr.ParamOffset != 92 || string(tr.Name) != `\PIPE\LANMAN` || !tr.Unicode || tr.NameOff != 64 || tr.NameLen != 26 ||
		len(tr.Params) != 26 || binary.LittleEndian.Uint16(tr.Params) != 104 || string(tr.Params[2:10]) != "WrLehDO\x00" ||
		string(tr.Params[10:18]) != "B16BBDz\x00" || len(tr.Data) != 0 || tr.IsFragment() {
		t.Errorf("NetServerEnum2 request: %+v", *tr)
	}

	tr = decode(`trans request over UDP 138, \MAILSLOT\BROWSE`)
	// tshark frame 88: smb.sc 3, smb.dc 33, smb.data_offset 86;
	// mailslot.opcode 1, mailslot.priority 0, mailslot.class 2,
	// mailslot.name \MAILSLOT\BROWSE; browser.command 0x01
	if tr.SetupCount != 3 || hexString(tr.Setup) != "010000000200" || tr.SetupOff != 61 || string(tr.Name) != `\MAILSLOT\BROWSE` ||
		tr.Unicode || tr.DataOffset != 86 || len(tr.Data) != 33 || tr.Data[0] != 0x01 || tr.OneWay() {
		t.Errorf("mailslot: %+v", *tr)
	}

	tr = decode("trans response")
	// tshark frame 247: smb.tpc 8, smb.tdc 54; lanman.status 0,
	// lanman.convert 0, lanman.entry_count 2, lanman.available_count 2
	if tr.Request || tr.TotalParamCount != 8 || tr.TotalDataCount != 54 || len(tr.Params) != 8 || len(tr.Data) != 54 ||
		binary.LittleEndian.Uint16(tr.Params) != 0 || binary.LittleEndian.Uint16(tr.Params[2:]) != 0 ||
		binary.LittleEndian.Uint16(tr.Params[4:]) != 2 || binary.LittleEndian.Uint16(tr.Params[6:]) != 2 {
		t.Errorf("NetServerEnum2 response: %+v", *tr)
	}

	tr = decode("trans response, continuation")
	// tshark frame 931: smb.pd 8, smb.dc 652, smb.data_disp 644, smb.tdc 3058
	if tr.ParamDisplacement != 8 || tr.DataDisplacement != 644 || len(tr.Data) != 652 || tr.TotalDataCount != 3058 || !tr.IsFragment() {
		t.Errorf("continuation: %+v", *tr)
	}

	tr = decode("trans request, OEM name, no padding")
	// tshark frame 128 (NetBEUI): smb.bcc 32, smb.pc 19, smb.po 76, no
	// smb.padding; lanman.function_code 0 (NetShareEnum), lanman.param_desc WrLeh
	if string(tr.Name) != `\PIPE\LANMAN` || tr.Unicode || len(tr.Params) != 19 || tr.ParamOffset != 76 ||
		binary.LittleEndian.Uint16(tr.Params) != 0 || string(tr.Params[2:8]) != "WrLeh\x00" {
		t.Errorf("NetShareEnum request: %+v", *tr)
	}
}

// TestTransErrorsKeepDecodedPart: a transaction whose block is outside the
// byte block keeps its counts, and both SMB.Err and Trans.Err report it.
func TestTransErrorsKeepDecodedPart(t *testing.T) {
	msg := smbCaseMsg(t, `trans request, Unicode \PIPE\LANMAN, padding`)
	msg = smbSet16(msg, 51, 200) // ParameterCount 200: past ByteCount
	var s SMB
	err := s.DecodeFromBytes(msg, nil)
	tr := s.Trans()
	if !errors.Is(err, ErrMalformed) || tr == nil || tr.Err != err || tr.ParamCount != 200 || tr.TotalParamCount != 26 ||
		string(tr.Name) != `\PIPE\LANMAN` || tr.Params != nil {
		t.Fatalf("err %v, trans %+v", err, tr)
	}
	var tree Tree
	s.AppendTree(&tree)
	id, _ := LookupField("smb.pc")
	if smbFieldText(&tree, id) != "200" {
		t.Errorf("decoded part not shown")
	}
}

// TestTransByteCountDisagrees: a ByteCount too small for the blocks its
// transaction's words place, or past the end of the message, is no error
// when the blocks are all in the message: they are read where their
// offsets say (tshark reads them so), with a note. The mailslot frame of
// TestTransRealFrames with ByteCount set to 10 and to 200 (the words end
// at header offset 33+2*17: ByteCount at 67).
func TestTransByteCountDisagrees(t *testing.T) {
	for _, bcc := range []uint16{10, 200} {
		msg := smbSet16(smbCaseMsg(t, `trans request over UDP 138, \MAILSLOT\BROWSE`), 67, bcc)
		var s SMB
		if err := s.DecodeFromBytes(msg, nil); err != nil {
			t.Fatalf("ByteCount %d: %v", bcc, err)
		}
		tr := s.Trans()
		if tr == nil || !tr.BeyondByteCount || string(tr.Name) != `\MAILSLOT\BROWSE` || len(tr.Data) != 33 || tr.Data[0] != 0x01 {
			t.Fatalf("ByteCount %d: trans %+v", bcc, tr)
		}
		var tree Tree
		s.AppendTree(&tree)
		if smbFieldText(&tree, FieldExpert) == "" {
			t.Errorf("ByteCount %d: no nbtsniff.expert note", bcc)
		}
	}
	// The real frame itself: no note.
	var s SMB
	if err := s.DecodeFromBytes(smbCaseMsg(t, `trans request over UDP 138, \MAILSLOT\BROWSE`), nil); err != nil || s.Trans().BeyondByteCount {
		t.Errorf("real frame: err %v, BeyondByteCount %v", err, s.Trans().BeyondByteCount)
	}
}
