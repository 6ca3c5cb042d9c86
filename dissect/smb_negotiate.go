package dissect

// SMB_COM_NEGOTIATE (0x72): [MS-CIFS] §2.2.4.52. The client offers dialect
// strings; the server answers with the index of the one it picked and, in
// the NT LM 0.12 form (WordCount 17), its limits, capabilities, time and
// either a challenge with its domain and name or (extended security) its
// GUID and a security blob; the LANMAN form (WordCount 13) has 16-bit
// limits, a raw mode and the time as SMB_DATE/SMB_TIME.
//
// Byte order: little-endian.
//
// Response words, WordCount 17 (NT LM 0.12):
//
//	 0 DialectIndex      2 SecurityMode(1)   3 MaxMpxCount       5 MaxNumberVcs
//	 7 MaxBufferSize(4) 11 MaxRawSize(4)    15 SessionKey(4)    19 Capabilities(4)
//	23 SystemTime(8)    31 ServerTimeZone   33 ChallengeLength(1)
//	bytes: Challenge, DomainName, ServerName; or ServerGUID(16), SecurityBlob
//
// Response words, WordCount 13 (LANMAN 2.1 and earlier):
//
//	 0 DialectIndex      2 SecurityMode      4 MaxBufferSize     6 MaxMpxCount
//	 8 MaxNumberVcs     10 RawMode          12 SessionKey(4)    16 ServerTime
//	18 ServerDate       20 ServerTimeZone   22 ChallengeLength  24 Reserved
//	bytes: Challenge, DomainName

import (
	"encoding/binary"
	"strconv"
)

// SMBDialect is one dialect string of a NEGOTIATE request ([MS-CIFS]
// §2.2.4.52.1).
type SMBDialect struct {
	Off, Len     int   // buffer format byte to terminator, inclusive
	BufferFormat uint8 // 0x02
	Name         []byte
	// Unterminated: the byte block ends before the name's terminator
	// (ByteCount one short): the name is not shown as smb.dialect.name.
	Unterminated bool
}

// NegotiateRequest is the body of SMB_COM_NEGOTIATE sent by a client
// ([MS-CIFS] §2.2.4.52.1): the dialects it offers, in order (the response
// picks one by index).
type NegotiateRequest struct {
	Dialects []SMBDialect
}

// NegotiateResponse is the body of an SMB_COM_NEGOTIATE response ([MS-CIFS]
// §2.2.4.52.2): WordCount 17 for NT LM 0.12, 13 for the LANMAN dialects, 1
// for the core protocol (DialectIndex only). DialectIndex 0xFFFF means none
// of the offered dialects was accepted.
type NegotiateResponse struct {
	DialectIndex uint16
	SecurityMode uint16 // 8 bits in WordCount 17, 16 in WordCount 13
	MaxMpxCount  uint16
	MaxNumberVCs uint16
	// MaxBufferSize is 32 bits in WordCount 17 and 16 in WordCount 13.
	MaxBufferSize uint32
	MaxRawSize    uint32 // WordCount 17
	RawMode       uint16 // WordCount 13
	SessionKey    uint32
	Capabilities  uint32 // WordCount 17
	// SystemTime is a FILETIME (100 ns since 1601) in WordCount 17.
	SystemTime uint64
	// ServerDate and ServerTime are SMB_DATE/SMB_TIME in WordCount 13.
	ServerDate, ServerTime uint16
	ServerTimeZone         int16 // minutes from UTC
	ChallengeLength        uint16
	// Extended security (CAP_EXTENDED_SECURITY in WordCount 17): the
	// server GUID and the security blob (SPNEGO).
	ServerGUID   []byte
	SecurityBlob []byte
	// Otherwise: the challenge and the domain and server names.
	Challenge  []byte
	DomainName SMBString
	ServerName SMBString
}

// ExtendedSecurity reports whether the response is the extended security
// form (CAP_EXTENDED_SECURITY, [MS-CIFS] §2.2.4.52.2).
func (r *NegotiateResponse) ExtendedSecurity() bool {
	return r.Capabilities&smbCapExtendedSecurity != 0
}

