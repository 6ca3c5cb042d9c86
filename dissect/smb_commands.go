package dissect

// The SMB1 commands whose bodies nbtsniff decodes, and the one table that
// dispatches to them ([MS-CIFS] §2.2.4). Each command family has its own
// file, holding its body's struct, its decode, its tree and its info-column
// words together:
//
//	smb_negotiate.go     SMB_COM_NEGOTIATE (0x72)
//	smb_session.go       SMB_COM_SESSION_SETUP_ANDX (0x73), SMB_COM_LOGOFF_ANDX (0x74)
//	smb_ntlmssp.go       the NTLMSSP message in a session setup's security blob
//	smb_tree_connect.go  SMB_COM_TREE_CONNECT_ANDX (0x75), SMB_COM_TREE_DISCONNECT (0x71)
//	smbtrans.go          SMB_COM_TRANSACTION (0x25, 0x26), SMB_COM_TRANSACTION2 (0x32, 0x33)
//	smb_nttrans.go       SMB_COM_NT_TRANSACT (0xA0, 0xA1)
//	smb_file.go          SMB_COM_NT_CREATE_ANDX (0xA2), SMB_COM_CLOSE (0x04),
//	                     SMB_COM_LOCKING_ANDX (0x24)
//	smb_readwrite.go     SMB_COM_READ_ANDX (0x2E), SMB_COM_WRITE_ANDX (0x2F)
//
// Every other command (Echo, and all those nbtsniff does not decode) is
// shown as its blocks: WordCount, the AndX header of an AndX command,
// ByteCount.
//
// Adding a command: write its file (the body struct; a decode method that
// sets the block's Form; a tree method that adds the body's fields in
// tshark's order, ByteCount included with appendByteCount; an info method
// when tshark adds words to the info column; new fields registered there),
// then, in this file, its Form, its body field in SMBCommandBlock and its
// entry in smbCommands (andX for an AndX command).

// SMBForm says which decoded form of an SMBCommandBlock is filled.
type SMBForm uint8

// Decoded forms.
const (
	SMBFormNone SMBForm = iota // only WordCount, words, ByteCount and bytes
	SMBFormNegotiateRequest
	SMBFormNegotiateResponse
	SMBFormSessionSetupRequest
	SMBFormSessionSetupResponse
	SMBFormTreeConnectRequest
	SMBFormTreeConnectResponse
	SMBFormTrans // Trans: SMB_COM_TRANSACTION and its secondary
	SMBFormEmpty // a body that has no fields: TREE_DISCONNECT, LOGOFF_ANDX, an error response
	SMBFormNTCreate
	SMBFormTrans2             // Trans: SMB_COM_TRANSACTION2 and its secondary
	SMBFormNTTrans            // NTTrans: SMB_COM_NT_TRANSACT and its secondary
	SMBFormReadAndXResponse   // ReadAndXResponse
	SMBFormWriteAndXRequest   // WriteAndXRequest
	SMBFormLockingAndXRequest // LockingAndXRequest
	SMBFormReadAndXRequest    // ReadAndXRequest
	SMBFormCloseRequest       // CloseFID
)

// SMBCommandBlock is one command of a message: its parameter and data
// blocks ([MS-CIFS] §2.2.3.2, §2.2.3.3) and, for the commands nbtsniff
// decodes, the decoded body (Form says which field holds it).
type SMBCommandBlock struct {
	Command SMBCommand
	// Off is the offset of the WordCount byte from the header start.
	Off       int
	WordCount uint8
	Words     []byte // 2 × WordCount bytes (fewer if the message ended)
	// HasByteCount is false when the message ended before ByteCount.
	HasByteCount bool
	ByteCount    uint16
	Bytes        []byte // ByteCount bytes (fewer if the message ended)
	// AndX header (AndX commands with WordCount >= 2).
	AndX         bool
	AndXCommand  SMBCommand
	AndXReserved uint8
	AndXOffset   uint16

	Form                 SMBForm
	NegotiateRequest     NegotiateRequest
	NegotiateResponse    NegotiateResponse
	SessionSetupRequest  SessionSetupAndXRequest
	SessionSetupResponse SessionSetupAndXResponse
	TreeConnectRequest   TreeConnectAndXRequest
	TreeConnectResponse  TreeConnectAndXResponse
	Trans                Trans
	NTCreate             NTCreateAndX
	NTTrans              NTTrans
	ReadAndXResponse     ReadAndXResponse
	WriteAndXRequest     WriteAndXRequest
	LockingAndXRequest   LockingAndXRequest
	ReadAndXRequest      ReadAndXRequest
	CloseFID             uint16 // SMB_COM_CLOSE request's FID

	// Extra is the rest of the byte block that no field took (tshark's
	// "Extra byte parameters").
	Extra    []byte
	extraOff int
	// decoded bytes of the block (where the body's emitter stops)
	bytesOff int
	err      error
}

