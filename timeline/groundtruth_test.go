package timeline

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Ground truth from real Samba 4.17 (testdata/pcaps/README.md): nmbd's own
// log lines in SCENARIO.logs/roles.tsv say when each host became and
// stopped being local or domain master; clients.log holds what nbtool.py's
// NetServerEnum2 calls and smbclient -L returned. The tests below replay
// each lab capture through the engine, the adapter and the tracker and
// compare.

// scenarios are the lab captures of the browse service at work
// (testdata/pcaps/README.md); the memory and list tests replay them.
var scenarios = []string{"election", "two-workgroups", "dmb", "enum", "storm"}

// diagScenarios are the lab captures of what goes wrong, one cause each
// (testdata/lab/EXPECTED.md): their nmbd logs are the truth for roles too.
var diagScenarios = []string{"mask25", "relay", "nofw138", "multihomed", "twopreferred", "os255", "deadwins", "typo", "spoof"}

// labScenarios is every lab capture with nmbd's logs.
var labScenarios = append(append([]string(nil), scenarios...), diagScenarios...)

// roleLine is one line of roles.tsv.
type roleLine struct {
	at   time.Time
	host string
	text string
}

// readRoles parses roles.tsv: "2026/11/22 00:46:54.370711<TAB>HOST<TAB>line",
// times in the lab machine's clock, UTC (the capture's clock).
func readRoles(t *testing.T, scen string) []roleLine {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(labDir, scen+".logs", "roles.tsv"))
	if err != nil {
		t.Fatalf("roles.tsv of %s: %v", scen, err)
	}
	var out []roleLine
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.SplitN(l, "\t", 3)
		if len(f) != 3 {
			t.Fatalf("roles.tsv: bad line %q", l)
		}
		at, err := time.ParseInLocation("2006/01/02 15:04:05.000000", f[0], time.UTC)
		if err != nil {
			t.Fatalf("roles.tsv: %v", err)
		}
		out = append(out, roleLine{at: at, host: f[1], text: f[2]})
	}
	return out
}

// goaway is a LocalMasterAnnouncement with server type 0 (tshark, see
// testdata/gen.sh): the moment a stopped master leaves, which nmbd does
// not log.
type goaway struct {
	frame int
	at    time.Time
	host  string
}

func readGoaway(t *testing.T, scen string) []goaway {
	t.Helper()
	var b []byte
	var err error
	if freshLab() {
		b, err = tsharkGoaway(labCapture(t, scen))
	} else {
		b, err = os.ReadFile(filepath.Join("testdata", scen+".goaway.tsv"))
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var out []goaway
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(l, "\t")
		n, _ := strconv.Atoi(f[0])
		sec, _ := strconv.ParseFloat(f[1], 64)
		whole := int64(sec)
		ns, _ := strconv.ParseInt(strings.SplitN(f[1], ".", 2)[1], 10, 64)
		_ = sec
		out = append(out, goaway{frame: n, at: time.Unix(whole, ns).UTC(), host: f[2]})
	}
	return out
}

// tsharkGoaway is what testdata/gen.sh writes, for a capture of a fresh
// lab run.
func tsharkGoaway(path string) ([]byte, error) {
	out, err := exec.Command("tshark", "-r", path, "-Y", "browser.command == 0x0f && browser.server_type == 0",
		"-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "browser.server").Output()
	if err != nil {
		return nil, fmt.Errorf("tshark on %s (NBTSNIFF_LAB_DIR needs tshark): %v", path, err)
	}
	return out, nil
}

// partition is a time a host spent cut off from the captured bridge:
// lab.sh's timeline.log says "partition: HOST isolated on br1" and
// "partition healed: HOST back on br0" (the storm scenario). What nmbd
// logs for that host meanwhile no frame of the capture can show: a master
// it became there is first heard when the partition heals.
type partition struct {
	host     string
	from, to time.Time
}

var partitionRE = regexp.MustCompile(`^(\d\d:\d\d:\d\d) t=\s*[\d.]+ partition(?:: (\S+) isolated| healed: (\S+) back)`)

// readPartitions parses timeline.log (times to the second, on day's date;
// each widened by a second).
func readPartitions(t *testing.T, scen string, day time.Time) []partition {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(labDir, scen+".logs", "timeline.log"))
	if err != nil {
		return nil // only storm partitions; a missing log shows as an unmatched nmbd line
	}
	var out []partition
	open := map[string]time.Time{}
	for _, l := range strings.Split(string(b), "\n") {
		m := partitionRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		at, err := time.ParseInLocation("2006-01-02 15:04:05", day.Format("2006-01-02")+" "+m[1], time.UTC)
		if err != nil {
			t.Fatalf("timeline.log: %v", err)
		}
		if m[2] != "" {
			open[m[2]] = at.Add(-time.Second)
		} else if from, ok := open[m[3]]; ok {
			out = append(out, partition{host: m[3], from: from, to: at.Add(time.Second)})
			delete(open, m[3])
		}
	}
	return out
}

