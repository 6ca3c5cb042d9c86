package reassembly

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/internal/specframes"
)

// dgramReal is a DIRECT_GROUP datagram built to RFC 1002 §4.4.2 with
// what tshark shows of browser-host-announce-request_ppa-bethscomputer.pcap
// frame 2, "2 1.271630 192.168.0.122 → 192.168.0.255 BROWSER 228 Request
// Announcement TESLA-MARKETING": DGM_ID 0x8050, 34-byte names, 104 bytes of
// user data (a mailslot write of the request). TestDatagramAsCaptured
// checks that it is that frame's UDP payload, byte for byte.
func dgramReal() []byte {
	d := specframes.Datagram{Type: specframes.DirectGroup, Flags: specframes.DgmFirst, ID: 0x8050,
		SrcIP: specframes.IP{192, 168, 0, 122}, SrcPort: 138,
		SrcName: specframes.Name("TESLA-MARKETING", 0x00), DstName: specframes.Name("TESLA", 0x1d)}
	return d.Build(specframes.Mailslot(specframes.Browse, specframes.RequestAnnouncement("TESLA-MARKETING")))
}

// TestDatagramAsCaptured: the datagram built to the spec is the one
// Windows sent (corpus).
func TestDatagramAsCaptured(t *testing.T) {
	for _, p := range streamReadCapture(t, "browser-host-announce-request_ppa-bethscomputer.pcap") {
		if p.frame == 2 {
			if p.udp == nil || p.udp.DstPort != layers.UDPPort(dissect.PortNBDGM) {
				t.Fatal("frame 2 is not a datagram")
			}
			if !bytes.Equal(p.udp.Payload, dgramReal()) {
				t.Errorf("frame 2 carries\n% x\nbuilt to the spec:\n% x", p.udp.Payload, dgramReal())
			}
			return
		}
	}
	t.Fatal("no frame 2")
}

// dgramFragments splits the real datagram's user data at the given
// offsets, built to RFC 1002 §4.4.1: each fragment has the header and both
// names, F on the first, M on all but the last, PACKET_OFFSET set and
// DGM_LENGTH counting the names and its own data. id replaces DGM_ID.
func dgramFragments(tb testing.TB, id uint16, cuts ...int) [][]byte {
	real := dgramReal()
	const names = 14 + 34 + 34
	hdr, user := real[:names], real[names:]
	var out [][]byte
	prev := 0
	for i, c := range append(cuts, len(user)) {
		f := append([]byte(nil), hdr...)
		f[1] &^= byte(dissect.NBDGMFlagFirst | dissect.NBDGMFlagMore)
		if i == 0 {
			f[1] |= byte(dissect.NBDGMFlagFirst)
		}
		if i < len(cuts) {
			f[1] |= byte(dissect.NBDGMFlagMore)
		}
		binary.BigEndian.PutUint16(f[2:], id)
		binary.BigEndian.PutUint16(f[10:], uint16(68+c-prev))
		binary.BigEndian.PutUint16(f[12:], uint16(prev))
		out = append(out, append(f, user[prev:c]...))
		prev = c
	}
	return out
}

func dgramDecode(tb testing.TB, b []byte) *dissect.NBDGM {
	tb.Helper()
	d := new(dissect.NBDGM)
	if err := d.DecodeFromBytes(b, nil); err != nil {
		tb.Fatalf("fragment does not decode: %v", err)
	}
	return d
}

var dgramT0 = time.Unix(1700000000, 0)

