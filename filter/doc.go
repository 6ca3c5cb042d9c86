// Package filter compiles and evaluates display filters in Wireshark 4.0's
// syntax over the fields of a decoded frame (dissect.Frame), so that
// `nbtsniff -Y EXPR` selects the same frames as `tshark -Y EXPR`.
//
//	f, err := filter.Compile(`browser.command == 0x01 && ip.src == 10.0.0.0/8`)
//	if err != nil { // a *SyntaxError: fmt.Println(err, "\n", err.(*filter.SyntaxError).Caret()) }
//	if f.Match(frame) { ... }
//
// Compile resolves every field name against the registry in package
// dissect (Wireshark's names) and converts every literal to the field's
// type once, so Match only walks the frame's flat node list and compares
// integers or bytes: it does not allocate.
//
// # Syntax (checked against tshark 4.0.17)
//
//	nbns, browser.server          presence of a field or protocol
//	== != === ~= !== < <= > >=    and eq ne all_eq any_ne gt ge lt le
//	contains, matches (~)         substring; Go (RE2) regular expression
//	in {a, b, c..d}               membership, ranges inclusive (tshark 4.0.17
//	                              needs the commas; spaces are accepted too)
//	not in {…}                    the negation of "in"
//	&& || ! and or not ( )        "&&" binds tighter than "||"
//	field & mask                  bitwise and: alone, true if non-zero
//	field[i:n] [i-j] [i] [:n] [i:] slices of strings, bytes, addresses, protocols
//	len(field), count(field)      byte length of each occurrence; occurrences
//	upper(f), lower(f)            a string field in ASCII upper or lower case
//	string(f)                     an integer (decimal), IPv4 or MAC field as text
//	abs(f)                        absolute value of an integer field
//
// Literals: integers in decimal, 0x hex, 0 octal or 0b binary; 'c'
// character constants; a field's value names (nbns.flags.opcode ==
// Registration, case-insensitive, like tshark's value_string); booleans
// 1/0/True/False; strings "..." with \n \t \xHH \ooo \uXXXX escapes, or
// r"..." raw, or unquoted words for string fields (browser.server ==
// USER-PC); IPv4 addresses and networks (ip.src == 10.0.0.0/8); byte strings
// aa:bb:cc, aa-bb-cc or aabbcc (eth.src == 52:54:00:4a:04:af); absolute
// times "Jun  6, 2020 06:36:40" or "2020-06-06 06:36:40" (local time) and
// relative times in seconds (frame.time_relative > 10.5). A word on the
// right that names a field compares two fields (ip.src == ip.dst).
//
// # Semantics over repeated fields (Wireshark 4.0)
//
// A frame may carry a field several times (nbns.name for the question and
// each answer). "==", "<", "contains", "matches" and "in" are true when some
// occurrence satisfies them; "!=" is true when the field is present and no
// occurrence equals ("all_ne": nbns.name != "X" is false on a frame without
// NBNS); "===" needs every occurrence equal; "~=" (any_ne) some occurrence
// different. count() of an absent field has no value, so count(f) == 0 is
// never true (as in tshark). Strings compare byte for byte, case-sensitive,
// against the field's text as the decoder stored it (tshark's form:
// "WORKGROUP<1d>" for a question, "WORKGROUP<1d> (Local Master Browser)" for
// an answer). "matches" is case-insensitive unless the pattern starts with
// (?-i), as in tshark 4.0 (PCRE2 there, Go's RE2 here: no backreferences or
// lookaround).
//
// A protocol name whose decoder registers no FT_PROTOCOL field of its own
// can still be tested for presence: it is present when any of its fields is.
//
// A protocol used as a value is the data its decoder was handed, header
// and payload (dissect.ProtoSpan), as in Wireshark: `udp contains "NAME"`
// finds a name in the datagram, `eth contains` anywhere in the frame.
// Slices and len() of a protocol measure its tree item instead, as tshark
// 4.0 does (len(udp) == 8, len(ip) == 20, but TCP's item is the segment).
//
// A byte literal 0xNN is one byte (frame[0] == 0xff). A hexadecimal word
// that is also a Wireshark protocol name (ff, fc, dc, ...) is an error:
// tshark reads it as that protocol, and would answer differently.
//
// # Errors
//
// Every error is a *SyntaxError with the byte offset of the problem; its
// Error() reads `filter: column 12: expected a value after "=="` and Caret()
// draws the expression with a ^ under that column. Unknown field names are
// errors that suggest the closest known name. Nesting deeper than MaxDepth
// parentheses or negations is an error, never a stack overflow.
//
// Not supported, each an error naming it: arithmetic (+ - * / %), max()
// and min(), string() of strings, bytes and times, slices with several
// ranges, the "xor"/"^^" operator (tshark 4.0 lacks it too), IPv6, and
// layer operators (ip.src#2). frame.time_delta_displayed, udp.stream and
// tcp.window_size are not fields here (tshark's depend on the filter's
// own result, on UDP conversations and on window scaling).
//
// testdata/filters.txt holds the everyday expressions that
// TestFilterListTshark runs on every capture against tshark 4.0.
package filter
