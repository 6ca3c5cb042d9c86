package engine

// How a decode error shows on its frame, as tshark shows it: a malformed
// packet (_ws.malformed), or a frame the capture cut short (_ws.short,
// "Packet size limited during capture").

import (
	"errors"
	"strings"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// malformed records a decode error on the frame.
func (e *Engine) malformed(f *dissect.Frame, proto string, err error, off int) {
	t := &f.Tree
	t.Base = 0
	if f.Proto == "" {
		f.Proto = proto
	}
	if e.short(err) {
		t.Expert(shortNote(proto), -1, 0).Flags |= dissect.NodeWarn
		e.markShort(f, proto)
		return
	}
	f.Errs = append(f.Errs, err)
	t.Expert("[Malformed Packet: "+err.Error()+"]", -1, 0)
	e.markMalformed(f)
}

// short reports whether err is the end of the captured bytes of a frame
// the capture cut (snap length): the bytes it misses were on the wire,
// so the frame is not malformed (tshark's BoundsError, "Packet size
// limited during capture", against ReportedBoundsError, "Malformed
// Packet").
func (e *Engine) short(err error) bool {
	if e.cut == 0 || !errors.Is(err, dissect.ErrTruncated) {
		return false
	}
	var de *dissect.DecodeError
	if errors.As(err, &de) {
		if need, have, ok := de.Sizes(); ok {
			return need <= have+e.cut
		}
	}
	return true
}

// shortNote is tshark's note on a cut frame.
func shortNote(proto string) string {
	return "[Packet size limited during capture: " + strings.ToUpper(proto) + " truncated]"
}

// markShort ends a cut frame as tshark does: the note in the info column
// and a hidden _ws.short for filters and -T fields.
func (e *Engine) markShort(f *dissect.Frame, proto string) {
	if e.marked {
		return
	}
	e.marked = true
	if e.needs.info {
		f.Info = append(f.Info, "[Packet size limited during capture]"...)
	}
	f.Tree.Hidden(dissect.FieldShort, unsafeBytes(shortNote(proto)))
}

// markMalformed adds the hidden _ws.malformed node (for -Y _ws.malformed
// and -e _ws.malformed) and the protocol, once per frame.
func (e *Engine) markMalformed(f *dissect.Frame) {
	if e.marked {
		return
	}
	e.marked = true
	f.Tree.Hidden(dissect.FieldMalformed, nil)
	e.addProto("_ws.malformed")
}

// SetTruncated is part of gopacket.DecodeFeedback.
func (e *Engine) SetTruncated() {}

// noteErr records a decode error that a layer already showed in its tree
// (as "[Malformed: ...]"; on a frame the capture cut, that note becomes
// tshark's "[Packet size limited during capture: PROTO truncated]").
func (e *Engine) noteErr(f *dissect.Frame, err error) {
	if e.short(err) {
		proto := "frame"
		var de *dissect.DecodeError
		if errors.As(err, &de) {
			proto = de.Proto
		}
		nodes := f.Tree.Nodes
		for i := len(nodes) - 1; i >= 0; i-- {
			if n := &nodes[i]; n.Flags&dissect.NodeError != 0 && strings.HasPrefix(n.Label, "[Malformed: ") {
				n.Label = shortNote(proto)
				n.Flags = n.Flags&^dissect.NodeError | dissect.NodeWarn
				break
			}
		}
		e.markShort(f, proto)
		return
	}
	f.Errs = append(f.Errs, err)
	e.markMalformed(f)
}
