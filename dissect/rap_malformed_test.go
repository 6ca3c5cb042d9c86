package dissect

// RAP's quirks and malformed input.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// ---- Quirks ----

// rapTestResp decodes response i of rapTestResponses after edit changes its
// parameter and data blocks (copies).
func rapTestResp(t *testing.T, i int, edit func(p, d []byte) ([]byte, []byte)) *RAPResponse {
	t.Helper()
	tc := rapTestResponses[i]
	p, d := rapHex(t, tc.params...), rapHex(t, tc.data...)
	if edit != nil {
		p, d = edit(p, d)
	}
	info := rapTestInfo(t, tc.req)
	r := new(RAPResponse)
	_ = r.Decode(p, d, &info)
	return r
}

func TestRAPQuirks(t *testing.T) {
	t.Run("whole buffer in the parameters", func(t *testing.T) {
		// Frame 247's 8 parameter bytes followed by 1024 bytes of the
		// server's buffer: the descriptor "WrLehDO" returns e and h only.
		r := rapTestResp(t, 0, func(p, d []byte) ([]byte, []byte) {
			return append(p, make([]byte, 1024)...), d
		})
		if r.Err != nil || r.EntryCount != 2 || r.Available != 2 || len(r.Servers) != 2 || r.ExtraParams != 1024 {
			t.Errorf("err %v entries %d/%d servers %d extra %d", r.Err, r.EntryCount, r.Available, len(r.Servers), r.ExtraParams)
		}
	})
	t.Run("fewer entries than available", func(t *testing.T) {
		// Frame 249 with EntriesAvailable 20: a list cut short.
		r := rapTestResp(t, 1, func(p, d []byte) ([]byte, []byte) {
			binary.LittleEndian.PutUint16(p[6:], 20)
			return p, d
		})
		if r.Err != nil || !r.Truncated() || len(r.Servers) != 1 {
			t.Errorf("err %v truncated %v servers %d", r.Err, r.Truncated(), len(r.Servers))
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 response, 1 of 20 entries (truncated)"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("ERROR_MORE_DATA with partial entries", func(t *testing.T) {
		// Frame 247 as a partial answer: status 234, 2 of 45 entries.
		r := rapTestResp(t, 0, func(p, d []byte) ([]byte, []byte) {
			binary.LittleEndian.PutUint16(p[0:], 234)
			binary.LittleEndian.PutUint16(p[6:], 45)
			return p, d
		})
		if r.Err != nil || r.Status != RAPMoreData || !r.Truncated() || len(r.Servers) != 2 ||
			string(r.Servers[1].Name) != "SCV" {
			t.Errorf("err %v status %v truncated %v servers %s", r.Err, r.Status, r.Truncated(), rapFmtServers(r.Servers))
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 response, status 234 (ERROR_MORE_DATA), 2 of 45 entries"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("error status without values", func(t *testing.T) {
		// [MS-RAP] §3.2.5.2: an error status may come with only the status
		// and converter (here ERROR_ACCESS_DENIED) and no data.
		r := rapTestResp(t, 0, func(p, d []byte) ([]byte, []byte) {
			binary.LittleEndian.PutUint16(p[0:], 5)
			return p[:4], nil
		})
		if r.Err != nil || r.Status != RAPAccessDenied || r.HasEntryCount || len(r.Servers) != 0 {
			t.Errorf("err %v status %v", r.Err, r.Status)
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 response, status 5 (ERROR_ACCESS_DENIED)"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("request not captured", func(t *testing.T) {
		tc := rapTestResponses[0]
		var r RAPResponse
		if err := r.Decode(rapHex(t, tc.params...), rapHex(t, tc.data...), nil); err != nil {
			t.Fatal(err)
		}
		if r.HasRequest || r.Status != 0 || r.Converter != 0 || r.HasEntryCount || len(r.Servers) != 0 {
			t.Errorf("%+v", r)
		}
		var tr Tree
		r.AppendTree(&tr)
		if tr.First(fRAPParamNoDesc) == nil || tr.First(fRAPDataNoDesc) == nil {
			t.Error("parameters and data should be shown raw (lanman.param_no_descriptor, lanman.data_no_descriptor)")
		}
		if got, want := string(r.AppendInfo(nil)), "RAP response (request not seen)"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("interim response", func(t *testing.T) {
		info := rapTestInfo(t, 0)
		var r RAPResponse
		if err := r.Decode(nil, nil, &info); err != nil || !r.Interim {
			t.Fatalf("err %v interim %v", err, r.Interim)
		}
		if got, want := string(r.AppendInfo(nil)), "NetServerEnum2 interim response"; got != want {
			t.Errorf("info %q, want %q", got, want)
		}
	})
	t.Run("hidden share", func(t *testing.T) {
		r := rapTestResp(t, 3, nil)
		if r.Shares[0].Hidden() || !r.Shares[1].Hidden() {
			t.Errorf("MY_SHARE hidden %v, IPC$ hidden %v", r.Shares[0].Hidden(), r.Shares[1].Hidden())
		}
	})
	t.Run("share type as a doubleword", func(t *testing.T) {
		// Frame 129 with the type described as D ("B13BDz") and sent with
		// STYPE_SPECIAL ([MS-SRVS] §2.2.2.4): the type keeps its flags.
		// tshark notes "type is wrong" and shows no lanman.share.type.
		info := rapTestInfo(t, 2)
		info.DataDesc, _ = MakeRAPDescriptor([]byte("B13BDz"))
		// The structure is 2 bytes longer, so the comment pointer is frame
		// 129's plus 2: 0x7ca7 - 31889 = 22.
		d := rapHex(t, "49504324000000000000000000", "bd", "03000080", "a77cc28f", "52656d6f74652049504300")
		var r RAPResponse
		if err := r.Decode(rapHex(t, "0000", "917c", "0100", "0100"), d, &info); err != nil {
			t.Fatal(err)
		}
		s := r.Shares[0]
		if string(s.Comment) != "Remote IPC" || !s.HasType || s.Type.Base() != RAPShareIPC || !s.Type.Special() || s.Type.Temporary() || !s.Hidden() {
			t.Errorf("share %s: type %#x", rapFmtShares(r.Shares), uint32(s.Type))
		}
		var tr Tree
		r.AppendTree(&tr)
		if tr.First(fRAPShareType) != nil {
			t.Error("tshark shows no lanman.share.type for a D letter")
		}
	})
	t.Run("level 0", func(t *testing.T) {
		// NetServerEnum2 level 0 ("B16"): names only. Frame 246 asking for
		// level 0, and frame 249's first 16 data bytes as the answer.
		p := rapHex(t, "6800", "57724c6568444f00", "42313600", "0000", "1611", "00000080")
		var q RAPRequest
		if err := q.Decode(p, nil); err != nil {
			t.Fatal(err)
		}
		info := q.Info()
		var r RAPResponse
		if err := r.Decode(rapHex(t, "0000", "0000", "0100", "0100"), rapHex(t, "574f524b47524f555000000000000000"), &info); err != nil {
			t.Fatal(err)
		}
		want := []RAPServer{{Name: []byte("WORKGROUP")}}
		if !rapServersEqual(r.Servers, want) {
			t.Errorf("got %s", rapFmtServers(r.Servers))
		}
	})
}

// ---- Malformed input ----

// rapTestSub replaces the first occurrence of old in b (copy).
func rapTestSub(b []byte, old, new string) []byte {
	return bytes.Replace(append([]byte(nil), b...), []byte(old), []byte(new), 1)
}

func TestRAPMalformedRequests(t *testing.T) {
	p246 := rapHex(t, rapTestRequests[0].params...)
	cases := []struct {
		name   string
		params []byte
		want   error
		fn     RAPFunction // still decoded
	}{
		{"empty", nil, ErrTruncated, 0},
		{"one byte", p246[:1], ErrTruncated, 0},
		{"no NUL after the parameter descriptor", p246[:8], ErrTruncated, 104},
		{"no NUL after the data descriptor", p246[:16], ErrTruncated, 104},
		{"unknown letter Q in the parameter descriptor", rapTestSub(p246, "WrLehDO", "WrLehQO"), ErrMalformed, 104},
		{"internal-only letter A in the data descriptor", rapTestSub(p246, "B16BBDz", "B16BBAz"), ErrMalformed, 104},
		{"count without a letter", rapTestSub(p246, "WrLehDO", "5rLehDO"), ErrMalformed, 104},
		{"count too large", rapTestSub(p246, "B16BBDz", "B99999D"), ErrMalformed, 104},
		{"level past the end", p246[:19], ErrTruncated, 104},
		{"server type past the end", p246[:24], ErrTruncated, 104},
		{"domain without its NUL", append(rapTestSub(p246, "WrLehDO", "WrLehDz"), 'L', 'A', 'B'), ErrTruncated, 104},
		{"auxiliary descriptor without its NUL", append(append([]byte(nil), p246...), 'B'), ErrTruncated, 104},
		{"parameter descriptor longer than MaxRAPDescriptor",
			append(append([]byte{0x68, 0}, bytes.Repeat([]byte("W"), MaxRAPDescriptor+1)...), 0, 0), ErrLimit, 104},
		{"byte count on a one-byte field is data only", rapTestSub(p246, "WrLehDO", "WrLehDOb3"), ErrTruncated, 104},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r RAPRequest
			err := r.Decode(tc.params, nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if r.Err != err || r.Function != tc.fn {
				t.Errorf("Err %v function %d", r.Err, r.Function)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Proto != "rap" || !strings.HasPrefix(err.Error(), "rap: ") {
				t.Errorf("error %q is not a rap DecodeError", err)
			}
			var tr Tree
			r.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: ") {
				t.Errorf("tree should end with the malformed note, ends with %+v", last)
			}
			if tr.Depth() != 0 {
				t.Errorf("tree left open at depth %d", tr.Depth())
			}
		})
	}
}

func TestRAPMalformedResponses(t *testing.T) {
	i247 := rapTestInfo(t, 0)
	p247, d247 := rapHex(t, rapTestResponses[0].params...), rapHex(t, rapTestResponses[0].data...)
	p249, d249 := rapHex(t, rapTestResponses[1].params...), rapHex(t, rapTestResponses[1].data...)
	withDesc := func(pd, dd string, level int32) *RAPRequestInfo {
		i := i247
		i.ParamDesc, _ = MakeRAPDescriptor([]byte(pd))
		i.DataDesc, _ = MakeRAPDescriptor([]byte(dd))
		i.Level = level
		return &i
	}
	put32 := func(b []byte, off int, v uint32) []byte {
		b = append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(b[off:], v)
		return b
	}
	put16 := func(b []byte, off int, v uint16) []byte {
		b = append([]byte(nil), b...)
		binary.LittleEndian.PutUint16(b[off:], v)
		return b
	}
	cases := []struct {
		name     string
		params   []byte
		data     []byte
		info     *RAPRequestInfo
		want     error
		servers  int   // typed entries kept
		errorsOn []int // 1-based entries carrying their own error
		soft     bool  // decoding went on after the error
	}{
		{"status only", p247[:1], nil, &i247, ErrTruncated, 0, nil, false},
		{"no converter", p247[:3], nil, &i247, ErrTruncated, 0, nil, false},
		{"success without entry count", p247[:4], d247, &i247, ErrTruncated, 0, nil, false},
		{"entry count past the data", put16(p249, 4, 5), d249, &i247, ErrTruncated, 2, []int{2}, false},
		{"entries but no data block", p247, nil, &i247, ErrTruncated, 0, nil, false},
		{"first comment pointer out of range", p247, put32(d247, 22, 0x00007000), &i247, ErrMalformed, 2, []int{1}, true},
		{"converter above every pointer", put16(p247, 2, 0x40), d247, &i247, ErrMalformed, 2, []int{1, 2}, true},
		{"comment without its NUL", p249, d249[:len(d249)-1], &i247, ErrMalformed, 1, []int{1}, true},
		{"structure past the end of the data", p247, d247[:40], &i247, ErrTruncated, 2, []int{1, 2}, false},
		{"unknown letter in the data descriptor", p247, d247, withDesc("WrLehDO", "B16BBXz", 1), ErrMalformed, 1, []int{1}, false},
		{"one-byte field described with a count", p247, d247, withDesc("WrLehDO", "B16B2BDz", 1), ErrMalformed, 1, []int{1}, false},
		{"count larger than the data", p247, d247, withDesc("WrLehDO", "B9999", 1), ErrTruncated, 1, []int{1}, false},
		{"structure taking no bytes", p247, d247, withDesc("WrLehDO", "O", 1), ErrMalformed, 1, nil, false},
		{"more entries than MaxRAPEntries", put16(p247, 4, MaxRAPEntries+1), make([]byte, MaxRAPEntries+1),
			withDesc("WrLehDO", "B", 1), ErrLimit, MaxRAPEntries, nil, false},
		{"receive count past the parameters", p247[:6], d247, withDesc("WrLehDOi", "B16BBDz", 1), ErrTruncated, 0, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r RAPResponse
			err := r.Decode(tc.params, tc.data, tc.info)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if r.Err != err || !strings.HasPrefix(err.Error(), "rap: ") {
				t.Errorf("Err %v", r.Err)
			}
			if len(r.Servers) != tc.servers {
				t.Errorf("%d typed entries, want %d", len(r.Servers), tc.servers)
			}
			for i, s := range r.Servers {
				want := false
				for _, e := range tc.errorsOn {
					want = want || e == i+1
				}
				if (s.Err != nil) != want {
					t.Errorf("entry %d Err %v, want errors on entries %v", i+1, s.Err, tc.errorsOn)
				}
			}
			if r.EntryErrorOnly() != tc.soft {
				t.Errorf("EntryErrorOnly %v", r.EntryErrorOnly())
			}
			var tr Tree
			r.AppendTree(&tr)
			if tr.Depth() != 0 {
				t.Errorf("tree left open at depth %d", tr.Depth())
			}
			experts := 0
			for _, n := range tr.Nodes {
				if n.Flags&NodeError != 0 {
					experts++
				}
			}
			if experts == 0 {
				t.Error("no [Malformed] note in the tree")
			}
		})
	}
}

// TestRAPEveryPrefix cuts the real blocks at every length: each cut is an
// error (never a panic), and what comes before the cut is kept.
func TestRAPEveryPrefix(t *testing.T) {
	for _, tc := range rapTestRequests {
		p := rapHex(t, tc.params...)
		for n := 0; n < len(p); n++ {
			var r RAPRequest
			err := r.Decode(p[:n], nil)
			if err == nil {
				t.Errorf("%s params cut at %d: no error", tc.name, n)
				continue
			}
			if n >= 2 && r.Function != tc.fn {
				t.Errorf("%s params cut at %d: function %d lost", tc.name, n, r.Function)
			}
			var tr Tree
			r.AppendTree(&tr)
		}
	}
	for _, tc := range rapTestResponses {
		info := rapTestInfo(t, tc.req)
		p, d := rapHex(t, tc.params...), rapHex(t, tc.data...)
		for n := 0; n < len(p); n++ {
			var r RAPResponse
			if err := r.Decode(p[:n], d, &info); !errors.Is(err, ErrTruncated) {
				t.Errorf("%s params cut at %d: err %v", tc.name, n, err)
			}
		}
		for n := 0; n < len(d); n++ {
			var r RAPResponse
			err := r.Decode(p, d[:n], &info)
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) {
				t.Errorf("%s data cut at %d: err %v", tc.name, n, err)
			}
			// Whole entries before the cut are decoded.
			whole := n / 26
			if tc.shares != nil {
				whole = n / 20
			}
			if got := len(r.Servers) + len(r.Shares); got < whole {
				t.Errorf("%s data cut at %d: %d entries kept, want at least %d", tc.name, n, got, whole)
			}
			var tr Tree
			r.AppendTree(&tr)
			if tr.Depth() != 0 {
				t.Errorf("%s data cut at %d: tree open at depth %d", tc.name, n, tr.Depth())
			}
		}
	}
}
