package natsfeed

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/capture"
)

// frameMsg is a KindFrame message for sensor "lab/a", frame 7, with the
// 4 bytes de ad be ef.
var frameMsg = mustHex(
	"4e46" + // magic "NF"
		"01" + // version 1
		"01" + // kind: frame
		"0001" + // link type 1 (Ethernet)
		"05" + // sensor id length
		"00" + // flags
		"0000000000000007" + // frame number 7
		"16f4a3b2c1d0e0f0" + // capture time, ns
		"00000002" + // interface 2
		"0000003c" + // 60 bytes on the wire
		"6c61622f61" + // sensor id "lab/a"
		"deadbeef") // frame bytes

// heartbeatMsg: sensor "s1" says nothing before its watermark is left,
// after frame 9, with 100 frames received, 3 dropped, 1 dropped by the NIC.
var heartbeatMsg = mustHex(
	"4e46" + "01" + "02" + "0000" + "02" + "00" +
		"0000000000000009" + // last frame number
		"16f4a3b2c1d0e0f0" + // watermark
		"00000000" + "00000000" +
		"7331" + // "s1"
		"0000000000000064" + "0000000000000003" + "0000000000000001")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestDecodeMessage(t *testing.T) {
	var m Message
	if err := DecodeMessage(frameMsg, &m); err != nil {
		t.Fatal(err)
	}
	want := Message{Kind: KindFrame, Seq: 7, Time: 0x16f4a3b2c1d0e0f0, LinkType: layers.LinkTypeEthernet,
		Interface: 2, Length: 60, Sensor: []byte("lab/a"), Data: []byte{0xde, 0xad, 0xbe, 0xef}}
	if !equalMessage(m, want) {
		t.Errorf("got %+v, want %+v", m, want)
	}
	if got := AppendMessage(nil, &m); !bytes.Equal(got, frameMsg) {
		t.Errorf("re-encoded:\n%x\nwant\n%x", got, frameMsg)
	}

	if err := DecodeMessage(heartbeatMsg, &m); err != nil {
		t.Fatal(err)
	}
	want = Message{Kind: KindHeartbeat, Seq: 9, Time: 0x16f4a3b2c1d0e0f0, Sensor: []byte("s1"),
		Stats: capture.Stats{Received: 100, Dropped: 3, IfDropped: 1}}
	if !equalMessage(m, want) {
		t.Errorf("got %+v, want %+v", m, want)
	}
	if got := AppendMessage(nil, &m); !bytes.Equal(got, heartbeatMsg) {
		t.Errorf("re-encoded:\n%x\nwant\n%x", got, heartbeatMsg)
	}
}

func equalMessage(a, b Message) bool {
	return a.Kind == b.Kind && a.Seq == b.Seq && a.Time == b.Time && a.LinkType == b.LinkType &&
		a.Interface == b.Interface && a.Length == b.Length && bytes.Equal(a.Sensor, b.Sensor) &&
		bytes.Equal(a.Data, b.Data) && a.Stats == b.Stats
}

func patch(b []byte, off int, v ...byte) []byte {
	b = bytes.Clone(b)
	copy(b[off:], v)
	return b
}

func TestDecodeMessageMalformed(t *testing.T) {
	big := AppendMessage(nil, &Message{Kind: KindFrame, Seq: 1, Sensor: []byte("s"), Data: make([]byte, capture.MaxRecordSize+1)})
	for _, tt := range []struct {
		name  string
		in    []byte
		err   error
		field string
	}{
		{"empty", nil, ErrTruncated, "header"},
		{"JSON", []byte(`{"frame":"3q2+7w=="}`), ErrVersion, "magic"},
		{"version 2", patch(frameMsg, 2, 2), ErrVersion, "version"},
		{"cut header", frameMsg[:20], ErrTruncated, "header"},
		{"kind 0", patch(frameMsg, 3, 0), ErrMalformed, "kind"},
		{"kind 4", patch(frameMsg, 3, 4), ErrMalformed, "kind"},
		{"flags", patch(frameMsg, 7, 0x80), ErrMalformed, "flags"},
		{"sensor id past the end", patch(frameMsg, 6, 0xff), ErrTruncated, "sensor id"},
		{"no sensor id", patch(frameMsg, 6, 0), ErrMalformed, "sensor id"},
		{"sensor id with a newline", patch(frameMsg, 32, '\n'), ErrMalformed, "sensor id"},
		{"sensor id not UTF-8", patch(frameMsg, 32, 0xff), ErrMalformed, "sensor id"},
		{"frame number 0", patch(frameMsg, 15, 0), ErrMalformed, "sequence"},
		{"frame over MaxRecordSize", big, ErrMalformed, "frame"},
		{"heartbeat cut", heartbeatMsg[:len(heartbeatMsg)-1], ErrTruncated, "heartbeat counters"},
		{"heartbeat too long", append(bytes.Clone(heartbeatMsg), 0), ErrMalformed, "heartbeat counters"},
		{"heartbeat with a link type", patch(heartbeatMsg, 5, 1), ErrMalformed, "header"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			err := DecodeMessage(tt.in, &m)
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, tt.err) || de.Field != tt.field {
				t.Fatalf("error %v, want %v in field %q", err, tt.err, tt.field)
			}
			if !strings.HasPrefix(err.Error(), "natsfeed: "+tt.field+": ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestDecodeMessageAllocs(t *testing.T) {
	var m Message
	n := testing.AllocsPerRun(100, func() {
		if err := DecodeMessage(frameMsg, &m); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("%v allocations per decode, want 0", n)
	}
}

func BenchmarkDecodeMessage(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(frameMsg)))
	var m Message
	for b.Loop() {
		if err := DecodeMessage(frameMsg, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodeMessage: any bytes decode to an in-range message or a
// *DecodeError, never a panic, and a message re-encodes to its bytes.
func FuzzDecodeMessage(f *testing.F) {
	f.Add(frameMsg)
	f.Add(heartbeatMsg)
	f.Add(patch(heartbeatMsg, 3, byte(KindEnd)))
	f.Add(frameMsg[:HeaderLen])
	f.Add([]byte("NF\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Message
		err := DecodeMessage(b, &m)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is no *DecodeError", err)
			}
			return
		}
		if m.Kind < KindFrame || m.Kind > KindEnd || len(m.Data) > capture.MaxRecordSize || checkSensor(m.Sensor) != nil {
			t.Fatalf("out of range: %+v", m)
		}
		if m.Kind == KindFrame && m.Seq == 0 {
			t.Fatal("frame number 0 accepted")
		}
		if got := AppendMessage(nil, &m); !bytes.Equal(got, b) {
			t.Fatalf("re-encoded %x, want %x", got, b)
		}
	})
}
