package dissect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
)

// The command block headings are built on first use (smbBlockLabels), not
// at init: every one of the 256 is "<command> Request (0xNN)" or
// "<command> Response (0xNN)", as they were when built at init.
func TestSMBBlockLabels(t *testing.T) {
	l := smbBlockLabels()
	for c := range 256 {
		for resp, dir := range []string{"Request", "Response"} {
			want := fmt.Sprintf("%s %s (0x%02x)", SMBCommand(c), dir, c)
			if got := l[c][resp]; got != want {
				t.Errorf("command %#02x %s: %q, want %q", c, dir, got, want)
			}
		}
	}
	for _, c := range []struct {
		cmd  SMBCommand
		resp int
		want string
	}{
		{0x25, 0, "Trans Request (0x25)"},
		{0x73, 1, "Session Setup AndX Response (0x73)"},
		{0xfe, 0, "SMBinvalid Request (0xfe)"},
		{0xee, 1, "Unknown (0xee) Response (0xee)"},
	} {
		if got := l[c.cmd][c.resp]; got != c.want {
			t.Errorf("command %#02x: %q, want %q", uint8(c.cmd), got, c.want)
		}
	}
	if smbBlockLabels() != l {
		t.Error("smbBlockLabels built the table twice")
	}
}

// A real message's tree heads each command block of its AndX chain with
// the built label: session set-up chained with a tree connect (the real
// case of smbCases).
func TestSMBBlockLabelsInTree(t *testing.T) {
	msg := smbCaseMsg(t, "session setup WCT 10 chained with tree connect")
	var s SMB
	if err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	var tr Tree
	s.AppendTree(&tr)
	var got []string
	for _, n := range tr.Nodes {
		if n.Field == 0 && len(n.Label) > 0 && (strings.Contains(n.Label, " Request (0x") || strings.Contains(n.Label, " Response (0x")) {
			got = append(got, n.Label)
		}
	}
	want := []string{"Session Setup AndX Request (0x73)", "Tree Connect AndX Request (0x75)"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("block headings %q, want %q", got, want)
	}
}