// SystemTimeUnixNano converts SystemTime to Unix nanoseconds.
func (r *NegotiateResponse) SystemTimeUnixNano() int64 { return filetimeUnixNano(r.SystemTime) }

func (s *SMB) decodeNegotiate(b *SMBCommandBlock) error {
	if !s.IsResponse() {
		return s.decodeNegotiateRequest(b)
	}
	return s.decodeNegotiateResponse(b)
}

func (s *SMB) decodeNegotiateRequest(b *SMBCommandBlock) error {
	b.Form = SMBFormNegotiateRequest
	r := &b.NegotiateRequest
	// The dialects live in the decoder's slice, reused message after
	// message.
	start := len(s.dialects)
	defer func() { r.Dialects = s.dialects[start:len(s.dialects):len(s.dialects)] }()
	off, end := b.bytesOff, b.End()
	for off < end {
		if len(s.dialects)-start == MaxDialects {
			b.bytesOff = off
			return Limit("smb", "negotiate dialects", off, "more than "+strconv.Itoa(MaxDialects)+" dialects")
		}
		dl := SMBDialect{Off: off, BufferFormat: s.Contents[off]}
		var str SMBString
		next, _ := s.readString(off+1, end, false, true, &str)
		dl.Name = str.Text
		dl.Len = next - off
		// A name whose terminator is past ByteCount (nmap's version
		// scan sends "NT LM 0.12" one byte short) is not a name tshark
		// shows: it stops at the byte count (CHECK_BYTE_COUNT).
		dl.Unterminated = next <= off+1 || s.Contents[next-1] != 0
		s.dialects = append(s.dialects, dl)
		off = next
	}
	b.bytesOff = off
	return nil
}

func (s *SMB) decodeNegotiateResponse(b *SMBCommandBlock) error {
	b.Form = SMBFormNegotiateResponse
	r := &b.NegotiateResponse
	w := b.Words
	if len(w) >= 2 {
		r.DialectIndex = binary.LittleEndian.Uint16(w)
	}
	d, off, end := s.Contents, b.bytesOff, b.End()
	switch b.WordCount {
	case 17:
		r.SecurityMode = uint16(w[2])
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[3:])
		r.MaxNumberVCs = binary.LittleEndian.Uint16(w[5:])
		r.MaxBufferSize = binary.LittleEndian.Uint32(w[7:])
		r.MaxRawSize = binary.LittleEndian.Uint32(w[11:])
		r.SessionKey = binary.LittleEndian.Uint32(w[15:])
		r.Capabilities = binary.LittleEndian.Uint32(w[19:])
		r.SystemTime = binary.LittleEndian.Uint64(w[23:])
		r.ServerTimeZone = int16(binary.LittleEndian.Uint16(w[31:]))
		r.ChallengeLength = uint16(w[33])
		if r.ExtendedSecurity() {
			var ok bool
			if r.ServerGUID, ok = take(d, off, end, 16); !ok {
				b.bytesOff = end
				return Malformed("smb", "negotiate server GUID", off, "outside the byte block")
			}
			off += 16
			r.SecurityBlob = d[off:end]
			off = end
			break
		}
		var ok bool
		if r.Challenge, ok = take(d, off, end, int(r.ChallengeLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "negotiate challenge", off, "outside the byte block")
		}
		off += int(r.ChallengeLength)
		if s.skipBodies {
			break // nothing below can fail
		}
		// The domain is Unicode when the server says so in its
		// capabilities, and is not aligned (tshark does the same).
		uni := s.Unicode() || r.Capabilities&smbCapUnicode != 0
		if off, ok = s.readLabel(off, end, uni, true, &r.DomainName); ok {
			off, _ = s.readLabel(off, end, uni, true, &r.ServerName)
		}
	case 13:
		r.SecurityMode = binary.LittleEndian.Uint16(w[2:])
		r.MaxBufferSize = uint32(binary.LittleEndian.Uint16(w[4:]))
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[6:])
		r.MaxNumberVCs = binary.LittleEndian.Uint16(w[8:])
		r.RawMode = binary.LittleEndian.Uint16(w[10:])
		r.SessionKey = binary.LittleEndian.Uint32(w[12:])
		r.ServerTime = binary.LittleEndian.Uint16(w[16:])
		r.ServerDate = binary.LittleEndian.Uint16(w[18:])
		r.ServerTimeZone = int16(binary.LittleEndian.Uint16(w[20:]))
		r.ChallengeLength = binary.LittleEndian.Uint16(w[22:])
		var ok bool
		if r.Challenge, ok = take(d, off, end, int(r.ChallengeLength)); !ok {
			b.bytesOff = end
			return Malformed("smb", "negotiate challenge", off, "outside the byte block")
		}
		off += int(r.ChallengeLength)
		if !s.skipBodies { // (nothing here can fail)
			off, _ = s.readLabel(off, end, s.Unicode(), false, &r.DomainName)
		}
	}
	b.bytesOff = off
	return nil
}

