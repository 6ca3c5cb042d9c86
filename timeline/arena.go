package timeline

import "net/netip"

// Arena is where an adapter takes its observations from (Adapter.UseArena).
// Its zero value is ready to use.
//
// An adapter's own arena never reuses memory: an observation lives as long
// as something references it. A caller that knows when the observations
// of a run of frames are no longer referenced (every one observed by a
// Tracker, which keeps none of them: it copies what it keeps) can hand
// the adapter an arena per run of frames and Reuse it once they are: a
// file read with several engines makes one per batch of frames and
// engine, reused when the batch comes back (pipeline/parallel.go). A
// flood of new hosts otherwise writes every announcement into fresh
// memory (about 220 bytes a frame: at 100k hosts, 22 MB, each page of it
// a page fault, then a collection).
type Arena struct {
	names slab[NameEvent]
	anns  slab[Announcement]
	elecs slab[Election]
	probs slab[DecodeProblem]
	reqs  slab[AnnouncementRequest]
	addrs chunks[netip.Addr] // NameEvent.Addrs
	// The rarer observations (a few a batch of the NBT-dense mix each;
	// each its own allocation, 1.9 MB a pass, before they came from the
	// arena), and the slices of server lists and backup lists: the
	// tracker copies what it keeps of them (snapshots, its lists).
	lists    slab[ServerList]
	entries  chunks[ServerEntry] // ServerList.Entries
	backReqs slab[BackupListRequest]
	backs    slab[BackupListResponse]
	servers  chunks[string] // BackupListResponse.Servers
	becomes  slab[BecomeBackup]
	masters  slab[MasterAnnouncement]
	resets   slab[ResetBrowserState]
	sessions slab[SessionEvent]
}

// Reuse makes the arena hand out again, zeroed, the memory it handed out
// since it was last reused. The observations it made before must no
// longer be referenced.
func (ar *Arena) Reuse() {
	ar.names.reuse()
	ar.anns.reuse()
	ar.elecs.reuse()
	ar.probs.reuse()
	ar.reqs.reuse()
	ar.addrs.rewind()
	ar.lists.reuse()
	ar.entries.rewind()
	ar.backReqs.reuse()
	ar.backs.reuse()
	ar.servers.rewind()
	ar.becomes.reuse()
	ar.masters.reuse()
	ar.resets.reuse()
	ar.sessions.reuse()
}

// UseArena makes the adapter take its observations from ar from now on
// (nil: its own arena again).
func (a *Adapter) UseArena(ar *Arena) {
	if ar != nil {
		ar.names.keep, ar.anns.keep, ar.elecs.keep = true, true, true
		ar.probs.keep, ar.reqs.keep = true, true
		ar.lists.keep, ar.backReqs.keep, ar.backs.keep = true, true, true
		ar.becomes.keep, ar.masters.keep, ar.resets.keep, ar.sessions.keep = true, true, true, true
	}
	a.ar = ar
	a.addrs = nil // the tail of the last arena's chunk
}

// arena is the arena the adapter takes its observations from.
func (a *Adapter) arena() *Arena {
	if a.ar != nil {
		return a.ar
	}
	return &a.own
}

// chunks are the chunks of values an arena hands out slices of
// (Adapter.addrSlice carves NameEvent.Addrs from them, carve the other
// slices), each again after Reuse.
type chunks[T any] struct {
	chunks [][]T
	next   int // the chunks handed out since reuse
	free   []T // carve's: the tail of the last chunk
}

// carve returns an empty slice with room for n values (its capacity is
// exactly n: an append cannot reach the next slice's values), from the
// chunk of size values the last slice came from, or the next one.
func (c *chunks[T]) carve(n, size int) []T {
	if n > len(c.free) {
		c.free = c.chunk(n, size)
	}
	s := c.free[:0:n]
	c.free = c.free[n:]
	return s
}

// rewind hands the chunks out again from the first.
func (c *chunks[T]) rewind() { c.next, c.free = 0, nil }

// addrChunkSize is the addresses of a chunk (a name answer holds at most
// maxNameAddrs).
const addrChunkSize = 256

// chunk is a chunk of at least n values, size or more: the next one
// kept, or a new one. Its values are overwritten as they are carved
// (appended).
func (c *chunks[T]) chunk(n, size int) []T {
	if c.next < len(c.chunks) && len(c.chunks[c.next]) >= n {
		c.next++
		return c.chunks[c.next-1]
	}
	ch := make([]T, max(n, size))
	if c.next < len(c.chunks) {
		c.chunks[c.next] = ch
	} else {
		c.chunks = append(c.chunks, ch)
	}
	c.next++
	return ch
}

// slab hands out zeroed *T from chunks of slabSize (the first ones
// smaller), allocating one chunk per slabSize values. Unless it keeps them (keep: an arena of
// UseArena), a chunk is never reused: it lives as long as one of its
// values is referenced. A slab that keeps its chunks hands them out again
// after reuse, which zeroes the values handed out.
type slab[T any] struct {
	buf    []T
	keep   bool
	chunks [][]T // kept: every chunk made, in order
	next   int   // kept: the chunks handed out since reuse
}

const (
	slabSize  = 64
	slabFirst = 8
)

func (s *slab[T]) new() *T {
	if len(s.buf) == cap(s.buf) {
		switch {
		case s.next < len(s.chunks):
			s.buf = s.chunks[s.next][:0]
			s.next++
		default:
			// 8, 16, 32, then slabSize values: an arena per batch
			// and engine takes a few of the rarer observations a
			// batch, not a slab of each.
			s.buf = make([]T, 0, min(slabSize, max(slabFirst, 2*cap(s.buf))))
			if s.keep {
				s.chunks = append(s.chunks, s.buf)
				s.next++
			}
		}
	}
	// Zero: a new chunk is, a kept one was cleared by reuse.
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}

// reuse rewinds a slab that keeps its chunks to the first one, and
// clears the values it handed out since the last reuse: all at once,
// not each as new hands it out again (a slot zeroed there, then written
// field by field by the adapter, was written twice while the line came
// over from the core that last read it; its zeroing was about half of
// new's samples).
func (s *slab[T]) reuse() {
	if s.next > 0 {
		for _, c := range s.chunks[:s.next-1] {
			clear(c[:cap(c)]) // used up
		}
		clear(s.buf) // the current chunk's values handed out
	}
	s.buf, s.next = nil, 0
}
