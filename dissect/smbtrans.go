package dissect

// SMB_COM_TRANSACTION (0x25) request and response, and
// SMB_COM_TRANSACTION_SECONDARY (0x26): [MS-CIFS] §2.2.4.33 and §2.2.4.34;
// Hertel, Implementing CIFS §2.9. SMB_COM_TRANSACTION2 (0x32) and its
// secondary (0x33), [MS-CIFS] §2.2.4.46 and §2.2.4.47, share the layout
// (no name; the first setup word is the subcommand, §2.2.6).
//
// Byte order: little-endian.
//
// A transaction carries setup words, a name (requests only: "\PIPE\LANMAN",
// "\MAILSLOT\BROWSE"), a parameter block and a data block. Both blocks are
// placed by ParameterOffset and DataOffset, counted from the start of the
// SMB header, and must lie inside the byte block (ByteCount is the only
// truth for its size: some clients pad before the blocks, some do not).
// Large transactions are split: the request continues in secondary
// requests, the response in further responses, each carrying a piece of
// each block at ParameterDisplacement and DataDisplacement
// ([MS-CIFS] §3.2.4.1.5, §3.3.5.33); package reassembly merges them.
//
// Request parameter words (WordCount = 14 + SetupCount):
//
//	 0 TotalParameterCount   2 TotalDataCount   4 MaxParameterCount
//	 6 MaxDataCount          8 MaxSetupCount(1) 9 Reserved1(1)
//	10 Flags                12 Timeout(4)      16 Reserved2
//	18 ParameterCount       20 ParameterOffset 22 DataCount
//	24 DataOffset           26 SetupCount(1)   27 Reserved3(1)
//	28 Setup[SetupCount]
//	bytes: Name (SMB_STRING), Pad1, Parameters, Pad2, Data
//
// Response parameter words (WordCount = 10 + SetupCount):
//
//	 0 TotalParameterCount   2 TotalDataCount   4 Reserved1
//	 6 ParameterCount        8 ParameterOffset 10 ParameterDisplacement
//	12 DataCount            14 DataOffset      16 DataDisplacement
//	18 SetupCount(1)        19 Reserved2(1)    20 Setup[SetupCount]
//	bytes: Pad1, Parameters, Pad2, Data
//
// Secondary request parameter words (WordCount = 8): TotalParameterCount,
// TotalDataCount, ParameterCount, ParameterOffset, ParameterDisplacement,
// DataCount, DataOffset, DataDisplacement; bytes: Pad1, Parameters, Pad2,
// Data.

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
)

// TransFlags is the Flags word of a transaction request ([MS-CIFS]
// §2.2.4.33.1).
type TransFlags uint16

// Transaction request flags.
const (
	TransDisconnectTID TransFlags = 0x0001 // DISCONNECT_TID
	TransNoResponse    TransFlags = 0x0002 // NO_RESPONSE: one-way transaction
)

// Has reports whether all bits of x are set.
func (f TransFlags) Has(x TransFlags) bool { return f&x == x }

// String lists the set flags.
func (f TransFlags) String() string {
	switch f & (TransDisconnectTID | TransNoResponse) {
	case TransDisconnectTID:
		return "Disconnect TID"
	case TransNoResponse:
		return "One Way Transaction"
	case TransDisconnectTID | TransNoResponse:
		return "Disconnect TID, One Way Transaction"
	}
	return ""
}

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