func (s *SMB) treeNegotiate(t *Tree, b *SMBCommandBlock) {
	if b.Form == SMBFormNegotiateRequest {
		appendByteCount(t, b)
		s.appendNegotiateRequest(t, b)
		return
	}
	s.appendNegotiateResponse(t, b)
}

func (s *SMB) appendNegotiateRequest(t *Tree, b *SMBCommandBlock) {
	r := &b.NegotiateRequest
	if len(r.Dialects) == 0 {
		return
	}
	t.OpenText("Requested Dialects", b.BytesOff(), b.bytesOff-b.BytesOff())
	for i := range r.Dialects {
		dl := &r.Dialects[i]
		t.Open(fSMBDialect, dl.Off, dl.Len).S = dl.Name
		t.Uint(fSMBBufferFormat, dl.Off, 1, uint64(dl.BufferFormat))
		if dl.Len > 1 && !dl.Unterminated {
			t.Bytes(fSMBDialectName, dl.Off+1, dl.Len-1, dl.Name)
		}
		t.Close()
	}
	t.Close()
}

func (s *SMB) appendNegotiateResponse(t *Tree, b *SMBCommandBlock) {
	r := &b.NegotiateResponse
	w := b.Off + 1
	if b.WordCount >= 1 {
		t.Uint(fSMBDialectIndex, w, 2, uint64(r.DialectIndex))
	}
	boff := b.BytesOff()
	switch b.WordCount {
	case 17:
		t.Open(fSMBSecurityMode, w+2, 1).U = uint64(r.SecurityMode)
		t.Bool(fSMBSecurityModeMode, w+2, 1, r.SecurityMode&smbSecurityModeUser != 0)
		t.Bool(fSMBSecurityModePassword, w+2, 1, r.SecurityMode&smbSecurityModeEncrypt != 0)
		t.Bool(fSMBSecurityModeSignatures, w+2, 1, r.SecurityMode&smbSecurityModeSignatures != 0)
		t.Bool(fSMBSecurityModeSigRequired, w+2, 1, r.SecurityMode&smbSecurityModeSignaturesReq != 0)
		t.Close()
		t.Uint(fSMBMaxMpxCount, w+3, 2, uint64(r.MaxMpxCount))
		t.Uint(fSMBMaxVCs, w+5, 2, uint64(r.MaxNumberVCs))
		t.Uint(fSMBMaxBufSize, w+7, 4, uint64(r.MaxBufferSize))
		t.Uint(fSMBMaxRaw, w+11, 4, uint64(r.MaxRawSize))
		t.Uint(fSMBSessionKey, w+15, 4, uint64(r.SessionKey))
		t.Uint(fSMBCapabilities, w+19, 4, uint64(r.Capabilities))
		t.Uint(fSMBSystemTime, w+23, 8, uint64(r.SystemTimeUnixNano()))
		t.Int(fSMBServerTimeZone, w+31, 2, int64(r.ServerTimeZone))
		t.Uint(fSMBChallengeLength, w+33, 1, uint64(r.ChallengeLength))
		appendByteCount(t, b)
		if r.ExtendedSecurity() {
			if len(r.ServerGUID) == 16 {
				g := t.Keep(appendGUID(t.Buf(), r.ServerGUID))
				t.Bytes(fSMBServerGUID, boff, 16, g)
			}
			if len(r.SecurityBlob) > 0 {
				t.Bytes(fSMBSecurityBlob, boff+16, len(r.SecurityBlob), r.SecurityBlob)
			}
			return
		}
		if len(r.Challenge) > 0 {
			t.Bytes(fSMBChallenge, boff, len(r.Challenge), r.Challenge)
		}
		str(t, fSMBPrimaryDomain, &r.DomainName)
		str(t, fSMBServer, &r.ServerName)
	case 13:
		t.Open(fSMBSecurityMode, w+2, 2).U = uint64(r.SecurityMode)
		t.Bool(fSMBSecurityModeMode, w+2, 2, r.SecurityMode&smbSecurityModeUser != 0)
		t.Bool(fSMBSecurityModePassword, w+2, 2, r.SecurityMode&smbSecurityModeEncrypt != 0)
		t.Close()
		t.Uint(fSMBMaxBufSize, w+4, 2, uint64(r.MaxBufferSize))
		t.Uint(fSMBMaxMpxCount, w+6, 2, uint64(r.MaxMpxCount))
		t.Uint(fSMBMaxVCs, w+8, 2, uint64(r.MaxNumberVCs))
		t.Open(fSMBRawMode, w+10, 2).U = uint64(r.RawMode)
		t.Bool(fSMBRawModeRead, w+10, 2, r.RawMode&smbRawModeRead != 0)
		t.Bool(fSMBRawModeWrite, w+10, 2, r.RawMode&smbRawModeWrite != 0)
		t.Close()
		t.Uint(fSMBSessionKey, w+12, 4, uint64(r.SessionKey))
		t.Open(fSMBServerDateTime, w+16, 4).U = uint64(dosDateTimeUnixNano(r.ServerDate, r.ServerTime))
		t.Uint(fSMBServerTime, w+16, 2, uint64(r.ServerTime))
		t.Uint(fSMBServerDate, w+18, 2, uint64(r.ServerDate))
		t.Close()
		t.Int(fSMBServerTimeZone, w+20, 2, int64(r.ServerTimeZone))
		t.Uint(fSMBChallengeLength, w+22, 2, uint64(r.ChallengeLength))
		t.Bytes(fSMBReserved, w+24, 2, b.Words[24:26])
		appendByteCount(t, b)
		if len(r.Challenge) > 0 {
			t.Bytes(fSMBChallenge, boff, len(r.Challenge), r.Challenge)
		}
		str(t, fSMBPrimaryDomain, &r.DomainName)
	default:
		appendByteCount(t, b)
	}
}