// growBlock lengthens cmds by one zeroed block, like growOne. A block
// reused in place is cleared by clear, not as a whole: at 1,920 bytes
// (every command's body) its zeroing was 2.7% of the dense --report's
// instructions.
func growBlock(cmds []SMBCommandBlock) []SMBCommandBlock {
	if len(cmds) < cap(cmds) {
		cmds = cmds[:len(cmds)+1]
		cmds[len(cmds)-1].clear()
		return cmds
	}
	return append(cmds, SMBCommandBlock{})
}

// clear zeroes the bodies of the forms of the command of a block that
// decodeBlock filled, the only ones that command's decode writes
// (FuzzSMB holds a reused decoder's blocks to a fresh one's); decodeBlock
// writes every common field. A command whose decode this does not list
// clears the whole block.
func (b *SMBCommandBlock) clear() {
	switch b.Command {
	case SMBComNegotiate:
		b.NegotiateRequest, b.NegotiateResponse = NegotiateRequest{}, NegotiateResponse{}
	case SMBComSessionSetupAndX:
		b.SessionSetupRequest, b.SessionSetupResponse = SessionSetupAndXRequest{}, SessionSetupAndXResponse{}
	case SMBComTreeConnectAndX:
		b.TreeConnectRequest, b.TreeConnectResponse = TreeConnectAndXRequest{}, TreeConnectAndXResponse{}
	case SMBComTransaction, SMBComTransactionSecondary, SMBComTransaction2, SMBComTransaction2Secondary:
		b.Trans = Trans{}
	case SMBComNTTransact, SMBComNTTransactSecondary:
		b.NTTrans = NTTrans{}
	case SMBComNTCreateAndX:
		b.NTCreate = NTCreateAndX{}
	case SMBComClose:
		b.CloseFID = 0
	case SMBComLockingAndX:
		b.LockingAndXRequest = LockingAndXRequest{}
	case SMBComReadAndX:
		b.ReadAndXRequest, b.ReadAndXResponse = ReadAndXRequest{}, ReadAndXResponse{}
	case SMBComWriteAndX:
		b.WriteAndXRequest = WriteAndXRequest{}
	case SMBComLogoffAndX, SMBComTreeDisconnect:
		// Their decode sets only the form.
	default:
		if smbCommands[b.Command].decode != nil {
			*b = SMBCommandBlock{}
			return
		}
	}
}

// BytesOff is the offset of the byte block from the header start (after
// the words: 2 × WordCount bytes, except in the NT Create AndX extended
// response, see decodeBlock).
func (b *SMBCommandBlock) BytesOff() int {
	return b.Off + 1 + max(len(b.Words), 2*int(b.WordCount)) + 2
}

// End is the offset just after the block's bytes.
func (b *SMBCommandBlock) End() int { return b.BytesOff() + len(b.Bytes) }

// decoded reports whether the block's body was decoded into one of the
// forms of its command (not SMBFormNone, not SMBFormEmpty).
func (b *SMBCommandBlock) decoded() bool { return b.Form != SMBFormNone && b.Form != SMBFormEmpty }

// smbCommand is what nbtsniff knows of one command beyond its parameter
// and data blocks. A zero entry shows the blocks as they are.
type smbCommand struct {
	// decode reads the body from the block's words and bytes and sets
	// b.Form; a shape it does not know (an unexpected WordCount) leaves
	// SMBFormNone, and the block is shown raw. It advances b.bytesOff
	// past what it read: the rest is "Extra byte parameters".
	decode func(s *SMB, b *SMBCommandBlock) error
	// tree adds the decoded body's fields after the AndX header, in
	// tshark's order, ByteCount included (appendByteCount).
	tree func(s *SMB, t *Tree, b *SMBCommandBlock)
	// info appends what tshark adds to "Name Request" in the info column
	// (", Path: \\HOST\IPC$").
	info func(s *SMB, b []byte, blk *SMBCommandBlock) []byte
	// bare says that decode also reads a response without words and
	// bytes; for every other command such a response (an error, or a bare
	// success) is SMBFormEmpty.
	bare bool
	// wholeBytes says that tree shows the whole byte block itself: no
	// "Extra byte parameters" follow.
	wholeBytes bool
	// andX says that the words start with the AndX header ([MS-CIFS]
	// §2.2.3.4): the chain goes on at AndXOffset.
	andX bool
	// noErrors says that decode never returns an error and that only
	// tree and info read what it writes: with SkipBodies it is not
	// called (FuzzSMB holds such a decode to the full one).
	noErrors bool
}