// Trans is a decoded SMB_COM_TRANSACTION request or response, or an
// SMB_COM_TRANSACTION_SECONDARY request: every count, offset and
// displacement as on the wire, the setup words, the name, and the
// parameter and data blocks located by their offsets. Slices alias the SMB
// message.
//
// The mailslot and RAP decoders read Setup, Name, Params and Data; a
// transaction split over several messages is merged by
// reassembly.TransReassembler first.
//
// The same struct holds an SMB_COM_TRANSACTION2 (0x32) request or response
// or an SMB_COM_TRANSACTION2_SECONDARY (0x33) request ([MS-CIFS]
// §2.2.4.46, §2.2.4.47): same words, no name, the first setup word is the
// subcommand (Subcommand()). Those are SMBFormTrans2 blocks, which
// SMB.Trans() does not return (they are neither mailslot nor RAP).
type Trans struct {
	// SMBComTransaction, SMBComTransactionSecondary, SMBComTransaction2 or
	// SMBComTransaction2Secondary
	Command   SMBCommand
	Request   bool
	Secondary bool

	TotalParamCount   uint16
	TotalDataCount    uint16
	MaxParamCount     uint16 // request
	MaxDataCount      uint16 // request
	MaxSetupCount     uint8  // request
	Flags             TransFlags
	Timeout           uint32 // request, milliseconds
	ParamCount        uint16
	ParamOffset       uint16 // from the start of the SMB header
	ParamDisplacement uint16 // response and secondary
	DataCount         uint16
	DataOffset        uint16 // from the start of the SMB header
	DataDisplacement  uint16 // response and secondary
	SetupCount        uint8
	// FID is the file of an SMB_COM_TRANSACTION2_SECONDARY request
	// (WordCount 9); HasFID says it is there.
	FID    uint16
	HasFID bool

	// Setup holds the SetupCount setup words, raw little-endian; SetupOff
	// is their offset from the header start (the mailslot header starts
	// there).
	Setup    []byte
	SetupOff int

	// Name is the transaction name of a primary request without its
	// terminator: the wire bytes when it is OEM (as tshark shows it), or
	// UTF-8 decoded into the SMB decoder's scratch space when Unicode. NameOff and
	// NameLen locate it on the wire, terminator included; Unicode says it
	// was UTF-16 (after a pad byte that aligns it). HasName is false for
	// responses, secondaries and a request whose byte block is empty.
	Name    []byte
	HasName bool
	NameOff int
	NameLen int
	Unicode bool

	// Params and Data are the blocks of this message (ParamCount and
	// DataCount bytes at ParamOffset and DataOffset).
	Params []byte
	Data   []byte

	// Err is the first error found in this transaction, nil if none; the
	// SMB layer's Err is the same.
	Err error
	// BeyondByteCount: the parameter or data block lies past the byte
	// block ByteCount gives (a ByteCount too small, or past the end of
	// the message) but within the message; it was read where the words
	// place it, as tshark reads it, with an expert note.
	BeyondByteCount bool

	wordsOff int // offset of the parameter words
	bccOff   int
	pad1Off  int
	pad1Len  int
	pad2Off  int
	pad2Len  int
}

// LayerType is LayerTypeSMBTrans.
func (tr *Trans) LayerType() gopacket.LayerType { return LayerTypeSMBTrans }

// IsFragment reports whether this message carries only part of its
// transaction: a count below its total, or a non-zero displacement.
func (tr *Trans) IsFragment() bool {
	return tr.Secondary || tr.ParamDisplacement != 0 || tr.DataDisplacement != 0 ||
		tr.ParamCount < tr.TotalParamCount || tr.DataCount < tr.TotalDataCount
}

// OneWay reports the NO_RESPONSE flag of a request (a mailslot write
// over a connection, for one).
func (tr *Trans) OneWay() bool { return tr.Request && tr.Flags.Has(TransNoResponse) }

