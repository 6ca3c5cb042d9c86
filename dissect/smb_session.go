package dissect

// SMB_COM_SESSION_SETUP_ANDX (0x73): [MS-CIFS] §2.2.4.53 (NT LM 0.12,
// WordCount 13 request, 3 response), [MS-SMB] §2.2.4.6 (extended security:
// WordCount 12 request, 4 response, with a security blob that carries
// SPNEGO or NTLMSSP, smb_ntlmssp.go), and the LANMAN request (WordCount 10,
// one password). And SMB_COM_LOGOFF_ANDX (0x74, [MS-CIFS] §2.2.4.54), which
// has no body.
//
// Byte order: little-endian.
//
// Request words (after the 4-byte AndX header):
//
//	 4 MaxBufferSize     6 MaxMpxCount       8 VcNumber         10 SessionKey(4)
//	WordCount 10: 14 PasswordLength  16 Reserved(4)
//	  bytes: Password, AccountName, PrimaryDomain, NativeOS, NativeLanMan
//	WordCount 12: 14 SecurityBlobLength  16 Reserved(4)  20 Capabilities(4)
//	  bytes: SecurityBlob, NativeOS, NativeLanMan, PrimaryDomain
//	WordCount 13: 14 OEMPasswordLen  16 UnicodePasswordLen  18 Reserved(4)
//	  22 Capabilities(4)
//	  bytes: OEMPassword, UnicodePassword, AccountName, PrimaryDomain,
//	  NativeOS, NativeLanMan
//
// Response words: 4 Action; WordCount 4 adds 6 SecurityBlobLength; bytes:
// [SecurityBlob], NativeOS, NativeLanMan, PrimaryDomain.

import "encoding/binary"

// SessionSetupAndXRequest is the body of an SMB_COM_SESSION_SETUP_ANDX
// request ([MS-CIFS] §2.2.4.53.1 for NT LM 0.12, WordCount 13; [MS-SMB]
// §2.2.4.6.1 for extended security, WordCount 12; the LANMAN form,
// WordCount 10, has one password and no capabilities).
type SessionSetupAndXRequest struct {
	MaxBufferSize uint16
	MaxMpxCount   uint16
	VCNumber      uint16
	SessionKey    uint32
	// PasswordLength and Password: WordCount 10.
	PasswordLength uint16
	Password       []byte
	// OEMPasswordLength, UnicodePasswordLength and the passwords:
	// WordCount 13.
	OEMPasswordLength     uint16
	UnicodePasswordLength uint16
	OEMPassword           []byte
	UnicodePassword       []byte
	// SecurityBlobLength and SecurityBlob: WordCount 12.
	SecurityBlobLength uint16
	SecurityBlob       []byte
	Reserved           uint32
	Capabilities       uint32 // WordCount 12 and 13
	AccountName        SMBString
	PrimaryDomain      SMBString
	NativeOS           SMBString
	NativeLanMan       SMBString
	// NTLMSSP is the NTLMSSP message found in SecurityBlob, if any.
	NTLMSSP NTLMSSPMessage
}

// Anonymous reports whether this is an anonymous (null session) logon: no
// account and no domain name (tshark's "User: anonymous"), or an NTLMSSP
// AUTHENTICATE with an empty user name.
func (r *SessionSetupAndXRequest) Anonymous() bool {
	if r.NTLMSSP.Type == smbNTLMSSPAuth {
		return len(r.NTLMSSP.User) == 0
	}
	return len(r.AccountName.Text) == 0 && len(r.PrimaryDomain.Text) == 0
}

// SessionSetupAndXResponse is the body of an SMB_COM_SESSION_SETUP_ANDX
// response ([MS-CIFS] §2.2.4.53.2, WordCount 3; [MS-SMB] §2.2.4.6.2,
// WordCount 4 with a security blob).
type SessionSetupAndXResponse struct {
	Action             uint16
	SecurityBlobLength uint16
	SecurityBlob       []byte
	NativeOS           SMBString
	NativeLanMan       SMBString
	PrimaryDomain      SMBString
	NTLMSSP            NTLMSSPMessage
}

// Guest reports the Action guest bit: the server logged the user on as
// guest ([MS-CIFS] §2.2.4.53.2 SMB_SETUP_GUEST).
func (r *SessionSetupAndXResponse) Guest() bool { return r.Action&smbSessionSetupActionGuest != 0 }

func (s *SMB) decodeSessionSetup(b *SMBCommandBlock) error {
	if !s.IsResponse() {
		return s.decodeSessionSetupRequest(b)
	}
	return s.decodeSessionSetupResponse(b)
}

