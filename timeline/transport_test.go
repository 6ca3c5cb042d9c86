package timeline

import (
	"net/netip"
	"strings"
	"testing"
)

// Node addresses print as tshark writes them (eth.src, ipx.src), keep
// their transport, and are never taken for IP addresses.
func TestNodeAddr(t *testing.T) {
	mac := [6]byte{0x00, 0x0c, 0x29, 0x31, 0x0d, 0x01}
	for _, c := range []struct {
		a    netip.Addr
		tr   Transport
		text string
	}{
		{NodeAddr(TransportNetBEUI, 0, mac), TransportNetBEUI, "00:0c:29:31:0d:01"},
		{NodeAddr(TransportIPX, 0, mac), TransportIPX, "00000000.000c29310d01"},
		{NodeAddr(TransportIPX, 0xc0a80a01, mac), TransportIPX, "c0a80a01.000c29310d01"},
		{nodeBroadcast(TransportNetBEUI), TransportNetBEUI, "NetBEUI broadcast"},
		{nodeBroadcast(TransportIPX), TransportIPX, "IPX broadcast"},
		{netip.MustParseAddr("198.18.1.255"), TransportNBT, "198.18.1.255"},
		{netip.MustParseAddr("100::1"), TransportNBT, "100::1"},
		{netip.Addr{}, TransportNBT, "invalid IP"},
	} {
		if tr := AddrTransport(c.a); tr != c.tr {
			t.Errorf("AddrTransport(%v) = %v, want %v", c.a, tr, c.tr)
		}
		if s := AddrString(c.a); s != c.text {
			t.Errorf("AddrString(%v) = %q, want %q", c.a, s, c.text)
		}
		if isDirectedBroadcast(c.a) && c.tr != TransportNBT || canBroadcast(c.a, nodeBroadcast(TransportNetBEUI)) {
			t.Errorf("%v taken for an IP broadcast", c.a)
		}
	}
	if NodeAddr(TransportNBT, 0, mac).IsValid() {
		t.Error("NodeAddr(NBT) is valid")
	}
	if !isNodeBroadcast(nodeBroadcast(TransportIPX)) || isNodeBroadcast(NodeAddr(TransportIPX, 0, mac)) {
		t.Error("isNodeBroadcast")
	}
}

// legacyMeta is a frame of host n (its MAC or IPX node ends in n) on the
// "lan" capture source over tr, to WG<suffix>, broadcast.
func legacyMeta(tr Transport, frame int, sec float64, n byte, name, wg string, suffix byte) Meta {
	return Meta{Time: at(sec), Frame: frame, Segment: "lan", Transport: tr,
		Src: NodeAddr(tr, 0, [6]byte{0, 0x0c, 0x29, 0, 0, n}), Dst: nodeBroadcast(tr),
		SrcName: name, DstName: wg, DstSuffix: suffix, DstGroup: true}
}