func (s *SMB) decodeTrans(b *SMBCommandBlock) error {
	tr := &b.Trans
	secondary := b.Command == SMBComTransactionSecondary || b.Command == SMBComTransaction2Secondary
	*tr = Trans{Command: b.Command, Request: !s.IsResponse(), Secondary: secondary}
	tr.wordsOff = b.Off + 1
	tr.bccOff = b.Off + 1 + len(b.Words)
	w := b.Words
	wc := int(b.WordCount)
	switch {
	case tr.Secondary:
		// SMB_COM_TRANSACTION2_SECONDARY adds a FID word
		// ([MS-CIFS] §2.2.4.47.1).
		if wc != 8 && !(wc == 9 && b.Command == SMBComTransaction2Secondary) {
			return nil // tshark shows the block undecoded too
		}
		tr.TotalParamCount = binary.LittleEndian.Uint16(w[0:])
		tr.TotalDataCount = binary.LittleEndian.Uint16(w[2:])
		tr.ParamCount = binary.LittleEndian.Uint16(w[4:])
		tr.ParamOffset = binary.LittleEndian.Uint16(w[6:])
		tr.ParamDisplacement = binary.LittleEndian.Uint16(w[8:])
		tr.DataCount = binary.LittleEndian.Uint16(w[10:])
		tr.DataOffset = binary.LittleEndian.Uint16(w[12:])
		tr.DataDisplacement = binary.LittleEndian.Uint16(w[14:])
		if wc == 9 {
			tr.FID, tr.HasFID = binary.LittleEndian.Uint16(w[16:]), true
		}
	case tr.Request:
		if wc < 14 {
			return nil
		}
		tr.TotalParamCount = binary.LittleEndian.Uint16(w[0:])
		tr.TotalDataCount = binary.LittleEndian.Uint16(w[2:])
		tr.MaxParamCount = binary.LittleEndian.Uint16(w[4:])
		tr.MaxDataCount = binary.LittleEndian.Uint16(w[6:])
		tr.MaxSetupCount = w[8]
		tr.Flags = TransFlags(binary.LittleEndian.Uint16(w[10:]))
		tr.Timeout = binary.LittleEndian.Uint32(w[12:])
		tr.ParamCount = binary.LittleEndian.Uint16(w[18:])
		tr.ParamOffset = binary.LittleEndian.Uint16(w[20:])
		tr.DataCount = binary.LittleEndian.Uint16(w[22:])
		tr.DataOffset = binary.LittleEndian.Uint16(w[24:])
		tr.SetupCount = w[26]
		tr.SetupOff = tr.wordsOff + 28
	default:
		if wc < 10 {
			return nil
		}
		tr.TotalParamCount = binary.LittleEndian.Uint16(w[0:])
		tr.TotalDataCount = binary.LittleEndian.Uint16(w[2:])
		tr.ParamCount = binary.LittleEndian.Uint16(w[6:])
		tr.ParamOffset = binary.LittleEndian.Uint16(w[8:])
		tr.ParamDisplacement = binary.LittleEndian.Uint16(w[10:])
		tr.DataCount = binary.LittleEndian.Uint16(w[12:])
		tr.DataOffset = binary.LittleEndian.Uint16(w[14:])
		tr.DataDisplacement = binary.LittleEndian.Uint16(w[16:])
		tr.SetupCount = w[18]
		tr.SetupOff = tr.wordsOff + 20
	}
	b.Form = SMBFormTrans
	if b.Command == SMBComTransaction2 || b.Command == SMBComTransaction2Secondary {
		b.Form = SMBFormTrans2
	}
	if !tr.Secondary {
		fixed := 14
		if !tr.Request {
			fixed = 10
		}
		if fixed+int(tr.SetupCount) != wc {
			tr.Err = Malformed("smb", "trans setup count", tr.SetupOff-2, "setup count "+strconv.Itoa(int(tr.SetupCount))+" does not match word count "+strconv.Itoa(wc))
			return tr.Err
		}
		tr.Setup = w[tr.SetupOff-tr.wordsOff:]
	}

	d := s.Contents
	start, end := b.bytesOff, b.End()
	if start+int(b.ByteCount) > len(d) || outside(int(tr.ParamOffset), int(tr.ParamCount), start, end) || outside(int(tr.DataOffset), int(tr.DataCount), start, end) {
		if !outside(int(tr.ParamOffset), int(tr.ParamCount), start, len(d)) && !outside(int(tr.DataOffset), int(tr.DataCount), start, len(d)) {
			// ByteCount disagrees with the blocks its own words place
			// (too small, or past the end of the message): they are
			// all there, and tshark reads them by their offsets.
			end = len(d)
			tr.BeyondByteCount = true
		}
	}
	off := start
	if tr.Request && b.Command == SMBComTransaction {
		// Only SMB_COM_TRANSACTION has a name; TRANSACTION2 goes
		// straight to the padding ([MS-CIFS] §2.2.4.46.1).
		var name SMBString
		if next, ok := s.readString(off, end, s.Unicode(), false, &name); ok {
			tr.Name, tr.HasName = name.Text, true
			tr.NameOff, tr.NameLen, tr.Unicode = name.Off, name.Len, s.Unicode()
			if !tr.Unicode {
				// tshark keeps an OEM transaction name as it is on
				// the wire (no U+FFFD for bytes above 0x7F).
				n := name.Len
				if n > 0 && d[name.Off+n-1] == 0 {
					n--
				}
				tr.Name = d[name.Off : name.Off+n]
			}
			off = next
		}
	}
	// The padding as tshark shows it: from where it stands to
	// ParameterOffset, past the parameters (not for a secondary), then to
	// DataOffset; never past the byte block.
	po, do := int(tr.ParamOffset), int(tr.DataOffset)
	if po > off && off < end {
		tr.pad1Off, tr.pad1Len = off, min(po, end)-off
		off += tr.pad1Len
	}
	if tr.ParamCount > 0 && int(tr.ParamCount) <= end-off {
		if !tr.Secondary {
			off += int(tr.ParamCount)
		}
		if do > off && off < end {
			tr.pad2Off, tr.pad2Len = off, min(do, end)-off
		}
	} else if tr.ParamCount == 0 && do > off && off < end {
		tr.pad2Off, tr.pad2Len = off, min(do, end)-off
	}

	// The blocks themselves, by offset and count, inside the byte block.
	if tr.ParamCount > 0 {
		if po < start || po+int(tr.ParamCount) > end {
			tr.Err = Malformed("smb", "trans parameter block", tr.wordsOff+paramOffsetWord(tr), blockRange(po, int(tr.ParamCount), start, end))
			return tr.Err
		}
		tr.Params = d[po : po+int(tr.ParamCount)]
	}
	if tr.DataCount > 0 {
		if do < start || do+int(tr.DataCount) > end {
			tr.Err = Malformed("smb", "trans data block", tr.wordsOff+paramOffsetWord(tr)+4, blockRange(do, int(tr.DataCount), start, end))
			return tr.Err
		}
		tr.Data = d[do : do+int(tr.DataCount)]
	}
	return nil
}

