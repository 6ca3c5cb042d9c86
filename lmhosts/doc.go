// Package lmhosts reads an LMHOSTS file (the static NetBIOS name table of
// Microsoft's TCP/IP stack: "NetBIOS over TCP/IP" overview, "The LMHOSTS
// file"; Samba's lmhosts(5)) and compares it with what the wire says.
//
// The format, one entry a line:
//
//	IP-ADDRESS  NAME  [#PRE] [#DOM:DOMAIN] [#MH]  [# comment]
//	198.18.1.11 ALPHA #PRE #DOM:LABWG   # the domain controller
//	198.18.1.40 "APPSRV         \0x14"  # a quoted name: \0xNN is a byte
//	#INCLUDE \\server\share\lmhosts   (ignored, with a note)
//	#BEGIN_ALTERNATE / #END_ALTERNATE  (ignored, with a note)
//
// A name is at most 15 characters, upper-cased; a quoted name keeps its
// case and spaces and may give all 16 bytes, the 16th being the suffix
// (\0x14 above). #PRE (preload into the name cache) and #MH (one of a
// multihomed host's addresses) are kept as flags; #DOM:DOMAIN says the
// host is a domain controller of DOMAIN (its DOMAIN<1c> entry). Any other
// text after '#' is a comment. A line that cannot be read is skipped with
// a Note; nothing in a file makes Parse fail except its size.
//
// Bounds: MaxBytes of input, MaxEntries entries, MaxLine bytes a line
// (longer lines are skipped with a note). FuzzParse checks that no input
// panics.
//
// Check compares the entries with a timeline.Snapshot and returns typed
// Findings: a name answered, registered or announced from an address
// other than the file's, and a #DOM: entry for a host whose announcements
// carry no domain-controller server type bit. Labels names the addresses
// of the file, for the report and --why where the wire has not named
// them. Nothing here prints: the command copies the findings into
// output.LMHostsReport and the output package renders them with its
// escaping (the file's text is untrusted like the wire's); output does not
// import this package, so that the printers' users (alert, metrics) do not
// depend on a file parser.
package lmhosts
