package dissect

// IEEE 802.2 Logical Link Control (ISO/IEC 8802-2: §3.3 the PDU, §5.3 the
// control field), as IEEE 802.3 frames (Ethernet with a length, not a type)
// and 802.1Q tags with a length carry it: the link of NetBEUI (SAP 0xF0,
// NetBIOS Frames, netbios.go) and of IPX over 802.2 (SAP 0xE0, ipx.go), and
// SNAP (IEEE Std 802 §10.3, RFC 1042) when DSAP and SSAP are both 0xAA.
//
// Byte order: the two-byte control field of I and S frames is read
// little-endian, as tshark reads it (its first byte, with N(S) or the S
// function, is the low byte); the SNAP OUI and protocol ID are big-endian.
//
//	+--------+--------+------------------+------------------------+
//	|  DSAP  |  SSAP  | control (1 or 2) | OUI (3)  |  PID (2)    |  SNAP only
//	+--------+--------+------------------+------------------------+
//
// DSAP bit 0 is I/G (a group address), SSAP bit 0 is C/R (a response). The
// control field is one byte for U (unnumbered) frames, low bits 11, and two
// bytes for I (information, low bit 0) and S (supervisory, low bits 01)
// frames: LLC type 2 always numbers modulo 128, the extended format.
//
//	I  N(S)<<1 | 0      P/F<<8 | N(R)<<9
//	S  func<<2 | 01     P/F<<8 | N(R)<<9     func: RR, RNR, REJ, SREJ
//	U  modifier | P/F<<4 | 11                 modifier bits 0xEC
//
// Only I and UI frames carry a payload for the layer above (tshark's
// XDLC_IS_INFORMATION); the others are shown as data after the header.

