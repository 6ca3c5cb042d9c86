//go:build pcap

package capture

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	shared "github.com/nbtsniff/nbtsniff/internal/corpus"
)

// canCapture skips unless libpcap may open lo.
func canCapture(t *testing.T) {
	t.Helper()
	src, err := OpenLive("lo", LiveOptions{})
	if errors.Is(err, os.ErrPermission) {
		shared.Skip(t, "unprivileged: "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
}

func TestPcapOpenLiveBadFilter(t *testing.T) {
	canCapture(t)
	_, err := OpenLive("lo", LiveOptions{Filter: "udp port 137 and frobnicate"})
	want := `live capture on lo: filter "udp port 137 and frobnicate": `
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %q...", err, want)
	}
}

// TestPcapOpenLiveUnprivileged: without the privilege, OpenLive says what
// is missing. Run as root (as in CI), the test runs itself again as user
// nobody.
func TestPcapOpenLiveUnprivileged(t *testing.T) {
	if os.Getuid() == 0 {
		runUnprivileged(t, "^TestPcapOpenLiveUnprivileged$")
		return
	}
	_, err := OpenLive("lo", LiveOptions{})
	if err == nil || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("as user %d: %v, want a permission error", os.Getuid(), err)
	}
	want := "live capture on lo needs root or the CAP_NET_RAW capability (pcap activate: "
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want %q...", err, want)
	}
}

// TestPcapOpenLiveLoopback: with the default filter, only NBT datagrams
// come through; Close ends a blocked Next.
func TestPcapOpenLiveLoopback(t *testing.T) {
	canCapture(t)
	src, err := OpenLive("lo", LiveOptions{Index: 1})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, port := range []int{53, 138, 5353, 137} {
		if _, err := conn.WriteToUDP([]byte("nbtsniff"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}); err != nil {
			t.Fatal(err)
		}
	}
	got := make(chan []int, 1)
	go func() {
		var ports []int
		var p Packet
		for {
			if err := src.Next(&p); err != nil {
				got <- ports
				return
			}
			if len(p.Data) >= 38 && p.Data[23] == 17 && p.Source == 1 {
				ports = append(ports, int(p.Data[36])<<8|int(p.Data[37]))
			}
		}
	}()
	time.Sleep(500 * time.Millisecond)
	src.Close()
	select {
	case ports := <-got:
		if len(ports) != 2 || ports[0] != 138 || ports[1] != 137 {
			t.Errorf("captured UDP to ports %v, want [138 137]", ports)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked 5s after Close")
	}
}

func TestPcapListInterfaces(t *testing.T) {
	ifs, err := ListInterfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifs {
		if ifc.Name == "lo" {
			if !ifc.Loopback || !ifc.Up {
				t.Errorf("lo: %+v", ifc)
			}
			return
		}
	}
	t.Errorf("no lo in %+v", ifs)
}
