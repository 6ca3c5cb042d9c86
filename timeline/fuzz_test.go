package timeline

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// FuzzTracker feeds arbitrary observation sequences (decoded from the fuzz
// input, 16 bytes per observation) to a tracker with small bounds and
// checks that it never panics, that events come out in time order, that
// every event carries the data of its kind, and that the bounds hold. The
// corpus is seeded with the observations of the lab captures. (output's
// tests print the events and reports.)
func FuzzTracker(f *testing.F) {
	for _, scen := range []string{"election", "storm", "dmb"} {
		obs := readObservations(f, labCapture(f, scen), scen)
		for i := 0; i+60 <= len(obs); i += 60 {
			f.Add(encodeObs(obs[i : i+60]))
		}
	}
	f.Add([]byte{})
	// Three ballots, the master in office's kept election ending at its
	// last ballot after a later event (found by the fuzzer).
	f.Add([]byte("\x0000\x80" + "0z0200000000" + "\x0400\x80" + "000000000000" + "\x0000\x80" + "000000000000"))
	// A kept election whose settle timer ends it after later events.
	f.Add([]byte("X00021000000000000A\x050z0000700000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := DefaultConfig()
		cfg.MaxHosts, cfg.MaxNames, cfg.MaxServers, cfg.MaxGroups = 8, 8, 8, 4
		cfg.MaxElections, cfg.MaxHistory, cfg.MaxAnomalies, cfg.MaxSnapshots, cfg.MaxRounds = 3, 4, 5, 2, 4
		var last time.Time
		tr := New(cfg, func(e Event) {
			// An election the master in office kept ends at its last
			// ballot, the frame it cites, and is known only
			// ElectionSettle later (timeline/README.md): that one event
			// may come up to ElectionSettle behind the others.
			if end, ok := e.Data.(*ElectionEnd); ok && end.Outcome == OutcomeKept && e.Kind == KindElectionEnd {
				if e.Time.Before(last.Add(-cfg.ElectionSettle)) {
					t.Fatalf("kept election.end at %v more than ElectionSettle (%v) after an event at %v", e.Time, cfg.ElectionSettle, last)
				}
			} else if e.Time.Before(last) {
				t.Fatalf("event %s at %v after one at %v", e.Kind, e.Time, last)
			}
			if e.Time.After(last) {
				last = e.Time
			}
			if err := checkData(&e); err != nil {
				t.Fatal(err)
			}
		})
		now := t0
		for len(data) >= 16 {
			var o Observation
			o, now = decodeObs(data[:16], now)
			data = data[16:]
			tr.Observe(o)
		}
		tr.Finish(now.Add(time.Hour))
		s := tr.Snapshot()
		if len(s.Hosts) > cfg.MaxHosts || len(s.Names) > cfg.MaxNames || len(s.Groups) > cfg.MaxGroups ||
			len(s.Anomalies) > cfg.MaxAnomalies {
			t.Fatalf("bounds: %d hosts, %d names, %d groups, %d anomalies", len(s.Hosts), len(s.Names), len(s.Groups), len(s.Anomalies))
		}
		if len(s.Groups) > 0 && len(s.Groups[0].Removed) > cfg.MaxHistory {
			t.Fatalf("bounds: %d removals kept", len(s.Groups[0].Removed))
		}
		// What happens next and --why read any state without failing.
		for _, p := range Predict(s) {
			if p.Winner != "" && (len(p.Contenders) == 0 || p.Contenders[0].Host != p.Winner) {
				t.Fatalf("winner %q is not the first contender: %+v", p.Winner, p.Contenders)
			}
		}
		Forecasts(s)
		for _, h := range s.Hosts {
			if x := Explain(s, h.Name, nil); !x.Found {
				t.Fatalf("host %q of the state not found", h.Name)
			}
			Explain(s, h.Addr.String(), nil)
			// and by its address as the output writes it (a NetBEUI
			// or IPX node's too: ParseNodeAddr).
			if x := Explain(s, AddrString(h.Addr), nil); h.Addr.IsValid() && !x.Found {
				t.Fatalf("host %q not found by its address %s", h.Name, AddrString(h.Addr))
			}
		}
	})
}

