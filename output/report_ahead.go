package output

import (
	"bufio"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// tailAheadLines is the estimated length in lines of a report (reportLines)
// from which the sections after the workgroups are written on a goroutine
// of their own while the report writes the workgroups (tailAhead): below
// it the whole report takes well under a millisecond.
var tailAheadLines = 1024

// reportLines estimates the lines of the report of s: the workgroup
// sections (headings, role history, elections and their candidates, Browse
// List, lists), the diagnoses, the names and the anomalies.
func reportLines(s *timeline.Snapshot) int {
	n := 6*len(s.Diagnoses) + len(s.Names) + 2*len(s.Anomalies)
	for _, g := range s.Groups {
		n += 12 + len(g.Roles) + len(g.Servers) + len(g.Lists) + len(g.Removed)
		for _, e := range g.Elections {
			n += 4 + len(e.Candidates)
		}
	}
	return n
}

// tailAhead starts writing the sections after the workgroups (tail: the
// predictions, segments, links, names, LMHOSTS findings and anomalies) on
// a goroutine of their own, in chunks the report writes at their place
// once it has written the workgroups (aheadChunks.writeTo); it returns nil
// when the report is short. The tail is made from s, r.opt and r.labels
// alone, which the report's goroutine only reads from then on (the table
// and time caches are the writing reporter's own), so the report is byte
// for byte the one written in line (TestReportTailAheadSame). On the dense
// mix's --report (24 workgroups, 1,024 anomalies, 716 KB of text) the
// workgroups took about 1.5 ms of the report's 2.6 and the tail about 1.2:
// see bench/README.md, session 16, branch s16-start.
//
// When the predictions are written ahead too (r.ahead), the goroutine
// writes the sections after them only (afterPredictions), and the report
// writes the predictions' chunks and then its chunks: the predictions'
// megabytes of a flood went through the tail's goroutine, copied into
// chunks of fresh memory once more (some 350 page faults at the end of a
// 10,000-host --report: session 19, s19-hosts).
func (r *reporter) tailAhead(s *timeline.Snapshot) *aheadChunks {
	if reportLines(s) < tailAheadLines {
		return nil
	}
	a := &aheadChunks{full: make(chan []byte, aheadChunksMax), free: make(chan []byte, aheadChunksMax),
		afterPredictions: r.ahead != nil}
	tr := &reporter{w: bufio.NewWriterSize(a, chunkSize), opt: r.opt, labels: r.labels}
	go func() {
		if a.afterPredictions {
			tr.afterPredictions(s)
		} else {
			tr.tail(s)
		}
		tr.w.Flush()
		close(a.full)
	}()
	return a
}
