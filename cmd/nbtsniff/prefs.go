package main

import (
	"fmt"
	"sort"
	"strings"
)

// tshark's -o PREF:VALUE, for the preferences that change what nbtsniff
// decodes. Each is either nbtsniff's behaviour already (accepted), mapped
// onto nbtsniff's own switch, or refused with the reason: never silently
// ignored. Names and defaults are tshark 4.0's (tshark -G defaultprefs).
type pref struct {
	// apply sets the option for a value; a nil apply accepts only the
	// value nbtsniff always has (fixed).
	apply func(o *options, on bool)
	fixed bool   // the only value nbtsniff supports, when apply is nil
	why   string // what the other value would ask for, and why it cannot be
}

var prefs = map[string]pref{
	"tcp.desegment_tcp_streams":     {fixed: true, why: "nbtsniff always reassembles the TCP streams of NBSS (ports 139, 445)"},
	"nbss.desegment_nbss_commands":  {fixed: true, why: "nbtsniff always reassembles NBSS messages over TCP segments"},
	"smb.trans_reassembly":          {fixed: true, why: "nbtsniff always reassembles SMB transactions (mailslot, browser, RAP)"},
	"ip.defragment":                 {fixed: true, why: "nbtsniff always reassembles IPv4 fragments"},
	"tcp.analyze_sequence_numbers":  {fixed: true, why: "nbtsniff always follows TCP sequence numbers"},
	"tcp.relative_sequence_numbers": {fixed: true, why: "tcp.seq and tcp.ack are relative; tcp.seq_raw and tcp.ack_raw are the raw numbers"},
	"tcp.check_checksum":            {fixed: false, why: "nbtsniff does not verify checksums (tcp.checksum.status is 2, Unverified)"},
	"udp.check_checksum":            {fixed: false, why: "nbtsniff does not verify checksums (udp.checksum.status is 2, Unverified)"},
	"ip.check_checksum":             {fixed: false, why: "nbtsniff does not verify checksums (ip.checksum.status is 2, Unverified)"},
	// tshark's default (FALSE) gives a TCP hole up as soon as later data
	// comes; nbtsniff's default waits for the missing segment.
	"tcp.reassemble_out_of_order": {apply: func(o *options, on bool) { o.tcpHoles = !on }},
}

func prefNames() string {
	var n []string
	for k := range prefs {
		n = append(n, k)
	}
	sort.Strings(n)
	return strings.Join(n, ", ")
}

// applyPrefs checks and applies the -o options.
func (o *options) applyPrefs() error {
	for _, a := range o.prefs {
		name, val, ok := strings.Cut(a, ":")
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if !ok || name == "" {
			return fmt.Errorf("-o %s: expected PREF:VALUE (for example -o smb.trans_reassembly:TRUE)", a)
		}
		p, known := prefs[name]
		if !known {
			return fmt.Errorf("-o %s: nbtsniff has no such preference; those that apply are %s", name, prefNames())
		}
		var on bool
		switch strings.ToUpper(val) {
		case "TRUE":
			on = true
		case "FALSE":
		default:
			return fmt.Errorf("-o %s: %q is not TRUE or FALSE", name, val)
		}
		if p.apply != nil {
			p.apply(o, on)
			continue
		}
		if on != p.fixed {
			return fmt.Errorf("-o %s:%s is not supported: %s", name, strings.ToUpper(val), p.why)
		}
	}
	return nil
}
