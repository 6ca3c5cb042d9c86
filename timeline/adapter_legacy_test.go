package timeline

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/engine"
)

// Frames of ../shared/pcaps/netbios-legacy-wfw311-netbeui-ipx-browser-rap-
// netshareenum_wswiki-smb-legacy-implementation.pcapng, the three ways
// Windows for Workgroups sends a browser frame besides NBT. No shared
// capture is needed.
const (
	// frame 2, tshark: "00:0c:29:31:0d:01 → 03:00:00:00:00:01 BROWSER 190
	// Local Master Announcement WFW_HOST_1, ...": 802.3, LLC UI to SAP
	// 0xF0 at 14, NetBIOS Datagram at 17 (to WORKGROUP<1e> from
	// WFW_HOST_1<00>), SMB at 61.
	legacyWfw2 = `030000000001 000c29310d01 00b0 f0f003
	2c00ffef0800000000000000574f524b47524f55502020202020201e5746575f484f53545f31202020202000
	ff534d42250000000000000000000000000000000000000000000000000000001100002b000000000000000000000000000000000000002b00560003000100010002
	003c005c4d41494c534c4f545c42524f575345000f05c0d401005746575f484f53545f310000000000000133032005000b0355aa4269742044696767657200`
	// frame 42, "00000000.000c298e87a6 → 00000000.ffffffffffff BROWSER 243
	// Host Announcement WFW_HOST_2, ...": raw 802.3 IPX to socket 0x0553
	// at 14, NMPI Mailslot write at 44 (name type 2, workgroup:
	// WORKGROUP<00> from WFW_HOST_2<00>), SMB at 112.
	legacyWfw42 = `ffffffffffff 000c298e87a6 00e5 ffff00e5001400000000ffffffffffff055300000000000c298e87a60553
	0000000000000000000000000000000000000000000000000000000000000000fc020000574f524b47524f5550202020202020005746575f484f53545f32202020202000
	ff534d42250000000000000000000000000000000000000000000000000000001100002d000000000000000000000000000000000000002d00560003000100010002003e005c4d41494c534c4f545
	c42524f57534500010360ea00005746575f484f53545f320000000000000133032000000b0355aa4269742053686f76656c657200`
	// frame 59, "00000000.000c298e87a6 → 00000000.000c29310d01 BROWSER 209
	// Host Announcement WFW_HOST_2, ...": raw 802.3 IPX to socket 0x0455
	// at 14, NBIPX Directed datagram at 44 (WFW_HOST_2<00>, then
	// WORKGROUP<1d>), SMB at 78: to one node, not broadcast.
	legacyWfw59 = `000c29310d01 000c298e87a6 00c3 ffff00c3000400000000000c29310d01045500000000000c298e87a60455
	000b5746575f484f53545f32202020202000574f524b47524f55502020202020201d
	ff534d42250000000000000000000000000000000000000000000000000000001100002d000000000000000000000000000000000000002d00560003000100010002003e005c4d41494c534c4f545c42524f57534500010360ea00005746575f484f53545f320000000000000133032000000b0355aa4269742053686f76656c657200`
)

// The adapter gives NetBEUI and IPX announcements their transport, node
// addresses and the datagram's names (NMPI's name type standing for the
// suffix), so that they land on their transport's segment.
func TestAdapterNetBEUIAndIPX(t *testing.T) {
	for _, c := range []struct {
		name, pkt       string
		tr              Transport
		src, dst        string
		srcName, dstWG  string
		suffix          byte
		group           bool
		kind            AnnouncementKind
		server, segment string
	}{
		{"NetBEUI datagram", legacyWfw2, TransportNetBEUI, "00:0c:29:31:0d:01", "NetBEUI broadcast", "WFW_HOST_1", "WORKGROUP", 0x1e, true,
			LocalMasterAnnouncement, "WFW_HOST_1", "wfw/NetBEUI"},
		{"NMPI mailslot write", legacyWfw42, TransportIPX, "00000000.000c298e87a6", "IPX broadcast", "WFW_HOST_2", "WORKGROUP", 0x1d, true,
			HostAnnouncement, "WFW_HOST_2", "wfw/IPX"},
		{"NBIPX directed datagram", legacyWfw59, TransportIPX, "00000000.000c298e87a6", "00000000.000c29310d01", "WFW_HOST_2", "WORKGROUP", 0x1d, false,
			HostAnnouncement, "WFW_HOST_2", "wfw/IPX"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := hex.DecodeString(strings.Join(strings.Fields(c.pkt), ""))
			if err != nil {
				t.Fatal(err)
			}
			cfg := engine.DefaultConfig()
			cfg.Labels = []string{"wfw"}
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1458121299, 0), CaptureLength: len(b), Length: len(b)}
			f := engine.New(cfg).Decode(b, ci, layers.LinkTypeEthernet, 0)
			obs := NewAdapter().FromFrame(f)
			if len(obs) != 1 {
				t.Fatalf("%d observations: %+v", len(obs), obs)
			}
			a, ok := obs[0].(*Announcement)
			if !ok {
				t.Fatalf("%T", obs[0])
			}
			m := a.Meta
			if m.Transport != c.tr || AddrString(m.Src) != c.src || AddrString(m.Dst) != c.dst || m.SrcName != c.srcName ||
				m.DstName != c.dstWG || m.DstSuffix != c.suffix || m.DstGroup != c.group || a.Kind != c.kind || a.Server != c.server {
				t.Errorf("%v %s -> %s, %q -> %q<%02x> group %v, %v %q", m.Transport, AddrString(m.Src), AddrString(m.Dst),
					m.SrcName, m.DstName, m.DstSuffix, m.DstGroup, a.Kind, a.Server)
			}
			evs, snap := replay(DefaultConfig(), obs)
			if len(snap.Groups) != 1 || snap.Groups[0].Segment != c.segment || snap.Groups[0].Workgroup != c.dstWG ||
				len(snap.Groups[0].Servers) != 1 || snap.Groups[0].Servers[0].Name != c.server {
				t.Errorf("groups %+v", snap.Groups)
			}
			if a := kinds(evs, KindAnomaly); len(a) != 0 {
				t.Errorf("anomalies %+v", a)
			}
		})
	}
}