import (
	"encoding/binary"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Layer numbers of the NetBEUI and IPX layers, in gopacket's application
// range next to the NBT ones (layers.go).
const (
	layerNumLLC     = 1360
	layerNumNetBIOS = 1361
	layerNumIPX     = 1362
	layerNumNBIPX   = 1363
	layerNumNMPI    = 1364
)

// The layer types of the NetBEUI and IPX transports.
var (
	LayerTypeLLC     = gopacket.RegisterLayerType(layerNumLLC, gopacket.LayerTypeMetadata{Name: "NBTLLC"})
	LayerTypeNetBIOS = gopacket.RegisterLayerType(layerNumNetBIOS, gopacket.LayerTypeMetadata{Name: "NetBIOSFrames"})
	LayerTypeIPX     = gopacket.RegisterLayerType(layerNumIPX, gopacket.LayerTypeMetadata{Name: "NBTIPX"})
	LayerTypeNBIPX   = gopacket.RegisterLayerType(layerNumNBIPX, gopacket.LayerTypeMetadata{Name: "NBIPX"})
	LayerTypeNMPI    = gopacket.RegisterLayerType(layerNumNMPI, gopacket.LayerTypeMetadata{Name: "NMPI"})
)

// Service access points (IEEE 802 numbers, tshark's llcsaps.h) nbtsniff
// dispatches on.
const (
	SAPNetBIOS  = 0xF0 // NetBIOS Frames (NetBEUI)
	SAPNetWare  = 0xE0 // IPX over 802.2
	SAPNetWare1 = 0x10 // IPX, the unofficial SAP some stacks use
	SAPSNAP     = 0xAA // Subnetwork Access Protocol
)

// LLCFrameKind is the format of the control field (§5.3).
type LLCFrameKind uint8

// Control field formats.
const (
	LLCInformation LLCFrameKind = 0 // I: sequenced data
	LLCSupervisory LLCFrameKind = 1 // S: RR, RNR, REJ
	LLCUnnumbered  LLCFrameKind = 3 // U: UI, SABME, DISC, UA, DM, FRMR, XID, TEST
)

// String returns tshark's words ("Unnumbered frame").
func (k LLCFrameKind) String() string {
	switch k {
	case LLCInformation:
		return "Information frame"
	case LLCSupervisory:
		return "Supervisory frame"
	case LLCUnnumbered:
		return "Unnumbered frame"
	}
	return "Unknown"
}

// Fields of the LLC layer, under tshark's names. tshark registers
// llc.control.ftype twice, 8 bits wide for U frames and 16 for I and S:
// a U frame's node carries NodeByte so it prints as tshark's does.
var (
	FieldLLC              = RegisterField(FieldInfo{Abbrev: "llc", Name: "Logical-Link Control", Type: FTProtocol})
	FieldLLCDSAP          = WiresharkField("llc.dsap")
	FieldLLCDSAPSAP       = WiresharkField("llc.dsap.sap")
	FieldLLCDSAPIG        = WiresharkField("llc.dsap.ig")
	FieldLLCSSAP          = WiresharkField("llc.ssap")
	FieldLLCSSAPSAP       = WiresharkField("llc.ssap.sap")
	FieldLLCSSAPCR        = WiresharkField("llc.ssap.cr")
	FieldLLCControl       = WiresharkField("llc.control")
	FieldLLCNR            = WiresharkField("llc.control.n_r")
	FieldLLCNS            = WiresharkField("llc.control.n_s")
	FieldLLCPoll          = WiresharkField("llc.control.p")
	FieldLLCFinal         = WiresharkField("llc.control.f")
	FieldLLCSFtype        = WiresharkField("llc.control.s_ftype")
	FieldLLCUModifierCmd  = WiresharkField("llc.control.u_modifier_cmd")
	FieldLLCUModifierResp = WiresharkField("llc.control.u_modifier_resp")
	FieldLLCFtype         = WiresharkField("llc.control.ftype")
	FieldLLCType          = WiresharkField("llc.type")
	FieldLLCOUI           = WiresharkField("llc.oui")
	FieldLLCPID           = WiresharkField("llc.pid")
	FieldLLCCiscoPID      = WiresharkField("llc.cisco_pid")
	FieldLLCAppleTalkPID  = WiresharkField("llc.apple_atalk_pid")
)

func init() {
	sap := func(v uint64) string {
		if s := SAPName(uint8(v)); s != "" {
			return s
		}
		return "Unknown"
	}
	SetValues(FieldLLCDSAP, sap)
	SetValues(FieldLLCSSAP, sap)
	SetValues(FieldLLCDSAPSAP, func(v uint64) string { return sap(v << 1) })
	SetValues(FieldLLCSSAPSAP, func(v uint64) string { return sap(v << 1) })
	SetValues(FieldLLCDSAPIG, func(v uint64) string {
		if v != 0 {
			return "Group"
		}
		return "Individual"
	})
	SetValues(FieldLLCSSAPCR, func(v uint64) string {
		if v != 0 {
			return "Response"
		}
		return "Command"
	})
	set := func(v uint64) string {
		if v != 0 {
			return "Set"
		}
		return "Not set"
	}
	SetValues(FieldLLCPoll, set)
	SetValues(FieldLLCFinal, set)
	SetValues(FieldLLCSFtype, func(v uint64) string { return llcSFunc[v&3].long })
	SetValues(FieldLLCUModifierCmd, func(v uint64) string { return LLCModifier(v << 2).longName(false) })
	SetValues(FieldLLCUModifierResp, func(v uint64) string { return LLCModifier(v << 2).longName(true) })
	SetValues(FieldLLCFtype, func(v uint64) string { return LLCFrameKind(v).String() })
}

// LLC is one 802.2 header. It is a gopacket DecodingLayer: DecodeFromBytes
// resets it, its slices alias the input, and decoding a well-formed header
// allocates nothing.
type LLC struct {
	DSAP, SSAP uint8
	Kind       LLCFrameKind
	// Control is the control field: one byte for U frames, two (read
	// little-endian) for I and S frames.
	Control uint16
	// SNAP is set when DSAP and SSAP are 0xAA: OUI and PID follow.
	SNAP bool
	OUI  uint32
	PID  uint16
	// Contents is the header; Payload what follows it.
	Contents []byte
	Payload  []byte
	Err      error

	hdr  int // header bytes decoded: 0 to 4 (+5 with SNAP)
	data []byte
}

// LayerType is LayerTypeLLC.
func (l *LLC) LayerType() gopacket.LayerType { return LayerTypeLLC }

// CanDecode is LayerTypeLLC.
func (l *LLC) CanDecode() gopacket.LayerClass { return LayerTypeLLC }

// LayerContents is the header.
func (l *LLC) LayerContents() []byte { return l.Contents }

// LayerPayload is what follows the header.
func (l *LLC) LayerPayload() []byte { return l.Payload }

// Group reports the DSAP's I/G bit: the frame is for a group of SAPs.
func (l *LLC) Group() bool { return l.DSAP&1 != 0 }

// Response reports the SSAP's C/R bit.
func (l *LLC) Response() bool { return l.SSAP&1 != 0 }

// Information reports whether the frame carries data for the layer above:
// an I frame or a UI frame (tshark's XDLC_IS_INFORMATION).
func (l *LLC) Information() bool {
	return l.Kind == LLCInformation || l.Kind == LLCUnnumbered && l.Modifier() == LLCUI
}

// PollFinal reports the P/F bit (poll in a command, final in a response).
func (l *LLC) PollFinal() bool {
	if l.Kind == LLCUnnumbered {
		return l.Control&0x10 != 0
	}
	return l.Control&0x0100 != 0
}

// Modifier is the function of a U frame.
func (l *LLC) Modifier() LLCModifier { return LLCModifier(l.Control & 0xEC) }

// NR is N(R), the receive sequence number of an I or S frame.
func (l *LLC) NR() uint16 { return l.Control >> 9 }

// NS is N(S), the send sequence number of an I frame.
func (l *LLC) NS() uint16 { return (l.Control & 0xFE) >> 1 }

// NextLayerType is LayerTypeNetBIOS for an I or UI frame to SAP 0xF0,
// LayerTypeIPX for one to SAP 0xE0 (or 0x10), or in SNAP with the IPX
// EtherType, else gopacket.LayerTypePayload.
func (l *LLC) NextLayerType() gopacket.LayerType {
	if l.Err != nil || !l.Information() || len(l.Payload) == 0 {
		return gopacket.LayerTypePayload
	}
	if l.SNAP {
		if (l.OUI == OUIEncapEther || l.OUI == OUICisco90) && l.PID == etherTypeIPX {
			return LayerTypeIPX
		}
		return gopacket.LayerTypePayload
	}
	switch l.DSAP {
	case SAPNetBIOS:
		return LayerTypeNetBIOS
	case SAPNetWare, SAPNetWare1:
		return LayerTypeIPX
	}
	return gopacket.LayerTypePayload
}

// DecodeFromBytes decodes an 802.2 header. On error the fields decoded so
// far are kept, Err is set and returned.
func (l *LLC) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	*l = LLC{data: data}
	if len(data) < 3 {
		if len(data) >= 1 {
			l.DSAP, l.hdr = data[0], 1
		}
		if len(data) >= 2 {
			l.SSAP, l.hdr = data[1], 2
		}
		return l.fail(Truncated("llc", "header", 0, 3, len(data)))
	}
	l.DSAP, l.SSAP = data[0], data[1]
	l.hdr = 2
	c := data[2]
	switch {
	case c&3 == 3:
		l.Kind, l.Control, l.hdr = LLCUnnumbered, uint16(c), 3
	case len(data) < 4:
		l.Kind = LLCFrameKind(c & 1)
		if l.Kind == 1 {
			l.Kind = LLCSupervisory
		}
		return l.fail(Truncated("llc", "control", 2, 4, len(data)))
	default:
		l.Kind = LLCInformation
		if c&1 != 0 {
			l.Kind = LLCSupervisory
		}
		l.Control, l.hdr = binary.LittleEndian.Uint16(data[2:4]), 4
	}
	if l.DSAP == SAPSNAP && l.SSAP == SAPSNAP {
		l.SNAP = true
		if len(data) < l.hdr+5 {
			l.Contents, l.Payload = data[:l.hdr], data[l.hdr:]
			return l.fail(Truncated("llc", "SNAP header", l.hdr, l.hdr+5, len(data)))
		}
		s := data[l.hdr:]
		l.OUI = uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
		l.PID = binary.BigEndian.Uint16(s[3:5])
		l.hdr += 5
	}
	l.Contents, l.Payload = data[:l.hdr], data[l.hdr:]
	return nil
}

