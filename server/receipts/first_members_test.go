package receipts

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The first members kept are those a full sort puts first, in its order,
// with usernames that repeat (the id decides then).
func TestFirstMembersAreThoseASortPutsFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 99, 100, 101, 2000} {
		all := make([]Member, n)
		for i := range all {
			all[i] = Member{UserID: fmt.Sprintf("u%025d", rng.IntN(1000000)), Username: fmt.Sprintf("name%02d", rng.IntN(50))}
		}
		f := firstMembers{limit: 100}
		for _, m := range all {
			f.offer(m)
		}
		want := slices.Clone(all)
		slices.SortFunc(want, compareMembers)
		assert.Equal(t, n, f.seen)
		assert.Equal(t, want[:min(100, n)], append([]Member{}, f.sorted()...), "n=%d", n)
	}
}
