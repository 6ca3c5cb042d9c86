package output

import (
	"io"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/timeline"
)

// WriteReportJSON writes the snapshot as one JSON document (the content of
// the text report and the hosts), followed by a newline: --report=json.
// Keys come in a fixed order and times in timeline.TimeFormat, so equal
// states give equal bytes.
func WriteReportJSON(w io.Writer, s *timeline.Snapshot) error {
	return WriteReportJSONWith(w, s, ReportOptions{})
}

// WriteReportJSONWith is WriteReportJSON, saying what opt says too: an
// interrupted run has "interrupted_at" (the last frame read) first.
func WriteReportJSONWith(w io.Writer, s *timeline.Snapshot, opt ReportOptions) error {
	b := appendReportJSON(make([]byte, 0, jsonSizeHint(s, opt)), s, opt)
	if opt.Streams != nil {
		b = appendStreamsJSON(b, *opt.Streams)
	}
	b = append(b, '\n')
	_, err := w.Write(b)
	return err
}

// jsonSizeHint is a little more than the size of the JSON document of s
// most of the time (a Browse List entry takes about 500 bytes, a host
// 190, their forecasts 190 each): the document is made in one buffer,
// which so does not grow by copying itself (8.5 MB at 10,000 hosts).
func jsonSizeHint(s *timeline.Snapshot, opt ReportOptions) int {
	per := 640 // a Browse List entry
	if opt.Predict {
		per += 256 // and its forecast
	}
	n := 4096 + 512*len(s.Hosts) + 512*len(s.Names) + 1024*(len(s.Anomalies)+len(s.Diagnoses))
	for _, g := range s.Groups {
		n += 2048 + per*len(g.Servers) + 512*len(g.Roles) + 2048*len(g.Elections)
	}
	for _, sg := range s.Segments {
		n += 512 * len(sg.Domains)
	}
	return n
}

// AppendReportJSON appends the JSON document of WriteReportJSON, without
// its newline.
func AppendReportJSON(b []byte, s *timeline.Snapshot) []byte {
	return appendReportJSON(b, s, ReportOptions{})
}

func appendReportJSON(b []byte, s *timeline.Snapshot, opt ReportOptions) []byte {
	o := newObj(b)
	if opt.Interrupted {
		o.int("interrupted_at", int64(opt.InterruptedAt))
	}
	o.time("time", s.Time)
	o.time("first", s.First)
	o.time("last", s.Last)
	o.int("observations", int64(s.Observations))
	o.key("diagnoses")
	o.b = appendJSONArray(o.b, s.Diagnoses, appendDiagnosis)
	o.key("groups")
	o.b = appendJSONArray(o.b, s.Groups, appendGroup)
	o.key("segments")
	o.b = appendJSONArray(o.b, s.Segments, func(b []byte, sg *timeline.SegmentState) []byte {
		so := newObj(b)
		so.str("segment", sg.Segment)
		so.key("domains")
		so.b = appendJSONArray(so.b, sg.Domains, appendServer)
		return so.end()
	})
	o.key("links")
	o.b = appendJSONArray(o.b, s.Links, func(b []byte, l *timeline.Link) []byte {
		lo := newObj(b)
		lo.str("workgroup", l.Workgroup)
		lo.str("lmb", l.LMB)
		lo.str("lmb_segment", l.LMBSegment)
		lo.str("dmb", l.DMB)
		lo.str("dmb_segment", l.DMBSegment)
		lo.time("first", l.First)
		lo.time("last", l.Last)
		lo.ints("frames", l.Frames)
		return lo.end()
	})
	o.key("names")
	o.b = appendJSONArray(o.b, s.Names, appendNameState)
	o.key("hosts")
	o.b = appendJSONArray(o.b, s.Hosts, func(b []byte, h *timeline.Host) []byte {
		ho := newObj(b)
		ho.str("segment", h.Segment)
		ho.str("name", h.Name)
		ho.addr("addr", h.Addr)
		ho.strOpt("workgroup", h.Workgroup)
		ho.time("first_seen", h.FirstSeen)
		ho.time("last_seen", h.LastSeen)
		if h.Ballot != nil {
			ho.raw("ballot", appendBallot(nil, *h.Ballot))
			ho.time("ballot_at", h.BallotAt)
		}
		return ho.end()
	})
	o.key("anomalies")
	o.b = appendJSONArray(o.b, s.Anomalies, func(b []byte, a *timeline.Anomaly) []byte {
		ao := newObj(b)
		ao.time("time", a.Time)
		ao.int("frame", int64(a.Frame))
		ao.str("kind", a.Kind.String())
		ao.str("segment", a.Segment)
		ao.str("workgroup", a.Workgroup)
		ao.str("host", a.Host)
		ao.str("detail", a.Detail)
		ao.ints("frames", a.Frames)
		return ao.end()
	})
	o.strs("limits", s.Limits)
	o.ints("limit_hits", s.LimitHits)
	appendExtras(&o, s, opt)
	return o.end()
}

