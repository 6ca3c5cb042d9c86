package dissect

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// ---- Real frames ----

// rapHex decodes a hex literal written with spaces and comments removed.
func rapHex(tb testing.TB, parts ...string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(strings.Join(parts, ""), " ", ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Requests. Each literal is the SMB_COM_TRANSACTION parameter block.
var rapTestRequests = []struct {
	name    string
	params  []string
	fn      RAPFunction
	pd, dd  string
	level   uint16
	recvLen uint16
	types   uint32 // 0: no server type parameter
	info    string
}{
	{
		// nbss139-smb1-rap-netserverenum2-win10-...pcapng frame 246:
		// "LANMAN NetServerEnum2 Request, Workstation, Server, ... Domain Enum"
		name: "win10 frame 246",
		params: []string{
			"6800",             // function code 104 NetServerEnum2
			"57724c6568444f00", // param desc "WrLehDO"
			"4231364242447a00", // data desc "B16BBDz"
			"0100",             // W level 1
			"1611",             // L receive buffer 4374
			"ffffffff",         // D server type; O: no domain
		},
		fn: RAPNetServerEnum2, pd: "WrLehDO", dd: "B16BBDz", level: 1, recvLen: 4374, types: 0xffffffff,
		info: "NetServerEnum2 request, level 1, types 0xffffffff",
	},
	{
		// win10 frame 248: "LANMAN NetServerEnum2 Request, Domain Enum"
		name:   "win10 frame 248",
		params: []string{"6800", "57724c6568444f00", "4231364242447a00", "0100", "1611", "00000080"},
		fn:     RAPNetServerEnum2, pd: "WrLehDO", dd: "B16BBDz", level: 1, recvLen: 4374, types: 0x80000000,
		info: "NetServerEnum2 request, level 1, types 0x80000000",
	},
	{
		// netbios-legacy-wfw311-...pcapng frame 128 (SMB over IPX):
		// "LANMAN NetShareEnum Request"
		name: "wfw311 frame 128",
		params: []string{
			"0000",           // function code 0 NetShareEnum
			"57724c656800",   // param desc "WrLeh"
			"42313342577a00", // data desc "B13BWz"
			"0100",           // W level 1
			"0020",           // L receive buffer 8192
		},
		fn: RAPNetShareEnum, pd: "WrLeh", dd: "B13BWz", level: 1, recvLen: 8192,
		info: "NetShareEnum request, level 1",
	},
}

func TestRAPRequestRealFrames(t *testing.T) {
	for _, tc := range rapTestRequests {
		t.Run(tc.name, func(t *testing.T) {
			var r RAPRequest
			if err := r.Decode(rapHex(t, tc.params...), nil); err != nil {
				t.Fatal(err)
			}
			if r.Function != tc.fn || string(r.ParamDesc) != tc.pd || string(r.DataDesc) != tc.dd {
				t.Errorf("function %d %q %q, want %d %q %q", r.Function, r.ParamDesc, r.DataDesc, tc.fn, tc.pd, tc.dd)
			}
			if !r.HasLevel || r.Level != tc.level || !r.HasRecvBufLen || r.RecvBufLen != tc.recvLen {
				t.Errorf("level %d (%v), buffer %d (%v)", r.Level, r.HasLevel, r.RecvBufLen, r.HasRecvBufLen)
			}
			if r.HasServerType != (tc.types != 0) || uint32(r.ServerType) != tc.types {
				t.Errorf("server type %#x (%v), want %#x", uint32(r.ServerType), r.HasServerType, tc.types)
			}
			if r.HasDomain || r.HasAuxDesc {
				t.Errorf("domain %q aux %q: the descriptor has O and there is no auxiliary descriptor", r.Domain, r.AuxDesc)
			}
			if got := string(r.AppendInfo(nil)); got != tc.info {
				t.Errorf("info %q, want %q", got, tc.info)
			}
			i := r.Info()
			if i.Function != tc.fn || i.Level != int32(tc.level) || i.ParamDesc.String() != tc.pd ||
				i.DataDesc.String() != tc.dd || !i.HasParamDesc || !i.HasDataDesc || i.HasAuxDesc {
				t.Errorf("info %+v", i)
			}
		})
	}
}

// Responses: parameter and data blocks, with the request they answer.
var rapTestResponses = []struct {
	name          string
	req           int // index in rapTestRequests
	params, data  []string
	status        RAPStatus
	conv          uint16
	count, avail  uint16
	servers       []RAPServer
	shares        []RAPShare
	info          string
	truncatedList bool
}{
	{
		// win10 frame 247: "LANMAN NetServerEnum2 Response"; tshark -V:
		// DESKTOP-V1FA0UQ 10.0 0x00011003 comment "", SCV 6.3 0x00051003 "".
		name: "win10 frame 247", req: 0,
		params: []string{"0000", "0000", "0200", "0200"}, // status 0, converter 0, e 2, h 2
		data: []string{
			"4445534b544f502d5631464130555100", "0a", "00", "03100100", "34000000", // B16 "DESKTOP-V1FA0UQ", 10, 0, type, z -> 52
			"53435600000000000000000000000000", "06", "03", "03100500", "35000000", // B16 "SCV", 6, 3, type, z -> 53
			"00", "00", // the two empty comments
		},
		conv: 0, count: 2, avail: 2,
		servers: []RAPServer{
			{Name: []byte("DESKTOP-V1FA0UQ"), Major: 10, Minor: 0, Type: 0x00011003, Comment: []byte{}, HasInfo: true},
			{Name: []byte("SCV"), Major: 6, Minor: 3, Type: 0x00051003, Comment: []byte{}, HasInfo: true},
		},
		info: "NetServerEnum2 response, 2 of 2 entries",
	},
	{
		// win10 frame 249: "LANMAN NetServerEnum2 Response": WORKGROUP 3.10
		// 0x80001000 comment "SCV" (the workgroup's master browser).
		name: "win10 frame 249", req: 1,
		params: []string{"0000", "0000", "0100", "0100"},
		data: []string{
			"574f524b47524f555000000000000000", "03", "0a", "00100080", "1a000000", // "WORKGROUP", 3, 10, type, z -> 26
			"53435600", // "SCV"
		},
		count: 1, avail: 1,
		servers: []RAPServer{{Name: []byte("WORKGROUP"), Major: 3, Minor: 10, Type: 0x80001000, Comment: []byte("SCV"), HasInfo: true}},
		info:    "NetServerEnum2 response, 1 of 1 entries",
	},
	{
		// wfw311 frame 129: "LANMAN NetShareEnum Response": Convert 31889,
		// IPC$ type IPC (3) comment "Remote IPC".
		name: "wfw311 frame 129", req: 2,
		params: []string{"0000", "917c", "0100", "0100"},
		data: []string{
			"49504324000000000000000000", "bd", "0300", "a57cc28f", // B13 "IPC$", pad, W 3, z 0x8fc27ca5 -> 0x7ca5-31889 = 20
			"52656d6f74652049504300", // "Remote IPC"
		},
		conv: 31889, count: 1, avail: 1,
		shares: []RAPShare{{Name: []byte("IPC$"), Type: RAPShareIPC, Comment: []byte("Remote IPC"), HasType: true}},
		info:   "NetShareEnum response, 1 entry",
	},
	{
		// wfw311 frame 293: "LANMAN NetShareEnum Response": Convert 34772,
		// MY_SHARE Directory tree (0) "My Files", IPC$ IPC (3) "Remote IPC".
		name: "wfw311 frame 293", req: 2,
		params: []string{"0000", "d487", "0200", "0200"},
		data: []string{
			"4d595f534841524500000000" + "00", "bd", "0000", "0788c28f", // "MY_SHARE", pad, 0, z -> 0x8807-34772 = 51
			"49504324000000000000000000", "bd", "0300", "fc87c28f", // "IPC$", pad, 3, z -> 40
			"52656d6f74652049504300", // "Remote IPC"
			"4d792046696c657300",     // "My Files"
		},
		conv: 34772, count: 2, avail: 2,
		shares: []RAPShare{
			{Name: []byte("MY_SHARE"), Type: RAPShareDisk, Comment: []byte("My Files"), HasType: true},
			{Name: []byte("IPC$"), Type: RAPShareIPC, Comment: []byte("Remote IPC"), HasType: true},
		},
		info: "NetShareEnum response, 2 entries",
	},
}

func rapTestInfo(tb testing.TB, i int) RAPRequestInfo {
	tb.Helper()
	var q RAPRequest
	if err := q.Decode(rapHex(tb, rapTestRequests[i].params...), nil); err != nil {
		tb.Fatal(err)
	}
	return q.Info()
}

func TestRAPResponseRealFrames(t *testing.T) {
	for _, tc := range rapTestResponses {
		t.Run(tc.name, func(t *testing.T) {
			info := rapTestInfo(t, tc.req)
			var r RAPResponse
			if err := r.Decode(rapHex(t, tc.params...), rapHex(t, tc.data...), &info); err != nil {
				t.Fatal(err)
			}
			if r.Status != tc.status || r.Converter != tc.conv || r.EntryCount != tc.count || r.Available != tc.avail ||
				!r.HasEntryCount || !r.HasAvailable {
				t.Errorf("status %d converter %d entries %d/%d", r.Status, r.Converter, r.EntryCount, r.Available)
			}
			if !rapServersEqual(r.Servers, tc.servers) {
				t.Errorf("servers\n got %s\nwant %s", rapFmtServers(r.Servers), rapFmtServers(tc.servers))
			}
			if !rapSharesEqual(r.Shares, tc.shares) {
				t.Errorf("shares\n got %s\nwant %s", rapFmtShares(r.Shares), rapFmtShares(tc.shares))
			}
			if got := string(r.AppendInfo(nil)); got != tc.info {
				t.Errorf("info %q, want %q", got, tc.info)
			}
			if r.Truncated() || r.ExtraParams != 0 {
				t.Errorf("truncated %v extra %d", r.Truncated(), r.ExtraParams)
			}
		})
	}
}

func rapServersEqual(a, b []RAPServer) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !bytes.Equal(x.Name, y.Name) || x.Major != y.Major || x.Minor != y.Minor || x.Type != y.Type ||
			!bytes.Equal(x.Comment, y.Comment) || (x.Comment == nil) != (y.Comment == nil) || x.HasInfo != y.HasInfo ||
			(x.Err == nil) != (y.Err == nil) {
			return false
		}
	}
	return true
}

