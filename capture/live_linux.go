//go:build linux && !pcap

package capture

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// CompilesFilters reports whether OpenLive honours LiveOptions.Filter: only
// the libpcap backend (-tags pcap) compiles BPF expressions.
const CompilesFilters = false

// OpenLive captures on iface through an AF_PACKET socket (pure Go, no
// libpcap). A classic BPF program equivalent to NBTFilter runs in the
// kernel, so only NetBIOS frames (and non-first UDP fragments) are copied
// to user space; opts.Filter is ignored. It needs root or CAP_NET_RAW:
// without, the error is a *PermissionError.
func OpenLive(iface string, opts LiveOptions) (Source, error) {
	if _, err := net.InterfaceByName(iface); err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, unwrapNet(err))
	}
	if err := probePacketSocket(); err != nil {
		return nil, liveSocketError(iface, err)
	}
	lt, err := arphrdLinkType(iface)
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	snaplen := liveSnaplen(opts.Snaplen)
	prog, err := nbtProgram(lt, uint32(snaplen))
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	vm, err := bpf.NewVM(prog)
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: filter: %w", iface, err)
	}
	kernel := prog
	if isLoopback(iface) {
		kernel = append(dropOutgoing(), prog...)
	}
	h, err := openHandle(iface, kernel, snaplen, opts.Promisc)
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	return &liveSource{iface: iface, index: opts.Index, h: h, linkType: lt, vm: vm}, nil
}

// minLiveSnaplen keeps the ports of a tagged frame with the longest IPv4
// header (18 + 60 + 4 bytes) inside the snap length, where the program
// (rerun on the truncated frame in user space) can see them.
const minLiveSnaplen = 96

func liveSnaplen(n int) int {
	switch {
	case n <= 0 || n > MaxRecordSize:
		return MaxRecordSize
	case n < minLiveSnaplen:
		return minLiveSnaplen
	}
	return n
}

// dropOutgoing is the prefix of the program on the loopback device, where a
// packet socket sees each frame twice, as sent and as received. libpcap
// drops the copy whose packet type is PACKET_OUTGOING; so does this, with
// the kernel's packet type extension (x/net/bpf's VM does not run it, so
// user space runs the program without the prefix):
//
//	(000) ld   #type
//	(001) jeq  #4 (PACKET_OUTGOING)   jt 2   jf 3
//	(002) ret  #0
//	(003) ...  the program
func dropOutgoing() []bpf.Instruction {
	return []bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtType},
		jeq(1, unix.PACKET_OUTGOING, 2, 3),
		bpf.RetConstant{Val: 0},
	}
}

func isLoopback(iface string) bool {
	t, err := arphrd(iface)
	return err == nil && t == arphrdLoopback
}

// probePacketSocket opens and closes an AF_PACKET socket that receives
// nothing (protocol 0), to tell a missing privilege from other failures.
func probePacketSocket() error {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	return unix.Close(fd)
}

// liveSocketError explains a failed socket call.
func liveSocketError(iface string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return &PermissionError{Iface: iface, Op: "socket", Err: err}
	}
	return fmt.Errorf("live capture on %s: packet socket: %w", iface, err)
}

// unwrapNet drops the "route ip+net:" prefix of net.InterfaceByName errors.
func unwrapNet(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// ARPHRD device types (linux/if_arp.h) the program knows.
const (
	arphrdEther    = 1
	arphrdPPP      = 512
	arphrdRawIP    = 519
	arphrdLoopback = 772
	arphrdNone     = 0xfffe // tun devices: no link header
)

// arphrdLinkType maps the device type to the link type of the frames an
// AF_PACKET SOCK_RAW socket returns: the loopback device has a zeroed
// Ethernet header, tun, PPP and raw-IP devices none.
func arphrdLinkType(iface string) (layers.LinkType, error) {
	t, err := arphrd(iface)
	if err != nil {
		return 0, err
	}
	switch t {
	case arphrdEther, arphrdLoopback:
		return layers.LinkTypeEthernet, nil
	case arphrdNone, arphrdPPP, arphrdRawIP:
		return layers.LinkTypeRaw, nil
	}
	return 0, fmt.Errorf("device type ARPHRD %d is not supported without libpcap (build with -tags pcap)", t)
}

func arphrd(iface string) (int, error) {
	path := "/sys/class/net/" + iface + "/type"
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("device type: %w", err)
	}
	t, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("device type: %s: %w", path, err)
	}
	return t, nil
}

// linkDescription describes iface for ListInterfaces.
func linkDescription(iface string) string {
	t, err := arphrd(iface)
	if err != nil {
		return ""
	}
	lt, err := arphrdLinkType(iface)
	if err != nil {
		return fmt.Sprintf("ARPHRD %d, needs -tags pcap", t)
	}
	if t == arphrdLoopback {
		return "loopback, " + lt.String()
	}
	return lt.String()
}

// openHandle opens the packet socket and attaches the program.
func openHandle(iface string, prog []bpf.Instruction, snaplen int, promisc bool) (*pcapgo.EthernetHandle, error) {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("filter: %w", err)
	}
	h, err := pcapgo.NewEthernetHandle(iface)
	if err != nil {
		return nil, err
	}
	if err := configureHandle(h, raw, snaplen, promisc); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

func configureHandle(h *pcapgo.EthernetHandle, raw []bpf.RawInstruction, snaplen int, promisc bool) error {
	if err := h.SetBPF(raw); err != nil {
		return fmt.Errorf("attach filter: %w", err)
	}
	if err := h.SetCaptureLength(snaplen); err != nil {
		return err
	}
	if promisc {
		if err := h.SetPromiscuous(true); err != nil {
			return fmt.Errorf("promiscuous mode: %w", err)
		}
	}
	return nil
}

// liveSource reads an AF_PACKET socket.
type liveSource struct {
	iface    string
	index    int
	h        *pcapgo.EthernetHandle
	linkType layers.LinkType
	vm       *bpf.VM // the kernel's program, rerun on each frame
	closed   atomic.Bool

	mu    sync.Mutex
	stats Stats // kernel counters so far (the kernel resets them on read)
}

// Next returns the next frame that passes the program. Frames queued
// between the socket's creation and the filter's attachment passed no
// filter: running the program again in user space drops them.
func (s *liveSource) Next(p *Packet) error {
	for {
		data, ci, err := s.h.ZeroCopyReadPacketData()
		if err != nil {
			if s.closed.Load() {
				return io.EOF
			}
			return fmt.Errorf("live capture on %s: %w", s.iface, err)
		}
		if n, _ := s.vm.Run(data); n == 0 {
			continue
		}
		ci.Timestamp = ci.Timestamp.UTC()
		p.Data, p.CI, p.LinkType, p.Source = data, ci, s.linkType, s.index
		return nil
	}
}

func (s *liveSource) Label() string { return s.iface }

// Stats adds the kernel's counters since the last call to the totals.
func (s *liveSource) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed.Load() {
		s.update()
	}
	return s.stats
}

// update adds the kernel's counters (PACKET_STATISTICS, which the kernel
// resets on each read) to the totals. Called with mu held.
func (s *liveSource) update() {
	if st, err := s.h.Stats(); err == nil {
		s.stats.Received += uint64(st.Packets)
		s.stats.Dropped += uint64(st.Drops)
	}
}

// Close reads the kernel's counters one last time, then closes the
// socket (after which they can no longer be read: Stats returns the
// totals); a Next blocked in another goroutine returns io.EOF.
func (s *liveSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return nil
	}
	s.update()
	s.closed.Store(true)
	return s.h.Close()
}
