package lmhosts

import (
	"errors"
	"io"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/engine"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// labState replays a lab capture (testdata/pcaps) into a timeline and
// returns its final state.
func labState(t *testing.T, scen string) *timeline.Snapshot {
	t.Helper()
	path := filepath.Join("..", "testdata", "pcaps", scen+".pcapng")
	src, err := capture.OpenFile(scen+"="+path, 0)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer src.Close()
	cfg := engine.DefaultConfig()
	cfg.Labels = []string{scen}
	eng := engine.New(cfg)
	tr := timeline.New(timeline.DefaultConfig(), nil)
	ad := timeline.NewAdapter()
	var last time.Time
	var pkt capture.Packet
	for {
		err := src.Next(&pkt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		f := eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		for _, o := range ad.FromFrame(f) {
			tr.Observe(o)
		}
		last = pkt.CI.Timestamp
	}
	tr.Finish(last)
	return tr.Snapshot()
}

// The spoof capture (testdata/lab/EXPECTED.md): ALPHA is 198.18.1.11 and
// BRAVO 198.18.1.12; SPOOF (198.18.1.66) answers ALPHA<00> (frames 100,
// 144) and BRAVO<00> (104) with its own address. A file that gives ALPHA
// and BRAVO their real addresses is contradicted by those answers only
// (the state keeps the first frame of each answered address);
// CHARLIE's entry, right, is not.
func TestCheckSpoof(t *testing.T) {
	s := labState(t, "spoof")
	f := ParseBytes([]byte("198.18.1.11 ALPHA #PRE\n198.18.1.12 BRAVO\n198.18.1.13 CHARLIE\n"))
	got := Check(f, s)
	spoof := netip.MustParseAddr("198.18.1.66")
	byName := map[string]Finding{}
	for _, x := range got {
		if x.Kind != OtherAddress || x.WireAddr != spoof {
			t.Errorf("unexpected finding %+v", x)
			continue
		}
		byName[x.Name] = x
	}
	if x, ok := byName["ALPHA"]; !ok || !slices.Contains(x.Frames, 100) || x.Line != 1 {
		t.Errorf("ALPHA: %+v", x)
	}
	if x, ok := byName["BRAVO"]; !ok || !slices.Contains(x.Frames, 104) || x.Line != 2 {
		t.Errorf("BRAVO: %+v", x)
	}
	if len(byName) != 2 {
		t.Errorf("findings for %d names, want ALPHA and BRAVO: %+v", len(byName), got)
	}
	if x := byName["ALPHA"]; !strings.Contains(x.Text, "answered with 198.18.1.66 by 198.18.1.66 (frame 100)") {
		t.Errorf("text: %s", x.Text)
	}
}

// The os255 capture: DMB (198.18.1.11) is a Samba domain master browser,
// not a domain controller: its announcements (type 0x000c9a03, then
// 0x00099a03) carry no SV_TYPE_DOMAIN_CTRL bit, so a #DOM: entry for it is
// contradicted; WS1 is 198.18.1.12, not the file's .99.
func TestCheckOS255(t *testing.T) {
	s := labState(t, "os255")
	f := ParseBytes([]byte("198.18.1.11 DMB #PRE #DOM:LABWG\n198.18.1.99 WS1\n198.18.1.20 BIGOS\n"))
	got := Check(f, s)
	var kinds []string
	for _, x := range got {
		kinds = append(kinds, x.Kind.String()+" "+x.Name+" "+x.WireAddr.String())
	}
	want := []string{"not_domain_controller DMB invalid IP", "other_address WS1 198.18.1.12"}
	slices.Sort(kinds)
	if !slices.Equal(kinds, want) {
		t.Fatalf("findings %q, want %q", kinds, want)
	}
	for _, x := range got {
		if x.Kind == NotDomainController && (!strings.Contains(x.Text, "#DOM:") || len(x.Frames) != 1) {
			t.Errorf("DMB: %+v", x)
		}
	}
}

// multihomed: MULTI has 198.18.1.21 and 198.18.1.22 on one segment; it
// registers its names from .22 and announces from both. A file giving it
// both (#MH) is not contradicted; a file giving it .21 alone is, by .22.
func TestCheckMultihomed(t *testing.T) {
	s := labState(t, "multihomed")
	if got := Check(ParseBytes([]byte("198.18.1.21 MULTI #MH\n198.18.1.22 MULTI #MH\n")), s); len(got) != 0 {
		t.Errorf("both addresses: %+v", got)
	}
	got := Check(ParseBytes([]byte("198.18.1.21 MULTI\n")), s)
	if len(got) != 1 || got[0].WireAddr != netip.MustParseAddr("198.18.1.22") || got[0].Kind != OtherAddress {
		t.Fatalf("one address: %+v", got)
	}
	if !strings.Contains(got[0].Text, "MULTI<00> was registered from 198.18.1.22") {
		t.Errorf("text: %s", got[0].Text)
	}
}
