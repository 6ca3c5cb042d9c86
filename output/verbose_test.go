package output_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
	"github.com/nbtsniff/nbtsniff/output"
)

var (
	fTProto  = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.proto", Name: "Test Protocol", Type: dissect.FTProtocol})
	fTOpcode = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.opcode", Name: "Opcode", Type: dissect.FTUint16, Base: dissect.BaseDec})
	fTCmd    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.command", Name: "Command", Type: dissect.FTUint8, Base: dissect.BaseHex})
	fTResp   = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.response", Name: "Response", Type: dissect.FTBoolean, Bits: 16})
	fTName   = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.name", Name: "Name", Type: dissect.FTString})
	fTLen    = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.length", Name: "Length", Type: dissect.FTUint32, Base: dissect.BaseDec})
	fTData   = dissect.RegisterField(dissect.FieldInfo{Abbrev: "nbtsniff.test.data", Name: "Data", Type: dissect.FTBytes})
)

func init() {
	// RFC 1002 §4.2.1.1 opcodes; the browser draft's command 0x01.
	dissect.SetValues(fTOpcode, func(v uint64) string {
		switch v {
		case 0:
			return "Name query"
		case 5:
			return "Registration"
		}
		return "Unknown"
	})
	dissect.SetValues(fTCmd, func(v uint64) string {
		if v == 1 {
			return "Host Announcement"
		}
		return "Unknown"
	})
}

// testTree is a frame with one of each kind of node.
func testTree(t testing.TB) *dissect.Frame {
	f := &dissect.Frame{Number: 1, Len: 110, CapLen: 110, Data: make([]byte, 110)}
	tr := &f.Tree
	tr.Open(id(t, "frame"), 0, 110)
	tr.Close()
	tr.Open(fTProto, 42, 68)
	tr.Uint(fTOpcode, 44, 2, 5)
	tr.Uint(fTCmd, 46, 1, 1)
	tr.Bool(fTResp, 44, 2, false)
	tr.OpenText("Questions", 54, 34)
	tr.Bytes(fTName, 54, 34, []byte("\x01\x02__MSBROWSE__\x02\x01<01>"))
	tr.Close()
	tr.Uint(fTLen, -1, 0, 68).Flags |= dissect.NodeGenerated
	tr.Text("Note", -1, 0).S = []byte("two\tcolumns")
	tr.Text("", -1, 0).S = []byte("WORKGROUP<1e>: type NB, class IN")
	err := dissect.Truncated("nbns", "answer 1 name", 12, 2, 1)
	f.Errs = append(f.Errs, err)
	tr.Expert("[Malformed: "+err.Error()+"]", 100, 10)
	src := tr.AddSource("Reassembled TCP", []byte{0, 0, 0, 0, 1, 2})
	tr.Src = src
	tr.Bytes(fTData, 4, 2, []byte{1, 2})
	tr.Src = 0
	tr.Close()
	return f
}

func TestVerbose(t *testing.T) {
	f := testTree(t)
	var buf bytes.Buffer
	if err := output.WriteVerbose(&buf, f); err != nil {
		t.Fatal(err)
	}
	// The layout documented in doc.go: four spaces per level, "Name:
	// value", value names with the number in the field's base, generated
	// values in brackets, wire bytes escaped, [offset:length] with the data
	// source named when it is not the frame, a blank line at the end. The
	// frame heading is tshark's first -V line.
	want := `Frame 1: 110 bytes on wire (880 bits), 110 bytes captured (880 bits)   [0:110]
Test Protocol   [42:68]
    Opcode: Registration (5)   [44:2]
    Command: Host Announcement (0x01)   [46:1]
    Response: False   [44:2]
    Questions   [54:34]
        Name: \x01\x02__MSBROWSE__\x02\x01<01>   [54:34]
    [Length: 68]
    Note: two\tcolumns
    WORKGROUP<1e>: type NB, class IN
    [Malformed: ` + f.Errs[0].Error() + `]   [100:10]
    Data: 0102   [Reassembled TCP 4:2]

`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !errors.Is(f.Errs[0], dissect.ErrTruncated) {
		t.Fatal("test tree lost its error")
	}
}
