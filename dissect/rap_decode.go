package dissect

// Decoding RAP: the request's and the response's parameter and data blocks,
// walked once with their descriptors (rap_walk.go) into the typed result,
// every value recorded as the tree shows it (rap_tree.go).
//
// Byte order: little-endian.

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
)

// Decode decodes a RAP request from the transaction's parameter and data
// blocks ([MS-RAP] §2.5.1). It resets r; slices alias params and data;
// nothing is allocated on success once its record has grown. On error r
// keeps what was decoded, and the error is also in r.Err.
func (r *RAPRequest) Decode(params, data []byte) error {
	r.reset(params, data)
	return decoded(&r.Err, r.decode(), nil)
}

// DecodeFromBytes implements gopacket.DecodingLayer: it decodes a request
// whose data block is empty (all of the browsing calls) from its
// parameter block.
func (r *RAPRequest) DecodeFromBytes(params []byte, df gopacket.DecodeFeedback) error {
	r.reset(params, nil)
	return decoded(&r.Err, r.decode(), df)
}

func (r *RAPRequest) reset(params, data []byte) {
	vals, errs := r.rec.vals, r.rec.errs[:0]
	*r = RAPRequest{Params: params, Data: data}
	r.rec.vals, r.rec.errs = vals, errs
	r.Contents = params
}

// Info returns what the engine must keep to decode the response.
func (r *RAPRequest) Info() RAPRequestInfo {
	i := RAPRequestInfo{Function: r.Function, Level: -1}
	if r.HasLevel {
		i.Level = int32(r.Level)
	}
	i.ParamDesc, i.HasParamDesc = MakeRAPDescriptor(r.ParamDesc)
	i.HasParamDesc = i.HasParamDesc && r.HasParamDesc
	i.DataDesc, i.HasDataDesc = MakeRAPDescriptor(r.DataDesc)
	i.HasDataDesc = i.HasDataDesc && r.HasDataDesc
	i.AuxDesc, i.HasAuxDesc = MakeRAPDescriptor(r.AuxDesc)
	i.HasAuxDesc = i.HasAuxDesc && r.HasAuxDesc
	i.ServerType, i.HasServerType = r.ServerType, r.HasServerType
	if r.HasDomain {
		i.DomainLen = uint8(copy(i.Domain[:], r.Domain))
	}
	return i
}

// decode reads the function code, the descriptors and the parameters and,
// when the call sends one, the data block.
func (r *RAPRequest) decode() error {
	p := r.Params
	if len(p) < 2 {
		return Truncated("rap", "function code", 0, 2, len(p))
	}
	fn := RAPFunction(binary.LittleEndian.Uint16(p))
	r.Function = fn
	off := 2

	pd, n, ok := rapASCIIZ(p, off)
	if !ok {
		return Truncated("rap", "parameter descriptor", off, len(p)+1, len(p))
	}
	pdOff := off
	r.ParamDesc, r.HasParamDesc = pd, true
	if len(pd) > MaxRAPDescriptor {
		return Limit("rap", "parameter descriptor", off, "longer than "+rapItoa(MaxRAPDescriptor)+" bytes")
	}
	off += n

	dd, n, ok := rapASCIIZ(p, off)
	if !ok {
		return Truncated("rap", "data descriptor", off, len(p)+1, len(p))
	}
	ddOff := off
	r.DataDesc, r.HasDataDesc = dd, true
	if len(dd) > MaxRAPDescriptor {
		return Limit("rap", "data descriptor", off, "longer than "+rapItoa(MaxRAPDescriptor)+" bytes")
	}
	off += n

	if i, d := rapCheckDescriptor(pd); i >= 0 {
		return Malformed("rap", "parameter descriptor", pdOff+i, d)
	}
	fd := rapFuncFor(fn)
	w := rapWalker{req: r, rec: &r.rec, buf: p, what: "parameter descriptor"}
	off, err := w.walk(rapModeRequest, pd, fd.req, off)
	r.rec.split = r.rec.n
	if err != nil {
		return err
	}
	r.HasSendData = w.hasData

	if off < len(p) {
		// More parameters than the descriptor describes: the auxiliary
		// data descriptor ([MS-RAP] §2.5.1).
		ad, _, ok := rapASCIIZ(p, off)
		if !ok {
			return Truncated("rap", "auxiliary data descriptor", off, len(p)+1, len(p))
		}
		r.AuxDesc, r.HasAuxDesc, r.auxOff = ad, true, off
		if len(ad) > MaxRAPDescriptor {
			return Limit("rap", "auxiliary data descriptor", off, "longer than "+rapItoa(MaxRAPDescriptor)+" bytes")
		}
		if i, d := rapCheckDescriptor(ad); i >= 0 {
			return Malformed("rap", "auxiliary data descriptor", off+i, d)
		}
	}
	if i, d := rapCheckDescriptor(dd); i >= 0 {
		return Malformed("rap", "data descriptor", ddOff+i, d)
	}

	if !w.hasData || len(r.Data) == 0 {
		return nil
	}
	// The send buffer: structures described by the data descriptor.
	// Wireshark resolves pointers in it with a converter of -1.
	dw := rapWalker{rec: &r.rec, buf: r.Data, conv: -1, what: "data descriptor"}
	doff, err := dw.walk(rapModeData, dd, fd.reqData, 0)
	for j := 0; err == nil && r.HasAuxDesc && j < int(dw.auxCount) && j < MaxRAPEntries; j++ {
		start := doff
		doff, err = dw.walk(rapModeData, r.AuxDesc, fd.reqAux, doff)
		if err == nil && doff == start {
			break
		}
	}
	return err
}

