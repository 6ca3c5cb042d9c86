package capture

import (
	"errors"
	"io"
	"strings"
)

// Merge returns a Source that interleaves srcs by timestamp, as mergecap
// does: each call returns the earliest of the inputs' next frames, ties in
// the order of srcs. Packet.Source tells which input a frame came from.
//
// Merging is zero copy: the merged Source holds one pending frame per
// input and advances only the input whose frame it returned last, so that
// frame's Data stays valid until the next call, as for a single Source.
//
// An input's error (a *TruncatedError, say) is returned once, when the
// input fails; the input is dropped and the next call goes on with the
// others. io.EOF comes when every input has ended. A single input is
// returned as is.
//
// Merge is meant for files: to know which frame is earliest it waits for
// the next frame of every input, so a quiet live input would hold back the
// others. Next, Label and Close are not safe for concurrent use; Stats is.
func Merge(srcs []Source) Source {
	if len(srcs) == 1 {
		return srcs[0]
	}
	return &merged{
		srcs: srcs,
		head: make([]Packet, len(srcs)),
		heap: make([]int, 0, len(srcs)),
		last: -1,
	}
}

type merged struct {
	srcs   []Source
	head   []Packet // the pending frame of each input in heap
	heap   []int    // inputs with a pending frame, a min-heap on (time, input)
	last   int      // the input whose frame was returned last, or -1
	errs   []error  // errors met while priming, returned one per call
	primed bool
}

func (m *merged) Next(p *Packet) error {
	if err := m.advance(); err != nil {
		return err
	}
	if len(m.errs) > 0 {
		err := m.errs[0]
		m.errs = m.errs[1:]
		return err
	}
	if len(m.heap) == 0 {
		return io.EOF
	}
	i := m.heap[0]
	*p = m.head[i]
	m.last = i
	return nil
}

// advance replaces the frame returned last by that input's next one, or
// reads the first frame of every input on the first call.
func (m *merged) advance() error {
	if !m.primed {
		m.primed = true
		for i := range m.srcs {
			if err := m.srcs[i].Next(&m.head[i]); err == nil {
				m.push(i)
			} else if err != io.EOF {
				m.errs = append(m.errs, err)
			}
		}
		return nil
	}
	if m.last < 0 {
		return nil
	}
	i := m.last
	m.last = -1
	err := m.srcs[i].Next(&m.head[i])
	if err == nil {
		m.down(0)
		return nil
	}
	m.popTop()
	if err == io.EOF {
		return nil
	}
	return err
}

// less orders inputs by the time of their pending frame, then by position.
func (m *merged) less(a, b int) bool {
	ta, tb := m.head[a].CI.Timestamp, m.head[b].CI.Timestamp
	if ta.Equal(tb) {
		return a < b
	}
	return ta.Before(tb)
}

func (m *merged) push(i int) {
	m.heap = append(m.heap, i)
	m.up(len(m.heap) - 1)
}

func (m *merged) popTop() {
	n := len(m.heap) - 1
	m.heap[0] = m.heap[n]
	m.heap = m.heap[:n]
	if n > 0 {
		m.down(0)
	}
}

func (m *merged) up(j int) {
	for j > 0 {
		parent := (j - 1) / 2
		if !m.less(m.heap[j], m.heap[parent]) {
			return
		}
		m.heap[j], m.heap[parent] = m.heap[parent], m.heap[j]
		j = parent
	}
}

func (m *merged) down(j int) {
	n := len(m.heap)
	for {
		small := j
		if l := 2*j + 1; l < n && m.less(m.heap[l], m.heap[small]) {
			small = l
		}
		if r := 2*j + 2; r < n && m.less(m.heap[r], m.heap[small]) {
			small = r
		}
		if small == j {
			return
		}
		m.heap[j], m.heap[small] = m.heap[small], m.heap[j]
		j = small
	}
}

// Label joins the inputs' labels with "+".
func (m *merged) Label() string {
	labels := make([]string, len(m.srcs))
	for i, s := range m.srcs {
		labels[i] = s.Label()
	}
	return strings.Join(labels, "+")
}

// Stats sums the inputs' counters.
func (m *merged) Stats() Stats {
	var st Stats
	for _, s := range m.srcs {
		st = st.add(s.Stats())
	}
	return st
}

// Close closes every input and returns their errors joined.
func (m *merged) Close() error {
	var errs []error
	for _, s := range m.srcs {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
