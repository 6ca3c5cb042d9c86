package dissect

// SMB1 command bodies beyond the browse-service core, decoded as far as
// tshark's fields need them ([MS-CIFS] §2.2.4):
//
//   - SMB_COM_READ_ANDX response (0x2E, §2.2.4.42.2, [MS-SMB] §2.2.4.2.2)
//     and SMB_COM_WRITE_ANDX request (0x2F, §2.2.4.43.1, [MS-SMB]
//     §2.2.4.3.1): the counts, the padding before the data and the data;
//   - SMB_COM_TRANSACTION2 (0x32) and its secondary (0x33): the Trans
//     struct of smbtrans.go, form SMBFormTrans2;
//   - SMB_COM_NT_TRANSACT (0xA0, §2.2.4.62) and its secondary (0xA1,
//     §2.2.4.63): 32-bit counts and offsets, the function and setup words,
//     the padding around the parameter and data blocks.
//
// Byte order: little-endian.
//
// Read AndX response words (WordCount 12):
//
//	 0 AndX header(4)    4 Available        6 DataCompactionMode
//	 8 Reserved1        10 DataLength      12 DataOffset
//	14 DataLengthHigh(4, [MS-SMB])         18 Reserved2(6)
//	bytes: Pad, Data
//
// Write AndX request words (WordCount 12, or 14 with OffsetHigh):
//
//	 0 AndX header(4)    4 FID              6 Offset(4)
//	10 Timeout(4)       14 WriteMode       16 Remaining
//	18 DataLengthHigh   20 DataLength      22 DataOffset
//	24 OffsetHigh(4)
//	bytes: Pad, Data
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
// The padding is shown as tshark shows it: for Read and Write AndX, the
// ByteCount bytes beyond the data length come first; for NT Transact, the
// bytes from the end of the words (or of the parameters) up to
// ParameterOffset (DataOffset), never past the byte block.

import (
	"encoding/binary"
	"strconv"
)

// Trans2Subcommand is the subcommand of an SMB_COM_TRANSACTION2 request
// ([MS-CIFS] §2.2.6). String gives Wireshark's name.
type Trans2Subcommand uint16

var trans2Names = [...]string{
	0x00: "OPEN2", 0x01: "FIND_FIRST2", 0x02: "FIND_NEXT2", 0x03: "QUERY_FS_INFO",
	0x04: "SET_FS_INFO", 0x05: "QUERY_PATH_INFO", 0x06: "SET_PATH_INFO",
	0x07: "QUERY_FILE_INFO", 0x08: "SET_FILE_INFO", 0x09: "FSCTL", 0x0a: "IOCTL2",
	0x0b: "FIND_NOTIFY_FIRST", 0x0c: "FIND_NOTIFY_NEXT", 0x0d: "CREATE_DIRECTORY",
	0x0e: "SESSION_SETUP", 0x10: "GET_DFS_REFERRAL", 0x11: "REPORT_DFS_INCONSISTENCY",
}

// String is Wireshark's name of the subcommand, or "Unknown (0x0012)".
func (c Trans2Subcommand) String() string { return string(c.appendName(nil)) }

func (c Trans2Subcommand) appendName(b []byte) []byte {
	if int(c) < len(trans2Names) && trans2Names[c] != "" {
		return append(b, trans2Names[c]...)
	}
	b = append(b, "Unknown (0x"...)
	return append(appendHex16(b, uint16(c)), ')')
}

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

