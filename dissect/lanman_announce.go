package dissect

// LAN Manager announcements on \MAILSLOT\LANMAN: the LAN Manager 2.x form
// of the host announcement, still sent by Samba ("lm announce", nmbd's
// send_lm_announcement) and accepted by Windows browsers ([MS-BRWS] §2.1:
// a browser server accepts frames on \MAILSLOT\LANMAN as well as on
// \MAILSLOT\BROWSE; §2.2.1 says a server SHOULD also announce itself to
// the local master on \MAILSLOT\LANMAN). [MS-BRWS] does not give this
// layout: it is the one Samba sends and Wireshark decodes (below).
//
// Byte order: little-endian. Strings are OEM, NUL-terminated.
//
//	 0 Opcode (2: 0x0001 host announcement)
//	 2 ServerType (4)
//	 6 OSVersionMajor  7 OSVersionMinor
//	 8 Periodicity (2, SECONDS, not milliseconds as on \MAILSLOT\BROWSE)
//	10 ServerName (NUL-terminated, at most 15 characters + NUL)
//	   Comment (NUL-terminated)
//
// tshark 4.0 shows these frames as "browser" (packet-smb-browse.c
// dissect_mailslot_lanman) and reads the 16-bit opcode as two bytes:
// browser.command (the low byte) and browser.update_count (the high byte,
// always 0 on the wire). It decodes the rest only when the low byte is 1,
// 12 or 15 (as for \MAILSLOT\BROWSE), shows Periodicity multiplied by 1000
// in browser.period, and calls the last string browser.mb_server when the
// low byte is 12. This file emits exactly those fields, so -T fields output
// diffs clean; the typed fields use the LAN Manager layout.

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// LANMANOpcode is the 16-bit opcode of a \MAILSLOT\LANMAN frame.
type LANMANOpcode uint16

// LAN Manager announcement opcodes (Samba: ANN_HostAnnouncement,
// ANN_AnnouncementRequest; Wireshark decodes 1, 12 and 15 with the
// announcement layout).
const (
	LANMANHostAnnouncement        LANMANOpcode = 0x0001
	LANMANAnnouncementRequest     LANMANOpcode = 0x0002
	LANMANDomainAnnouncement      LANMANOpcode = 0x000c
	LANMANLocalMasterAnnouncement LANMANOpcode = 0x000f
)

// String names the opcode as tshark does (by its low byte, as a browser
// command).
func (o LANMANOpcode) String() string { return BrowserCommand(o).String() }

// hasAnnouncement reports whether tshark decodes the announcement layout
// for this opcode: it looks only at the low byte.
func (o LANMANOpcode) hasAnnouncement() bool {
	switch BrowserCommand(o) {
	case BrowserHostAnnouncement, BrowserDomainAnnouncement, BrowserLocalMasterAnnouncement:
		return true
	}
	return false
}

// Offsets in a LAN Manager announcement.
const (
	lmOffOpcode     = 0
	lmOffServerType = 2
	lmOffOSMajor    = 6
	lmOffOSMinor    = 7
	lmOffPeriod     = 8
	lmOffServerName = 10 // also the fixed length
)

// LANMANAnnounce is one \MAILSLOT\LANMAN frame. Byte slices alias the
// input. Contents is the frame; Payload is nil.
type LANMANAnnounce struct {
	layers.BaseLayer
	Opcode      LANMANOpcode
	ServerType  ServerType
	OSMajor     uint8
	OSMinor     uint8
	Periodicity uint16 // announcement interval in seconds
	ServerName  []byte
	// Comment is the server comment; for opcode 12 (domain announcement)
	// it is the master browser's name, as Wireshark reads it.
	Comment []byte
	// Err is the error DecodeFromBytes returned, nil on success.
	Err error

	valid   int // bytes of the fixed part present
	nameLen int // wire length of ServerName, NUL included (0: absent)
	commLen int // wire length of Comment, NUL included (0: absent)
}

// LayerType is LayerTypeLANMAN.
func (l *LANMANAnnounce) LayerType() gopacket.LayerType { return LayerTypeLANMAN }

// CanDecode is LayerTypeLANMAN.
func (l *LANMANAnnounce) CanDecode() gopacket.LayerClass { return LayerTypeLANMAN }

// NextLayerType is gopacket.LayerTypeZero.
func (l *LANMANAnnounce) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// PeriodicityMS is the interval in milliseconds, as browser.period shows it.
func (l *LANMANAnnounce) PeriodicityMS() uint32 { return uint32(l.Periodicity) * 1000 }

// DecodeFromBytes decodes one \MAILSLOT\LANMAN frame: data is the data
// block of the mailslot transaction. Nothing is allocated on success.
func (l *LANMANAnnounce) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	l.reset(data)
	return decoded(&l.Err, l.decode(data), df)
}

func (l *LANMANAnnounce) reset(data []byte) {
	*l = LANMANAnnounce{}
	l.Contents = data
}

