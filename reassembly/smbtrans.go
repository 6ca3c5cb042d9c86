package reassembly

// SMB transaction reassembly ([MS-CIFS] §3.2.4.1.5 and §3.3.4.1.2 for the
// client and server sides of a transaction split over several messages,
// §2.2.4.33 and §2.2.4.34 for the fields; Hertel, Implementing CIFS §2.9.4).
// The pieces are placed and assembled in transpieces.go; the tree-connect
// tracking that lets the printer show a TID's share path the way tshark
// does is tree.go.
//
// A transaction whose parameters or data do not fit one message is sent in
// pieces: the request as an SMB_COM_TRANSACTION followed by
// SMB_COM_TRANSACTION_SECONDARY requests, the response as several
// SMB_COM_TRANSACTION responses. Each piece carries ParameterCount bytes at
// ParameterDisplacement and DataCount bytes at DataDisplacement of the
// whole blocks, whose sizes are TotalParameterCount and TotalDataCount (the
// totals may shrink in later pieces; they never grow). Every piece of one
// transaction carries the same TID, PID, UID and MID on the same
// connection.
//
// Nothing on the wire is trusted: pieces are stored as they arrive (never
// a buffer sized from a total), placed by displacement in any order, a
// piece past the total or contradicting bytes already received is an
// error, and every pending transaction is bounded in bytes, pieces and
// number, and abandoned after a timeout measured in capture time.

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// TransConfig bounds a TransReassembler.
type TransConfig struct {
	// MaxBytes bounds the bytes stored for one transaction (both blocks,
	// duplicates included).
	MaxBytes int
	// MaxPieces bounds the messages of one transaction.
	MaxPieces int
	// MaxPending bounds the transactions being reassembled at once.
	MaxPending int
	// MaxRequests bounds the completed requests remembered until their
	// response arrives (for the transaction name and the RAP parameters a
	// response decoder needs).
	MaxRequests int
	// MaxRequestBytes bounds the parameter and data bytes kept of each
	// remembered request.
	MaxRequestBytes int
	// NoRequestBytes: the caller reads none of a response's RequestName,
	// RequestSetup, RequestParams and RequestData (the engine keeps what
	// RAP needs itself): a remembered request keeps its frame and time,
	// and its bound, but no copy of its bytes.
	NoRequestBytes bool
	// Timeout abandons a transaction (or a remembered request) that has
	// not progressed for this long, in capture time.
	Timeout time.Duration
}

// DefaultTransConfig: 1 MiB and 4096 pieces per transaction, 1024 pending
// transactions and 1024 remembered requests of up to 64 KiB, 60 s.
func DefaultTransConfig() TransConfig {
	return TransConfig{
		MaxBytes:        1 << 20,
		MaxPieces:       4096,
		MaxPending:      1024,
		MaxRequests:     1024,
		MaxRequestBytes: 64 << 10,
		Timeout:         60 * time.Second,
	}
}

// TransBlock names one of the two blocks of a transaction.
type TransBlock uint8

// The blocks.
const (
	TransParams TransBlock = iota
	TransData
)

func (b TransBlock) String() string {
	if b == TransParams {
		return "parameters"
	}
	return "data"
}

// ByteRange is a range [Start, End) of a transaction block that never
// arrived.
type ByteRange struct {
	Block      TransBlock
	Start, End int
}

func (r ByteRange) String() string {
	return r.Block.String() + " " + strconv.Itoa(r.Start) + ".." + strconv.Itoa(r.End)
}

// TransStatus says what Add did with a message.
type TransStatus uint8

// Statuses.
const (
	// TransNotTransaction: the message is not a decodable transaction
	// (not SMB_COM_TRANSACTION or its secondary, or its words could not
	// be read); nothing was done.
	TransNotTransaction TransStatus = iota
	// TransComplete: the transaction is whole; Params and Data hold it.
	TransComplete
	// TransPending: the piece was stored; the transaction is not whole.
	TransPending
	// TransDropped: the piece was not stored (Err says why), or a bound
	// was hit and the whole transaction was dropped (Missing says what
	// was never reassembled).
	TransDropped
	// TransAbandoned: reported by Expire and CloseConn for a transaction
	// that never completed; Missing lists the holes.
	TransAbandoned
)

