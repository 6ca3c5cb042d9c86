package timeline

import (
	"slices"
	"testing"
	"unsafe"

	"github.com/nbtsniff/nbtsniff/internal/hugepage"
)

func TestChunkLen(t *testing.T) {
	const size = int(unsafe.Sizeof(Server{}))
	var got []int
	made := 0
	for made < 20000 {
		n := chunkLen(made, 16384, size)
		got = append(got, n)
		made += n
	}
	// 1,024 in small chunks, then 4 MiB of records, then the rest of the
	// bound, then records of their own past it.
	want := []int{64, 64, 128, 256, 512, floodBytes / size, 16384 - 1024 - floodBytes/size}
	for made := 16384; made < 20000; made++ {
		want = append(want, 1)
	}
	if !slices.Equal(got, want) {
		t.Errorf("chunks %v, want %v", got, want)
	}
}

// A flood's records are distinct, keep what was written, and from the
// 1,025th on start at a 2 MiB boundary.
func TestRecSlabFlood(t *testing.T) {
	var s recSlab[Server]
	var recs []*Server
	for i := range 6000 {
		recs = append(recs, s.add(Server{FirstFrame: i, Name: "H" + itoa(i)}, 16384))
	}
	seen := map[*Server]bool{}
	for i, e := range recs {
		if seen[e] {
			t.Fatalf("record %d handed out twice", i)
		}
		seen[e] = true
		if e.FirstFrame != i || e.Name != "H"+itoa(i) {
			t.Fatalf("record %d holds %d %q", i, e.FirstFrame, e.Name)
		}
	}
	if off := uintptr(unsafe.Pointer(recs[floodRecs])) % hugepage.Size; off >= unsafe.Sizeof(Server{}) {
		t.Errorf("the flood's first record is %d bytes past a 2 MiB boundary", off)
	}
	for i := floodRecs + 1; i < len(recs); i++ {
		if d := uintptr(unsafe.Pointer(recs[i])) - uintptr(unsafe.Pointer(recs[i-1])); d != unsafe.Sizeof(Server{}) {
			t.Fatalf("records %d and %d of the flood are %d bytes apart", i-1, i, d)
		}
	}
}

// The host, address and binding records come in turn from the same
// chunks; the bindings start afresh with the same records, zeroed.
func TestHostSlab(t *testing.T) {
	const bound = 4096
	var s hostSlab
	var hosts []*hostRec
	var ips []*ipRec
	var binds []*binding
	for i := range bound {
		ips = append(ips, s.newIP(ipRec{name: "A" + itoa(i)}, bound))
		hosts = append(hosts, s.newHost(hostRec{name: "H" + itoa(i)}, bound))
		b := s.newBinding(bound)
		b.key.host = "B" + itoa(i)
		binds = append(binds, b)
	}
	for i := range bound {
		if hosts[i].name != "H"+itoa(i) || ips[i].name != "A"+itoa(i) || binds[i].key.host != "B"+itoa(i) {
			t.Fatalf("records %d: %q %q %q", i, hosts[i].name, ips[i].name, binds[i].key.host)
		}
		// The three records of the i-th new host are one hostRecs.
		r := (*hostRecs)(unsafe.Pointer(hosts[i]))
		if &r.ip != ips[i] || &r.bind != binds[i] {
			t.Fatalf("records %d are not side by side", i)
		}
	}
	if off := uintptr(unsafe.Pointer(hosts[floodRecs])) % hugepage.Size; off >= unsafe.Sizeof(hostRecs{}) {
		t.Errorf("the flood's first record is %d bytes past a 2 MiB boundary", off)
	}
	s.resetBindings()
	for i := range 3 {
		if b := s.newBinding(bound); b != binds[i] || b.key.host != "" {
			t.Fatalf("binding %d after a reset: %p %q, want %p zeroed", i, b, b.key.host, binds[i])
		}
	}
	if h := s.newHost(hostRec{name: "X"}, bound); slices.Contains(hosts, h) {
		t.Error("a host record handed out twice")
	}
}

// One-frame evidence lists share a chunk without touching each other's
// frame: a second frame moves a list out.
func TestFrameSlot(t *testing.T) {
	tr := New(DefaultConfig(), nil)
	var lists [][]int
	for i := range frameChunk + 10 {
		lists = append(lists, tr.addFrame(nil, i+1))
	}
	lists[3] = tr.addFrame(lists[3], 1000)
	lists[frameChunk] = tr.addFrame(lists[frameChunk], 2000)
	for i, fs := range lists {
		want := []int{i + 1}
		switch i {
		case 3:
			want = append(want, 1000)
		case frameChunk:
			want = append(want, 2000)
		}
		if !slices.Equal(fs, want) {
			t.Fatalf("list %d = %v, want %v", i, fs, want)
		}
	}
}

// A small bound takes small chunks, and nothing on huge pages.
func TestChunkLenSmallBound(t *testing.T) {
	var got []int
	for made := 0; made < 300; {
		n := chunkLen(made, 200, 288)
		got = append(got, n)
		made += n
	}
	want := []int{64, 64, 72}
	for range 100 {
		want = append(want, 1)
	}
	if !slices.Equal(got, want) {
		t.Errorf("chunks %v, want %v", got, want)
	}
}