// Decode decodes a RAP response from the transaction's parameter and data
// blocks with the descriptors and level of its request ([MS-RAP] §2.5.1,
// the *Response sections).
// req is nil when the request was not captured: then only the status and
// converter are decoded and the rest is kept raw, as Wireshark shows it. It
// resets r (reusing the Servers and Shares slices); slices alias params and
// data; nothing is allocated on success once the slices have grown.
func (r *RAPResponse) Decode(params, data []byte, req *RAPRequestInfo) error {
	r.reset(params, data, req)
	return decoded(&r.Err, r.decode(), nil)
}

// DecodeFromBytes implements gopacket.DecodingLayer. Without the request,
// only the status and converter can be decoded: the engine calls Decode.
func (r *RAPResponse) DecodeFromBytes(params []byte, df gopacket.DecodeFeedback) error {
	r.reset(params, nil, nil)
	return decoded(&r.Err, r.decode(), df)
}

func (r *RAPResponse) reset(params, data []byte, req *RAPRequestInfo) {
	servers, shares, vals, errs := r.Servers[:0], r.Shares[:0], r.rec.vals, r.rec.errs[:0]
	*r = RAPResponse{Params: params, Data: data, Servers: servers, Shares: shares}
	r.rec.vals, r.rec.errs = vals, errs
	r.Contents = params
	if req != nil {
		r.Request, r.HasRequest = *req, true
		r.Function = req.Function
	}
}

// decode reads the status and converter and, with the request's
// descriptors, the returned parameters and the entries of the data block.
// It returns the first error; r.errSoft is set when that error did not
// stop decoding.
func (r *RAPResponse) decode() error {
	p, d := r.Params, r.Data
	if !r.HasRequest {
		// Without the request there are no descriptors: status and
		// converter are always there, the rest is kept raw.
		return r.statusConverter(p)
	}
	if len(p) == 0 && len(d) == 0 {
		r.Interim = true
		return nil
	}
	if err := r.statusConverter(p); err != nil {
		return err
	}
	if !r.Request.HasParamDesc {
		return nil // the parameters and data are kept raw
	}

	fd := rapFuncFor(r.Request.Function)
	w := rapWalker{resp: r, rec: &r.rec, buf: p, what: "parameter descriptor"}
	off, err := w.walk(rapModeReply, r.Request.ParamDesc.Bytes(), fd.resp, 4)
	r.rec.split = r.rec.n
	r.EntryCount, r.HasEntryCount = w.entryCount, w.hasEntryCount
	if err != nil {
		// An error status may come with nothing after the converter
		// (the server processing rules of [MS-RAP] §3.2.5 return just the
		// Win32ErrorCode): not a decode error.
		if off == 4 && len(p) == 4 && !r.Status.OK() && r.Status != RAPBufTooSmall {
			return nil
		}
		return err
	}
	r.paramsDone, r.hasRecvBuf = true, w.hasData
	if off < len(p) {
		// Seen from Windows servers that send their whole parameter
		// buffer: bytes after what the descriptor describes.
		r.ExtraParams = len(p) - off
	}
	if len(d) == 0 {
		if w.hasData && w.hasEntryCount && w.entryCount > 0 && r.Status.OK() {
			return Truncated("rap", "data block", 0, 1, 0)
		}
		return nil
	}
	if !w.hasData || !r.Request.HasDataDesc {
		return nil // the data block is kept raw
	}
	return r.entries(fd, &w)
}

