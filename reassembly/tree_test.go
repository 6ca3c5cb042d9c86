package reassembly

// Tree-connect tracking (tree.go) on the lab capture enum.pcapng, and its
// bounds.

import (
	"slices"
	"strconv"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/boundmap"
)

func TestTreeTracker(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	tt := NewTreeTracker[int](0)
	seen := map[int]string{}
	for _, m := range msgs {
		s := transDecode(t, m.data)
		tt.Observe(m.stream, s, m.frame)
		if s.TreePath != nil {
			seen[m.frame] = string(s.TreePath) + "@" + strconv.Itoa(s.TreeMappedIn)
		}
	}
	// tshark -T fields -e smb.path -e smb.fid.mapped_in: frame 928 (the
	// TREE_CONNECT_ANDX response) and the transactions after it.
	for fr, want := range map[int]string{928: `\\SRV\IPC$@928`, 930: `\\SRV\IPC$@928`, 935: `\\SRV\IPC$@928`} {
		if seen[fr] != want {
			t.Errorf("frame %d: %q, tshark %q", fr, seen[fr], want)
		}
	}
	tt.CloseConn(5)
	s := transDecode(t, msgs[0].data)
	for _, m := range msgs {
		if m.frame == 935 {
			s = transDecode(t, m.data)
			tt.Observe(5, s, m.frame)
		}
	}
	if s.TreePath != nil {
		t.Errorf("after CloseConn: %q", s.TreePath)
	}
}

// With room for two connections, a third connection's tree connect makes
// the tracker forget the first one seen, and only that one: the same one
// on every run.
func TestTreeTrackerBounded(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	tt := NewTreeTracker[int](2)
	pathAt := func(conn, frame int) string {
		for _, m := range msgs {
			if m.frame == frame {
				s := transDecode(t, m.data)
				tt.Observe(conn, s, m.frame)
				return string(s.TreePath)
			}
		}
		t.Fatalf("no frame %d", frame)
		return ""
	}
	for _, conn := range []int{1, 2, 3} {
		for _, m := range msgs {
			if m.frame <= 928 { // up to the TREE_CONNECT_ANDX response
				tt.Observe(conn, transDecode(t, m.data), m.frame)
			}
		}
	}
	if p := pathAt(1, 935); p != "" {
		t.Errorf("connection 1 (the oldest) still maps its TID to %q", p)
	}
	for _, conn := range []int{2, 3} {
		if p := pathAt(conn, 935); p != `\\SRV\IPC$` {
			t.Errorf("connection %d: %q, want \\\\SRV\\IPC$", conn, p)
		}
	}
	if len(tt.conns) != 2 {
		t.Errorf("%d connections kept, bound 2", len(tt.conns))
	}
}

// A connection that takes the record of the one evicted for it (its
// slices reused) starts with nothing: the evicted connection's TIDs do
// not map on it before its own TREE_CONNECT_ANDX response.
func TestTreeTrackerReusedConnStartsEmpty(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	tt := NewTreeTracker[int](1)
	for _, m := range msgs {
		if m.frame <= 928 { // connection 1: up to the TREE_CONNECT_ANDX response
			tt.Observe(1, transDecode(t, m.data), m.frame)
		}
	}
	for _, m := range msgs {
		if m.frame < 928 { // connection 2: the request, not the response
			tt.Observe(2, transDecode(t, m.data), m.frame)
		}
	}
	if tt.conns[1] != nil || tt.conns[2] == nil {
		t.Fatalf("connection 2 did not take connection 1's place: %v", tt.conns)
	}
	for _, m := range msgs {
		if m.frame == 935 {
			s := transDecode(t, m.data)
			tt.Observe(2, s, m.frame)
			if s.TreePath != nil || s.TreeMappedIn != 0 {
				t.Errorf("connection 2 maps its TID to %q (frame %d) before its response", s.TreePath, s.TreeMappedIn)
			}
		}
	}
	for _, m := range msgs {
		if m.frame >= 928 && m.frame <= 935 { // the response, then the TID maps
			s := transDecode(t, m.data)
			tt.Observe(2, s, m.frame)
			if m.frame == 935 && string(s.TreePath) != `\\SRV\IPC$` {
				t.Errorf("connection 2 after its response: %q", s.TreePath)
			}
		}
	}
}