// outside reports whether n bytes at off (n > 0) do not lie in
// [start, end).
func outside(off, n, start, end int) bool { return n > 0 && (off < start || off+n > end) }

// paramOffsetWord is the position of ParameterOffset in the words.
func paramOffsetWord(tr *Trans) int {
	switch {
	case tr.Secondary:
		return 6
	case tr.Request:
		return 20
	}
	return 8
}

func blockRange(off, n, start, end int) string {
	return "offset " + strconv.Itoa(off) + " count " + strconv.Itoa(n) +
		" outside the byte block " + strconv.Itoa(start) + ".." + strconv.Itoa(end)
}

// appendTrans emits the transaction fields in tshark's order.
func (s *SMB) appendTrans(t *Tree, b *SMBCommandBlock) {
	tr := &b.Trans
	w := tr.wordsOff
	switch {
	case tr.Secondary:
		t.Uint(fSMBTotalParamCount, w, 2, uint64(tr.TotalParamCount))
		t.Uint(fSMBTotalDataCount, w+2, 2, uint64(tr.TotalDataCount))
		t.Uint(fSMBParamCount, w+4, 2, uint64(tr.ParamCount))
		t.Uint(fSMBParamOffset, w+6, 2, uint64(tr.ParamOffset))
		t.Uint(fSMBParamDisp, w+8, 2, uint64(tr.ParamDisplacement))
		t.Uint(fSMBDataCount, w+10, 2, uint64(tr.DataCount))
		t.Uint(fSMBDataOffset, w+12, 2, uint64(tr.DataOffset))
		t.Uint(fSMBDataDisp, w+14, 2, uint64(tr.DataDisplacement))
		if tr.HasFID {
			t.Uint(fSMBFID, w+16, 2, uint64(tr.FID))
		}
	case tr.Request:
		t.Uint(fSMBTotalParamCount, w, 2, uint64(tr.TotalParamCount))
		t.Uint(fSMBTotalDataCount, w+2, 2, uint64(tr.TotalDataCount))
		t.Uint(fSMBMaxParamCount, w+4, 2, uint64(tr.MaxParamCount))
		t.Uint(fSMBMaxDataCount, w+6, 2, uint64(tr.MaxDataCount))
		t.Uint(fSMBMaxSetupCount, w+8, 1, uint64(tr.MaxSetupCount))
		t.Bytes(fSMBReserved, w+9, 1, b.Words[9:10])
		t.Open(fSMBTransFlags, w+10, 2).U = uint64(tr.Flags)
		t.Bool(fSMBTransFlagsOWT, w+10, 2, tr.Flags.Has(TransNoResponse))
		t.Bool(fSMBTransFlagsDTID, w+10, 2, tr.Flags.Has(TransDisconnectTID))
		t.Close()
		t.Uint(fSMBTimeout, w+12, 4, uint64(tr.Timeout))
		t.Bytes(fSMBReserved, w+16, 2, b.Words[16:18])
		t.Uint(fSMBParamCount, w+18, 2, uint64(tr.ParamCount))
		t.Uint(fSMBParamOffset, w+20, 2, uint64(tr.ParamOffset))
		t.Uint(fSMBDataCount, w+22, 2, uint64(tr.DataCount))
		t.Uint(fSMBDataOffset, w+24, 2, uint64(tr.DataOffset))
		t.Uint(fSMBSetupCount, w+26, 1, uint64(tr.SetupCount))
		t.Bytes(fSMBReserved, w+27, 1, b.Words[27:28])
		if sub, ok := tr.Subcommand(); ok {
			t.Uint(fSMBTrans2Cmd, tr.SetupOff, 2, uint64(sub))
		}
	default:
		t.Uint(fSMBTotalParamCount, w, 2, uint64(tr.TotalParamCount))
		t.Uint(fSMBTotalDataCount, w+2, 2, uint64(tr.TotalDataCount))
		t.Bytes(fSMBReserved, w+4, 2, b.Words[4:6])
		t.Uint(fSMBParamCount, w+6, 2, uint64(tr.ParamCount))
		t.Uint(fSMBParamOffset, w+8, 2, uint64(tr.ParamOffset))
		t.Uint(fSMBParamDisp, w+10, 2, uint64(tr.ParamDisplacement))
		t.Uint(fSMBDataCount, w+12, 2, uint64(tr.DataCount))
		t.Uint(fSMBDataOffset, w+14, 2, uint64(tr.DataOffset))
		t.Uint(fSMBDataDisp, w+16, 2, uint64(tr.DataDisplacement))
		t.Uint(fSMBSetupCount, w+18, 1, uint64(tr.SetupCount))
		t.Bytes(fSMBReserved, w+19, 1, b.Words[19:20])
	}
	if b.HasByteCount {
		t.Uint(fSMBByteCount, tr.bccOff, 2, uint64(b.ByteCount))
		if tr.BeyondByteCount {
			t.Note("Byte count "+strconv.Itoa(int(b.ByteCount))+" disagrees with the transaction's parameter and data blocks: read where their offsets place them", tr.bccOff, 2)
		}
	}
	if tr.HasName {
		t.Bytes(fSMBTransName, tr.NameOff, tr.NameLen, tr.Name)
	}
	d := s.Contents
	if tr.pad1Len > 0 {
		t.Bytes(fSMBPadding, tr.pad1Off, tr.pad1Len, d[tr.pad1Off:tr.pad1Off+tr.pad1Len])
	}
	if tr.pad2Len > 0 {
		t.Bytes(fSMBPadding, tr.pad2Off, tr.pad2Len, d[tr.pad2Off:tr.pad2Off+tr.pad2Len])
	}
}

