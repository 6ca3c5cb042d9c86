package timeline

import (
	"net/netip"
	"sort"
	"time"
)

// The table of NBNS names, one NameState per segment, name and suffix,
// bounded by MaxNames, with an index of the WORKGROUP<1b> names (the domain
// master browser's, [MS-BRWS] §3.3) by workgroup.

// nameWG is the workgroup shown with a name event: the workgroup a browser
// or group name stands for, else the workgroup its owner announces.
func (t *Tracker) nameWG(seg, name string, suffix byte, group bool, host string) string {
	if wg := workgroupOf(name, suffix); wg != "" {
		return wg
	}
	if group && suffix == 0x00 {
		return name
	}
	if h := t.findHost(seg, host); h != nil {
		return h.wg
	}
	return ""
}

// workgroupOf is the workgroup a browser name stands for, "" for others.
func workgroupOf(name string, suffix byte) string {
	switch suffix {
	case 0x1b, 0x1c, 0x1d, 0x1e:
		return name
	}
	return ""
}

// nameState returns (creating) the record of a name.
func (t *Tracker) nameState(seg, name string, suffix byte, grp bool, now time.Time) *NameState {
	k := nameKey{seg, name, suffix}
	ns := t.names[k]
	if ns == nil {
		if len(t.names) >= t.cfg.MaxNames {
			old, _ := t.nameAge.oldest()
			key := nameKey{old.Segment, old.Name, old.Suffix}
			t.nameAge.remove(old)
			delete(t.names, key)
			if key.suffix == 0x1b {
				t.unindexDMBName(old)
			}
			if !t.limitSeen("MaxNames") {
				t.limit("MaxNames", "name table full: forgot "+displayName(old.Name, old.Suffix)+" on "+old.Segment)
			}
		}
		// Its time at once: its place in nameAge is the tail (in a
		// capture in order), not the head, found past every other.
		ns = &NameState{Segment: seg, Name: name, Suffix: suffix, Group: grp}
		if now.After(ns.Last) {
			ns.Last = now
		}
		t.names[k] = ns
		t.nameAge.add(ns)
		if suffix == 0x1b {
			t.dmbNames[name] = append(t.dmbNames[name], ns)
		}
	}
	if now.After(ns.Last) {
		ns.Last = now
		t.nameAge.later(ns)
	}
	return ns
}

// nameStateFrom is nameState for a caller that keeps the record it found
// last (an NBNS transaction: each request that starts it again asks for
// the same name): that record, if it is still in the table and is of
// seg, name and suffix, is the one; no lookup by two strings.
func (t *Tracker) nameStateFrom(last *NameState, seg, name string, suffix byte, grp bool, now time.Time) *NameState {
	if ns := last; ns != nil && ns.age.in && ns.Suffix == suffix && ns.Name == name && ns.Segment == seg {
		if now.After(ns.Last) {
			ns.Last = now
			t.nameAge.later(ns)
		}
		return ns
	}
	return t.nameState(seg, name, suffix, grp, now)
}

func (ns *NameState) owner(a netip.Addr) *Owner {
	for _, o := range ns.Owners {
		if o.Addr == a {
			return o
		}
	}
	return nil
}

func (ns *NameState) answer(a netip.Addr) *Answer {
	for _, x := range ns.Answers {
		if x.Addr == a {
			return x
		}
	}
	return nil
}

// addOwner appends o, dropping the oldest released owner when full.
func (ns *NameState) addOwner(o *Owner, max int) {
	if len(ns.Owners) >= max {
		drop := 0
		for i, x := range ns.Owners {
			if !x.Active {
				drop = i
				break
			}
		}
		ns.Owners = append(ns.Owners[:drop], ns.Owners[drop+1:]...)
	}
	ns.Owners = append(ns.Owners, o)
}

// unindexDMBName takes an evicted WORKGROUP<1b> name out of dmbNames.
func (t *Tracker) unindexDMBName(ns *NameState) {
	list := t.dmbNames[ns.Name]
	for i, x := range list {
		if x == ns {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(t.dmbNames, ns.Name)
	} else {
		t.dmbNames[ns.Name] = list
	}
}

// dmbNamesHeldBy lists the names wg<1b> (one per segment) that addr holds
// (active), sorted by segment and name. It allocates only when it finds
// one, which is rare: the common case is an announcement from a host
// that holds no <1b> name of its workgroup.
func (t *Tracker) dmbNamesHeldBy(wg string, addr netip.Addr) []*NameState {
	var out []*NameState
	for _, ns := range t.dmbNames[wg] {
		if o := ns.owner(addr); o != nil && o.Active {
			out = append(out, ns)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Segment+out[i].Name < out[j].Segment+out[j].Name })
	return out
}