func TestDatagramWhole(t *testing.T) {
	r := NewDatagramReassembler(DatagramLimits{})
	d := dgramDecode(t, dgramReal())
	got, anoms := r.Add(2, dgramT0, d)
	if got == nil || len(anoms) != 0 || got.Fragmented || len(got.Frames) != 1 || got.Frames[0] != 2 {
		t.Fatalf("%+v %+v", got, anoms)
	}
	if &got.Payload[0] != &d.Payload[0] || len(got.Payload) != 104 {
		t.Errorf("payload not the packet's own")
	}
	if got.Key != (DatagramKey{SourceIP: [4]byte{192, 168, 0, 122}, SourcePort: 138, DatagramID: 0x8050}) || got.Key.String() != "192.168.0.122:138 id 0x8050" {
		t.Errorf("key %v", got.Key)
	}
	// A datagram error has no user data: nothing comes back.
	var e dissect.NBDGM
	if err := e.DecodeFromBytes([]byte{0x13, 0x0e, 0x10, 0x03, 192, 168, 0, 122, 0, 138, 0x82}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Add(3, dgramT0, &e); got != nil {
		t.Errorf("datagram error gave %+v", got)
	}
}

func TestDatagramFragments(t *testing.T) {
	whole := dgramReal()[82:]
	frags := dgramFragments(t, 0x1008, 40, 70)
	for _, tt := range []struct {
		name  string
		order []int // fragment index; the frame is 10+position
		done  int   // position at which the datagram completes
	}{
		{"in order", []int{0, 1, 2}, 2},
		{"reversed", []int{2, 1, 0}, 2},
		{"middle first", []int{1, 2, 0}, 2},
		{"duplicates", []int{0, 0, 1, 1, 2}, 4},
		{"last twice", []int{2, 2, 0, 1}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := NewDatagramReassembler(DatagramLimits{})
			for pos, i := range tt.order {
				got, anoms := r.Add(10+pos, dgramT0.Add(time.Duration(pos)*time.Millisecond), dgramDecode(t, frags[i]))
				if len(anoms) != 0 {
					t.Fatalf("anomalies %+v", anoms)
				}
				if (got != nil) != (pos == tt.done) {
					t.Fatalf("position %d: got %v", pos, got != nil)
				}
				if got == nil {
					continue
				}
				if !bytes.Equal(got.Payload, whole) || !got.Fragmented || len(got.Frames) != 3 || !got.First.Equal(dgramT0) {
					t.Errorf("datagram %+v", got)
				}
				for k, f := range got.Frames {
					if tt.order[f-10] != k {
						t.Errorf("frames %v not in offset order", got.Frames)
					}
				}
			}
			if r.Pending() != 0 {
				t.Errorf("%d pending", r.Pending())
			}
		})
	}
}

// TestDatagramNoFirstFlag: a sender that never sets F still has its
// fragment at offset 0.
func TestDatagramNoFirstFlag(t *testing.T) {
	frags := dgramFragments(t, 0x2000, 50)
	frags[0][1] &^= byte(dissect.NBDGMFlagFirst)
	r := NewDatagramReassembler(DatagramLimits{})
	if got, _ := r.Add(1, dgramT0, dgramDecode(t, frags[0])); got != nil {
		t.Fatal("complete too early")
	}
	got, anoms := r.Add(2, dgramT0, dgramDecode(t, frags[1]))
	if got == nil || len(anoms) != 0 || len(got.Payload) != 104 {
		t.Fatalf("%+v %+v", got, anoms)
	}
}

func TestDatagramExpire(t *testing.T) {
	frags := dgramFragments(t, 0x3000, 40, 70)
	r := NewDatagramReassembler(DatagramLimits{Timeout: 5 * time.Second})
	r.Add(1, dgramT0, dgramDecode(t, frags[0]))
	r.Add(2, dgramT0.Add(time.Second), dgramDecode(t, frags[2]))
	if anoms := r.Expire(dgramT0.Add(5 * time.Second)); len(anoms) != 0 {
		t.Fatalf("expired at the limit: %+v", anoms)
	}
	// The next fragment comes too late: the datagram expired before it,
	// and it starts a new one.
	got, anoms := r.Add(3, dgramT0.Add(6*time.Second), dgramDecode(t, frags[1]))
	if got != nil || len(anoms) != 1 {
		t.Fatalf("%+v %+v", got, anoms)
	}
	a := anoms[0]
	if a.Kind != DatagramExpired || a.Have != 40+34 || a.Want != 104 || len(a.Frames) != 2 || a.Frames[0] != 1 || a.Frames[1] != 2 ||
		!errors.Is(a.Err, dissect.ErrTruncated) || a.Key.DatagramID != 0x3000 {
		t.Errorf("anomaly %+v", a)
	}
	if r.Pending() != 1 {
		t.Errorf("%d pending", r.Pending())
	}
	anoms = r.FlushAll()
	if len(anoms) != 1 || anoms[0].Kind != DatagramIncomplete || anoms[0].Frames[0] != 3 || r.Pending() != 0 {
		t.Errorf("FlushAll %+v", anoms)
	}
}