func (s *SMB) decodeSessionSetupRequest(b *SMBCommandBlock) error {
	r := &b.SessionSetupRequest
	w := b.Words
	d, off, end := s.Contents, b.bytesOff, b.End()
	var ok bool
	switch b.WordCount {
	case 10, 12, 13:
		b.Form = SMBFormSessionSetupRequest
		r.MaxBufferSize = binary.LittleEndian.Uint16(w[4:])
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[6:])
		r.VCNumber = binary.LittleEndian.Uint16(w[8:])
		r.SessionKey = binary.LittleEndian.Uint32(w[10:])
	default:
		return nil
	}
	switch b.WordCount {
	case 10:
		r.PasswordLength = binary.LittleEndian.Uint16(w[14:])
		r.Reserved = binary.LittleEndian.Uint32(w[16:])
		if r.Password, ok = take(d, off, end, int(r.PasswordLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup password", off, "outside the byte block")
		}
		off += len(r.Password)
		if s.skipBodies {
			return nil // nothing below can fail
		}
	case 12:
		r.SecurityBlobLength = binary.LittleEndian.Uint16(w[14:])
		r.Reserved = binary.LittleEndian.Uint32(w[16:])
		r.Capabilities = binary.LittleEndian.Uint32(w[20:])
		if r.SecurityBlob, ok = take(d, off, end, int(r.SecurityBlobLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup security blob", off, "outside the byte block")
		}
		off += len(r.SecurityBlob)
		if s.skipBodies {
			return nil // nothing below can fail
		}
		s.ntlmssp(r.SecurityBlob, &r.NTLMSSP)
		b.bytesOff = s.readStrings(off, end, &r.NativeOS, &r.NativeLanMan, &r.PrimaryDomain, nil)
		return nil
	case 13:
		r.OEMPasswordLength = binary.LittleEndian.Uint16(w[14:])
		r.UnicodePasswordLength = binary.LittleEndian.Uint16(w[16:])
		r.Reserved = binary.LittleEndian.Uint32(w[18:])
		r.Capabilities = binary.LittleEndian.Uint32(w[22:])
		if r.OEMPassword, ok = take(d, off, end, int(r.OEMPasswordLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup OEM password", off, "outside the byte block")
		}
		off += len(r.OEMPassword)
		if r.UnicodePassword, ok = take(d, off, end, int(r.UnicodePasswordLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup Unicode password", off, "outside the byte block")
		}
		off += len(r.UnicodePassword)
		if s.skipBodies {
			return nil // nothing below can fail
		}
	}
	b.bytesOff = s.readStrings(off, end, &r.AccountName, &r.PrimaryDomain, &r.NativeOS, &r.NativeLanMan)
	return nil
}

func (s *SMB) decodeSessionSetupResponse(b *SMBCommandBlock) error {
	r := &b.SessionSetupResponse
	w := b.Words
	d, off, end := s.Contents, b.bytesOff, b.End()
	b.Form = SMBFormSessionSetupResponse
	switch b.WordCount {
	case 3:
		r.Action = binary.LittleEndian.Uint16(w[4:])
	case 4:
		r.Action = binary.LittleEndian.Uint16(w[4:])
		r.SecurityBlobLength = binary.LittleEndian.Uint16(w[6:])
		var ok bool
		if r.SecurityBlob, ok = take(d, off, end, int(r.SecurityBlobLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "session setup security blob", off, "outside the byte block")
		}
		off += len(r.SecurityBlob)
		if s.skipBodies {
			return nil // nothing below can fail
		}
		s.ntlmssp(r.SecurityBlob, &r.NTLMSSP)
	default:
		b.Form = SMBFormNone
		return nil
	}
	if s.skipBodies {
		return nil // nothing below can fail
	}
	b.bytesOff = s.readStrings(off, end, &r.NativeOS, &r.NativeLanMan, &r.PrimaryDomain, nil)
	return nil
}

// decodeLogoff: a LOGOFF_ANDX request or response (WordCount 2) has nothing
// after its AndX header.
func (s *SMB) decodeLogoff(b *SMBCommandBlock) error {
	if b.WordCount == 2 {
		b.Form = SMBFormEmpty
	}
	return nil
}

func (s *SMB) treeSessionSetup(t *Tree, b *SMBCommandBlock) {
	if b.Form == SMBFormSessionSetupRequest {
		s.appendSessionSetupRequest(t, b)
		return
	}
	w := b.Off + 1
	r := &b.SessionSetupResponse
	t.Open(fSMBSetupAction, w+4, 2).U = uint64(r.Action)
	t.Bool(fSMBSetupActionGuest, w+4, 2, r.Guest())
	t.Close()
	if b.WordCount == 4 {
		t.Uint(fSMBSecurityBlobLen, w+6, 2, uint64(r.SecurityBlobLength))
	}
	appendByteCount(t, b)
	if len(r.SecurityBlob) > 0 {
		t.Bytes(fSMBSecurityBlob, b.BytesOff(), len(r.SecurityBlob), r.SecurityBlob)
	}
	str(t, fSMBNativeOS, &r.NativeOS)
	str(t, fSMBNativeLanMan, &r.NativeLanMan)
	str(t, fSMBPrimaryDomain, &r.PrimaryDomain)
}

func (s *SMB) appendSessionSetupRequest(t *Tree, b *SMBCommandBlock) {
	r := &b.SessionSetupRequest
	w := b.Off + 1
	t.Uint(fSMBMaxBuf, w+4, 2, uint64(r.MaxBufferSize))
	t.Uint(fSMBMaxMpxCount, w+6, 2, uint64(r.MaxMpxCount))
	t.Uint(fSMBVC, w+8, 2, uint64(r.VCNumber))
	t.Uint(fSMBSessionKey, w+10, 4, uint64(r.SessionKey))
	off := b.BytesOff()
	switch b.WordCount {
	case 10:
		t.Uint(fSMBPasswordLen, w+14, 2, uint64(r.PasswordLength))
		t.Bytes(fSMBReserved, w+16, 4, b.Words[16:20])
		appendByteCount(t, b)
		if r.PasswordLength > 0 {
			t.Bytes(fSMBPassword, off, len(r.Password), r.Password)
		}
	case 12:
		t.Uint(fSMBSecurityBlobLen, w+14, 2, uint64(r.SecurityBlobLength))
		t.Bytes(fSMBReserved, w+16, 4, b.Words[16:20])
		t.Uint(fSMBCapabilities, w+20, 4, uint64(r.Capabilities))
		appendByteCount(t, b)
		if len(r.SecurityBlob) > 0 {
			t.Bytes(fSMBSecurityBlob, off, len(r.SecurityBlob), r.SecurityBlob)
		}
		str(t, fSMBNativeOS, &r.NativeOS)
		str(t, fSMBNativeLanMan, &r.NativeLanMan)
		str(t, fSMBPrimaryDomain, &r.PrimaryDomain)
		return
	case 13:
		t.Uint(fSMBANSIPasswordLen, w+14, 2, uint64(r.OEMPasswordLength))
		t.Uint(fSMBUnicodePasswordLen, w+16, 2, uint64(r.UnicodePasswordLength))
		t.Bytes(fSMBReserved, w+18, 4, b.Words[18:22])
		t.Uint(fSMBCapabilities, w+22, 4, uint64(r.Capabilities))
		appendByteCount(t, b)
		if r.OEMPasswordLength > 0 {
			t.Bytes(fSMBANSIPassword, off, len(r.OEMPassword), r.OEMPassword)
		}
		if r.UnicodePasswordLength > 0 {
			t.Bytes(fSMBUnicodePassword, off+len(r.OEMPassword), len(r.UnicodePassword), r.UnicodePassword)
		}
	}
	str(t, fSMBAccount, &r.AccountName)
	str(t, fSMBPrimaryDomain, &r.PrimaryDomain)
	str(t, fSMBNativeOS, &r.NativeOS)
	str(t, fSMBNativeLanMan, &r.NativeLanMan)
}

// infoSessionSetup appends tshark's words: the NTLMSSP message, or the
// user of a plain-text logon (", User: DOMAIN\user", ", User: anonymous").
func (s *SMB) infoSessionSetup(b []byte, blk *SMBCommandBlock) []byte {
	if blk.Form == SMBFormSessionSetupResponse {
		return appendNTLMSSPInfo(b, &blk.SessionSetupResponse.NTLMSSP)
	}
	r := &blk.SessionSetupRequest
	if blk.WordCount == 12 {
		return appendNTLMSSPInfo(b, &r.NTLMSSP)
	}
	if r.PrimaryDomain.Present {
		b = append(b, ", User: "...)
		if len(r.AccountName.Text) == 0 && len(r.PrimaryDomain.Text) == 0 {
			return append(b, "anonymous"...)
		}
		b = append(b, r.PrimaryDomain.Text...)
		b = append(b, '\\')
		b = append(b, r.AccountName.Text...)
	}
	return b
}
