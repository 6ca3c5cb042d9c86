// Package engine is nbtsniff's decode engine: it takes the frames of a
// capture in order and returns each one decoded, from the link layer to
// the browser and RAP messages, as a *dissect.Frame (typed messages, the
// protocol tree, the info column). It owns the order of decoding; the
// state it keeps between frames (TCP streams, datagram fragments, SMB
// transactions, tree connects) is package reassembly's, and the wire
// formats are package dissect's.
//
//   - engine.go: Config, New, Decode and DecodeNth, the link layers
//     (Ethernet, 802.1Q, Linux SLL and SLL2, BSD null, GRE/ERSPAN), IPv4
//     with fragment reassembly (gopacket's ip4defrag), UDP and TCP, the
//     tcp.stream numbering of TCP conversations, and how a malformed or a
//     cut frame is marked (tshark's _ws.malformed, _ws.short).
//   - nbt.go: dispatch to the NBT services (RFC 1001/1002: name service on
//     UDP 137, datagram service on UDP 138, session service on TCP 139 and
//     direct hosted SMB on 445) and to what they carry: SMB, SMB2,
//     mailslots, browser and LAN Manager announcements, and RAP calls on
//     \PIPE\LANMAN matched with their replies.
//   - netbeui.go: NetBIOS over NetBEUI (IEEE 802.2 LLC, NetBIOS Frames)
//     and over IPX (NBIPX, NMPI, SMB straight over IPX), from the Ethernet
//     frames that are not IP up to the same SMB, mailslot, browser and RAP
//     layers, with their sessions' state (connection indices of their
//     own in TCP shard 0) and the reassembly of NetBIOS messages.
//   - route.go: which engine may decode a frame when several share one
//     capture (Classify, ShardOf, Route), and the TCP shards (Shards).
//   - session.go: decoding in two stages on two goroutines
//     (Config.DeferSessions, TakeSessions, ApplySessions).
//
// A two-pass decode (tshark -2) records, in a first pass, which frame
// completed each multi-message SMB transaction (Config.RecordCompletions,
// Completions) and gives it to the engine of the second pass
// (SetCompletions), which then says "[Reassembled in frame N]" on every
// fragment.
//
// Capture time drives everything: the engine and the state it keeps use
// packet timestamps, never the wall clock.
//
// Adding an NBT layer to the engine: decode it in package dissect, then
// call it from nbt.go where its carrier is decoded (with show, which adds
// its tree, its name in frame.protocols, its info and its typed message),
// and, if it depends on other frames, keep that state in package
// reassembly, bounded, with its anomalies.
package engine
