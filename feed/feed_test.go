package feed

import (
	"bytes"
	"testing"
	"time"
	"unsafe"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// Rows come back as added, the columns cut to their bounds; FrameAt finds
// the last frame at or before a time.
func TestIndex(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 0, 46, 50, 364000000, time.UTC)
	var x Index
	long := bytes.Repeat([]byte("x"), 300)
	for i := 1; i <= 3; i++ {
		x.Add(&Row{Number: i, Time: t0.Add(time.Duration(i-1) * time.Second), Length: 60 * i, Source: i - 1, Errs: 256 * (i - 1),
			Src: []byte("198.18.1.1" + string(rune('0'+i))), Dst: []byte("198.18.1.255"), Proto: long, Info: []byte("info")})
	}
	if x.Len() != 3 || !x.First().Equal(t0) {
		t.Fatalf("Len %d, First %v", x.Len(), x.First())
	}
	r, ok := x.Row(2)
	if !ok || r.Number != 2 || r.Length != 120 || r.Source != 1 || r.Errs != 255 || !r.Time.Equal(t0.Add(time.Second)) ||
		string(r.Src) != "198.18.1.12" || string(r.Dst) != "198.18.1.255" || len(r.Proto) != 255 || string(r.Info) != "info" {
		t.Errorf("row 2: %+v", r)
	}
	if _, ok := x.Row(4); ok {
		t.Error("row 4 of 3")
	}
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{-time.Second, 0}, {0, 1}, {1500 * time.Millisecond, 2}, {time.Hour, 3}} {
		if got := x.FrameAt(t0.Add(c.at)); got != c.want {
			t.Errorf("FrameAt(+%v) = %d, want %d", c.at, got, c.want)
		}
	}
}

// The frames passing a filter: those of the replay, then the new ones.
func TestMatches(t *testing.T) {
	m := Matches{Old: []int32{2, 5}, New: []int32{9}}
	if m.Len() != 3 || m.At(2) != 9 {
		t.Fatalf("Len %d, At(2) %d", m.Len(), m.At(2))
	}
	if i, ok := m.Index(5); i != 1 || !ok {
		t.Errorf("Index(5) = %d, %v", i, ok)
	}
	if i, ok := m.Index(6); i != 2 || ok {
		t.Errorf("Index(6) = %d, %v", i, ok)
	}
}

// The state at a time is the latest snapshot at or before it; before the
// first, an empty state at that time.
func TestStateAt(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 0, 47, 0, 0, time.UTC)
	a, b := &timeline.Snapshot{Time: t0}, &timeline.Snapshot{Time: t0.Add(time.Minute)}
	s := Sample{Snapshots: []*timeline.Snapshot{a, b}, Latest: b}
	if got := s.StateAt(t0.Add(30 * time.Second)); got != a {
		t.Errorf("at +30s: %v", got.Time)
	}
	if got := s.StateAt(t0.Add(time.Hour)); got != b {
		t.Errorf("after the latest: %v", got.Time)
	}
	if got := s.StateAt(t0.Add(-time.Second)); got == a || got == b || !got.Time.Equal(t0.Add(-time.Second)) || len(got.Groups) != 0 {
		t.Errorf("before the first: %+v", got)
	}
}

// DropOldest keeps the newer rows: the frames before are counted (Len)
// but no longer held (Row, Time), FrameAt still answers in frame numbers,
// and a copy taken before stays whole.
func TestIndexDropOldest(t *testing.T) {
	var x Index
	t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 10; i++ {
		x.Add(&Row{Number: i, Time: t0.Add(time.Duration(i) * time.Second), Src: []byte("10.0.0.1"), Info: []byte("frame " + string(rune('0'+i%10)))})
	}
	before := x
	y := x.DropOldest(4)
	if y.Len() != 10 || y.Oldest() != 5 {
		t.Fatalf("Len %d, Oldest %d: want 10 and 5", y.Len(), y.Oldest())
	}
	if _, ok := y.Row(4); ok {
		t.Error("frame 4 still held")
	}
	r, ok := y.Row(5)
	if !ok || r.Number != 5 || string(r.Info) != "frame 5" || string(r.Src) != "10.0.0.1" {
		t.Errorf("frame 5: %+v %v", r, ok)
	}
	if r, ok := y.Row(10); !ok || string(r.Info) != "frame 0" {
		t.Errorf("frame 10: %+v %v", r, ok)
	}
	if got := y.FrameAt(t0.Add(7 * time.Second)); got != 7 {
		t.Errorf("FrameAt(7 s) = %d", got)
	}
	if !y.Time(3).IsZero() || y.Time(6) != t0.Add(6*time.Second) || !y.First().Equal(x.First()) {
		t.Error("Time of a dropped frame, or of a held one, or First, is wrong")
	}
	if r, ok := before.Row(1); !ok || r.Number != 1 || before.Len() != 10 {
		t.Error("a copy taken before DropOldest changed")
	}
	y.Add(&Row{Number: 11, Time: t0.Add(11 * time.Second), Info: []byte("eleven")})
	if r, ok := y.Row(11); !ok || string(r.Info) != "eleven" || y.Len() != 11 {
		t.Errorf("frame 11 after the drop: %+v %v", r, ok)
	}
	if z := y.DropOldest(100); z.Len() != 11 || z.Oldest() != 12 {
		t.Errorf("dropping every row: Len %d, Oldest %d", z.Len(), z.Oldest())
	}
}

// fakeSummarizer re-derives columns from the Ref alone.
type fakeSummarizer struct{ calls int }

func (s *fakeSummarizer) Columns(r *Row, ref Ref) {
	s.calls++
	r.Src, r.Proto = []byte("ref"), []byte{'0' + ref.Kind}
	r.Info = []byte(time.Duration(ref.Offset).String() + " " + string(rune('a'+ref.Aux)) + " " + string(rune('0'+ref.CapLen)))
}

