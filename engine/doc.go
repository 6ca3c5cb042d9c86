// Package engine is nbtsniff's decode engine: it takes the frames of a
// capture in order and returns each one decoded, from the link layer to
// the browser and RAP messages, as a *dissect.Frame (typed messages, the
// protocol tree, the info column). It owns the order of decoding; the
// state it keeps between frames (TCP streams, datagram fragments, SMB
// transactions, tree connects) is package reassembly's, and the wire
// formats are package dissect's.
//
//   - engine.go: Config, New, Decode and DecodeNth, the frame's own fields
//     (frame.*, frame.protocols), and two-pass completions.
//   - link.go: the layers below NBT: link (Ethernet, 802.1Q, Linux SLL and
//     SLL2, BSD null, GRE/ERSPAN), IPv4 with fragment reassembly
//     (gopacket's ip4defrag), UDP and TCP.
//   - tcpstream.go: tcp.stream's numbering of TCP conversations and their
//     relative sequence numbers.
//   - malformed.go: how a decode error shows, as tshark shows it: a
//     malformed packet (_ws.malformed), or a frame the capture cut short
//     (_ws.short).
//   - nbt.go: the NBT state (reused decoders, the TCP shards) and the
//     datagram side: the name service on UDP 137, the datagram service on
//     UDP 138 (RFC 1001/1002) with its fragments, and the mailslot
//     messages it carries: browser and LAN Manager announcements.
//   - nbss.go: the session service on TCP 139 and direct hosted SMB on
//     445: segments to the shard's stream reassembler, session packets and
//     stream anomalies back onto the frame, NBSS, SMB, SMB2.
//   - trans.go: SMB1 transactions merged over several messages, and RAP
//     calls on \PIPE\LANMAN matched with their replies.
//   - expert.go: tshark's expert note on a frame whose original length is
//     less than its captured length (_ws.expert, _ws.malformed).
//   - bounds.go: the bounds of the state kept between frames; each hit is
//     recorded on the frame (dissect.Frame.Bounds, for the timeline's limit
//     anomaly) and counted (BoundHits).
//   - needs.go: what the consumer of the frames reads (Reads: a printer,
//     -T fields, a display filter, the timeline, a first pass), worked out
//     once into Needs, which every engine of a capture is given in
//     Config.Needs: the engine builds only what can be read (no tree for
//     the timeline, only the printed fields' nodes, no info column where
//     none is printed, the layers above NBT only when they can show, and
//     nothing past the frame's own fields of a frame that carries no NBT
//     when nothing read shows it: Needs.SkipOther).
//   - netbeui.go: NetBIOS over NetBEUI (IEEE 802.2 LLC, NetBIOS Frames)
//     and over IPX (NBIPX, NMPI, SMB straight over IPX), from the Ethernet
//     frames that are not IP up to the same SMB, mailslot, browser and RAP
//     layers, with their sessions' state (connection indices of their
//     own in TCP shard 0) and the reassembly of NetBIOS messages. Their
//     typed messages (Frame.Msgs) start with the NetBIOS Frames or IPX
//     header, which tell the timeline the transport and the datagram's
//     names, and Frame.Net has the Ethernet addresses (HasMAC).
//   - finish.go: the end of a capture (Finish, FinishShard): the holes
//     still open are given up and the session packets beyond them are
//     decoded on the capture's last frame, not lost.
//   - loss.go: what the TCP streams lost (StreamLoss), for --report.
//   - route.go: which engine may decode a frame when several share one
//     capture (Classify, ShardOf, Route), the TCP shards (Shards), and
//     which frames carry no NBT, from their raw bytes (Skippable; a
//     reader that does not copy them hands them to Engine.Skipped, or
//     prints them by number: Needs.SkippedFields lists the fields such a
//     frame holds). Needs.Skippable is Skippable under the consumer's
//     needs: with -T fields of the name and datagram services only, the
//     frames of the NBT sessions (TCP 139, 445) carry nothing shown
//     either.
//   - seqindex.go, seqindex_table.go: SeqIndex, the relative TCP sequence
//     number an engine decoding every frame shows for a segment of other
//     traffic, without decoding it (the terminal UI's loader, which skips
//     those frames; SkipSegment gives Skippable and reads the segment in
//     one parse, SeqOf numbers it later, on another goroutine).
//   - session.go: decoding in two stages on two goroutines
//     (Config.DeferSessions, TakeSessions, ApplySessions).
//
// A two-pass decode (tshark -2) records, in a first pass, which frame
// completed each multi-message SMB transaction (Reads.Completions,
// Completions) and gives it to the engine of the second pass
// (SetCompletions), which then says "[Reassembled in frame N]" on every
// fragment.
//
// Capture time drives everything: the engine and the state it keeps use
// packet timestamps, never the wall clock.
//
// Adding an NBT layer to the engine: decode it in package dissect, then
// call it where its carrier is decoded (nbt.go, nbss.go or trans.go), with
// show, which adds its tree, its name in frame.protocols, its info and its
// typed message; and, if it depends on other frames, keep that state in
// package reassembly, bounded, with its anomalies.
package engine