func rapFmtServers(s []RAPServer) string {
	var b strings.Builder
	for _, x := range s {
		fmt.Fprintf(&b, "{%q %d.%d %#08x %q info=%v err=%v} ", x.Name, x.Major, x.Minor, uint32(x.Type), x.Comment, x.HasInfo, x.Err)
	}
	return b.String()
}

func rapSharesEqual(a, b []RAPShare) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !bytes.Equal(x.Name, y.Name) || x.Type != y.Type || !bytes.Equal(x.Comment, y.Comment) || x.HasType != y.HasType ||
			(x.Err == nil) != (y.Err == nil) {
			return false
		}
	}
	return true
}

func rapFmtShares(s []RAPShare) string {
	var b strings.Builder
	for _, x := range s {
		fmt.Fprintf(&b, "{%q %v %q err=%v} ", x.Name, x.Type, x.Comment, x.Err)
	}
	return b.String()
}

// TestRAPTreeOffsets checks where the nodes of a response point: the
// parameter block at the layer start, the data block at DataOffset, the
// comment at the converted pointer (win10 frame 249).
func TestRAPTreeOffsets(t *testing.T) {
	tc := rapTestResponses[1]
	info := rapTestInfo(t, tc.req)
	var r RAPResponse
	if err := r.Decode(rapHex(t, tc.params...), rapHex(t, tc.data...), &info); err != nil {
		t.Fatal(err)
	}
	// In frame 249 the SMB parameters start at offset 0x38 of the SMB
	// message and the data at 0x40: DataOffset is the difference.
	r.DataOffset = 8
	var tr Tree
	tr.Base = 100
	r.AppendTree(&tr)
	check := func(f FieldID, off, n int) {
		t.Helper()
		nd := tr.First(f)
		if nd == nil {
			t.Fatalf("no %s node", Field(f).Abbrev)
		}
		if int(nd.Off) != off || int(nd.Len) != n {
			t.Errorf("%s at %d+%d, want %d+%d", Field(f).Abbrev, nd.Off, nd.Len, off, n)
		}
	}
	check(FieldRAP, 100, 8)
	check(fRAPStatus, 100, 2)
	check(fRAPEntryCount, 104, 2)
	check(fRAPServer, 108, 26)
	check(fRAPServerName, 108, 16)
	check(fRAPServerType, 126, 4)
	check(fRAPServerComment, 108+26, 4) // "SCV" and its NUL at data offset 26
	if tr.Depth() != 0 || tr.Base != 100 || tr.Src != 0 {
		t.Errorf("tree left at depth %d base %d src %d", tr.Depth(), tr.Base, tr.Src)
	}
	if n := tr.First(fRAPServer); n == nil || string(n.S) != "WORKGROUP" {
		t.Errorf("server entry line should carry the name, as tshark's \"Server: WORKGROUP\"")
	}
}

