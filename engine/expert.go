package engine

import "github.com/nbtsniff/nbtsniff/dissect"

// tshark's expert items, as fields: the note a frame whose original
// length is less than its captured length gets under frame.len (a pcap
// record with caplen > len, which the capture package reads as tshark
// does, all its captured bytes). tshark shows
//
//	Frame Length: 82 bytes (656 bits)
//	    [Expert Info (Error/Malformed): Frame length is less than captured length]
//	        [Frame length is less than captured length]
//	        [Severity level: Error]
//	        [Group: Malformed]
//
// and sets _ws.malformed beside it, without adding it to frame.protocols.
var (
	fExpert         = dissect.RegisterField(dissect.FieldInfo{Abbrev: "_ws.expert", Name: "Expert Info", Type: dissect.FTProtocol})
	fExpertMessage  = dissect.RegisterField(dissect.FieldInfo{Abbrev: "_ws.expert.message", Name: "Message", Type: dissect.FTString, Proto: "_ws.expert"})
	fExpertSeverity = dissect.RegisterField(dissect.FieldInfo{Abbrev: "_ws.expert.severity", Name: "Severity level", Type: dissect.FTUint32, Proto: "_ws.expert"})
	fExpertGroup    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "_ws.expert.group", Name: "Group", Type: dissect.FTUint32, Proto: "_ws.expert"})
	fLenLtCapLen    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "frame.len_lt_caplen", Name: "Frame length is less than captured length", Type: dissect.FTNone})
)

// Expert severities and groups as tshark numbers them (epan/proto.h:
// PI_ERROR, PI_MALFORMED); -T fields prints the numbers.
const (
	expertError     = 0x00800000
	expertMalformed = 0x07000000
)

const (
	lenLtCapLenMsg  = "Frame length is less than captured length"
	lenLtCapLenInfo = "Expert Info (Error/Malformed): " + lenLtCapLenMsg
)

// frameLen adds frame.len, with tshark's expert note below it when the
// frame's original length is less than the bytes captured. wanted says
// whether the frame's own fields are kept (Tree.WantsSet); the note's
// _ws.* fields are added whatever it says, for -e and -Y.
func frameLen(t *dissect.Tree, f *dissect.Frame, wanted bool) {
	if f.Len >= f.CapLen {
		if wanted {
			t.Uint(dissect.FieldFrameLen, -1, 0, uint64(f.Len))
		}
		return
	}
	if wanted {
		t.Open(dissect.FieldFrameLen, -1, 0).U = uint64(f.Len)
	} else {
		t.OpenText("", -1, 0) // not kept: only the depth counts
	}
	x := t.Open(fExpert, -1, 0)
	x.S, x.Flags = unsafeBytes(lenLtCapLenInfo), dissect.NodeGenerated|dissect.NodeError
	t.Bytes(fLenLtCapLen, -1, 0, nil).Flags |= dissect.NodeGenerated
	t.Hidden(fExpertMessage, unsafeBytes(lenLtCapLenMsg))
	t.Hidden(fExpertSeverity, nil).U = expertError
	t.Hidden(fExpertGroup, nil).U = expertMalformed
	t.Close()
	t.Hidden(dissect.FieldMalformed, nil)
	t.Close()
}
