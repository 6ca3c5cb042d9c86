package dissect

// Mailslot header of a class 2 mailslot write: [MS-MAIL] §2.2.1 (Mailslot
// Write Message), the Leach/Naik browser draft §3 (the mailslot protocol it
// carries), [MS-CIFS] §2.2.5.12 (TRANS_MAILSLOT_WRITE).
//
// Byte order: little-endian (SMB).
//
// A mailslot write is an SMB_COM_TRANSACTION request whose three setup words
// and transaction name form the mailslot header. Wireshark's "SMB MailSlot
// Protocol" covers the setup words, the SMB byte count that follows them
// (shown as mailslot.size) and the transaction name, so the header this file
// decodes starts at the first setup word of the transaction:
//
//	 0               1               2               3
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|  MailSlotOpcode (1)   |  Priority             |  Class        |
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//	|  ByteCount            |  MailslotName ... NUL                 |
//	+-------+-------+-------+-------+-------+-------+-------+-------+
//
// The message itself is the transaction's data block, at DataOffset: it is
// decoded by Browser (\MAILSLOT\BROWSE), LANMANAnnounce (\MAILSLOT\LANMAN),
// or shown as data (\MAILSLOT\NET\NETLOGON and every other mailslot).

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// MailslotOpcode is the first setup word ([MS-MAIL] §2.2.1 MailSlotOpcode).
type MailslotOpcode uint16

// MailslotWrite is the only opcode defined: write a message to a mailslot.
const MailslotWrite MailslotOpcode = 0x0001

func (o MailslotOpcode) String() string {
	if o == MailslotWrite {
		return "Write Mail Slot"
	}
	return "Unknown opcode: 0x" + strconv.FormatUint(uint64(o), 16)
}

// MailslotClass is the third setup word ([MS-MAIL] §2.2.1 Class; the
// Leach/Naik browser draft §3: class 1 messages are reliable, class 2 are
// unreliable and may be broadcast; browser frames are class 2).
type MailslotClass uint16

// Mailslot classes.
const (
	MailslotReliable   MailslotClass = 1 // class 1: reliable, unique name only
	MailslotUnreliable MailslotClass = 2 // class 2: unreliable & broadcast
)

func (c MailslotClass) String() string {
	switch c {
	case MailslotReliable:
		return "Reliable"
	case MailslotUnreliable:
		return "Unreliable & Broadcast"
	}
	return "Unknown class " + strconv.Itoa(int(c))
}

// MailslotKind says which decoder the mailslot's message goes to. The name
// is matched the way Wireshark does it: after the "\MAILSLOT\" prefix, a
// case-sensitive prefix match ("BROWSE", "LANMAN", "NET", "TEMP\NETLOGON",
// "MSSP").
type MailslotKind uint8

// Mailslot kinds.
const (
	MailslotOther        MailslotKind = iota // any other name under \MAILSLOT\: shown as data
	MailslotBrowse                           // \MAILSLOT\BROWSE: Browser
	MailslotLANMAN                           // \MAILSLOT\LANMAN: LANMANAnnounce
	MailslotNet                              // \MAILSLOT\NET\...: NETLOGON, NTLOGON, GETDC (shown as data)
	MailslotTempNetlogon                     // \MAILSLOT\TEMP\NETLOGON (shown as data)
	MailslotMSSP                             // \MAILSLOT\MSSP (shown as data)
	MailslotNotMailslot                      // the name does not start with \MAILSLOT\
)

func (k MailslotKind) String() string {
	switch k {
	case MailslotOther:
		return "other"
	case MailslotBrowse:
		return "BROWSE"
	case MailslotLANMAN:
		return "LANMAN"
	case MailslotNet:
		return "NET"
	case MailslotTempNetlogon:
		return "TEMP\\NETLOGON"
	case MailslotMSSP:
		return "MSSP"
	}
	return "not a mailslot"
}

