// Command readloop is the baseline of bench/report.sh: the bare pcapgo
// loop that reads every record of a pcap file and does nothing else (it sums
// the captured lengths, so the loop cannot be optimised away). By default it
// reads through a 1 MiB buffer, zero copy, as nbtsniff's file source does:
// the fastest loop pcapgo allows, and the one the target is measured
// against. With -plain it is pcapgo's documented idiom instead
// (pcapgo.NewReader on the file, ReadPacketData, a copy per record), shown
// beside it for reference.
//
//	go run ./bench/readloop [-plain] FILE.pcap
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

func main() {
	plain := flag.Bool("plain", false, "pcapgo.NewReader on the file and ReadPacketData (a copy per record)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: readloop [-plain] FILE.pcap")
		os.Exit(2)
	}
	start := time.Now()
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "readloop:", err)
		os.Exit(1)
	}
	defer f.Close()
	var in io.Reader = f
	if !*plain {
		in = bufio.NewReaderSize(f, 1<<20)
	}
	r, err := pcapgo.NewReader(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "readloop:", err)
		os.Exit(1)
	}
	read := r.ZeroCopyReadPacketData
	if *plain {
		read = r.ReadPacketData
	}
	var frames, bytes int64
	for {
		data, _, err := read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "readloop:", err)
			os.Exit(1)
		}
		frames++
		bytes += int64(len(data))
	}
	el := time.Since(start)
	fmt.Printf("frames=%d bytes=%d seconds=%.3f\n", frames, bytes, el.Seconds())
}
