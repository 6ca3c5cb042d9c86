package reassembly

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Real headers, from testdata/pcaps/enum.pcapng (Samba lab, TCP 139).
const (
	// Frame 779, tshark: "NBSS 138 Session request, to FILES2<20> from
	// CLIENT<00>": type 0x81, flags 0, length 68, then the 34-byte called
	// name (label length 0x20) and the calling name.
	framerRequest = "81" + "00" + "0044" +
		"20" + "4547454a454d4546464444434341434143414341434143414341434143414341" + "00" +
		"20" + "4544454d454a4546454f46454341434143414341434143414341434143414141" + "00"
	// Frame 781, tshark: "NBSS 70 Positive session response": 0x82, flags
	// 0, length 0.
	framerPositive = "82" + "00" + "0000"
	// Frame 783, tshark: "SMB2 290 Negotiate Protocol Request": a session
	// message (0x00), flags 0, length 220, carrying \xfeSMB.
	framerMessage783 = "00" + "00" + "00dc" + "fe534d42"
)

// TestFrameNBSS: what the framer finds at the start of its input. Each
// result is one of a whole packet (Consumed), an incomplete one (Needed,
// with Length once the header is read), or lost track.
func TestFrameNBSS(t *testing.T) {
	req := unhex(t, framerRequest)
	if len(req) != 72 {
		t.Fatalf("session request of %d bytes, want 72", len(req))
	}
	msg := append(unhex(t, framerMessage783), make([]byte, 216)...)
	for _, c := range []struct {
		name   string
		b      []byte
		direct bool
		want   Framing
	}{
		{"session request, whole", req, false, Framing{Consumed: 72, Length: 72}},
		{"session request, 3 bytes of the header", req[:3], false, Framing{Needed: 4}},
		{"session request, 40 of 72 bytes", req[:40], false, Framing{Needed: 72, Length: 72}},
		{"positive response", unhex(t, framerPositive), false, Framing{Consumed: 4, Length: 4}},
		{"positive response then a message: the first only", append(unhex(t, framerPositive), msg...), false, Framing{Consumed: 4, Length: 4}},
		{"session message, whole", msg, false, Framing{Consumed: 224, Length: 224}},
		{"session message, 6 bytes (flags 0: both lengths agree)", msg[:6], false, Framing{Needed: 224, Length: 224}},
		// Built to [MS-SMB2] §2.1 / packet-nbt.c: on 139, flags beyond E
		// are the high bits of a 24-bit length only if SMB follows.
		{"flags 0x02, 5 bytes: the signature is needed", unhex(t, "000200dcfe"), false, Framing{Needed: 8}},
		{"flags 0x02 and \\xfeSMB: 24-bit length", unhex(t, "000200dcfe534d42"), false, Framing{Needed: 4 + 0x0200dc, Length: 4 + 0x0200dc}},
		{"flags 0x02 without SMB: reserved flags", unhex(t, "000200dc00000000"), false, Framing{Lost: true}},
		{"direct: 24-bit length", unhex(t, "00010000fe534d42"), true, Framing{Needed: 4 + 0x10000, Length: 4 + 0x10000}},
		{"E flag on 139: 17-bit length", unhex(t, "00010000ff534d42"), false, Framing{Needed: 4 + 0x10000, Length: 4 + 0x10000}},
		// Built to RFC 1002 §4.3.7: a keep-alive, on 139 and on 445.
		{"keep-alive", unhex(t, "85000000"), false, Framing{Consumed: 4, Length: 4}},
		{"keep-alive, direct", unhex(t, "85000000"), true, Framing{Consumed: 4, Length: 4}},
		{"session request on 445", req, true, Framing{Lost: true}},
		{"unknown type", unhex(t, "86000000"), false, Framing{Lost: true}},
		{"unknown type, 1 byte", unhex(t, "01"), false, Framing{Lost: true}},
		{"empty session message", unhex(t, "00000000"), false, Framing{Lost: true}},
		{"keep-alive with a length", unhex(t, "85000001ff"), false, Framing{Lost: true}},
	} {
		if got := FrameNBSS(c.b, c.direct); got != c.want {
			t.Errorf("%s: FrameNBSS = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestResyncNBSS: where a header may start after the framing lost track.
func TestResyncNBSS(t *testing.T) {
	junk := unhex(t, "deadbeef0102")
	msg := unhex(t, framerMessage783)
	req := unhex(t, framerRequest)
	for _, c := range []struct {
		name     string
		b        []byte
		from     int
		off      int
		anywhere bool
	}{
		{"a message carrying SMB, anywhere", append(append([]byte{}, junk...), msg...), 0, len(junk), true},
		{"a session request with its label, anywhere", append(append([]byte{}, junk...), req...), 0, len(junk), true},
		{"a keep-alive, at a segment start only", append(append([]byte{}, junk...), 0x85, 0, 0, 0), 0, len(junk), false},
		{"a short message, at a segment start only", append(append([]byte{}, junk...), 0, 0, 0, 0xdc, 0xfe), 0, len(junk), false},
		// 00 00 dc fe 53 4d 42: 7 bytes that read as a session message of
		// 0xdcfe bytes, too short to show a signature.
		{"from past the candidate", append(append([]byte{}, junk...), msg...), len(junk) + 1, len(junk) + 1, false},
		// With an eighth byte, the missing signature rules them out.
		{"from past the candidate, 8 bytes", append(append(append([]byte{}, junk...), msg...), 0xff), len(junk) + 1, len(junk) + len(msg) + 1, false},
		{"nothing", junk, 0, len(junk), false},
	} {
		off, anywhere := ResyncNBSS(c.b, c.from, false)
		if off != c.off || anywhere != c.anywhere {
			t.Errorf("%s: ResyncNBSS = %d, %v, want %d, %v", c.name, off, anywhere, c.off, c.anywhere)
		}
	}
}

// FuzzFrameNBSS: the framer says one thing of any input, and the same of
// every prefix of a packet it frames: incomplete, with the same length
// once the header is read. A resync candidate is a header the framer does
// not reject.
func FuzzFrameNBSS(f *testing.F) {
	f.Add(unhex(f, framerRequest), false)
	f.Add(unhex(f, framerMessage783), false)
	f.Add(unhex(f, "000200dcfe534d42"), false)
	f.Add(unhex(f, "00010000fe534d42"), true)
	f.Add(unhex(f, "deadbeef85000000"), false)
	f.Fuzz(func(t *testing.T, b []byte, direct bool) {
		if len(b) == 0 {
			return
		}
		fr := FrameNBSS(b, direct)
		n := 0
		for _, on := range []bool{fr.Consumed > 0, fr.Needed > 0, fr.Lost} {
			if on {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("FrameNBSS(%x) = %+v: not one of whole, incomplete, lost", b, fr)
		}
		switch {
		case fr.Consumed > 0:
			if fr.Consumed > len(b) || fr.Length != fr.Consumed {
				t.Fatalf("FrameNBSS(%x) = %+v", b, fr)
			}
			if again := FrameNBSS(b[:fr.Consumed], direct); again != fr {
				t.Fatalf("the packet alone frames as %+v, in %x as %+v", again, b, fr)
			}
			for k := 1; k < fr.Consumed; k++ {
				p := FrameNBSS(b[:k], direct)
				if p.Needed <= k || p.Length != 0 && p.Length != fr.Length {
					t.Fatalf("prefix %x of %x frames as %+v", b[:k], b, p)
				}
			}
		case fr.Needed > 0:
			if fr.Needed <= len(b) || fr.Length != 0 && fr.Length != fr.Needed {
				t.Fatalf("FrameNBSS(%x) = %+v", b, fr)
			}
		}
		off, _ := ResyncNBSS(b, 0, direct)
		if off < len(b) && FrameNBSS(b[off:], direct).Lost {
			t.Fatalf("ResyncNBSS(%x) = %d, which the framer rejects", b, off)
		}
		if again := bytes.Clone(b); FrameNBSS(again, direct) != fr {
			t.Fatal("FrameNBSS is not a function of its input")
		}
	})
}
