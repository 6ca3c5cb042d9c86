package dissect

import (
	"github.com/gopacket/gopacket"
)

// Layer numbers in gopacket's application range (1000-1999 are fast).
const (
	layerNumNBNS     = 1370
	layerNumNBDGM    = 1380
	layerNumNBSS     = 1390
	layerNumSMB      = 1391
	layerNumSMB2     = 1392
	layerNumSMBTrans = 1393
	layerNumMailslot = 1394
	layerNumBrowser  = 1395
	layerNumLANMAN   = 1396 // \MAILSLOT\LANMAN announcements
	layerNumRAP      = 1397
)

// The nbtsniff layer types. Each is a gopacket DecodingLayer (see Layer);
// the engine in package reassembly decodes them with
// DecodingLayerParser-style dispatch, never with gopacket.NewPacket on the
// hot path. LayerTypeSMBTrans names the transaction an SMB message hands
// on (SMB.Trans), which is decoded with the SMB message, not on its own.
var (
	LayerTypeNBNS     = gopacket.RegisterLayerType(layerNumNBNS, gopacket.LayerTypeMetadata{Name: "NBNS"})
	LayerTypeNBDGM    = gopacket.RegisterLayerType(layerNumNBDGM, gopacket.LayerTypeMetadata{Name: "NBDGM"})
	LayerTypeNBSS     = gopacket.RegisterLayerType(layerNumNBSS, gopacket.LayerTypeMetadata{Name: "NBSS"})
	LayerTypeSMB      = gopacket.RegisterLayerType(layerNumSMB, gopacket.LayerTypeMetadata{Name: "SMB"})
	LayerTypeSMB2     = gopacket.RegisterLayerType(layerNumSMB2, gopacket.LayerTypeMetadata{Name: "SMB2"})
	LayerTypeSMBTrans = gopacket.RegisterLayerType(layerNumSMBTrans, gopacket.LayerTypeMetadata{Name: "SMBTrans"})
	LayerTypeMailslot = gopacket.RegisterLayerType(layerNumMailslot, gopacket.LayerTypeMetadata{Name: "Mailslot"})
	LayerTypeBrowser  = gopacket.RegisterLayerType(layerNumBrowser, gopacket.LayerTypeMetadata{Name: "Browser"})
	LayerTypeLANMAN   = gopacket.RegisterLayerType(layerNumLANMAN, gopacket.LayerTypeMetadata{Name: "LANMAN"})
	LayerTypeRAP      = gopacket.RegisterLayerType(layerNumRAP, gopacket.LayerTypeMetadata{Name: "RAP"})
)

// Well-known ports (RFC 1002 §4: 137 name, 138 datagram, 139 session; 445
// is SMB directly over TCP with the same 4-byte framing).
const (
	PortNBNS  = 137
	PortNBDGM = 138
	PortNBSS  = 139
	PortSMB   = 445
)

// Layer is implemented by every nbtsniff decoder: a gopacket DecodingLayer
// and Layer (layers.BaseLayer embedded: Contents and Payload) that can also
// describe itself as a protocol tree and an info column.
//
// DecodeFromBytes resets the struct; slices may alias the input; nothing
// is allocated on success. On error the struct keeps what was decoded, its
// Err field holds the error, and the error is returned.
type Layer interface {
	gopacket.DecodingLayer
	gopacket.Layer
	// AppendTree adds this layer's nodes to t, offsets relative to the
	// layer's first byte (the caller sets t.Base).
	AppendTree(t *Tree)
	// AppendInfo appends the words of the info column ("Name query NB
	// WORKGROUP<1d>"). Wire bytes are appended raw: printers escape them.
	AppendInfo(b []byte) []byte
}

// growOne lengthens s by one zeroed element, in place when there is room:
// cheaper than appending a composite literal of a large struct, which is
// built, then copied.
func growOne[T any](s []T) []T {
	if len(s) < cap(s) {
		s = s[:len(s)+1]
		var zero T
		s[len(s)-1] = zero
		return s
	}
	var zero T
	return append(s, zero)
}

// The layers, held to one anatomy at compile time.
var (
	_ Layer = (*NBNS)(nil)
	_ Layer = (*NBDGM)(nil)
	_ Layer = (*NBSS)(nil)
	_ Layer = (*SMB)(nil)
	_ Layer = (*SMB2)(nil)
	_ Layer = (*Mailslot)(nil)
	_ Layer = (*Browser)(nil)
	_ Layer = (*LANMANAnnounce)(nil)
	_ Layer = (*RAPRequest)(nil)
	_ Layer = (*RAPResponse)(nil)
)
