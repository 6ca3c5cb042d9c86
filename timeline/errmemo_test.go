package timeline

import (
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// The same bound hit frame after frame (a new error of equal fields each
// time, as the engine makes them) is one message, made once: a frame's
// problem then costs one allocation, its observation. An error of other
// fields gets its own message.
func TestAdapterMakesARepeatedErrorsMessageOnce(t *testing.T) {
	a := NewAdapter()
	f := &dissect.Frame{Number: 1}
	hit := func(detail string) {
		f.Bounds = append(f.Bounds[:0], dissect.BoundHit{Bound: "MaxTCPStreams", Err: dissect.Limit("tcp", "stream", -1, detail)})
		f.Errs = append(f.Errs[:0], dissect.Truncated("nbns", "answer 1", 12, 40, 30))
	}
	check := func(detail string) {
		t.Helper()
		hit(detail)
		want := []string{f.Errs[0].Error(), f.Bounds[0].Err.Error()}
		obs := a.FromFrame(f)
		if len(obs) != 2 || obs[0].(*DecodeProblem).Err != want[0] || obs[1].(*DecodeProblem).Err != want[1] {
			t.Fatalf("problems %v, want %q", obs, want)
		}
	}
	check("more than 512 conversations")
	allocs := testing.AllocsPerRun(100, func() {
		hit("more than 512 conversations") // outside the count: the engine's
	})
	allocs = testing.AllocsPerRun(100, func() {
		hit("more than 512 conversations")
		a.FromFrame(f)
	}) - allocs
	if allocs > 2 {
		t.Errorf("%.1f allocations a frame with a repeated bound and error, want 2 (their observations)", allocs)
	}
	check("more than 513 conversations")
	check("more than 512 conversations")
}
