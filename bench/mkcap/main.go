// Command mkcap writes a large pcap for the benchmarks: the NBT frames of
// the real captures (the Samba lab captures in testdata/pcaps and the real
// captures of ../shared/pcaps) laid end to end and repeated until -frames
// frames are written (see package synth for how repetitions differ). The
// same inputs and -frames always give the same file.
//
//	go run ./bench/mkcap -frames 1500000 -o /tmp/big.pcap
//	go run ./bench/mkcap -other 1000000 -frames 23000 -o /tmp/mix.pcap   # the realistic mix
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nbtsniff/nbtsniff/bench/synth"
)

func main() {
	out := flag.String("o", "", "output pcap file (required)")
	frames := flag.Int("frames", 1500000, "frames to write")
	root := flag.String("root", ".", "repository root (inputs: ROOT/testdata/pcaps and ROOT/../shared/pcaps)")
	quiet := flag.Bool("q", false, "do not list the inputs")
	other := flag.Int("other", 0, "the realistic mix: this many frames of TCP 443/80 and UDP 53 first, then -frames NBT frames (see synth.WriteMix)")
	seed := flag.Uint64("seed", 1, "seed of the realistic mix's other frames")
	flag.Parse()
	if *out == "" || *frames <= 0 {
		fmt.Fprintln(os.Stderr, "usage: mkcap -o OUT.pcap [-frames N] [-root DIR] [INPUT...]")
		os.Exit(2)
	}
	inputs := flag.Args()
	if len(inputs) == 0 {
		inputs = synth.Inputs(*root)
	}
	c, err := synth.Load(inputs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcap:", err)
		os.Exit(1)
	}
	if !*quiet {
		for _, f := range c.Files {
			fmt.Fprintf(os.Stderr, "mkcap: %6d of %6d frames  %s\n", f.Kept, f.Frames, filepath.Base(f.Path))
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcap:", err)
		os.Exit(1)
	}
	var n int64
	if *other > 0 {
		n, err = synth.WriteMix(f, c, *other, *frames, *seed)
	} else {
		n, err = c.WritePcap(f, *frames)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcap:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "mkcap: %s: %d frames (%d per cycle, %.1f cycles), %d bytes of frame data\n",
		*out, *frames, c.Len(), float64(*frames)/float64(c.Len()), n)
}
