package dissect

// SMB_COM_NT_TRANSACT (0xA0, [MS-CIFS] §2.2.4.62) and its secondary (0xA1,
// §2.2.4.63): 32-bit counts and offsets, the function and setup words, the
// padding around the parameter and data blocks. The function's parameters
// and data are shown raw.
//
// Byte order: little-endian.
//
// NT Transact request words (WordCount 19 + SetupCount):
//
//	 0 MaxSetupCount(1)  1 Reserved1(2)     3 TotalParameterCount(4)
//	 7 TotalDataCount(4) 11 MaxParameterCount(4) 15 MaxDataCount(4)
//	19 ParameterCount(4) 23 ParameterOffset(4) 27 DataCount(4)
//	31 DataOffset(4)    35 SetupCount(1)   36 Function   38 Setup
//	bytes: Pad1, Parameters, Pad2, Data
//
// NT Transact response (WordCount 18 + SetupCount) and secondary request
// (WordCount 18) words:
//
//	 0 Reserved1(3)      3 TotalParameterCount(4) 7 TotalDataCount(4)
//	11 ParameterCount(4) 15 ParameterOffset(4) 19 ParameterDisplacement(4)
//	23 DataCount(4)     27 DataOffset(4)   31 DataDisplacement(4)
//	35 SetupCount(1) (Reserved2 in a secondary) 36 Setup
//
// The padding is shown as tshark shows it: the bytes from the end of the
// words (or of the parameters) up to ParameterOffset (DataOffset), never
// past the byte block.

import (
	"encoding/binary"
	"strconv"
)

// NTTransactFunction is the Function of an SMB_COM_NT_TRANSACT request
// ([MS-CIFS] §2.2.7). String gives Wireshark's name.
type NTTransactFunction uint16

var ntTransNames = [...]string{
	1: "NT CREATE", 2: "NT IOCTL", 3: "NT SET SECURITY DESC", 4: "NT NOTIFY",
	5: "NT RENAME", 6: "NT QUERY SECURITY DESC", 7: "NT GET USER QUOTA", 8: "NT SET USER QUOTA",
}

// String is Wireshark's name of the function, or "Unknown (0x0009)".
func (f NTTransactFunction) String() string { return string(f.appendName(nil)) }

func (f NTTransactFunction) appendName(b []byte) []byte {
	if int(f) < len(ntTransNames) && ntTransNames[f] != "" {
		return append(b, ntTransNames[f]...)
	}
	b = append(b, "Unknown (0x"...)
	return append(appendHex16(b, uint16(f)), ')')
}

// NTTrans is a decoded SMB_COM_NT_TRANSACT request or response, or an
// SMB_COM_NT_TRANSACT_SECONDARY request ([MS-CIFS] §2.2.4.62, §2.2.4.63).
// Counts and offsets are 32-bit; Setup, Params and Data alias the message.
type NTTrans struct {
	Request   bool
	Secondary bool

	MaxSetupCount     uint8 // request
	TotalParamCount   uint32
	TotalDataCount    uint32
	MaxParamCount     uint32 // request
	MaxDataCount      uint32 // request
	ParamCount        uint32
	ParamOffset       uint32
	ParamDisplacement uint32 // response and secondary
	DataCount         uint32
	DataOffset        uint32
	DataDisplacement  uint32 // response and secondary
	SetupCount        uint8
	Function          NTTransactFunction // request

	Setup  []byte
	Params []byte
	Data   []byte

	wordsOff int
	pad1Off  int
	pad1Len  int
	pad2Off  int
	pad2Len  int
}