// An election among NetBEUI hosts is held on the NetBEUI segment, apart
// from the NBT one of the same workgroup at the same time; its loser
// drops out at the winner's ballot, which it surely heard (no subnets
// there); the winner is named by its MAC address.
func TestNetBEUIElectionApart(t *testing.T) {
	evs, snap := run(DefaultConfig(), 0,
		elect(1, 0, "1", "NBTHOST", "WG", 1, 0x20010f00, 1000),
		&Election{Meta: legacyMeta(TransportNetBEUI, 2, 0.1, 7, "OLD", "WG", 0x1e),
			Ballot: Ballot{Version: 1, Criteria: 0x01010f00, Uptime: 500, Name: "OLD"}},
		&Election{Meta: legacyMeta(TransportNetBEUI, 3, 0.2, 8, "NEW", "WG", 0x1e),
			Ballot: Ballot{Version: 1, Criteria: 0x10010f00, Uptime: 900, Name: "NEW"}},
		&Announcement{Meta: legacyMeta(TransportNetBEUI, 4, 1.2, 8, "NEW", "WG", 0x1e), Kind: LocalMasterAnnouncement,
			Server: "NEW", ServerType: 0x00049a03, Periodicity: 12 * 60e9},
		lma(5, 1.5, "1", "NBTHOST", "WG"),
	)
	var segs []string
	for _, g := range snap.Groups {
		segs = append(segs, g.Segment+":"+strings.Join(g.LMB, ","))
	}
	if got := strings.Join(segs, " "); got != "lan/10.0.0.255:NBTHOST lan/NetBEUI:NEW" {
		t.Errorf("groups %s", got)
	}
	drops := kinds(evs, KindElectionDropout)
	if len(drops) != 1 || drops[0].Host != "OLD" || drops[0].Segment != "lan/NetBEUI" || strings.Contains(drops[0].Reason+drops[0].Detail, "uncertain") {
		t.Errorf("dropouts %+v", drops)
	}
	for _, e := range kinds(evs, KindElectionEnd) {
		if e.Segment == "lan/NetBEUI" && (e.Host != "NEW" || AddrString(e.Addr) != "00:0c:29:00:00:08") {
			t.Errorf("NetBEUI election end %+v (%s)", e, AddrString(e.Addr))
		}
	}
	if a := anomalies(evs, AnomalyMultiTransport); len(a) != 0 {
		t.Errorf("multi_transport %+v: no host is on two transports", a)
	}
}

// A host that ends the capture local master on IPX and not on NBT, where
// it runs a browser too and another host is master, is a multi_transport
// anomaly naming both; one master on both transports is not.
func TestMultiTransportMaster(t *testing.T) {
	ipxLMA := func(frame int, sec float64, n byte, name string) *Announcement {
		return &Announcement{Meta: legacyMeta(TransportIPX, frame, sec, n, name, "WG", 0x1e), Kind: LocalMasterAnnouncement,
			Server: name, ServerType: 0x00049a03, Periodicity: 12 * 60e9}
	}
	evs, _ := run(DefaultConfig(), 0,
		ipxLMA(1, 0, 5, "WFW"),
		hostAnn(2, 1, "5", "WFW", "WG", 0x00011203, 12*60e9),
		lma(3, 2, "9", "OTHER", "WG"),
	)
	a := anomalies(evs, AnomalyMultiTransport)
	if len(a) != 1 || a[0].Host != "WFW" || a[0].Segment != "lan/IPX" ||
		a[0].Detail != "WFW is the local master of WG on IPX, not on NBT (where OTHER is), where it runs a browser too: each binding elects its own master (prolific bindings)" {
		t.Fatalf("multi_transport = %+v", a)
	}
	if got := a[0].Frames; len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("frames %v, want [1 2]: the IPX master's announcement, the NBT one", got)
	}

	evs, _ = run(DefaultConfig(), 0,
		ipxLMA(1, 0, 5, "WFW"),
		lma(2, 1, "5", "WFW", "WG"),
	)
	if a := anomalies(evs, AnomalyMultiTransport); len(a) != 0 {
		t.Errorf("master on both transports: %+v", a)
	}
}

// A host sending each ballot over NBT and NetBEUI in turn is one
// multi_transport anomaly per run of elections, whichever transport comes
// first; the same again after bindingWindow of quiet is another.
func TestMultiTransportSameElection(t *testing.T) {
	beui := func(frame int, sec float64, criteria uint32) *Election {
		return &Election{Meta: legacyMeta(TransportNetBEUI, frame, sec, 5, "W98", "WG", 0x1e),
			Ballot: Ballot{Version: 1, Criteria: criteria, Uptime: 1000, Name: "W98"}}
	}
	evs, _ := run(DefaultConfig(), 0,
		elect(1, 0, "5", "W98", "WG", 1, 0x01041500, 1000),
		beui(2, 0.1, 0x01041500),
		elect(3, 1, "5", "W98", "WG", 1, 0x01041500, 2000),
		beui(4, 1.1, 0x01041500),
		beui(5, 2, 0x01041501), // another ballot: no match
		beui(6, 100, 0x01041500),
		elect(7, 100.2, "5", "W98", "WG", 1, 0x01041500, 3000),
	)
	a := anomalies(evs, AnomalyMultiTransport)
	if len(a) != 2 || a[0].Frame != 2 || a[0].Segment != "lan/NetBEUI" || a[1].Frame != 7 || a[1].Segment != "lan/10.0.0.255" {
		for _, x := range a {
			t.Logf("%d %s %s", x.Frame, x.Segment, x.Detail)
		}
		t.Fatalf("%d multi_transport anomalies, want frames 2 and 7", len(a))
	}
	if want := "W98 sent the same RequestElection (v1 0x01041500"; !strings.HasPrefix(a[0].Detail, want) ||
		!strings.Contains(a[0].Detail, "over NBT (frame 1) and NetBEUI (frame 2)") {
		t.Errorf("detail %q", a[0].Detail)
	}
}