var (
	fSMBFID         = RegisterField(FieldInfo{Abbrev: "smb.fid", Name: "FID", Type: FTUint16, Base: BaseHex})
	fSMBLockType    = RegisterField(FieldInfo{Abbrev: "smb.lock.type", Name: "Lock Type", Type: FTUint8, Base: BaseHex})
	fSMBOplockLevel = RegisterField(FieldInfo{Abbrev: "smb.locking.oplock.level", Name: "Oplock Level", Type: FTUint8, Base: BaseDec})
	fSMBNumUnlocks  = RegisterField(FieldInfo{Abbrev: "smb.locking.num_unlocks", Name: "Number of Unlocks", Type: FTUint16, Base: BaseDec})
	fSMBNumLocks    = RegisterField(FieldInfo{Abbrev: "smb.locking.num_locks", Name: "Number of Locks", Type: FTUint16, Base: BaseDec})
	fSMBTrans2Cmd   = RegisterField(FieldInfo{Abbrev: "smb.trans2.cmd", Name: "Subcommand", Type: FTUint16, Base: BaseHex})
	fSMBNTFunction  = RegisterField(FieldInfo{Abbrev: "smb.nt.function", Name: "Function", Type: FTUint16, Base: BaseDec})
	// tshark decodes these per function; nbtsniff shows them raw, under
	// its own names.
	fSMBSetupWords   = RegisterField(FieldInfo{Abbrev: "nbtsniff.smb.setup", Name: "Setup", Type: FTBytes, Proto: "smb"})
	fSMBParamBytes   = RegisterField(FieldInfo{Abbrev: "nbtsniff.smb.param_bytes", Name: "Parameter Bytes", Type: FTBytes, Proto: "smb"})
	fSMBDataBytes    = RegisterField(FieldInfo{Abbrev: "nbtsniff.smb.data_bytes", Name: "Data Bytes", Type: FTBytes, Proto: "smb"})
	fSMBFileData     = RegisterField(FieldInfo{Abbrev: "smb.file_data", Name: "File Data", Type: FTBytes})
	fSMBRemaining    = RegisterField(FieldInfo{Abbrev: "smb.remaining", Name: "Remaining", Type: FTUint32, Base: BaseDec})
	fSMBDCM          = RegisterField(FieldInfo{Abbrev: "smb.dcm", Name: "Data Compaction Mode", Type: FTUint16, Base: BaseDec})
	fSMBDataLenLow   = RegisterField(FieldInfo{Abbrev: "smb.data_len_low", Name: "Data Length Low", Type: FTUint16, Base: BaseDec})
	fSMBDataLenHigh  = RegisterField(FieldInfo{Abbrev: "smb.data_len_high", Name: "Data Length High (multiply with 64K)", Type: FTUint32, Base: BaseDec})
	fSMBFileOffset   = RegisterField(FieldInfo{Abbrev: "smb.offset", Name: "Offset", Type: FTUint32, Base: BaseDec})
	fSMBHighOffset   = RegisterField(FieldInfo{Abbrev: "smb.offset_high", Name: "High Offset", Type: FTUint32, Base: BaseDec})
	fSMBMaxCountLow  = RegisterField(FieldInfo{Abbrev: "smb.maxcount_low", Name: "Max Count Low", Type: FTUint16, Base: BaseDec})
	fSMBMinCount     = RegisterField(FieldInfo{Abbrev: "smb.mincount", Name: "Min Count", Type: FTUint16, Base: BaseDec})
	fSMBMaxCountHigh = RegisterField(FieldInfo{Abbrev: "smb.maxcount_high", Name: "Max Count High (multiply with 64K)", Type: FTUint16, Base: BaseDec})
	fSMBWriteMode    = RegisterField(FieldInfo{Abbrev: "smb.write.mode", Name: "Write Mode", Type: FTUint16, Base: BaseHex})
)

func init() {
	SetValues(fSMBTrans2Cmd, func(v uint64) string { return Trans2Subcommand(v).String() })
	SetValues(fSMBNTFunction, func(v uint64) string { return NTTransactFunction(v).String() })
}

// SMBFileData is the data of a Read AndX response or a Write AndX request
// and the padding tshark shows before it. Offsets are from the header
// start.
type SMBFileData struct {
	Padding    []byte
	PaddingOff int
	Data       []byte
	DataOff    int
}

// ReadAndXResponse is a decoded SMB_COM_READ_ANDX response ([MS-CIFS]
// §2.2.4.42.2; DataLengthHigh from [MS-SMB] §2.2.4.2.2).
type ReadAndXResponse struct {
	Available          uint16
	DataCompactionMode uint16
	DataLength         uint16
	DataOffset         uint16
	DataLengthHigh     uint32
	SMBFileData
}

// Length is DataLength with DataLengthHigh.
func (r *ReadAndXResponse) Length() uint64 {
	return uint64(r.DataLengthHigh)<<16 | uint64(r.DataLength)
}

// WriteAndXRequest is a decoded SMB_COM_WRITE_ANDX request ([MS-CIFS]
// §2.2.4.43.1; DataLengthHigh and the 14-word form from [MS-SMB]
// §2.2.4.3.1).
type WriteAndXRequest struct {
	FID            uint16
	Offset         uint32
	Timeout        uint32
	WriteMode      uint16
	Remaining      uint16
	DataLengthHigh uint16
	DataLength     uint16
	DataOffset     uint16
	OffsetHigh     uint32 // WordCount 14 only
	SMBFileData
}

