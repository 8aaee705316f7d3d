package receipts

import (
	"math/bits"
	"sync"
)

// A receipt's unread count is the post's recipients still in the channel who
// have not read it. Counting it member by member costs O(recipients) per
// post: 600,000 steps for a page of 60 posts in a 10,000-member channel.
// Instead, the recipients of a snapshot who are no longer present (left,
// deactivated: usually few) are found once per snapshot and version of the
// channel's member set, and a post's count is its present recipients less its
// readers among them, which costs O(absent) per post plus a count of the
// reader bitmap's bits. Finding them looks up every recipient: 10,000 lookups
// are about 0.3 ms here, so they are kept until the member set changes.

// maxAbsentees bounds the snapshots remembered.
const maxAbsentees = 1024

// absentees remembers which recipients of each snapshot are not in the
// channel's member set, with the version of the set. It is safe for
// concurrent use.
type absentees struct {
	mu   sync.Mutex
	byID map[string]absentPlaces
}

type absentPlaces struct {
	version uint64
	places  []int
}

func newAbsentees() *absentees { return &absentees{byID: map[string]absentPlaces{}} }

// of returns the places in the snapshot of the recipients not in present.
func (a *absentees) of(snapID string, snap *Snapshot, present memberSet) []int {
	a.mu.Lock()
	known, ok := a.byID[snapID]
	a.mu.Unlock()
	if ok && known.version == present.version {
		return known.places
	}
	out := []int{}
	for i, u := range snap.Users {
		if _, ok := present.members[u]; !ok {
			out = append(out, i)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.byID) >= maxAbsentees {
		clear(a.byID)
	}
	a.byID[snapID] = absentPlaces{version: present.version, places: out}
	return out
}

// unreadCount counts the post's present recipients, other than its author,
// who have not read it. The author never reads their own post.
func unreadCount(rec *PostRecord, snap *Snapshot, present map[string]Member, absent []int) int {
	recipients := len(snap.Users) - len(absent)
	if _, ok := present[rec.AuthorID]; ok && recipientIndex(snap, rec.AuthorID) >= 0 {
		recipients--
	}
	readers := rec.Readers.Count()
	for _, i := range absent {
		if rec.Readers.Has(i) {
			readers--
		}
	}
	return recipients - readers
}

// Count is how many bits are set.
func (b Bitmap) Count() int {
	n := 0
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return n
}