func TestDatagramEvict(t *testing.T) {
	r := NewDatagramReassembler(DatagramLimits{MaxPending: 2})
	for i := 0; i < 3; i++ {
		_, anoms := r.Add(i+1, dgramT0, dgramDecode(t, dgramFragments(t, uint16(0x100+i), 40)[0]))
		if (len(anoms) == 1) != (i == 2) {
			t.Fatalf("fragment %d: anomalies %+v", i, anoms)
		}
		if i == 2 && (anoms[0].Kind != DatagramEvicted || anoms[0].Key.DatagramID != 0x100 || !errors.Is(anoms[0].Err, dissect.ErrLimit)) {
			t.Errorf("anomaly %+v", anoms[0])
		}
	}
	if r.Pending() != 2 {
		t.Errorf("%d pending", r.Pending())
	}
}

func TestDatagramTooLarge(t *testing.T) {
	frags := dgramFragments(t, 0x4000, 40, 70)
	r := NewDatagramReassembler(DatagramLimits{MaxBytes: 60})
	r.Add(1, dgramT0, dgramDecode(t, frags[0]))
	_, anoms := r.Add(2, dgramT0, dgramDecode(t, frags[1]))
	if len(anoms) != 1 || anoms[0].Kind != DatagramTooLarge || anoms[0].Frame != 2 || !errors.Is(anoms[0].Err, dissect.ErrLimit) {
		t.Fatalf("anomalies %+v", anoms)
	}
	// The rest is ignored quietly, and so is its expiry.
	if got, anoms := r.Add(3, dgramT0, dgramDecode(t, frags[2])); got != nil || len(anoms) != 0 {
		t.Errorf("%+v %+v", got, anoms)
	}
	if anoms := r.Expire(dgramT0.Add(time.Hour)); len(anoms) != 0 || r.Pending() != 0 {
		t.Errorf("expiry %+v, %d pending", anoms, r.Pending())
	}
	r = NewDatagramReassembler(DatagramLimits{MaxFragments: 2})
	r.Add(1, dgramT0, dgramDecode(t, frags[0]))
	r.Add(2, dgramT0, dgramDecode(t, frags[1]))
	if _, anoms := r.Add(3, dgramT0, dgramDecode(t, frags[2])); len(anoms) != 1 || anoms[0].Kind != DatagramTooLarge {
		t.Errorf("fragments limit: %+v", anoms)
	}
}

func TestDatagramBadFragments(t *testing.T) {
	frags := dgramFragments(t, 0x5000, 40, 70)
	other := dgramFragments(t, 0x5000, 30, 70) // the same id cut elsewhere
	changed := append([]byte(nil), frags[1]...)
	changed[len(changed)-1] ^= 0xff
	firstAt10 := append([]byte(nil), frags[1]...)
	firstAt10[1] |= byte(dissect.NBDGMFlagFirst)
	at80 := append([]byte(nil), frags[1]...) // 30 bytes at 80: past 104
	binary.BigEndian.PutUint16(at80[12:], 80)
	for _, tt := range []struct {
		name string
		seq  [][]byte
	}{
		{"second first fragment", [][]byte{frags[0], other[0]}},
		{"first fragment not at 0", [][]byte{firstAt10}},
		{"overlap with other bytes", [][]byte{frags[1], changed}},
		{"second last fragment", [][]byte{frags[2], frags[2][:len(frags[2])-5]}},
		{"past the end", [][]byte{frags[2], at80}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := NewDatagramReassembler(DatagramLimits{})
			var anoms []DatagramAnomaly
			for i, b := range tt.seq {
				d := dgramDecode(t, fixLen(b))
				_, anoms = r.Add(i+1, dgramT0, d)
			}
			if len(anoms) != 1 || anoms[0].Kind != DatagramBadFragment || anoms[0].Frame != len(tt.seq) || !errors.Is(anoms[0].Err, dissect.ErrMalformed) {
				t.Errorf("anomalies %+v", anoms)
			}
		})
	}
}

