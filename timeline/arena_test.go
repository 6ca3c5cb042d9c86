package timeline

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// An arena hands out, after Reuse, the memory it handed out before, each
// value zeroed, without allocating; the adapter's own arena never does.
func TestArenaReuse(t *testing.T) {
	var ar Arena
	a := NewAdapter()
	a.UseArena(&ar)
	const n = 3*slabSize + 5
	first := make(map[*Announcement]bool)
	for i := range n {
		x := a.arena().anns.new()
		if x.Server != "" || x.Frame != 0 {
			t.Fatalf("value %d of a new arena not zero: %+v", i, x)
		}
		x.Server, x.Frame = "HOST", i+1
		first[x] = true
	}
	if len(first) != n {
		t.Fatalf("%d distinct values for %d asked", len(first), n)
	}
	ar.Reuse()
	allocs := testing.AllocsPerRun(1, func() {
		for i := range n {
			x := a.arena().anns.new()
			if !first[x] {
				t.Fatalf("value %d after Reuse is not one of those handed out before", i)
			}
			if x.Server != "" || x.Frame != 0 {
				t.Fatalf("value %d after Reuse not zeroed: %+v", i, x)
			}
			x.Frame = -1
		}
		ar.Reuse()
	})
	if allocs != 0 {
		t.Fatalf("Reuse: %v allocations a run, want 0", allocs)
	}

	b := NewAdapter() // its own arena: never reused
	x := b.arena().anns.new()
	x.Frame = 7
	for range 2 * slabSize {
		if y := b.arena().anns.new(); y == x {
			t.Fatal("the adapter's own arena handed a value out twice")
		}
	}
	if x.Frame != 7 {
		t.Fatalf("a value of the own arena was overwritten: %d", x.Frame)
	}
}

// The addresses of name answers come from the arena too: a batch of them
// adapted again after Reuse allocates nothing, and each answer keeps its
// own addresses (no two share a backing slot).
func TestArenaReusesNameAddresses(t *testing.T) {
	m := &dissect.NBNS{Flags: dissect.NBNSFlags(0x8500)} // a positive query response
	rr := dissect.NBNSResource{Type: dissect.NBNSTypeNB, TTL: 300}
	rr.Name.Raw = dissect.MakeName("HOST", 0x20)
	for i := range maxNameAddrs {
		rr.NB = append(rr.NB, dissect.NBNSAddrEntry{Addr: [4]byte{10, 0, 0, byte(i + 1)}})
	}
	m.Answers = append(m.Answers, rr)
	f := &dissect.Frame{Number: 1, Msgs: []dissect.Message{m}}
	f.Net.HasIP = true
	var ar Arena
	a := NewAdapter()
	const batch = 64 // 1024 addresses: 4 chunks
	var names []*NameEvent
	run := func() {
		ar.Reuse()
		a.UseArena(&ar)
		names = names[:0]
		for range batch {
			for _, o := range a.FromFrame(f) {
				names = append(names, o.(*NameEvent))
			}
		}
	}
	run()
	if allocs := testing.AllocsPerRun(10, run); allocs != 0 {
		t.Errorf("%v allocations a batch of %d name answers after Reuse, want 0", allocs, batch)
	}
	if len(names) != batch {
		t.Fatalf("%d name events of %d frames", len(names), batch)
	}
	for i, e := range names {
		if len(e.Addrs) != maxNameAddrs || cap(e.Addrs) != maxNameAddrs || e.Addrs[maxNameAddrs-1] != netip.AddrFrom4([4]byte{10, 0, 0, maxNameAddrs}) {
			t.Fatalf("answer %d: addresses %v (cap %d)", i, e.Addrs, cap(e.Addrs))
		}
		if i > 0 && &e.Addrs[0] == &names[i-1].Addrs[0] {
			t.Fatalf("answers %d and %d share their addresses", i-1, i)
		}
	}
}

// A frame's decode problems (a bound hit frame after frame by a flood of
// TCP conversations) come from the arena too: after Reuse, the problem of
// the next frame is written where the last one was, with its own text.
func TestArenaReusesDecodeProblems(t *testing.T) {
	var ar Arena
	a := NewAdapter()
	a.UseArena(&ar)
	f := &dissect.Frame{Number: 7, Bounds: []dissect.BoundHit{{Bound: "MaxStreams",
		Err: dissect.Limit("tcp", "stream", -1, "more than 512 TCP conversations")}}}
	obs := a.FromFrame(f)
	if len(obs) != 1 {
		t.Fatalf("%d observations of a bound hit, want 1", len(obs))
	}
	p, ok := obs[0].(*DecodeProblem)
	if !ok || p.Bound != "MaxStreams" || p.Frame != 7 || !strings.Contains(p.Err, "512 TCP conversations") {
		t.Fatalf("observation %#v", obs[0])
	}
	ar.Reuse()
	f.Number = 8
	f.Bounds[0].Err = dissect.Malformed("tcp", "stream", -1, "another")
	f.Bounds[0].Bound = "MaxConns"
	q := a.FromFrame(f)[0].(*DecodeProblem)
	if q != p || q.Frame != 8 || q.Bound != "MaxConns" || !strings.Contains(q.Err, "another") {
		t.Fatalf("after Reuse: %p %+v (the first at %p)", q, q, p)
	}
}

