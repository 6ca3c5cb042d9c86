//go:build pcap

package capture

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
	"golang.org/x/net/bpf"
)

// TestNBTProgramMatchesLibpcap: on every Ethernet and raw IP frame of the
// corpus, the hand-assembled program and libpcap's compilation of the
// tcpdump expression it claims to be (NBTFilter, or its IPv4 part on raw
// IP) give the same verdict.
func TestNBTProgramMatchesLibpcap(t *testing.T) {
	const snaplen = MaxRecordSize
	corpora(t)
	for _, tt := range corpusFiles {
		prog, err := nbtProgram(tt.linkType, snaplen)
		if err != nil {
			continue // no program for this link type
		}
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatal(err)
		}
		dlt := tt.linkType
		if dlt == layers.LinkTypeRaw {
			dlt = dltRaw // libpcap compiles for DLTs, not LINKTYPEs
		}
		lib, err := pcap.NewBPF(dlt, snaplen, defaultFilter(tt.linkType))
		if err != nil {
			t.Fatalf("libpcap rejects %q: %v", defaultFilter(tt.linkType), err)
		}
		for i, f := range openAll(t, corpus(t, tt.name), 0) {
			n, _ := vm.Run(f.data)
			ci := gopacket.CaptureInfo{CaptureLength: len(f.data), Length: f.length}
			if want := lib.Matches(ci, f.data); (n != 0) != want {
				t.Errorf("%s frame %d: program %d, libpcap %v", tt.name, i+1, n, want)
			}
		}
	}
}

func TestLibpcapRejectsBadFilter(t *testing.T) {
	_, err := pcap.NewBPF(layers.LinkTypeEthernet, 65535, "udp port 137 and frobnicate")
	if err == nil {
		t.Fatal("libpcap compiled nonsense")
	}
}