var transStatusNames = [...]string{"not a transaction", "complete", "pending", "dropped", "abandoned"}

func (s TransStatus) String() string {
	if int(s) < len(transStatusNames) {
		return transStatusNames[s]
	}
	return "TransStatus(" + strconv.Itoa(int(s)) + ")"
}

// TransResult is what Add, Expire and CloseConn report. Its slices are
// valid until the next call to the reassembler; copy what you keep.
type TransResult struct {
	Status TransStatus
	// Complete is Status == TransComplete.
	Complete bool
	// Single: the transaction was whole in this one message; Params and
	// Data alias the message (no copy).
	Single bool
	// Request is true for a request (primary and secondaries), false for
	// a response.
	Request bool
	// TID, PID (PIDHigh:PIDLow), UID and MID identify the transaction on
	// its connection.
	TID  uint16
	PID  uint32
	UID  uint16
	MID  uint16
	Name []byte // transaction name of the primary request (requests only)
	// Setup is the setup words of the primary request, or of the first
	// response piece.
	Setup []byte
	// TotalParamCount and TotalDataCount are the totals in force (the
	// smallest announced).
	TotalParamCount int
	TotalDataCount  int
	// Params and Data are the whole blocks of a complete transaction.
	Params, Data []byte
	// Fragments lists the frames of the pieces in arrival order; the last
	// one (CompletedIn for a complete transaction) finished it. A
	// one-pass printer shows "[Reassembled in frame N]" on a piece only
	// after the fact: record CompletedIn against each fragment's frame
	// for a second pass or the TUI.
	Fragments   []int
	CompletedIn int
	// Missing lists what never arrived (abandoned and dropped
	// transactions).
	Missing []ByteRange
	// Err is why a piece or a transaction was dropped, or a warning on a
	// result that is otherwise usable (a total that grew, a request table
	// that was full). It wraps dissect.ErrMalformed or dissect.ErrLimit.
	Err error

	// The request this response answers, when it was seen (responses
	// only): its first frame, name, setup words and parameter and data
	// blocks (RAP decodes a response with its request's parameters).
	HaveRequest   bool
	RequestFrame  int
	RequestName   []byte
	RequestSetup  []byte
	RequestParams []byte
	RequestData   []byte
}

// transKey identifies a transaction. [MS-CIFS] §3.2.4.1.5: the secondary
// requests and the responses carry the primary request's TID, PID, UID and
// MID.
type transKey[C comparable] struct {
	conn     C
	tid, uid uint16
	mid      uint16
	pid      uint32
	response bool
}

type transPiece struct {
	off int
	b   []byte
}

type transPending[C comparable] struct {
	key          transKey[C]
	last         time.Time
	totalParams  int
	totalData    int
	params, data []transPiece
	stored       int
	frames       []int
	hasPrimary   bool
	name, setup  []byte
}

type transRequest struct {
	frame        int
	last         time.Time
	name, setup  []byte
	params, data []byte
}

// TransReassembler merges the pieces of SMB transactions. C is the
// engine's connection key (any comparable value: a TCP stream index, a
// 4-tuple). It is not safe for concurrent use.
type TransReassembler[C comparable] struct {
	cfg       TransConfig
	pending   map[transKey[C]]*transPending[C]
	requests  map[transKey[C]]*transRequest
	spare     []*transRequest // records of requests forgotten, for reuse
	nextSweep time.Time
	sweepSec  int64 // timeKey(nextSweep), for Due
	sweepNsec int
	reports   []TransResult // abandoned transactions waiting for Expire
	frag1     [1]int
	out       []byte // assembled blocks of the last completed transaction
	missing   []ByteRange
	// pieceRoom is piece lists of completed transactions, for new ones
	// (takePieces), each holding its pieces' copies past its length:
	// insertPiece copies a piece into the room of the element it takes.
	// Until the run's first collection every copy made afresh is fresh
	// memory (the NBT-dense mix's pieces were 130 page faults).
	pieceRoom [][]transPiece
}

// maxPieceRoom bounds TransReassembler.pieceRoom; maxPieceRoomBytes the
// copies a list kept there may hold (a list that held more is dropped):
// at most 16 x 16 KiB stay with a reassembler.
const (
	maxPieceRoom      = 16
	maxPieceRoomBytes = 16 << 10
)