// partitioned returns the partition host was in at at, if any.
func partitioned(parts []partition, host string, at time.Time) *partition {
	for i := range parts {
		if p := &parts[i]; p.host == host && !at.Before(p.from) && !at.After(p.to) {
			return p
		}
	}
	return nil
}

// healWindow is how long after a partition heals the capture may take to
// hear the master that host became meanwhile (its next
// LocalMasterAnnouncement, or the election the heal starts).
const healWindow = 10 * time.Second

const slack = 2 * time.Second

func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d <= slack && d >= -slack
}

var subnetRE = regexp.MustCompile(`subnet (\d+\.\d+\.\d+)\.\d+`)

// TestGroundTruthLMB checks every lmb role.begin and role.end against
// nmbd's log: each "is now a local master browser" has a role.begin within
// 2 s on the segment of that subnet, each "has stopped being a local
// master browser" a role.end within 2 s, and every lmb role change the
// tracker emits is one of those lines or, within 2 s, the stop of that
// master shown by its going-away LocalMasterAnnouncement (nmbd logs
// nothing when it is stopped; a WINS client releases its names first).
func TestGroundTruthLMB(t *testing.T) {
	for _, scen := range labScenarios {
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			roles := readRoles(t, scen)
			gone := readGoaway(t, scen)
			parts := readPartitions(t, scen, roles[0].at)
			evs, _ := replay(DefaultConfig(), obs)
			var begins, ends []Event
			for _, e := range evs {
				if rc := data[*RoleChange](e); rc == nil || rc.Role != RoleLMB {
					continue
				}
				switch e.Kind {
				case KindRoleBegin:
					begins = append(begins, e)
				case KindRoleEnd:
					ends = append(ends, e)
				}
			}
			usedB := make([]bool, len(begins))
			usedE := make([]bool, len(ends))
			match := func(list []Event, used []bool, l roleLine) bool {
				for i, e := range list {
					if used[i] || e.Host != l.host || !near(e.Time, l.at) {
						continue
					}
					if m := subnetRE.FindStringSubmatch(l.text); m != nil && !strings.HasSuffix(e.Segment, "/"+m[1]+".255") {
						t.Errorf("%s %s: %s on segment %s, log says %s", l.at.Format(TimeFormat), l.host, e.Kind, e.Segment, m[0])
					}
					used[i] = true
					return true
				}
				return false
			}
			nBegin, nEnd := 0, 0
			for _, l := range roles {
				switch {
				case strings.Contains(l.text, "is now a local master browser"):
					nBegin++
					if p := partitioned(parts, l.host, l.at); p != nil {
						found := false
						for i, e := range begins {
							if !found && !usedB[i] && e.Host == l.host && !e.Time.Before(p.from) && !e.Time.After(p.to.Add(healWindow)) {
								usedB[i], found = true, true
								t.Logf("%s became LMB at %s on the uncaptured bridge (partition until %s); first heard in frame %d",
									l.host, l.at.Format(TimeFormat), p.to.Format(TimeFormat), e.Frame)
							}
						}
						if !found {
							t.Errorf("%s became LMB at %s while partitioned until %s; no role.begin lmb from then to %v after the heal",
								l.host, l.at.Format(TimeFormat), p.to.Format(TimeFormat), healWindow)
						}
						continue
					}
					if !match(begins, usedB, l) {
						t.Errorf("nmbd: %s is LMB from %s; no role.begin lmb within %v", l.host, l.at.Format(TimeFormat), slack)
					}
				case strings.Contains(l.text, "has stopped being a local master browser"):
					nEnd++
					if !match(ends, usedE, l) {
						t.Errorf("nmbd: %s stopped being LMB at %s; no role.end lmb within %v", l.host, l.at.Format(TimeFormat), slack)
					}
				}
			}
			for i, e := range begins {
				if !usedB[i] {
					t.Errorf("role.begin lmb %s at %s (frame %d) is not in nmbd's log", e.Host, e.Time.Format(TimeFormat), e.Frame)
				}
			}
			for i, e := range ends {
				if usedE[i] {
					continue
				}
				ok := false
				for _, g := range gone {
					if g.host == e.Host && near(g.at, e.Time) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("role.end lmb %s at %s (frame %d, %s) is neither in nmbd's log nor a going-away announcement",
						e.Host, e.Time.Format(TimeFormat), e.Frame, e.Reason)
				}
			}
			if nBegin == 0 {
				t.Errorf("roles.tsv of %s has no LMB line: nothing was checked", scen)
			}
			t.Logf("%d LMB begins, %d LMB ends in nmbd's log; %d begins, %d ends emitted", nBegin, nEnd, len(begins), len(ends))
		})
	}
}

