// Package netnstest makes network namespaces for the tests of live
// capture: a namespace (ip netns add) with one end of a veth pair in it,
// the other end in the test's namespace, removed when the test ends; and
// a raw sender of Ethernet frames. They need root and ip (iproute2):
// without them the test is skipped, saying which is missing, unless
// NBTSNIFF_NETNS_REQUIRED is set (.ci/run sets it): then it fails.
package netnstest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Unavailable skips the test, or fails it when CI said it must run.
func Unavailable(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("NBTSNIFF_NETNS_REQUIRED") != "" {
		t.Fatalf("%s (NBTSNIFF_NETNS_REQUIRED is set: the test must run here)", reason)
	}
	t.Skip(reason)
}

// Need skips (or fails) the test unless it can make namespaces.
func Need(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, fmt.Sprintf("network namespaces and packet sockets need root: running as uid %d", os.Geteuid()))
	}
	if _, err := exec.LookPath("ip"); err != nil {
		Unavailable(t, "ip (iproute2) is not installed: apt-get install -y iproute2")
	}
}

var seq atomic.Int32

// Veth is a network namespace NS with one end of a veth pair in it
// (Inside); the other end (Outside) is in the test's namespace.
type Veth struct {
	NS, Inside, Outside string
}

// New makes a namespace and a veth pair, both ends up, removed at the end
// of the test.
func New(t testing.TB) *Veth {
	t.Helper()
	Need(t)
	id := strconv.Itoa(os.Getpid()%100000) + "x" + strconv.Itoa(int(seq.Add(1)))
	v := &Veth{NS: "nbtsniff-t" + id, Inside: "nbi" + id, Outside: "nbo" + id}
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
		}
	}
	ip("netns", "add", v.NS)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", v.NS).Run() })
	ip("link", "add", v.Outside, "type", "veth", "peer", "name", v.Inside, "netns", v.NS)
	t.Cleanup(func() { exec.Command("ip", "link", "del", v.Outside).Run() })
	ip("link", "set", v.Outside, "up")
	ip("netns", "exec", v.NS, "ip", "link", "set", v.Inside, "up")
	ip("netns", "exec", v.NS, "ip", "link", "set", "lo", "up")
	return v
}

// Sender sends Ethernet frames out of an interface of the test's
// namespace.
type Sender struct{ fd int }

// NewSender opens a packet socket on iface, closed at the end of the test.
func NewSender(t testing.TB, iface string) *Sender {
	t.Helper()
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifi.Index}); err != nil {
		t.Fatal(err)
	}
	return &Sender{fd: fd}
}

// Send sends one frame, waiting while the device queue is full.
func (s *Sender) Send(t testing.TB, frame []byte) {
	t.Helper()
	for {
		_, err := unix.Write(s.fd, frame)
		if err == unix.ENOBUFS || err == unix.EAGAIN {
			time.Sleep(time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return
	}
}
