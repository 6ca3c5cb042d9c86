// Package boundmap holds the growth rule of the maps whose size a bound
// caps (the TCP conversations numbered, the closed connections
// remembered, the SMB trees connected, each a shard's share): such a map
// grows by doubling up to At entries, then is made again, once, with room
// for its bound, up to To (Remake). A busy capture fills it, and each
// doubling is a new table, fresh memory (a page fault a page before a
// run's first collection); a capture with a few connections does not make
// the room.
package boundmap

const (
	// At is the size at which a map is made again at its bound.
	At = 128
	// To is the most room made then (a shard's share of 4096
	// connections: a bigger bound grows by doubling again past it).
	To = 512
)

// Room is the room Remake makes for a map of bound entries.
func Room(bound int) int { return min(bound, To) }

// Remake is m made again with room for Room(bound) entries.
func Remake[M ~map[K]V, K comparable, V any](m M, bound int) M {
	n := make(M, Room(bound))
	for k, v := range m {
		n[k] = v
	}
	return n
}