func (l *LANMANAnnounce) decode(data []byte) error {
	if len(data) < 2 {
		l.valid = len(data)
		if len(data) == 1 {
			l.Opcode = LANMANOpcode(data[0])
		}
		return Truncated("lanman announce", "opcode", 0, 2, len(data))
	}
	l.Opcode = LANMANOpcode(binary.LittleEndian.Uint16(data[lmOffOpcode:]))
	if !l.Opcode.hasAnnouncement() {
		l.valid = 2
		return nil
	}
	l.valid = browserFixed(data, lmOffServerName)
	if l.valid >= lmOffOSMajor {
		l.ServerType = ServerType(binary.LittleEndian.Uint32(data[lmOffServerType:]))
	}
	if l.valid >= lmOffPeriod {
		l.OSMajor, l.OSMinor = data[lmOffOSMajor], data[lmOffOSMinor]
	}
	if l.valid < lmOffServerName {
		return Truncated("lanman announce", "host announcement", 0, lmOffServerName, len(data))
	}
	l.Periodicity = binary.LittleEndian.Uint16(data[lmOffPeriod:])
	off := lmOffServerName
	n := bytes.IndexByte(data[off:], 0)
	if n < 0 {
		return Truncated("lanman announce", "server name", off, len(data)+1, len(data))
	}
	l.ServerName, l.nameLen = data[off:off+n], n+1
	off += n + 1
	n = -1
	if off <= len(data) {
		n = bytes.IndexByte(data[off:], 0)
	}
	if n < 0 {
		return Truncated("lanman announce", "comment", off, len(data)+1, len(data))
	}
	l.Comment, l.commLen = data[off:off+n], n+1
	return nil
}

// lanmanAnnounceFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var lanmanAnnounceFields = NewFieldSet("browser", "lanman")

// AppendTree adds the frame as tshark 4.0 shows it: the "browser"
// protocol with browser.command, browser.update_count (the two bytes of the
// opcode), browser.server_type and its bits, browser.windows_version,
// browser.os_major, browser.os_minor, browser.period (seconds × 1000),
// browser.server and browser.comment (browser.mb_server for opcode 12).
// Offsets from the first byte of the frame (the caller sets t.Base).
func (l *LANMANAnnounce) AppendTree(t *Tree) {
	d := l.Contents
	t.Open(fBrowser, 0, len(d))
	if !t.WantsSet(lanmanAnnounceFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	if len(d) >= 1 {
		t.Uint(fBrowserCommand, 0, 1, uint64(d[0]))
	}
	if l.Opcode.hasAnnouncement() {
		if l.valid >= 2 {
			t.Uint(fBrowserUpdateCount, 1, 1, uint64(d[1]))
		}
		if l.valid >= lmOffOSMajor {
			browserAppendBits(t, fBrowserServerType, browserServerTypeBits, lmOffServerType, 4, uint32(l.ServerType))
		}
		if l.valid >= lmOffPeriod {
			browserAppendWindowsVersion(t, lmOffOSMajor, l.OSMajor, l.OSMinor)
			t.Uint(fBrowserOSMajor, lmOffOSMajor, 1, uint64(l.OSMajor))
			t.Uint(fBrowserOSMinor, lmOffOSMinor, 1, uint64(l.OSMinor))
		}
		if l.valid >= lmOffServerName {
			t.Uint(fBrowserPeriod, lmOffPeriod, 2, uint64(l.PeriodicityMS()))
		}
		if l.nameLen > 0 {
			t.Bytes(fBrowserServer, lmOffServerName, l.nameLen, l.ServerName)
		}
		if l.commLen > 0 {
			f := fBrowserComment
			if BrowserCommand(l.Opcode) == BrowserDomainAnnouncement {
				f = fBrowserMBServer
			}
			t.Bytes(f, lmOffServerName+l.nameLen, l.commLen, l.Comment)
		}
	}
	if l.Err != nil {
		appendMalformed(t, l.Err, errAt(l.Err, len(d), math.MaxInt), 0)
	}
	t.Close()
}

// AppendInfo appends the info column as tshark 4.0 builds it (the server
// type words come before the name, because they come first on the wire):
// "Host Announcement, Workstation, Server, Print Queue Server, Xenix Server,
// NT Workstation, Potential Browser YANKEE", then, in plain words,
// "(LAN Manager, every 30 s)" or "(LAN Manager, going away)" for the last
// announcement of a stopping server (type and interval 0).
func (l *LANMANAnnounce) AppendInfo(b []byte) []byte {
	if l.valid == 0 {
		return append(b, "LAN Manager announcement"...)
	}
	b = browserAppendCommand(b, BrowserCommand(l.Opcode))
	if !l.Opcode.hasAnnouncement() {
		return b
	}
	if l.valid >= lmOffOSMajor {
		b = l.ServerType.appendList(b, ", ")
	}
	if l.nameLen > 0 {
		b = append(b, ' ')
		b = append(b, l.ServerName...)
	}
	switch {
	case l.valid < lmOffServerName:
	case l.Periodicity == 0 && l.ServerType == 0:
		// Samba's nmbd sends this when it stops (lab two-workgroups
		// frame 229).
		b = append(b, " (LAN Manager, going away)"...)
	default:
		b = append(b, " (LAN Manager, every "...)
		b = strconv.AppendUint(b, uint64(l.Periodicity), 10)
		b = append(b, " s)"...)
	}
	return b
}
