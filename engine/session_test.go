package engine

import (
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// An engine that defers the session packets and a second engine that
// decodes them into a copy of each frame make, frame for frame, what one
// engine makes, with the protocol tree, with only some fields, and with
// none (the timeline's typed messages are compared by their count).
func TestDeferredSessionsDecodeAsOneEngine(t *testing.T) {
	caps := sharedAndLabCaptures(t)
	configs := map[string]Config{
		"tree":   DefaultConfig(),
		"fields": {Needs: NewNeeds(Reads{Fields: []string{"smb.path", "nbss.type", "_ws.col.Info"}})},
		"none":   {Needs: NewNeeds(Reads{Timeline: true})},
	}
	deferred := 0
	for name, cfg := range configs {
		for _, c := range caps {
			r := openCapture(t, c)
			one := New(cfg)
			dcfg := cfg
			dcfg.DeferSessions = true
			stream, session := New(dcfg), New(cfg)
			var copy dissect.Frame
			var rec SessionRecord
			for n := 1; ; n++ {
				data, ci, err := r.ReadPacketData()
				if err != nil {
					break
				}
				want := one.Decode(data, ci, r.LinkType(), 0)
				wantText, wantMsgs := frameText(want), len(want.Msgs)
				f := stream.Decode(data, ci, r.LinkType(), 0)
				if stream.TakeSessions(&rec) {
					deferred++
					f.CopyTo(&copy)
					session.ApplySessions(&copy, &rec)
					f = &copy
				}
				if got := frameText(f); got != wantText || len(f.Msgs) != wantMsgs {
					t.Fatalf("%s (%s) frame %d: two stages\n%.600s\n(%d messages)\none engine\n%.600s\n(%d messages)", c, name, n, got, len(f.Msgs), wantText, wantMsgs)
				}
			}
		}
	}
	if deferred == 0 {
		t.Error("no frame had session packets: the test tests nothing")
	}
	t.Logf("%d frames decoded in two stages", deferred)
}
