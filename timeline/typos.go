package timeline

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The candidates of workgroup_typo (diag_browse.go), found without
// comparing a new workgroup with every other workgroup of its segment
// (many workgroups: each check compared up to maxDiagTable new workgroups
// with up to MaxGroups others, 100 µs a frame with 100k workgroups).
//
// nearMiss says yes only to names within distance 2 (optimal string
// alignment) whose letters other than digits differ (onlyDigitsDiffer).
// Taking the digits out of both names turns each edit into at most one
// edit of the stripped names, so the stripped names differ and lie within
// distance 2 too. Two strings within distance 2 become the same string
// once at most two letters are deleted from each (a substitution or a
// transposition: the same letter deleted from both; an insertion: deleted
// from the longer). So the index maps each deletion variant of each
// stripped name (up to two letters deleted) to the stripped names that
// have it, and each stripped name to its groups; a new workgroup's
// candidates are the groups of the other stripped names that share a
// variant with its own. Workgroups whose stripped names are equal (LAB1,
// LAB2; WG000001, WG000002) are never candidates of each other, however
// many there are. nearMiss still decides on every candidate.

// A workgroup name that is not valid UTF-8 (onlyDigitsDiffer decodes
// runes, and turns each invalid byte into U+FFFD) is not indexed by its
// variants: it is a candidate of every new workgroup of its segment, and
// every workgroup of its segment is a candidate of it.

// stripKey is a stripped name, or one of its deletion variants, on a
// segment.
type stripKey struct{ seg, s string }

type typoIndex struct {
	groups   map[stripKey][]*group // by stripped name
	variants map[stripKey][]string // deletion variant -> stripped names
	odd      map[string][]*group   // by segment: names not valid UTF-8
	seen     map[string]bool       // scratch of candidates
	cands    []*group              // scratch
}

func newTypoIndex() typoIndex {
	return typoIndex{groups: make(map[stripKey][]*group), variants: make(map[stripKey][]string),
		odd: make(map[string][]*group), seen: make(map[string]bool)}
}

// typoIndexed reports whether a workgroup can be a near-miss of another
// at all (nearMiss: at least 5 letters).
func typoIndexed(wg string) bool { return len(wg) >= 5 }

// add indexes g (a new group).
func (x *typoIndex) add(g *group) {
	if !typoIndexed(g.wg) {
		return
	}
	if !utf8.ValidString(g.wg) {
		g.stripPos = len(x.odd[g.seg])
		x.odd[g.seg] = append(x.odd[g.seg], g)
		return
	}
	g.strip = stripDigits(g.wg)
	k := stripKey{g.seg, g.strip}
	gs := x.groups[k]
	if len(gs) == 0 {
		for _, v := range deletionVariants(g.strip) {
			vk := stripKey{g.seg, v}
			x.variants[vk] = append(x.variants[vk], g.strip)
		}
	}
	g.stripPos = len(gs)
	x.groups[k] = append(gs, g)
}

// remove takes g (a group forgotten) out of the index.
func (x *typoIndex) remove(g *group) {
	if !typoIndexed(g.wg) {
		return
	}
	if !utf8.ValidString(g.wg) {
		if gs := swapRemove(x.odd[g.seg], g); len(gs) > 0 {
			x.odd[g.seg] = gs
		} else {
			delete(x.odd, g.seg)
		}
		return
	}
	k := stripKey{g.seg, g.strip}
	if gs := swapRemove(x.groups[k], g); len(gs) > 0 {
		x.groups[k] = gs
		return
	}
	delete(x.groups, k)
	for _, v := range deletionVariants(g.strip) {
		vk := stripKey{g.seg, v}
		ss := x.variants[vk]
		if i := slices.Index(ss, g.strip); i >= 0 {
			ss = slices.Delete(ss, i, i+1)
		}
		if len(ss) == 0 {
			delete(x.variants, vk)
		} else {
			x.variants[vk] = ss
		}
	}
}

// swapRemove takes g out of gs (its place is g.stripPos), moving the
// last group into its place.
func swapRemove(gs []*group, g *group) []*group {
	i := g.stripPos
	if i >= len(gs) || gs[i] != g {
		return gs
	}
	last := len(gs) - 1
	gs[i] = gs[last]
	gs[i].stripPos = i
	gs[last] = nil
	return gs[:last]
}

// candidates lists the groups of g's segment that may be a near-miss of
// g, sorted by workgroup (the order of segGroups), in a slice reused by
// the next call. all is every group of the segment, in that order.
func (x *typoIndex) candidates(g *group, all []*group) []*group {
	x.cands = x.cands[:0]
	if !typoIndexed(g.wg) {
		return x.cands
	}
	if !utf8.ValidString(g.wg) {
		return append(x.cands, all...)
	}
	x.cands = append(x.cands, x.odd[g.seg]...)
	clear(x.seen)
	x.seen[g.strip] = true
	for _, v := range deletionVariants(g.strip) {
		for _, s := range x.variants[stripKey{g.seg, v}] {
			if x.seen[s] {
				continue
			}
			x.seen[s] = true
			x.cands = append(x.cands, x.groups[stripKey{g.seg, s}]...)
		}
	}
	slices.SortFunc(x.cands, func(a, b *group) int { return strings.Compare(a.wg, b.wg) })
	return x.cands
}

// stripDigits is s without its digits (onlyDigitsDiffer compares these).
func stripDigits(s string) string {
	if strings.IndexFunc(s, isDigit) < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			b = append(b, c)
		}
	}
	return string(b)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// deletionVariants lists s and every string made from it by deleting one
// or two of its bytes, each once.
func deletionVariants(s string) []string {
	out := []string{s}
	for i := 0; i < len(s); i++ {
		d1 := s[:i] + s[i+1:]
		out = append(out, d1)
		for j := i; j < len(d1); j++ {
			out = append(out, d1[:j]+d1[j+1:])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