func osVersion(maj, min uint8) string {
	return strconv.Itoa(int(maj)) + "." + strconv.Itoa(int(min))
}

func appendServer(b []byte, e *timeline.Server) []byte {
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

func appendServerList(b []byte, s *timeline.ServerListSnapshot) []byte {
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
	o.b = appendJSONArray(o.b, s.Entries, func(b []byte, e timeline.ServerEntry) []byte {
		eo := newObj(b)
		eo.str("name", e.Name)
		if s.Level > 0 {
			eo.hex("type", uint64(e.ServerType), 8)
			eo.str("os_version", osVersion(e.OSMajor, e.OSMinor))
			eo.str("comment", e.Comment)
		}
		return eo.end()
	})
	o.strs("missing", s.Missing)
	o.strs("extra", s.Extra)
	if len(s.Different) > 0 {
		o.key("different")
		o.b = appendJSONArray(o.b, s.Different, func(b []byte, d timeline.EntryDiff) []byte {
			do := newObj(b)
			do.str("name", d.Name)
			do.str("field", d.Field)
			do.str("listed", d.Listed)
			do.str("announced", d.Announced)
			return do.end()
		})
	}
	return o.end()
}

func appendRole(b []byte, ri *timeline.RoleInterval) []byte {
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

func appendElection(b []byte, e *timeline.ElectionRecord) []byte {
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
	o.b = appendJSONArray(o.b, e.Candidates, func(b []byte, c *timeline.Candidate) []byte {
		co := newObj(b)
		co.str("host", c.Host)
		co.addr("addr", c.Addr)
		co.raw("ballot", appendBallot(nil, c.Ballot))
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
		return co.end()
	})
	o.key("rounds")
	o.b = appendJSONArray(o.b, e.Rounds, func(b []byte, r timeline.Round) []byte {
		ro := newObj(b)
		ro.int("n", int64(r.N))
		ro.time("time", r.Time)
		ro.int("frame", int64(r.Frame))
		ro.str("host", r.Host)
		ro.raw("ballot", appendBallot(nil, r.Ballot))
		return ro.end()
	})
	o.intOpt("rounds_dropped", int64(e.RoundsDropped))
	return o.end()
}

func appendGroup(b []byte, g *timeline.Group) []byte {
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
	o.b = appendJSONArray(o.b, g.Servers, appendServer)
	o.key("roles")
	o.b = appendJSONArray(o.b, g.Roles, appendRole)
	o.key("elections")
	o.b = appendJSONArray(o.b, g.Elections, appendElection)
	o.key("lists")
	o.b = appendJSONArray(o.b, g.Lists, appendServerList)
	return o.end()
}

func appendNameState(b []byte, n *timeline.NameState) []byte {
	o := newObj(b)
	o.str("segment", n.Segment)
	o.str("name", n.Name)
	o.hex("suffix", uint64(n.Suffix), 2)
	o.str("meaning", n.Meaning())
	o.bool("group", n.Group)
	o.key("owners")
	o.b = appendJSONArray(o.b, n.Owners, func(b []byte, w *timeline.Owner) []byte {
		wo := newObj(b)
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
		return wo.end()
	})
	o.key("answers")
	o.b = appendJSONArray(o.b, n.Answers, func(b []byte, a *timeline.Answer) []byte {
		ao := newObj(b)
		ao.addr("addr", a.Addr)
		ao.addr("by", a.By)
		ao.time("first", a.First)
		ao.time("last", a.Last)
		ao.int("frame", int64(a.Frame))
		return ao.end()
	})
	o.int("conflicts", int64(n.Conflicts))
	o.int("negatives", int64(n.Negatives))
	o.time("last", n.Last)
	return o.end()
}
