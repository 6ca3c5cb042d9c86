package dissect

// SMB1 ([MS-CIFS] §2.2.3.1 header, §2.2.3.2-3 parameter and data blocks,
// §2.2.4 commands; Hertel, Implementing CIFS §2.3-2.5), and recognition of
// SMB2/SMB3 headers ([MS-SMB2] §2.2.1, §2.2.41) on the same ports.
//
// Byte order: little-endian, every field.
//
// An SMB1 message is a fixed 32-byte header followed by one command block,
// or a chain of "AndX" command blocks:
//
//	 0               1               2               3
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	| 0xFF    'S'     'M'     'B'   |Command| Status (4: NT status, or|
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|  ErrorClass, Reserved, ErrorCode) |Flags  |    Flags2     |PIDHigh
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|       | SecurityFeatures (8: the signature)                   |
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|       |   Reserved    |      TID      |    PIDLow     |  UID
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|       |      MID      |
//	+-------+-------+-------+
//	offset 32: WordCount (1) | Words (2 × WordCount) | ByteCount (2) | Bytes
//
// An AndX command's first four word bytes are AndXCommand, AndXReserved and
// AndXOffset: the next command block starts AndXOffset bytes from the start
// of the header ([MS-CIFS] §2.2.3.4). Offsets everywhere in SMB (AndXOffset,
// the transaction ParameterOffset and DataOffset) count from the 0xFF of
// the header, and so do the offsets of the nodes this file emits.
//
// Strings ([MS-CIFS] §2.2.1.1) are OEM (read as ASCII, as tshark does:
// bytes 0x80-0xFF become U+FFFD) or, when Flags2 has SMB_FLAGS2_UNICODE,
// UTF-16LE aligned to an even offset from the header start by one pad byte.
// The ByteCount is the only truth for the size of the byte block: a string
// without its terminator ends at the end of the block, and anything the
// words place outside the block is an error.
//
// The header, the chain of command blocks and their parameter and data
// blocks are decoded here. The bodies of the commands nbtsniff knows are
// decoded, shown and summed up in the info column by one file per command
// family, through the dispatch table of smb_commands.go; the header's value
// types are in smb_types.go, the strings of the byte block in
// smb_strings.go, the fields in smb_fields.go, SMB2 in smb2.go.
//
// Not decoded: the bodies of the other commands (they show WordCount,
// ByteCount and, for AndX commands, the chain), the subcommand parameters
// and data of Trans2 and NT Transact and the DCE/RPC carried on pipes, SMB
// signing, NTLMSSP and Kerberos beyond the message type and user that
// tshark puts in the info column, SMB over IPX/NetBEUI (the connectionless
// header layout), and everything after an SMB2 header.

