package view

import (
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
)

// The UI over the Windows for Workgroups capture of ../shared/pcaps: a
// NetBEUI frame (2) and an IPX frame (42) show their transport's layers in
// the detail as -V prints them (LLC and NetBIOS; IPX and NMPI), and the
// overview lists the workgroup once per transport, on the NetBEUI and IPX
// segments beside the NBT one, each with its own local master.
func TestTransportsOnScreen(t *testing.T) {
	p := corpus.Path(t, "netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng")
	l := loadAll(t, p)
	for n, layers := range map[int][]string{2: {"Logical-Link Control", "NetBIOS"}, 42: {"Internetwork Packet eXchange", "Name Management Protocol over IPX"}} {
		f, err := l.Detail(n)
		if err != nil {
			t.Fatalf("Detail(%d): %v", n, err)
		}
		got := detailText(newFrameDetail(f))
		if want := string(output.AppendVerbose(nil, f)); got != want {
			t.Errorf("frame %d: detail differs from -V:\n%s\n--- want\n%s", n, got, want)
		}
		for _, layer := range layers {
			if !strings.Contains(got, "\n"+layer+"   [") {
				t.Errorf("frame %d: no %s layer in the detail:\n%s", n, layer, got)
			}
		}
	}
	m := newModel(t, l, 160, 48)
	m = apply(m, keys("1")...)
	v := m.View()
	// One capture: the segment column leaves its label out.
	rows := map[string]bool{}
	for _, line := range strings.Split(v, "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "> "))
		if len(f) >= 3 {
			rows[strings.Join(f[:3], " ")] = true
		}
	}
	for _, row := range []string{"NetBEUI WORKGROUP WFW_HOST_1", "IPX WORKGROUP WFW_HOST_1", "192.168.10.255 WORKGROUP SCV"} {
		if !rows[row] {
			t.Errorf("overview has no row %q:\n%s", row, v)
		}
	}
}