func (s *SMB) decodeNTTrans(b *SMBCommandBlock) error {
	tr := &b.NTTrans
	*tr = NTTrans{Request: !s.IsResponse(), Secondary: b.Command == SMBComNTTransactSecondary}
	tr.wordsOff = b.Off + 1
	w := b.Words
	wc := int(b.WordCount)
	u32 := func(i int) uint32 { return binary.LittleEndian.Uint32(w[i:]) }
	setupAt := 0
	switch {
	case tr.Secondary:
		if wc != 18 {
			return nil // shown undecoded
		}
		tr.TotalParamCount, tr.TotalDataCount = u32(3), u32(7)
		tr.ParamCount, tr.ParamOffset, tr.ParamDisplacement = u32(11), u32(15), u32(19)
		tr.DataCount, tr.DataOffset, tr.DataDisplacement = u32(23), u32(27), u32(31)
	case tr.Request:
		if wc < 19 {
			return nil
		}
		tr.MaxSetupCount = w[0]
		tr.TotalParamCount, tr.TotalDataCount = u32(3), u32(7)
		tr.MaxParamCount, tr.MaxDataCount = u32(11), u32(15)
		tr.ParamCount, tr.ParamOffset = u32(19), u32(23)
		tr.DataCount, tr.DataOffset = u32(27), u32(31)
		tr.SetupCount = w[35]
		tr.Function = NTTransactFunction(binary.LittleEndian.Uint16(w[36:]))
		setupAt = 38
	default:
		if wc < 18 {
			return nil
		}
		tr.TotalParamCount, tr.TotalDataCount = u32(3), u32(7)
		tr.ParamCount, tr.ParamOffset, tr.ParamDisplacement = u32(11), u32(15), u32(19)
		tr.DataCount, tr.DataOffset, tr.DataDisplacement = u32(23), u32(27), u32(31)
		tr.SetupCount = w[35]
		setupAt = 36
	}
	b.Form = SMBFormNTTrans
	b.bytesOff = b.End()
	if setupAt > 0 {
		if setupAt+2*int(tr.SetupCount) != len(w) {
			return Malformed("smb", "nt trans setup count", tr.wordsOff+35, "setup count "+strconv.Itoa(int(tr.SetupCount))+" does not match word count "+strconv.Itoa(wc))
		}
		tr.Setup = w[setupAt:]
	}

	// tshark's walk of the byte block: padding up to ParameterOffset,
	// the parameters, padding up to DataOffset, the data; each step
	// stops at the end of the byte block.
	d := s.Contents
	start, end := b.BytesOff(), b.End()
	off := start
	po, do := uint64(tr.ParamOffset), uint64(tr.DataOffset)
	if !tr.Request && po+uint64(tr.ParamCount) > uint64(len(d)) {
		// tshark cuts the parameters out of a response before it shows
		// the padding, and stops there when they run past the message
		// (a crafted response with ParameterCount 40 at offset 72 of a
		// 76-byte message: no padding, "[BoundError]").
		end = off
	}
	if po > uint64(off) && off < end {
		tr.pad1Off, tr.pad1Len = off, int(min(po, uint64(end)))-off
		off += tr.pad1Len
	}
	if uint64(tr.ParamCount) <= uint64(end-off) {
		// (tshark stops walking when the parameters do not fit)
		off += int(tr.ParamCount)
		if do > uint64(off) && off < end {
			tr.pad2Off, tr.pad2Len = off, int(min(do, uint64(end)))-off
		}
	}
	// The blocks by offset and count, inside the byte block.
	poWord, doWord := 15, 27
	if tr.Request && !tr.Secondary {
		poWord, doWord = 23, 31
	}
	if tr.ParamCount > 0 {
		if po < uint64(start) || po+uint64(tr.ParamCount) > uint64(end) {
			return Malformed("smb", "nt trans parameter block", tr.wordsOff+poWord, blockRange(int(min(po, 1<<31)), int(min(tr.ParamCount, 1<<31)), start, end))
		}
		tr.Params = d[po : po+uint64(tr.ParamCount)]
	}
	if tr.DataCount > 0 {
		if do < uint64(start) || do+uint64(tr.DataCount) > uint64(end) {
			return Malformed("smb", "nt trans data block", tr.wordsOff+doWord, blockRange(int(min(do, 1<<31)), int(min(tr.DataCount, 1<<31)), start, end))
		}
		tr.Data = d[do : do+uint64(tr.DataCount)]
	}
	return nil
}

