// Package output is nbtsniff's printers. It prints decoded frames
// (dissect.Frame) the way tshark 4.0 does, so that nbtsniff's output can be
// diffed against tshark's:
//
//	WriteSummary   the one-line summary (tshark with no -V/-T)
//	Summary        the same with tshark's -t time formats (TimeFormat)
//	WriteVerbose   -V: the layered protocol tree with byte offsets, bit
//	               fields as tshark writes them (bitfields.go, tshark's
//	               masks in fieldmasks.tsv), durations with their unit
//	               (units.go)
//	WriteHex       -x: hex and ASCII dump of the frame and its data sources
//	FieldsWriter   -T fields -e F ... -E options: a frame's line by the
//	               program of its shape (the fields of its nodes in
//	               order), worked out once per shape and kept in a
//	               bounded table (fields_shape.go); the lines of frames
//	               that hold only their frame fields (the skipped frames
//	               of other traffic) from their numbers alone, when no
//	               column shows more of them (ByNumber, AppendNumbered:
//	               fields_numbered.go)
//	JSONWriter     -T json: one JSON object per frame per line (JSON Lines)
//	AppendTime     a capture time in one of tshark's -t formats (TimeFormat,
//	               timefmt.go), for the summary lines and the terminal UI
//
// and the timeline's typed events and state (timeline.Event,
// timeline.Snapshot), in the schema timeline/README.md documents:
//
//	AppendEvent      -T events: one JSON object per event (events_json.go)
//	WriteReport      --report: the text report, the diagnoses first (report.go)
//	WriteReportJSON  --report=json: the state as one JSON document, "diagnoses" first (report_json.go)
//	WriteReportWith, WriteReportJSONWith  the report with ReportOptions:
//	                 an interrupted run, the --why answers (after the
//	                 diagnoses), what
//	                 happens next (timeline.Predict, timeline.Forecasts:
//	                 predict.go), the LMHOSTS file's findings (copied by
//	                 the command from the lmhosts package, which output
//	                 does not import), addresses labelled with its names
//
// The text report lays its tables out with its own aligner
// (report_align.go: byte for byte text/tabwriter's layout, without its
// copies; a table tabwriter would read otherwise goes through tabwriter;
// the Browse List, thousands of rows, in two passes without holding the
// table: aligner.stream)
// and writes its times with appendTS (report_time.go: byte for byte
// time.Format's); a report of thousands of hosts so costs a few
// allocations, not one per cell.
//
// It is a renderer: it reads frames, events and snapshots and never
// changes them; it imports timeline, never the other way. Every frame
// printer appends into reused buffers; the Write* functions take their
// buffer from a pool and call Write once per frame, so printing allocates
// nothing per frame in the steady state (see the AllocsPerRun tests).
//
// # Escaping
//
// Every byte that came off the wire (names, comments, the info column) goes
// through AppendEscaped in every text mode, and through JSON string escaping
// in -T json. The rule, checked against tshark 4.0.17 on crafted frames:
// tshark -T fields escapes only tab, LF and CR (as \t \n \r) and prints
// other control bytes raw (a \x1b in a host comment reaches the terminal);
// it does not escape the quote character inside a quoted value, nor the
// backslash. nbtsniff prints the same for \t \n \r and printable text, but
// never emits a byte below 0x20, 0x7f, a C1 control, a bidi control
// (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) or invalid
// UTF-8: those become \xNN per byte. That is the one deliberate
// difference from tshark's -T fields output.
//
// The timeline's printers follow the same rule: the text report through
// AppendEscapedString (report.go, esc), -T events and --report=json
// through the JSON escaping of -T json (timeline_json.go,
// appendStateString), as the terminal UI (view) and the alert and metrics
// labels do. One rule, so that a right-to-left override in a comment
// reaches no terminal in any mode.
//
// Strings are printed from Node.S as the decoder stored them. Where tshark
// transforms a wire string before printing, the decoder must do the same to
// match: tshark shows a NetBIOS name's non-printable bytes as <01>
// ("<01><02>__MSBROWSE__<02><01>"), decodes browser host names as CP437
// ("\x80" → "Ç") and comments as ASCII (each byte ≥ 0x80 → U+FFFD).
//
// # Value formats (-T fields, AppendValue)
//
//	FT_UINT*, FT_INT*  decimal; BASE_HEX and BASE_HEX_DEC print 0x and two
//	                   hex digits per byte of the type (FT_UINT8 0x01,
//	                   FT_UINT16 0x0110, FT_UINT24 0x000001, FT_UINT32
//	                   0x00000001) whatever the bitmask; BASE_DEC_HEX prints
//	                   decimal (tshark's ip.id, BASE_HEX_DEC, prints 0x006e)
//	FT_BOOLEAN         1 / 0
//	FT_IPv4            192.168.100.121 (Node.U, big-endian)
//	FT_ETHER           52:54:00:4a:04:af (Node.S, 6 bytes; else Node.U)
//	FT_BYTES           0000000000000000 (hex, no separator)
//	FT_STRING(Z)       escaped text
//	FT_ABSOLUTE_TIME   Jun  6, 2020 06:36:40.128128000 UTC (local zone;
//	                   Node.U is Unix nanoseconds)
//	FT_RELATIVE_TIME   0.109504000 (Node.U is int64 nanoseconds)
//	FT_DOUBLE          shortest decimal (Node.U is math.Float64bits)
//	FT_NONE            1
//	FT_PROTOCOL        Node.S if set, else the abbreviation: tshark prints
//	                   "nbns", "nbdgm", "smb", "mailslot", "browser",
//	                   "nbss", "lanman" for those layers but the -V summary
//	                   line for frame, eth, ip, udp, tcp, vlan, sll
//	                   ("Internet Protocol Version 4, Src: 192.168.100.121,
//	                   Dst: 192.168.100.255"): put that text in S for parity
//
// Occurrences of one field are joined with the aggregator in tree order; a
// missing field is an empty column (not quoted, even with quote=d). The
// header line is printed even when no frame follows. _ws.col.No., .Time,
// .Source, .Destination, .Protocol, .Length and .Info print the summary
// columns. A protocol name with no FT_PROTOCOL field registered ("-e nbns"
// before the decoder registers "nbns") prints the name when any of its
// fields is present.
//
// # Frame, link, IP and transport fields as tshark 4.0.17 prints them
//
// For the engine, which emits these nodes (type and base from
// tshark -G fields; value from frame 246 of
// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng,
// and frame 1 of nbns-query-8021q-vlan_aiengine-flow_vlan_netbios.pcap):
//
//	frame.number        FT_UINT32 BASE_DEC      246
//	frame.time          FT_ABSOLUTE_TIME        Oct 16, 2016 08:09:24.043217000 UTC
//	frame.time_relative FT_RELATIVE_TIME        86.765865000
//	frame.time_epoch    FT_RELATIVE_TIME        1476605364.043217000
//	frame.time_delta    FT_RELATIVE_TIME        0.000792000
//	frame.len           FT_UINT32 BASE_DEC      176
//	frame.cap_len       FT_UINT32 BASE_DEC      176
//	frame.protocols     FT_STRING               eth:ethertype:ip:tcp:nbss:smb
//	eth.dst, eth.src    FT_ETHER                00:50:56:c0:00:01
//	eth.addr            FT_ETHER (hidden; dst then src) 00:50:56:c0:00:01,00:0c:29:61:f5:5f
//	eth.type            FT_UINT16 BASE_HEX      0x0800
//	vlan.id             FT_UINT16 BASE_DEC      104
//	vlan.priority       FT_UINT16 BASE_DEC      0
//	vlan.etype          FT_UINT16 BASE_HEX      0x0800
//	sll.src.eth         FT_ETHER                6c:f0:49:b2:de:6e
//	sll.pkttype         FT_UINT16 BASE_DEC      1
//	sll.etype           FT_UINT16 BASE_HEX      0x0800
//	ip.src, ip.dst      FT_IPv4                 192.168.199.133
//	ip.addr             FT_IPv4 (hidden; src then dst) 192.168.199.133,192.168.199.1
//	ip.proto            FT_UINT8 BASE_DEC       6
//	ip.len              FT_UINT16 BASE_DEC      162
//	ip.ttl              FT_UINT8 BASE_DEC       128
//	ip.id               FT_UINT16 BASE_HEX_DEC  0x5169
//	ip.flags            FT_UINT8 BASE_HEX       0x00 (the 3 flag bits shifted down: DF 0x02, MF 0x01)
//	ip.flags.df/.mf     FT_BOOLEAN 8            0
//	ip.frag_offset      FT_UINT16 BASE_DEC      0 (-T fields: 8-byte units, 185; -V: bytes, 1480)
//	ip.checksum         FT_UINT16 BASE_HEX      0xd914
//	ip.dsfield          FT_UINT8 BASE_HEX       0x00
//	ip.hdr_len          FT_UINT8 BASE_DEC       20
//	udp.srcport/dstport FT_UINT16 BASE_PT_UDP   137 (decimal)
//	udp.port            FT_UINT16 (hidden; src then dst) 137,137
//	udp.length          FT_UINT16 BASE_DEC      58
//	udp.checksum        FT_UINT16 BASE_HEX      0x047a
//	udp.stream          FT_UINT32 BASE_DEC      0
//	tcp.srcport/dstport FT_UINT16 BASE_PT_TCP   49672 (decimal)
//	tcp.port            FT_UINT16 (hidden; src then dst) 49672,139
//	tcp.stream          FT_UINT32 BASE_DEC      1
//	tcp.seq, tcp.ack    FT_UINT32 BASE_DEC      668, 876 (relative to the stream's ISN)
//	tcp.nxtseq          FT_UINT32 BASE_DEC      790
//	tcp.len             FT_UINT32 BASE_DEC      122
//	tcp.hdr_len         FT_UINT8 BASE_DEC       20
//	tcp.flags           FT_UINT16 BASE_HEX      0x0018 (12 bits)
//	tcp.flags.syn/ack/fin/reset/push FT_BOOLEAN 12   0 / 1
//	tcp.window_size_value FT_UINT16 BASE_DEC    253
//	tcp.payload         FT_BYTES                hex, no separator
//	tcp.analysis        FT_NONE                 1
//
// -e frame prints "Frame 246: 176 bytes on wire (1408 bits), 176 bytes
// captured (1408 bits)", -e eth "Ethernet II, Src: ..., Dst: ...", -e ip
// "Internet Protocol Version 4, Src: ..., Dst: ...", -e udp "User Datagram
// Protocol, Src Port: 137, Dst Port: 137", -e tcp "Transmission Control
// Protocol, Src Port: 49672, Dst Port: 139, Seq: 668, Ack: 876, Len: 122"
// (tshark -n; without -n addresses are resolved: "RealtekU_4a:04:af").
//
// # The -V tree
//
// A readable teaching view, not a copy of tshark's -V: four spaces per
// level; a protocol's heading is Node.Label, else Node.S, else the field's
// Name ("NetBIOS Name Service"; the frame gets tshark's "Frame 1: 110 bytes
// on wire (880 bits), ..."); a field is "Name: value" with the value from
// AppendDisplay (Values names for integers: "Opcode: Registration (5)",
// "Command: Host Announcement (0x01)"; booleans True/False; a non-string
// node's S appended after ", " for bit-field summaries); generated nodes in
// [brackets]; headings and expert notes print their Label, then ": S" if
// S is set (S alone when there is no Label). Each line ends with "   [offset:length]" when the node has an
// offset, prefixed by the data source's name when it is not the frame.
//
// # JSON schema (-T json)
//
// One object per frame, one line each (JSON Lines), so jq works
// (nbtsniff -T json -r f.pcap | jq -c 'select(.layers[].proto=="browser")'):
//
//	{
//	  "frame": {
//	    "number": 1,                         // frame.number
//	    "time": "2020-06-06T06:36:40.128128000Z",  // RFC 3339, UTC, 9 decimals
//	    "time_epoch": 1591425400.128128000,  // seconds (number, 9 decimals)
//	    "time_relative": 0.000000000,        // seconds since the first frame
//	    "source": 0,                         // index of the -r/-i input
//	    "source_label": "A",                 // its label; omitted when empty
//	    "len": 110, "cap_len": 110,          // on the wire, captured
//	    "link_type": 1,                      // pcap LINKTYPE_*
//	    "protocol": "NBNS",                  // protocol column
//	    "info": "Registration NB WORKGROUP<1e>",  // info column
//	    "errors": ["nbns: ..."]              // decode errors; omitted when none
//	  },
//	  "layers": [                            // in order, link layer first
//	    {
//	      "proto": "nbns",                   // protocol abbreviation
//	      "name": "NetBIOS Name Service",    // heading
//	      "offset": 42, "length": 68,        // bytes covered; omitted if unknown
//	      "data_source": "Reassembled TCP",  // only when not the frame
//	      "fields": {                        // by Wireshark field name
//	        "nbns.id": 61654,                // integers: numbers, whatever the base
//	        "nbns.flags.response": false,    // booleans: true/false
//	        "nbns.name": ["WORKGROUP<1e>", "WORKGROUP<1e> (Browser Election Service)"],
//	        "nbns.addr": "192.168.100.121"   // other types: the -T fields text
//	      },
//	      "errors": ["[Malformed: ...]"],    // expert errors; omitted when none
//	      "warnings": ["..."]                // expert warnings; omitted when none
//	    }
//	  ]
//	}
//
// A layer starts at each top-level node that is a protocol or a heading (or
// a top-level field of another protocol); its fields are every field node
// below it, flattened (subtrees do not nest), keyed by name in order of
// first appearance. A field that occurs once is a scalar, more than once an
// array of its values in tree order (jq: .fields["nbns.name"] | arrays //
// [.] | .[]). Value types depend only on the field type: FT_UINT*/FT_INT*/
// FT_FRAMENUM numbers (hex-base fields too: jq compares numbers);
// FT_BOOLEAN true/false; FT_NONE true; FT_RELATIVE_TIME and FT_DOUBLE
// numbers (NaN/Inf null); FT_ABSOLUTE_TIME an RFC 3339 UTC string; strings
// JSON-escaped (control characters as \n, \t, \u001b, ...; U+007F, C1
// controls, U+2028/2029 and bidi controls as \uXXXX; each byte that is not
// valid UTF-8 as \u00XX, its Latin-1 reading); FT_IPv4, FT_ETHER, FT_BYTES
// and FT_PROTOCOL the string -T fields prints.
//
// Not supported: tshark's -T json layout (_source.layers with "_tree"
// objects and every value a string); -T pdml/ek; column preferences; name
// resolution; time formats other than relative seconds with 6 decimals in
// the summary.
package output