import (
	"encoding/binary"
	"strconv"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Bounds.
const (
	// MaxAndXCommands bounds the command blocks of one SMB1 message.
	MaxAndXCommands = 8
	// MaxDialects bounds the dialects read from a NEGOTIATE request.
	MaxDialects  = 64
	smbHeaderLen = 32
)

var smbProtocolID = []byte{0xff, 'S', 'M', 'B'}

// smbProtocolWord is smbProtocolID read as a little-endian word.
const smbProtocolWord = 0xff | 'S'<<8 | 'M'<<16 | 'B'<<24

// SMB is an SMB1 message: the header and its command blocks
// ([MS-CIFS] §2.2.3). It is a gopacket DecodingLayer; DecodeFromBytes takes
// one whole message (an NBSS message payload on TCP 139/445, or the user
// data of a NetBIOS datagram on UDP 138). Contents is the whole message;
// Payload is nil, an SMB message carrying no contiguous payload (see
// NextLayerType).
type SMB struct {
	layers.BaseLayer
	Command SMBCommand
	// Status is the raw status field. When Flags2 has NT_STATUS it is an
	// NT status ([MS-ERREF] §2.3); else ErrorClass and ErrorCode are the
	// DOS-style error ([MS-CIFS] §2.2.2.4).
	Status           uint32
	ErrorClass       uint8
	ErrorCode        uint16
	Flags            SMBFlags
	Flags2           SMBFlags2
	PIDHigh          uint16
	SecurityFeatures []byte // 8 bytes: the signature
	Reserved         uint16
	TID              uint16
	PIDLow           uint16
	UID              uint16
	MID              uint16

	// Commands is the command block, or the AndX chain of blocks, at most
	// MaxAndXCommands.
	Commands []SMBCommandBlock

	// TreePath and TreeMappedIn are not decoded: the engine sets them
	// (after DecodeFromBytes, before AppendTree) from its tree-connect
	// tracker, and AppendTree then shows the share path of TID and the
	// frame that mapped it, as tshark does ([Path] and [Mapped in] under
	// Tree ID).
	TreePath     []byte
	TreeMappedIn int

	// Err is the error DecodeFromBytes returned, nil on success.
	Err error

	hdrLen   int
	strBuf   []byte
	dialects []SMBDialect
	// skipText: see SkipText; skipBodies: see SkipBodies.
	skipText, skipBodies bool
}

// SkipText says whether the strings that only the protocol tree and the
// info column show (NT Create's file name, Session Setup's account,
// domain and OS names, Tree Connect's service and file system, Negotiate's
// domain and server names) are converted: when skip, their Text is nil,
// the rest of each string (Present, Off, Len) and every error the same.
// A tree connect's path and a transaction's name are converted either
// way. It lasts across decodes.
func (s *SMB) SkipText(skip bool) { s.skipText = skip }

// SkipBodies says whether the bodies that only the protocol tree and the
// info column read are decoded past what can fail: when skip, the
// commands whose decode cannot fail (NT Create, Close, Locking, Read and
// Write AndX, Tree Disconnect, Logoff) keep SMBFormNone (or SMBFormEmpty,
// a bare response), no body and no Extra, and Negotiate, Session Setup
// and Tree Connect stop after their last check (no strings, no NTLMSSP;
// a tree connect request keeps its path). The header, the blocks' words,
// bytes and chain, a transaction's body and every error are the same.
// It lasts across decodes.
func (s *SMB) SkipBodies(skip bool) { s.skipBodies = skip }

// LayerType is LayerTypeSMB.
func (s *SMB) LayerType() gopacket.LayerType { return LayerTypeSMB }

// CanDecode is LayerTypeSMB.
func (s *SMB) CanDecode() gopacket.LayerClass { return LayerTypeSMB }

// NextLayerType is LayerTypeSMBTrans for a transaction, else zero: the
// engine hands a transaction to the reassembler and then to the mailslot or
// RAP decoders, which read Trans() rather than a payload.
func (s *SMB) NextLayerType() gopacket.LayerType {
	if s.Trans() != nil {
		return LayerTypeSMBTrans
	}
	return gopacket.LayerTypeZero
}

// IsResponse reports the Flags reply bit (SMB_FLAGS_REPLY).
func (s *SMB) IsResponse() bool { return s.Flags.Has(SMBFlagsReply) }

// PID is PIDHigh:PIDLow ([MS-CIFS] §2.2.3.1).
func (s *SMB) PID() uint32 { return uint32(s.PIDHigh)<<16 | uint32(s.PIDLow) }

// Unicode reports whether strings are UTF-16 (SMB_FLAGS2_UNICODE).
func (s *SMB) Unicode() bool { return s.Flags2.Has(SMBFlags2Unicode) }

// NTStatus reports whether Status is an NT status (SMB_FLAGS2_NT_STATUS).
func (s *SMB) NTStatus() bool { return s.Flags2.Has(SMBFlags2NTStatus) }

// IsError reports a response that failed, as tshark decides to append
// ", Error: ..." to the info column: an NT status of severity error
// (0xC0000000 and up, STATUS_MORE_PROCESSING_REQUIRED included; warnings
// such as STATUS_BUFFER_OVERFLOW are not), or a DOS error class other than
// 0.
func (s *SMB) IsError() bool {
	if !s.IsResponse() || s.hdrLen < smbHeaderLen {
		return false
	}
	if s.NTStatus() {
		return s.Status&smbNTStatusSeverityMask == smbNTStatusSeverityError
	}
	return s.ErrorClass != SMBErrClassSuccess
}

// Trans returns the transaction of a SMB_COM_TRANSACTION or
// SMB_COM_TRANSACTION_SECONDARY message (decoded as far as it could be),
// or nil.
func (s *SMB) Trans() *Trans {
	if len(s.Commands) > 0 && s.Commands[0].Form == SMBFormTrans {
		return &s.Commands[0].Trans
	}
	return nil
}

// Data returns the message DecodeFromBytes was given (Contents).
func (s *SMB) Data() []byte { return s.Contents }

func (s *SMB) reset(data []byte) {
	s.Commands, s.strBuf, s.dialects = s.Commands[:0], s.strBuf[:0], s.dialects[:0]
	if len(data) >= smbHeaderLen && binary.LittleEndian.Uint32(data) == smbProtocolWord {
		// decodeHeader writes every header field: only the others are
		// cleared (the whole struct's clear was 7 M instructions of the
		// dense --report). FuzzSMB holds a reused decoder to a fresh one.
		s.BaseLayer = layers.BaseLayer{Contents: data}
		s.TreePath, s.TreeMappedIn, s.Err, s.hdrLen = nil, 0, nil, 0
		return
	}
	cmds, sb, dl, skip, bodies := s.Commands, s.strBuf, s.dialects, s.skipText, s.skipBodies
	*s = SMB{}
	s.Commands, s.strBuf, s.dialects, s.skipText, s.skipBodies = cmds, sb, dl, skip, bodies
	s.Contents = data
}

// DecodeFromBytes decodes one SMB1 message: the header, then each command
// block of the AndX chain. Slices alias data. On error the decoded part is
// kept and Err is set.
func (s *SMB) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s.reset(data)
	return decoded(&s.Err, s.decode(data), df)
}