// TestParseNodeAddr: a node address reads back from what AppendAddr
// writes (Explain finds an unnamed NetBEUI or IPX host by it), in either
// case; anything else is not one.
func TestParseNodeAddr(t *testing.T) {
	for _, a := range []netip.Addr{
		NodeAddr(TransportNetBEUI, 0, [6]byte{0, 0x0c, 0x29, 0x31, 0x0d, 0x01}),
		NodeAddr(TransportIPX, 0xdeadbeef, [6]byte{0, 0x0c, 0x29, 0x31, 0x0d, 0xff}),
	} {
		s := AddrString(a)
		for _, q := range []string{s, strings.ToUpper(s)} {
			if got, ok := ParseNodeAddr(q); !ok || got != a {
				t.Errorf("ParseNodeAddr(%q) = %v, %v; want %v", q, got, ok, a)
			}
		}
	}
	for _, q := range []string{"", "10.0.0.1", "00:0c:29:31:0d", "00-0c-29-31-0d-01", "00:0c:29:31:0d:0g", "00000000:000c29310d01", "0000000.0000c29310d01", "NetBEUI broadcast"} {
		if a, ok := ParseNodeAddr(q); ok {
			t.Errorf("ParseNodeAddr(%q) = %v, want none", q, a)
		}
	}
}

// A prediction on a NetBEUI or IPX segment is made among the hosts of
// that segment's broadcast, which its name says (".../NetBEUI"): its text
// names no audience, and never prints a node address as the IPv6 address
// the tracker keeps it as (it once said "among the hosts that accept
// 100:100::ffff:ffff:ffff").
func TestPredictionOnLegacySegment(t *testing.T) {
	for _, tr := range []Transport{TransportNetBEUI, TransportIPX} {
		_, snap := run(DefaultConfig(), 0,
			&Election{Meta: legacyMeta(tr, 1, 0.1, 7, "OLD", "WG", 0x1e),
				Ballot: Ballot{Version: 1, Criteria: 0x01010f00, Uptime: 500, Name: "OLD"}},
			&Election{Meta: legacyMeta(tr, 2, 0.2, 8, "NEW", "WG", 0x1e),
				Ballot: Ballot{Version: 1, Criteria: 0x10010f00, Uptime: 900, Name: "NEW"}},
		)
		preds := Predict(snap)
		if len(preds) != 1 {
			t.Fatalf("%v: %d predictions, want 1", tr, len(preds))
		}
		p := preds[0]
		if p.Segment != "lan/"+tr.String() || p.Audience != nodeBroadcast(tr) || p.Winner != "NEW" {
			t.Errorf("%v: prediction %s at %s among %s, winner %q", tr, p.Workgroup, p.Segment, AddrString(p.Audience), p.Winner)
		}
		if strings.Contains(p.Text, "accept") || strings.Contains(p.Text, "::") {
			t.Errorf("%v: %q", tr, p.Text)
		}
	}
	if a := segmentBroadcast("lan/198.18.1.255"); a != netip.MustParseAddr("198.18.1.255") {
		t.Errorf("segmentBroadcast of an NBT segment = %v", a)
	}
	if a := segmentBroadcast("lan"); a.IsValid() {
		t.Errorf("segmentBroadcast of a bare label = %v", a)
	}
}
