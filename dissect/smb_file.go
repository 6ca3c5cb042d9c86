package dissect

// The commands on a file (or named pipe) by its FID that nbtsniff reads as
// far as tshark's info column and fields need them:
// SMB_COM_NT_CREATE_ANDX (0xA2, [MS-CIFS] §2.2.4.64, [MS-SMB] §2.2.4.9),
// SMB_COM_CLOSE (0x04, §2.2.4.5) and SMB_COM_LOCKING_ANDX (0x24,
// §2.2.4.32).
//
// Byte order: little-endian.
//
// NT Create AndX: a request (WordCount 24) names the file in its byte
// block; a response carries the FID at word byte 5 (after the AndX header
// and OplockLevel). The rest of both is shown as the block's words.
// Close request words (WordCount 3): 0 FID, 2 LastTimeModified(4).
// Locking AndX request words (WordCount 8): 4 FID, 6 LockType(1),
// 7 OplockLevel(1), 8 Timeout(4), 12 NumberOfUnlocks, 14 NumberOfLocks;
// the LOCKING_ANDX_RANGE entries of the byte block are not decoded.

import "encoding/binary"

// NTCreateAndX is what nbtsniff reads of SMB_COM_NT_CREATE_ANDX
// ([MS-CIFS] §2.2.4.64): the file name of a request (WordCount 24: a named
// pipe such as \srvsvc on IPC$) and the FID of a response, which tshark
// puts in the info column. The other fields are not decoded.
type NTCreateAndX struct {
	FileName SMBString // request
	FID      uint16    // response (0 in an error response)
}

func (s *SMB) decodeNTCreate(b *SMBCommandBlock) error {
	// the info column's Path or FID only; the block is shown as it is
	b.Form = SMBFormNTCreate
	switch {
	case !s.IsResponse() && b.WordCount == 24:
		s.readLabel(b.bytesOff, b.End(), s.Unicode(), false, &b.NTCreate.FileName)
	case s.IsResponse() && len(b.Words) >= 7: // AndX header, OplockLevel, FID
		b.NTCreate.FID = binary.LittleEndian.Uint16(b.Words[5:])
	}
	return nil
}

func (s *SMB) treeNTCreate(t *Tree, b *SMBCommandBlock) {
	w := b.Off + 1
	if s.IsResponse() && len(b.Words) >= 7 {
		t.Uint(fSMBFID, w+5, 2, uint64(b.NTCreate.FID))
	}
	appendByteCount(t, b)
}

func (s *SMB) infoNTCreate(b []byte, blk *SMBCommandBlock) []byte {
	if s.IsResponse() {
		// tshark shows FID 0x0000 for an NT-status error response
		// without words, nothing for a DOS-style one.
		if blk.WordCount < 3 && !s.NTStatus() {
			return b
		}
		return appendFID(b, blk.NTCreate.FID)
	}
	if fn := &blk.NTCreate.FileName; fn.Present {
		b = append(b, ", Path: "...)
		b = append(b, fn.Text...)
	}
	return b
}

// decodeClose reads the FID of a request ([MS-CIFS] §2.2.4.5.1: FID,
// LastTimeModified).
func (s *SMB) decodeClose(b *SMBCommandBlock) error {
	if !s.IsResponse() && b.WordCount == 3 {
		b.CloseFID = binary.LittleEndian.Uint16(b.Words)
		b.Form = SMBFormCloseRequest
	}
	return nil
}

func (s *SMB) treeClose(t *Tree, b *SMBCommandBlock) {
	t.Uint(fSMBFID, b.Off+1, 2, uint64(b.CloseFID))
	appendByteCount(t, b)
}

func (s *SMB) infoClose(b []byte, blk *SMBCommandBlock) []byte { return appendFID(b, blk.CloseFID) }

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

func (s *SMB) decodeLockingAndX(b *SMBCommandBlock) error {
	if !s.IsResponse() {
		s.decodeLockingAndXRequest(b)
	}
	return nil
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

func (s *SMB) treeLockingAndX(t *Tree, b *SMBCommandBlock) {
	w := b.Off + 1
	r := &b.LockingAndXRequest
	t.Uint(fSMBFID, w+4, 2, uint64(r.FID))
	t.Uint(fSMBLockType, w+6, 1, uint64(r.LockType))
	t.Uint(fSMBOplockLevel, w+7, 1, uint64(r.OplockLevel))
	t.Uint(fSMBTimeout, w+8, 4, uint64(r.Timeout))
	t.Uint(fSMBNumUnlocks, w+12, 2, uint64(r.NumberOfUnlocks))
	t.Uint(fSMBNumLocks, w+14, 2, uint64(r.NumberOfLocks))
	appendByteCount(t, b)
}

func (s *SMB) infoLockingAndX(b []byte, blk *SMBCommandBlock) []byte {
	return appendFID(b, blk.LockingAndXRequest.FID)
}

// appendFID appends tshark's ", FID: 0x4002".
func appendFID(b []byte, fid uint16) []byte {
	return appendHex16(append(b, ", FID: 0x"...), fid)
}