// Rows added by reference take 24 bytes each and no arena; their columns
// come from the Summarizer, only when a row is read, and a window
// (DropOldest) keeps text and references in place.
func TestIndexRefs(t *testing.T) {
	var x Index
	s := &fakeSummarizer{}
	x.SetSummarizer(s)
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 1000; i++ {
		r := &Row{Number: i, Time: t0.Add(time.Duration(i) * time.Millisecond), Length: 3, Errs: i % 2}
		if i%100 == 0 {
			r.Info = []byte("text " + string(rune('0'+i/100%10)))
			x.Add(r)
			continue
		}
		if !x.AddRef(r, Ref{Kind: 2, Offset: int64(i), CapLen: 3, Aux: 1}) {
			t.Fatalf("frame %d refused", i)
		}
	}
	if s.calls != 0 {
		t.Fatal("the Summarizer was called before any row was read")
	}
	if unsafe.Sizeof(row{}) != 24 || x.used != 10*(textHeader+6) || len(x.chunks) != 1 {
		t.Errorf("rows of %d bytes, arena %d bytes, %d chunks", unsafe.Sizeof(row{}), x.used, len(x.chunks))
	}
	r, ok := x.Row(7)
	if !ok || r.Number != 7 || r.Length != 3 || r.Errs != 1 || string(r.Src) != "ref" || string(r.Proto) != "2" || string(r.Info) != "7ns b 3" || s.calls != 1 {
		t.Errorf("frame 7: %+v", r)
	}
	y := x.DropOldest(250)
	for n, want := range map[int]string{300: "text 3", 301: "301ns b 3", 1000: "text 0"} {
		if r, ok := y.Row(n); !ok || string(r.Info) != want {
			t.Errorf("frame %d after the drop: %q %v, want %q", n, r.Info, ok, want)
		}
	}
	if r, ok := x.Row(200); !ok || string(r.Info) != "text 2" {
		t.Errorf("frame 200 of the copy taken before: %q", r.Info)
	}
}

// The slab grows by whole chunks: rows across chunk boundaries read back
// as added, a copy taken before more rows came stays as it was, and the
// memory held is the chunks, not a doubling array.
func TestIndexChunks(t *testing.T) {
	var x Index
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	add := func(i int) {
		if !x.AddRef(&Row{Time: t0.Add(time.Duration(i) * time.Microsecond), Length: i % 1000, Source: i % 3}, Ref{Kind: 1, Offset: int64(i), CapLen: i % 1000, Link: 1}) {
			t.Fatalf("frame %d refused", i)
		}
	}
	for i := 1; i <= 10000; i++ {
		add(i)
	}
	before := x
	for i := 10001; i <= 3*chunkRows+5; i++ {
		add(i)
	}
	if x.Len() != 3*chunkRows+5 || before.Len() != 10000 || len(x.chunks) != 4 || len(x.tags) != 3 {
		t.Fatalf("Len %d, copy's Len %d, %d chunks, %d tags", x.Len(), before.Len(), len(x.chunks), len(x.tags))
	}
	for _, n := range []int{1, chunkRows, chunkRows + 1, 10000, 2*chunkRows + 7, 3*chunkRows + 5} {
		r, ok := x.Row(n)
		if !ok || r.Length != n%1000 || r.Source != n%3 || !r.Time.Equal(t0.Add(time.Duration(n)*time.Microsecond)) {
			t.Errorf("frame %d: %+v", n, r)
		}
		if got := x.FrameAt(t0.Add(time.Duration(n) * time.Microsecond)); got != n {
			t.Errorf("FrameAt(frame %d's time) = %d", n, got)
		}
	}
	if _, ok := before.Row(10001); ok || before.FrameAt(t0.Add(time.Hour)) != 10000 {
		t.Error("the copy sees rows added after it")
	}
	// The rows, and a directory entry (16 bytes) a 64 rows.
	if b := x.Bytes(); b > x.Len()*25+4096 {
		t.Errorf("%d bytes held for %d rows", b, x.Len())
	}
}

// A row by reference holds its length only as its captured length, its
// errors up to 7 and one of 256 pairs of input and link type: AddRef
// refuses the others, which the caller adds as text, whole.
func TestIndexRefBounds(t *testing.T) {
	var x Index
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	ref := Ref{Kind: 1, Offset: 100, CapLen: 60}
	if x.AddRef(&Row{Time: t0, Length: 1514}, ref) {
		t.Error("a frame cut short (length 1514, 60 captured) taken by reference")
	}
	if x.AddRef(&Row{Time: t0, Length: 60}, Ref{Kind: 4, Offset: 100, CapLen: 60}) || x.AddRef(&Row{Time: t0, Length: 60}, Ref{Offset: 100, CapLen: 60}) {
		t.Error("kind 4 or 0 taken")
	}
	for i := range 300 {
		ok := x.AddRef(&Row{Time: t0, Length: 60, Source: i, Errs: 9}, ref)
		if ok != (i < 256) {
			t.Fatalf("input %d: AddRef %v", i, ok)
		}
	}
	if r, _ := x.Row(256); x.Len() != 256 || r.Source != 255 || r.Errs != 7 || r.Length != 60 {
		t.Errorf("Len %d, row 256 %+v", x.Len(), r)
	}
	x.Add(&Row{Time: t0, Length: 1514, Source: 299, Errs: 300, Info: []byte("cut")})
	if r, _ := x.Row(257); r.Source != 299 || r.Errs != 255 || r.Length != 1514 || string(r.Info) != "cut" {
		t.Errorf("row 257 as text: %+v", r)
	}
}