// statusConverter reads the two words every response starts with.
func (r *RAPResponse) statusConverter(p []byte) error {
	if len(p) < 2 {
		return Truncated("rap", "status", 0, 2, len(p))
	}
	r.Status = RAPStatus(binary.LittleEndian.Uint16(p))
	if len(p) < 4 {
		return Truncated("rap", "converter", 2, 4, len(p))
	}
	r.Converter = binary.LittleEndian.Uint16(p[2:])
	return nil
}

// entries walks the data block: EntryCount structures (one when the
// parameter descriptor has no e), each followed by its auxiliary
// structures. A pointer out of range is an error on its entry only.
func (r *RAPResponse) entries(fd *rapFuncDesc, pw *rapWalker) error {
	d := r.Data
	n := 1
	if pw.hasEntryCount {
		n = int(pw.entryCount)
	}
	items := fd.levelItems(r.Request.Level)
	dd := r.Request.DataDesc.Bytes()
	ad := r.Request.AuxDesc.Bytes()
	w := rapWalker{resp: r, rec: &r.rec, buf: d, conv: int(r.Converter), what: "data descriptor"}
	node := pw.hasEntryCount && fd.entry != 0 // each entry has a node of its own
	var firstSoft error
	off := 0
	for i := 0; i < n; i++ {
		if i >= MaxRAPEntries {
			return Limit("rap", "entries", off, "more than "+rapItoa(MaxRAPEntries)+" entries")
		}
		if off >= len(d) {
			return Truncated("rap", "entry "+rapItoa(i+1), off, off+1, len(d))
		}
		start := off
		w.entry = 0
		if pw.hasEntryCount {
			w.entry = i + 1
		}
		if node {
			r.rec.show(rapOpEntry, fd.entry, off, 0, 0)
		}
		r.newEntry(fd.typed)
		var err error
		off, err = w.walk(rapModeData, dd, items, off)
		for j := 0; err == nil && r.Request.HasAuxDesc && j < int(w.auxCount) && j < MaxRAPEntries; j++ {
			as := off
			off, err = w.walk(rapModeData, ad, fd.respAux, off)
			if err == nil && off == as {
				break
			}
		}
		entryErr := w.entryErr
		if entryErr == nil {
			entryErr = err
		}
		w.entryErr = nil
		if entryErr != nil {
			r.setEntryErr(fd.typed, entryErr)
		}
		if node {
			r.rec.show(rapOpEntryEnd, 0, start, off-start, 0)
		}
		if err != nil {
			return err
		}
		if firstSoft == nil && entryErr != nil {
			firstSoft = entryErr
		}
		if off == start && i+1 < n {
			return Malformed("rap", "data descriptor", -1, "structure takes no bytes, cannot walk "+rapItoa(n)+" entries")
		}
	}
	if firstSoft != nil {
		r.errSoft = true
	}
	return firstSoft
}

// newEntry starts a typed entry of the function's kind.
func (r *RAPResponse) newEntry(k rapTyped) {
	switch k {
	case rapTypedServer:
		r.Servers = growOne(r.Servers)
	case rapTypedShare:
		r.Shares = growOne(r.Shares)
	case rapTypedWksta:
		r.HasWksta = true
	case rapTypedTOD:
		r.HasTOD = true
	}
}

// setEntryErr records an error on the current typed entry.
func (r *RAPResponse) setEntryErr(k rapTyped, err error) {
	switch k {
	case rapTypedServer:
		if len(r.Servers) > 0 {
			r.Servers[len(r.Servers)-1].Err = err
		}
	case rapTypedShare:
		if len(r.Shares) > 0 {
			r.Shares[len(r.Shares)-1].Err = err
		}
	}
}