// checkData says whether e carries the Data its kind says (kinds.go).
func checkData(e *Event) error {
	ok := false
	switch e.Data.(type) {
	case *ElectionStart:
		ok = e.Kind == KindElectionStart
	case *ElectionBallot:
		ok = e.Kind == KindElectionBallot
	case *ElectionDropout:
		ok = e.Kind == KindElectionDropout
	case *ElectionEnd:
		ok = e.Kind == KindElectionEnd
	case *RoleChange:
		ok = e.Kind == KindRoleBegin || e.Kind == KindRoleEnd
	case *ServerChange:
		ok = e.Kind >= KindBrowseAdd && e.Kind <= KindBrowseRemove || e.Kind >= KindDomainAdd && e.Kind <= KindDomainRemove
	case *ServerListSnapshot:
		ok = e.Kind == KindBrowseList
	case *NameInfo:
		ok = e.Kind >= KindNameRegister && e.Kind <= KindNameAnswer
	case *Message:
		ok = e.Kind == KindMessage
	case *Anomaly:
		ok = e.Kind == KindAnomaly
	case *Diagnosis:
		ok = e.Kind == KindDiagnosis
	}
	if !ok {
		return fmt.Errorf("event %s at frame %d carries %T", e.Kind, e.Frame, e.Data)
	}
	return nil
}