// Server lists, backup lists, the other browser commands and session
// answers come from the arena too: a batch of them adapted again after
// Reuse allocates nothing, each keeps its own entries and names (no two
// lists share them, an append cannot reach the next), and each value is
// written whole (nothing of the last use's left).
func TestArenaReusesServerLists(t *testing.T) {
	list := &dissect.RAPResponse{Function: dissect.RAPNetServerEnum2, HasRequest: true, EntryCount: 3, HasEntryCount: true}
	list.Request = dissect.RAPRequestInfo{Function: dissect.RAPNetServerEnum2, Level: 1, ServerType: 0xffffffff}
	list.Request.DomainLen = uint8(copy(list.Request.Domain[:], "WORKGROUP"))
	for _, n := range []string{"ALPHA", "BRAVO", "CHARLIE"} {
		list.Servers = append(list.Servers, dissect.RAPServer{Name: []byte(n), Major: 5, Minor: 1, Type: 0x1003, Comment: []byte(n + " box"), HasInfo: true})
	}
	tcp := &dissect.Frame{Number: 5, Msgs: []dissect.Message{list}}
	tcp.Net.HasIP, tcp.Net.IPProto = true, 6
	tcp.Net.Src = [4]byte{10, 0, 0, 1}
	backups := &dissect.Browser{Command: dissect.BrowserGetBackupListResponse, Token: 9,
		BackupServers: [][]byte{[]byte("ALPHA"), []byte("BRAVO")}}
	others := []*dissect.Browser{
		{Command: dissect.BrowserGetBackupListRequest, BackupCount: 4, Token: 9},
		{Command: dissect.BrowserBecomeBackup, BrowserToPromote: []byte("BRAVO")},
		{Command: dissect.BrowserMasterAnnouncement, MasterName: []byte("ALPHA")},
		{Command: dissect.BrowserResetState, ResetFlags: 2},
		backups,
	}
	answer := &dissect.NBSS{Type: dissect.NBSSNegativeSessionResponse, ErrorCode: 0x82}
	var ar Arena
	a := NewAdapter()
	a.ShareSessions(0)
	const batch = 100 // lists of 3 entries: 300, more than a chunk
	var got []Observation
	run := func() {
		ar.Reuse()
		a.UseArena(&ar)
		got = got[:0]
		for range batch {
			got = append(got, a.FromFrame(tcp)...)
			for _, b := range others {
				got = append(got, a.browserObservation(&Meta{Frame: 6}, b))
			}
			got = append(got, a.session(Meta{Frame: 7}, 1, answer))
		}
	}
	run()
	if allocs := testing.AllocsPerRun(10, run); allocs != 0 {
		t.Errorf("%v allocations a batch of %d server lists and browser frames after Reuse, want 0", allocs, batch)
	}
	if len(got) != 7*batch {
		t.Fatalf("%d observations, want %d", len(got), 7*batch)
	}
	seen := make(map[any]bool)
	var lastEntries *ServerEntry
	var lastServers *string
	for i, o := range got {
		if seen[o] {
			t.Fatalf("observation %d (%T) handed out twice in a batch", i, o)
		}
		seen[o] = true
		switch v := o.(type) {
		case *ServerList:
			if v.Domain != "WORKGROUP" || v.Server != netip.AddrFrom4([4]byte{10, 0, 0, 1}) || len(v.Entries) != 3 || cap(v.Entries) != 3 ||
				v.Entries[2] != (ServerEntry{Name: "CHARLIE", OSMajor: 5, OSMinor: 1, ServerType: 0x1003, Comment: "CHARLIE box"}) {
				t.Fatalf("server list %d: %+v (entries cap %d)", i, v, cap(v.Entries))
			}
			if &v.Entries[0] == lastEntries {
				t.Fatalf("server lists share their entries at %d", i)
			}
			lastEntries = &v.Entries[0]
		case *BackupListResponse:
			if v.Token != 9 || v.Frame != 6 || len(v.Servers) != 2 || cap(v.Servers) != 2 || v.Servers[1] != "BRAVO" {
				t.Fatalf("backup list %d: %+v", i, v)
			}
			if &v.Servers[0] == lastServers {
				t.Fatalf("backup lists share their names at %d", i)
			}
			lastServers = &v.Servers[0]
		case *BackupListRequest:
			if *v != (BackupListRequest{Meta: Meta{Frame: 6}, Count: 4, Token: 9}) {
				t.Fatalf("backup list request %d: %+v", i, v)
			}
		case *BecomeBackup:
			if v.Target != "BRAVO" {
				t.Fatalf("become backup %d: %+v", i, v)
			}
		case *MasterAnnouncement:
			if v.Master != "ALPHA" {
				t.Fatalf("master announcement %d: %+v", i, v)
			}
		case *ResetBrowserState:
			if v.Flags != 2 {
				t.Fatalf("reset %d: %+v", i, v)
			}
		case *SessionEvent:
			// Written whole: the names a book filled in at the last use
			// are gone.
			if !v.Negative || v.ErrorCode != 0x82 || v.Frame != 7 || v.Called != "" {
				t.Fatalf("session answer %d: %+v", i, v)
			}
			v.Called = "FILLED"
		default:
			t.Fatalf("observation %d: %T", i, o)
		}
	}
}
