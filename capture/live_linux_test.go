//go:build linux && !pcap

package capture

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	shared "github.com/nbtsniff/nbtsniff/internal/corpus"
)

func TestPermissionError(t *testing.T) {
	err := liveSocketError("eth0", unix.EPERM)
	want := "live capture on eth0 needs root or the CAP_NET_RAW capability (socket: operation not permitted)"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	if !errors.Is(err, os.ErrPermission) {
		t.Error("not os.ErrPermission")
	}
	if err := liveSocketError("eth0", unix.EAFNOSUPPORT); errors.Is(err, os.ErrPermission) {
		t.Errorf("%v is not a permission problem", err)
	}
}

// TestOpenLiveUnprivileged: without CAP_NET_RAW, OpenLive must say what is
// missing. Run as root (as in CI), the test runs itself again as user
// nobody, which has no capabilities.
func TestOpenLiveUnprivileged(t *testing.T) {
	if probePacketSocket() == nil {
		runUnprivileged(t, "^TestOpenLiveUnprivileged$")
		return
	}
	_, err := OpenLive("lo", LiveOptions{})
	want := "live capture on lo needs root or the CAP_NET_RAW capability (socket: operation not permitted)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

func TestOpenLiveNoSuchInterface(t *testing.T) {
	_, err := OpenLive("nbtsniff-none0", LiveOptions{})
	want := "live capture on nbtsniff-none0: no such network interface"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// TestOpenLiveLoopback captures on lo (needs root or CAP_NET_RAW, else
// skips): of UDP datagrams sent to ports 53, 137 and 138, only the NBT
// ones come through the kernel filter.
func TestOpenLiveLoopback(t *testing.T) {
	if err := probePacketSocket(); err != nil {
		shared.Skip(t, "no packet socket: "+err.Error())
	}
	src, err := OpenLive("lo", LiveOptions{Snaplen: 200, Index: 2})
	if err != nil {
		t.Fatal(err)
	}
	if src.Label() != "lo" {
		t.Errorf("label %q", src.Label())
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	payload := make([]byte, 300)
	copy(payload, "nbtsniff live test")
	for _, port := range []int{53, 137, 5353, 138} {
		if _, err := conn.WriteToUDP(payload, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}); err != nil {
			t.Fatal(err)
		}
	}

	got := make(chan []int, 1)
	go func() {
		var ports []int
		var p Packet
		for len(ports) < 2 {
			if err := src.Next(&p); err != nil {
				break
			}
			if p.LinkType != layers.LinkTypeEthernet || p.Source != 2 || len(p.Data) != 200 || p.CI.Length != 14+20+8+300 {
				t.Errorf("frame: link %v source %d, %d of %d bytes", p.LinkType, p.Source, len(p.Data), p.CI.Length)
			}
			if len(p.Data) >= 38 && p.Data[23] == 17 {
				ports = append(ports, int(p.Data[36])<<8|int(p.Data[37]))
			}
		}
		got <- ports
	}()
	var ports []int
	select {
	case ports = <-got:
	case <-time.After(5 * time.Second):
	}
	if len(ports) != 2 || ports[0] != 137 || ports[1] != 138 {
		t.Errorf("captured UDP to ports %v, want [137 138]", ports)
	}
	if st := src.Stats(); st.Received < 2 {
		t.Errorf("stats %+v: kernel counted fewer than 2 frames", st)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCloseUnblocksNext: Close from another goroutine ends a Next that is
// waiting for a frame.
func TestCloseUnblocksNext(t *testing.T) {
	if err := probePacketSocket(); err != nil {
		shared.Skip(t, "no packet socket: "+err.Error())
	}
	src, err := OpenLive("lo", LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		var p Packet
		for {
			if err := src.Next(&p); err != nil {
				done <- err
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond) // let Next block
	src.Close()
	select {
	case err := <-done:
		if err != io.EOF {
			t.Errorf("Next after Close: %v, want io.EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked 5s after Close")
	}
}

func TestListInterfaces(t *testing.T) {
	ifs, err := ListInterfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifs {
		if ifc.Name != "lo" {
			continue
		}
		if !ifc.Loopback || !ifc.Up || ifc.Description != "loopback, Ethernet" || len(ifc.Addresses) == 0 || ifc.Addresses[0].String() != "127.0.0.1/8" {
			t.Errorf("lo: %+v", ifc)
		}
		return
	}
	t.Errorf("no lo in %+v", ifs)
}
