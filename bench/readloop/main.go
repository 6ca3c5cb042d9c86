// Command readloop is the baseline of bench/report.sh: the bare pcapgo
// loop that reads every record of a pcap file and does nothing else (it sums
// the captured lengths, so the loop cannot be optimised away). It reads
// through a 1 MiB buffer, zero copy, as nbtsniff's file source does.
//
//	go run ./bench/readloop FILE.pcap
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: readloop FILE.pcap")
		os.Exit(2)
	}
	start := time.Now()
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "readloop:", err)
		os.Exit(1)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, "readloop:", err)
		os.Exit(1)
	}
	var frames, bytes int64
	for {
		data, _, err := r.ZeroCopyReadPacketData()
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