// keepPath copies a path out of its message, hands the same copy out for
// an equal path while it is among the last eight, and keeps an empty path
// nil (AppendTree shows no [Path] for nil).
func TestTreeTrackerKeepPath(t *testing.T) {
	tt := NewTreeTracker[int](0)
	msg := []byte(`\\SRV\IPC$`)
	a := tt.keepPath(msg)
	msg[2] = 'X'
	if string(a) != `\\SRV\IPC$` || cap(a) != len(a) {
		t.Fatalf("copy %q (cap %d) follows its message", a, cap(a))
	}
	b := tt.keepPath([]byte(`\\SRV\IPC$`))
	if &b[0] != &a[0] {
		t.Errorf("an equal path copied again")
	}
	if p := tt.keepPath([]byte{}); p != nil {
		t.Errorf("empty path: %q, want nil", p)
	}
	for i := range 8 {
		tt.keepPath([]byte(`\\H` + strconv.Itoa(i) + `\IPC$`))
	}
	c := tt.keepPath([]byte(`\\SRV\IPC$`))
	if string(c) != `\\SRV\IPC$` || &c[0] == &a[0] {
		t.Errorf("after eight other paths: %q, same copy %v", c, &c[0] == &a[0])
	}
}

// Over many connections (some closed by CloseConn) with room for three,
// and for 200 (its map made again at the bound on the way: boundmap.Remake),
// the tracker keeps exactly the last connections with a tree connect,
// oldest first, in an order list whose array is reused (its room before
// the oldest taken back), not grown.
func TestTreeTrackerBoundedMany(t *testing.T) {
	msgs := transCaptureMessages(t, transEnumCapture)
	var connect []*dissect.SMB
	var frames []int
	for _, m := range msgs {
		if m.frame <= 928 { // up to the TREE_CONNECT_ANDX response
			connect = append(connect, transDecode(t, m.data))
			frames = append(frames, m.frame)
		}
	}
	for _, bound := range []int{3, 200} {
		tt := NewTreeTracker[int](bound)
		var live []int // what the tracker should hold, oldest first
		for conn := range 300 {
			for i, s := range connect {
				tt.Observe(conn, s, frames[i])
			}
			live = append(live, conn)
			if len(live) > bound {
				live = live[1:]
			}
			if conn%7 == 3 { // a connection that ends: forgotten at once
				tt.CloseConn(conn)
				live = live[:len(live)-1]
			}
			var got []int
			for _, k := range tt.order[tt.orderStart:] {
				if tt.conns[k] != nil {
					got = append(got, k)
				}
			}
			if !slices.Equal(got, live) || len(tt.conns) != len(live) {
				t.Fatalf("bound %d, after connection %d: order %v (%d in the map), want %v", bound, conn, got, len(tt.conns), live)
			}
			if cap(tt.order) > 8*bound {
				t.Fatalf("bound %d, after connection %d: order's array has room for %d", bound, conn, cap(tt.order))
			}
		}
		// Each connection kept still maps its TID.
		for _, conn := range live {
			for _, m := range msgs {
				if m.frame == 935 {
					s := transDecode(t, m.data)
					tt.Observe(conn, s, m.frame)
					if string(s.TreePath) != `\\SRV\IPC$` {
						t.Errorf("bound %d, connection %d: TID maps to %q", bound, conn, s.TreePath)
					}
				}
			}
		}
		if tt.grown != (bound > boundmap.At) {
			t.Errorf("bound %d: grown %v", bound, tt.grown)
		}
	}
}
