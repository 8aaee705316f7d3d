package receipts

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestUnreadCountMatchesCountingEachRecipient: the count from the absent
// recipients equals the definition, member by member, whoever has left,
// read, or is the author.
func TestUnreadCountMatchesCountingEachRecipient(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for round := range 500 {
		n := 1 + rnd.IntN(40)
		snap := &Snapshot{}
		for i := range n {
			snap.Users = append(snap.Users, fmt.Sprintf("u%03d", i))
		}
		present := map[string]Member{}
		for _, u := range snap.Users {
			if rnd.IntN(4) > 0 {
				present[u] = Member{UserID: u}
			}
		}
		author := snap.Users[rnd.IntN(n)]
		if rnd.IntN(5) == 0 {
			author = "outsider"
		}
		rec := &PostRecord{AuthorID: author, Readers: NewBitmap(n)}
		want := 0
		for i, u := range snap.Users {
			read := u != author && rnd.IntN(2) == 0
			if read {
				rec.Readers.Set(i)
			}
			if _, ok := present[u]; ok && u != author && !read {
				want++
			}
		}
		absent := newAbsentees().of("s", snap, memberSet{members: present, version: uint64(round)})
		require.Equal(t, want, unreadCount(rec, snap, present, absent), "round %d", round)
	}
}
