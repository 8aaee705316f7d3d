package receipts

import (
	"sync"
	"time"
)

// accessGrants remembers, across requests, that a user may read a channel,
// for grantTTL after Mattermost said so: a client sends its reads every few
// seconds, and each check is a round trip to the server (0.2 ms here). Only
// a yes is remembered, so a user who gains access has it at once. A user who
// loses it: at once when the loss is a leave or a deactivation (the hooks,
// here and through cluster events on the other servers, revoke the grant),
// within grantTTL otherwise (removal from the team, a channel made private,
// another server without cluster events).
type accessGrants struct {
	mu    sync.Mutex
	now   func() time.Time
	until map[accessKey]time.Time
	// epoch counts revocations: a check that was under way during one
	// grants nothing, as its answer may predate the change.
	epoch uint64
}

type accessKey struct{ userID, channelID string }

const (
	grantTTL = 5 * time.Second
	// maxGrants bounds the memory: past it, expired grants are dropped, and
	// all of them if none has expired.
	maxGrants = 50000
)

func newAccessGrants(now func() time.Time) *accessGrants {
	return &accessGrants{now: now, until: map[accessKey]time.Time{}}
}

// has reports whether the user was granted the channel less than grantTTL ago.
func (g *accessGrants) has(userID, channelID string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	until, ok := g.until[accessKey{userID, channelID}]
	return ok && g.now().Before(until)
}

// checking is called as a check starts; its result goes to grant.
func (g *accessGrants) checking() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.epoch
}

// grant remembers that Mattermost let the user read the channel, in a check
// that started at epoch.
func (g *accessGrants) grant(userID, channelID string, epoch uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if epoch != g.epoch {
		return
	}
	if len(g.until) >= maxGrants {
		g.dropExpired()
	}
	g.until[accessKey{userID, channelID}] = g.now().Add(grantTTL)
}

func (g *accessGrants) dropExpired() {
	now := g.now()
	for k, until := range g.until {
		if !now.Before(until) {
			delete(g.until, k)
		}
	}
	if len(g.until) >= maxGrants {
		g.until = map[accessKey]time.Time{}
	}
}

// clear forgets every grant: a server setting (compliance mode, say) may
// have changed who may read what.
func (g *accessGrants) clear() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.epoch++
	g.until = map[accessKey]time.Time{}
}

// revoke forgets what a membership change may have taken away: a leave, the
// user's grant for the channel; a deactivation, all of the user's. A join
// takes nothing away.
func (g *accessGrants) revoke(c memberChange) {
	if c.member != nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.epoch++
	if c.channelID != "" {
		delete(g.until, accessKey{c.userID, c.channelID})
		return
	}
	for k := range g.until {
		if k.userID == c.userID {
			delete(g.until, k)
		}
	}
}
