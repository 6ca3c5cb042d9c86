package engine

import (
	"slices"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Reads is what the consumer of an engine's frames reads: its printer,
// its display filter, or the timeline. NewNeeds turns it into Needs.
type Reads struct {
	// Timeline: the frames feed the timeline, which reads their typed
	// messages, addresses and TCP conversations (tcp.stream), and are not
	// printed.
	Timeline bool
	// Fields: the frames are printed as these fields only (-T fields), by
	// the names -e takes; "_ws.col.Info" is the info column.
	Fields []string
	// Details: the printer shows every field of every frame (-V, -T json),
	// tcp.stream among them. Without Timeline, Fields or Details, the
	// printer shows the summary line.
	Details bool
	// Filter is the display filter, "" for none: it may test any field and
	// the info column, and tcp.stream if it names it.
	Filter string
	// Completions: which frame completed each multi-message SMB
	// transaction (Engine.Completions), for a second pass. Alone, it is a
	// first pass, which reads nothing of the frames themselves.
	Completions bool
}

// Needs says what an engine builds for each frame: worked out once from
// what its consumer reads (NewNeeds), given to every engine of a capture
// in Config.Needs. An engine builds only what can be read: no protocol
// tree for the timeline, only the printed fields' nodes for -T fields, no
// info column where nothing prints it, the layers above NBT only when
// something can show them.
//
// The zero Needs is NewNeeds(Reads{}): everything a printer can show.
type Needs struct {
	set bool
	// tree: build the protocol tree (dissect.Tree.Off when not).
	tree bool
	// want, when not nil, keeps only the nodes of these fields
	// (dissect.Tree.Want, indexed by FieldID).
	want []bool
	// info: fill the info column where a layer would write it (the
	// engine's own notes on unsupported, fragmented or other-port frames
	// remain).
	info bool
	// upper: decode what NBT carries (SMB, SMB2, mailslot, browser, LAN
	// Manager, RAP).
	upper bool
	// protocols: build frame.protocols.
	protocols bool
	// convs: follow TCP conversations (tcp.stream and relative tcp.seq):
	// the info column, the timeline or a field needs them.
	convs bool
	// streamShown: tcp.stream numbers reach the output.
	streamShown bool
	// completions: keep, for a second pass, which frame completed each
	// multi-message SMB transaction (Engine.Completions).
	completions bool
	// skipOther: frames that carry no NBT (Skippable) are not decoded
	// beyond the frame's own fields: nothing read shows them.
	skipOther bool
	// sessions: what is read may come of the NBT sessions (TCP 139 and
	// 445); without it, their frames are skipped too (Needs.Skippable).
	sessions bool
}

// NewNeeds works out what an engine must build for a consumer that reads
// r. A display filter may read anything: with one, the whole tree and the
// info column are built, whatever prints the frames.
func NewNeeds(r Reads) Needs {
	n := Needs{set: true, tree: true, info: true, completions: r.Completions}
	// Columns of -T fields that read more of a frame than its fields:
	// the protocol column names the top layer (every layer decoded, of
	// every frame), the address columns the addresses of any frame.
	protoCol, addrCols := false, false
	firstPass := r.Completions && !r.Timeline && len(r.Fields) == 0 && !r.Details && r.Filter == ""
	switch {
	case firstPass:
		n.tree, n.info = false, false
	case r.Filter != "":
	case r.Timeline:
		n.tree, n.info = false, false
	case len(r.Fields) > 0:
		// Only the printed fields' nodes, and the info column only if it
		// is one of them.
		n.info = false
		var want []bool
		for _, name := range r.Fields {
			if id, ok := dissect.LookupField(name); ok {
				if want == nil {
					want = make([]bool, dissect.NumFields())
				}
				if int(id) < len(want) {
					want[id] = true
				}
			}
			switch name {
			case "_ws.col.Info":
				n.info = true
			case "_ws.col.Protocol":
				protoCol = true
			case "_ws.col.Source", "_ws.col.Destination":
				addrCols = true
			}
		}
		n.want = want
	}
	n.upper = n.upperNeeded() || protoCol
	n.protocols = n.tree && (n.want == nil || n.want[dissect.FieldFrameProtocols])
	n.convs = n.want == nil || n.info || n.want[dissect.FieldTCPStream] || n.want[dissect.FieldTCPSeq] ||
		n.want[dissect.FieldTCPAck] || n.want[dissect.FieldTCPNxtSeq]
	n.streamShown = !firstPass && (r.Details || strings.Contains(r.Filter, "tcp.stream") ||
		slices.Contains(r.Fields, "tcp.stream"))
	n.skipOther = r.Filter == "" && !r.Details && (r.Timeline || firstPass ||
		len(r.Fields) > 0 && !n.info && !protoCol && !addrCols && nbtFieldsOnly(n.want))
	n.sessions = !n.skipOther || r.Timeline || firstPass || !datagramFieldsOnly(n.want)
	return n
}

// datagramFieldsOnly reports whether every field of want (FieldID-indexed,
// nil: every field) is one the frames of the NBT sessions (TCP 139 and
// 445: NBSS, SMB, SMB2, RAP) never hold beyond their frame fields: those
// of the name and datagram services and of what datagrams alone carry
// (mailslot, browser: nbtState.datagramSMB), and the frame's own but
// frame.protocols.
func datagramFieldsOnly(want []bool) bool {
	return want != nil && everyField(want, func(proto string) bool {
		switch proto {
		case "frame", "nbns", "nbdgm", "mailslot", "browser":
			return true
		}
		return false
	})
}

// Skippable reports whether a frame carries nothing these needs read but
// its frame fields, from its raw bytes (when SkipOther): Skippable, and
// with -T fields of the name and datagram services only, a frame of the
// NBT sessions (TCP 139 and 445) too.
func (n *Needs) Skippable(data []byte, lt layers.LinkType) bool {
	return skippable(data, lt, !n.set || n.sessions)
}

// nbtFieldsOnly reports whether every field of want (FieldID-indexed) is
// one a frame that carries no NBT leaves empty: none of its link, IP,
// transport, data or capture-limit layers, and not frame.protocols. The
// frame's own fields (number, times, lengths) are kept for every frame.
func nbtFieldsOnly(want []bool) bool {
	return everyField(want, func(proto string) bool {
		switch proto {
		case "eth", "vlan", "sll", "null", "gre", "erspan", "ip", "tcp", "udp", "data", "_ws":
			return false
		}
		return true
	})
}

// everyField reports whether ok holds for the protocol of every field of
// want (FieldID-indexed); frame.protocols, built from every layer, never
// passes.
func everyField(want []bool, ok func(proto string) bool) bool {
	for id, on := range want {
		if !on {
			continue
		}
		if dissect.FieldID(id) == dissect.FieldFrameProtocols || !ok(dissect.Field(dissect.FieldID(id)).Proto) {
			return false
		}
	}
	return true
}

// SkipOther reports whether the engine skips frames that carry no NBT
// (Skippable): the timeline, a first pass, and -T fields of NBT and frame
// fields read nothing of them but their frame fields, and no display
// filter or detailed print tests them. TCP conversations (tcp.stream) are
// then those of NBT frames only, which tells NBT sessions apart as well.
func (n Needs) SkipOther() bool { return n.orAll().skipOther }

// orAll is n, or, for the zero Needs, everything.
func (n Needs) orAll() Needs {
	if !n.set {
		return NewNeeds(Reads{})
	}
	return n
}

// upperNeeded reports whether the layers NBT carries (SMB, SMB2,
// mailslot, browser, LAN Manager, RAP) are decoded: always, unless only
// some fields are kept, without the info column, and every one of them
// belongs to NBT or below (frame.protocols excepted, which names the
// layers above). Then the output is the same without them, and -T fields
// of nbns/nbdgm/nbss fields does not pay for SMB it does not print.
func (n Needs) upperNeeded() bool {
	if n.want == nil || n.info || !n.tree {
		return true
	}
	for id, on := range n.want {
		if !on {
			continue
		}
		switch dissect.Field(dissect.FieldID(id)).Proto {
		case "nbns", "nbdgm", "nbss", "tcp", "udp", "ip", "vlan", "eth", "sll", "null", "gre":
		case "frame":
			if dissect.FieldID(id) == dissect.FieldFrameProtocols {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// TCPStreamShown reports whether tcp.stream numbers can reach the output
// (-V, -T json, a field or a filter naming it). tcp.stream numbers
// conversations across the TCP shards (see Shards): only then must one
// engine see every shard. The timeline tells sessions apart by it, but
// with the engine that numbered it (timeline.Adapter.ShareSessions): it
// does not need one numbering.
func (n Needs) TCPStreamShown() bool { return n.orAll().streamShown }
