// Package reassembly holds the state nbtsniff keeps between frames to put
// back together what NetBIOS over TCP/IP and SMB spread over several
// packets, so that the stateless decoders of package dissect see whole
// messages. It decodes no frame itself: package engine decodes each frame
// and hands this package what it needs.
//
//   - stream.go, streamconn.go, streamevents.go, streamframes.go: TCP
//     streams on ports 139 and 445 (tcpasm.go, tcpasm_sg.go underneath:
//     our own segment assembler, which does what gopacket's reassembly
//     package does, shown callback for callback by a differential test
//     against it: retransmissions, out-of-order segments, missing SYN), cut
//     into NetBIOS session service packets (RFC 1002 §4.3.1; on 445 the
//     same 4-byte header with a 24-bit length, [MS-SMB2] §2.1). Several
//     packets in one segment and one packet over many segments both work. A
//     capture that starts in the middle of a connection, or a lost segment
//     (a gap), is a resync point: the next plausible header is looked for
//     and the bytes skipped are reported. A packet is handed over in the
//     frame that completes it. A hole is waited for until the peer's ACK
//     proves its bytes were sent but not captured (one segment of the
//     connection later), OutOfOrderTimeout passes, or the out-of-order
//     bounds are hit; FlushAll, at the end of the capture, gives up the
//     rest, and the packets after them are handed over then (the engine
//     shows them on the capture's last frame: engine.Finish). stream.go holds the limits and the
//     reassembler, streamconn.go one connection's bookkeeping,
//     streamevents.go what is handed over and in which order,
//     streamframes.go which frame each byte came from.
//   - framer.go: the NBSS framer, pure: bytes in, a whole packet
//     (consumed), an incomplete one (needed) or lost track out
//     (FrameNBSS), and where a header may start after a gap (ResyncNBSS).
//     Gap accounting, limits and how tshark shows a packet stay in the
//     stream bookkeeping.
//   - dgram.go: fragmented NetBIOS datagrams (RFC 1002 §4.4.1, RFC 1001
//     §17.1.3: the M and F flags and PACKET_OFFSET), keyed by source IP,
//     source port and datagram ID.
//   - smbtrans.go, transpieces.go: SMB_COM_TRANSACTION requests and
//     responses split over a primary and secondary messages ([MS-CIFS]
//     §2.2.4.33), merged per (TID, PID, MID) before the mailslot, browser
//     or RAP layer decodes them.
//   - tree.go: the share path of each connected TID (TreeTracker).
//
// Byte order is the decoders' business; nothing here parses more than the
// 4-byte NBSS header and the datagram header fields it keys on.
//
// Every buffer is bounded and every bound is a configured limit
// (StreamLimits, DatagramLimits, TransConfig): the size of one session
// packet (128 KiB plus the header on 139, 1 MiB by default on 445 where
// the framing allows 16 MiB), the bytes held for partial packets over all
// connections, the connections tracked, the out-of-order pages per
// connection and in total, the datagrams being reassembled, the bytes and
// fragments of each, the transactions pending. A packet over the limit is
// skipped, not buffered. A new connection that finds the table full
// evicts the emptiest and oldest one (evict.go: one that never carried
// payload, a bare SYN, goes first), so that a flood of SYNs cannot blind
// the analysis. Hitting a bound, losing bytes, skipping bytes and
// expiring unfinished state are reported as anomaly values (StreamAnomaly,
// DatagramAnomaly, TransResult) that carry a *dissect.DecodeError wrapping
// dissect.ErrLimit, ErrTruncated or ErrMalformed, for the engine to show
// on the frame at hand.
//
// Capture time drives everything: expiry, flushing and timeouts use packet
// timestamps (gopacket.CaptureInfo.Timestamp), never the wall clock, so
// replaying a capture always gives the same result.
//
// Not supported: IPv6 (NBT does not use it), TCP urgent data, SMB over
// NetBEUI or IPX, and NBNS over TCP.
package reassembly