// smbCommands is the dispatch table: one entry per command nbtsniff
// decodes or whose AndX chain it follows, keyed by command code.
var smbCommands = [256]smbCommand{
	SMBComNegotiate:        {decode: (*SMB).decodeNegotiate, tree: (*SMB).treeNegotiate},
	SMBComSessionSetupAndX: {decode: (*SMB).decodeSessionSetup, tree: (*SMB).treeSessionSetup, info: (*SMB).infoSessionSetup, andX: true},
	SMBComLogoffAndX:       {decode: (*SMB).decodeLogoff, andX: true, noErrors: true},
	SMBComTreeConnectAndX:  {decode: (*SMB).decodeTreeConnect, tree: (*SMB).treeTreeConnect, info: (*SMB).infoTreeConnect, andX: true},
	SMBComTreeDisconnect:   {decode: (*SMB).decodeTreeDisconnect, noErrors: true},

	SMBComTransaction:           {decode: (*SMB).decodeTrans, tree: (*SMB).appendTrans, info: (*SMB).infoTrans, wholeBytes: true},
	SMBComTransactionSecondary:  {decode: (*SMB).decodeTrans, tree: (*SMB).appendTrans, info: (*SMB).infoTrans, wholeBytes: true},
	SMBComTransaction2:          {decode: (*SMB).decodeTrans, tree: (*SMB).appendTrans, info: (*SMB).infoTrans2, wholeBytes: true},
	SMBComTransaction2Secondary: {decode: (*SMB).decodeTrans, tree: (*SMB).appendTrans, info: (*SMB).infoTrans2, wholeBytes: true},
	SMBComNTTransact:            {decode: (*SMB).decodeNTTrans, tree: (*SMB).treeNTTrans, info: (*SMB).infoNTTrans},
	SMBComNTTransactSecondary:   {decode: (*SMB).decodeNTTrans, tree: (*SMB).treeNTTrans, info: (*SMB).infoNTTrans},

	SMBComNTCreateAndX: {decode: (*SMB).decodeNTCreate, tree: (*SMB).treeNTCreate, info: (*SMB).infoNTCreate, bare: true, wholeBytes: true, andX: true, noErrors: true},
	SMBComClose:        {decode: (*SMB).decodeClose, tree: (*SMB).treeClose, info: (*SMB).infoClose, noErrors: true},
	SMBComLockingAndX:  {decode: (*SMB).decodeLockingAndX, tree: (*SMB).treeLockingAndX, info: (*SMB).infoLockingAndX, andX: true, noErrors: true},
	SMBComOpenAndX:     {andX: true}, // not decoded: the chain is followed
	SMBComReadAndX:     {decode: (*SMB).decodeReadAndX, tree: (*SMB).treeReadAndX, info: (*SMB).infoReadAndX, andX: true, noErrors: true},
	SMBComWriteAndX:    {decode: (*SMB).decodeWriteAndX, tree: (*SMB).treeWriteAndX, info: (*SMB).infoWriteAndX, andX: true, noErrors: true},
}

// decodeBody decodes the body of a command of smbCommands.
func (s *SMB) decodeBody(b *SMBCommandBlock) error {
	c := &smbCommands[b.Command]
	if !c.bare && s.IsResponse() && b.WordCount == 0 && b.ByteCount == 0 {
		// An error response carries neither words nor bytes
		// ([MS-CIFS] §3.3.4.1.2), and so does a bare success for some
		// commands.
		b.Form = SMBFormEmpty
		return nil
	}
	if c.decode == nil || c.noErrors && s.skipBodies {
		return nil // words and bytes are shown as they are
	}
	return c.decode(s, b)
}

// appendBody adds the fields of the block's body after its AndX header:
// the decoded body's, or just ByteCount.
func (s *SMB) appendBody(t *Tree, b *SMBCommandBlock) {
	if c := &smbCommands[b.Command]; c.tree != nil && b.decoded() {
		c.tree(s, t, b)
		return
	}
	appendByteCount(t, b)
}

// appendBlockInfo appends the info-column words of the block's body.
func (s *SMB) appendBlockInfo(b []byte, blk *SMBCommandBlock) []byte {
	if c := &smbCommands[blk.Command]; c.info != nil && blk.decoded() {
		return c.info(s, b, blk)
	}
	return b
}

// appendByteCount adds ByteCount, after the words, if the message has it.
func appendByteCount(t *Tree, b *SMBCommandBlock) {
	if b.HasByteCount {
		t.Uint(fSMBByteCount, b.Off+1+len(b.Words), 2, uint64(b.ByteCount))
	}
}
