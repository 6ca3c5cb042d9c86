package timeline

import (
	"fmt"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// sessionFrame is frame n: an NBSS packet of type typ on TCP stream
// stream, a request calling called (from "C"+called).
func sessionFrame(n, stream int, typ dissect.NBSSType, called string) *dissect.Frame {
	m := &dissect.NBSS{Type: typ, ErrorCode: 0x82}
	m.CalledName.Raw = dissect.MakeName(called, 0x20)
	m.CallingName.Raw = dissect.MakeName("C"+called, 0x00)
	f := &dissect.Frame{Number: n}
	f.Net.HasIP, f.Net.IPProto, f.Net.TCPStream = true, 6, stream
	f.Msgs = append(f.Msgs, m)
	return f
}

// Two adapters that each see half the TCP connections and share one
// SessionBook, applied in frame order, answer who called whom as one
// adapter that sees every frame, also across the book's clearing when
// full: a request on connection 0, maxSessions requests on other
// connections (the last of them clears the book), then answers on
// connection 0 (forgotten) and on the latest connection (remembered).
// Each adapter with a book of its own would not have cleared (each has
// seen half as many connections) and would name connection 0's callers.
func TestSharedSessionBookAnswersAsOneAdapter(t *testing.T) {
	one := NewAdapter()
	split := [2]*Adapter{NewAdapter(), NewAdapter()}
	for i, a := range split {
		a.ShareSessions(i)
	}
	var book SessionBook
	var want, got []string
	frame := func(n, stream int, typ dissect.NBSSType, called string) {
		// Connection s goes to engine s%2, which numbers it s/2.
		for _, o := range one.FromFrame(sessionFrame(n, stream, typ, called)) {
			e := o.(*SessionEvent)
			want = append(want, e.Called+"/"+e.Calling)
		}
		a := split[stream%2]
		obs := a.FromFrame(sessionFrame(n, stream/2, typ, called))
		book.Apply(a.SessionNotes())
		for _, o := range obs {
			e := o.(*SessionEvent)
			got = append(got, e.Called+"/"+e.Calling)
		}
	}
	n := 1
	frame(n, 0, dissect.NBSSSessionRequest, "FIRST")
	for s := 1; s <= maxSessions; s++ {
		n++
		frame(n, s, dissect.NBSSSessionRequest, fmt.Sprintf("S%d", s))
	}
	frame(n+1, 0, dissect.NBSSNegativeSessionResponse, "")
	frame(n+2, maxSessions, dissect.NBSSNegativeSessionResponse, "")
	frame(n+3, maxSessions-1, dissect.NBSSRetargetSessionResponse, "")
	if len(want) != 3 || want[0] != "/" || want[1] != fmt.Sprintf("S%d/CS%d", maxSessions, maxSessions) {
		t.Fatalf("one adapter answered %q", want)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("adapters sharing a book answered %q, one adapter %q", got, want)
	}
}