// ---- Allocations, benchmarks, fuzzing ----

func TestRAPAllocs(t *testing.T) {
	tc := rapTestResponses[0]
	info := rapTestInfo(t, tc.req)
	p, d := rapHex(t, tc.params...), rapHex(t, tc.data...)
	q := rapHex(t, rapTestRequests[0].params...)
	var r RAPResponse
	var req RAPRequest
	var tr Tree
	if n := testing.AllocsPerRun(100, func() { _ = r.Decode(p, d, &info) }); n != 0 {
		t.Errorf("NetServerEnum2 response Decode: %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = req.Decode(q, nil); _ = req.Info() }); n != 0 {
		t.Errorf("NetServerEnum2 request Decode: %v allocations", n)
	}
	buf := make([]byte, 0, 128)
	if n := testing.AllocsPerRun(100, func() {
		tr.Reset()
		r.AppendTree(&tr)
		req.AppendTree(&tr)
		buf = r.AppendInfo(buf[:0])
		buf = req.AppendInfo(buf[:0])
	}); n != 0 {
		t.Errorf("AppendTree/AppendInfo: %v allocations", n)
	}
	if r.Err != nil || len(r.Servers) != 2 {
		t.Fatalf("decode: %v, %d servers", r.Err, len(r.Servers))
	}
}

func BenchmarkRAPResponseDecode(b *testing.B) {
	tc := rapTestResponses[0]
	info := rapTestInfo(b, tc.req)
	p, d := rapHex(b, tc.params...), rapHex(b, tc.data...)
	var r RAPResponse
	b.ReportAllocs()
	b.SetBytes(int64(len(p) + len(d)))
	for i := 0; i < b.N; i++ {
		_ = r.Decode(p, d, &info)
	}
}

func BenchmarkRAPRequestDecode(b *testing.B) {
	q := rapHex(b, rapTestRequests[0].params...)
	var r RAPRequest
	b.ReportAllocs()
	b.SetBytes(int64(len(q)))
	for i := 0; i < b.N; i++ {
		_ = r.Decode(q, nil)
		_ = r.Info()
	}
}

func BenchmarkRAPResponseAppendTree(b *testing.B) {
	tc := rapTestResponses[3]
	info := rapTestInfo(b, tc.req)
	var r RAPResponse
	_ = r.Decode(rapHex(b, tc.params...), rapHex(b, tc.data...), &info)
	var tr Tree
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tr.Reset()
		r.AppendTree(&tr)
	}
}

