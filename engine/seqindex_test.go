package engine

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/crafted"
)

// The relative sequence number SeqIndex gives each TCP segment of other
// traffic (every skippable one among them) is the one an engine decoding
// every frame shows in its info column ("Seq=N"): on the captures, and on
// built conversations with a SYN, one picked up mid-way, a reused port,
// more conversations than the bound (a small MaxTCPStreams: the least
// recently seen is forgotten alike), and one captured with a snap length
// (its long segments cut, not skippable).
func TestSeqIndexMatchesTheEngine(t *testing.T) {
	checked := 0
	check := func(name string, full *Engine, x *SeqIndex, fr *captureFrame) {
		f := full.DecodeNth(fr.n, fr.first, fr.prev, fr.data, fr.ci, fr.lt, 0)
		seq, ok := x.Seq(fr.data, fr.lt, fr.ci.Timestamp)
		if skip := Skippable(fr.data, fr.lt) && f.Proto == "TCP"; skip && !ok {
			t.Fatalf("%s frame %d: skippable TCP, but no Seq", name, fr.n)
		}
		if !ok {
			return
		}
		checked++
		want := fmt.Sprintf("] Seq=%d Len=", seq)
		if !bytes.Contains(f.Info, []byte(want)) {
			t.Errorf("%s frame %d: engine %q, SeqIndex %d", name, fr.n, f.Info, seq)
		}
	}
	for _, path := range sharedAndLabCaptures(t) {
		full, x := New(Config{}), NewSeqIndex(Config{})
		eachFrame(t, path, func(fr *captureFrame) { check(filepath.Base(path), full, x, fr) })
	}
	cfg := Config{MaxTCPStreams: 2 * addressShards} // two conversations per shard
	full, x := New(cfg), NewSeqIndex(cfg)
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	n := 0
	cut := 0 // bytes captured of each frame, when not 0 (a snap length)
	frame := func(src, dst byte, sport, dport uint16, seq, ack uint32, flags byte, payload string) {
		n++
		data := crafted.TCPFrame(src, dst, sport, dport, seq, ack, flags, []byte(payload))
		length := len(data)
		if cut > 0 {
			data = data[:min(cut, len(data))]
		}
		ts := t0.Add(time.Duration(n) * time.Millisecond)
		check("built", full, x, &captureFrame{n: n, data: data, lt: layers.LinkTypeEthernet, first: t0, prev: ts,
			ci: gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: length, InterfaceIndex: -1}})
	}
	const syn, ack, psh = 0x02, 0x10, 0x08
	frame(1, 2, 50000, 443, 1000, 0, syn, "")
	frame(2, 1, 443, 50000, 7000, 1001, syn|ack, "")
	frame(1, 2, 50000, 443, 1001, 7001, ack|psh, "hello")
	frame(2, 1, 443, 50000, 7001, 1006, ack|psh, "world!")
	frame(3, 4, 40000, 80, 90000, 5000, ack|psh, "mid-way")
	frame(4, 3, 80, 40000, 5000, 90007, ack, "")
	frame(1, 2, 50000, 443, 424242, 0, syn, "") // the port again: a new conversation
	frame(1, 2, 50000, 443, 424243, 7001, ack, "x")
	for i := range 40 { // more conversations than the bound
		frame(5, 6, uint16(30000+i), 443, uint32(i*1000), 1, ack, "y")
	}
	for i := range 40 {
		frame(5, 6, uint16(30000+i), 443, uint32(i*1000+1), 1, ack, "z")
	}
	frame(1, 2, 50000, 443, 424244, 7002, ack, "forgotten?")
	// Captured with a snap length: the long segments are cut (not
	// skippable), the short ones whole, one conversation.
	cut = 60
	frame(7, 8, 41000, 80, 5555, 0, syn, "")
	frame(8, 7, 80, 41000, 9999, 5556, syn|ack, "")
	frame(7, 8, 41000, 80, 5556, 10000, ack|psh, "a request longer than the snap length")
	frame(8, 7, 80, 41000, 10000, 5593, ack, "")
	frame(8, 7, 80, 41000, 10000, 5593, ack|psh, "a response longer than the snap length, too")
	frame(7, 8, 41000, 80, 5593, 10043, ack, "")
	t.Logf("%d TCP segments of other traffic checked", checked)
	if checked < n {
		t.Fatalf("only %d of the %d built segments checked", checked, n)
	}
}