var fuzzNames = []string{"ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "\x01\x02__MSBROWSE__\x02", "LABWG", "OTHER", "", "x\xff\x1b"}

func fuzzName(b byte) string { return fuzzNames[int(b)%len(fuzzNames)] }

func fuzzIndex(s string) byte {
	for i, n := range fuzzNames {
		if n == s {
			return byte(i)
		}
	}
	return byte(len(fuzzNames) - 2)
}

// decodeObs makes one observation of 16 bytes:
//
//	0 kind (÷12: NBT, NetBEUI, IPX)  1 time step (×100 ms)  2 source host  3 destination (0x80: broadcast)
//	4 source name  5 destination name  6 suffix  7 flags  8-11 number  12-15 number
func decodeObs(b []byte, now time.Time) (Observation, time.Time) {
	now = now.Add(time.Duration(b[1]) * 100 * time.Millisecond)
	m := Meta{Time: now, Frame: int(binary.LittleEndian.Uint16(b[12:])), Segment: "fz",
		Src: netip.AddrFrom4([4]byte{10, 0, b[2] >> 6, b[2] & 0x3f}), SrcName: fuzzName(b[4]), DstName: fuzzName(b[5]),
		DstSuffix: b[6], DstGroup: b[7]&1 != 0}
	if b[3]&0x80 != 0 {
		m.Dst = netip.AddrFrom4([4]byte{10, 0, b[3] & 3, 255})
	} else {
		m.Dst = netip.AddrFrom4([4]byte{10, 0, b[3] >> 5, b[3] & 0x1f})
	}
	if tr := Transport(b[0] / 12 % 3); tr != TransportNBT {
		// NetBEUI or IPX: node addresses, the segment's broadcast.
		m.Transport = tr
		m.Src = NodeAddr(tr, 0, [6]byte{0, 0x0c, 0x29, 0, b[2] >> 6, b[2] & 0x3f})
		m.Dst = NodeAddr(tr, 0, [6]byte{0, 0x0c, 0x29, 0, b[3] >> 5, b[3] & 0x1f})
		if b[3]&0x80 != 0 {
			m.Dst = nodeBroadcast(tr)
		}
	}
	x := binary.LittleEndian.Uint32(b[8:])
	y := uint32(b[14]) | uint32(b[15])<<8
	switch b[0] % 12 {
	case 0, 1, 2:
		kinds := []AnnouncementKind{HostAnnouncement, LocalMasterAnnouncement, DomainAnnouncement, LANMANAnnouncement}
		return &Announcement{Meta: m, Kind: kinds[int(b[7]>>1)%4], Server: fuzzName(b[5] + b[7]), ServerType: x,
			Periodicity: time.Duration(y) * time.Second, OSMajor: b[14], Comment: fuzzName(b[15])}, now
	case 3, 4:
		return &Election{Meta: m, Ballot: Ballot{Version: b[7] >> 6, Criteria: x, Uptime: y * 1000, Name: m.SrcName}}, now
	case 5:
		return &NameEvent{Meta: m, Op: NameOp(b[7] >> 4), Response: b[7]&2 != 0, RCode: b[14] & 7, Name: fuzzName(b[5]),
			Suffix: b[6], Group: b[7]&4 != 0, NodeType: b[15] & 3, Addrs: []netip.Addr{m.Src}, Bcast: b[7]&8 != 0,
			ID: uint16(x)}, now
	case 6:
		return &ResetBrowserState{Meta: m, Flags: b[7]}, now
	case 7:
		return &MasterAnnouncement{Meta: m, Master: m.SrcName}, now
	case 8:
		return &BackupListResponse{Meta: m, Token: x, Servers: []string{fuzzName(b[14]), fuzzName(b[15])}}, now
	case 9:
		n := int(b[15] % 4)
		l := &ServerList{Meta: m, Server: m.Src, Domain: fuzzName(b[6]), TypeMask: x, Level: uint16(b[7] & 1),
			Status: uint16(b[14]), EntryCount: n, Available: int(b[14] % 8)}
		for i := 0; i < n; i++ {
			l.Entries = append(l.Entries, ServerEntry{Name: fuzzName(b[5] + byte(i)), ServerType: x >> uint(i)})
		}
		return l, now
	case 10:
		return &SessionEvent{Meta: m, Called: m.DstName, Calling: m.SrcName, Negative: b[7]&1 != 0, Retarget: b[7]&2 != 0,
			ErrorCode: b[14]}, now
	default:
		return &AnnouncementRequest{Meta: m}, now
	}
}

// encodeObs writes real observations in decodeObs's format (lossy: names
// map to the fuzz pool), so the corpus starts from real sequences.
func encodeObs(obs []Observation) []byte {
	var out []byte
	var prev time.Time
	for _, o := range obs {
		m := o.meta()
		var b [16]byte
		step := time.Duration(0)
		if !prev.IsZero() {
			step = m.Time.Sub(prev) / (100 * time.Millisecond)
		}
		if step > 255 {
			step = 255
		}
		prev = m.Time
		b[1] = byte(step)
		s4, d4 := m.Src.As4(), m.Dst.As4()
		b[2] = s4[3] & 0x3f
		if d4[3] == 255 {
			b[3] = 0x80
		} else {
			b[3] = d4[3] & 0x1f
		}
		b[4], b[5], b[6] = fuzzIndex(m.SrcName), fuzzIndex(m.DstName), m.DstSuffix
		binary.LittleEndian.PutUint16(b[12:], uint16(m.Frame))
		switch v := o.(type) {
		case *Announcement:
			b[0] = 0
			binary.LittleEndian.PutUint32(b[8:], v.ServerType)
			b[7] = byte(map[AnnouncementKind]int{HostAnnouncement: 0, LocalMasterAnnouncement: 1, DomainAnnouncement: 2, LANMANAnnouncement: 3}[v.Kind]) << 1
		case *Election:
			b[0] = 3
			b[7] = v.Ballot.Version << 6
			binary.LittleEndian.PutUint32(b[8:], v.Ballot.Criteria)
		case *NameEvent:
			b[0] = 5
			b[7] = byte(v.Op) << 4
			if v.Response {
				b[7] |= 2
			}
			if v.Group {
				b[7] |= 4
			}
			if v.Bcast {
				b[7] |= 8
			}
			b[6] = v.Suffix
			binary.LittleEndian.PutUint32(b[8:], uint32(v.ID))
		case *ResetBrowserState:
			b[0], b[7] = 6, v.Flags
		case *MasterAnnouncement:
			b[0] = 7
		case *BackupListResponse:
			b[0] = 8
		case *ServerList:
			b[0] = 9
			binary.LittleEndian.PutUint32(b[8:], v.TypeMask)
		default:
			b[0] = 11
		}
		out = append(out, b[:]...)
	}
	return out
}
