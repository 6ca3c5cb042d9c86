package view

import (
	"os"
	"testing"
)

// BenchmarkRefresh is what the UI does with the loader's data on each
// tick while a capture loads (a fresh snapshot, more frames): every
// screen handed the state (Model.refresh), on the loaded capture
// NBTSNIFF_BENCH_FILE, else the lab's storm capture, at 160x48.
//
//	NBTSNIFF_BENCH_FILE=/tmp/mix.pcap go test -run XXX -bench Refresh ./view/
func BenchmarkRefresh(b *testing.B) {
	path := os.Getenv("NBTSNIFF_BENCH_FILE")
	if path == "" {
		path = labPcap(b, "storm.pcapng")
	}
	m := newModel(b, loadAll(b, path), 160, 48)
	b.ResetTimer()
	for range b.N {
		m.refresh(true)
	}
}
