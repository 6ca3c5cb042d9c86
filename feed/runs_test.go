package feed

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// refRow is what a row by reference reads back as.
type refRow struct {
	t           int64
	length, src int
	errs        int
	kind        uint8
	off         int64
	aux         uint32
	text        string // a row added as text
	link        uint16
	byRefAt     bool
}

// The frames added by AddRefAt read back as added (time, length, input,
// kind, offset, datum), whether they went into a run or not: runs broken
// by a gap in the file, a jump in time (back, or over 4.29 s), another
// input or link type, a row added otherwise, or their length; a copy
// taken in the middle of a run stays as it was; DropOldest keeps them.
func TestIndexRuns(t *testing.T) {
	var x Index
	s := &fakeSummarizer{}
	x.SetSummarizer(s)
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC).UnixNano()
	var want []refRow
	var copies []Index
	off, now := int64(24), t0
	for i := 0; i < 5000; i++ {
		capLen := 60 + rng.IntN(1400)
		now += int64(rng.IntN(2_000_000))
		w := refRow{t: now, length: capLen, src: 0, kind: uint8(1 + rng.IntN(2)), off: off + recordHeader, aux: rng.Uint32(), link: 1, byRefAt: true}
		switch r := rng.IntN(100); {
		case r < 2:
			w.off += 4 // a gap in the file
		case r < 4:
			now -= 3_000_000_000 // back in time
			w.t = now
		case r < 5:
			now += 5_000_000_000 // over 4.29 s later
			w.t = now
		case r < 7:
			w.src = 1
		case r < 8:
			w.link = 113
		case r < 10:
			w.byRefAt, w.text = false, "text "+strconv.Itoa(i)
		case r < 12:
			w.byRefAt, w.errs = false, 3
		}
		off = w.off + int64(capLen)
		ref := Ref{Kind: w.kind, Offset: w.off, CapLen: capLen, Link: w.link, Aux: w.aux}
		switch {
		case w.text != "":
			x.Add(&Row{Time: time.Unix(0, w.t).UTC(), Length: capLen, Source: w.src, Info: []byte(w.text)})
		case !w.byRefAt:
			if !x.AddRef(&Row{Time: time.Unix(0, w.t).UTC(), Length: capLen, Source: w.src, Errs: w.errs}, ref) {
				t.Fatalf("frame %d refused", i+1)
			}
		default:
			if !x.AddRefAt(w.t, capLen, w.src, ref) {
				t.Fatalf("frame %d refused", i+1)
			}
		}
		want = append(want, w)
		if i%777 == 0 {
			copies = append(copies, x)
		}
	}
	check := func(name string, x *Index, want []refRow, from int) {
		t.Helper()
		for n := from; n <= len(want); n++ {
			w := want[n-1]
			r, ok := x.Row(n)
			if !ok || r.Number != n || r.Time.UnixNano() != w.t || r.Length != w.length || r.Source != w.src || r.Errs != w.errs {
				t.Fatalf("%s: frame %d: %+v %v, want %+v", name, n, r, ok, w)
			}
			wantInfo := w.text
			if wantInfo == "" {
				wantInfo = time.Duration(w.off).String() + " " + string(rune('a'+w.aux)) + " " + string(rune('0'+w.length))
			}
			if string(r.Info) != wantInfo || w.text == "" && string(r.Proto) != string(rune('0'+w.kind)) {
				t.Fatalf("%s: frame %d: info %q proto %q, want %q kind %d", name, n, r.Info, r.Proto, wantInfo, w.kind)
			}
			if got := x.Time(n); got.UnixNano() != w.t {
				t.Fatalf("%s: Time(%d) = %v", name, n, got)
			}
		}
		if x.Len() != len(want) {
			t.Fatalf("%s: Len %d, want %d", name, x.Len(), len(want))
		}
	}
	if x.ne*3 > x.n {
		t.Errorf("%d entries for %d rows: few runs were made", x.ne, x.n)
	}
	check("index", &x, want, 1)
	for i, c := range copies {
		check("copy "+strconv.Itoa(i), &c, want[:c.Len()], 1)
	}
	y := x.DropOldest(1234)
	check("after DropOldest", &y, want, 1235)
	if _, ok := y.Row(1234); ok {
		t.Error("a dropped frame is held")
	}
	// FrameAt over the frames in time order (the jumps back aside).
	for n := 2; n <= len(want); n++ {
		if w := want[n-1]; w.t > want[n-2].t && (n == len(want) || want[n].t > w.t) {
			if got := x.FrameAt(time.Unix(0, w.t)); got < n {
				t.Fatalf("FrameAt(frame %d's time) = %d", n, got)
			}
			break
		}
	}
}

