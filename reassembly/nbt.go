package reassembly

import (
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// nbtState holds the NBT decoders and the per-flow state above UDP/TCP.
type nbtState struct {
	e *Engine
}

func (s *nbtState) init(e *Engine) { s.e = e }

func (s *nbtState) nbns(f *dissect.Frame, payload []byte, off int) {
	s.e.appendData(f, payload, off)
	f.Proto = "NBNS"
}

func (s *nbtState) nbdgm(f *dissect.Frame, payload []byte, off int) {
	s.e.appendData(f, payload, off)
	f.Proto = "NBDGM"
}

func (s *nbtState) tcp(f *dissect.Frame, ip *layers.IPv4, tc *layers.TCP, off int) {
	if len(tc.Payload) > 0 {
		s.e.appendData(f, tc.Payload, off)
	}
}
