package reassembly

// The pieces of one SMB transaction: placed by displacement, checked
// against what was already received, and assembled once the blocks are
// whole (see smbtrans.go).

import (
	"bytes"
	"sort"
	"strconv"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// place stores one piece after checking it against the totals and what
// was already received.
func (r *TransReassembler[C]) place(p *transPending[C], tr *dissect.Trans) error {
	if len(p.frames) >= r.cfg.MaxPieces {
		return transLimit("pieces", "more than "+strconv.Itoa(r.cfg.MaxPieces)+" messages in one transaction")
	}
	// Totals may shrink, never grow ([MS-CIFS] §2.2.4.33.2). Nothing is
	// changed until the piece is accepted.
	totalParams, totalData := p.totalParams, p.totalData
	for _, t := range [...]struct {
		cur  *int
		new  int
		name string
	}{{&totalParams, int(tr.TotalParamCount), "total parameter count"}, {&totalData, int(tr.TotalDataCount), "total data count"}} {
		switch {
		case t.new < *t.cur:
			*t.cur = t.new
		case t.new > *t.cur:
			return transErr(t.name, "grew from "+strconv.Itoa(*t.cur)+" to "+strconv.Itoa(t.new))
		}
	}
	pe := int(tr.ParamDisplacement) + len(tr.Params)
	de := int(tr.DataDisplacement) + len(tr.Data)
	if pe > totalParams {
		return transErr("parameter displacement", "piece "+strconv.Itoa(int(tr.ParamDisplacement))+".."+strconv.Itoa(pe)+" past the total of "+strconv.Itoa(totalParams))
	}
	if de > totalData {
		return transErr("data displacement", "piece "+strconv.Itoa(int(tr.DataDisplacement))+".."+strconv.Itoa(de)+" past the total of "+strconv.Itoa(totalData))
	}
	// Stored pieces beyond a total that shrank contradict it.
	for _, blk := range [...]struct {
		pieces []transPiece
		total  int
		name   string
	}{{p.params, totalParams, "total parameter count"}, {p.data, totalData, "total data count"}} {
		for _, pc := range blk.pieces {
			if pc.off+len(pc.b) > blk.total {
				return transErr(blk.name, "shrank to "+strconv.Itoa(blk.total)+" below bytes already received")
			}
		}
	}
	if p.stored+len(tr.Params)+len(tr.Data) > r.cfg.MaxBytes {
		return transLimit("transaction size", "more than "+strconv.Itoa(r.cfg.MaxBytes)+" bytes")
	}
	dupP, err := checkOverlap(p.params, int(tr.ParamDisplacement), tr.Params, "parameter")
	if err != nil {
		return err
	}
	dupD, err := checkOverlap(p.data, int(tr.DataDisplacement), tr.Data, "data")
	if err != nil {
		return err
	}
	p.totalParams, p.totalData = totalParams, totalData
	if len(tr.Params) > 0 && !dupP {
		p.params = insertPiece(p.params, int(tr.ParamDisplacement), tr.Params)
		p.stored += len(tr.Params)
	}
	if len(tr.Data) > 0 && !dupD {
		p.data = insertPiece(p.data, int(tr.DataDisplacement), tr.Data)
		p.stored += len(tr.Data)
	}
	return nil
}

// checkOverlap compares a new piece with the bytes already received where
// they overlap. dup reports a piece wholly received before (a duplicate).
func checkOverlap(pieces []transPiece, off int, b []byte, name string) (dup bool, err error) {
	if len(b) == 0 {
		return false, nil
	}
	end := off + len(b)
	covered := 0
	for _, pc := range pieces {
		lo, hi := max(off, pc.off), min(end, pc.off+len(pc.b))
		if lo >= hi {
			continue
		}
		if !bytes.Equal(b[lo-off:hi-off], pc.b[lo-pc.off:hi-pc.off]) {
			return false, transErr(name+" displacement", "piece "+strconv.Itoa(off)+".."+strconv.Itoa(end)+" contradicts bytes already received at "+strconv.Itoa(lo)+".."+strconv.Itoa(hi))
		}
		covered += hi - lo
	}
	return covered >= len(b) && coveredRange(pieces, off, end), nil
}

// coveredRange reports whether [lo, hi) is covered by the pieces.
func coveredRange(pieces []transPiece, lo, hi int) bool {
	at := lo
	for _, pc := range pieces { // sorted by off
		if pc.off > at {
			break
		}
		at = max(at, pc.off+len(pc.b))
		if at >= hi {
			return true
		}
	}
	return at >= hi
}

// insertPiece copies b in, keeping the pieces sorted by offset. The copy
// is the only allocation: exactly the bytes that arrived, or none when the
// list's element past its length (a completed transaction's, takePieces)
// has the room for them.
func insertPiece(pieces []transPiece, off int, b []byte) []transPiece {
	i := sort.Search(len(pieces), func(i int) bool { return pieces[i].off > off })
	var room []byte
	if n := len(pieces); n < cap(pieces) {
		room = pieces[:n+1][n].b[:0] // nothing else holds it
	}
	pieces = append(pieces, transPiece{})
	copy(pieces[i+1:], pieces[i:])
	pieces[i] = transPiece{off: off, b: append(room, b...)}
	return pieces
}

func (r *TransReassembler[C]) whole(p *transPending[C]) bool {
	if !p.key.response && !p.hasPrimary {
		return false // a request is not whole before its primary
	}
	return coveredRange(p.params, 0, p.totalParams) && coveredRange(p.data, 0, p.totalData)
}

// assemble appends [0, total) of the pieces (all of it is covered).
func assemble(dst []byte, pieces []transPiece, total int) []byte {
	start := len(dst)
	dst = append(dst, make([]byte, max(total, 0))...) // (a byte at a time was 2.5 M instructions of the dense --report)
	for _, pc := range pieces {
		copy(dst[start+pc.off:start+total], pc.b)
	}
	return dst
}

func (r *TransReassembler[C]) fill(res *TransResult, p *transPending[C]) {
	res.Name, res.Setup = p.name, p.setup
	res.TotalParamCount, res.TotalDataCount = p.totalParams, p.totalData
	res.Fragments = p.frames
}

// holes lists what is missing of a pending transaction.
func (r *TransReassembler[C]) holes(p *transPending[C]) []ByteRange {
	m := r.missing[:0]
	for _, blk := range [...]struct {
		b      TransBlock
		pieces []transPiece
		total  int
	}{{TransParams, p.params, p.totalParams}, {TransData, p.data, p.totalData}} {
		at := 0
		for _, pc := range blk.pieces {
			if end := min(pc.off, blk.total); end > at {
				m = append(m, ByteRange{blk.b, at, end})
			}
			at = max(at, pc.off+len(pc.b))
		}
		if at < blk.total {
			m = append(m, ByteRange{blk.b, at, blk.total})
		}
	}
	r.missing = m
	return m
}
