package view

import "strings"

// The role byte of the election criteria (its low byte) is read
// differently by the sources; the view shows what each says instead of
// asserting one, and never derives a role from a bit (a PDC is known
// only from SV_TYPE_DOMAIN_CTRL in a host's announcements, see the
// timeline's roles). The readings are the ones dissect's CriteriaRole
// documents: tshark's labels (browser.election.desire.*), the Browse
// Service chapter of Hertel's Implementing CIFS, and what Samba 4.17's
// nmbd was seen to send in the lab captures (testdata/pcaps: the low
// bytes 02, 03, 07, 0a, 0f and 8a, the last from os255.pcapng's
// standalone server with "domain master = yes").
var criteriaBitSources = []struct {
	bit                  uint8
	field                string // tshark's field, the neutral name shown in tables
	tshark, chapter, smb string
}{
	{0x01, "backup", "Backup Browse Server", "running backup browser", "seen set (lab: 0x...03, 0x...07)"},
	{0x02, "standby", "Standby Browse Server", "standby (potential) browser", "set in every lab ballot (it maintains the server list)"},
	{0x04, "master", "Master Browser", "running master browser", "seen set by running masters (lab: 0x...07, 0x...0f)"},
	{0x08, "domain_master", "Domain Master Browse Server", "preferred master", "preferred master = yes (lab: 0x...0a)"},
	{0x20, "wins", "WINS Client", "WINS client", "not seen in the lab captures"},
	{0x80, "nt", "Windows NT Advanced Server", "primary domain controller", "domain master = yes, also on a standalone server (os255.pcapng: 0x...8a)"},
}

// criteriaBits names the role bits set in the criteria's low byte by
// tshark's field names ("nt domain_master standby"); "none".
func criteriaBits(criteria uint32) string {
	role := uint8(criteria)
	var out []string
	for _, s := range criteriaBitSources {
		if role&s.bit != 0 {
			out = append(out, s.field)
		}
	}
	if rest := role &^ 0xaf; rest != 0 {
		out = append(out, "0x"+hex32(uint32(rest))[6:])
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " ")
}

// criteriaSources are the lines saying what each source makes of the role
// bits set in any of the ballots.
func criteriaSources(criteria []uint32) []string {
	var set uint8
	for _, c := range criteria {
		set |= uint8(c)
	}
	if set == 0 {
		return nil
	}
	out := []string{"Role bits of the criteria: what the sources say (nbtsniff decides no role from them)"}
	for _, s := range criteriaBitSources {
		if set&s.bit == 0 {
			continue
		}
		out = append(out, "  0x"+hex32(uint32(s.bit))[6:]+" "+s.field+": tshark \""+s.tshark+"\"; Browse Service chapter: "+
			s.chapter+"; Samba nmbd: "+s.smb)
	}
	return out
}