// Length is DataLength with DataLengthHigh.
func (r *WriteAndXRequest) Length() uint64 {
	return uint64(r.DataLengthHigh)<<16 | uint64(r.DataLength)
}

// FileOffset is Offset with OffsetHigh.
func (r *WriteAndXRequest) FileOffset() uint64 {
	return uint64(r.OffsetHigh)<<32 | uint64(r.Offset)
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

// fileData finds the padding and the data of a Read or Write AndX byte
// block: tshark counts as padding the ByteCount bytes beyond the data
// length, then shows the rest as file data.
func (s *SMB) fileData(b *SMBCommandBlock, length uint64, fd *SMBFileData) {
	start, end := b.bytesOff, b.End()
	off := start
	if bc := uint64(b.ByteCount); bc > length {
		n := min(int(bc-length), end-off)
		if n > 0 {
			fd.Padding, fd.PaddingOff = s.data[off:off+n], off
			off += n
		}
	}
	if off < end {
		fd.Data, fd.DataOff = s.data[off:end], off
	}
	b.bytesOff = end
}

func (s *SMB) decodeReadAndXResponse(b *SMBCommandBlock) error {
	if b.WordCount != 12 {
		return nil // shown undecoded
	}
	w := b.Words
	r := &b.ReadAndXResponse
	*r = ReadAndXResponse{
		Available:          binary.LittleEndian.Uint16(w[4:]),
		DataCompactionMode: binary.LittleEndian.Uint16(w[6:]),
		DataLength:         binary.LittleEndian.Uint16(w[10:]),
		DataOffset:         binary.LittleEndian.Uint16(w[12:]),
		DataLengthHigh:     binary.LittleEndian.Uint32(w[14:]),
	}
	b.Form = SMBFormReadAndXResponse
	s.fileData(b, r.Length(), &r.SMBFileData)
	return nil
}

// ReadAndXRequest is the parameter block of an SMB_COM_READ_ANDX request
// ([MS-CIFS] §2.2.4.42.1; the 12-word form with OffsetHigh, [MS-SMB]
// §2.2.4.2.1). tshark reads the Timeout_or_MaxCountHigh field as Max
// Count High; nbtsniff keeps its low 16 bits there as tshark prints it.
type ReadAndXRequest struct {
	FID          uint16
	Offset       uint32
	MaxCountLow  uint16
	MinCount     uint16
	MaxCountHigh uint32
	Remaining    uint16
	OffsetHigh   uint32
}

// Length is the most the client asks for: MaxCountLow with the high
// bits of MaxCountHigh, as tshark counts it.
func (r *ReadAndXRequest) Length() uint64 {
	return uint64(r.MaxCountHigh&0xffff)<<16 | uint64(r.MaxCountLow)
}

// FileOffset is Offset with OffsetHigh.
func (r *ReadAndXRequest) FileOffset() uint64 { return uint64(r.OffsetHigh)<<32 | uint64(r.Offset) }

func (s *SMB) decodeReadAndXRequest(b *SMBCommandBlock) {
	if b.WordCount != 10 && b.WordCount != 12 {
		return
	}
	w := b.Words
	b.ReadAndXRequest = ReadAndXRequest{
		FID:          binary.LittleEndian.Uint16(w[4:]),
		Offset:       binary.LittleEndian.Uint32(w[6:]),
		MaxCountLow:  binary.LittleEndian.Uint16(w[10:]),
		MinCount:     binary.LittleEndian.Uint16(w[12:]),
		MaxCountHigh: binary.LittleEndian.Uint32(w[14:]),
		Remaining:    binary.LittleEndian.Uint16(w[18:]),
	}
	if b.WordCount == 12 {
		b.ReadAndXRequest.OffsetHigh = binary.LittleEndian.Uint32(w[20:])
	}
	b.Form = SMBFormReadAndXRequest
}

// LockingAndXRequest is the parameter block of an SMB_COM_LOCKING_ANDX
// request ([MS-CIFS] §2.2.4.32.1): an oplock break acknowledgement
// (LockType 0x02) or byte-range locks. The LOCKING_ANDX_RANGE entries of
// the byte block are not decoded.
type LockingAndXRequest struct {
	FID             uint16
	LockType        uint8
	OplockLevel     uint8
	Timeout         uint32
	NumberOfUnlocks uint16
	NumberOfLocks   uint16
}

func (s *SMB) decodeLockingAndXRequest(b *SMBCommandBlock) {
	if b.WordCount != 8 {
		return
	}
	w := b.Words
	b.LockingAndXRequest = LockingAndXRequest{
		FID:             binary.LittleEndian.Uint16(w[4:]),
		LockType:        w[6],
		OplockLevel:     w[7],
		Timeout:         binary.LittleEndian.Uint32(w[8:]),
		NumberOfUnlocks: binary.LittleEndian.Uint16(w[12:]),
		NumberOfLocks:   binary.LittleEndian.Uint16(w[14:]),
	}
	b.Form = SMBFormLockingAndXRequest
	b.bytesOff = b.End() // the ranges are shown as the byte block
}

func (s *SMB) decodeWriteAndXRequest(b *SMBCommandBlock) error {
	if b.WordCount != 12 && b.WordCount != 14 {
		return nil
	}
	w := b.Words
	r := &b.WriteAndXRequest
	*r = WriteAndXRequest{
		FID:            binary.LittleEndian.Uint16(w[4:]),
		Offset:         binary.LittleEndian.Uint32(w[6:]),
		Timeout:        binary.LittleEndian.Uint32(w[10:]),
		WriteMode:      binary.LittleEndian.Uint16(w[14:]),
		Remaining:      binary.LittleEndian.Uint16(w[16:]),
		DataLengthHigh: binary.LittleEndian.Uint16(w[18:]),
		DataLength:     binary.LittleEndian.Uint16(w[20:]),
		DataOffset:     binary.LittleEndian.Uint16(w[22:]),
	}
	if b.WordCount == 14 {
		r.OffsetHigh = binary.LittleEndian.Uint32(w[24:])
	}
	b.Form = SMBFormWriteAndXRequest
	s.fileData(b, r.Length(), &r.SMBFileData)
	return nil
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
	d := s.data
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

// appendFileData emits the padding and the data of Read/Write AndX.
func appendFileData(t *Tree, fd *SMBFileData) {
	if len(fd.Padding) > 0 {
		t.Bytes(fSMBPadding, fd.PaddingOff, len(fd.Padding), fd.Padding)
	}
	if len(fd.Data) > 0 {
		t.Bytes(fSMBFileData, fd.DataOff, len(fd.Data), fd.Data)
	}
}

// appendCmdBody emits the bodies of smb_cmds.go in tshark's order; w is
// the offset of the parameter words. It reports whether it knew the form.
func (s *SMB) appendCmdBody(t *Tree, b *SMBCommandBlock, w int, bcc func()) bool {
	switch b.Form {
	case SMBFormReadAndXResponse:
		r := &b.ReadAndXResponse
		t.Uint(fSMBRemaining, w+4, 2, uint64(r.Available))
		t.Uint(fSMBDCM, w+6, 2, uint64(r.DataCompactionMode))
		t.Bytes(fSMBReserved, w+8, 2, b.Words[8:10])
		t.Uint(fSMBDataLenLow, w+10, 2, uint64(r.DataLength))
		t.Uint(fSMBDataOffset, w+12, 2, uint64(r.DataOffset))
		t.Uint(fSMBDataLenHigh, w+14, 4, uint64(r.DataLengthHigh))
		t.Bytes(fSMBReserved, w+18, 6, b.Words[18:24])
		bcc()
		appendFileData(t, &r.SMBFileData)
	case SMBFormWriteAndXRequest:
		r := &b.WriteAndXRequest
		t.Uint(fSMBFID, w+4, 2, uint64(r.FID))
		t.Uint(fSMBFileOffset, w+6, 4, uint64(r.Offset))
		t.Bytes(fSMBReserved, w+10, 4, b.Words[10:14])
		t.Uint(fSMBWriteMode, w+14, 2, uint64(r.WriteMode))
		t.Uint(fSMBRemaining, w+16, 2, uint64(r.Remaining))
		t.Uint(fSMBDataLenHigh, w+18, 2, uint64(r.DataLengthHigh))
		t.Uint(fSMBDataLenLow, w+20, 2, uint64(r.DataLength))
		t.Uint(fSMBDataOffset, w+22, 2, uint64(r.DataOffset))
		if b.WordCount == 14 {
			t.Uint(fSMBHighOffset, w+24, 4, uint64(r.OffsetHigh))
		}
		bcc()
		appendFileData(t, &r.SMBFileData)
	case SMBFormCloseRequest:
		t.Uint(fSMBFID, w, 2, uint64(b.CloseFID))
		bcc()
	case SMBFormNTCreate:
		if s.IsResponse() && len(b.Words) >= 7 {
			t.Uint(fSMBFID, w+5, 2, uint64(b.NTCreate.FID))
		}
		bcc()
	case SMBFormReadAndXRequest:
		r := &b.ReadAndXRequest
		t.Uint(fSMBFID, w+4, 2, uint64(r.FID))
		t.Uint(fSMBFileOffset, w+6, 4, uint64(r.Offset))
		t.Uint(fSMBMaxCountLow, w+10, 2, uint64(r.MaxCountLow))
		t.Uint(fSMBMinCount, w+12, 2, uint64(r.MinCount))
		t.Uint(fSMBMaxCountHigh, w+14, 4, uint64(r.MaxCountHigh))
		t.Uint(fSMBRemaining, w+18, 2, uint64(r.Remaining))
		if b.WordCount == 12 {
			t.Uint(fSMBHighOffset, w+20, 4, uint64(r.OffsetHigh))
		}
		bcc()
	case SMBFormLockingAndXRequest:
		r := &b.LockingAndXRequest
		t.Uint(fSMBFID, w+4, 2, uint64(r.FID))
		t.Uint(fSMBLockType, w+6, 1, uint64(r.LockType))
		t.Uint(fSMBOplockLevel, w+7, 1, uint64(r.OplockLevel))
		t.Uint(fSMBTimeout, w+8, 4, uint64(r.Timeout))
		t.Uint(fSMBNumUnlocks, w+12, 2, uint64(r.NumberOfUnlocks))
		t.Uint(fSMBNumLocks, w+14, 2, uint64(r.NumberOfLocks))
		bcc()
	case SMBFormNTTrans:
		s.appendNTTrans(t, b, w, bcc)
	default:
		return false
	}
	return true
}

func (s *SMB) appendNTTrans(t *Tree, b *SMBCommandBlock, w int, bcc func()) {
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
	bcc()
	d := s.data
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

// appendCmdInfo adds what tshark adds to the info column for the bodies
// of smb_cmds.go.
func (s *SMB) appendCmdInfo(b []byte, blk *SMBCommandBlock) []byte {
	switch blk.Form {
	case SMBFormTrans2:
		if sub, ok := blk.Trans.Subcommand(); ok {
			b = append(b, ", "...)
			b = sub.appendName(b)
		}
	case SMBFormNTTrans:
		if blk.NTTrans.Request && !blk.NTTrans.Secondary {
			b = append(b, ", "...)
			b = blk.NTTrans.Function.appendName(b)
		}
	case SMBFormReadAndXResponse:
		b = append(b, ", "...)
		b = strconv.AppendUint(b, blk.ReadAndXResponse.Length(), 10)
		b = append(b, " bytes"...)
	case SMBFormLockingAndXRequest:
		b = appendFID(b, blk.LockingAndXRequest.FID)
	case SMBFormCloseRequest:
		b = appendFID(b, blk.CloseFID)
	case SMBFormReadAndXRequest:
		r := &blk.ReadAndXRequest
		b = appendFIDRange(b, r.FID, r.Length(), r.FileOffset())
	case SMBFormWriteAndXRequest:
		r := &blk.WriteAndXRequest
		b = appendFIDRange(b, r.FID, r.Length(), r.FileOffset())
	}
	return b
}

// appendFID appends tshark's ", FID: 0x4002".
func appendFID(b []byte, fid uint16) []byte {
	return appendHex16(append(b, ", FID: 0x"...), fid)
}

// appendFIDRange appends tshark's ", FID: 0x4002, 4096 bytes at offset 0"
// of a read or write.
func appendFIDRange(b []byte, fid uint16, length, offset uint64) []byte {
	b = strconv.AppendUint(append(appendFID(b, fid), ", "...), length, 10)
	return strconv.AppendUint(append(b, " bytes at offset "...), offset, 10)
}