// TestGroundTruthDMB checks that the host nmbd says became domain master
// holds the dmb role from then on (within 2 s), and that the first dmb
// role.begin is within 2 s of nmbd's first line.
func TestGroundTruthDMB(t *testing.T) {
	checked := 0
	for _, scen := range labScenarios {
		roles := readRoles(t, scen)
		var lines []roleLine
		for _, l := range roles {
			if strings.Contains(l.text, "is now a domain master browser") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			evs, snap := replay(DefaultConfig(), obs)
			first := map[string]Event{}
			for _, e := range evs {
				if rc := data[*RoleChange](e); e.Kind == KindRoleBegin && rc.Role == RoleDMB {
					if _, ok := first[e.Host]; !ok {
						first[e.Host] = e
					}
				}
			}
			for i, l := range lines {
				checked++
				held := false
				for _, g := range snap.Groups {
					for _, ri := range g.RolesOf(RoleDMB) {
						if ri.Host == l.host && !ri.Begin.After(l.at.Add(slack)) && (ri.End.IsZero() || !ri.End.Before(l.at)) {
							held = true
						}
					}
				}
				if !held {
					t.Errorf("nmbd: %s is DMB at %s (%s); no dmb role covers it", l.host, l.at.Format(TimeFormat), l.text)
				}
				if i == 0 {
					e, ok := first[l.host]
					if !ok || !near(e.Time, l.at) {
						t.Errorf("first dmb role.begin of %s = %v (frame %d), nmbd's first line %s", l.host,
							e.Time.Format(TimeFormat), e.Frame, l.at.Format(TimeFormat))
					}
				}
			}
			for h, e := range first {
				found := false
				for _, l := range lines {
					if l.host == h && near(e.Time, l.at) {
						found = true
					}
				}
				if !found {
					t.Errorf("dmb role.begin %s at %s (frame %d, %s) is not in nmbd's log", h, e.Time.Format(TimeFormat), e.Frame, e.Reason)
				}
			}
		})
	}
	if checked == 0 {
		t.Error("no domain master line in any roles.tsv: nothing was compared")
	}
}

// TestGroundTruthElections checks every election the tracker saw won
// against nmbd: the winner logged "Won election" between the election's
// start and its LocalMasterAnnouncement, and no won election was flagged.
func TestGroundTruthElections(t *testing.T) {
	for _, scen := range labScenarios {
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			roles := readRoles(t, scen)
			_, snap := replay(DefaultConfig(), obs)
			won := 0
			for _, g := range snap.Groups {
				for _, e := range g.Elections {
					if e.Outcome != OutcomeWon {
						continue
					}
					won++
					if e.Flagged {
						t.Errorf("election %d flagged: %s", e.ID, e.FlagDetail)
					}
					ok := false
					for _, l := range roles {
						if l.host == e.Winner && strings.Contains(l.text, "Won election for workgroup "+e.Workgroup) &&
							!l.at.Before(e.Start.Add(-slack)) && !l.at.After(e.End.Add(slack)) {
							ok = true
						}
					}
					if !ok {
						t.Errorf("election %d (%s, frames %d-%d) won by %s: nmbd logged no win for it", e.ID, e.Workgroup,
							e.StartFrame, e.EndFrame, e.Winner)
					}
				}
			}
			if won == 0 {
				t.Errorf("no election won in %s", scen)
			}
		})
	}
}

