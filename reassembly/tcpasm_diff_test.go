package reassembly

// The differential harness of our TCP assembler (tcpasm.go) against
// gopacket's reassembly.Assembler, used through its API as the reference:
// the same segments go to both, each under a recording Stream, and every
// callback must be the same (asmTrace). Flushes visit gopacket's
// connections in map order, so what a flush produces is compared ordered
// by connection. On top, StreamReassembler is run on either assembler and
// every session packet and anomaly compared (TestOwnAssemblerStreams).

import (
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	gpreassembly "github.com/gopacket/gopacket/reassembly"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// asmEvent is one callback: the connection (in order of creation) and
// what it saw.
type asmEvent struct {
	conn int
	s    string
}

// asmTrace records the callbacks of one assembler.
type asmTrace struct {
	ev       []asmEvent
	conns    int
	rejectAt int // Accept refuses segments whose payload length % 11 is this (-1: none)
}

type asmTraceFactory struct{ t *asmTrace }

// New follows StreamReassembler's factory: a segment with no payload and
// no SYN starts nothing.
func (f asmTraceFactory) New(netFlow, tcpFlow gopacket.Flow, tcp *layers.TCP, ac gpreassembly.AssemblerContext) gpreassembly.Stream {
	if !tcp.SYN && len(tcp.Payload) == 0 {
		return nil
	}
	st := &asmTraceStream{t: f.t, id: f.t.conns}
	f.t.conns++
	f.t.add(st.id, "new "+netFlow.String()+" "+tcpFlow.String()+" frame "+strconv.Itoa(asmFrame(ac)))
	return st
}

func (t *asmTrace) add(id int, s string) { t.ev = append(t.ev, asmEvent{id, s}) }

type asmTraceStream struct {
	t       *asmTrace
	id      int
	started [2]bool
}

func asmFrame(ac gpreassembly.AssemblerContext) int {
	if ac == nil {
		return -1
	}
	if a := ac.GetCaptureInfo().AncillaryData; len(a) == 1 {
		if n, ok := a[0].(int); ok {
			return n
		}
	}
	return 0
}

func asmFlags(t *layers.TCP) string {
	b := []byte("......")
	for i, f := range []bool{t.SYN, t.ACK, t.FIN, t.RST, t.PSH, t.URG} {
		if f {
			b[i] = "SAFRPU"[i]
		}
	}
	return string(b)
}

// Accept starts a half at its first segment, as nbssStream does.
func (st *asmTraceStream) Accept(tcp *layers.TCP, ci gopacket.CaptureInfo, dir gpreassembly.TCPFlowDirection, next gpreassembly.Sequence, start *bool, ac gpreassembly.AssemblerContext) bool {
	d := 0
	if dir {
		d = 1
	}
	ok := st.t.rejectAt < 0 || len(tcp.Payload)%11 != st.t.rejectAt
	st.t.add(st.id, fmt.Sprintf("accept dir %d next %d seq %d len %d %s start %v ts %d frame %d -> %v", d, next, tcp.Seq,
		len(tcp.Payload), asmFlags(tcp), *start, ci.Timestamp.UnixNano(), asmFrame(ac), ok))
	if next == -1 && !st.started[d] {
		st.started[d] = true
		*start = true
	}
	return ok
}

// ReassembledSG records the bytes, where they come from, and keeps the
// last incomplete NBSS packet, as nbssStream would.
func (st *asmTraceStream) ReassembledSG(sg gpreassembly.ScatterGather, ac gpreassembly.AssemblerContext) {
	avail, saved := sg.Lengths()
	dir, start, end, skip := sg.Info()
	var data []byte
	if avail > 0 {
		data = sg.Fetch(avail)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sg dir %v start %v end %v skip %d avail %d saved %d crc %08x frames", dir, start, end, skip, avail, saved, crc32.ChecksumIEEE(data))
	step := 1
	if avail > 4096 {
		step = 97
	}
	last := -2
	for i := 0; i < avail; i += step {
		f := asmFrame(asmCI{sg.CaptureInfo(i)})
		if f != last {
			fmt.Fprintf(&b, " %d@%d", f, i)
			last = f
		}
	}
	if avail > 0 {
		fmt.Fprintf(&b, " last %d", asmFrame(asmCI{sg.CaptureInfo(avail - 1)}))
	}
	st.t.add(st.id, b.String())
	pos := 0
	for pos < avail {
		fr := FrameNBSS(data[pos:], false)
		switch {
		case fr.Lost:
			pos++
			continue
		case fr.Needed > 0 && fr.Length <= 1<<17+4:
			sg.KeepFrom(pos)
			st.t.add(st.id, "keep "+strconv.Itoa(pos))
		}
		if fr.Needed > 0 {
			break
		}
		pos += fr.Consumed
	}
}

type asmCI struct{ ci gopacket.CaptureInfo }

func (c asmCI) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

func (st *asmTraceStream) ReassemblyComplete(ac gpreassembly.AssemblerContext) bool {
	st.t.add(st.id, "complete")
	return true
}

// asmLimits is one set of assembler limits and flush timings.
type asmLimits struct {
	name          string
	perConn, all  int
	ooo, idle, fl time.Duration
	rejectAt      int
}

var asmLimitSets = []asmLimits{
	{"default", 69 + 256, 35321 + 8192, 10 * time.Second, 10 * time.Minute, time.Second, -1},
	{"give-up-holes", 1, 35321 + 8192, 10 * time.Second, 10 * time.Minute, time.Second, -1},
	{"tight", 2, 10, 20 * time.Millisecond, time.Second, 5 * time.Millisecond, -1},
	{"reject", 3, 40, 50 * time.Millisecond, 2 * time.Second, 10 * time.Millisecond, 5},
}

// asmPair runs gopacket's assembler and ours side by side.
type asmPair struct {
	ref, own     *asmTrace
	gp           *gpreassembly.Assembler
	me           *tcpAssembler
	lim          asmLimits
	last         time.Time
	flushed      bool
	segs, flushN int
}

func newAsmPair(lim asmLimits) *asmPair {
	p := &asmPair{ref: &asmTrace{rejectAt: lim.rejectAt}, own: &asmTrace{rejectAt: lim.rejectAt}, lim: lim}
	p.gp = gpreassembly.NewAssembler(gpreassembly.NewStreamPool(asmTraceFactory{p.ref}))
	p.me = newTCPAssembler(asmTraceFactory{p.own})
	for _, o := range []*gpreassembly.AssemblerOptions{&p.gp.AssemblerOptions, &p.me.AssemblerOptions} {
		o.MaxBufferedPagesPerConnection, o.MaxBufferedPagesTotal = lim.perConn, lim.all
	}
	return p
}

type asmCtx struct{ ci gopacket.CaptureInfo }

func (c *asmCtx) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

// add feeds one segment to both, flushing first every lim.fl of capture time.
func (p *asmPair) add(frame int, ts time.Time, ip *layers.IPv4, tcp *layers.TCP) {
	if !p.flushed {
		p.last, p.flushed = ts, true
	} else if ts.Sub(p.last) >= p.lim.fl {
		p.last = ts
		opt := gpreassembly.FlushOptions{T: ts.Add(-p.lim.ooo), TC: ts.Add(-p.lim.idle)}
		p.flush("flush "+strconv.Itoa(frame), func() string {
			f, c := p.gp.FlushWithOptions(opt)
			return fmt.Sprint(f, c)
		}, func() string {
			f, c := p.me.FlushWithOptions(opt)
			return fmt.Sprint(f, c)
		})
	}
	p.segs++
	ctx := &asmCtx{gopacket.CaptureInfo{Timestamp: ts, AncillaryData: []interface{}{frame}}}
	p.gp.AssembleWithContext(ip.NetworkFlow(), tcp, ctx)
	var src, dst [4]byte
	copy(src[:], ip.SrcIP.To4())
	copy(dst[:], ip.DstIP.To4())
	p.me.assemble(src, dst, tcp, ctx)
}

// flush runs a flush on both and orders what each produced by connection.
func (p *asmPair) flush(what string, ref, own func() string) {
	p.flushN++
	for i, t := range []*asmTrace{p.ref, p.own} {
		from := len(t.ev)
		var r string
		if i == 0 {
			r = ref()
		} else {
			r = own()
		}
		slices.SortStableFunc(t.ev[from:], func(a, b asmEvent) int { return a.conn - b.conn })
		t.add(-1, what+" -> "+r)
	}
}

func (p *asmPair) end() {
	p.flush("flush all", func() string { return strconv.Itoa(p.gp.FlushAll()) }, func() string { return strconv.Itoa(p.me.FlushAll()) })
}

// gopacketAssembler is gopacket's assembler as a segmentAssembler: the
// reference ours is compared with.
type gopacketAssembler struct{ *gpreassembly.Assembler }

func (g gopacketAssembler) assemble(src, dst [4]byte, t *layers.TCP, ac gpreassembly.AssemblerContext) {
	g.AssembleWithContext(gopacket.NewFlow(layers.EndpointIPv4, src[:], dst[:]), t, ac)
}

// newGopacketAssembler makes gopacket's assembler for a StreamReassembler.
func newGopacketAssembler(f gpreassembly.StreamFactory) (segmentAssembler, *gpreassembly.AssemblerOptions) {
	a := gpreassembly.NewAssembler(gpreassembly.NewStreamPool(f))
	return gopacketAssembler{a}, &a.AssemblerOptions
}

// diffs returns the number of events that differ, and the first few.
func (p *asmPair) diffs() (int, string) {
	a := p.ref.ev
	var first strings.Builder
	n := eachDiff(a, p.own.ev, func(n, i int, x, y asmEvent) {
		if n == 0 {
			for j := max(0, i-6); j < i; j++ {
				fmt.Fprintf(&first, "   same  %d %s\n", a[j].conn, a[j].s)
			}
		}
		if n < 4 {
			fmt.Fprintf(&first, "   event %d:\n     gopacket %d %s\n     ours     %d %s\n", i, x.conn, x.s, y.conn, y.s)
		}
	})
	return n, first.String()
}

// eachDiff calls f for each place i where a and b differ (the zero value
// past the end of the shorter), with the number n of differences before
// it, and returns how many there are.
func eachDiff[T comparable](a, b []T, f func(n, i int, x, y T)) int {
	n := 0
	for i := range max(len(a), len(b)) {
		var x, y T
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			f(n, i, x, y)
			n++
		}
	}
	return n
}

// asmCaptures is every capture the harness runs: the repository's lab
// captures and crafted ones, the shared corpus (synthetic/ included), and
// the file NBTSNIFF_ASM_FILE names (the dense capture, say).
func asmCaptures(t *testing.T) []string {
	var out []string
	for _, g := range []string{"../testdata/pcaps/*.pcap*", "../testdata/crafted/*.pcap", "../testdata/crafted/*.pcapng"} {
		m, _ := filepath.Glob(g)
		out = append(out, m...)
	}
	out = append(out, corpus.Maybe(t, "*.pcap*")...)
	out = append(out, corpus.Maybe(t, "synthetic/*")...)
	if f := os.Getenv("NBTSNIFF_ASM_FILE"); f != "" {
		out = append(out, f)
	}
	return out
}

// asmSegments reads the TCP segments of ports 139 and 445 of a capture;
// NBTSNIFF_ASM_FRAMES bounds the frames read (a slice of a big capture).
func asmSegments(t testing.TB, path string) []streamPacket {
	limit := -1
	if n, err := strconv.Atoi(os.Getenv("NBTSNIFF_ASM_FRAMES")); err == nil && n > 0 {
		limit = n
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var src packetReader
	if r, err := pcapgo.NewReader(fh); err == nil {
		src = r
	} else if _, err := fh.Seek(0, 0); err != nil {
		t.Fatal(err)
	} else if r, err := pcapgo.NewNgReader(fh, pcapgo.DefaultNgReaderOptions); err == nil {
		src = r
	} else {
		t.Logf("%s: not read: %v", path, err)
		return nil
	}
	lt := src.LinkType()
	var out []streamPacket
	for n := 1; n != limit+1; n++ {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			if err != io.EOF {
				t.Logf("%s: read up to frame %d: %v", path, n, err)
			}
			break
		}
		var first gopacket.Decoder = lt
		if lt == layers.LinkTypeRaw || lt == 12 || lt == 14 {
			first = layers.LayerTypeIPv4
		}
		p := gopacket.NewPacket(data, first, gopacket.Default)
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip != nil && tcp != nil && (streamPort(uint16(tcp.SrcPort)) || streamPort(uint16(tcp.DstPort))) {
			out = append(out, streamPacket{frame: n, ci: ci, ip: ip, tcp: tcp})
		}
	}
	return out
}

// TestOwnAssemblerCallbacks: on every capture and every set of limits,
// our assembler makes the same callbacks as gopacket's, with the same
// arguments, bytes and frames of each byte, and the flushes the same
// counts.
func TestOwnAssemblerCallbacks(t *testing.T) {
	total := 0
	for _, path := range asmCaptures(t) {
		segs := asmSegments(t, path)
		if len(segs) == 0 {
			continue
		}
		for _, lim := range asmLimitSets {
			p := newAsmPair(lim)
			for _, s := range segs {
				p.add(s.frame, s.ci.Timestamp, s.ip, s.tcp)
			}
			p.end()
			total += len(p.ref.ev)
			if n, first := p.diffs(); n > 0 {
				t.Errorf("%s, %s limits: %d of %d events differ:\n%s", filepath.Base(path), lim.name, n, len(p.ref.ev), first)
			}
		}
	}
	t.Logf("%d events compared", total)
	if total == 0 {
		t.Error("no capture with TCP 139/445: the test compares nothing")
	}
}

// TestOwnAssemblerStreams: StreamReassembler on our assembler hands over
// the same session packets and anomalies as on gopacket's, on every
// capture, with the default limits, tshark's way with holes, and limits
// small enough that holes time out, idle connections close and
// connections are evicted all the time (its hole give-ups and evictions
// feed the assembler segments of their own).
func TestOwnAssemblerStreams(t *testing.T) {
	tight := StreamLimits{OutOfOrderTimeout: 20 * time.Millisecond, IdleTimeout: time.Second,
		FlushInterval: 5 * time.Millisecond, MaxConns: 3, MaxOutOfOrderPages: 2}
	total := 0
	for _, path := range asmCaptures(t) {
		segs := asmSegments(t, path)
		if len(segs) == 0 {
			continue
		}
		for li, lim := range []StreamLimits{{}, {GiveUpHolesAtOnce: true}, tight} {
			var got [2][]string
			for i, newAsm := range []func(gpreassembly.StreamFactory) (segmentAssembler, *gpreassembly.AssemblerOptions){newGopacketAssembler, newOwnAssembler} {
				c := &streamCollector{}
				s := newStreamReassembler(c, lim, newAsm)
				for _, p := range segs {
					s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
				}
				s.FlushAll()
				got[i] = asmStreamLines(c)
			}
			total += len(got[0])
			if d := asmFirstDiff(got[0], got[1]); d != "" {
				t.Errorf("%s, limits %d: %s", filepath.Base(path), li, d)
			}
		}
	}
	t.Logf("%d packets and anomalies compared", total)
	if total == 0 {
		t.Error("nothing compared")
	}
}

// asmStreamLines renders what a collector got, one line each.
func asmStreamLines(c *streamCollector) []string {
	var out []string
	for _, m := range c.msgs {
		out = append(out, fmt.Sprintf("msg %+v", m))
	}
	for _, a := range c.anoms {
		idx := -1
		if a.Conn != nil {
			idx = a.Conn.Index
		}
		out = append(out, fmt.Sprintf("anomaly %v conn %d dir %v frame %d bytes %d need %d data %x: %v", a.Kind, idx, a.Dir, a.Frame, a.Bytes, a.Need, a.Data, a.Cause()))
	}
	return out
}

func asmFirstDiff(a, b []string) string {
	first := ""
	n := eachDiff(a, b, func(n, i int, x, y string) {
		if n == 0 {
			first = fmt.Sprintf("line %d:\n   gopacket %s\n   ours     %s", i, x, y)
		}
	})
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d lines differ, first at %s", n, len(a), first)
}

// Our assembler lists in its own map only the connections its
// StreamReassembler does not hand over (tcpAssembler.conns): after every
// segment of captures followed with room for every connection and with
// room for one (evictions), each open connection of ours is either the
// one byKey holds for its key, with the stream pointing back to it, or
// listed and then of a stream the reassembler forgot; and the map holds
// exactly the listed ones. A connection inserted again into the map, or
// one no longer reachable through byKey and not listed, fails it.
func TestOwnAssemblerConnsUnlisted(t *testing.T) {
	for _, name := range []string{"testdata/pcaps/enum.pcapng", "nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap"} {
		pkts := streamReadCapture(t, name)
		for _, lim := range []StreamLimits{{}, {MaxConns: 1}} {
			s := NewStreamReassembler(&streamCollector{}, lim)
			a := s.own
			opened, evicted := 0, uint64(0)
			for _, p := range pkts {
				if p.ip == nil || p.tcp == nil {
					continue
				}
				s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
				listed := 0
				for _, conn := range a.order {
					if conn.removed {
						continue
					}
					if conn.listed {
						listed++
						if a.conns[conn.key] != conn || conn.ns == nil || !conn.ns.gone {
							t.Fatalf("%s %+v frame %d: a listed connection not of a forgotten stream", name, lim, p.frame)
						}
						continue
					}
					if conn.ns == nil || s.byKey[conn.key] != conn.ns || conn.ns.asm != conn {
						t.Fatalf("%s %+v frame %d: open connection %v neither in byKey nor listed", name, lim, p.frame, conn.key)
					}
				}
				if len(a.conns) != listed {
					t.Fatalf("%s %+v frame %d: %d connections in the map, %d listed", name, lim, p.frame, len(a.conns), listed)
				}
				opened = max(opened, len(s.byKey))
			}
			evicted = s.Stats().Evicted
			if opened == 0 || lim.MaxConns == 1 && evicted == 0 {
				t.Fatalf("%s %+v: %d connections at once, %d evicted: the test needs both", name, lim, opened, evicted)
			}
			s.FlushAll()
			if len(a.conns) != 0 {
				t.Errorf("%s %+v: %d connections in the map after FlushAll", name, lim, len(a.conns))
			}
		}
	}
}