// collect stores a numeric value in the typed result.
func (w *rapWalker) collect(role rapRole, v uint64, _ []byte) {
	if role == roleNone {
		return
	}
	if q := w.req; q != nil {
		switch role {
		case roleLevel:
			q.Level, q.HasLevel = uint16(v), true
		case roleTypeMask:
			q.ServerType, q.HasServerType = ServerType(v), true
		}
		return
	}
	r := w.resp
	if r == nil {
		return
	}
	switch role {
	case roleAvailable:
		r.Available, r.HasAvailable = uint16(v), true
	case roleServerType:
		if s := r.lastServer(); s != nil {
			s.Type, s.HasInfo = ServerType(v), true
		}
	case roleShareType:
		if s := r.lastShare(); s != nil {
			s.Type, s.HasType = RAPShareType(v), true
		}
	case roleSharePerms:
		if s := r.lastShare(); s != nil {
			s.Permissions = uint16(v)
		}
	case roleShareMaxUses:
		if s := r.lastShare(); s != nil {
			s.MaxUses = uint16(v)
		}
	case roleShareCurUses:
		if s := r.lastShare(); s != nil {
			s.CurrentUses = uint16(v)
		}
	case roleTODTime:
		r.TOD.Time = uint32(v)
	case roleTODMsecs:
		r.TOD.Msecs = uint32(v)
	case roleTODZone:
		r.TOD.TimeZone = int16(uint16(v))
	case roleTODInterval:
		r.TOD.Interval = uint16(v)
	case roleTODYear:
		r.TOD.Year = uint16(v)
	}
}

// collectBytes stores a byte or string value in the typed result.
func (w *rapWalker) collectBytes(role rapRole, b []byte) {
	if role == roleNone {
		return
	}
	if q := w.req; q != nil {
		switch role {
		case roleDomain:
			q.Domain, q.HasDomain = b, true
		case roleLastEntry:
			q.LastEntry = b
		case roleReqName:
			q.Name = b
		}
		return
	}
	r := w.resp
	if r == nil {
		return
	}
	var b0 uint8
	if len(b) > 0 {
		b0 = b[0]
	}
	switch role {
	case roleServerName:
		if s := r.lastServer(); s != nil {
			s.Name = rapCString(rapCap(b, 16))
		}
	case roleServerMajor:
		if s := r.lastServer(); s != nil {
			s.Major = b0
		}
	case roleServerMinor:
		if s := r.lastServer(); s != nil {
			s.Minor = b0
		}
	case roleServerComment:
		if s := r.lastServer(); s != nil {
			s.Comment = b
		}
	case roleShareName:
		if s := r.lastShare(); s != nil {
			s.Name = rapCString(rapCap(b, 13))
		}
	case roleShareComment:
		if s := r.lastShare(); s != nil {
			s.Comment = b
		}
	case roleSharePath:
		if s := r.lastShare(); s != nil {
			s.Path = b
		}
	case roleWkComputer:
		r.Wksta.ComputerName = b
	case roleWkUser:
		r.Wksta.UserName = b
	case roleWkDomain:
		r.Wksta.Domain = b
	case roleWkMajor:
		r.Wksta.Major = b0
	case roleWkMinor:
		r.Wksta.Minor = b0
	case roleWkLogonDomain:
		r.Wksta.LogonDomain = b
	case roleWkOtherDomains:
		r.Wksta.OtherDomains = b
	case roleTODHour:
		r.TOD.Hour = b0
	case roleTODMinute:
		r.TOD.Minute = b0
	case roleTODSecond:
		r.TOD.Second = b0
	case roleTODHundredths:
		r.TOD.Hundredths = b0
	case roleTODDay:
		r.TOD.Day = b0
	case roleTODMonth:
		r.TOD.Month = b0
	case roleTODWeekday:
		r.TOD.Weekday = b0
	}
}

// rapCap limits a typed name to its structure's size (sv1_name[16],
// shi1_netname[13]) whatever count the descriptor gave; the tree shows
// what the descriptor says.
func rapCap(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n:n]
	}
	return b
}

func (r *RAPResponse) lastServer() *RAPServer {
	if len(r.Servers) == 0 {
		return nil
	}
	return &r.Servers[len(r.Servers)-1]
}

func (r *RAPResponse) lastShare() *RAPShare {
	if len(r.Shares) == 0 {
		return nil
	}
	return &r.Shares[len(r.Shares)-1]
}