// filetimeUnixNano converts a FILETIME (100 ns since 1601-01-01 UTC) to
// Unix nanoseconds ([MS-DTYP] §2.3.3). Zero stays zero.
func filetimeUnixNano(ft uint64) int64 {
	if ft == 0 {
		return 0
	}
	return (int64(ft) - int64(smbFiletimeUnixEpochDelta100n)) * 100
}

// dosDateTimeUnixNano converts SMB_DATE and SMB_TIME ([MS-CIFS] §2.2.1.4)
// to Unix nanoseconds, reading them as UTC as tshark does.
func dosDateTimeUnixNano(date, tm uint16) int64 {
	y := int(date>>9) + 1980
	mo := int(date>>5) & 0xf
	dd := int(date) & 0x1f
	h := int(tm >> 11)
	mi := int(tm>>5) & 0x3f
	sec := int(tm&0x1f) * 2
	days := daysFromCivil(y, mo, dd)
	return ((days*24+int64(h))*3600 + int64(mi)*60 + int64(sec)) * 1e9
}

// daysFromCivil counts days from 1970-01-01 (proleptic Gregorian).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// appendGUID formats 16 bytes as tshark prints smb.server_guid: the bytes
// in wire order, grouped 4-2-2-2-6.
func appendGUID(b, g []byte) []byte {
	for i, x := range g {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexdigits[x>>4], hexdigits[x&0xf])
	}
	return b
}