// takePieces is an empty piece list, with room from a completed
// transaction's if one is kept.
func (r *TransReassembler[C]) takePieces() []transPiece {
	n := len(r.pieceRoom)
	if n == 0 {
		return nil
	}
	l := r.pieceRoom[n-1]
	r.pieceRoom[n-1] = nil
	r.pieceRoom = r.pieceRoom[:n-1]
	return l
}

// keepPieces keeps the piece list of a completed transaction, whose
// pieces nothing reads any more, for takePieces.
func (r *TransReassembler[C]) keepPieces(l []transPiece) {
	if cap(l) == 0 || len(r.pieceRoom) >= maxPieceRoom {
		return
	}
	held := 0
	for _, pc := range l {
		held += cap(pc.b)
	}
	if held > maxPieceRoomBytes {
		return
	}
	r.pieceRoom = append(r.pieceRoom, l[:0])
}

// NewTransReassembler makes a reassembler; zero fields of cfg take
// DefaultTransConfig's values.
func NewTransReassembler[C comparable](cfg TransConfig) *TransReassembler[C] {
	d := DefaultTransConfig()
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = d.MaxBytes
	}
	if cfg.MaxPieces <= 0 {
		cfg.MaxPieces = d.MaxPieces
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = d.MaxPending
	}
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = d.MaxRequests
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = d.MaxRequestBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = d.Timeout
	}
	r := &TransReassembler[C]{
		cfg:      cfg,
		pending:  map[transKey[C]]*transPending[C]{},
		requests: map[transKey[C]]*transRequest{},
	}
	r.sweepSec, r.sweepNsec = timeKey(r.nextSweep)
	return r
}

// Pending is the number of transactions being reassembled.
func (r *TransReassembler[C]) Pending() int { return len(r.pending) }

// Requests is the number of remembered requests awaiting a response.
func (r *TransReassembler[C]) Requests() int { return len(r.requests) }

func transErr(field, detail string) error {
	return &dissect.DecodeError{Proto: "smbtrans", Field: field, Offset: -1, Err: dissect.ErrMalformed, Detail: detail}
}

func transLimit(field, detail string) error {
	return &dissect.DecodeError{Proto: "smbtrans", Field: field, Offset: -1, Err: dissect.ErrLimit, Detail: detail}
}

// Add feeds one decoded SMB message, seen in frame at capture time ts on
// connection conn. Messages that are not transactions, or whose
// transaction could not be decoded (s.Trans().Err), are ignored
// (TransNotTransaction). A whole transaction in one message passes straight
// through (Single, nothing copied); a piece is stored until the
// transaction is whole. Call Expire regularly (after every frame is fine:
// it is cheap) to collect abandoned transactions.
func (r *TransReassembler[C]) Add(conn C, s *dissect.SMB, frame int, ts time.Time) TransResult {
	var res TransResult
	r.AddTo(&res, conn, s, frame, ts)
	return res
}