func (l *LLC) fail(err error) error {
	l.Err = err
	return err
}

// llcFields is every field AppendTree may add below the protocol node.
var llcFields = NewFieldSet("llc")

// AppendTree adds the LLC layer as tshark shows it.
func (l *LLC) AppendTree(t *Tree) {
	n := l.hdr
	if n == 0 {
		n = len(l.data)
	}
	t.Open(FieldLLC, 0, n)
	defer t.Close()
	if !t.WantsSet(llcFields) {
		return
	}
	if l.hdr >= 1 {
		t.Open(FieldLLCDSAP, 0, 1).U = uint64(l.DSAP)
		t.Uint(FieldLLCDSAPSAP, 0, 1, uint64(l.DSAP>>1))
		t.Bool(FieldLLCDSAPIG, 0, 1, l.Group())
		t.Close()
	}
	if l.hdr >= 2 {
		t.Open(FieldLLCSSAP, 1, 1).U = uint64(l.SSAP)
		t.Uint(FieldLLCSSAPSAP, 1, 1, uint64(l.SSAP>>1))
		t.Bool(FieldLLCSSAPCR, 1, 1, l.Response())
		t.Close()
	}
	if l.hdr >= 3 {
		l.appendControl(t)
	}
	if l.SNAP && l.hdr >= 8 {
		o := l.hdr - 5
		t.Uint(FieldLLCOUI, o, 3, uint64(l.OUI))
		switch l.OUI {
		case OUIEncapEther, OUICisco90:
			t.Uint(FieldLLCType, o+3, 2, uint64(l.PID))
		case OUICisco:
			t.Uint(FieldLLCCiscoPID, o+3, 2, uint64(l.PID))
		case OUIAppleTalk:
			t.Uint(FieldLLCAppleTalkPID, o+3, 2, uint64(l.PID))
		default:
			t.Uint(FieldLLCPID, o+3, 2, uint64(l.PID))
		}
	}
	if l.Err != nil {
		t.Expert("[Malformed: "+l.Err.Error()+"]", 0, len(l.data))
	}
}

