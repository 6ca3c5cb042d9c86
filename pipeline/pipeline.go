package pipeline

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"github.com/nbtsniff/nbtsniff/capture"
	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/engine"
)

// Source delivers packets one at a time. capture.Source (a file, standard
// input, an interface, a merge of those) satisfies it, and so can any
// other packet source, such as a network subscriber.
//
// Next fills p with the next packet, whose Data is valid until the next
// call. It returns io.EOF at the end, and a *capture.TruncatedError when
// an input was cut short after its last whole packet (the pipeline warns
// and reads on: a merge goes on with its other inputs). Any other error
// ends the run. Stats may be called from any goroutine. Close releases the
// source; for a live source (Config.Live) it is called from another
// goroutine to end a blocked Next.
type Source interface {
	Next(p *capture.Packet) error
	Stats() capture.Stats
	Close() error
}

// Config is what a Pipeline reads and what its engines do.
type Config struct {
	// Labels name the inputs by Packet.Source: the segment each frame
	// was seen on, and the interfaces of the -w file.
	Labels []string
	// Count stops after that many packets (-c); 0 reads everything.
	Count int
	// InputSize is the size of the inputs (Opened.Size), 0 if unknown.
	InputSize int64
	// Write, if set, is a pcapng file every packet read is written to
	// (-w), before it is decoded.
	Write string
	// Ring, when Active, makes Write a ring of files (-b, tshark's ring
	// buffer: capture.RingWriter).
	Ring capture.RingOptions
	// Tap, if set, is handed every packet read, after the -w file and
	// before decoding (a NATS publisher); its error ends the run as a
	// *TapError. The packet's Data is valid only during the call.
	Tap func(p *capture.Packet) error
	// Warn is told of each input cut short (a *capture.TruncatedError);
	// nil ignores them.
	Warn func(error)
	// Live: the source waits for packets (an interface, a subscriber).
	// Run closes it when its context ends, which ends a blocked Next.
	Live bool
	// Waits: the source may wait for packets (Live, or standard input or
	// a pipe: Opened.Waits). Next does not read ahead then, so that each
	// frame goes out as soon as it is read, not when the next one comes.
	Waits bool

	// GiveUpTCPHoles treats a hole in a TCP stream as lost as soon as
	// later data arrives (tshark's default) instead of waiting for an
	// out-of-order segment.
	GiveUpTCPHoles bool
	// Needs is what the engines build of each frame, worked out once
	// from what the output, the display filter and the timeline read
	// (engine.NewNeeds); the zero value builds everything.
	Needs engine.Needs

	// Engines is how many engines decode at once in Run (files only; 0
	// or 1: one). DefaultEngines is one per core.
	Engines int
	// SpreadTCP: the output cannot show tcp.stream, so the TCP frames
	// may be spread over Run's engines by address pair (see parallel.go).
	SpreadTCP bool
}

// Pipeline is the frame loop: it reads packets from its Source under one
// policy (Read), writes them to the -w file, decodes them through its
// engine (Decode, Next), or hands them to Run, which decodes them with one
// engine or several and feeds a printer or the timeline in frame order.
// A Pipeline is used from one goroutine.
type Pipeline struct {
	src    Source
	reader interface{ Next(*capture.Packet) error } // src, or the file a labelled src is
	cfg    Config
	eng    *engine.Engine // made by the first Decode
	comp   map[int]int    // from FirstPass
	pw     packetWriter
	wf     *os.File // the -w file, when not a ring
	n      int      // packets read
	pkt    capture.Packet
	shut   bool // the engine was closed
	wrote  bool // pw was closed

	// Next reads one packet ahead (not on a live source), to know the
	// last frame of the capture before it is handed on: the engine
	// finishes on it (engine.Finish).
	cur      readPacket
	ahead    readPacket
	aheadBuf [2][]byte // ahead.pkt.Data, in turn, so the frame handed on stays valid
	aheadI   int
	hasAhead bool
	aheadErr error // what reading ahead ended on
	// first and prev are the capture times of the first packet read and
	// of the last one: the frames' numbers and times (DecodeNth).
	first, prev time.Time

	par *parallel // Run's engines, when several
}

// StreamLoss is what the TCP streams lost so far, over every engine of
// the pipeline (see engine.StreamLoss).
func (p *Pipeline) StreamLoss() engine.StreamLoss {
	var l engine.StreamLoss
	if p.eng != nil {
		l.Add(p.eng.StreamLoss())
	}
	if p.par != nil {
		for _, w := range p.par.workers {
			l.Add(w.eng.StreamLoss())
		}
	}
	return l
}

// WriteError is an error writing the -w file: the run stops there.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string { return "-w " + e.Path + ": " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// TapError is an error of Config.Tap: the run stops there.
type TapError struct{ Err error }

