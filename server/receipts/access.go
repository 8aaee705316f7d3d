package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

// accessCache remembers, for one request, which channels the caller may
// read and is a member of. It is safe for concurrent use.
type accessCache struct {
	mm      channelAccess
	grants  *accessGrants // across requests
	userID  string
	mu      sync.Mutex
	checks  map[string]*accessCheck
	members map[string]bool
}

// accessCheck is one channel's check, done or under way.
type accessCheck struct {
	done chan struct{}
	ok   bool
	err  error
}

// maxEarlyChecks bounds the checks a request starts before it knows its channels.
const maxEarlyChecks = 4

// channelAccess is what access checks ask Mattermost.
type channelAccess interface {
	CanReadChannel(userID, channelID string) (bool, error)
	IsMember(userID, channelID string) (bool, error)
}

func newAccessCache(mm channelAccess, grants *accessGrants, userID string) *accessCache {
	return &accessCache{mm: mm, grants: grants, userID: userID, checks: map[string]*accessCheck{}, members: map[string]bool{}}
}

// checkEarly starts checking the channels the request will likely ask
// about, so that the checks overlap its read of the records.
func (a *accessCache) checkEarly(channels []string) {
	for _, ch := range channels {
		go func() { _, _ = a.canRead(ch) }()
	}
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
// rules. A failed lookup is an error, never a "no", and is not remembered
// (those waiting on it get the error).
func (a *accessCache) canRead(channelID string) (bool, error) {
	a.mu.Lock()
	c, found := a.checks[channelID]
	if !found {
		c = &accessCheck{done: make(chan struct{})}
		a.checks[channelID] = c
	}
	a.mu.Unlock()
	if found {
		<-c.done
		return c.ok, c.err
	}
	c.ok, c.err = a.askOrRecall(channelID)
	if c.err != nil {
		c.ok, c.err = false, errors.Wrap(c.err, "failed to check channel access")
		a.mu.Lock()
		delete(a.checks, channelID)
		a.mu.Unlock()
	}
	close(c.done)
	return c.ok, c.err
}

// askOrRecall answers from a grant this server holds, else asks Mattermost
// (and keeps a yes).
func (a *accessCache) askOrRecall(channelID string) (bool, error) {
	if a.grants.has(a.userID, channelID) {
		return true, nil
	}
	epoch := a.grants.checking()
	ok, err := a.mm.CanReadChannel(a.userID, channelID)
	if ok && err == nil {
		a.grants.grant(a.userID, channelID, epoch)
	}
	return ok, err
}

// channelReader asks Mattermost whether a user may read a channel.
type channelReader interface {
	CanReadChannel(userID, channelID string) (bool, error)
}

// authorAccess remembers, for one batch of events, whether each author may
// still read each channel (their events follow the rules of their queries).
// A failed lookup is not remembered.
type authorAccess map[[2]string]bool

func (a authorAccess) canRead(mm channelReader, authorID, channelID string) (bool, error) {
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
