package reassembly

import (
	"os"
	"testing"
)

// BenchmarkStreamFile runs StreamReassembler (our assembler, default
// limits; NBTSNIFF_ASM_GIVEUP=1: GiveUpHolesAtOnce) over the TCP segments
// of ports 139 and 445 of the capture NBTSNIFF_ASM_FILE names, read and
// decoded before the timer starts; each op is the whole capture, the
// handler counts. For a profile of the reassembler alone:
//
//	NBTSNIFF_ASM_FILE=/work/bd/dense.pcap go test -run XXX -bench StreamFile -benchtime 10x -cpuprofile cpu.prof ./reassembly/
func BenchmarkStreamFile(b *testing.B) {
	path := os.Getenv("NBTSNIFF_ASM_FILE")
	if path == "" {
		b.Skip("NBTSNIFF_ASM_FILE is not set")
	}
	segs := asmSegments(b, path)
	lim := StreamLimits{GiveUpHolesAtOnce: os.Getenv("NBTSNIFF_ASM_GIVEUP") == "1"}
	c := &streamCounter{}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s := NewStreamReassembler(c, lim)
		for _, p := range segs {
			s.Add(p.frame, p.ci.Timestamp, p.ip, p.tcp)
		}
		s.FlushAll()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(segs)), "ns/segment")
	b.ReportMetric(float64(c.msgs)/float64(b.N), "msgs/op")
	b.ReportMetric(float64(c.anoms)/float64(b.N), "anoms/op")
}