// rapFuzzCheck runs everything a frame goes through and checks the
// invariants that hold for any input.
func rapFuzzCheckResponse(t *testing.T, r *RAPResponse, err error) {
	if err != r.Err {
		t.Fatalf("returned %v, Err %v", err, r.Err)
	}
	if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
		t.Fatalf("error %v wraps no sentinel", err)
	}
	if len(r.Servers) > MaxRAPEntries || len(r.Shares) > MaxRAPEntries {
		t.Fatalf("%d servers, %d shares", len(r.Servers), len(r.Shares))
	}
	for _, s := range r.Servers {
		if len(s.Name) > 16 {
			t.Fatalf("server name %q longer than 16", s.Name)
		}
	}
	for _, s := range r.Shares {
		if len(s.Name) > 13 {
			t.Fatalf("share name %q longer than 13", s.Name)
		}
	}
	typed := rapFuncFor(r.Function).typed
	if r.HasEntryCount && r.Err == nil && r.Request.HasDataDesc && len(r.Data) > 0 &&
		bytes.IndexByte(r.Request.ParamDesc.Bytes(), 'r') >= 0 &&
		(typed == rapTypedServer || typed == rapTypedShare) &&
		len(r.Servers)+len(r.Shares) != int(r.EntryCount) {
		t.Fatalf("no error, but %d entries decoded of %d", len(r.Servers)+len(r.Shares), r.EntryCount)
	}
	var tr Tree
	r.AppendTree(&tr)
	if tr.Depth() != 0 {
		t.Fatalf("tree open at depth %d", tr.Depth())
	}
	r.AppendInfo(nil)
}

