package engine

import (
	"bytes"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// checkTCPHeader decodes data with decodeTCPHeader and with gopacket's
// TCP.DecodeFromBytes: the first must refuse exactly the headers the second
// refuses, and give every field the engine reads as it does.
func checkTCPHeader(t *testing.T, data []byte) {
	t.Helper()
	var ours, gp layers.TCP
	ok := decodeTCPHeader(&ours, data)
	err := gp.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
	if ok != (err == nil) {
		t.Fatalf("% x: decodeTCPHeader %v, gopacket %v", data, ok, err)
	}
	if !ok {
		return
	}
	type fields struct {
		sp, dp                                  layers.TCPPort
		seq, ack                                uint32
		off                                     uint8
		fin, syn, rst, psh, ackf, urg, ece, cwr bool
		ns                                      bool
		win, sum, urgp                          uint16
	}
	of := func(c *layers.TCP) fields {
		return fields{c.SrcPort, c.DstPort, c.Seq, c.Ack, c.DataOffset, c.FIN, c.SYN, c.RST, c.PSH, c.ACK, c.URG, c.ECE, c.CWR, c.NS, c.Window, c.Checksum, c.Urgent}
	}
	if of(&ours) != of(&gp) {
		t.Fatalf("% x: fields %+v, gopacket %+v", data, of(&ours), of(&gp))
	}
	if !bytes.Equal(ours.Contents, gp.Contents) || !bytes.Equal(ours.Payload, gp.Payload) ||
		len(ours.Contents) != len(gp.Contents) || len(ours.Payload) != len(gp.Payload) {
		t.Fatalf("% x: contents/payload % x / % x, gopacket % x / % x", data, ours.Contents, ours.Payload, gp.Contents, gp.Payload)
	}
	if ours.TransportFlow() != gp.TransportFlow() && gopacket.NewFlow(layers.EndpointTCPPort, ours.Contents[0:2], ours.Contents[2:4]) != gp.TransportFlow() {
		t.Fatalf("% x: the header's ports do not make gopacket's transport flow", data)
	}
}

// TestDecodeTCPHeaderIsGopacket: every TCP header of the lab and corpus
// captures (with options: timestamps, SACK, window scale), and each cut
// short at every length and given every data offset, decodes as gopacket
// decodes it, or is refused where gopacket gives an error.
func TestDecodeTCPHeaderIsGopacket(t *testing.T) {
	n := 0
	for _, path := range sharedAndLabCaptures(t) {
		eachFrame(t, path, func(fr *captureFrame) {
			p := gopacket.NewPacket(fr.data, fr.lt, gopacket.NoCopy)
			tc, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
			if tc == nil {
				return
			}
			seg := append(append([]byte(nil), tc.Contents...), tc.Payload...)
			n++
			checkTCPHeader(t, seg)
			if n > 200 {
				return // the variations of the first 200 are enough
			}
			for l := 0; l < min(len(seg), 80); l++ {
				checkTCPHeader(t, seg[:l])
			}
			v := append([]byte(nil), seg...)
			for off := range 16 {
				v[12] = v[12]&0x0f | byte(off)<<4
				checkTCPHeader(t, v)
			}
		})
	}
	if n == 0 {
		t.Fatal("no TCP segment in the captures")
	}
}

// FuzzDecodeTCPHeader: any bytes decode as gopacket decodes them.
func FuzzDecodeTCPHeader(f *testing.F) {
	f.Add([]byte{0x00, 0x8b, 0x04, 0x01, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 0x18, 0xff, 0xff, 0, 0, 0, 0,
		1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0x85, 0, 0, 0})
	f.Add(make([]byte, 20))
	f.Fuzz(func(t *testing.T, data []byte) { checkTCPHeader(t, data) })
}
