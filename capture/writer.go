package capture

import (
	"fmt"
	"io"
	"runtime"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Writer writes frames as pcapng, keeping each frame's link type: it adds
// one pcapng interface per distinct (Packet.Source, Packet.LinkType) pair,
// when that pair's first frame is written. Timestamps are written with
// nanosecond resolution, so micro- and nanosecond inputs keep their value.
type Writer struct {
	w      io.Writer
	ng     *pcapgo.NgWriter
	ifaces map[ifaceKey]int // pcapng interface id of each (source, link type)
	labels map[int]string
	last   ifaceKey // cache of the last lookup
	lastID int
	count  int // frames written
	err    error
}

type ifaceKey struct {
	source   int
	linkType layers.LinkType
}

// NewPcapngWriter returns a Writer to w. Nothing is written until the first
// frame, or Close. Close flushes but does not close w.
func NewPcapngWriter(w io.Writer) *Writer {
	return &Writer{w: w, ifaces: make(map[ifaceKey]int), lastID: -1}
}

// SetLabel names the pcapng interfaces of input source (the interface name
// is the label, as Source.Label gives it). Call it before the input's first
// frame; without it interfaces are named "input N".
func (w *Writer) SetLabel(source int, label string) {
	if w.labels == nil {
		w.labels = make(map[int]string)
	}
	w.labels[source] = label
}

// WritePacket writes p on the interface of its source and link type.
func (w *Writer) WritePacket(p *Packet) error {
	if w.err != nil {
		return w.err
	}
	id, err := w.iface(ifaceKey{p.Source, p.LinkType})
	if err != nil {
		return w.setErr(err)
	}
	ci := p.CI
	ci.InterfaceIndex = id
	ci.AncillaryData = nil
	ci.CaptureLength = len(p.Data)
	if ci.Length < ci.CaptureLength {
		ci.Length = ci.CaptureLength
	}
	if err := w.ng.WritePacket(ci, p.Data); err != nil {
		return w.setErr(fmt.Errorf("pcapng writer: frame %d: %w", w.count+1, err))
	}
	w.count++
	return nil
}

// iface returns the interface id for k, adding the interface if needed.
func (w *Writer) iface(k ifaceKey) (int, error) {
	if w.lastID >= 0 && k == w.last {
		return w.lastID, nil
	}
	id, ok := w.ifaces[k]
	if !ok {
		var err error
		if id, err = w.addIface(k); err != nil {
			return 0, err
		}
	}
	w.last, w.lastID = k, id
	return id, nil
}

func (w *Writer) addIface(k ifaceKey) (int, error) {
	intf := w.ngInterface(k)
	var id int
	var err error
	if w.ng == nil {
		// NewNgWriterInterface writes the section header and interface 0.
		w.ng, err = pcapgo.NewNgWriterInterface(w.w, intf, pcapgo.NgWriterOptions{
			SectionInfo: pcapgo.NgSectionInfo{OS: runtime.GOOS, Application: "nbtsniff"},
		})
	} else {
		id, err = w.ng.AddInterface(intf)
	}
	if err != nil {
		return 0, fmt.Errorf("pcapng writer: interface for input %d link type %s: %w", k.source, k.linkType, err)
	}
	w.ifaces[k] = id
	return id, nil
}

func (w *Writer) ngInterface(k ifaceKey) pcapgo.NgInterface {
	name, ok := w.labels[k.source]
	if !ok {
		name = fmt.Sprintf("input %d", k.source)
	}
	return pcapgo.NgInterface{
		Name:                name,
		Description:         fmt.Sprintf("nbtsniff input %d, %s", k.source, k.linkType),
		OS:                  runtime.GOOS,
		LinkType:            k.linkType,
		SnapLength:          MaxRecordSize,
		TimestampResolution: 9,
	}
}

// Flush writes out buffered frames.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.ng == nil {
		return nil
	}
	if err := w.ng.Flush(); err != nil {
		return w.setErr(fmt.Errorf("pcapng writer: %w", err))
	}
	return nil
}

// Close flushes. If no frame was written it still writes a valid file: a
// section header and one Ethernet interface.
func (w *Writer) Close() error {
	if w.ng == nil && w.err == nil {
		if _, err := w.addIface(ifaceKey{0, layers.LinkTypeEthernet}); err != nil {
			return w.setErr(err)
		}
	}
	return w.Flush()
}

func (w *Writer) setErr(err error) error {
	w.err = err
	return err
}
