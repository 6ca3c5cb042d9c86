package timeline

import (
	"io"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// WriteReportJSON writes the snapshot as one JSON document (the same
// content as the text report), followed by a newline. Keys come in a fixed
// order and times in TimeFormat, so equal states give equal bytes.
func WriteReportJSON(w io.Writer, s *Snapshot) error {
	b := s.AppendJSON(nil)
	b = append(b, '\n')
	_, err := w.Write(b)
	return err
}

// MarshalJSON is AppendJSON.
func (s *Snapshot) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// AppendJSON appends the JSON document.
func (s *Snapshot) AppendJSON(b []byte) []byte {
	o := newObj(b)
	o.time("time", s.Time)
	o.time("first", s.First)
	o.time("last", s.Last)
	o.int("observations", int64(s.Observations))
	o.key("groups")
	o.b = appendJSONArray(o.b, s.Groups)
	o.key("segments")
	o.b = append(o.b, '[')
	for i, sg := range s.Segments {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		so := newObj(o.b)
		so.str("segment", sg.Segment)
		so.key("domains")
		so.b = appendJSONArray(so.b, sg.Domains)
		o.b = so.end()
	}
	o.b = append(o.b, ']')
	o.key("links")
	o.b = append(o.b, '[')
	for i, l := range s.Links {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		lo := newObj(o.b)
		lo.str("workgroup", l.Workgroup)
		lo.str("lmb", l.LMB)
		lo.str("lmb_segment", l.LMBSegment)
		lo.str("dmb", l.DMB)
		lo.str("dmb_segment", l.DMBSegment)
		lo.time("first", l.First)
		lo.time("last", l.Last)
		lo.ints("frames", l.Frames)
		o.b = lo.end()
	}
	o.b = append(o.b, ']')
	o.key("names")
	o.b = appendJSONArray(o.b, s.Names)
	o.key("hosts")
	o.b = append(o.b, '[')
	for i, h := range s.Hosts {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		ho := newObj(o.b)
		ho.str("segment", h.Segment)
		ho.str("name", h.Name)
		ho.addr("addr", h.Addr)
		ho.strOpt("workgroup", h.Workgroup)
		ho.time("first_seen", h.FirstSeen)
		ho.time("last_seen", h.LastSeen)
		if h.Ballot != nil {
			ho.raw("ballot", appendBallotJSON(nil, *h.Ballot))
			ho.time("ballot_at", h.BallotAt)
		}
		o.b = ho.end()
	}
	o.b = append(o.b, ']')
	o.key("anomalies")
	o.b = append(o.b, '[')
	for i, a := range s.Anomalies {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		ao := newObj(o.b)
		ao.time("time", a.Time)
		ao.int("frame", int64(a.Frame))
		ao.str("kind", a.Kind.String())
		ao.str("segment", a.Segment)
		ao.str("workgroup", a.Workgroup)
		ao.str("host", a.Host)
		ao.str("detail", a.Detail)
		ao.ints("frames", a.Frames)
		o.b = ao.end()
	}
	o.b = append(o.b, ']')
	o.strs("limits", s.Limits)
	return o.end()
}

// appendJSONArray prints the objects of v as a JSON array.
func appendJSONArray[T interface{ appendJSON([]byte) []byte }](b []byte, v []T) []byte {
	b = append(b, '[')
	for i, e := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.appendJSON(b)
	}
	return append(b, ']')
}

func osVersion(maj, min uint8) string {
	return strconv.Itoa(int(maj)) + "." + strconv.Itoa(int(min))
}

func (e *Server) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.str("name", e.Name)
	o.str("kind", e.Kind)
	o.hex("type", uint64(e.Type), 8)
	o.str("type_names", dissect.ServerType(e.Type).String())
	o.str("os_version", osVersion(e.OSMajor, e.OSMinor))
	o.str("comment", e.Comment)
	o.int("periodicity_ms", int64(e.Periodicity/time.Millisecond))
	o.int("update_count", int64(e.UpdateCount))
	o.addr("addr", e.Addr)
	o.str("source", e.Source)
	o.time("first_seen", e.FirstSeen)
	o.time("last_seen", e.LastSeen)
	o.time("expires", e.Expires)
	o.int("first_frame", int64(e.FirstFrame))
	o.int("last_frame", int64(e.LastFrame))
	o.ints("frames", e.Frames)
	return o.end()
}

func (s *ServerListSnapshot) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.time("time", s.Time)
	o.int("frame", int64(s.Frame))
	o.str("server", s.Server)
	o.addr("server_addr", s.ServerAddr)
	o.addr("client", s.Client)
	o.str("domain", s.Domain)
	o.hex("type_mask", uint64(s.TypeMask), 8)
	o.int("level", int64(s.Level))
	o.int("status", int64(s.Status))
	o.int("entry_count", int64(s.EntryCount))
	o.int("available", int64(s.Available))
	o.bool("truncated", s.Truncated)
	o.bool("sync", s.Sync)
	o.boolOpt("unchecked", s.Unchecked)
	o.key("entries")
	o.b = append(o.b, '[')
	for i, e := range s.Entries {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		eo := newObj(o.b)
		eo.str("name", e.Name)
		if s.Level > 0 {
			eo.hex("type", uint64(e.ServerType), 8)
			eo.str("os_version", osVersion(e.OSMajor, e.OSMinor))
			eo.str("comment", e.Comment)
		}
		o.b = eo.end()
	}
	o.b = append(o.b, ']')
	o.strs("missing", s.Missing)
	o.strs("extra", s.Extra)
	if len(s.Different) > 0 {
		o.key("different")
		o.b = append(o.b, '[')
		for i, d := range s.Different {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			do := newObj(o.b)
			do.str("name", d.Name)
			do.str("field", d.Field)
			do.str("listed", d.Listed)
			do.str("announced", d.Announced)
			o.b = do.end()
		}
		o.b = append(o.b, ']')
	}
	return o.end()
}