func (e *TapError) Error() string { return e.Err.Error() }
func (e *TapError) Unwrap() error { return e.Err }

// packetWriter is the -w file: one pcapng file, or a ring of them.
type packetWriter interface {
	SetLabel(source int, label string)
	WritePacket(p *capture.Packet) error
	Close() error
}

// New makes a pipeline reading src, and creates the -w file if asked.
func New(src Source, cfg Config) (*Pipeline, error) {
	p := &Pipeline{src: src, reader: src, cfg: cfg}
	if l, ok := src.(labelled); ok {
		p.reader = l.Source // its Next is the file's: one call a packet, not two
	}
	switch {
	case cfg.Write != "" && cfg.Ring.Active():
		p.pw = capture.NewRingWriter(cfg.Write, cfg.Ring)
	case cfg.Write != "":
		f, err := os.Create(cfg.Write)
		if err != nil {
			return nil, err
		}
		p.wf = f
		p.pw = capture.NewPcapngWriter(f)
	}
	if p.pw != nil {
		for i, l := range cfg.Labels {
			p.pw.SetLabel(i, l)
		}
	}
	return p, nil
}

// Packets is the number of packets read so far.
func (p *Pipeline) Packets() int { return p.n }

// Stats are the source's counters.
func (p *Pipeline) Stats() capture.Stats { return p.src.Stats() }

// Read reads the next packet into pkt, under the one policy for read
// errors of every consumer of the loop:
//   - io.EOF at the end of the source, after Count packets, or once ctx
//     is done;
//   - an input cut short (*capture.TruncatedError) goes to Warn and
//     reading goes on: the frames before the cut were read, the cut is
//     not a packet and is not counted;
//   - any other error of the source is returned, as is;
//   - once ctx is done, any error is io.EOF: a live source closed on
//     Ctrl-C, a pipe whose read was interrupted (ErrInterrupted) in the
//     middle of a record is no input cut short;
//   - each packet is written to the -w file; an error there is returned
//     as a *WriteError.
func (p *Pipeline) Read(ctx context.Context, pkt *capture.Packet) error {
	return p.read(ctx, pkt, true)
}

// read is Read; ctx is asked whether it is done before the packet only
// with checkCtx (after an error of the source, always).
func (p *Pipeline) read(ctx context.Context, pkt *capture.Packet, checkCtx bool) error {
	for {
		if p.cfg.Count > 0 && p.n >= p.cfg.Count || checkCtx && ctx.Err() != nil {
			return io.EOF
		}
		err := p.reader.Next(pkt)
		if err == nil {
			break
		}
		if errors.Is(err, io.EOF) || ctx.Err() != nil {
			return io.EOF
		}
		var te *capture.TruncatedError
		if errors.As(err, &te) {
			if p.cfg.Warn != nil {
				p.cfg.Warn(err)
			}
			continue
		}
		return err
	}
	p.n++
	if pkt.Source >= len(p.cfg.Labels) {
		p.growLabels(pkt.Source)
	}
	if p.pw != nil {
		if err := p.pw.WritePacket(pkt); err != nil {
			return &WriteError{Path: p.cfg.Write, Err: err}
		}
	}
	if p.cfg.Tap != nil {
		if err := p.cfg.Tap(pkt); err != nil {
			return &TapError{err}
		}
	}
	return nil
}

// growLabels takes the labels of a source whose inputs grow while it runs
// (a Feed) when a packet comes from an input not named yet: the engine
// and the -w file name it from then on.
func (p *Pipeline) growLabels(source int) {
	f, ok := p.src.(interface{ Labels() []string })
	if !ok {
		return
	}
	labels := f.Labels()
	if len(labels) <= source {
		return
	}
	for i := len(p.cfg.Labels); i < len(labels); i++ {
		if p.pw != nil {
			p.pw.SetLabel(i, labels[i])
		}
	}
	p.cfg.Labels = labels
	if p.eng != nil {
		p.eng.SetLabels(labels)
	}
}

