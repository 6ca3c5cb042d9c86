package timeline

import (
	"bufio"
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Browse Lists and workgroup lists reconstructed from the lab captures,
// against what the local master returned to nbtool.py rap and smbclient -L
// (SCENARIO.logs/clients.log; see groundtruth_test.go).

// clientList is one list from clients.log.
type clientList struct {
	at      time.Time
	ip      string // who answered
	server  string
	servers bool // a server list (else workgroups)
	entries []clientEntry
}

// readClientLists parses the complete NetServerEnum2 lists of clients.log
// (nbtool rap servers/domains with status 0 and every entry returned) and
// the workgroup tables smbclient -L printed.
func readClientLists(t *testing.T, scen string, day time.Time, hosts map[string]string) []clientList {
	b, err := os.ReadFile(filepath.Join(labDir, scen+".logs", "clients.log"))
	if err != nil {
		t.Fatalf("clients.log of %s: %v", scen, err)
	}
	var out []clientList
	var at time.Time
	var cmd string
	var cur *clientList
	inWG := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := sc.Text()
		if m := headerRE.FindStringSubmatch(l); m != nil {
			hms, _ := time.Parse("15:04:05", m[1])
			at = day.Add(time.Duration(hms.Hour())*time.Hour + time.Duration(hms.Minute())*time.Minute +
				time.Duration(hms.Second())*time.Second)
			cmd, cur, inWG = m[3], nil, false
			continue
		}
		if m := nbtoolRE.FindStringSubmatch(l); m != nil {
			cur = nil
			if m[2] != m[3] {
				continue
			}
			a := argRE.FindStringSubmatch(cmd)
			if a == nil {
				continue
			}
			out = append(out, clientList{at: at, ip: a[1], server: a[2], servers: m[1] == "servers"})
			cur = &out[len(out)-1]
			continue
		}
		if cur != nil {
			if m := entryRE.FindStringSubmatch(l); m != nil {
				v, _ := strconv.ParseUint(m[2], 16, 32)
				cur.entries = append(cur.entries, clientEntry{name: m[1], typ: uint32(v), hasType: true, comment: m[3]})
				continue
			}
			cur = nil
		}
		if strings.HasPrefix(strings.TrimSpace(l), "Workgroup") && strings.Contains(l, "Master") {
			m := smbHostRE.FindStringSubmatch(cmd)
			if m == nil || hosts[m[1]] == "" {
				continue
			}
			out = append(out, clientList{at: at, ip: hosts[m[1]], server: m[1]})
			cur, inWG = nil, true
			sc.Scan() // the dashes
			continue
		}
		if inWG {
			f := strings.Fields(l)
			if len(f) == 0 || strings.HasPrefix(l, "===") {
				inWG = false
				continue
			}
			e := clientEntry{name: f[0]}
			if len(f) > 1 {
				e.comment = f[1]
			}
			out[len(out)-1].entries = append(out[len(out)-1].entries, e)
		}
	}
	return out
}

// readHosts parses SCENARIO.logs/hosts: NAME SUBNET IP.
func readHosts(t *testing.T, scen string) map[string]string {
	b, err := os.ReadFile(filepath.Join(labDir, scen+".logs", "hosts"))
	if err != nil {
		t.Fatalf("hosts of %s: %v", scen, err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(l)
		if len(f) == 3 {
			m[f[0]] = f[2]
		}
	}
	return m
}

// TestGroundTruthBrowseLists compares the Browse List and the workgroup
// list the tracker reconstructed, as they stood when each client call was
// made (a replay with Config.At), with what the browser returned. The one
// tolerated difference is Samba's: a master lists itself with
// SV_TYPE_POTENTIAL_BROWSER set although its LocalMasterAnnouncement
// clears it (dmb: DMB's frame 223 says 0x000c9a03, the lists 0x000d9a03).
func TestGroundTruthBrowseLists(t *testing.T) {
	total := 0
	for _, scen := range scenarios {
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			if len(obs) == 0 {
				t.Fatal("no observations")
			}
			first := obs[0].meta().Time.UTC()
			day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
			hosts := readHosts(t, scen)
			lists := readClientLists(t, scen, day, hosts)
			if len(lists) == 0 {
				// smbclient -L ran in other scenarios only; the test
				// fails below if no scenario has a list.
				t.Logf("clients.log of %s holds no complete server or workgroup list", scen)
				return
			}
			hasRAP := false
			for _, o := range obs {
				if _, ok := o.(*ServerList); ok {
					hasRAP = true
				}
			}
			for _, cl := range lists {
				ip, err := netip.ParseAddr(cl.ip)
				if err != nil {
					t.Fatal(err)
				}
				b := ip.As4()
				seg := scen + "/" + strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + ".255"
				if cl.servers && scen == "dmb" && !hasRAP {
					t.Logf("skipping the %s list of %s: needs the LMB<->DMB NetServerEnum2 sync, and the engine hands no RAP response to the adapter yet", cl.server, cl.at.Format(TimeFormat))
					continue
				}
				// clients.log stamps the call with whole seconds: the state
				// at that second is the state the call saw, unless a frame
				// in the same second changed it.
				cfg := DefaultConfig()
				cfg.At = cl.at
				_, snap := replay(cfg, obs)
				if g := snap.Group(seg, "LABWG"); g == nil || !contains(g.LMB, cl.server) {
					t.Logf("skipping the list %s returned at %s: not the local master of %s (what it lists is its own view)",
						cl.server, cl.at.Format(TimeFormat), seg)
					continue
				}
				total++
				var got []*Server
				if cl.servers {
					g := snap.Group(seg, "LABWG")
					if g == nil {
						t.Errorf("%s: no LABWG on %s", cl.server, seg)
						continue
					}
					got = g.Servers
				} else {
					for _, s := range snap.Segments {
						if s.Segment == seg {
							got = s.Domains
						}
					}
				}
				what := "servers"
				if !cl.servers {
					what = "workgroups"
				}
				if len(got) != len(cl.entries) {
					var names []string
					for _, e := range got {
						names = append(names, e.Name)
					}
					t.Errorf("%s %s at %s: reconstructed %d (%s), %s returned %d", scen, what, cl.at.Format(TimeFormat),
						len(got), strings.Join(names, ","), cl.server, len(cl.entries))
				}
				byName := map[string]*Server{}
				for _, e := range got {
					byName[e.Name] = e
				}
				for _, want := range cl.entries {
					e := byName[want.name]
					if e == nil {
						t.Errorf("%s %s at %s: %s listed by %s, missing from the reconstruction", scen, what,
							cl.at.Format(TimeFormat), want.name, cl.server)
						continue
					}
					if want.hasType {
						gt, wt := e.Type, want.typ
						if want.name == cl.server {
							gt &^= svPotentialBrowser
							wt &^= svPotentialBrowser
						}
						if gt != wt {
							t.Errorf("%s %s: type %08x reconstructed (%s, frame %d), %08x listed", scen, want.name, e.Type, e.Kind,
								e.LastFrame, want.typ)
						}
					}
					if want.comment != e.Comment {
						t.Errorf("%s %s: comment %q reconstructed, %q listed", scen, want.name, e.Comment, want.comment)
					}
				}
			}
		})
	}
	if total == 0 {
		t.Error("no list compared: no clients.log holds a complete list")
	}
}
