package metrics

import (
	"sync"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/nbtsniff/nbtsniff/output"
)

// labelValue makes a label value of a string that may come from the wire:
// escaped as every text mode escapes it (output.AppendEscapedString: no
// control byte, no bidi override, valid UTF-8), then cut to at most max
// bytes on a rune boundary, the cut marked with "...". A printable ASCII
// string that fits is returned as it is, without allocating.
func labelValue(s string, max int) string {
	plain := len(s) <= max
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f
	}
	if plain {
		return s
	}
	b := output.AppendEscapedString(make([]byte, 0, len(s)+8), s)
	if len(b) <= max {
		return string(b)
	}
	const mark = "..."
	n := max - len(mark)
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(append(b[:n], mark...))
}

// labelKey is the raw (unescaped) label values of one series: the map key
// that finds a series again without escaping anything.
type labelKey [4]string

// cappedCounter is a CounterVec that holds at most max label sets: an
// increment of a new label set beyond that is counted in the overflow
// counter instead. Label values are escaped once, when a set is first seen.
type cappedCounter struct {
	name     string
	vec      *prometheus.CounterVec
	max      int
	labelMax int
	overflow prometheus.Counter

	mu       sync.Mutex
	children map[labelKey]prometheus.Counter
}

func newCappedCounter(name, help string, labels []string, o *Options, overflow *prometheus.CounterVec) *cappedCounter {
	return &cappedCounter{
		name:     name,
		vec:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels),
		max:      o.MaxSeries,
		labelMax: o.MaxLabelLen,
		overflow: overflow.WithLabelValues(name),
		children: make(map[labelKey]prometheus.Counter),
	}
}

// with returns the counter of the label values (as many as the metric has
// labels), or nil when the metric is full and the set is new (the overflow
// counter has then been incremented by add).
func (c *cappedCounter) with(add float64, vals ...string) prometheus.Counter {
	var k labelKey
	copy(k[:], vals)
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.children[k]; ok {
		return ch
	}
	if len(c.children) >= c.max {
		c.overflow.Add(add)
		return nil
	}
	esc := make([]string, len(vals))
	for i, v := range vals {
		esc[i] = labelValue(v, c.labelMax)
	}
	ch := c.vec.WithLabelValues(esc...)
	c.children[k] = ch
	return ch
}

// add adds v to the series of the label values (v may be 0: the series is
// then created at 0, so that a rate over it sees its first increment).
func (c *cappedCounter) add(v float64, vals ...string) {
	if ch := c.with(v, vals...); ch != nil {
		ch.Add(v)
	}
}
