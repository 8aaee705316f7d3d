package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

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

// authorAccess remembers, for one batch of events, whether each author may
// still read each channel (their events follow the rules of their queries).
// A failed lookup is not remembered.
type authorAccess map[[2]string]bool

func (a authorAccess) canRead(mm Platform, authorID, channelID string) (bool, error) {
	key := [2]string{authorID, channelID}
	if ok, found := a[key]; found {
		return ok, nil
	}
	ok, err := mm.CanReadChannel(authorID, channelID)
	if err != nil {
		return false, errors.Wrap(err, "failed to check the author's access")
	}
	a[key] = ok
	return ok, nil
}
