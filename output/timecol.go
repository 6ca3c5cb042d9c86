package output

import (
	"io"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Summary prints summary lines with a time format. It remembers the
// previous frame it printed, for TimeDeltaDisplayed: give it every frame
// printed, in order. The zero Summary is tshark's default (-t r).
type Summary struct {
	Time TimeFormat
	// Loc is the time zone of the absolute formats a, ad and adoy; nil
	// is the local time zone.
	Loc *time.Location

	prev time.Time
	seen bool
}

// Write writes the summary line of f.
func (s *Summary) Write(w io.Writer, f *dissect.Frame) error {
	return writePooled(w, f, s.Append)
}

// Append appends the summary line of f, with its newline.
func (s *Summary) Append(dst []byte, f *dissect.Frame) []byte {
	var tmp [64]byte
	return appendSummaryCol(dst, f, s.AppendTime(tmp[:0], f))
}

// AppendTime appends the time column of f (tshark's _ws.col.Time), and
// records f as the previous frame displayed.
func (s *Summary) AppendTime(dst []byte, f *dissect.Frame) []byte {
	dst = s.appendTime(dst, f)
	s.prev, s.seen = f.Time, true
	return dst
}

func (s *Summary) appendTime(dst []byte, f *dissect.Frame) []byte {
	first := f.Time.Add(-f.Rel)
	var prev time.Time
	switch s.Time {
	case TimeDelta:
		var d int64
		if n := f.Tree.First(dissect.FieldFrameTimeDelta); n != nil {
			d = int64(n.U)
		}
		prev = f.Time.Add(-time.Duration(d))
	case TimeDeltaShown:
		prev = f.Time
		if s.seen {
			prev = s.prev
		}
	}
	return AppendTime(dst, s.Time, f.Time, first, prev, 6, s.Loc)
}
