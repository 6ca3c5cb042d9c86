package output

import "github.com/nbtsniff/nbtsniff/timeline"

// AppendEvent appends the -T events object of e (no newline): time, frame,
// kind, segment, workgroup, host and addr first, in that order, then what
// its Data carries, then reason, detail and the evidence frames. Keys with
// nothing to say are left out. The output is a pure function of the
// event, so replaying a capture gives the same bytes.
func AppendEvent(b []byte, e *timeline.Event) []byte {
	o := newObj(b)
	o.time("time", e.Time)
	o.int("frame", int64(e.Frame))
	o.str("kind", e.Kind.String())
	o.str("segment", e.Segment)
	o.str("workgroup", e.Workgroup)
	o.str("host", e.Host)
	o.addr("addr", e.Addr)
	switch d := e.Data.(type) {
	case *timeline.Anomaly:
		o.strOpt("anomaly", d.Kind.String())
	case *timeline.RoleChange:
		o.strOpt("role", d.Role.String())
		o.intOpt("election", int64(d.Election))
	case *timeline.ElectionStart:
		o.intOpt("election", int64(d.Election))
		o.raw("ballot", appendBallot(nil, d.Ballot))
		o.bool("forced", d.Forced)
	case *timeline.ElectionBallot:
		o.intOpt("election", int64(d.Election))
		o.intOpt("round", int64(d.Round))
		o.raw("ballot", appendBallot(nil, d.Ballot))
	case *timeline.ElectionDropout:
		o.intOpt("election", int64(d.Election))
		o.strOpt("by", d.By)
	case *timeline.ElectionEnd:
		o.intOpt("election", int64(d.Election))
		o.strOpt("outcome", d.Outcome.String())
		o.strOpt("winner", d.Winner)
		o.strOpt("runner_up", d.RunnerUp)
		o.strOpt("why", d.Why)
		o.bool("flagged", d.Flagged)
	case *timeline.Message:
		o.strOpt("target", d.Target)
	case *timeline.ServerChange:
		o.raw("server", appendServer(nil, &d.Server))
		o.strs("changed", d.Changed)
	case *timeline.ServerListSnapshot:
		o.raw("list", appendServerList(nil, d))
	case *timeline.NameInfo:
		o.raw("name", appendNameInfo(nil, d))
	case *timeline.Diagnosis:
		o.appendDiagnosisFields(d)
	}
	o.strOpt("reason", e.Reason)
	o.strOpt("detail", e.Detail)
	o.ints("frames", e.Frames)
	return o.end()
}

// appendDiagnosisFields writes what a diagnosis says beyond the event
// header: its kind, hosts, confidence and its reason, text, fix and, when
// it was strengthened, how often.
func (o *jsonObj) appendDiagnosisFields(d *timeline.Diagnosis) {
	o.str("diagnosis", d.Kind.String())
	o.key("hosts")
	o.b = appendStrList(o.b, d.Hosts)
	o.str("confidence", d.Confidence.String())
	o.strOpt("confidence_reason", d.Basis)
	o.str("text", d.Text)
	o.str("fix", d.Fix)
	o.intOpt("update", int64(d.Updates))
}

// appendDiagnosis writes a diagnosis as one object (--report=json).
func appendDiagnosis(b []byte, d *timeline.Diagnosis) []byte {
	o := newObj(b)
	o.time("time", d.Time)
	o.time("first", d.First)
	o.int("frame", int64(d.Frame))
	o.str("kind", d.Kind.String())
	o.str("segment", d.Segment)
	o.str("workgroup", d.Workgroup)
	o.key("hosts")
	o.b = appendStrList(o.b, d.Hosts)
	o.addr("addr", d.Addr)
	o.str("confidence", d.Confidence.String())
	o.str("confidence_reason", d.Basis)
	o.str("text", d.Text)
	o.str("fix", d.Fix)
	o.int("updates", int64(d.Updates))
	o.ints("frames", d.Frames)
	return o.end()
}

func appendNameInfo(b []byte, n *timeline.NameInfo) []byte {
	o := newObj(b)
	o.str("name", n.Name)
	o.hex("suffix", uint64(n.Suffix), 2)
	o.str("meaning", n.Meaning())
	o.bool("group", n.Group)
	o.strOpt("node_type", n.NodeType)
	o.addrs("addrs", n.Addrs)
	if n.TTL != 0 {
		o.int("ttl", int64(n.TTL))
	}
	o.strOpt("op", n.Op)
	o.strOpt("via", n.Via)
	if n.RCode != 0 {
		o.int("rcode", int64(n.RCode))
	}
	return o.end()
}

// appendBallot writes a ballot with its criteria split into parts.
func appendBallot(b []byte, x timeline.Ballot) []byte {
	o := newObj(b)
	o.int("version", int64(x.Version))
	o.hex("criteria", uint64(x.Criteria), 8)
	o.int("os_level", int64(x.OSLevel()))
	o.str("browser_version", x.BrowserVersion())
	o.hex("role_bits", uint64(x.RoleBits()), 2)
	o.str("roles", x.Roles())
	o.int("uptime_ms", int64(x.Uptime))
	o.str("name", x.Name)
	o.boolOpt("forced", x.Forced())
	return o.end()
}
