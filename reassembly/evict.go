package reassembly

// The connection table under pressure. StreamLimits.MaxConns bounds the
// connections followed at once; a new one that finds the table full does
// not wait for the idle timeout: the emptiest and oldest connection goes
// to make room, as Zeek and Suricata prune under pressure. Connections
// that never carried a byte of payload (a bare SYN, a port scan, a SYN
// flood: 5,000 spoofed SYNs fill the table of every shard) go first, the
// least recently active of them; only when every connection carries
// payload does the least recently active of those go. A flood of SYNs so
// only ever evicts SYNs, and a session that starts during it is followed.
//
// Each eviction is a StreamConnLimit anomaly (Conn is the connection
// evicted) and is counted (Stats). The evicted connection is closed in
// gopacket's assembler too, by a RST fed to each of its halves at the
// sequence number the half expects: its pages are released and its
// ReassemblyComplete runs (a packet in progress is reported truncated).

import (
	"encoding/binary"
	"strconv"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// StreamStats counts what the connection bound did.
type StreamStats struct {
	// Evicted connections made room for a new one (MaxConns reached).
	Evicted uint64
	// Refused new connections were not followed: the table was full and
	// none could be evicted.
	Refused uint64
}

// Stats are the reassembler's counters so far.
func (s *StreamReassembler) Stats() StreamStats { return s.stats }

// connList is a list of connections, least recently active first.
type connList struct{ head, tail *nbssStream }

func (l *connList) push(st *nbssStream) {
	st.prev, st.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = st
	} else {
		l.head = st
	}
	l.tail = st
}

func (l *connList) remove(st *nbssStream) {
	if st.prev != nil {
		st.prev.next = st.next
	} else if l.head == st {
		l.head = st.next
	}
	if st.next != nil {
		st.next.prev = st.prev
	} else if l.tail == st {
		l.tail = st.prev
	}
	st.prev, st.next = nil, nil
}

// list is the list st belongs in: empty or busy.
func (s *StreamReassembler) list(st *nbssStream) *connList {
	if st.busy {
		return &s.busyConns
	}
	return &s.emptyConns
}

// track puts a new connection at the end of its list.
func (s *StreamReassembler) track(st *nbssStream, payload bool) {
	st.busy = payload
	s.list(st).push(st)
}

// touch moves st to the end of its list (it is the most recently active),
// into the busy list once a segment carried payload.
func (s *StreamReassembler) touch(st *nbssStream, payload bool) {
	if st.gone {
		return
	}
	l := s.list(st)
	if l.tail == st && (st.busy || !payload) {
		return // already there
	}
	l.remove(st)
	st.busy = st.busy || payload
	s.list(st).push(st)
}

// untrack takes st out of the lists (it was closed or evicted).
func (s *StreamReassembler) untrack(st *nbssStream) {
	if !st.gone {
		s.list(st).remove(st)
	}
}

// makeRoom evicts one connection when the table is full and the segment
// being added would start a new one. It returns false when none could be
// evicted.
func (s *StreamReassembler) makeRoom(ctx *segCtx) bool {
	victim := s.emptyConns.head
	if victim == nil {
		victim = s.busyConns.head
	}
	if victim == nil {
		return false
	}
	c := victim.c
	what := "carried no payload"
	if victim.busy {
		what = "was the least recently active (every connection carries payload)"
	}
	err := dissect.Limit("nbss", "connections", -1, "more than "+strconv.Itoa(s.lim.MaxConns)+
		" TCP connections on ports 139 and 445: evicted "+addrPort(c.ClientIP, c.ClientPort)+" → "+
		addrPort(c.ServerIP, c.ServerPort)+", which "+what+", idle since "+victim.last.UTC().Format(time.RFC3339Nano))
	s.stats.Evicted++
	s.anomaly(StreamAnomaly{Kind: StreamConnLimit, Conn: c, Frame: s.curFrame, err: err})
	s.closeConn(victim, ctx)
	return true
}

// closeConn ends st in gopacket's assembler: a RST from each side that
// is not closed yet, at the sequence number gopacket expects there (a
// side never seen takes any: gopacket starts it at the RST, see Accept).
// Should gopacket not take it (it never has in the tests), st is dropped
// from the table anyway and ignores whatever gopacket still hands it.
func (s *StreamReassembler) closeConn(st *nbssStream, ctx *segCtx) {
	c := st.c
	for d := range st.half {
		h := &st.half[d]
		if h.closed || st.done {
			continue
		}
		src, dst, sp, dp := c.ClientIP, c.ServerIP, c.ClientPort, c.ServerPort
		if Direction(d) == ServerToClient {
			src, dst, sp, dp = dst, src, dp, sp
		}
		var seq uint32
		if h.hasNext {
			seq = h.nextSeq
		}
		// gopacket reads the ports of the flow from the decoded bytes.
		b := s.fakeHdr[:]
		clear(b)
		binary.BigEndian.PutUint16(b[0:2], sp)
		binary.BigEndian.PutUint16(b[2:4], dp)
		binary.BigEndian.PutUint32(b[4:8], seq)
		b[12] = 5 << 4 // data offset: 20 bytes
		b[13] = 0x04   // RST
		if err := s.fake.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
			continue
		}
		if s.own != nil {
			s.own.hint = st.asm // ours finds st's connection only so (tcpAssembler.conns)
		}
		s.asm.assemble(src, dst, &s.fake, ctx)
	}
	if !st.done {
		s.forget(st)
		st.gone = true
		s.detached++
		if s.own != nil {
			s.own.detach(st.asm) // not in byKey any more: ours lists it
		}
	}
}

// forget takes a connection out of the table: the count, the lists, the
// address map.
func (s *StreamReassembler) forget(st *nbssStream) {
	s.untrack(st)
	s.live--
	if s.byKey[st.key] == st {
		delete(s.byKey, st.key)
	}
	if s.hot == st {
		s.hot = nil
	}
	for d := range st.half {
		if h := &st.half[d]; h.queued {
			h.queued = false
			s.queuedHalves--
		}
	}
}

func addrPort(a [4]byte, p uint16) string {
	b := make([]byte, 0, 21)
	for i, x := range a {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	b = append(b, ':')
	return string(strconv.AppendUint(b, uint64(p), 10))
}