// AddTo is Add with the result written to res (a result returned is
// copied from the callee's frame to the caller's in 16-byte loads over
// the stores just made: the engine's call).
func (r *TransReassembler[C]) AddTo(res *TransResult, conn C, s *dissect.SMB, frame int, ts time.Time) {
	tr := s.Trans()
	if tr == nil || tr.Err != nil || s.Err != nil {
		*res = TransResult{}
		return
	}
	key := transKey[C]{conn: conn, tid: s.TID, uid: s.UID, mid: s.MID, pid: s.PID(), response: !tr.Request}
	// Cleared, then set: the literal with these fields was built on the
	// stack and copied in 16-byte loads over its narrower stores.
	*res = TransResult{}
	res.Request, res.TID, res.PID, res.UID, res.MID = tr.Request, s.TID, s.PID(), s.UID, s.MID
	p := r.pending[key]
	whole := !tr.Secondary && tr.ParamDisplacement == 0 && tr.DataDisplacement == 0 &&
		tr.ParamCount == tr.TotalParamCount && tr.DataCount == tr.TotalDataCount
	newPrimary := tr.Request && !tr.Secondary
	if p != nil && (whole || (newPrimary && p.hasPrimary)) {
		// A new transaction reuses the key of one that never finished
		// (secondaries that came before their primary are kept).
		r.abandon(p, transErr("transaction", "superseded by a new transaction with the same TID, PID, UID and MID in frame "+strconv.Itoa(frame)))
		p = nil
	}
	if whole {
		res.Status, res.Complete, res.Single = TransComplete, true, true
		res.Name, res.Setup = tr.Name, tr.Setup
		res.TotalParamCount, res.TotalDataCount = int(tr.TotalParamCount), int(tr.TotalDataCount)
		res.Params, res.Data = tr.Params, tr.Data
		r.frag1[0] = frame
		res.Fragments, res.CompletedIn = r.frag1[:], frame
		r.finish(key, res, frame, ts, tr.Flags)
		return
	}

	if p == nil {
		if len(r.pending) >= r.cfg.MaxPending {
			r.sweep(ts)
		}
		if len(r.pending) >= r.cfg.MaxPending {
			res.Status = TransDropped
			res.Err = transLimit("pending transactions", "more than "+strconv.Itoa(r.cfg.MaxPending)+" transactions being reassembled")
			return
		}
		p = &transPending[C]{key: key, totalParams: int(tr.TotalParamCount), totalData: int(tr.TotalDataCount),
			params: r.takePieces(), data: r.takePieces()}
		r.pending[key] = p
	}
	p.last = ts
	if err := r.place(p, tr); err != nil {
		res.Status, res.Err = TransDropped, err
		r.fill(res, p)
		if errors.Is(err, dissect.ErrLimit) {
			// a bound: the whole transaction goes
			res.Missing = r.holes(p)
			delete(r.pending, key)
		}
		return
	}
	p.frames = append(p.frames, frame)
	if newPrimary {
		p.hasPrimary = true
		p.name = append([]byte(nil), tr.Name...)
		p.setup = append([]byte(nil), tr.Setup...)
	} else if !tr.Request && p.setup == nil && len(tr.Setup) > 0 {
		p.setup = append([]byte(nil), tr.Setup...)
	}
	r.fill(res, p)
	if !r.whole(p) {
		res.Status = TransPending
		return
	}
	// Whole: assemble both blocks into one buffer.
	delete(r.pending, key)
	r.out = assemble(r.out[:0], p.params, p.totalParams)
	np := len(r.out)
	r.out = assemble(r.out, p.data, p.totalData)
	r.keepPieces(p.params)
	r.keepPieces(p.data)
	res.Params, res.Data = r.out[:np:np], r.out[np:]
	res.Status, res.Complete = TransComplete, true
	res.CompletedIn = frame
	r.finish(key, res, frame, ts, tr.Flags)
}

// finish pairs a complete response with its request, and remembers a
// complete request for its response.
func (r *TransReassembler[C]) finish(key transKey[C], res *TransResult, frame int, ts time.Time, flags dissect.TransFlags) {
	if key.response {
		rk := key
		rk.response = false
		if q := r.requests[rk]; q != nil {
			res.HaveRequest = true
			res.RequestFrame, res.RequestName, res.RequestSetup = q.frame, q.name, q.setup
			res.RequestParams, res.RequestData = q.params, q.data
			r.forget(rk, q)
		}
		return
	}
	// One-way transactions (and mailslot writes, which never get a
	// response) are not remembered.
	if flags.Has(dissect.TransNoResponse) || bytes.HasPrefix(res.Name, []byte(dissect.MailslotPrefix)) {
		return
	}
	if len(r.requests) >= r.cfg.MaxRequests {
		r.sweep(ts)
	}
	if len(r.requests) >= r.cfg.MaxRequests {
		// Forget the oldest request: its response will come without the
		// request's name and parameters.
		var oldest transKey[C]
		var ot time.Time
		first := true
		for k, q := range r.requests {
			if first || q.last.Before(ot) {
				oldest, ot, first = k, q.last, false
			}
		}
		r.forget(oldest, r.requests[oldest])
		if res.Err == nil {
			res.Err = transLimit("remembered requests", "more than "+strconv.Itoa(r.cfg.MaxRequests)+" requests awaiting a response: the oldest was forgotten")
		}
	}
	first := frame
	if len(res.Fragments) > 0 {
		first = res.Fragments[0]
	}
	q := r.newRequest()
	*q = transRequest{frame: first, last: ts}
	r.requests[key] = q
	if r.cfg.NoRequestBytes {
		return
	}
	params := res.Params[:min(len(res.Params), r.cfg.MaxRequestBytes)]
	data := res.Data[:min(len(res.Data), r.cfg.MaxRequestBytes-len(params))]
	// One buffer for the four copies: a transaction costs two allocations.
	buf := make([]byte, 0, len(res.Name)+len(res.Setup)+len(params)+len(data))
	q.name, buf = appendPart(buf, res.Name)
	q.setup, buf = appendPart(buf, res.Setup)
	q.params, buf = appendPart(buf, params)
	q.data, _ = appendPart(buf, data)
}