// Subcommand is the first setup word of an SMB_COM_TRANSACTION2 request,
// the TRANS2 subcommand ([MS-CIFS] §2.2.6); ok is false for other
// messages.
func (tr *Trans) Subcommand() (sub Trans2Subcommand, ok bool) {
	if tr.Command != SMBComTransaction2 || !tr.Request || len(tr.Setup) < 2 {
		return 0, false
	}
	return Trans2Subcommand(binary.LittleEndian.Uint16(tr.Setup)), true
}

// appendInfoSuffix adds what tshark adds to "Trans Response" for a
// response piece that continues a transaction (non-zero displacement),
// which it does not hand to the pipe or mailslot dissectors.
func (tr *Trans) appendInfoSuffix(b []byte) []byte {
	if !tr.Request && (tr.ParamDisplacement != 0 || tr.DataDisplacement != 0) {
		b = append(b, "[transact continuation]"...)
	}
	return b
}

// infoTrans appends, to a response piece that continues a transaction,
// tshark's "[transact continuation]" (the mailslot and RAP layers add the
// rest of a transaction's info).
func (s *SMB) infoTrans(b []byte, blk *SMBCommandBlock) []byte {
	return blk.Trans.appendInfoSuffix(b)
}

// infoTrans2 appends the subcommand of a TRANSACTION2 request
// (", QUERY_FILE_INFO").
func (s *SMB) infoTrans2(b []byte, blk *SMBCommandBlock) []byte {
	if sub, ok := blk.Trans.Subcommand(); ok {
		b = append(b, ", "...)
		b = sub.appendName(b)
	}
	return b
}
