package output

import (
	"io"
	"strconv"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// WriteVerbose writes the full protocol tree of a frame (-V): one line per
// node, indented four spaces per level like tshark -V, each field as
// "Name: value" rendered for a human (see AppendDisplay), generated values
// in [brackets], expert notes as their text ("[Malformed: ...]"), and the
// bytes the node covers as [offset:length], with the data source's name
// when it is not the frame itself. A blank line ends the frame, as in
// tshark.
//
//	NetBIOS Name Service   [42:68]
//	    Transaction ID: 0xf0d6   [42:2]
//	    Flags: 0x2810, Registration, Recursion desired, Broadcast   [44:2]
//	        Opcode: Registration (5)   [44:2]
func WriteVerbose(w io.Writer, f *dissect.Frame) error {
	return writePooled(w, f, AppendVerbose)
}

// AppendVerbose appends the text of WriteVerbose.
func AppendVerbose(dst []byte, f *dissect.Frame) []byte {
	for i := range f.Tree.Nodes {
		if f.Tree.Nodes[i].Flags&dissect.NodeHidden != 0 {
			continue
		}
		dst = AppendNodeLine(dst, f, &f.Tree.Nodes[i])
		dst = append(dst, '\n')
	}
	return append(dst, '\n')
}

// AppendNodeLine appends one line of the -V tree for node n of frame f
// (without the newline): indentation, the node's text and its byte range.
func AppendNodeLine(dst []byte, f *dissect.Frame, n *dissect.Node) []byte {
	for i := 0; i < int(n.Depth); i++ {
		dst = append(dst, "    "...)
	}
	dst = AppendNodeText(dst, f, n)
	if n.Off >= 0 {
		dst = append(dst, "   ["...)
		if n.Src > 0 && int(n.Src) <= len(f.Tree.Sources) {
			dst = AppendEscapedString(dst, f.Tree.Sources[n.Src-1].Name)
			dst = append(dst, ' ')
		}
		dst = strconv.AppendInt(dst, int64(n.Off), 10)
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, int64(n.Len), 10)
		dst = append(dst, ']')
	}
	return dst
}

// AppendNodeText appends the text of a node without indentation or byte
// range: "Opcode: Name query (0)", "[Malformed: ...]", a protocol heading.
func AppendNodeText(dst []byte, f *dissect.Frame, n *dissect.Node) []byte {
	if n.Field == 0 {
		// A heading or an expert note: "Label", "Label: S" or "S".
		dst = AppendEscapedString(dst, n.Label)
		if len(n.S) > 0 {
			if n.Label != "" {
				dst = append(dst, ": "...)
			}
			dst = AppendEscaped(dst, n.S)
		}
		return dst
	}
	fi := dissect.Field(n.Field)
	gen := n.Flags&dissect.NodeGenerated != 0
	if gen {
		dst = append(dst, '[')
	}
	switch fi.Type {
	case dissect.FTProtocol:
		switch {
		case n.Label != "":
			dst = AppendEscapedString(dst, n.Label)
		case len(n.S) > 0:
			dst = AppendEscaped(dst, n.S)
		case fi.Abbrev == "frame" && f != nil:
			dst = appendFrameHeading(dst, f)
		default:
			dst = AppendEscapedString(dst, fi.Name)
		}
	case dissect.FTNone:
		dst = appendName(dst, n, fi)
		if len(n.S) > 0 {
			dst = append(dst, ": "...)
			dst = AppendEscaped(dst, n.S)
		}
	default:
		if !gen {
			dst = appendBitPattern(dst, fi, n)
		}
		dst = appendName(dst, n, fi)
		dst = append(dst, ": "...)
		dst = AppendDisplay(dst, n)
	}
	if gen {
		dst = append(dst, ']')
	}
	return dst
}

func appendName(dst []byte, n *dissect.Node, fi *dissect.FieldInfo) []byte {
	if n.Label != "" {
		return AppendEscapedString(dst, n.Label)
	}
	if fi.Name != "" {
		return AppendEscapedString(dst, fi.Name)
	}
	return append(dst, fi.Abbrev...)
}

// appendFrameHeading writes tshark's first -V line:
// "Frame 1: 110 bytes on wire (880 bits), 110 bytes captured (880 bits)".
func appendFrameHeading(dst []byte, f *dissect.Frame) []byte {
	dst = append(dst, "Frame "...)
	dst = strconv.AppendInt(dst, int64(f.Number), 10)
	dst = append(dst, ": "...)
	dst = strconv.AppendInt(dst, int64(f.Len), 10)
	dst = append(dst, " bytes on wire ("...)
	dst = strconv.AppendInt(dst, int64(f.Len)*8, 10)
	dst = append(dst, " bits), "...)
	dst = strconv.AppendInt(dst, int64(f.CapLen), 10)
	dst = append(dst, " bytes captured ("...)
	dst = strconv.AppendInt(dst, int64(f.CapLen)*8, 10)
	return append(dst, " bits)"...)
}
