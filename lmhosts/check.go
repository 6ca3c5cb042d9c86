package lmhosts

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nbtsniff/nbtsniff/timeline"
)

// FindingKind says what the wire contradicts in an entry.
type FindingKind uint8

const (
	// OtherAddress: the name was registered, answered or announced from
	// (or answered with) an address the file does not give it.
	OtherAddress FindingKind = iota + 1
	// NotDomainController: a #DOM: entry for a host whose announcements
	// carry neither SV_TYPE_DOMAIN_CTRL nor SV_TYPE_DOMAIN_BAKCTRL.
	NotDomainController
)

// String is the name printed.
func (k FindingKind) String() string {
	switch k {
	case OtherAddress:
		return "other_address"
	case NotDomainController:
		return "not_domain_controller"
	}
	return "unknown"
}

// Finding is one entry the wire contradicts, with the frames that show it.
type Finding struct {
	Kind     FindingKind
	Line     int
	Name     string
	Addr     netip.Addr // the file's
	WireAddr netip.Addr // the wire's (OtherAddress)
	Segment  string
	Frames   []int
	Text     string
}

// SV_TYPE bits of a domain controller ([MS-RAP] §2.5.5.2).
const (
	svDomainCtrl    = 0x00000008
	svDomainBakctrl = 0x00000010
)

// Check compares f with the state s and returns the contradictions, in
// the file's order.
func Check(f *File, s *timeline.Snapshot) []Finding {
	addrs := map[string][]netip.Addr{} // every address the file gives a name
	for _, e := range f.Entries {
		k := upperASCII(e.Name)
		addrs[k] = append(addrs[k], e.Addr)
	}
	var out []Finding
	seen := map[string]bool{}
	for _, e := range f.Entries {
		k := upperASCII(e.Name)
		if !seen[k] {
			seen[k] = true
			out = append(out, otherAddress(e, addrs[k], s)...)
		}
		if e.Domain != "" {
			if x, ok := notDC(e, s); ok {
				out = append(out, x)
			}
		}
	}
	return out
}

func has(as []netip.Addr, a netip.Addr) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// otherAddress finds the wire's addresses for e's name that the file does
// not give it: unique names registered or answered, hosts announcing.
func otherAddress(e Entry, want []netip.Addr, s *timeline.Snapshot) []Finding {
	var out []Finding
	found := map[netip.Addr]int{} // index in out
	add := func(seg string, a netip.Addr, frame int, how string) {
		if !a.IsValid() || has(want, a) {
			return
		}
		i, ok := found[a]
		if !ok {
			i = len(out)
			found[a] = i
			out = append(out, Finding{Kind: OtherAddress, Line: e.Line, Name: e.Name, Addr: e.Addr, WireAddr: a, Segment: seg,
				Text: "LMHOSTS line " + strconv.Itoa(e.Line) + " gives " + e.Name + " the address " + e.Addr.String() + "; on the wire " + how})
		} else if len(out[i].Frames) < 8 {
			out[i].Text += "; " + how
		}
		if frame > 0 && len(out[i].Frames) < 8 {
			out[i].Frames = append(out[i].Frames, frame)
		}
	}
	for _, n := range s.Names {
		if n.Group || !strings.EqualFold(strings.TrimRight(n.Name, " "), e.Name) || (e.HasSuffix && n.Suffix != e.Suffix) {
			continue
		}
		for _, o := range n.Owners {
			add(n.Segment, o.Addr, o.RegFrame, n.Display()+" was registered from "+o.Addr.String()+" (frame "+strconv.Itoa(o.RegFrame)+")")
		}
		for _, a := range n.Answers {
			add(n.Segment, a.Addr, a.Frame, n.Display()+" was answered with "+a.Addr.String()+" by "+a.By.String()+" (frame "+strconv.Itoa(a.Frame)+")")
		}
	}
	if !e.HasSuffix {
		for _, h := range s.Hosts {
			if strings.EqualFold(h.Name, e.Name) {
				add(h.Segment, h.Addr, 0, h.Name+" sent browser frames from "+h.Addr.String())
			}
		}
	}
	return out
}

// notDC checks a #DOM: entry against the host's announcements: a domain
// controller sets SV_TYPE_DOMAIN_CTRL or SV_TYPE_DOMAIN_BAKCTRL. A host
// that announced nothing proves nothing.
func notDC(e Entry, s *timeline.Snapshot) (Finding, bool) {
	var last *timeline.Server
	var seg string
	for _, g := range s.Groups {
		for _, sv := range g.Servers {
			if sv.Source != timeline.SourceAnnouncement || !strings.EqualFold(sv.Name, e.Name) {
				continue
			}
			if sv.Type&(svDomainCtrl|svDomainBakctrl) != 0 {
				return Finding{}, false
			}
			if last == nil || sv.LastSeen.After(last.LastSeen) {
				last, seg = sv, g.Segment
			}
		}
		for _, r := range g.Removed {
			sv := &r.Server
			if sv.Source != timeline.SourceAnnouncement || !strings.EqualFold(sv.Name, e.Name) {
				continue
			}
			if sv.Type&(svDomainCtrl|svDomainBakctrl) != 0 {
				return Finding{}, false
			}
			if last == nil || sv.LastSeen.After(last.LastSeen) {
				last, seg = sv, g.Segment
			}
		}
	}
	if last == nil {
		return Finding{}, false
	}
	return Finding{Kind: NotDomainController, Line: e.Line, Name: e.Name, Addr: e.Addr, Segment: seg, Frames: []int{last.LastFrame},
		Text: "LMHOSTS line " + strconv.Itoa(e.Line) + " marks " + e.Name + " a domain controller of " + e.Domain + " (#DOM:), but its " +
			last.Kind + " (frame " + strconv.Itoa(last.LastFrame) + ", server type 0x" + strconv.FormatUint(uint64(last.Type)|1<<32, 16)[1:] +
			") has no domain controller bit (SV_TYPE_DOMAIN_CTRL 0x08, SV_TYPE_DOMAIN_BAKCTRL 0x10)"}, true
}
