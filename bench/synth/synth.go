// Package synth builds long captures out of real ones, for the benchmarks:
// the NBT frames of a set of real captures are laid end to end (one "cycle",
// each capture an hour after the previous one ends) and the cycle is
// repeated as often as asked, with shifted timestamps.
//
// Repeating a TCP conversation verbatim would make every later copy a
// retransmission of the first (so would the same conversation captured on
// two segments, as in dmb.subnetA and dmb.subnetB). So each copy of a
// capture gets its own client ports: in copy k (repetition r of input i of
// n inputs: k = r*n + i) the client port of each TCP frame on port 139 or
// 445 (the side that is not 139/445) is moved by k*97 (modulo the range
// 1024-65023), and the TCP checksum is adjusted incrementally (RFC 1624)
// so it stays as right or as wrong as it was. Copy 0, the first input in
// the first repetition, is left byte for byte. UDP frames are never changed.
// Within a capture, a gap of more than an hour between two frames is
// shortened to an hour (one real capture has a frame dated six years after
// the others): so 1.5 million frames stay within a few decades, inside the
// pcap format's 32-bit seconds.
//
// Only Ethernet frames (802.1Q-tagged or not) carrying an unfragmented IPv4
// datagram on UDP 137/138
// or TCP 139/445 are kept: the benchmarks measure NBT decoding, and a single
// link type lets the output be a plain pcap file every tool reads.
package synth

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/capture"
)

// Gap separates two captures in a cycle (so state of one has expired
// before the next starts, as in a long capture of an idle network).
const Gap = time.Hour

// portStep moves the client port of TCP frames per repetition.
const portStep = 97

// Frame is one kept frame of the cycle.
type Frame struct {
	Data   []byte
	Length int           // on the wire
	Offset time.Duration // from the start of the cycle
	port   int           // offset in Data of the client TCP port, 0 if none
	csum   int           // offset in Data of the TCP checksum
	input  int           // index of the input it came from
}

// File says what was taken from one input.
type File struct {
	Path   string
	Frames int // records read
	Kept   int // NBT frames kept
}

// Cycle is the frames of every input, end to end.
type Cycle struct {
	Frames []Frame
	Files  []File
	Origin time.Time     // time of the first frame
	Span   time.Duration // one cycle, gap included: repetition k starts at Origin + k*Span
	Bytes  int64         // captured bytes of one cycle
}

// Inputs lists the real captures the benchmarks use, given the repository
// root: the Samba lab captures in testdata/pcaps (without dmb.pcapng, the
// merge of the two dmb.subnet captures) and the real captures at the top of
// ../shared/pcaps (not synthetic/). Missing directories give fewer files.
func Inputs(root string) []string {
	var files []string
	for _, dir := range []string{filepath.Join(root, "testdata", "pcaps"), filepath.Join(root, "..", "shared", "pcaps")} {
		for _, pat := range []string{"*.pcap", "*.pcapng"} {
			m, _ := filepath.Glob(filepath.Join(dir, pat))
			for _, f := range m {
				if filepath.Base(f) != "dmb.pcapng" {
					files = append(files, f)
				}
			}
		}
	}
	sort.Strings(files)
	return files
}

// BenchInputs is what the Go benchmarks decode: Inputs(root), or the
// files the space-separated globs of NBTSNIFF_BENCH_INPUTS name (relative
// to root), to measure one kind of traffic.
func BenchInputs(root string) []string {
	env := os.Getenv("NBTSNIFF_BENCH_INPUTS")
	if env == "" {
		return Inputs(root)
	}
	var files []string
	for _, pat := range strings.Fields(env) {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		files = append(files, m...)
	}
	return files
}

// Load reads the inputs, in the order given, into one cycle.
func Load(paths []string) (*Cycle, error) {
	if len(paths) == 0 {
		return nil, errors.New("synth: no input captures")
	}
	c := &Cycle{}
	var shift time.Duration
	for i, p := range paths {
		fi, span, err := c.load(p, i, shift)
		if err != nil {
			return nil, err
		}
		c.Files = append(c.Files, fi)
		if fi.Kept > 0 {
			shift += span + Gap
		}
	}
	if len(c.Frames) == 0 {
		return nil, errors.New("synth: no NBT frames in the inputs")
	}
	c.Span = shift
	return c, nil
}