func (s *SMB) decode(data []byte) error {
	if len(data) < 4 || binary.LittleEndian.Uint32(data) != smbProtocolWord {
		s.hdrLen = min(len(data), 4)
		if len(data) < 4 {
			return Truncated("smb", "protocol", 0, 4, len(data))
		}
		return Malformed("smb", "protocol", 0, "not \\xffSMB")
	}
	if len(data) < smbHeaderLen {
		s.hdrLen = len(data)
		s.decodeHeader(data)
		return Truncated("smb", "header", 0, smbHeaderLen, len(data))
	}
	s.hdrLen = smbHeaderLen
	s.decodeHeader(data)
	if s.Command == SMBComNoAndXCommand {
		// tshark shows no body for a header command of 0xFF.
		return nil
	}
	cmd, off := s.Command, smbHeaderLen
	for {
		if len(s.Commands) == MaxAndXCommands {
			return Limit("smb", "andx chain", off, "more than "+strconv.Itoa(MaxAndXCommands)+" commands")
		}
		s.Commands = growBlock(s.Commands)
		b := &s.Commands[len(s.Commands)-1]
		if err := s.decodeBlock(b, cmd, off); err != nil {
			b.err = err
			return err
		}
		if !b.AndX || b.AndXCommand == SMBComNoAndXCommand {
			return nil
		}
		// [MS-CIFS] §2.2.3.4: the next block starts at AndXOffset. It
		// must move forward past this block's parameter words and stay
		// inside the message; anything else would loop or read the header.
		next := int(b.AndXOffset)
		wordsEnd := b.Off + 1 + 2*int(b.WordCount)
		if next <= b.Off || next < wordsEnd+2 {
			return Malformed("smb", "andx offset", b.Off+3, "offset "+strconv.Itoa(next)+" does not move forward (loop)")
		}
		if next >= len(data) {
			return Truncated("smb", "andx command", next, next+1, len(data))
		}
		cmd, off = b.AndXCommand, next
	}
}

func (s *SMB) decodeHeader(d []byte) {
	if len(d) > 4 {
		s.Command = SMBCommand(d[4])
	}
	if len(d) >= 9 {
		s.Status = binary.LittleEndian.Uint32(d[5:])
		s.ErrorClass = d[5]
		s.ErrorCode = binary.LittleEndian.Uint16(d[7:])
	}
	if len(d) >= 10 {
		s.Flags = SMBFlags(d[9])
	}
	if len(d) < smbHeaderLen {
		return
	}
	s.Flags2 = SMBFlags2(binary.LittleEndian.Uint16(d[10:]))
	s.PIDHigh = binary.LittleEndian.Uint16(d[12:])
	s.SecurityFeatures = d[14:22]
	s.Reserved = binary.LittleEndian.Uint16(d[22:])
	s.TID = binary.LittleEndian.Uint16(d[24:])
	s.PIDLow = binary.LittleEndian.Uint16(d[26:])
	s.UID = binary.LittleEndian.Uint16(d[28:])
	s.MID = binary.LittleEndian.Uint16(d[30:])
}

