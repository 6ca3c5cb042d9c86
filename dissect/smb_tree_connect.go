package dissect

// SMB_COM_TREE_CONNECT_ANDX (0x75): [MS-CIFS] §2.2.4.55, [MS-SMB] §2.2.4.7
// (the extended response, WordCount 7). And SMB_COM_TREE_DISCONNECT (0x71,
// [MS-CIFS] §2.2.4.51), which has no body.
//
// Byte order: little-endian.
//
// Request words: 4 Flags, 6 PasswordLength; bytes: Password, Path (in the
// message's string encoding), Service (always OEM).
// Response words: 4 OptionalSupport (WordCount 3 and 7), then, WordCount
// 7: 6 MaximalShareAccessRights(4), 10 GuestMaximalShareAccessRights(4);
// bytes: Service (OEM), NativeFileSystem.

import "encoding/binary"

// TreeConnectAndXRequest is the body of an SMB_COM_TREE_CONNECT_ANDX
// request ([MS-CIFS] §2.2.4.55.1).
type TreeConnectAndXRequest struct {
	Flags          uint16
	PasswordLength uint16
	Password       []byte
	Path           SMBString // \\SERVER\SHARE, such as \\HOST\IPC$
	Service        SMBString // "?????", "IPC", "A:": always OEM
}

// TreeConnectAndXResponse is the body of an SMB_COM_TREE_CONNECT_ANDX
// response ([MS-CIFS] §2.2.4.55.2, WordCount 3; WordCount 2 from older
// servers; [MS-SMB] §2.2.4.7.2, WordCount 7 with the access rights).
type TreeConnectAndXResponse struct {
	OptionalSupport               uint16
	MaximalShareAccessRights      uint32
	GuestMaximalShareAccessRights uint32
	Service                       SMBString
	NativeFileSystem              SMBString
}

func (s *SMB) decodeTreeConnect(b *SMBCommandBlock) error {
	if !s.IsResponse() {
		return s.decodeTreeConnectRequest(b)
	}
	return s.decodeTreeConnectResponse(b)
}

func (s *SMB) decodeTreeConnectRequest(b *SMBCommandBlock) error {
	r := &b.TreeConnectRequest
	if b.WordCount != 4 {
		return nil
	}
	b.Form = SMBFormTreeConnectRequest
	w := b.Words
	r.Flags = binary.LittleEndian.Uint16(w[4:])
	r.PasswordLength = binary.LittleEndian.Uint16(w[6:])
	d, off, end := s.Contents, b.bytesOff, b.End()
	var ok bool
	if r.Password, ok = take(d, off, end, int(r.PasswordLength)); !ok {
		b.bytesOff = end
		return Malformed("smb", "tree connect password", off, "outside the byte block")
	}
	off += len(r.Password)
	if off, ok = s.readString(off, end, s.Unicode(), false, &r.Path); ok && !s.skipBodies {
		off, _ = s.readLabel(off, end, false, true, &r.Service)
	}
	b.bytesOff = off
	return nil
}

func (s *SMB) decodeTreeConnectResponse(b *SMBCommandBlock) error {
	if s.skipBodies {
		return nil // nothing below can fail
	}
	r := &b.TreeConnectResponse
	w := b.Words
	b.Form = SMBFormTreeConnectResponse
	switch b.WordCount {
	case 2:
	case 3:
		r.OptionalSupport = binary.LittleEndian.Uint16(w[4:])
	case 7:
		r.OptionalSupport = binary.LittleEndian.Uint16(w[4:])
		r.MaximalShareAccessRights = binary.LittleEndian.Uint32(w[6:])
		r.GuestMaximalShareAccessRights = binary.LittleEndian.Uint32(w[10:])
	default:
		b.Form = SMBFormNone
		return nil
	}
	off, end := b.bytesOff, b.End()
	var ok bool
	if off, ok = s.readLabel(off, end, false, true, &r.Service); ok {
		off, _ = s.readLabel(off, end, s.Unicode(), false, &r.NativeFileSystem)
	}
	b.bytesOff = off
	return nil
}

// decodeTreeDisconnect: a TREE_DISCONNECT request or response has no body.
func (s *SMB) decodeTreeDisconnect(b *SMBCommandBlock) error {
	b.Form = SMBFormEmpty
	return nil
}

func (s *SMB) treeTreeConnect(t *Tree, b *SMBCommandBlock) {
	w := b.Off + 1
	if b.Form == SMBFormTreeConnectRequest {
		r := &b.TreeConnectRequest
		t.Open(fSMBConnectFlags, w+4, 2).U = uint64(r.Flags)
		t.Bool(fSMBConnectFlagsDTID, w+4, 2, r.Flags&smbTreeConnectDisconnectTID != 0)
		t.Bool(fSMBConnectFlagsExtSig, w+4, 2, r.Flags&smbTreeConnectExtendedSig != 0)
		t.Bool(fSMBConnectFlagsExtResp, w+4, 2, r.Flags&smbTreeConnectExtendedResp != 0)
		t.Close()
		t.Uint(fSMBPasswordLen, w+6, 2, uint64(r.PasswordLength))
		appendByteCount(t, b)
		if r.PasswordLength > 0 {
			t.Bytes(fSMBPassword, b.BytesOff(), len(r.Password), r.Password)
		}
		str(t, fSMBPath, &r.Path)
		str(t, fSMBService, &r.Service)
		return
	}
	r := &b.TreeConnectResponse
	if b.WordCount >= 3 {
		t.Uint(fSMBConnectSupport, w+4, 2, uint64(r.OptionalSupport))
	}
	if b.WordCount == 7 {
		t.OpenText("Maximal Share Access Rights", w+6, 4)
		t.Uint(fSMBAccessMask, w+6, 4, uint64(r.MaximalShareAccessRights))
		t.Close()
		t.OpenText("Guest Maximal Share Access Rights", w+10, 4)
		t.Uint(fSMBAccessMask, w+10, 4, uint64(r.GuestMaximalShareAccessRights))
		t.Close()
	}
	appendByteCount(t, b)
	str(t, fSMBService, &r.Service)
	str(t, fSMBNativeFS, &r.NativeFileSystem)
}

// infoTreeConnect appends tshark's ", Path: \\HOST\IPC$" to a request.
func (s *SMB) infoTreeConnect(b []byte, blk *SMBCommandBlock) []byte {
	if p := &blk.TreeConnectRequest.Path; blk.Form == SMBFormTreeConnectRequest && p.Present {
		b = append(b, ", Path: "...)
		b = append(b, p.Text...)
	}
	return b
}