// MailslotPrefix starts every mailslot name ([MS-MAIL] §3.1.4.1).
const MailslotPrefix = `\MAILSLOT\`

// MailslotKindOf classifies a transaction name (with or without its
// terminating NUL). SMBtrans uses it to decide that a transaction is a
// mailslot write: everything but MailslotNotMailslot is one.
func MailslotKindOf(name []byte) MailslotKind {
	if !bytes.HasPrefix(name, []byte(MailslotPrefix)) {
		return MailslotNotMailslot
	}
	s := name[len(MailslotPrefix):]
	switch {
	case bytes.HasPrefix(s, []byte("BROWSE")):
		return MailslotBrowse
	case bytes.HasPrefix(s, []byte("LANMAN")):
		return MailslotLANMAN
	case bytes.HasPrefix(s, []byte("NET")):
		return MailslotNet
	case bytes.HasPrefix(s, []byte(`TEMP\NETLOGON`)):
		return MailslotTempNetlogon
	case bytes.HasPrefix(s, []byte("MSSP")):
		return MailslotMSSP
	}
	return MailslotOther
}

// IsMailslotWrite reports whether tshark shows a transaction request as a
// mailslot write: its name starts with \MAILSLOT\ (case-sensitive) and
// its data block is not empty (an empty one is shown as an "Interim
// reply", without the mailslot header). SMBtrans and the engine use it to
// decide whether to call Mailslot at all.
func IsMailslotWrite(name []byte, dataLen int) bool {
	return dataLen > 0 && MailslotKindOf(name) != MailslotNotMailslot
}

// Offsets in the mailslot header, from the first setup word.
const (
	mailslotOffOpcode   = 0
	mailslotOffPriority = 2
	mailslotOffClass    = 4
	mailslotOffSize     = 6 // the SMB ByteCount word
	mailslotOffName     = 8
	mailslotSetupLen    = 6 // three setup words
)

var (
	fMailslot         = RegisterField(FieldInfo{Abbrev: "mailslot", Name: "SMB MailSlot Protocol", Type: FTProtocol})
	fMailslotOpcode   = WiresharkField("mailslot.opcode")
	fMailslotPriority = WiresharkField("mailslot.priority")
	fMailslotClass    = WiresharkField("mailslot.class")
	fMailslotSize     = WiresharkField("mailslot.size")
	fMailslotName     = WiresharkField("mailslot.name")
)

func init() {
	SetValues(fMailslotOpcode, func(v uint64) string {
		if v == uint64(MailslotWrite) {
			return "Write Mail Slot"
		}
		return ""
	})
	SetValues(fMailslotClass, func(v uint64) string {
		switch MailslotClass(v) {
		case MailslotReliable:
			return "Reliable"
		case MailslotUnreliable:
			return "Unreliable & Broadcast"
		}
		return ""
	})
}

// Mailslot is the header of a mailslot write ([MS-MAIL] §2.2.1). Contents
// is the header (the setup words, byte count and name DecodeFromBytes read,
// or the setup words given to Decode); Payload is nil: the message is the
// transaction's data block, which is not contiguous with the header (it
// starts at DataOffset).
type Mailslot struct {
	layers.BaseLayer
	Opcode   MailslotOpcode
	Priority uint16
	Class    MailslotClass
	// Size is the SMB ByteCount of the transaction (Wireshark's
	// mailslot.size): name + padding + parameters + data. HasSize is false
	// when the header came from Decode, which does not see the byte count.
	Size    uint16
	HasSize bool
	// Name is the mailslot name, "\MAILSLOT\BROWSE", without the NUL; it
	// aliases the input.
	Name []byte
	Kind MailslotKind
	// Err is the error DecodeFromBytes or Decode returned, nil on success.
	Err error

	nameLen int // bytes of the name on the wire, NUL included (0: none)
	hdrLen  int // bytes of the header that were decoded
}

// LayerType is LayerTypeMailslot.
func (m *Mailslot) LayerType() gopacket.LayerType { return LayerTypeMailslot }

// CanDecode is LayerTypeMailslot.
func (m *Mailslot) CanDecode() gopacket.LayerClass { return LayerTypeMailslot }

// NextLayerType says which decoder takes the transaction's data block:
// LayerTypeBrowser, LayerTypeLANMAN, or gopacket.LayerTypePayload (data).
func (m *Mailslot) NextLayerType() gopacket.LayerType {
	switch m.Kind {
	case MailslotBrowse:
		return LayerTypeBrowser
	case MailslotLANMAN:
		return LayerTypeLANMAN
	}
	return gopacket.LayerTypePayload
}

func (m *Mailslot) reset() {
	*m = Mailslot{}
}

// DecodeFromBytes decodes the mailslot header from data starting at the
// first setup word of the SMB_COM_TRANSACTION request (SMB message offset 61
// for WordCount 17): three setup words, the SMB ByteCount and the
// NUL-terminated transaction name, laid out as [MS-MAIL] §2.2.1 has them
// for an OEM (non-Unicode) name. data may run on to the end of the SMB
// message; the rest is ignored.
func (m *Mailslot) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	m.reset()
	m.HasSize = true
	err := m.decode(data)
	m.Contents = data[:m.hdrLen]
	return decoded(&m.Err, err, df)
}

func (m *Mailslot) decode(data []byte) error {
	if len(data) < mailslotOffName {
		m.hdrLen = len(data)
		m.decodeSetup(data)
		return Truncated("mailslot", "setup words and byte count", 0, mailslotOffName, len(data))
	}
	m.decodeSetup(data)
	m.Size = binary.LittleEndian.Uint16(data[mailslotOffSize:])
	m.hdrLen = mailslotOffName
	rest := data[mailslotOffName:]
	n := bytes.IndexByte(rest, 0)
	if n < 0 {
		return Truncated("mailslot", "name", mailslotOffName, len(data)+1, len(data))
	}
	m.Name = rest[:n]
	m.nameLen = n + 1
	m.hdrLen += m.nameLen
	m.Kind = MailslotKindOf(m.Name)
	return nil
}

// Decode fills the header from the values the SMBtrans layer hands over:
// the raw little-endian setup words and the transaction name (with or
// without its NUL). Size is not known this way (HasSize false). AppendTree
// then places the name at offset 8 from the first setup word, where
// [MS-MAIL] §2.2.1 puts it; set t.Base to the setup words' offset.
func (m *Mailslot) Decode(setup []byte, name []byte) error {
	m.reset()
	m.Contents = setup
	return decoded(&m.Err, m.decodeFields(setup, name), nil)
}

func (m *Mailslot) decodeFields(setup []byte, name []byte) error {
	m.decodeSetup(setup)
	if len(setup) < mailslotSetupLen {
		m.hdrLen = len(setup)
		return Truncated("mailslot", "setup words", 0, mailslotSetupLen, len(setup))
	}
	m.hdrLen = mailslotOffName
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	m.Name = name
	m.nameLen = len(name) + 1
	m.hdrLen += m.nameLen
	m.Kind = MailslotKindOf(m.Name)
	return nil
}

func (m *Mailslot) decodeSetup(b []byte) {
	if len(b) >= 2 {
		m.Opcode = MailslotOpcode(binary.LittleEndian.Uint16(b[mailslotOffOpcode:]))
	}
	if len(b) >= 4 {
		m.Priority = binary.LittleEndian.Uint16(b[mailslotOffPriority:])
	}
	if len(b) >= 6 {
		m.Class = MailslotClass(binary.LittleEndian.Uint16(b[mailslotOffClass:]))
	}
}

// mailslotFields is every field AppendTree may add below the protocol node:
// with none of them wanted, it adds that node only (see FieldSet).
var mailslotFields = NewFieldSet("mailslot")

// AppendTree adds the "mailslot" protocol and its fields, offsets from the
// first setup word (the caller sets t.Base), in tshark's order: opcode,
// priority, class, size, name.
func (m *Mailslot) AppendTree(t *Tree) {
	t.Open(fMailslot, 0, m.hdrLen)
	if !t.WantsSet(mailslotFields) {
		t.Close() // -T fields prints none of its fields
		return
	}
	if m.hdrLen >= mailslotOffPriority {
		t.Uint(fMailslotOpcode, mailslotOffOpcode, 2, uint64(m.Opcode))
	}
	if m.hdrLen >= mailslotOffClass {
		t.Uint(fMailslotPriority, mailslotOffPriority, 2, uint64(m.Priority))
	}
	if m.hdrLen >= mailslotOffSize {
		t.Uint(fMailslotClass, mailslotOffClass, 2, uint64(m.Class))
	}
	if m.HasSize && m.hdrLen >= mailslotOffName {
		t.Uint(fMailslotSize, mailslotOffSize, 2, uint64(m.Size))
	}
	if m.nameLen > 0 {
		t.Bytes(fMailslotName, mailslotOffName, m.nameLen, m.Name)
	}
	if m.Err != nil {
		appendMalformed(t, m.Err, errAt(m.Err, m.hdrLen, math.MaxInt), 0)
	}
	t.Close()
}

// AppendData shows a message no nbtsniff decoder reads (NETLOGON and other
// mailslots) the way tshark shows undissected bytes: a "data" protocol with
// data.data and the generated data.len (no bytes of its own). Offsets are
// those of the data block (set t.Base).
func (m *Mailslot) AppendData(t *Tree, data []byte) {
	if len(data) == 0 {
		return
	}
	t.Open(FieldData, 0, len(data))
	t.Bytes(FieldDataData, 0, len(data), data)
	t.Uint(FieldDataLen, 0, 0, uint64(len(data))).Flags |= NodeGenerated
	t.Close()
}

// AppendInfo appends "Write Mail Slot \MAILSLOT\NET\NETLOGON": the info
// column of a mailslot whose message is not decoded further.
func (m *Mailslot) AppendInfo(b []byte) []byte {
	if m.Opcode == MailslotWrite {
		b = append(b, "Write Mail Slot"...)
	} else {
		b = append(b, "Unknown opcode: 0x"...)
		b = strconv.AppendUint(b, uint64(m.Opcode), 16)
	}
	if len(m.Name) > 0 {
		b = append(b, ' ')
		b = append(b, m.Name...)
	}
	return b
}
