package timeline

import (
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// The captures that carry browser frames over NetBEUI and IPX next to NBT
// (../shared/pcaps/MANIFEST.md): Windows 98 (elections over NetBEUI and
// NBT), Windows for Workgroups 3.11 (announcements over NetBEUI and IPX)
// and the 802.1Q campus LAN (the same HostAnnouncement over all three).
var legacyCaptures = []string{
	"nbns-registration-browser-elections-udp-and-netbeui_ndpi-dos_win98_smb_netbeui.pcap",
	"netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng",
	"browser-host-announce-udp-netbeui-ipx-8021q_wswiki-vlan.pcap",
}

// tsharkBrowser is one browser frame as tshark shows it.
type tsharkBrowser struct {
	frame     int
	transport Transport
	command   int
	server    string
}

// tsharkBrowserFrames runs tshark on a capture: every browser frame with
// its transport (from frame.protocols: llc:netbios is NetBEUI, ipx is IPX,
// udp is NBT), command and server name. Without tshark the test is
// skipped, and the corpus line says so.
func tsharkBrowserFrames(t *testing.T, path string) []tsharkBrowser {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(t, "tshark not installed")
	}
	out, err := exec.Command("tshark", "-r", path, "-Y", "browser", "-T", "fields", "-e", "frame.number",
		"-e", "frame.protocols", "-e", "browser.command", "-e", "browser.server").Output()
	if err != nil {
		t.Fatalf("tshark on %s: %v", path, err)
	}
	var fs []tsharkBrowser
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		c := strings.Split(l, "\t")
		if len(c) < 4 {
			t.Fatalf("tshark line %q", l)
		}
		n, err1 := strconv.Atoi(c[0])
		cmd, err2 := strconv.ParseInt(strings.TrimPrefix(c[2], "0x"), 16, 16)
		if err1 != nil || err2 != nil {
			t.Fatalf("tshark line %q", l)
		}
		b := tsharkBrowser{frame: n, command: int(cmd), server: c[3]}
		switch p := ":" + c[1] + ":"; {
		case strings.Contains(p, ":llc:netbios:"):
			b.transport = TransportNetBEUI
		case strings.Contains(p, ":ipx:"):
			b.transport = TransportIPX
		case strings.Contains(p, ":udp:nbdgm:"):
			b.transport = TransportNBT
		default:
			t.Fatalf("frame %d: no transport in %q", n, c[1])
		}
		fs = append(fs, b)
	}
	return fs
}

// segTransport is the transport of a segment, by its label
// ("LABEL/NetBEUI", "LABEL/IPX", else NBT's "LABEL/BROADCAST").
func segTransport(seg string) Transport {
	switch {
	case strings.HasSuffix(seg, "/NetBEUI"):
		return TransportNetBEUI
	case strings.HasSuffix(seg, "/IPX"):
		return TransportIPX
	}
	return TransportNBT
}

