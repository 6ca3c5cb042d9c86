package dissect

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

type truncFeedback bool

func (f *truncFeedback) SetTruncated() { *f = true }

// TestLayerAnatomy holds every layer to the one shape doc.go describes:
// layers.BaseLayer embedded first, an Err field, and a DecodeFromBytes that
// on data cut short keeps the error in Err, returns it, tells the feedback
// it was truncated, and leaves a tree that ends with the "[Malformed: ...]"
// note.
func TestLayerAnatomy(t *testing.T) {
	base := reflect.TypeOf(layers.BaseLayer{})
	errType := reflect.TypeOf((*error)(nil)).Elem()
	for _, l := range []Layer{&NBNS{}, &NBDGM{}, &NBSS{}, &SMB{}, &SMB2{}, &Mailslot{},
		&Browser{}, &LANMANAnnounce{}, &RAPRequest{}, &RAPResponse{}} {
		typ := reflect.TypeOf(l).Elem()
		t.Run(typ.Name(), func(t *testing.T) {
			if f := typ.Field(0); !f.Anonymous || f.Type != base {
				t.Errorf("first field %s %v, want an embedded layers.BaseLayer", f.Name, f.Type)
			}
			ef, ok := typ.FieldByName("Err")
			if !ok || ef.Type != errType {
				t.Fatalf("no Err error field")
			}
			var fb truncFeedback
			err := l.DecodeFromBytes([]byte{}, &fb)
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("empty input: %v, want ErrTruncated", err)
			}
			if got := reflect.ValueOf(l).Elem().FieldByIndex(ef.Index).Interface(); got != err {
				t.Errorf("Err %v, returned %v", got, err)
			}
			if !fb {
				t.Errorf("SetTruncated not called")
			}
			var tr Tree
			l.AppendTree(&tr)
			if tr.Depth() != 0 {
				t.Errorf("tree open at depth %d", tr.Depth())
			}
			if last := tr.Nodes[len(tr.Nodes)-1]; last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: ") {
				t.Errorf("last node %+v, want the malformed note", last)
			}
		})
	}
}