func FuzzRAPRequest(f *testing.F) {
	for _, tc := range rapTestRequests {
		f.Add(rapHex(f, tc.params...), []byte(nil))
	}
	// SamOEMChangePassword ([MS-RAP] §2.5.9.1): "zsT" with a send buffer.
	f.Add([]byte("\xd6\x00zsT\x00B516B16\x00GUEST\x00\x14\x02"), bytes.Repeat([]byte{0x11}, 532))
	// NetServerEnum3 with a domain and a resume name.
	f.Add([]byte("\xd7\x00WrLehDzz\x00B16BBDz\x00\x01\x00\xff\xff\x03\x00\x00\x00LABWG\x00PC7\x00"), []byte(nil))
	f.Fuzz(func(t *testing.T, params, data []byte) {
		var r RAPRequest
		err := r.Decode(params, data)
		if err != r.Err {
			t.Fatalf("returned %v, Err %v", err, r.Err)
		}
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		var tr Tree
		r.AppendTree(&tr)
		if tr.Depth() != 0 {
			t.Fatalf("tree open at depth %d", tr.Depth())
		}
		r.AppendInfo(nil)
		// The request's descriptors applied to the same bytes as a response.
		info := r.Info()
		var resp RAPResponse
		rerr := resp.Decode(params, data, &info)
		rapFuzzCheckResponse(t, &resp, rerr)
	})
}

func FuzzRAPResponse(f *testing.F) {
	for _, tc := range rapTestResponses {
		q := rapTestRequests[tc.req]
		f.Add(uint16(q.fn), q.pd, q.dd, "", uint16(q.level), rapHex(f, tc.params...), rapHex(f, tc.data...))
	}
	// NetRemoteTOD ([MS-RAP] §2.5.11.1) and NetWkstaGetInfo level 10.
	f.Add(uint16(91), "rL", "DDBBBBWWBBWB", "", uint16(0xffff), []byte{0, 0, 0, 0}, make([]byte, 21))
	f.Add(uint16(63), "WrLh", "zzzBBzz", "", uint16(10), []byte{0, 0, 0, 0, 40, 0}, make([]byte, 40))
	f.Add(uint16(70), "zWrLh", "B13BWWWzzzzzWN", "WB21BB16B10zWWzDDz", uint16(2), []byte{0, 0, 0, 0, 0, 0}, make([]byte, 64))
	f.Fuzz(func(t *testing.T, fn uint16, pd, dd, ad string, level uint16, params, data []byte) {
		var info RAPRequestInfo
		info.Function = RAPFunction(fn)
		info.Level = int32(int16(level))
		info.ParamDesc, info.HasParamDesc = MakeRAPDescriptor([]byte(pd))
		info.DataDesc, info.HasDataDesc = MakeRAPDescriptor([]byte(dd))
		if ad != "" {
			info.AuxDesc, info.HasAuxDesc = MakeRAPDescriptor([]byte(ad))
		}
		var r RAPResponse
		err := r.Decode(params, data, &info)
		rapFuzzCheckResponse(t, &r, err)
	})
}

// TestRAPRequestInfoIsPlain: the engine keeps RAPRequestInfo after the
// request's packet buffer is gone, so it must hold no pointers (no slices,
// strings, maps or interfaces either).
func TestRAPRequestInfoIsPlain(t *testing.T) {
	var check func(path string, ty reflect.Type)
	check = func(path string, ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				check(path+"."+ty.Field(i).Name, ty.Field(i).Type)
			}
		case reflect.Array:
			check(path+"[]", ty.Elem())
		case reflect.Bool, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int,
			reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		default:
			t.Errorf("%s is a %s: it would keep packet memory alive or alias it", path, ty.Kind())
		}
	}
	check("RAPRequestInfo", reflect.TypeOf(RAPRequestInfo{}))
	// And it is a copy: changing the packet after Info does not change it.
	p := rapHex(t, rapTestRequests[0].params...)
	var q RAPRequest
	if err := q.Decode(p, nil); err != nil {
		t.Fatal(err)
	}
	info := q.Info()
	for i := range p {
		p[i] = 'X'
	}
	if info.ParamDesc.String() != "WrLehDO" || info.DataDesc.String() != "B16BBDz" || info.Level != 1 {
		t.Errorf("info changed with the packet: %q %q %d", info.ParamDesc, info.DataDesc, info.Level)
	}
}