// A capture of other traffic in one file: runs of 64 frames, some 13 bytes
// a frame; FrameAt finds each frame by its time.
func TestIndexRunBytes(t *testing.T) {
	var x Index
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	off := int64(40)
	const frames = 3 * chunkRows
	for i := 1; i <= frames; i++ {
		capLen := 60 + i%900
		if !x.AddRefAt(t0.Add(time.Duration(i)*time.Microsecond).UnixNano(), capLen, 0, Ref{Kind: 2, Offset: off, CapLen: capLen, Aux: uint32(i)}) {
			t.Fatalf("frame %d refused", i)
		}
		off += int64(capLen) + recordHeader
	}
	if per := float64(x.Bytes()) / frames; per > 14 {
		t.Errorf("%.1f bytes a frame", per)
	}
	for _, n := range []int{1, 63, 64, 65, 128, chunkRows, frames - 1, frames} {
		if got := x.FrameAt(t0.Add(time.Duration(n) * time.Microsecond)); got != n {
			t.Errorf("FrameAt(frame %d's time) = %d", n, got)
		}
	}
	if got := x.FrameAt(t0); got != 0 {
		t.Errorf("FrameAt before the first = %d", got)
	}
}

// Text rows of every size, up to the largest a row holds, go into chunks
// of the arena that grow to 128 KiB and are never moved: each reads back
// as added, a copy taken before more came stays as it was, and a window
// (DropOldest) copies the text of the rows it keeps.
func TestIndexArenaChunks(t *testing.T) {
	var x Index
	rng := rand.New(rand.NewPCG(5, 6))
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	var infos []string
	var before Index
	for i := 1; i <= 600; i++ {
		n := rng.IntN(300)
		if i%50 == 0 {
			n = 65535 + rng.IntN(10) // cut to 65535
		}
		info := make([]byte, n)
		for j := range info {
			info[j] = byte('a' + (i+j)%26)
		}
		x.Add(&Row{Time: t0.Add(time.Duration(i) * time.Millisecond), Length: i, Src: []byte(strconv.Itoa(i)), Info: info})
		infos = append(infos, string(info[:min(n, 65535)]))
		if i == 300 {
			before = x
		}
	}
	check := func(name string, x *Index, from, to int) {
		t.Helper()
		for n := from; n <= to; n++ {
			r, ok := x.Row(n)
			if !ok || r.Length != n || string(r.Src) != strconv.Itoa(n) || string(r.Info) != infos[n-1] {
				t.Fatalf("%s: frame %d: length %d src %q, info of %d bytes (want %d)", name, n, r.Length, r.Src, len(r.Info), len(infos[n-1]))
			}
		}
	}
	check("index", &x, 1, 600)
	check("copy", &before, 1, 300)
	if _, ok := before.Row(301); ok {
		t.Error("the copy sees a row added after it")
	}
	y := x.DropOldest(250)
	check("window", &y, 251, 600)
	if len(x.arena) < 10 || len(x.arena[0]) != arenaFirst || x.chunkB > 2*x.used+1<<arenaShift {
		t.Errorf("%d chunks, the first of %d bytes, %d bytes of chunks for %d of text", len(x.arena), len(x.arena[0]), x.chunkB, x.used)
	}
}