// decodeBlock reads the parameter and data blocks at off and decodes the
// body of the commands nbtsniff knows.
func (s *SMB) decodeBlock(b *SMBCommandBlock, cmd SMBCommand, off int) error {
	d := s.Contents
	// Every common field is written here, on every path (growBlock
	// clears only the bodies).
	b.Command, b.Off = cmd, off
	b.AndX, b.AndXCommand, b.AndXReserved, b.AndXOffset = false, 0, 0, 0
	b.Form, b.Extra, b.extraOff, b.err = SMBFormNone, nil, 0, nil
	if off >= len(d) {
		b.WordCount, b.Words = 0, nil
		b.HasByteCount, b.ByteCount, b.Bytes, b.bytesOff = false, 0, nil, 0
		return Truncated("smb", "word count", off, off+1, len(d))
	}
	b.WordCount = d[off]
	wStart := off + 1
	wEnd := wStart + 2*int(b.WordCount)
	if cmd == SMBComNTCreateAndX && s.IsResponse() && b.WordCount == 42 {
		// The extended response ([MS-SMB] §2.2.4.9.2) says WordCount
		// 42 but carries 50 words (100 bytes: VolumeGUID, FileId and
		// the two access masks follow the 34 words of [MS-CIFS]
		// §2.2.4.64.2); ByteCount comes after them, where tshark reads
		// it (capture nbss139-smb1-smia2011-deduped-msgs_nemesys-cut,
		// frame 135: ByteCount at header offset 133).
		wEnd = wStart + 100
	}
	if wEnd > len(d) {
		b.Words = d[wStart:]
		b.HasByteCount, b.ByteCount, b.Bytes, b.bytesOff = false, 0, nil, 0
		return Truncated("smb", cmdField(cmd, "parameter words"), wStart, wEnd, len(d))
	}
	b.Words = d[wStart:wEnd]
	if cmd.IsAndX() && b.WordCount >= 2 {
		b.AndX = true
		b.AndXCommand = SMBCommand(b.Words[0])
		b.AndXReserved = b.Words[1]
		b.AndXOffset = binary.LittleEndian.Uint16(b.Words[2:])
	}
	if wEnd+2 > len(d) {
		b.HasByteCount, b.ByteCount, b.Bytes, b.bytesOff = false, 0, nil, 0
		return Truncated("smb", cmdField(cmd, "byte count"), wEnd, wEnd+2, len(d))
	}
	b.HasByteCount = true
	b.ByteCount = binary.LittleEndian.Uint16(d[wEnd:])
	bStart := wEnd + 2
	bEnd := bStart + int(b.ByteCount)
	var truncErr error
	if bEnd > len(d) {
		if !ntCreateResponse(cmd, s.IsResponse()) {
			truncErr = Truncated("smb", cmdField(cmd, "byte block"), bStart, bEnd, len(d))
		}
		bEnd = len(d)
	}
	b.Bytes = d[bStart:bEnd]
	b.bytesOff = bStart
	b.extraOff = -1
	err := s.decodeBody(b)
	if truncErr != nil && !(err == nil && b.Form == SMBFormTrans && b.Trans.BeyondByteCount) {
		// The message ended inside the byte block: anything the body
		// found missing is missing for that reason. (A transaction whose
		// blocks are all there, ByteCount past the end of a whole
		// message, is decoded with a note, as tshark does.)
		err = truncErr
	}
	if (b.Form == SMBFormTrans || b.Form == SMBFormTrans2) && b.Trans.Err == nil {
		b.Trans.Err = err
	}
	if err == nil && b.Form != SMBFormNone && !smbCommands[b.Command].wholeBytes && b.bytesOff < b.End() {
		// What no field took: tshark's "Extra byte parameters".
		b.Extra, b.extraOff = s.Contents[b.bytesOff:b.End()], b.bytesOff
	}
	return err
}

// ntCreateResponse: an NT Create AndX response has no byte block
// to decode, and the extended response's ByteCount, which [MS-SMB]
// §2.2.4.9.2 says MUST be 0, is often garbage from real servers (Windows
// Server 2003 in the zeek mapi and SMIA captures of ../shared/pcaps: 25991
// to 34511 with no byte following). tshark shows that count and clamps it
// to the message without a complaint (packet-smb.c, END_OF_SMB); so does
// nbtsniff, rather than calling the frame malformed.
func ntCreateResponse(cmd SMBCommand, resp bool) bool {
	return cmd == SMBComNTCreateAndX && resp
}

