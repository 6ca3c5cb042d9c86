package timeline

import "unsafe"

// canonMemo remembers canon's answers, in a slot chosen by the address
// of the string's bytes. The adapter hands the tracker names from its
// intern table, so the same name comes back as the same string frame
// after frame: a hit compares the slot's string with it, whose bytes are
// at the same address (runtime.memequal stops there), where canon scans
// every byte (twice: trailing spaces, lower case). A string equal to the
// slot's at another address is a hit too, as right. Direct-mapped: a
// miss takes the slot.
type canonMemo [canonSlots]canonSlot

type canonSlot struct{ in, out string }

// canonSlots is the slots of a canonMemo (a power of two).
const canonSlots = 512

// canonName is canon(s), remembered (canonMemo): for the names of the
// observations. (Small enough to be inlined; the miss is not.)
func (t *Tracker) canonName(s string) string {
	p := unsafe.StringData(s)
	e := &t.canons[uintptr(unsafe.Pointer(p))>>4&(canonSlots-1)]
	if unsafe.StringData(e.in) == p && len(e.in) == len(s) {
		return e.out
	}
	return e.fill(s)
}

// fill makes the slot s's.
//
//go:noinline
func (e *canonSlot) fill(s string) string {
	out := canon(s)
	e.in, e.out = s, out
	return out
}

// sameString is a == b, without a call when the two are the same string
// (the same bytes at the same address): the tracker's caches of the last
// segment, subnet and host compare the frame's label and the names it
// keeps with those they were filled with, nearly always the same strings
// (the capture's label, the segment's name from segString, a name from
// canonName), and Go's == calls runtime.memequal whenever the lengths
// match, which only then finds the addresses equal.
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}
