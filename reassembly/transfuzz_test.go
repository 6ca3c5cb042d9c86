package reassembly

// Benchmarks of the transaction reassembler on the lab capture's
// transactions, and its fuzz target on transactions built to [MS-CIFS]
// §2.2.4.33.

import (
	"encoding/binary"
	"math/rand"
	"testing"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

func BenchmarkTransReassemble24(b *testing.B) {
	msgs := transCaptureMessages(b, transEnumCapture)
	_, resp := transSplit(b, msgs, 6, 4)
	var smbs []*dissect.SMB
	for _, m := range resp {
		smbs = append(smbs, transDecode(b, m.data))
	}
	r := NewTransReassembler[int](TransConfig{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, s := range smbs {
			r.Add(6, s, resp[k].frame, resp[k].ts)
		}
	}
}

func BenchmarkTransSingle(b *testing.B) {
	msgs := transCaptureMessages(b, transEnumCapture)
	_, resp := transSplit(b, msgs, 5, 6)
	s := transDecode(b, resp[0].data)
	r := NewTransReassembler[int](TransConfig{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Add(5, s, resp[0].frame, resp[0].ts)
	}
}

// transBuild makes an SMB_COM_TRANSACTION response piece: pc parameter
// bytes at pd and dc data bytes at dd of blocks whose byte at position i
// is byte(i) (parameters) or byte(i*7) (data), under the given totals.
func transBuild(mid uint16, tpc, tdc, pc, pd, dc, dd uint16) []byte {
	m := make([]byte, 32, 64+int(pc)+int(dc))
	copy(m, "\xffSMB\x25")
	m[9] = 0x80 // response
	binary.LittleEndian.PutUint16(m[30:], mid)
	po := 32 + 1 + 20 + 2
	w := make([]byte, 20)
	binary.LittleEndian.PutUint16(w[0:], tpc)
	binary.LittleEndian.PutUint16(w[2:], tdc)
	binary.LittleEndian.PutUint16(w[6:], pc)
	binary.LittleEndian.PutUint16(w[8:], uint16(po))
	binary.LittleEndian.PutUint16(w[10:], pd)
	binary.LittleEndian.PutUint16(w[12:], dc)
	binary.LittleEndian.PutUint16(w[14:], uint16(po)+pc)
	binary.LittleEndian.PutUint16(w[16:], dd)
	m = append(m, 10)
	m = append(m, w...)
	m = append(m, byte(pc+dc), byte((pc+dc)>>8))
	for i := 0; i < int(pc); i++ {
		m = append(m, byte(int(pd)+i))
	}
	for i := 0; i < int(dc); i++ {
		m = append(m, byte((int(dd)+i)*7))
	}
	return m
}

// FuzzTransReassembler drives the reassembler with pieces in any order,
// with lying totals, displacements and counts, on several keys and two
// connections. It must not panic, must stay within its bounds, and what
// it calls complete must be exactly the blocks announced.
func FuzzTransReassembler(f *testing.F) {
	// seeds: the shape of the real 5-piece reply (8 + 3058 bytes, pieces
	// of 644/652/652/652/458), scaled down, in order and shuffled
	f.Add([]byte{0, 8, 80, 8, 0, 20, 0, 0, 8, 80, 0, 0, 20, 20, 0, 8, 80, 0, 0, 40, 40})
	f.Add([]byte{0, 8, 80, 0, 0, 40, 40, 0, 8, 80, 8, 0, 20, 0, 0, 8, 80, 0, 0, 20, 20, 1, 8, 80, 0, 0, 20, 20})
	f.Add([]byte{2, 4, 9, 4, 0, 9, 0, 2, 4, 9, 4, 0, 9, 0, 2, 4, 200, 0, 4, 9, 250})
	f.Fuzz(func(t *testing.T, ops []byte) { transFuzzOps(t, ops) })
}

// transFuzzOps is FuzzTransReassembler's body: 7 bytes per piece (key and
// connection, totals, counts, displacements, time step).
func transFuzzOps(t testing.TB, ops []byte) {
	{
		r := NewTransReassembler[int](TransConfig{MaxBytes: 600, MaxPieces: 8, MaxPending: 3, MaxRequests: 2, Timeout: time.Second})
		ts := time.Unix(1e9, 0)
		var out []TransResult
		check := func(res TransResult) {
			if res.Complete {
				if len(res.Params) != res.TotalParamCount || len(res.Data) != res.TotalDataCount {
					t.Fatalf("complete with %d+%d bytes, totals %d+%d", len(res.Params), len(res.Data), res.TotalParamCount, res.TotalDataCount)
				}
				for i, c := range res.Params {
					if c != byte(i) {
						t.Fatalf("param byte %d = %d", i, c)
					}
				}
				for i, c := range res.Data {
					if c != byte(i*7) {
						t.Fatalf("data byte %d = %d", i, c)
					}
				}
			}
			for _, m := range res.Missing {
				if m.Start >= m.End || m.Start < 0 {
					t.Fatalf("bad missing range %v", m)
				}
			}
		}
		for len(ops) >= 7 {
			op := ops[:7]
			ops = ops[7:]
			mid := uint16(op[0] & 3)
			conn := int(op[0] >> 2 & 1)
			msg := transBuild(mid, uint16(op[1]), uint16(op[2]), uint16(op[3]%64), uint16(op[4]), uint16(op[5]%128), uint16(op[6]))
			var s dissect.SMB
			if s.DecodeFromBytes(msg, nil) != nil {
				continue
			}
			ts = ts.Add(time.Duration(op[0]>>3) * 100 * time.Millisecond)
			check(r.Add(conn, &s, 1, ts))
			if r.Pending() > 3 || r.Requests() > 2 {
				t.Fatalf("bounds: %d pending, %d requests", r.Pending(), r.Requests())
			}
			for _, p := range r.pending {
				if p.stored > 600 || len(p.frames) > 8 {
					t.Fatalf("pending transaction holds %d bytes, %d pieces", p.stored, len(p.frames))
				}
			}
			out = r.Expire(ts, out[:0])
			for _, res := range out {
				check(res)
			}
		}
		for _, res := range r.CloseConn(0, nil) {
			check(res)
		}
	}
}

// TestTransFuzzSpeed runs the fuzz body on random inputs: a few thousand
// must take well under a second.
func TestTransFuzzSpeed(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	start := time.Now()
	for i := 0; i < 2000; i++ {
		ops := make([]byte, rng.Intn(200))
		rng.Read(ops)
		transFuzzOps(t, ops)
	}
	t.Logf("2000 runs in %v", time.Since(start))
}