// newRequest is a record for a request to remember: one of a request
// forgotten, or a new one.
func (r *TransReassembler[C]) newRequest() *transRequest {
	if n := len(r.spare); n > 0 {
		q := r.spare[n-1]
		r.spare = r.spare[:n-1]
		return q
	}
	return new(transRequest)
}

// forget forgets the remembered request q of key and keeps its record for
// the next (a response's TransResult keeps the request's bytes, not the
// record).
func (r *TransReassembler[C]) forget(key transKey[C], q *transRequest) {
	delete(r.requests, key)
	if q != nil {
		*q = transRequest{}
		r.spare = append(r.spare, q)
	}
}

// appendPart appends b to buf, which has room for it, and returns the
// copy (nil when b is empty, as append([]byte(nil), b...) would) and buf.
func appendPart(buf, b []byte) (part, rest []byte) {
	if len(b) == 0 {
		return nil, buf
	}
	n := len(buf)
	buf = append(buf, b...)
	return buf[n:len(buf):len(buf)], buf
}

func (r *TransReassembler[C]) abandon(p *transPending[C], err error) {
	res := TransResult{Status: TransAbandoned, Request: !p.key.response, TID: p.key.tid, PID: p.key.pid, UID: p.key.uid, MID: p.key.mid, Err: err}
	r.fill(&res, p)
	res.Missing = append([]ByteRange(nil), r.holes(p)...)
	if !p.key.response && !p.hasPrimary && len(res.Missing) == 0 {
		res.Err = transErr("transaction", "secondary requests without their primary request")
	}
	r.reports = append(r.reports, res)
	delete(r.pending, p.key)
}

// sweep abandons transactions and forgets requests idle for longer than
// the timeout.
func (r *TransReassembler[C]) sweep(now time.Time) {
	for _, p := range r.pending {
		if now.Sub(p.last) > r.cfg.Timeout {
			r.abandon(p, transLimit("transaction", "no piece for "+r.cfg.Timeout.String()+" of capture time"))
		}
	}
	for k, q := range r.requests {
		if now.Sub(q.last) > r.cfg.Timeout {
			r.forget(k, q)
		}
	}
	r.nextSweep = now.Add(r.cfg.Timeout / 4)
	r.sweepSec, r.sweepNsec = timeKey(r.nextSweep)
}

// Expire abandons the transactions idle for longer than the timeout at
// capture time now, and returns them (and any superseded since the last
// call) appended to out: Status TransAbandoned, Missing the holes. It does
// the work at most every quarter timeout.
func (r *TransReassembler[C]) Expire(now time.Time, out []TransResult) []TransResult {
	if !now.Before(r.nextSweep) {
		r.sweep(now)
	}
	out = append(out, r.reports...)
	r.reports = r.reports[:0]
	return out
}

// Due reports whether Expire at capture time now would do anything: a
// sweep is due, or abandoned transactions wait to be reported. When it is
// not, Expire returns out as it is.
func (r *TransReassembler[C]) Due(now time.Time) bool {
	if len(r.reports) > 0 {
		return true
	}
	s, n := timeKey(now)
	return !keyBefore(s, n, r.sweepSec, r.sweepNsec) // !now.Before(r.nextSweep), inlined
}

// CloseConn reports every unfinished transaction of a connection that
// ended (Status TransAbandoned with the missing ranges) and forgets its
// remembered requests.
func (r *TransReassembler[C]) CloseConn(conn C, out []TransResult) []TransResult {
	for k, p := range r.pending {
		if k.conn == conn {
			r.abandon(p, transErr("transaction", "connection ended before the transaction was whole"))
		}
	}
	for k, q := range r.requests {
		if k.conn == conn {
			r.forget(k, q)
		}
	}
	out = append(out, r.reports...)
	r.reports = r.reports[:0]
	return out
}
