// Package dissect holds nbtsniff's stateless wire decoders: bytes in, typed
// frames and protocol trees out. No events, no UI, no wall-clock time.
//
// Each protocol is a gopacket DecodingLayer (see Layer). Its main file
// starts with the spec and the sections it follows, the byte order and a
// diagram of the header; a protocol too long for one file puts its value
// types, its fields or its tree in files of their own, named after it:
//
//	nbns.go      NetBIOS Name Service, UDP 137 (RFC 1002 §4.2);
//	             nbns_types.go, nbns_fields.go, nbns_tree.go
//	nbdgm.go     NetBIOS Datagram Service, UDP 138 (RFC 1002 §4.4)
//	nbss.go      NetBIOS Session Service, TCP 139 (RFC 1002 §4.3), and the
//	             4-byte framing of SMB over TCP 445
//	smb.go       SMB1 header and command chain ([MS-CIFS] §2.2.3); the
//	             command bodies one family a file, dispatched by the table
//	             of smb_commands.go (which lists them); smb_types.go,
//	             smb_strings.go, smb_fields.go, smb_tables.go
//	smb2.go      SMB2/SMB3 headers ([MS-SMB2] §2.2.1, §2.2.41)
//	smbtrans.go  SMB_COM_TRANSACTION and TRANSACTION2 ([MS-CIFS] §2.2.4.33,
//	             §2.2.4.46)
//	mailslot.go  class 2 mailslot header ([MS-MAIL])
//	browser.go   \MAILSLOT\BROWSE frames (Leach/Naik browser draft, [MS-BRWS]
//	             §2.2); browser_types.go, browser_tree.go
//	lanman_announce.go  \MAILSLOT\LANMAN announcements (Leach/Naik browser
//	             draft, the LAN Manager host announcement)
//	rap.go       RAP over \PIPE\LANMAN (Leach/Naik RAP draft, [MS-RAP]);
//	             rap_decode.go, rap_desc.go, rap_walk.go, rap_tree.go,
//	             rap_tables.go
//	name.go      NetBIOS names (RFC 1001 §14, RFC 1002 §4.1)
//	link.go      the fields of the frame and of the layers gopacket decodes
//	             (Ethernet, 802.1Q, SLL, IPv4, UDP, TCP), under tshark's names
//	layers.go    the layer numbers and types, the Layer interface
//	errors.go    the sentinels, DecodeError and the error helpers
//	field.go, tree.go, frame.go  the field registry, the flat tree, the frame
//
// and the other transports Windows binds NetBIOS to, whose datagrams and
// sessions carry the same SMB, mailslot and browser frames:
//
//	llc.go       IEEE 802.2 LLC (ISO/IEC 8802-2), SNAP: the link of NetBEUI
//	netbios.go   NetBIOS Frames, NetBEUI's NetBIOS (LLC SAP 0xF0; IBM LAN
//	             Technical Reference, ch. 5)
//	ipx.go       IPX (Ethernet II, 802.2, SNAP, raw 802.3)
//	nbipx.go     NetBIOS over IPX: NBIPX (socket 0x0455) and NMPI (0x0551
//	             name management, 0x0553 mailslots)
//
// Byte order: NBT and IPX headers are big-endian (network order); SMB,
// browser, RAP, NetBIOS Frames and NBIPX fields are little-endian. Each
// file says which at its top.
//
// Fields carry Wireshark's names (tshark -G fields, kept here as
// wireshark-fields.tsv and compiled into field_wireshark.go, which
// TestWiresharkTable -update generates from it) so -T fields, -Y and JSON
// match tshark 4.0. The order in which fields are registered is the order
// -G lists them in (testdata/registry.golden).
//
// # Anatomy of a layer
//
// Every layer has the same shape:
//
//	type X struct {
//		layers.BaseLayer // Contents: the layer's bytes; Payload: the next layer's
//		// the decoded fields, under the spec's names ...
//		Err error // the error DecodeFromBytes returned, nil on success
//		// unexported: what the tree needs (offsets, lengths), reused storage
//	}
//
//	func (x *X) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
//		x.reset(data)
//		return decoded(&x.Err, x.decode(data), df)
//	}
//
// reset zeroes the struct but keeps the memory of its slices; decode reads
// the bytes with one length check and fixed offsets, slices alias data, a
// slice grows as it is parsed, capped by the bytes left and by a Max
// constant (never sized from a count on the wire), and nothing is allocated
// on success. A layer whose Contents depends on what decode found (SMB2,
// Mailslot) sets Contents and Payload between decode and decoded.
// AppendTree and AppendInfo build the tree and the info column from the
// decoded struct (and Contents, for the raw bytes a field shows), not by
// decoding the bytes again; the exception is where tshark reads the bytes
// other than the spec does and its output is reproduced, quirks included:
// the NBNS node status table and the address of an NB answer
// (nbns_tree.go).
//
// Errors: decode builds its error where it finds the problem with
// Truncated (the data ended: the capture was cut short), Malformed (the
// bytes contradict themselves) or Limit (a bound was reached), and re-homes
// the error of a nested decoder (DecodeName) with within. The decoder keeps
// what it could decode, never panics, and AppendTree ends the layer with
// appendMalformed's "[Malformed: ...]" note, placed with errAt, so the frame
// is still shown. Messages read "nbns: answer 2 name: label pointer loop
// (malformed)".
//
// # Adding a layer
//
// A new protocol layer, end to end, in this order:
//
//  1. Layer number: a layerNumX constant in layers.go (the application
//     range, next to the others) and LayerTypeX registered with it; the
//     layer below returns LayerTypeX from NextLayerType when its payload is
//     the new protocol; a "_ Layer = (*X)(nil)" line in layers.go and a row
//     in TestLayerAnatomy (layers_test.go).
//  2. The decoder, x.go: the spec comment, typed enums with String() and
//     the spec section, the struct and DecodeFromBytes as above, LayerType,
//     CanDecode and NextLayerType.
//  3. Field registry: the protocol's lines of tshark -G fields added to
//     wireshark-fields.tsv, then WiresharkField("x.field") for each (tshark's
//     name, type and base), RegisterField for nbtsniff's own (named
//     "nbtsniff.x.*"), SetValues in init for value names, and
//     NewFieldSet("x") for AppendTree's shortcut when no field of the
//     layer is wanted. New fields go after the existing ones: moving a
//     registration to a file that sorts earlier changes -G's order.
//  4. Tree and info: AppendTree opens the protocol node (its Node.U, when
//     the layer's data runs past the header it highlights, is the length
//     of all of it, payload included: `x contains "NAME"` searches that,
//     see ProtoSpan), returns after it
//     when !t.WantsSet(xFields), adds the fields in tshark's order with
//     offsets from the layer's first byte (the caller sets t.Base), and ends
//     with appendMalformed when Err is set; AppendInfo appends tshark's info
//     words (wire bytes raw: printers escape them).
//  5. Engine dispatch: in package reassembly (to be renamed engine), a
//     decoder value in nbtState (nbt.go), decoded from the handler of the
//     layer below (nbns, nbdgm, mailslot, sessionSMB, transRequest,
//     transResponse) and handed to show, which adds the tree, the info
//     column and the frame's Msgs (listed in Message's comment, frame.go);
//     a layer decoded without SMB (at the NBT level) also goes in the list
//     of upperNeeded (engine.go), the protocols whose fields do not need
//     the layers above NBT decoded.
//  6. Timeline adapter: a case in timeline.Adapter.FromFrame's type switch
//     (timeline/adapter.go) that turns the message into an observation,
//     copying every string it keeps, and its test in adapter_test.go.
//  7. Filter: nothing to add to package filter, which finds the fields and
//     the protocol name through the registry; a row in filter_test.go for a
//     field of a type no filter test covered.
//  8. Tests, in x_test.go: table tests on real bytes (the capture and frame
//     named above each literal, with tshark's one-line summary), a
//     malformed-input table, testing.AllocsPerRun on decode and on
//     AppendTree, a benchmark with b.ReportAllocs.
//  9. Fuzz target: FuzzX seeded with every frame of the table tests,
//     checking that the returned error is Err and wraps a sentinel, that
//     AppendTree closes what it opens and that AppendInfo runs; crashers are
//     committed under testdata/fuzz/FuzzX.
//  10. Differential test: TestXTshark compares the fields with tshark's on
//     the captures (a golden file under testdata/ when tshark is absent);
//     add the protocol to diffProtos in cmd/nbtsniff/tshark_diff_test.go
//     so that every capture's -T fields are diffed against tshark, and run
//     scripts/same-outputs.sh <base> after any refactor: every output must
//     stay byte-identical.
//
// An SMB1 command is not a layer: its body is one file plus an entry in
// the dispatch table of smb_commands.go, which says how.
package dissect