// fixLen sets DGM_LENGTH to what the packet holds.
func fixLen(b []byte) []byte {
	b = append([]byte(nil), b...)
	binary.BigEndian.PutUint16(b[10:], uint16(len(b)-14))
	return b
}

func TestDatagramAllocs(t *testing.T) {
	frags := dgramFragments(t, 0x6000, 40, 70)
	ds := make([]*dissect.NBDGM, len(frags))
	for i, f := range frags {
		ds[i] = dgramDecode(t, f)
	}
	r := NewDatagramReassembler(DatagramLimits{})
	run := func() {
		for i := len(ds) - 1; i >= 0; i-- {
			if got, anoms := r.Add(i, dgramT0, ds[i]); len(anoms) != 0 || (got == nil) != (i != 0) {
				t.Fatalf("fragment %d: %v %v", i, got, anoms)
			}
		}
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%v allocations per datagram", n)
	}
}

func BenchmarkDatagramReassembler(b *testing.B) {
	frags := dgramFragments(b, 0x7000, 40, 70)
	ds := make([]*dissect.NBDGM, len(frags))
	for i, f := range frags {
		ds[i] = dgramDecode(b, f)
	}
	r := NewDatagramReassembler(DatagramLimits{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, d := range ds {
			r.Add(i, dgramT0, d)
		}
	}
}

// FuzzDatagramReassembler feeds fragments of the real datagram cut, keyed
// and flagged as the input says, and checks the bounds.
func FuzzDatagramReassembler(f *testing.F) {
	f.Add([]byte{40, 0x03, 30, 0x01, 34, 0x00})
	f.Add([]byte{0, 0x02, 104, 0x00, 50, 0x11})
	real := dgramReal()
	lim := DatagramLimits{MaxPending: 4, MaxBytes: 300, MaxFragments: 8, Timeout: time.Second}
	f.Fuzz(func(t *testing.T, ops []byte) {
		r := NewDatagramReassembler(lim)
		off := 0
		for i := 0; i+1 < len(ops); i += 2 {
			n, fl := int(ops[i])%110, ops[i+1]
			b := append([]byte(nil), real[:82]...)
			b[1] = fl & 0x0f
			b[3] = fl >> 6 // four datagram ids
			if fl&0x20 != 0 {
				off = 0
			}
			binary.BigEndian.PutUint16(b[10:], uint16(68+n))
			binary.BigEndian.PutUint16(b[12:], uint16(off))
			b = append(b, real[82:82+min(n, 104)]...)
			for len(b) < 82+n {
				b = append(b, byte(len(b)))
			}
			var d dissect.NBDGM
			if d.DecodeFromBytes(b, nil) != nil {
				continue
			}
			got, anoms := r.Add(i, dgramT0.Add(time.Duration(fl&0x10)*50*time.Millisecond*time.Duration(i)), &d)
			if got != nil && (len(got.Payload) > lim.MaxBytes || len(got.Frames) == 0) {
				t.Fatalf("datagram of %d bytes in %d frames", len(got.Payload), len(got.Frames))
			}
			for _, a := range anoms {
				if a.Err == nil {
					t.Fatalf("anomaly without error %+v", a)
				}
			}
			if r.Pending() > lim.MaxPending {
				t.Fatalf("%d pending", r.Pending())
			}
			off += n
		}
		r.FlushAll()
		if r.Pending() != 0 {
			t.Fatalf("%d pending after FlushAll", r.Pending())
		}
	})
}