// seqTable gives the numbers tcpIndex gives, and forgets the same
// conversations: random segments over few endpoints (reused ports, SYNs
// with new numbers, both directions) through tables of a few bounds, the
// conversations held and their order of forgetting compared after every
// segment (by their counts of segments seen, then by the list: the bound
// of 1000 is never reached, the others are).
func TestSeqTableMatchesTCPIndex(t *testing.T) {
	for _, bound := range []int{1, 2, 3, 7, 50, 1000} {
		rng := rand.New(rand.NewPCG(uint64(bound), 15))
		var ref tcpIndex
		next := 0
		ref.init(bound, &next)
		var tab seqTable
		tab.init(bound)
		forgotten := false
		for i := range 20000 {
			var n dissect.Net
			n.Src = [4]byte{10, 0, 0, byte(rng.IntN(6))}
			n.Dst = [4]byte{10, 0, 0, byte(rng.IntN(6))}
			n.SrcPort, n.DstPort = uint16(1000+rng.IntN(4)), uint16(1000+rng.IntN(4))
			tc := layers.TCP{Seq: rng.Uint32() % 64, Ack: rng.Uint32() % 64, SYN: rng.IntN(8) == 0, ACK: rng.IntN(3) != 0}
			want, forgot := ref.lookup(&n, &tc, time.Time{})
			k, dir := tcpKeyOf(&n)
			key := seqKey(k)
			if got := tab.seq(key, dir, tc.Seq, tc.Ack, tc.SYN, tc.ACK); got != want.Seq {
				t.Fatalf("bound %d, segment %d: seqTable %d, tcpIndex %d", bound, i, got, want.Seq)
			}
			if tab.n != len(ref.convs) {
				t.Fatalf("bound %d, segment %d: seqTable holds %d conversations, tcpIndex %d", bound, i, tab.n, len(ref.convs))
			}
			order := tab.recency()
			r := ref.head
			for _, c := range order {
				if r == nil {
					t.Fatalf("bound %d, segment %d: recency lists of different lengths", bound, i)
				}
				v := &tab.convs[c]
				rk := seqKey(r.key)
				if v.key != rk || v.isn != r.isn || v.haveISN != r.haveISN {
					t.Fatalf("bound %d, segment %d: conversation %+v, tcpIndex %+v", bound, i, *v, *r)
				}
				if s := tab.slots[tab.find(v.key)]; s.c != c+1 || s.key != v.key {
					t.Fatalf("bound %d, segment %d: conversation %+v not found by its key", bound, i, v.key)
				}
				if c == order[0] && tab.head != c {
					t.Fatalf("bound %d, segment %d: the head is %d, not the most recently seen %d", bound, i, tab.head, c)
				}
				r = r.next
			}
			if r != nil {
				t.Fatalf("bound %d, segment %d: recency lists of different lengths", bound, i)
			}
			// The recency list is made when the first conversation is
			// forgotten for the bound, not before.
			forgotten = forgotten || forgot
			if tab.listed != forgotten {
				t.Fatalf("bound %d, segment %d: listed %v, a conversation forgotten %v", bound, i, tab.listed, forgotten)
			}
		}
	}
}

