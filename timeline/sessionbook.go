package timeline

// SessionBook is what an adapter remembers of TCP connections: the names
// of the last NBSS session request on each, so that a negative or
// retargeted answer (SessionEvent) can say who called whom. An adapter
// keeps its own; adapters that each see only some of the connections (the
// engines of a parallel run, each with whole address shards) leave the
// names to one book (Adapter.ShareSessions) that takes their notes in
// frame order (Apply): its answers, and when it forgets, are then those
// of one adapter that saw every frame.
//
// It is bounded by maxSessions: a request that finds it full clears it
// first (the names of older connections are forgotten).
type SessionBook struct {
	m map[sessionKey]sessionNames
}

// sessionKey is a connection: its tcp.stream number on the engine that
// decoded it (tag tells the engines apart).
type sessionKey struct{ tag, stream int }

type sessionNames struct {
	called, calling string
}

const maxSessions = 4096

// SessionNote is one session packet an adapter that shares its book saw
// (Adapter.SessionNotes): a request's names to remember, or an answer
// (Event) to fill in with those remembered.
type SessionNote struct {
	key   sessionKey
	names sessionNames // a request's
	Event *SessionEvent
}

// request remembers the names of a session request on connection k.
func (b *SessionBook) request(k sessionKey, n sessionNames) {
	if b.m == nil {
		b.m = make(map[sessionKey]sessionNames)
	}
	if len(b.m) >= maxSessions {
		clear(b.m)
	}
	b.m[k] = n
}

// answer fills in the names of the request the answer e on k answers.
func (b *SessionBook) answer(k sessionKey, e *SessionEvent) {
	n := b.m[k]
	e.Called, e.Calling = n.called, n.calling
}

// Apply takes the notes of a frame, in frame order after those of every
// frame before it: it remembers their requests and fills in their
// answers' names.
func (b *SessionBook) Apply(notes []SessionNote) {
	for i := range notes {
		if n := &notes[i]; n.Event == nil {
			b.request(n.key, n.names)
		} else {
			b.answer(n.key, n.Event)
		}
	}
}
