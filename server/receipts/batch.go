package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

// Helpers shared by the batch endpoints.

// IsValidID reports whether id is a Mattermost id: 26 lower-case letters and digits.
func IsValidID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for _, c := range id {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// batchWorkers is how many posts of one batch are worked on at once; each
// mostly waits on the server, so a few in flight cut a batch's latency.
const batchWorkers = 8

// parallel runs fn(0..n-1) on up to batchWorkers goroutines and waits.
func parallel(n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(n, batchWorkers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// accessCache remembers, for one request, which channels the caller may
// read and is a member of. It is safe for concurrent use.
type accessCache struct {
	mm      Platform
	userID  string
	mu      sync.Mutex
	seen    map[string]bool
	members map[string]bool
}

func newAccessCache(mm Platform, userID string) *accessCache {
	return &accessCache{mm: mm, userID: userID, seen: map[string]bool{}, members: map[string]bool{}}
}

// isMember reports whether the caller is a member of the channel.
func (a *accessCache) isMember(channelID string) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ok, found := a.members[channelID]; found {
		return ok, nil
	}
	ok, err := a.mm.IsMember(a.userID, channelID)
	if err != nil {
		return false, errors.Wrap(err, "failed to check channel membership")
	}
	a.members[channelID] = ok
	return ok, nil
}

// canRead reports whether the caller may read the channel, by Mattermost's
// rules. A failed lookup is an error, never a "no", and is not remembered.
func (a *accessCache) canRead(channelID string) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ok, found := a.seen[channelID]; found {
		return ok, nil
	}
	ok, err := a.mm.CanReadChannel(a.userID, channelID)
	if err != nil {
		return false, errors.Wrap(err, "failed to check channel access")
	}
	a.seen[channelID] = ok
	return ok, nil
}