// cmdField names a field of a command for error messages without
// allocating on the success path.
func cmdField(cmd SMBCommand, what string) string {
	return string(cmd.appendName(nil)) + " " + what
}

// smbBlockLabels holds the heading of every command block, "Trans Request
// (0x25)", built on the first use (the first -V tree with an SMB block) so
// that AppendTree does not allocate. Built at init, it was 1,000 of the
// package's 1,900 allocations at every process start (issue 15, session 19).
var smbBlockLabels = sync.OnceValue(func() *[256][2]string {
	var l [256][2]string
	for c := range l {
		name := string(SMBCommand(c).appendName(nil))
		code := " (0x" + string([]byte{hexdigits[c>>4], hexdigits[c&0xf]}) + ")"
		l[c][0] = name + " Request" + code
		l[c][1] = name + " Response" + code
	}
	return &l
})

// smbFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var smbFields = NewFieldSet("smb")

// AppendTree adds the "smb" protocol: the "SMB Header" subtree, then one
// subtree per command block, fields in tshark's order. Offsets are from the
// header start (the caller sets t.Base).
func (s *SMB) AppendTree(t *Tree) {
	depth := t.Depth()
	t.Open(fSMB, 0, len(s.Contents))
	if !t.WantsSet(smbFields) {
		t.CloseTo(depth) // -T fields prints none of its fields
		return
	}
	s.appendHeader(t)
	for i := range s.Commands {
		s.appendBlock(t, &s.Commands[i])
		t.CloseTo(depth + 1)
	}
	if s.Err != nil {
		t.CloseTo(depth + 1)
		off := errAt(s.Err, 0, len(s.Contents))
		appendMalformed(t, s.Err, off, len(s.Contents)-off)
	}
	t.CloseTo(depth)
}

func (s *SMB) appendHeader(t *Tree) {
	d := s.Contents
	n := s.hdrLen
	t.OpenText("SMB Header", 0, n)
	defer t.Close()
	if n >= 4 {
		t.Uint(fSMBServerComponent, 0, 4, uint64(binary.LittleEndian.Uint32(d)))
	}
	if n >= 5 {
		t.Uint(fSMBCmd, 4, 1, uint64(s.Command))
	}
	if n < 9 {
		return
	}
	if n >= 12 && s.NTStatus() {
		t.Uint(fSMBNTStatus, 5, 4, uint64(s.Status))
	} else {
		t.Uint(fSMBErrorClass, 5, 1, uint64(s.ErrorClass))
		t.Bytes(fSMBReserved, 6, 1, d[6:7])
		t.Uint(fSMBErrorCode, 7, 2, uint64(s.ErrorCode))
	}
	if n < 10 {
		return
	}
	t.Open(fSMBFlags, 9, 1).U = uint64(s.Flags)
	for _, fb := range [...]struct {
		f   FieldID
		bit SMBFlags
	}{
		{fSMBFlagsResponse, SMBFlagsReply}, {fSMBFlagsNotify, SMBFlagsOpbatch}, {fSMBFlagsOplock, SMBFlagsOplock},
		{fSMBFlagsCanon, SMBFlagsCanonicalizedPaths}, {fSMBFlagsCaseless, SMBFlagsCaseInsensitive},
		{fSMBFlagsReceiveBuffer, SMBFlagsBufAvail}, {fSMBFlagsLock, SMBFlagsLockAndReadOK},
	} {
		t.Bool(fb.f, 9, 1, s.Flags.Has(fb.bit))
	}
	t.Close()
	if n < 12 {
		return
	}
	t.Open(fSMBFlags2, 10, 2).U = uint64(s.Flags2)
	for _, fb := range [...]struct {
		f   FieldID
		bit SMBFlags2
	}{
		{fSMBFlags2String, SMBFlags2Unicode}, {fSMBFlags2NTError, SMBFlags2NTStatus},
		{fSMBFlags2ROE, SMBFlags2PagingIO}, {fSMBFlags2DFS, SMBFlags2DFS},
		{fSMBFlags2ESN, SMBFlags2ExtendedSecurity}, {fSMBFlags2ReparsePath, SMBFlags2ReparsePath},
		{fSMBFlags2LongNamesUsed, SMBFlags2IsLongName}, {fSMBFlags2SecSigReq, SMBFlags2SecuritySigReq},
		{fSMBFlags2Compressed, SMBFlags2Compressed}, {fSMBFlags2SecSig, SMBFlags2SMBSecuritySig},
		{fSMBFlags2EA, SMBFlags2EAs}, {fSMBFlags2LongNames, SMBFlags2LongNames},
	} {
		t.Bool(fb.f, 10, 2, s.Flags2.Has(fb.bit))
	}
	t.Close()
	if n < smbHeaderLen {
		return
	}
	t.Uint(fSMBPIDHigh, 12, 2, uint64(s.PIDHigh))
	t.Bytes(fSMBSignature, 14, 8, s.SecurityFeatures)
	t.Bytes(fSMBReserved, 22, 2, d[22:24])
	if s.TreePath != nil || s.TreeMappedIn > 0 {
		t.Open(fSMBTID, 24, 2).U = uint64(s.TID)
		if s.TreePath != nil {
			t.Bytes(fSMBPath, 24, 0, s.TreePath).Flags |= NodeGenerated
		}
		if s.TreeMappedIn > 0 {
			t.Uint(fSMBMappedIn, 24, 0, uint64(s.TreeMappedIn)).Flags |= NodeGenerated
		}
		t.Close()
	} else {
		t.Uint(fSMBTID, 24, 2, uint64(s.TID))
	}
	t.Uint(fSMBPID, 26, 2, uint64(s.PIDLow))
	t.Uint(fSMBUID, 28, 2, uint64(s.UID))
	t.Uint(fSMBMID, 30, 2, uint64(s.MID))
}

