package reassembly

import (
	"bytes"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/boundmap"
)

// TreeTracker follows TREE_CONNECT_ANDX exchanges so that the printer can
// show, under Tree ID, the share path a TID was mapped to and the frame
// that mapped it ([MS-CIFS] §3.2.4.2.4), as tshark does: only a
// TREE_CONNECT_ANDX that is the first command of its request and of its
// successful response maps a TID; a chained one (after
// SESSION_SETUP_ANDX) does not.
//
// State is kept per connection, so that the message of a connection
// without tree connects costs one lookup. It is bounded, and what is
// dropped at a bound is chosen by age, never at random, so a replay
// prints the same: at most max connections with tree connects (the first
// seen goes), and per connection maxTreesPerConn pending requests and as
// many TIDs (the oldest goes).
type TreeTracker[C comparable] struct {
	max   int
	conns map[C]*treeConn
	// order[orderStart:] are the connections in the order they were
	// added (may hold closed ones); the room before orderStart is taken
	// back when order is full (newConn), not left behind for a new array
	// at each append.
	order      []C
	orderStart int
	// The connection of the last message and conns' entry for it (nil
	// for none), when hasLast: the messages of a connection often follow
	// each other.
	last    C
	lastTC  *treeConn
	hasLast bool
	// paths are the last share paths copied (keepPath): most tree
	// connects of a capture name a few shares (\\HOST\IPC$).
	paths    [8][]byte
	pathNext int
	// grown: conns was made again at its bound (boundmap.Remake).
	grown bool
}

const maxTreesPerConn = 64

type treeConn struct {
	pending []treePending // oldest first
	tids    []treeTID     // oldest first
}

type treePending struct {
	mid, uid uint16
	pid      uint32
	path     []byte
}

type treeTID struct {
	tid   uint16
	path  []byte
	frame int
}

// NewTreeTracker makes a tracker that keeps at most max connections (4096
// if max <= 0).
func NewTreeTracker[C comparable](max int) *TreeTracker[C] {
	if max <= 0 {
		max = 4096
	}
	return &TreeTracker[C]{max: max, conns: map[C]*treeConn{}}
}

// Observe records what s says about tree connects and sets s.TreePath and
// s.TreeMappedIn when its TID is mapped. Call it after DecodeFromBytes and
// before AppendTree.
func (tt *TreeTracker[C]) Observe(conn C, s *dissect.SMB, frame int) {
	var tc *treeConn
	if tt.hasLast && tt.last == conn {
		tc = tt.lastTC
	} else {
		tc = tt.conns[conn]
		tt.last, tt.lastTC, tt.hasLast = conn, tc, true
	}
	connect := len(s.Commands) > 0 && s.Commands[0].Command == dissect.SMBComTreeConnectAndX
	if tc == nil && !connect {
		return // nothing known about this connection, nothing to learn
	}
	if tc == nil {
		tc = tt.newConn(conn)
	}
	mid, uid, pid := s.MID, s.UID, s.PID()
	if connect {
		b := &s.Commands[0]
		switch {
		case !s.IsResponse() && b.Form == dissect.SMBFormTreeConnectRequest && b.TreeConnectRequest.Path.Present:
			tc.dropPending(mid, uid, pid)
			if len(tc.pending) >= maxTreesPerConn {
				tc.pending = append(tc.pending[:0], tc.pending[1:]...)
			}
			tc.pending = append(tc.pending, treePending{mid, uid, pid, tt.keepPath(b.TreeConnectRequest.Path.Text)})
		case s.IsResponse() && !s.IsError():
			if i := tc.findPending(mid, uid, pid); i >= 0 {
				path := tc.pending[i].path
				if j := tc.findTID(s.TID); j >= 0 {
					tc.tids[j].path, tc.tids[j].frame = path, frame
				} else {
					if len(tc.tids) >= maxTreesPerConn {
						tc.tids = append(tc.tids[:0], tc.tids[1:]...)
					}
					tc.tids = append(tc.tids, treeTID{s.TID, path, frame})
				}
			}
		}
	}
	if s.IsResponse() {
		tc.dropPending(mid, uid, pid)
	}
	if j := tc.findTID(s.TID); j >= 0 {
		s.TreePath, s.TreeMappedIn = tc.tids[j].path, tc.tids[j].frame
	}
}

// keepPath returns a copy of p that outlives the message: one of the
// last paths copied when equal (they are never written), else a new one.
func (tt *TreeTracker[C]) keepPath(p []byte) []byte {
	for _, k := range tt.paths {
		if k != nil && bytes.Equal(k, p) {
			return k
		}
	}
	k := append([]byte(nil), p...)
	k = k[:len(k):len(k)]
	tt.paths[tt.pathNext] = k
	tt.pathNext = (tt.pathNext + 1) % len(tt.paths)
	return k
}

// newConn adds a connection, making room by dropping the oldest one.
func (tt *TreeTracker[C]) newConn(conn C) *treeConn {
	var tc *treeConn
	for len(tt.conns) >= tt.max && tt.orderStart < len(tt.order) {
		first := tt.order[tt.orderStart]
		if old := tt.conns[first]; old != nil {
			tc = old // reused, with its slices' room: nothing else points to it
		}
		delete(tt.conns, first)
		var zero C
		tt.order[tt.orderStart] = zero
		tt.orderStart++
	}
	tt.hasLast = false
	if len(tt.order)-tt.orderStart >= 2*tt.max {
		// Forget the closed connections still queued.
		kept := tt.order[:0:0]
		for _, k := range tt.order[tt.orderStart:] {
			if tt.conns[k] != nil {
				kept = append(kept, k)
			}
		}
		tt.order, tt.orderStart = kept, 0
	} else if len(tt.order) == cap(tt.order) && tt.orderStart >= len(tt.order)/2 {
		// At least half of the array is room before orderStart: moving
		// the rest down costs no more than the pops that made it.
		n := copy(tt.order, tt.order[tt.orderStart:])
		clear(tt.order[n:])
		tt.order, tt.orderStart = tt.order[:n], 0
	}
	if tc == nil {
		tc = &treeConn{}
	} else {
		clear(tc.pending) // the paths they hold
		clear(tc.tids)
		tc.pending, tc.tids = tc.pending[:0], tc.tids[:0]
	}
	if !tt.grown && len(tt.conns) >= boundmap.At && tt.max > boundmap.At {
		tt.conns, tt.grown = boundmap.Remake(tt.conns, tt.max), true
	}
	tt.conns[conn] = tc
	tt.order = append(tt.order, conn)
	tt.last, tt.lastTC, tt.hasLast = conn, tc, true
	return tc
}

func (tc *treeConn) findPending(mid, uid uint16, pid uint32) int {
	for i := range tc.pending {
		if p := &tc.pending[i]; p.mid == mid && p.uid == uid && p.pid == pid {
			return i
		}
	}
	return -1
}

func (tc *treeConn) dropPending(mid, uid uint16, pid uint32) {
	if i := tc.findPending(mid, uid, pid); i >= 0 {
		tc.pending = append(tc.pending[:i], tc.pending[i+1:]...)
	}
}

func (tc *treeConn) findTID(tid uint16) int {
	for i := len(tc.tids) - 1; i >= 0; i-- {
		if tc.tids[i].tid == tid {
			return i
		}
	}
	return -1
}

// CloseConn forgets a connection's tree connects.
func (tt *TreeTracker[C]) CloseConn(conn C) {
	delete(tt.conns, conn)
	tt.hasLast = false
}