// Decode decodes a packet Read returned. The frame is the engine's and is
// valid until the next Decode (dissect.Frame.CopyTo keeps one).
func (p *Pipeline) Decode(pkt *capture.Packet) *dissect.Frame {
	if p.eng == nil {
		p.eng = p.newEngine(false)
	}
	return p.eng.Decode(pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
}

// Next reads and decodes the next frame (Read, then Decode). Except on a
// source that waits (Config.Live, Config.Waits) it reads one packet ahead: on the capture's last frame (the
// input ends, or Count is reached) the engine finishes (engine.Finish),
// so the session packets that giving up the last TCP holes completes are
// decoded on that frame and not lost. The read that ended the input is
// returned on the next call.
func (p *Pipeline) Next(ctx context.Context) (*dissect.Frame, error) {
	f, _, err := p.next(ctx, skipNone)
	return f, err
}

// skipMode says what becomes of a frame that carries no NBT when nothing
// reads more than its frame fields (engine.Needs.SkipOther): it is
// classified from its raw bytes (engine.Skippable) as it is read, and its
// bytes are not copied.
type skipMode uint8

const (
	skipNone   skipMode = iota // every frame is decoded
	skipFrame                  // the engine makes its frame fields only (engine.Skipped)
	skipClock                  // no engine sees it: only the timeline's clock moves
	skipNumber                 // no engine sees it: the printer prints it by number (NumberPrinter)
)

// skipModeOf is the skip mode of a run into s: none with a display
// filter or a monitor beside a printer (both read every layer), the
// timeline's clock alone when the timeline is the sink and no watch sees
// the frames.
func (p *Pipeline) skipModeOf(s Sinks) skipMode {
	switch {
	case !p.cfg.Needs.SkipOther() || s.Filter != "" || s.Monitor != nil:
		return skipNone
	case s.Timeline != nil && (s.Watch == nil || s.Watch.Frame == nil):
		return skipClock
	}
	return skipFrame
}

// skippable reports whether a packet carries nothing the run reads but its
// frame fields, from its raw bytes (engine.Needs.Skippable: no NBT, or
// no NBT the output shows), whole (a frame cut short is decoded, to be
// marked).
func skippable(needs *engine.Needs, pkt *capture.Packet) bool {
	return pkt.CI.Length <= len(pkt.Data) && needs.Skippable(pkt.Data, pkt.LinkType)
}

// readPacket is a packet read, before it is decoded: its frame number,
// the capture time of the packet before it, and whether it is skipped
// (then its Data is nil and capLen its captured length).
type readPacket struct {
	pkt    capture.Packet
	n      int
	prev   time.Time
	skip   bool
	tested bool // whether skip is the frame's test (engine.Needs.Skippable), not the mode's none
	capLen int
}

// next is Next, with frames that carry no NBT skipped as mode says. A
// frame skipped under skipClock or skipNumber comes back as a nil frame
// and its capture time (its number is p.cur.n), unless it is the
// capture's last: the engines finish on that one.
func (p *Pipeline) next(ctx context.Context, mode skipMode) (*dissect.Frame, time.Time, error) {
	if p.cfg.Live || p.cfg.Waits {
		if err := p.readPacket(ctx, mode, &p.cur); err != nil {
			return nil, time.Time{}, err
		}
		if p.cur.skip && (mode == skipClock || mode == skipNumber) {
			return nil, p.cur.pkt.CI.Timestamp, nil
		}
		return p.decodeRead(&p.cur), time.Time{}, nil
	}
	if !p.hasAhead {
		if p.aheadErr == nil {
			p.aheadErr = p.readAhead(ctx, mode)
		}
		if !p.hasAhead {
			return nil, time.Time{}, p.aheadErr
		}
	}
	p.cur, p.hasAhead = p.ahead, false
	p.aheadErr = p.readAhead(ctx, mode)
	last := !p.hasAhead
	if p.cur.skip && (mode == skipClock || mode == skipNumber) && !last {
		return nil, p.cur.pkt.CI.Timestamp, nil
	}
	f := p.decodeRead(&p.cur)
	if last {
		p.eng.Finish(f)
	}
	return f, time.Time{}, nil
}

// readPacket reads the next packet into r: its Data is the source's
// (valid until the next read), or nil if it is skipped under mode.
func (p *Pipeline) readPacket(ctx context.Context, mode skipMode, r *readPacket) error {
	if err := p.Read(ctx, &p.pkt); err != nil {
		return err
	}
	at := p.pkt.CI.Timestamp
	if p.n == 1 {
		p.first, p.prev = at, at
	}
	r.pkt, r.n, r.prev, r.capLen = p.pkt, p.n, p.prev, len(p.pkt.Data)
	p.prev = at
	r.tested = mode != skipNone
	r.skip = r.tested && skippable(&p.cfg.Needs, &p.pkt)
	if r.skip {
		r.pkt.Data = nil
	}
	return nil
}

// readAhead reads the next packet into p.ahead, its bytes (unless it is
// skipped) copied into the buffer the frame handed on last does not use.
func (p *Pipeline) readAhead(ctx context.Context, mode skipMode) error {
	if err := p.readPacket(ctx, mode, &p.ahead); err != nil {
		return err
	}
	if !p.ahead.skip {
		p.aheadI ^= 1
		b := append(p.aheadBuf[p.aheadI][:0], p.ahead.pkt.Data...)
		p.aheadBuf[p.aheadI] = b
		p.ahead.pkt.Data = b
	}
	p.hasAhead = true
	return nil
}

// decodeRead decodes a packet read by readPacket, numbered as read.
func (p *Pipeline) decodeRead(r *readPacket) *dissect.Frame {
	if p.eng == nil {
		p.eng = p.newEngine(false)
	}
	if r.skip {
		return p.eng.Skipped(r.n, p.first, r.prev, r.capLen, r.pkt.CI, r.pkt.LinkType, r.pkt.Source)
	}
	if r.tested {
		// Not Skippable: the engine need not test it again.
		return p.eng.DecodeNthKept(r.n, p.first, r.prev, r.pkt.Data, r.pkt.CI, r.pkt.LinkType, r.pkt.Source)
	}
	return p.eng.DecodeNth(r.n, p.first, r.prev, r.pkt.Data, r.pkt.CI, r.pkt.LinkType, r.pkt.Source)
}

// engineConfig is the engines' configuration.
func (p *Pipeline) engineConfig() engine.Config {
	c := engine.DefaultConfig()
	c.Labels = p.cfg.Labels
	c.GiveUpTCPHoles = p.cfg.GiveUpTCPHoles
	c.Needs = p.cfg.Needs
	return c
}

// newEngine makes an engine; deferSessions leaves its session packets to
// a session worker (parallel.go).
func (p *Pipeline) newEngine(deferSessions bool) *engine.Engine {
	c := p.engineConfig()
	c.DeferSessions = deferSessions
	e := engine.New(c)
	if p.comp != nil {
		e.SetCompletions(p.comp)
	}
	return e
}

// closeEngine ends the engine's work (pending TCP data is flushed).
func (p *Pipeline) closeEngine() {
	if p.eng != nil && !p.shut {
		p.eng.Close()
	}
	p.shut = true
}

// Close ends the engine's work and completes the -w file, whose error it
// returns (a *WriteError). It does not close the source.
func (p *Pipeline) Close() error {
	p.closeEngine()
	if p.pw == nil || p.wrote {
		return nil
	}
	p.wrote = true
	err := p.pw.Close()
	if p.wf != nil {
		if cerr := p.wf.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return &WriteError{Path: p.cfg.Write, Err: err}
	}
	return nil
}

// closeOnDone closes a live source when ctx ends, which ends a blocked
// Next; stop ends the watch.
func (p *Pipeline) closeOnDone(ctx context.Context) (stop func()) {
	if !p.cfg.Live {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			p.src.Close()
		case <-done:
		}
	}()
	return func() { close(done) }
}

