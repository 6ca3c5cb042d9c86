package engine

import (
	"errors"
	"strconv"
	"time"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/reassembly"
)

// The bounds of the state the engine keeps between frames. Hitting one
// forgets something (a connection, a datagram waiting for fragments, a
// transaction being merged, a request awaiting its response): the frame
// that hit it says so in its tree (an expert note, for -V and JSON) and
// in dissect.Frame.Bounds (the timeline raises a "limit" anomaly), and
// the engine counts it (BoundHits). Nothing is forgotten in silence.
const (
	// BoundConns: the TCP connections on ports 139 and 445 followed at
	// once (reassembly.StreamLimits.MaxConns, shared out over the
	// shards); the emptiest and oldest is evicted for a new one.
	BoundConns = "MaxConns"
	// BoundStreams: the TCP conversations numbered for tcp.stream
	// (Config.MaxTCPStreams, shared out over the shards); the least
	// recently seen is forgotten: seen again, it gets a new number.
	BoundStreams = "MaxStreams"
	// BoundFragments: the NBT datagrams waiting for fragments
	// (reassembly.DatagramLimits.MaxPending: the oldest is dropped), and
	// the fragments and bytes of one datagram.
	BoundFragments = "MaxFragments"
	// BoundTransactions: the SMB transactions being merged from several
	// messages (reassembly.TransConfig.MaxPending), and the pieces and
	// bytes of one.
	BoundTransactions = "MaxTransactions"
	// BoundRequests: the requests awaiting a response, remembered to
	// decode it (reassembly.TransConfig.MaxRequests, and the RAP
	// requests of \PIPE\LANMAN): the oldest is forgotten.
	BoundRequests = "MaxRequests"
)

// ipFragmentTimeout is how long, in capture time, an IPv4 datagram may
// wait for its fragments: the gopacket defragmenter keeps every
// incomplete datagram until told to forget it. 30 s is Linux's
// ipfrag_time.
const ipFragmentTimeout = 30 * time.Second

// BoundCount is how many times a bound was hit.
type BoundCount struct {
	Bound string
	Hits  uint64
}

// BoundHits counts the bounds hit so far, in the order they were first
// hit.
func (e *Engine) BoundHits() []BoundCount {
	return append([]BoundCount(nil), e.hits...)
}

// hitBound records on f that bound was hit (err says what was
// forgotten), and counts it.
func (e *Engine) hitBound(f *dissect.Frame, bound string, err error) {
	f.Bounds = append(f.Bounds, dissect.BoundHit{Bound: bound, Err: err})
	for i := range e.hits {
		if e.hits[i].Bound == bound {
			e.hits[i].Hits++
			return
		}
	}
	e.hits = append(e.hits, BoundCount{Bound: bound, Hits: 1})
}

// forgotStream records that the least recently seen TCP conversation of
// a shard (max of them) was forgotten for the one of f.
func (e *Engine) forgotStream(f *dissect.Frame, max int) {
	// One error for every hit of a shard's bound: nothing changes an
	// error once made, and the flood that hits it frame after frame
	// (the NBT-dense mix: 10,411 times) made its text each time.
	if e.forgot == nil || e.forgotMax != max {
		e.forgot, e.forgotMax = dissect.Limit("tcp", "stream", -1, "more than "+strconv.Itoa(max)+
			" TCP conversations in this address shard: the least recently seen was forgotten (seen again, it gets a new tcp.stream)"), max
	}
	err := e.forgot
	e.hitBound(f, BoundStreams, err)
	if f.Tree.WantsText() {
		base := f.Tree.Base
		f.Tree.Base = 0
		f.Tree.Expert("[TCP conversations: "+err.Error()+"]", -1, 0).Flags |= dissect.NodeWarn
		f.Tree.Base = base
	}
}

// transBound is the bound a transaction's limit error hit: the requests
// remembered, or the transactions being merged.
func transBound(err error) string {
	var de *dissect.DecodeError
	if errors.As(err, &de) && de.Field == "remembered requests" {
		return BoundRequests
	}
	return BoundTransactions
}

// datagramBound reports whether a datagram anomaly is a bound hit.
func datagramBound(a *reassembly.DatagramAnomaly) bool {
	return a.Err != nil && errors.Is(a.Err, dissect.ErrLimit)
}

// expireFragments forgets the IPv4 datagrams whose fragments have waited
// longer than ipFragmentTimeout, once per second of capture time.
func (e *Engine) expireFragments(now time.Time) {
	if now.Sub(e.fragSwept) < time.Second {
		return
	}
	e.fragSwept = now
	e.defrag.DiscardOlderThan(now.Add(-ipFragmentTimeout))
}
