package view

import (
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

// detailLine is one line of a frame's protocol tree, as the -V view
// prints it, with the bytes it covers.
type detailLine struct {
	text  string // escaped
	depth int
	src   int // 0: the frame, n: sources[n]
	off   int // -1: no bytes
	len   int
	layer int // index of the layer (top-level node) it belongs to
	err   bool
}

// detailSource is one buffer of the hex view: the frame, or a reassembled
// buffer.
type detailSource struct {
	name string
	data []byte
}

// frameDetail is a decoded frame rendered once, owned by the UI: the frame
// itself was reused by the engine the moment the next one was decoded.
type frameDetail struct {
	number  int
	lines   []detailLine
	sources []detailSource
	// layerOf gives, for each byte of the frame, the layer that covers it
	// (-1: none), for colouring the hex dump.
	layerOf []int16
	errs    []string
}

func newFrameDetail(f *dissect.Frame) *frameDetail {
	d := &frameDetail{number: f.Number}
	d.sources = append(d.sources, detailSource{name: "Frame", data: append([]byte(nil), f.Data...)})
	for _, s := range f.Tree.Sources {
		d.sources = append(d.sources, detailSource{name: esc(s.Name), data: append([]byte(nil), s.Data...)})
	}
	d.layerOf = make([]int16, len(f.Data))
	for i := range d.layerOf {
		d.layerOf[i] = -1
	}
	layer := -1
	var buf []byte
	for i := range f.Tree.Nodes {
		n := &f.Tree.Nodes[i]
		if n.Flags&dissect.NodeHidden != 0 {
			continue
		}
		if n.Depth == 0 {
			layer++
		}
		buf = output.AppendNodeText(buf[:0], f, n)
		ln := detailLine{
			text:  escBytes(buf),
			depth: int(n.Depth),
			src:   int(n.Src),
			off:   int(n.Off),
			len:   int(n.Len),
			layer: layer,
			err:   n.Flags&dissect.NodeError != 0,
		}
		if ln.src > len(f.Tree.Sources) {
			ln.src = 0
		}
		d.lines = append(d.lines, ln)
		if n.Depth == 0 && n.Src == 0 && n.Off >= 0 {
			end := min(int(n.Off)+int(n.Len), len(d.layerOf))
			for b := max(int(n.Off), 0); b < end; b++ {
				d.layerOf[b] = int16(layer)
			}
		}
	}
	for _, e := range f.Errs {
		d.errs = append(d.errs, esc(e.Error()))
	}
	return d
}