// BenchmarkIndexAddRefAt is the listing of a frame skipped in a run: a
// frame of other traffic of a pcap file read back at its offset.
func BenchmarkIndexAddRefAt(b *testing.B) {
	var x Index
	off, now := int64(24+recordHeader), time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC).UnixNano()
	for i := range b.N {
		capLen := 60 + i%1400
		if !x.AddRefAt(now, capLen, 0, Ref{Kind: 2, Offset: off, CapLen: capLen, Link: 1, Aux: uint32(i)}) {
			b.Fatal("not in a run")
		}
		off += int64(capLen) + recordHeader
		now += 100_000
	}
}

// AddRefs of stretches of frames that follow each other in their file
// makes the index AddRefAt makes of the same frames one by one: the same
// rows, runs and bytes, whatever the stretches' lengths, times (a jump
// back, one over 4.29 s) and pairs of input and link type. Past 256 pairs
// it takes none; MakeRefFrame refuses what a row by reference cannot hold.
func TestIndexAddRefs(t *testing.T) {
	var x, y Index
	x.SetSummarizer(&fakeSummarizer{})
	y.SetSummarizer(&fakeSummarizer{})
	rng := rand.New(rand.NewPCG(3, 4))
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC).UnixNano()
	off := int64(24)
	for s := 0; s < 400; s++ {
		src, link := rng.IntN(3), uint16(1+rng.IntN(2))
		off += int64(rng.IntN(3)) * 7 // a gap in the file, or none
		start := off
		var fs []RefFrame
		for range rng.IntN(200) {
			capLen, kind, aux := 40+rng.IntN(1500), uint8(1+rng.IntN(2)), rng.Uint32()
			switch r := rng.IntN(200); {
			case r == 0:
				now -= 2_000_000_000
			case r == 1:
				now += 5_000_000_000
			default:
				now += int64(rng.IntN(3_000_000))
			}
			f, ok := MakeRefFrame(now, capLen, kind, aux)
			if !ok || f.CapLen() != capLen || f.Kind() != kind || f.Time != now || f.Aux != aux {
				t.Fatalf("MakeRefFrame(%d, %d, %d, %d) = %+v, %v", now, capLen, kind, aux, f, ok)
			}
			if !x.AddRefAt(now, capLen, src, Ref{Kind: kind, Offset: off, CapLen: capLen, Link: link, Aux: aux}) {
				t.Fatal("AddRefAt refused a frame")
			}
			fs = append(fs, f)
			off += int64(capLen) + recordHeader
		}
		if got := y.AddRefs(src, link, start, fs); got != len(fs) {
			t.Fatalf("stretch %d: AddRefs took %d of %d frames", s, got, len(fs))
		}
	}
	if x.Len() != y.Len() || x.Bytes() != y.Bytes() || x.ne != y.ne || x.Len() < 20000 {
		t.Fatalf("AddRefs: %d frames in %d entries, %d bytes; AddRefAt: %d in %d, %d", y.Len(), y.ne, y.Bytes(), x.Len(), x.ne, x.Bytes())
	}
	for n := 1; n <= x.Len(); n++ {
		a, _ := x.Row(n)
		b, _ := y.Row(n)
		if a.Time != b.Time || a.Length != b.Length || a.Source != b.Source || string(a.Info) != string(b.Info) || string(a.Proto) != string(b.Proto) {
			t.Fatalf("frame %d: AddRefs %+v, AddRefAt %+v", n, b, a)
		}
	}
	for _, c := range []struct {
		capLen int
		kind   uint8
	}{{-1, 1}, {maxCapLen + 1, 1}, {60, 0}, {60, 3}} {
		if _, ok := MakeRefFrame(now, c.capLen, c.kind, 0); ok {
			t.Errorf("MakeRefFrame of %d bytes, kind %d: taken", c.capLen, c.kind)
		}
	}
	var z Index
	for i := range maxTags {
		if !z.AddRefAt(now, 60, i, Ref{Kind: 1, Offset: 24, CapLen: 60, Link: 1}) {
			t.Fatalf("pair %d refused", i+1)
		}
	}
	f, _ := MakeRefFrame(now, 60, 1, 0)
	if got := z.AddRefs(maxTags, 1, 24, []RefFrame{f, f}); got != 0 || z.Len() != maxTags {
		t.Errorf("a 257th pair: AddRefs took %d frames (%d held)", got, z.Len())
	}
}