// SkipSegment's skip is Skippable's answer, and its number Seq's (which the
// engine's test above checks): on every frame of the captures, on built
// segments and datagrams, and on copies of them with a header byte
// changed or cut short (versions, lengths, fragment flags, protocols,
// options, ports).
func TestSkipSeqIsSkippable(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 9))
	x := NewSeqIndex(Config{})
	checked, skipped, seqs := 0, 0, 0
	check := func(name string, n int, data []byte, lt layers.LinkType) {
		checked++
		var seg SeqSegment
		skip, hasSeq := SkipSegment(data, lt, &seg)
		if want := Skippable(data, lt); skip != want {
			t.Fatalf("%s frame %d (% x): SkipSegment says skippable %v, Skippable %v", name, n, data[:min(len(data), 64)], skip, want)
		}
		if skip {
			skipped++
		}
		if hasSeq {
			seqs++
			x.SeqOf(&seg) // numbered as the loader numbers them
		}
	}
	mutate := func(name string, n int, data []byte, lt layers.LinkType) {
		for range 8 {
			m := bytes.Clone(data)
			if rng.IntN(4) == 0 {
				m = m[:rng.IntN(len(m)+1)]
			} else if len(m) > 0 {
				m[rng.IntN(min(len(m), 80))] ^= byte(1 + rng.IntN(255))
			}
			check(name+" changed", n, m, lt)
		}
	}
	for _, path := range sharedAndLabCaptures(t) {
		name := filepath.Base(path)
		eachFrame(t, path, func(fr *captureFrame) {
			check(name, fr.n, fr.data, fr.lt)
			if fr.n%16 == 0 {
				mutate(name, fr.n, fr.data, fr.lt)
			}
		})
	}
	for i, data := range [][]byte{
		crafted.TCPFrame(1, 2, 50000, 443, 1000, 0, 0x02, nil),
		crafted.TCPFrame(2, 1, 443, 50000, 5000, 1001, 0x18, []byte("TLS-ish bytes")),
		crafted.TCPFrame(3, 4, 40000, 139, 1, 1, 0x18, []byte("a session")),
		crafted.UDPFrame(1, 2, 53000, 53, []byte("dns-ish payload")),
		crafted.UDPFrame(1, 2, 137, 137, []byte("nbns-ish payload")),
	} {
		check("built", i, data, layers.LinkTypeEthernet)
		for range 200 {
			mutate("built", i, data, layers.LinkTypeEthernet)
		}
	}
	t.Logf("%d frames checked: %d skippable, %d with a sequence number", checked, skipped, seqs)
	if skipped == 0 || seqs == 0 || skipped == checked {
		t.Fatal("no skippable frame, none with a number, or only skippable ones: the test shows nothing")
	}
}

// seqBenchFrames is built traffic of other kinds for the benchmarks: TCP
// segments of 500 conversations and UDP datagrams, in random order.
func seqBenchFrames() [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	frames := make([][]byte, 0, 20000)
	for i := range cap(frames) {
		c := rng.IntN(500)
		if i%5 == 0 {
			frames = append(frames, crafted.UDPFrame(byte(c), byte(c+1), uint16(50000+c), 53, []byte("dns-ish")))
			continue
		}
		frames = append(frames, crafted.TCPFrame(byte(c), byte(c/2+1), uint16(40000+c), 443, uint32(i), 1, 0x18, []byte("tls-ish")))
	}
	return frames
}

// BenchmarkSkipSeq is what the UI's loader asks of each frame: Skippable
// and the relative sequence number, in one parse (SkipSegment, SeqOf).
func BenchmarkSkipSeq(b *testing.B) {
	frames, x := seqBenchFrames(), NewSeqIndex(Config{})
	b.ResetTimer()
	var seg SeqSegment
	for i := range b.N {
		if _, ok := SkipSegment(frames[i%len(frames)], layers.LinkTypeEthernet, &seg); ok {
			x.SeqOf(&seg)
		}
	}
}

// BenchmarkSkippableThenSeq is the same as two calls (two parses).
func BenchmarkSkippableThenSeq(b *testing.B) {
	frames, x := seqBenchFrames(), NewSeqIndex(Config{})
	b.ResetTimer()
	for i := range b.N {
		f := frames[i%len(frames)]
		if Skippable(f, layers.LinkTypeEthernet) {
			x.Seq(f, layers.LinkTypeEthernet, time.Time{})
		}
	}
}
