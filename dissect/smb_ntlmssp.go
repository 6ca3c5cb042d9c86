package dissect

// NTLMSSP ([MS-NLMP] §2.2.1), as far as tshark's info column needs it: the
// message type of the NTLMSSP message found in a session setup's security
// blob (raw, or wrapped in SPNEGO) and, for AUTHENTICATE, the domain and
// user. Signing, the challenge and the responses are not decoded.
//
// Byte order: little-endian.

import (
	"bytes"
	"encoding/binary"
)

// NTLMSSPMessage is what nbtsniff reads of an NTLMSSP message found in a
// security blob ([MS-NLMP] §2.2.1): its type and, for AUTHENTICATE, the
// domain and user names (as tshark shows them in the info column).
type NTLMSSPMessage struct {
	Type   uint32 // 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE; 0 if none found
	Flags  uint32 // NegotiateFlags, for AUTHENTICATE
	Domain []byte // UTF-8
	User   []byte // UTF-8
}

// ntlmssp finds an NTLMSSP message in a security blob (raw, or inside
// SPNEGO: the signature is searched for) and reads its type and, for
// AUTHENTICATE, the domain and user ([MS-NLMP] §2.2.1.3).
func (s *SMB) ntlmssp(blob []byte, m *NTLMSSPMessage) {
	*m = NTLMSSPMessage{}
	i := bytes.Index(blob, ntlmsspSignature)
	if i < 0 || len(blob)-i < 12 {
		return
	}
	msg := blob[i:]
	m.Type = binary.LittleEndian.Uint32(msg[8:])
	if m.Type != smbNTLMSSPAuth || len(msg) < 64 {
		return
	}
	m.Flags = binary.LittleEndian.Uint32(msg[60:])
	uni := m.Flags&smbNTLMSSPNegotiateUnicode != 0
	m.Domain = s.ntlmField(msg, 28, uni)
	m.User = s.ntlmField(msg, 36, uni)
}

var ntlmsspSignature = []byte("NTLMSSP\x00")

// ntlmField reads an NTLMSSP security buffer (Len, MaxLen, Offset from the
// message start) at at.
func (s *SMB) ntlmField(msg []byte, at int, uni bool) []byte {
	n := int(binary.LittleEndian.Uint16(msg[at:]))
	o := int(binary.LittleEndian.Uint32(msg[at+4:]))
	if n == 0 || o < 0 || o > len(msg) || n > len(msg)-o {
		return nil
	}
	if uni {
		return s.appendUTF16(msg[o : o+n])
	}
	return s.ascii(msg[o : o+n])
}

// appendNTLMSSPInfo appends what tshark's NTLMSSP dissector adds to the
// info column.
func appendNTLMSSPInfo(b []byte, m *NTLMSSPMessage) []byte {
	switch m.Type {
	case smbNTLMSSPNegotiate:
		b = append(b, ", NTLMSSP_NEGOTIATE"...)
	case smbNTLMSSPChallenge:
		b = append(b, ", NTLMSSP_CHALLENGE"...)
	case smbNTLMSSPAuth:
		b = append(b, ", NTLMSSP_AUTH, User: "...)
		b = append(b, m.Domain...)
		b = append(b, '\\')
		b = append(b, m.User...)
	}
	return b
}