func (s *SMB) treeNTTrans(t *Tree, b *SMBCommandBlock) {
	w := b.Off + 1
	tr := &b.NTTrans
	switch {
	case tr.Request && !tr.Secondary:
		t.Uint(fSMBMaxSetupCount, w, 1, uint64(tr.MaxSetupCount))
		t.Bytes(fSMBReserved, w+1, 2, b.Words[1:3])
		t.Uint(fSMBTotalParamCount, w+3, 4, uint64(tr.TotalParamCount))
		t.Uint(fSMBTotalDataCount, w+7, 4, uint64(tr.TotalDataCount))
		t.Uint(fSMBMaxParamCount, w+11, 4, uint64(tr.MaxParamCount))
		t.Uint(fSMBMaxDataCount, w+15, 4, uint64(tr.MaxDataCount))
		t.Uint(fSMBParamCount, w+19, 4, uint64(tr.ParamCount))
		t.Uint(fSMBParamOffset, w+23, 4, uint64(tr.ParamOffset))
		t.Uint(fSMBDataCount, w+27, 4, uint64(tr.DataCount))
		t.Uint(fSMBDataOffset, w+31, 4, uint64(tr.DataOffset))
		t.Uint(fSMBSetupCount, w+35, 1, uint64(tr.SetupCount))
		t.Uint(fSMBNTFunction, w+36, 2, uint64(tr.Function))
		if len(tr.Setup) > 0 {
			t.Bytes(fSMBSetupWords, w+38, len(tr.Setup), tr.Setup)
		}
	default:
		t.Bytes(fSMBReserved, w, 3, b.Words[0:3])
		t.Uint(fSMBTotalParamCount, w+3, 4, uint64(tr.TotalParamCount))
		t.Uint(fSMBTotalDataCount, w+7, 4, uint64(tr.TotalDataCount))
		t.Uint(fSMBParamCount, w+11, 4, uint64(tr.ParamCount))
		t.Uint(fSMBParamOffset, w+15, 4, uint64(tr.ParamOffset))
		t.Uint(fSMBParamDisp, w+19, 4, uint64(tr.ParamDisplacement))
		t.Uint(fSMBDataCount, w+23, 4, uint64(tr.DataCount))
		t.Uint(fSMBDataOffset, w+27, 4, uint64(tr.DataOffset))
		t.Uint(fSMBDataDisp, w+31, 4, uint64(tr.DataDisplacement))
		if tr.Secondary {
			t.Bytes(fSMBReserved, w+35, 1, b.Words[35:36])
		} else {
			t.Uint(fSMBSetupCount, w+35, 1, uint64(tr.SetupCount))
			if len(tr.Setup) > 0 {
				t.Bytes(fSMBSetupWords, w+36, len(tr.Setup), tr.Setup)
			}
		}
	}
	appendByteCount(t, b)
	d := s.Contents
	if tr.pad1Len > 0 {
		t.Bytes(fSMBPadding, tr.pad1Off, tr.pad1Len, d[tr.pad1Off:tr.pad1Off+tr.pad1Len])
	}
	if len(tr.Params) > 0 {
		t.Bytes(fSMBParamBytes, int(tr.ParamOffset), len(tr.Params), tr.Params)
	}
	if tr.pad2Len > 0 {
		t.Bytes(fSMBPadding, tr.pad2Off, tr.pad2Len, d[tr.pad2Off:tr.pad2Off+tr.pad2Len])
	}
	if len(tr.Data) > 0 {
		t.Bytes(fSMBDataBytes, int(tr.DataOffset), len(tr.Data), tr.Data)
	}
}

// infoNTTrans appends the function of a primary request (", NT CREATE").
func (s *SMB) infoNTTrans(b []byte, blk *SMBCommandBlock) []byte {
	if blk.NTTrans.Request && !blk.NTTrans.Secondary {
		b = append(b, ", "...)
		b = blk.NTTrans.Function.appendName(b)
	}
	return b
}
