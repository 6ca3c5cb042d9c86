package output

import (
	"io"
	"strconv"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// StreamLoss is what the TCP streams on ports 139 and 445 lost over the
// capture, for the report (the frame loop counts it: engine.StreamLoss).
type StreamLoss struct {
	Gaps      int   // holes in a stream given up
	Lost      int64 // bytes not captured, in those holes
	Skipped   int64 // bytes skipped to find the next session packet
	Truncated int   // packets the end of their stream cut short
	Refused   int   // packets over a bound, skipped
}

// WriteReportStreams is WriteReport with a last section, "TCP streams":
// the bytes the capture lost on ports 139 and 445.
func WriteReportStreams(w io.Writer, s *timeline.Snapshot, l StreamLoss) error {
	if err := WriteReport(w, s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n== TCP streams (139, 445)\n  "+l.text()+"\n")
	return err
}

func (l StreamLoss) text() string {
	if l == (StreamLoss{}) {
		return "nothing lost"
	}
	return strconv.FormatInt(l.Lost, 10) + " bytes not captured in " + strconv.Itoa(l.Gaps) + " holes; " +
		strconv.FormatInt(l.Skipped, 10) + " bytes skipped to find a session packet; " +
		strconv.Itoa(l.Truncated) + " packets cut short by the end of their stream; " +
		strconv.Itoa(l.Refused) + " packets over a bound skipped"
}

// WriteReportJSONStreams is WriteReportJSON with a last member,
// "tcp_streams": the counts of StreamLoss.
func WriteReportJSONStreams(w io.Writer, s *timeline.Snapshot, l StreamLoss) error {
	b := AppendReportJSON(nil, s)
	b = b[:len(b)-1] // the closing brace
	o := jsonObj{b: b, comma: true}
	o.key("tcp_streams")
	so := newObj(o.b)
	so.int("gaps", int64(l.Gaps))
	so.int("bytes_lost", l.Lost)
	so.int("bytes_skipped", l.Skipped)
	so.int("truncated", int64(l.Truncated))
	so.int("refused", int64(l.Refused))
	o.b = so.end()
	b = append(o.b, '}', '\n')
	_, err := w.Write(b)
	return err
}
