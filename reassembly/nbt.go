package reassembly

import (
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// nbtState holds the NBT decoders and the per-flow state above UDP/TCP.
// Every decoder struct is reused frame after frame; a frame's Msgs point at
// them until the next frame.
type nbtState struct {
	e *Engine

	ns      dissect.NBNS
	dgm     dissect.NBDGM
	dgmSMB  dissect.SMB
	dgmMS   dissect.Mailslot
	browser dissect.Browser
	lanman  dissect.LANMANAnnounce
}

func (s *nbtState) init(e *Engine) { s.e = e }

// nbns decodes a NetBIOS Name Service packet (UDP 137).
func (s *nbtState) nbns(f *dissect.Frame, payload []byte, off int) {
	t := &f.Tree
	t.Base = off
	err := s.ns.DecodeFromBytes(payload, s.e)
	s.ns.AppendTree(t)
	s.e.addProto("nbns")
	f.Proto = "NBNS"
	f.Info = s.ns.AppendInfo(f.Info[:0])
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	f.Msgs = append(f.Msgs, &s.ns)
}

// nbdgm decodes a NetBIOS Datagram Service packet (UDP 138) and the SMB
// mailslot message it carries.
func (s *nbtState) nbdgm(f *dissect.Frame, payload []byte, off int) {
	t := &f.Tree
	t.Base = off
	d := &s.dgm
	err := d.DecodeFromBytes(payload, s.e)
	d.AppendTree(t)
	s.e.addProto("nbdgm")
	f.Proto = "NBDGM"
	f.Info = d.AppendInfo(f.Info[:0])
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	f.Msgs = append(f.Msgs, d)
	if d.Fragmented() {
		// TODO(reassembly/dgram.go): merge fragments.
		return
	}
	user := d.LayerPayload()
	if len(user) == 0 {
		return
	}
	s.datagramSMB(f, user, off+len(d.Contents))
}

// datagramSMB decodes the SMB message of a datagram: a class 2 mailslot
// write (SMB_COM_TRANSACTION) carrying a browser or LAN Manager frame.
func (s *nbtState) datagramSMB(f *dissect.Frame, data []byte, off int) {
	t := &f.Tree
	t.Base = off
	m := &s.dgmSMB
	err := m.DecodeFromBytes(data, s.e)
	m.AppendTree(t)
	s.e.addProto("smb")
	f.Proto = "SMB"
	f.Info = m.AppendInfo(f.Info[:0])
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	f.Msgs = append(f.Msgs, m)
	tr := m.Trans()
	if tr == nil || !tr.HasName || tr.Err != nil || tr.SetupOff <= 0 || tr.SetupOff > len(data) {
		return
	}
	if !dissect.IsMailslotWrite(tr.Name, len(tr.Data)) {
		return
	}
	s.mailslot(f, data, off, tr)
}

func (s *nbtState) mailslot(f *dissect.Frame, smb []byte, off int, tr *dissect.Trans) {
	t := &f.Tree
	ms := &s.dgmMS
	t.Base = off + tr.SetupOff
	var err error
	if tr.Unicode {
		err = ms.Decode(tr.Setup, tr.Name)
	} else {
		err = ms.DecodeFromBytes(smb[tr.SetupOff:], s.e)
	}
	ms.AppendTree(t)
	s.e.addProto("mailslot")
	f.Proto = "MAILSLOT"
	if err != nil {
		s.e.noteErr(f, err)
		return
	}
	dataOff := off + int(tr.DataOffset)
	switch ms.NextLayerType() {
	case dissect.LayerTypeBrowser:
		t.Base = dataOff
		b := &s.browser
		err := b.DecodeFromBytes(tr.Data, s.e)
		b.AppendTree(t)
		s.e.addProto("browser")
		f.Proto = "BROWSER"
		f.Info = b.AppendInfo(f.Info[:0])
		if err != nil {
			s.e.noteErr(f, err)
			return
		}
		f.Msgs = append(f.Msgs, b)
	case dissect.LayerTypeLANMAN:
		t.Base = dataOff
		l := &s.lanman
		err := l.DecodeFromBytes(tr.Data, s.e)
		l.AppendTree(t)
		s.e.addProto("browser")
		f.Proto = "BROWSER"
		f.Info = l.AppendInfo(f.Info[:0])
		if err != nil {
			s.e.noteErr(f, err)
			return
		}
		f.Msgs = append(f.Msgs, l)
	default:
		t.Base = dataOff
		ms.AppendData(t, tr.Data)
		f.Info = ms.AppendInfo(f.Info[:0])
	}
}

func (s *nbtState) tcp(f *dissect.Frame, ip *layers.IPv4, tc *layers.TCP, off int) {
	if len(tc.Payload) > 0 {
		s.e.appendData(f, tc.Payload, off)
	}
}