func (ri *RoleInterval) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.str("host", ri.Host)
	o.addr("addr", ri.Addr)
	o.str("role", ri.Role.String())
	o.time("begin", ri.Begin)
	o.int("begin_frame", int64(ri.BeginFrame))
	o.str("begin_reason", ri.BeginReason)
	o.time("end", ri.End)
	if !ri.End.IsZero() {
		o.int("end_frame", int64(ri.EndFrame))
		o.str("end_reason", ri.EndReason)
	}
	o.intOpt("election", int64(ri.Election))
	o.ints("frames", ri.Frames)
	return o.end()
}

func (e *ElectionRecord) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.int("id", int64(e.ID))
	o.time("start", e.Start)
	o.int("start_frame", int64(e.StartFrame))
	o.str("started_by", e.StartedBy)
	o.bool("forced", e.Forced)
	o.strOpt("incumbent", e.Incumbent)
	o.intOpt("incumbent_end_frame", int64(e.IncumbentEnd))
	o.bool("running", e.Running)
	o.time("end", e.End)
	o.intOpt("end_frame", int64(e.EndFrame))
	o.strOpt("outcome", e.Outcome.String())
	o.strOpt("winner", e.Winner)
	o.strOpt("runner_up", e.RunnerUp)
	o.strOpt("why", e.Why)
	o.bool("flagged", e.Flagged)
	o.strOpt("flag_detail", e.FlagDetail)
	o.key("candidates")
	o.b = append(o.b, '[')
	for i, c := range e.Candidates {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		co := newObj(o.b)
		co.str("host", c.Host)
		co.addr("addr", c.Addr)
		co.raw("ballot", appendBallotJSON(nil, c.Ballot))
		co.int("ballots", int64(c.Ballots))
		co.int("first_frame", int64(c.FirstFrame))
		co.int("last_frame", int64(c.LastFrame))
		co.bool("dropped", c.Dropped)
		if c.Dropped {
			co.time("dropped_at", c.DroppedAt)
			co.int("dropped_frame", int64(c.DroppedFrame))
			co.str("dropped_by", c.DroppedBy)
		}
		co.boolOpt("went_away", c.WentAway)
		o.b = co.end()
	}
	o.b = append(o.b, ']')
	o.key("rounds")
	o.b = append(o.b, '[')
	for i, r := range e.Rounds {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		ro := newObj(o.b)
		ro.int("n", int64(r.N))
		ro.time("time", r.Time)
		ro.int("frame", int64(r.Frame))
		ro.str("host", r.Host)
		ro.raw("ballot", appendBallotJSON(nil, r.Ballot))
		o.b = ro.end()
	}
	o.b = append(o.b, ']')
	o.intOpt("rounds_dropped", int64(e.RoundsDropped))
	return o.end()
}

func (g *Group) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.str("segment", g.Segment)
	o.str("workgroup", g.Workgroup)
	o.key("lmb")
	o.b = appendStrList(o.b, g.LMB)
	o.key("dmb")
	o.b = appendStrList(o.b, g.DMB)
	o.key("pdc")
	o.b = appendStrList(o.b, g.PDC)
	o.key("backups")
	o.b = appendStrList(o.b, g.Backups)
	o.key("potentials")
	o.b = appendStrList(o.b, g.Potentials)
	o.key("servers")
	o.b = appendJSONArray(o.b, g.Servers)
	o.key("roles")
	o.b = appendJSONArray(o.b, g.Roles)
	o.key("elections")
	o.b = appendJSONArray(o.b, g.Elections)
	o.key("lists")
	o.b = appendJSONArray(o.b, g.Lists)
	return o.end()
}

func appendStrList(b []byte, v []string) []byte {
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func (n *NameState) appendJSON(b []byte) []byte {
	o := newObj(b)
	o.str("segment", n.Segment)
	o.str("name", n.Name)
	o.hex("suffix", uint64(n.Suffix), 2)
	o.str("meaning", dissect.NameSuffixMeaning(n.Suffix, n.Group))
	o.bool("group", n.Group)
	o.key("owners")
	o.b = append(o.b, '[')
	for i, w := range n.Owners {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		wo := newObj(o.b)
		wo.addr("addr", w.Addr)
		wo.strOpt("host", w.Host)
		wo.strOpt("node_type", w.NodeType)
		wo.strOpt("via", w.Via)
		if w.TTL != 0 {
			wo.int("ttl", int64(w.TTL))
		}
		wo.time("registered", w.Registered)
		wo.intOpt("registered_frame", int64(w.RegFrame))
		wo.timeOpt("refreshed", w.Refreshed)
		wo.time("released", w.Released)
		wo.intOpt("released_frame", int64(w.RelFrame))
		wo.bool("wins_confirmed", w.WINSConfirmed)
		wo.bool("refused", w.Refused)
		wo.bool("active", w.Active)
		o.b = wo.end()
	}
	o.b = append(o.b, ']')
	o.key("answers")
	o.b = append(o.b, '[')
	for i, a := range n.Answers {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		ao := newObj(o.b)
		ao.addr("addr", a.Addr)
		ao.addr("by", a.By)
		ao.time("first", a.First)
		ao.time("last", a.Last)
		ao.int("frame", int64(a.Frame))
		o.b = ao.end()
	}
	o.b = append(o.b, ']')
	o.int("conflicts", int64(n.Conflicts))
	o.int("negatives", int64(n.Negatives))
	o.time("last", n.Last)
	return o.end()
}
