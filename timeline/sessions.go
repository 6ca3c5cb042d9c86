package timeline

// NetBIOS sessions refused or retargeted (RFC 1002 §4.3.4 NEGATIVE SESSION
// RESPONSE, §4.3.5 SESSION RETARGET RESPONSE), and frames the decoders
// could not read: both are anomalies.

func sessionError(code uint8) string {
	switch code {
	case 0x80:
		return "0x80 Not listening on called name"
	case 0x81:
		return "0x81 Not listening for calling name"
	case 0x82:
		return "0x82 Called name not present"
	case 0x83:
		return "0x83 Called name present, but insufficient resources"
	case 0x8f:
		return "0x8f Unspecified error"
	}
	return hexString(uint64(code), 2)
}

func (t *Tracker) onSession(v *SessionEvent) {
	if !v.Negative && !v.Retarget {
		return
	}
	m := &v.Meta
	f := newFP('S')
	f.addr(m.Src)
	f.addr(m.Dst)
	f.str(v.Called)
	f.str(v.Calling)
	f.u64(uint64(v.ErrorCode))
	if t.duplicate(f, m.Time) {
		return
	}
	seg := t.segOfAddr(m.Segment, m.Src, m.Time)
	called, calling := t.canonName(v.Called), t.canonName(v.Calling)
	server := t.nameOf(m.Src)
	if server == "" {
		server = called
	}
	// The names come from the session request, which the capture may
	// have missed: then only the addresses are known.
	client := AddrString(m.Dst)
	if calling != "" {
		client = calling + " (" + client + ")"
	}
	to := ""
	if called != "" {
		to = " to " + called
	}
	if v.Negative {
		t.anomaly(AnomalySessionRefused, m.Time, m.Frame, seg, "", server, m.Src,
			"session request from "+client+to+" refused by "+AddrString(m.Src)+": "+sessionError(v.ErrorCode), frames(m.Frame))
	}
	if v.Retarget {
		t.anomaly(AnomalySessionRetarget, m.Time, m.Frame, seg, "", server, m.Src,
			"session request from "+client+to+" retargeted by "+AddrString(m.Src)+" to "+v.RetargetTo.String(),
			frames(m.Frame))
	}
}

func (t *Tracker) onDecodeProblem(v *DecodeProblem) {
	m := &v.Meta
	seg := t.locate(m)
	if v.Bound != "" {
		t.limitAt(v.Bound, v.Err, m.Time, m.Frame, seg)
		return
	}
	t.anomaly(AnomalyDecodeError, m.Time, m.Frame, seg, "", t.nameOf(m.Src), m.Src, v.Err, frames(m.Frame))
}
