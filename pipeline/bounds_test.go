package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/nbtsniff/nbtsniff/internal/crafted"
	"github.com/nbtsniff/nbtsniff/internal/netnstest"
	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// small sets a bound of the loader for the length of a test.
func small(t *testing.T, v *int, n int) {
	old := *v
	*v = n
	t.Cleanup(func() { *v = old })
}

// The snapshots kept for the time cursor are bounded by their size, not
// their count: a storm's many state changes, kept under a small budget,
// take no more than it (the latest snapshot aside), and the time cursor
// still finds a state at every moment.
func TestLoaderSnapshotsBoundedByBytes(t *testing.T) {
	small(t, &maxSnapshotBytes, 256<<10) // some 20 of storm's snapshots
	l := loadAll(t, files(labPcap(t, "storm.pcapng")), LoaderConfig{})
	s := l.Sample()
	total := 0
	for _, sn := range s.Snapshots[:len(s.Snapshots)-1] {
		total += snapshotBytes(sn)
	}
	if total > maxSnapshotBytes || len(s.Snapshots) < 4 {
		t.Errorf("%d snapshots of %d bytes in all: want a few, within %d", len(s.Snapshots), total, maxSnapshotBytes)
	}
	if l.snapBytes != total+snapshotBytes(s.Snapshots[len(s.Snapshots)-1]) {
		t.Errorf("the loader counts %d bytes of snapshots, they take %d", l.snapBytes, total)
	}
	mid := s.First.Add(s.Last.Sub(s.First) / 2)
	if st := s.StateAt(mid); st == nil || st.Time.After(mid) || len(st.Groups) == 0 {
		t.Errorf("no state at %v: %+v", mid, st)
	}
}

// snapshotBytes grows with what the state holds: a thousand more hosts
// are counted.
func TestSnapshotBytesCountsTheState(t *testing.T) {
	base := &timeline.Snapshot{}
	big := &timeline.Snapshot{}
	for i := range 1000 {
		big.Hosts = append(big.Hosts, &timeline.Host{Name: "HOST" + itoa(i), Segment: "lab/10.0.0.255"})
	}
	if d := snapshotBytes(big) - snapshotBytes(base); d < 1000*(int(sizeOfHost())+len("lab/10.0.0.255")) {
		t.Errorf("1000 hosts count %d bytes", d)
	}
}

// Live, the frame list is a window of the latest frames, bounded in
// bytes, and says where the others are: frames sent out of a veth whose
// peer is in a network namespace of the test's, captured by a Loader
// whose window, raw-frame memory and snapshot budget are made small. The
// oldest frames leave the list; their detail is read back from the -w
// file when there is one, and is said to be gone, naming -w, when not.
func TestLiveLoaderKeepsAWindow(t *testing.T) {
	v := netnstest.New(t)
	small(t, &maxWindowBytes, 128<<10)
	small(t, &maxRawBytes, 64<<10)
	small(t, &maxSnapshotBytes, 256<<10)
	for _, write := range []bool{true, false} {
		in, err := Open(Inputs{Ifaces: []string{v.Outside}})
		if err != nil {
			t.Fatal(err)
		}
		cfg := LoaderConfig{Timeline: timeline.DefaultConfig()}
		if write {
			cfg.Write = filepath.Join(t.TempDir(), "live.pcapng")
		}
		l, err := NewLoader(in, cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		l.Start(ctx)
		snd := netnstest.NewSender(t, v.Outside)
		sent := 0
		// Probe until the capture runs, then send in steps the loader
		// keeps up with.
		deadline := time.Now().Add(20 * time.Second)
		for l.Sample().Frames.Len() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the live capture did not start within 20 s")
			}
			snd.Send(t, crafted.NBNSQuery(1, uint16(sent), "PROBE"))
			sent++
			time.Sleep(20 * time.Millisecond)
		}
		for i := 0; i < 6000; i++ {
			snd.Send(t, crafted.NBNSQuery(byte(2+i%200), uint16(i), "HOST"+itoa(i%500)))
			sent++
			if i%200 == 199 {
				for d := time.Now().Add(10 * time.Second); l.Sample().Frames.Len() < sent && time.Now().Before(d); {
					time.Sleep(time.Millisecond)
				}
			}
		}
		for d := time.Now().Add(10 * time.Second); l.Sample().Frames.Len() < sent && time.Now().Before(d); {
			time.Sleep(time.Millisecond)
		}
		s := l.Sample()
		idx := s.Frames
		if idx.Len() < sent || idx.Oldest() <= 1 || idx.Bytes() > maxWindowBytes+maxWindowBytes/4 {
			t.Errorf("-w %v: %d frames of %d sent, the oldest held %d, %d bytes: want them all counted, a window within %d bytes",
				write, idx.Len(), sent, idx.Oldest(), idx.Bytes(), maxWindowBytes)
		}
		if _, ok := idx.Row(1); ok {
			t.Errorf("-w %v: frame 1 still listed", write)
		}
		if _, ok := idx.Row(idx.Len()); !ok {
			t.Errorf("-w %v: the latest frame is not listed", write)
		}
		if l.snapBytes > maxSnapshotBytes+snapshotBytes(s.Latest) {
			t.Errorf("-w %v: %d bytes of snapshots kept, over %d", write, l.snapBytes, maxSnapshotBytes)
		}
		f, err := l.Detail(1)
		if write {
			if err != nil || f.Number != 1 || !strings.Contains(string(output.AppendVerbose(nil, f)), "PROBE") {
				t.Errorf("-w: detail of frame 1, long gone from memory: %v", err)
			}
		} else if err == nil || !strings.Contains(err.Error(), "-w") {
			t.Errorf("without -w: detail of frame 1: %v, want an error saying it is gone and naming -w", err)
		}
		cancel()
		l.Wait()
	}
}

func sizeOfHost() uintptr { return unsafe.Sizeof(timeline.Host{}) }