// load appends the NBT frames of one file, the first of them at shift from
// the cycle's origin, and returns the offset of its latest frame from its
// first. Gaps of more than Gap between two frames are shortened to Gap.
func (c *Cycle) load(path string, index int, shift time.Duration) (File, time.Duration, error) {
	fi := File{Path: path}
	src, err := capture.OpenFile(path, index)
	if err != nil {
		return fi, 0, err
	}
	defer src.Close()
	var first, prev time.Time
	var off, end time.Duration // of the last frame kept, of the latest
	var pkt capture.Packet
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fi, time.Duration(0), fmt.Errorf("synth: %s: %w", path, err)
		}
		fi.Frames++
		if pkt.LinkType != layers.LinkTypeEthernet {
			continue
		}
		port, csum, ok := classify(pkt.Data)
		if !ok {
			continue
		}
		ts := pkt.CI.Timestamp
		if fi.Kept == 0 {
			first, prev = ts, ts
		}
		off += min(max(ts.Sub(prev), -Gap), Gap)
		prev = ts
		end = max(end, off)
		fi.Kept++
		c.Frames = append(c.Frames, Frame{
			Data:   append([]byte(nil), pkt.Data...),
			Length: max(pkt.CI.Length, len(pkt.Data)),
			Offset: shift + off,
			port:   port,
			csum:   csum,
			input:  index,
		})
		c.Bytes += int64(len(pkt.Data))
	}
	if fi.Kept > 0 && c.Origin.IsZero() {
		c.Origin = first
	}
	return fi, end, nil
}

// classify says whether an Ethernet frame (with at most one 802.1Q tag) is
// an unfragmented IPv4 datagram on UDP 137/138 or TCP 139/445, and for TCP
// where the client port and the checksum are.
func classify(d []byte) (port, csum int, ok bool) {
	eth := 14
	if len(d) >= 18 && binary.BigEndian.Uint16(d[12:]) == 0x8100 {
		eth = 18
	}
	if len(d) < eth+20 || binary.BigEndian.Uint16(d[eth-2:]) != 0x0800 {
		return 0, 0, false
	}
	ip := d[eth:]
	ihl := int(ip[0]&0x0f) * 4
	if ip[0]>>4 != 4 || ihl < 20 || len(ip) < ihl+20 {
		return 0, 0, false
	}
	if binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 { // MF or a fragment offset
		return 0, 0, false
	}
	l4 := eth + ihl
	sp, dp := binary.BigEndian.Uint16(d[l4:]), binary.BigEndian.Uint16(d[l4+2:])
	switch ip[9] {
	case 17: // UDP
		nbt := func(p uint16) bool { return p == 137 || p == 138 }
		return 0, 0, nbt(sp) || nbt(dp)
	case 6: // TCP
		nbt := func(p uint16) bool { return p == 139 || p == 445 }
		switch {
		case nbt(sp) && nbt(dp):
			return 0, 0, true
		case nbt(sp):
			return l4 + 2, l4 + 16, true
		case nbt(dp):
			return l4, l4 + 16, true
		}
	}
	return 0, 0, false
}

// Len is the number of frames in one cycle.
func (c *Cycle) Len() int { return len(c.Frames) }

// Frame returns frame i of repetition rep, written into buf (grown if
// needed; pass the returned slice back in to reuse it).
func (c *Cycle) Frame(rep, i int, buf []byte) ([]byte, gopacket.CaptureInfo) {
	f := &c.Frames[i]
	buf = append(buf[:0], f.Data...)
	if k := rep*len(c.Files) + f.input; k > 0 && f.port > 0 {
		old := binary.BigEndian.Uint16(buf[f.port:])
		nw := uint16(1024 + (int(old)+k*portStep)%64000)
		binary.BigEndian.PutUint16(buf[f.port:], nw)
		if f.csum+2 <= len(buf) {
			sum := binary.BigEndian.Uint16(buf[f.csum:])
			binary.BigEndian.PutUint16(buf[f.csum:], adjustChecksum(sum, old, nw))
		}
	}
	ci := gopacket.CaptureInfo{
		Timestamp:     c.Origin.Add(time.Duration(rep)*c.Span + f.Offset),
		CaptureLength: len(buf),
		Length:        f.Length,
	}
	return buf, ci
}

// adjustChecksum updates an Internet checksum for one 16-bit word changed
// from old to nw (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')).
func adjustChecksum(hc, old, nw uint16) uint16 {
	s := uint32(^hc) + uint32(^old) + uint32(nw)
	s = (s & 0xffff) + s>>16
	s = (s & 0xffff) + s>>16
	return ^uint16(s)
}

// WritePcap writes frames frames (the cycle repeated, the last repetition
// possibly cut) to w as a nanosecond pcap with Ethernet link type, and
// returns the bytes of frame data written.
func (c *Cycle) WritePcap(w io.Writer, frames int) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	pw := pcapgo.NewWriterNanos(bw)
	if err := pw.WriteFileHeader(capture.MaxRecordSize, layers.LinkTypeEthernet); err != nil {
		return 0, err
	}
	var buf []byte
	var total int64
	for n := 0; n < frames; n++ {
		var ci gopacket.CaptureInfo
		buf, ci = c.Frame(n/len(c.Frames), n%len(c.Frames), buf)
		if err := pw.WritePacket(ci, buf); err != nil {
			return total, err
		}
		total += int64(len(buf))
	}
	return total, bw.Flush()
}
