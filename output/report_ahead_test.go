package output_test

import (
	"bufio"
	"bytes"
	"errors"
	"testing"

	"github.com/nbtsniff/nbtsniff/output"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// The sections after the workgroups written ahead on a goroutine of their
// own (long reports) make the report byte for byte the one written in
// line: on every lab capture, on a hostile state, on a state of 3,000 hosts
// and on one of several workgroups, with and without the predictions
// (themselves written ahead or not).
func TestReportTailAheadSame(t *testing.T) {
	snaps := map[string]*timeline.Snapshot{"hostile": hostileSnapshot(), "flood": floodSnapshot(3000), "groups": manyGroupsSnapshot()}
	for _, scen := range []string{"deadwins", "dmb", "election", "enum", "multihomed", "relay", "storm", "two-workgroups"} {
		_, snaps[scen] = labTimeline(t, scen)
	}
	defer output.SetTailAheadLinesForTest(output.SetTailAheadLinesForTest(0))
	defer output.SetPredictAheadRowsForTest(output.SetPredictAheadRowsForTest(0))
	for name, snap := range snaps {
		for _, predict := range []bool{false, true} {
			for _, predictRows := range []int{0, 1 << 30} {
				output.SetPredictAheadRowsForTest(predictRows)
				opt := output.ReportOptions{Predict: predict}
				output.SetTailAheadLinesForTest(0)
				var ahead, inline bytes.Buffer
				if err := output.WriteReportWith(&ahead, snap, opt); err != nil {
					t.Fatal(err)
				}
				output.SetTailAheadLinesForTest(1 << 30)
				if err := output.WriteReportWith(&inline, snap, opt); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(ahead.Bytes(), inline.Bytes()) {
					t.Errorf("%s (predict %v, ahead rows %d): the report with its tail written ahead differs:\n%s\nwant\n%s",
						name, predict, predictRows, ahead.Bytes(), inline.Bytes())
				}
				if n := bytes.Count(inline.Bytes(), []byte("\n== ")); n < len(snap.Groups) {
					t.Errorf("%s: %d sections for %d workgroups in\n%s", name, n, len(snap.Groups), inline.Bytes())
				}
			}
		}
	}
}

// manyGroupsSnapshot is the flood's state spread over six workgroups of
// different sizes, each with its own Browse List.
func manyGroupsSnapshot() *timeline.Snapshot {
	s := floodSnapshot(600)
	g0 := s.Groups[0]
	var groups []*timeline.Group
	for i, name := range []string{"ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT"} {
		g := *g0
		g.Workgroup = name
		n := min(len(g0.Servers), 20+i*90)
		g.Servers = g0.Servers[:n]
		groups = append(groups, &g)
	}
	s.Groups = groups
	return s
}

// A report written into a bufio.Writer (the command's output) is written
// into it as it is, not through a buffer of its own: the same bytes as
// into a plain writer, left in the writer's buffer for its owner to flush
// when they fit there (one Write below it then), and the error the writer
// met returned.
func TestReportIntoBufferedWriter(t *testing.T) {
	for name, snap := range map[string]*timeline.Snapshot{"flood": floodSnapshot(3000), "hostile": hostileSnapshot()} {
		var plain bytes.Buffer
		if err := output.WriteReportWith(&plain, snap, output.ReportOptions{Predict: true}); err != nil {
			t.Fatal(err)
		}
		var got countingBuffer
		bw := bufio.NewWriterSize(&got, 1<<24)
		if err := output.WriteReportWith(bw, snap, output.ReportOptions{Predict: true}); err != nil {
			t.Fatal(err)
		}
		if bw.Buffered() != plain.Len() || got.writes != 0 {
			t.Errorf("%s: %d bytes left in the writer's buffer and %d writes below it, want %d and 0", name, bw.Buffered(), got.writes, plain.Len())
		}
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), plain.Bytes()) {
			t.Errorf("%s: the report into a bufio.Writer differs:\n%s\nwant\n%s", name, got.Bytes(), plain.Bytes())
		}
		if got.writes != 1 {
			t.Errorf("%s: %d writes below the bufio.Writer, want 1 (the report buffered again on its way)", name, got.writes)
		}
		// A writer that fails: its error is the report's.
		small := bufio.NewWriterSize(failWriter{}, 4096)
		if err := output.WriteReportWith(small, snap, output.ReportOptions{Predict: true}); err != errFail {
			t.Errorf("%s: into a failing writer: error %v, want %v", name, err, errFail)
		}
	}
}

var errFail = errors.New("write failed")

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, errFail }

// countingBuffer is a bytes.Buffer that counts its Write calls.
type countingBuffer struct {
	bytes.Buffer
	writes int
}

func (b *countingBuffer) Write(p []byte) (int, error) {
	b.writes++
	return b.Buffer.Write(p)
}