// appendControl adds the control field and its bits (xdlc.c
// dissect_xdlc_control: the P/F bit only when it is set).
func (l *LLC) appendControl(t *Tree) {
	pf := FieldLLCPoll
	if l.Response() {
		pf = FieldLLCFinal
	}
	if l.Kind == LLCUnnumbered {
		c := t.Open(FieldLLCControl, 2, 1)
		c.U = uint64(l.Control)
		if t.WantsText() {
			c.Label = "Control field"
			c.S = t.Keep(l.appendControlText(t.Buf()))
		}
		if l.PollFinal() {
			t.Bool(pf, 2, 1, true)
		}
		mod := FieldLLCUModifierCmd
		if l.Response() {
			mod = FieldLLCUModifierResp
		}
		t.Uint(mod, 2, 1, uint64(l.Modifier()>>2))
		t.Uint(FieldLLCFtype, 2, 1, 3).Flags |= NodeByte
		t.Close()
		return
	}
	c := t.Open(FieldLLCControl, 2, 2)
	c.U = uint64(l.Control)
	if t.WantsText() {
		c.Label = "Control field"
		c.S = t.Keep(l.appendControlText(t.Buf()))
	}
	t.Uint(FieldLLCNR, 2, 2, uint64(l.NR()))
	if l.Kind == LLCInformation {
		t.Uint(FieldLLCNS, 2, 2, uint64(l.NS()))
	}
	if l.PollFinal() {
		t.Bool(pf, 2, 2, true)
	}
	if l.Kind == LLCSupervisory {
		t.Uint(FieldLLCSFtype, 2, 2, uint64(l.Control>>2&3))
		t.Uint(FieldLLCFtype, 2, 2, 1)
	} else {
		t.Uint(FieldLLCFtype, 2, 2, 0)
	}
	t.Close()
}

