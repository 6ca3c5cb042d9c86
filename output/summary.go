package output

import (
	"io"
	"strconv"
	"sync"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// bufPool holds the line buffers of the Write* functions, so printing a
// frame does not allocate once the pool is warm.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func writePooled(w io.Writer, f *dissect.Frame, fn func([]byte, *dissect.Frame) []byte) error {
	bp := bufPool.Get().(*[]byte)
	b := fn((*bp)[:0], f)
	_, err := w.Write(b)
	if cap(b) <= 1<<20 {
		*bp = b[:0]
		bufPool.Put(bp)
	}
	return err
}

// WriteSummary writes the one-line summary of a frame, as tshark prints it
// without -V:
//
//	1   0.000000 192.168.100.121 → 192.168.100.255 NBNS 110 Registration NB WORKGROUP<1e>
//
// number (right-aligned, at least 5 wide), time since the first frame
// (6 decimals, at least 10 wide), source (right-aligned, at least 12),
// " → ", destination (left-aligned, at least 12), protocol, frame length and
// info. Protocol and info are escaped (AppendEscaped).
func WriteSummary(w io.Writer, f *dissect.Frame) error {
	return writePooled(w, f, AppendSummary)
}

// AppendSummary appends the summary line of WriteSummary, with its newline.
func AppendSummary(dst []byte, f *dissect.Frame) []byte {
	var tmp [64]byte
	return appendSummaryCol(dst, f, appendSeconds(tmp[:0], f.Rel, 6))
}

// appendSummaryCol appends a summary line with the given time column (see
// Summary for the formats of tshark's -t).
func appendSummaryCol(dst []byte, f *dissect.Frame, col []byte) []byte {
	var tmp [64]byte
	dst = padLeft(dst, strconv.AppendInt(tmp[:0], int64(f.Number), 10), 5)
	dst = append(dst, ' ')
	dst = padLeft(dst, col, 10)
	dst = append(dst, ' ')
	src := appendAddr(tmp[:0], f, true)
	dst = padLeft(dst, src, 12)
	dst = append(dst, " → "...)
	n := len(dst)
	dst = appendAddr(dst, f, false)
	for len(dst)-n < 12 {
		dst = append(dst, ' ')
	}
	dst = append(dst, ' ')
	dst = AppendEscapedString(dst, f.Proto)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(f.Len), 10)
	dst = append(dst, ' ')
	dst = AppendEscaped(dst, f.Info)
	return append(dst, '\n')
}

func padLeft(dst, s []byte, width int) []byte {
	for i := len(s); i < width; i++ {
		dst = append(dst, ' ')
	}
	return append(dst, s...)
}

var (
	ethOnce                sync.Once
	fEthSrc, fEthDst       dissect.FieldID
	fSLLSrc                dissect.FieldID
	haveEthSrc, haveEthDst bool
)

func ethFields() {
	ethOnce.Do(func() {
		fEthSrc, haveEthSrc = dissect.LookupField("eth.src")
		fEthDst, haveEthDst = dissect.LookupField("eth.dst")
		fSLLSrc, _ = dissect.LookupField("sll.src.eth")
	})
}

// appendAddr prints the source or destination column: the IPv4 address
// when the frame has one, else the IPX address (network.node, as tshark
// prints it), else the link-layer address (tshark would print a resolved
// vendor name; nbtsniff prints the address).
func appendAddr(dst []byte, f *dissect.Frame, src bool) []byte {
	if f.Net.HasIP {
		a := f.Net.Dst
		if src {
			a = f.Net.Src
		}
		return appendIPv4(dst, uint32(a[0])<<24|uint32(a[1])<<16|uint32(a[2])<<8|uint32(a[3]))
	}
	if f.Net.HasMAC {
		ipx := dissect.FieldIPXDst
		if src {
			ipx = dissect.FieldIPXSrc
		}
		for i := range f.Tree.Nodes {
			if nd := &f.Tree.Nodes[i]; nd.Field == ipx {
				return AppendValue(dst, nd)
			}
		}
	}
	ethFields()
	want, ok := fEthDst, haveEthDst
	if src {
		want, ok = fEthSrc, haveEthSrc
	}
	for i := range f.Tree.Nodes {
		nd := &f.Tree.Nodes[i]
		if ok && nd.Field == want || src && fSLLSrc != 0 && nd.Field == fSLLSrc {
			return appendEther(dst, nd)
		}
	}
	return dst
}