// The elections and announcements of the Windows 98, Windows for
// Workgroups and 802.1Q captures reach the timeline on the segment of
// their transport, and only there: the RequestElection frames tshark
// shows per transport are the ballots of that transport's segment, frame
// for frame, and every server that announced itself over a transport is
// in the Browse List of that transport's segment, with the last frame
// tshark shows for it there; every LocalMasterAnnouncement makes its
// sender local master on its transport's segment, and every
// DomainAnnouncement lists its workgroup there.
func TestTransportsApartOnRealCaptures(t *testing.T) {
	paths := corpus.Paths(t, legacyCaptures...)
	for i, p := range paths {
		t.Run(legacyCaptures[i][:20], func(t *testing.T) {
			want := tsharkBrowserFrames(t, p)
			evs, snap := replay(DefaultConfig(), readObservations(t, p, "cap"))

			// Ballots per transport.
			var wantBallots, gotBallots [numTransports][]int
			for _, b := range want {
				if b.command == 0x08 {
					wantBallots[b.transport] = append(wantBallots[b.transport], b.frame)
				}
			}
			for _, e := range evs {
				if e.Kind == KindElectionBallot {
					gotBallots[segTransport(e.Segment)] = append(gotBallots[segTransport(e.Segment)], e.Frame)
				}
			}
			var anns [numTransports]int
			for _, b := range want {
				if b.command == 0x01 || b.command == 0x0f || b.command == 0x0c {
					anns[b.transport]++
				}
			}
			for tr := range numTransports {
				t.Logf("%s: %d RequestElection frames (tshark), %d ballots on its segment; %d announcements (tshark)",
					Transport(tr), len(wantBallots[tr]), len(gotBallots[tr]), anns[tr])
				if !slices.Equal(wantBallots[tr], gotBallots[tr]) {
					t.Errorf("%s: ballots in frames %v, tshark's RequestElection frames %v", Transport(tr), gotBallots[tr], wantBallots[tr])
				}
			}

			// Announcements per transport: the Browse List of the
			// transport's segment has the server, last seen in the last
			// frame tshark shows for it over that transport.
			type key struct {
				tr     Transport
				server string
			}
			last := map[key]int{}
			lastDomain := map[key]int{}
			masters := map[key]bool{}
			for _, b := range want {
				k := key{b.transport, b.server}
				switch b.command {
				case 0x01, 0x0f:
					last[k] = b.frame
					if b.command == 0x0f {
						masters[k] = true
					}
				case 0x0c:
					lastDomain[k] = b.frame
				}
			}
			got := map[key]int{}
			gotDomain := map[key]int{}
			for _, g := range snap.Groups {
				for _, s := range g.Servers {
					got[key{segTransport(g.Segment), s.Name}] = s.LastFrame
				}
			}
			for _, s := range snap.Segments {
				for _, d := range s.Domains {
					gotDomain[key{segTransport(s.Segment), d.Name}] = d.LastFrame
				}
			}
			if len(last) == 0 {
				t.Fatal("tshark shows no announcement")
			}
			for k, f := range last {
				if got[k] != f {
					t.Errorf("%s: %s last announced in frame %d (tshark), Browse List says %d", k.tr, k.server, f, got[k])
				}
			}
			for k := range got {
				if _, ok := last[k]; !ok {
					t.Errorf("%s: %s in the Browse List, but tshark shows no announcement of it over %s", k.tr, k.server, k.tr)
				}
			}
			for k, f := range lastDomain {
				if gotDomain[k] != f {
					t.Errorf("%s: workgroup %s last announced in frame %d (tshark), workgroup list says %d", k.tr, k.server, f, gotDomain[k])
				}
			}
			for k := range masters {
				found := false
				for _, e := range evs {
					if e.Kind == KindRoleBegin && e.Host == k.server && segTransport(e.Segment) == k.tr {
						if rc, ok := e.Data.(*RoleChange); ok && rc.Role == RoleLMB {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("%s: %s sent a LocalMasterAnnouncement, no lmb role on that transport", k.tr, k.server)
				}
			}

			// Hosts on NetBEUI and IPX are known by their node address.
			for _, e := range evs {
				if tr := segTransport(e.Segment); e.Addr.IsValid() && AddrTransport(e.Addr) != tr {
					t.Errorf("frame %d %s on %s: address %s is not a %s address", e.Frame, e.Kind, e.Segment, AddrString(e.Addr), tr)
				}
			}
		})
	}
}

// MDJR98 (Windows 98) holds an election over NetBEUI and then the same one
// over NBT: two elections, one per transport, each won by MDJR98 on its
// own segment, and a multi_transport anomaly naming both transports and a
// ballot frame of each, which tshark shows as RequestElection frames of
// those transports.
func TestWin98ElectionPerTransport(t *testing.T) {
	p := corpus.Path(t, legacyCaptures[0])
	want := tsharkBrowserFrames(t, p)
	evs, _ := replay(DefaultConfig(), readObservations(t, p, "w98"))
	won := map[string]string{}
	for _, e := range evs {
		if d, ok := e.Data.(*ElectionEnd); ok && e.Kind == KindElectionEnd {
			won[e.Segment] = d.Outcome.String() + " " + d.Winner
		}
	}
	if len(won) != 2 || won["w98/NetBEUI"] != "won MDJR98" || won["w98/192.168.239.255"] != "won MDJR98" {
		t.Errorf("elections: %v, want one won by MDJR98 on w98/NetBEUI and one on w98/192.168.239.255", won)
	}
	mt := anomalies(evs, AnomalyMultiTransport)
	if len(mt) != 1 {
		t.Fatalf("multi_transport anomalies: %+v, want 1", mt)
	}
	a := mt[0]
	if a.Host != "MDJR98" || !strings.Contains(a.Detail, "NetBEUI") || !strings.Contains(a.Detail, "NBT") || len(a.Frames) != 2 {
		t.Fatalf("multi_transport = %+v", a)
	}
	trOf := map[int]Transport{}
	for _, b := range want {
		if b.command == 0x08 {
			trOf[b.frame] = b.transport
		}
	}
	t0, ok0 := trOf[a.Frames[0]]
	t1, ok1 := trOf[a.Frames[1]]
	if !ok0 || !ok1 || t0 == t1 {
		t.Errorf("multi_transport frames %v: tshark's RequestElection transports %v %v (%v %v)", a.Frames, t0, t1, ok0, ok1)
	}
}
