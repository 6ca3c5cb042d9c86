package feed

import (
	"sort"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// Source is what the terminal UI reads. Its methods are called from the
// UI's goroutine and must not block on the capture: Detail may take long
// (the UI calls it from a command), the others return at once.
type Source interface {
	// Sample returns what has been read so far, and asks for a fresh
	// snapshot of the state for the next call.
	Sample() *Sample
	// SetDisplayFilter makes expr the frame list's filter ("" clears it).
	// A syntax error (*filter.SyntaxError) is returned at once; the
	// frames passing it then fill Sample.Matches as they are found.
	SetDisplayFilter(expr string) error
	// Detail decodes frame n again and returns it, owned by the caller.
	Detail(n int) (*dissect.Frame, error)
	// DetailProgress is the frame a running Detail has reached and the
	// one it wants.
	DetailProgress() (at, want int)
}

// Sample is a consistent, read-only view of what a Source has produced so
// far. Taking one costs a few slice headers: its slices are shared with
// the Source, which only appends to them.
type Sample struct {
	Labels     []string // the inputs' names (Packet.Source order)
	Live       bool     // capturing live
	Replayable bool     // frames can be decoded again from the files
	Frames     Index
	Events     []timeline.Event
	Dropped    int // events dropped to bound memory (the oldest)
	Latest     *timeline.Snapshot
	// Snapshots are the states kept for the time cursor, in time order
	// (see StateAt).
	Snapshots []*timeline.Snapshot
	First     time.Time // capture time of the first and last frame
	Last      time.Time
	Read      int64 // bytes read from the files
	Total     int64 // their size (0 if unknown)
	Started   time.Time
	Elapsed   time.Duration // wall time of the load (set when done)
	Done      bool
	Err       error
	Warnings  []string
	Stats     Stats
	Matches   Matches
	Writing   string // the -w file, if any
}

// Stats are the capture's counters (live capture).
type Stats struct {
	Received  uint64
	Dropped   uint64 // by the kernel
	IfDropped uint64 // by the interface or driver
}

// StateAt returns the state of the timeline as it stood at t: the latest
// snapshot taken at or before t, or the latest of all when t is at or
// after it. The Source takes the snapshots after frames that changed the
// state (at most one per interval); a snapshot says its own time
// (Snapshot.Time), which the UI shows.
func (s *Sample) StateAt(t time.Time) *timeline.Snapshot {
	if s.Latest != nil && (t.IsZero() || !t.Before(s.Latest.Time)) {
		return s.Latest
	}
	i := sort.Search(len(s.Snapshots), func(i int) bool { return s.Snapshots[i].Time.After(t) })
	if i == 0 {
		if len(s.Snapshots) > 0 {
			return &timeline.Snapshot{Time: t}
		}
		return s.Latest
	}
	return s.Snapshots[i-1]
}

// Matches are the frames that pass the display filter: those up to From
// found by a replay of the capture (Old, filled while the replay runs),
// those after it as they are decoded (New).
type Matches struct {
	Expr      string
	Old, New  []int32
	From      int
	Upto      int   // frames the replay has checked
	Done      bool  // the replay has finished
	Err       error // the replay could not be done
	Available bool  // false: no filter
}

// Len is the number of frames passing the filter so far.
func (m *Matches) Len() int { return len(m.Old) + len(m.New) }

// At is the number of the i-th frame passing the filter.
func (m *Matches) At(i int) int {
	if i < len(m.Old) {
		return int(m.Old[i])
	}
	return int(m.New[i-len(m.Old)])
}

// Index returns the position of frame n in the list, or of the first
// frame after it (Len if none), and whether n itself passes.
func (m *Matches) Index(n int) (int, bool) {
	i := sort.Search(m.Len(), func(i int) bool { return m.At(i) >= n })
	return i, i < m.Len() && m.At(i) == n
}