// FirstPass runs the first pass of a two-pass analysis over src, the
// same inputs opened again: it learns which frame completes each
// multi-message SMB transaction, so that the frames this pipeline decodes
// afterwards name it on every fragment. Only the transactions matter: no
// tree, no info column, and the frames that cannot carry a session packet
// (engine.Classify: NBNS, whole NBT datagrams) are counted but not
// decoded. The source is read under the same policy and Count as Read's
// (cut inputs are not warned about twice).
//
// A read error ends the pass but not what it learnt: the completions of
// the frames before it are kept, and the error is returned. The second
// pass then decodes those frames as it would have, meets the same error
// at the same place and returns it after them (tshark -2 prints the
// frames it read, then the error).
func (p *Pipeline) FirstPass(ctx context.Context, src Source) error {
	first, err := New(src, Config{Count: p.cfg.Count})
	if err != nil {
		return err
	}
	c := p.engineConfig()
	c.Needs = engine.NewNeeds(engine.Reads{Completions: true})
	eng := engine.New(c)
	var pkt capture.Packet
	var t0, prev time.Time
	var rerr error
	var last *dissect.Frame // the frame decoded last, if it is the last read
	for {
		if err := first.Read(ctx, &pkt); err != nil {
			if !errors.Is(err, io.EOF) {
				rerr = err
			}
			break
		}
		n := first.Packets()
		if n == 1 {
			t0, prev = pkt.CI.Timestamp, pkt.CI.Timestamp
		}
		last = nil
		if c, _ := engine.Classify(pkt.Data, pkt.LinkType); c == engine.ClassOrdered {
			last = eng.DecodeNth(n, t0, prev, pkt.Data, pkt.CI, pkt.LinkType, pkt.Source)
		}
		prev = pkt.CI.Timestamp
	}
	if n := first.Packets(); n > 0 {
		// The transactions completed at the end are completed in the
		// capture's last frame (engine.Finish), decoded here or not.
		if last == nil {
			last = &dissect.Frame{Number: n}
			last.Tree.Off = true
		}
		eng.Finish(last)
	}
	eng.Close()
	p.comp = eng.Completions()
	return rerr
}
