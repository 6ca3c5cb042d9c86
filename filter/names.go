package filter

import (
	"strings"
	"sync"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// Value names, cached per field.
var (
	namesMu    sync.Mutex
	namesCache = map[dissect.FieldID]map[string][]uint64{}
)

// valueNames returns the value whose Values name is s (case-insensitive,
// as tshark's value_string lookup): the smallest one, as Values functions
// may repeat a name for values outside the field's bit mask. Names that
// start with "Unknown" name nothing. The table is built once per field by
// scanning 0..65535.
func valueNames(r *fieldRef, s string) []uint64 {
	namesMu.Lock()
	defer namesMu.Unlock()
	m, ok := namesCache[r.id]
	if !ok {
		m = map[string][]uint64{}
		max := typeMax(r.typ)
		if max > 0xffff {
			max = 0xffff
		}
		for v := uint64(0); v <= max; v++ {
			name := r.fi.Values(v)
			if name == "" || strings.HasPrefix(name, "Unknown") {
				continue
			}
			k := strings.ToLower(name)
			if _, dup := m[k]; !dup {
				m[k] = []uint64{v}
			}
		}
		namesCache[r.id] = m
	}
	return m[strings.ToLower(s)]
}

// Protocol names, recomputed when fields are registered.
var (
	protoMu    sync.Mutex
	protoSet   map[string]bool
	protoCount int
	abbrevs    []string
)

func protocols() map[string]bool {
	protoMu.Lock()
	defer protoMu.Unlock()
	if n := dissect.NumFields(); protoSet == nil || n != protoCount {
		protoSet = map[string]bool{}
		abbrevs = abbrevs[:0]
		for _, fi := range dissect.AllFields() {
			if fi.Proto != "" {
				protoSet[fi.Proto] = true
			}
			abbrevs = append(abbrevs, fi.Abbrev)
		}
		protoCount = n
	}
	return protoSet
}

// suggest returns the known field or protocol closest to name, or "".
func suggest(name string) string {
	ps := protocols()
	protoMu.Lock()
	cands := append([]string(nil), abbrevs...)
	protoMu.Unlock()
	for p := range ps {
		cands = append(cands, p)
	}
	best, bestD := "", 1<<30
	lname := strings.ToLower(name)
	for _, c := range cands {
		if abs(len(c)-len(name)) >= bestD {
			continue
		}
		d := levenshtein(lname, strings.ToLower(c))
		if d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	limit := len(name)/4 + 1
	if limit > 3 {
		limit = 3
	}
	if bestD <= limit && best != name {
		return best
	}
	return ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func levenshtein(a, b string) int {
	if len(a) > 100 || len(b) > 100 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