// wonUnseen are the "Won election" lines of nmbd that no frame can show
// as an election won or kept, keyed "SCENARIO HOST hh:mm:ss.mmm", each
// with the reason.
var wonUnseen = map[string]string{
	// DELTA won and was stopped 4 ms later (going-away announcement,
	// frame 197) before it announced itself: election 6 was aborted.
	"storm DELTA 00:58:45.402": "stopped before it announced itself",
	// FOXTROT was cut off from the captured bridge (timeline.log).
	"storm FOXTROT 00:59:19.694": "partitioned off the captured bridge",
	// FWHOST drops inbound UDP 138: it never heard ALPHA's better ballots
	// (on the wire from frame 94 on), "won" alone in its own view, was
	// refused LABWG<1d> by ALPHA and never announced itself
	// (become_local_master_fail2). The capture shows the elections ALPHA
	// kept.
	"nofw138 FWHOST 00:52:13.578": "deaf to UDP 138: won only in its own view",
	"nofw138 FWHOST 00:53:25.357": "deaf to UDP 138: won only in its own view",
	"nofw138 FWHOST 00:54:15.579": "deaf to UDP 138: won only in its own view",
}

// TestGroundTruthWonLogged checks nmbd's "Won election" lines against the
// elections the tracker saw: each is an election that host won or kept
// (within 2 s of its start and end), unless wonUnseen says why no frame
// can show it.
func TestGroundTruthWonLogged(t *testing.T) {
	used := map[string]bool{}
	ran := 0
	for _, scen := range labScenarios {
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			roles := readRoles(t, scen)
			_, snap := replay(DefaultConfig(), obs)
			for _, l := range roles {
				if !strings.Contains(l.text, "Won election") {
					continue
				}
				key := scen + " " + l.host + " " + l.at.Format("15:04:05.000")
				found := false
				for _, g := range snap.Groups {
					for _, e := range g.Elections {
						if e.Winner == l.host && (e.Outcome == OutcomeWon || e.Outcome == OutcomeKept) &&
							!l.at.Before(e.Start.Add(-slack)) && !l.at.After(e.End.Add(slack)) {
							found = true
						}
					}
				}
				why, unseen := wonUnseen[key]
				switch {
				case found && unseen:
					t.Errorf("%s: listed in wonUnseen (%s) but the tracker shows it", key, why)
				case !found && !unseen:
					t.Errorf("nmbd: %s: no election won or kept by %s around it", key, l.host)
				case unseen:
					used[key] = true
					t.Logf("%s: not on the wire: %s", key, why)
				}
			}
			ran++
		})
	}
	if ran < len(labScenarios) {
		return // some scenarios filtered out or missing: wonUnseen is not all checked
	}
	for k := range wonUnseen {
		if !used[k] {
			t.Errorf("wonUnseen %q matches no line of nmbd's logs", k)
		}
	}
}

type clientEntry struct {
	name    string
	typ     uint32
	hasType bool
	comment string
}

var (
	headerRE  = regexp.MustCompile(`^=== (\d\d:\d\d:\d\d) t=\s*[\d.]+ \[(\w+)\] \$ (.*)$`)
	nbtoolRE  = regexp.MustCompile(`^NetServerEnum2 (servers|domains) L1 type=0x[0-9a-f]+ buf=\d+: status=0 entries=(\d+)/(\d+)`)
	entryRE   = regexp.MustCompile(`^  (\S+)\s+type=0x([0-9a-f]{8}) ?(.*)$`)
	argRE     = regexp.MustCompile(`--ip (\S+) --server (\S+)`)
	smbHostRE = regexp.MustCompile(`-L (?://)?(\S+)`)
)

// TestReplayIsDeterministic replays each lab capture twice: the events and
// the final state are the same (output's TestGoldenEvents compares the
// -T events lines with the golden files).
func TestReplayIsDeterministic(t *testing.T) {
	for _, scen := range labScenarios {
		t.Run(scen, func(t *testing.T) {
			obs := readObservations(t, labCapture(t, scen), scen)
			evs, snap := replay(DefaultConfig(), obs)
			if len(evs) == 0 {
				t.Fatal("no events")
			}
			evs2, snap2 := replay(DefaultConfig(), readObservations(t, labCapture(t, scen), scen))
			if !reflect.DeepEqual(evs, evs2) {
				t.Error("a second replay gives different events")
			}
			if !reflect.DeepEqual(snap, snap2) {
				t.Error("a second replay gives a different state")
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
