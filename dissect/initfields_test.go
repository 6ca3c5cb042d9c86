package dissect

import "testing"

// TestInitFieldsRoom: the fields registered at init fit in the room made
// for them (initFields), so that no process grows the table at start.
// Registering more fields at init than initFields fails here: raise it.
func TestInitFieldsRoom(t *testing.T) {
	n := NumFields()
	if n > initFields {
		t.Fatalf("%d fields registered at init, room for %d (initFields): the table grows at every start", n, initFields)
	}
	if cap(fields) != initFields {
		t.Errorf("fields has room for %d, want %d", cap(fields), initFields)
	}
}