func (s *SMB) appendBlock(t *Tree, b *SMBCommandBlock) {
	if b.Off >= len(s.Contents) {
		return // the message ended before the word count
	}
	resp := 0
	if s.IsResponse() {
		resp = 1
	}
	end := b.Off + 1 + len(b.Words)
	if b.HasByteCount {
		end = b.End()
	}
	t.OpenText(smbBlockLabels()[b.Command][resp], b.Off, end-b.Off)
	t.Uint(fSMBWordCount, b.Off, 1, uint64(b.WordCount))
	if len(b.Words) < 2*int(b.WordCount) {
		return // the message ended inside the words
	}
	w := b.Off + 1 // offset of the words
	if b.AndX {
		t.Uint(fSMBCmd, w, 1, uint64(b.AndXCommand)).Label = "AndXCommand" // tshark's name on this line
		t.Bytes(fSMBReserved, w+1, 1, b.Words[1:2])
		t.Uint(fSMBAndXOffset, w+2, 2, uint64(b.AndXOffset))
	}
	s.appendBody(t, b)
	if len(b.Extra) > 0 {
		t.Bytes(fSMBExtraByteParameters, b.extraOff, len(b.Extra), b.Extra)
	}
}

// AppendInfo appends tshark's info column for SMB alone: "Negotiate
// Protocol Request", "Session Setup AndX Request, User: anonymous; Tree
// Connect AndX, Path: \\HOST\IPC$", "Trans Response, Error:
// STATUS_ACCESS_DENIED". The browser, mailslot and RAP layers replace or
// extend it for transactions.
func (s *SMB) AppendInfo(b []byte) []byte {
	if s.hdrLen < 5 {
		return append(b, "SMB"...)
	}
	if s.Command == SMBComNoAndXCommand {
		return b
	}
	resp := s.IsResponse()
	if len(s.Commands) == 0 {
		b = s.Command.appendName(b)
		b = appendReqResp(b, resp)
	}
	for i := range s.Commands {
		blk := &s.Commands[i]
		if i == 0 {
			b = blk.Command.appendName(b)
			b = appendReqResp(b, resp)
		} else {
			b = append(b, "; "...)
			b = blk.Command.appendName(b)
		}
		b = s.appendBlockInfo(b, blk)
	}
	if s.IsError() {
		b = append(b, ", Error: "...)
		if s.NTStatus() {
			b = appendNTStatus(b, s.Status)
		} else {
			b = appendSMBError(b, s.ErrorClass, s.ErrorCode)
		}
	}
	return b
}

func appendReqResp(b []byte, resp bool) []byte {
	if resp {
		return append(b, " Response"...)
	}
	return append(b, " Request"...)
}
