package timeline

import (
	"net/netip"
	"strings"
	"time"
)

// Builders for constructed observation sequences. Times are seconds after
// t0; addresses are 10.0.0.x on the segment "lan" (broadcast 10.0.0.255).

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const bcast = "10.0.0.255"

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

func ip(s string) netip.Addr {
	if !strings.Contains(s, ".") {
		s = "10.0.0." + s
	}
	return netip.MustParseAddr(s)
}

func dgram(frame int, sec float64, src, dst, srcName, dstName string, suffix byte) Meta {
	return Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(src), Dst: ip(dst), SrcName: srcName,
		DstName: dstName, DstSuffix: suffix}
}

// host announces itself to WG<1d> with the given type and period.
func hostAnn(frame int, sec float64, src, name, wg string, typ uint32, period time.Duration) *Announcement {
	return &Announcement{Meta: dgram(frame, sec, src, bcast, name, wg, 0x1d), Kind: HostAnnouncement, Server: name,
		ServerType: typ, Periodicity: period, OSMajor: 6, OSMinor: 1, Comment: "comment of " + name}
}

// lma is a LocalMasterAnnouncement to WG<1e>.
func lma(frame int, sec float64, src, name, wg string) *Announcement {
	return &Announcement{Meta: dgram(frame, sec, src, bcast, name, wg, 0x1e), Kind: LocalMasterAnnouncement, Server: name,
		ServerType: 0x00049a03, Periodicity: 12 * time.Minute, OSMajor: 6, OSMinor: 1, Comment: "comment of " + name}
}

// elect is a RequestElection to WG<1e>.
func elect(frame int, sec float64, src, name, wg string, version uint8, criteria, uptime uint32) *Election {
	return &Election{Meta: dgram(frame, sec, src, bcast, name, wg, 0x1e),
		Ballot: Ballot{Version: version, Criteria: criteria, Uptime: uptime, Name: name}}
}

// reg is a broadcast NBNS registration request.
func reg(frame int, sec float64, src string, id uint16, name string, suffix byte, group bool) *NameEvent {
	return &NameEvent{Meta: Meta{Time: at(sec), Frame: frame, Segment: "lan", Src: ip(src), Dst: ip(bcast)},
		Op: NameRegistration, Name: name, Suffix: suffix, Group: group, Addrs: []netip.Addr{ip(src)}, Bcast: true, ID: id}
}

// run feeds obs to a fresh tracker and finishes at end (0: the last time).
func run(cfg Config, end float64, obs ...Observation) ([]Event, *Snapshot) {
	var evs []Event
	tr := New(cfg, func(e Event) { evs = append(evs, e) })
	last := t0
	for _, o := range obs {
		tr.Observe(o)
		last = o.meta().Time
	}
	if end > 0 {
		last = at(end)
	}
	tr.Finish(last)
	return evs, tr.Snapshot()
}

// kinds filters events by kind.
func kinds(evs []Event, kind EventKind) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// anomalies filters the anomaly events of one kind.
func anomalies(evs []Event, kind AnomalyKind) []Event {
	var out []Event
	for _, e := range evs {
		if a, ok := e.Data.(*Anomaly); ok && a.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func roleEvents(evs []Event, kind EventKind, role Role) []Event {
	var out []Event
	for _, e := range evs {
		if rc, ok := e.Data.(*RoleChange); ok && e.Kind == kind && rc.Role == role {
			out = append(out, e)
		}
	}
	return out
}

// data is the Data of e as a T, or the zero T (nil) when it is not one.
func data[T EventData](e Event) T {
	d, _ := e.Data.(T)
	return d
}