// appendControlText appends tshark's summary of the control field: "U P,
// func=SABME", "S F, func=RR, N(R)=3", "I, N(R)=2, N(S)=1".
func (l *LLC) appendControlText(b []byte) []byte {
	pf := ""
	if l.PollFinal() {
		pf = " P"
		if l.Response() {
			pf = " F"
		}
	}
	switch l.Kind {
	case LLCUnnumbered:
		b = append(b, 'U')
		b = append(b, pf...)
		b = append(b, ", func="...)
		b = append(b, l.Modifier().shortName(l.Response())...)
	case LLCSupervisory:
		b = append(b, 'S')
		b = append(b, pf...)
		b = append(b, ", func="...)
		b = append(b, llcSFunc[l.Control>>2&3].short...)
		b = append(b, ", N(R)="...)
		b = strconv.AppendUint(b, uint64(l.NR()), 10)
	default:
		b = append(b, 'I')
		b = append(b, pf...)
		b = append(b, ", N(R)="...)
		b = strconv.AppendUint(b, uint64(l.NR()), 10)
		b = append(b, ", N(S)="...)
		b = strconv.AppendUint(b, uint64(l.NS()), 10)
	}
	return b
}

// AppendInfo appends tshark's info for an LLC frame that carries nothing
// nbtsniff decodes: "U P, func=SABME; DSAP NetBIOS Individual, SSAP
// NetBIOS Command", or "U, func=UI; SNAP, OUI 0x00000C (Cisco Systems,
// Inc), PID 0x0105".
func (l *LLC) AppendInfo(b []byte) []byte {
	if l.hdr < 3 {
		return b
	}
	b = l.appendControlText(b)
	if l.SNAP {
		if l.hdr < 8 {
			return b
		}
		const hexUpper = "0123456789ABCDEF"
		b = append(b, "; SNAP, OUI 0x"...)
		for s := 20; s >= 0; s -= 4 {
			b = append(b, hexUpper[l.OUI>>s&0xf])
		}
		b = append(b, " ("...)
		b = append(b, ouiName(l.OUI)...)
		b = append(b, "), PID 0x"...)
		for s := 12; s >= 0; s -= 4 {
			b = append(b, hexUpper[l.PID>>s&0xf])
		}
		return b
	}
	b = append(b, "; DSAP "...)
	b = appendSAP(b, l.DSAP)
	if l.Group() {
		b = append(b, " Group"...)
	} else {
		b = append(b, " Individual"...)
	}
	b = append(b, ", SSAP "...)
	b = appendSAP(b, l.SSAP)
	if l.Response() {
		return append(b, " Response"...)
	}
	return append(b, " Command"...)
}

// appendSAP appends the SAP's name, or 0x%02x (tshark's val_to_str).
func appendSAP(b []byte, sap uint8) []byte {
	if s := SAPName(sap); s != "" {
		return append(b, s...)
	}
	sap &= 0xFE
	return append(b, '0', 'x', hexdigits[sap>>4], hexdigits[sap&0xf])
}

// FieldVLANLen is the 802.3 length an 802.1Q tag carries instead of a
// type when LLC follows (tshark's vlan.len).
var FieldVLANLen = RegisterField(FieldInfo{Abbrev: "vlan.len", Name: "Length", Type: FTUint16, Base: BaseDec})

// AppendDot1QLength adds an 802.1Q tag whose type field is an 802.3
// length (4 bytes), as tshark shows it: vlan.len, not vlan.etype.
func AppendDot1QLength(t *Tree, d *layers.Dot1Q) {
	if t.Off {
		return
	}
	t.Open(FieldVLAN, 0, 4)
	t.Uint(FieldVLANPriority, 0, 2, uint64(d.Priority))
	t.Uint(FieldVLANID, 0, 2, uint64(d.VLANIdentifier))
	t.Uint(FieldVLANLen, 2, 2, uint64(d.Type))
	t.Close()
}

// The fields of tshark's list for the NetBEUI and IPX protocols that no
// decoder adds (SNAP protocol IDs of other organisations, NetBIOS
// reassembly errors) are registered all the same: -e and -Y know them, as
// tshark does, and find them empty. (Package variables are set before any
// init runs: the fields a decoder registers with a type of its own, the
// IPX networks, are registered by then.)
func init() {
	for _, abbrevs := range wiresharkAbbrevsOf("llc", "netbios", "ipx", "nbipx") {
		for _, abbrev := range abbrevs {
			if _, ok := LookupField(abbrev); !ok {
				WiresharkField(abbrev)
			}
		}
	}
}
