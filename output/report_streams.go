package output

import (
	"strconv"
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

// streamsSection is the report's last section, "TCP streams": the bytes
// the capture lost on ports 139 and 445 (ReportOptions.Streams).
func streamsSection(l StreamLoss) string {
	return "\n== TCP streams (139, 445)\n  " + l.text() + "\n"
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

// appendStreamsJSON ends the report's JSON document b (its closing brace
// included) with a last member, "tcp_streams": the counts of l.
func appendStreamsJSON(b []byte, l StreamLoss) []byte {
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
	return append(o.b, '}')
}
