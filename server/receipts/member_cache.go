package receipts

import (
	"maps"
	"sync"
	"time"
)

// memberCache holds each used channel's present members (active, non-bot)
// by id. A set is never changed in place, since callers keep it: a change
// replaces it with a changed copy. Changes that arrive while a channel is
// being listed are kept and applied to the list when it arrives, so a
// listing that started before a leave cannot bring the leaver back.
type memberCache struct {
	mu        sync.Mutex
	items     map[string]*memberEntry
	listing   map[string][]memberChange
	lastSweep time.Time
}

type memberEntry struct {
	present    map[string]Member
	listed     time.Time
	used       time.Time
	refreshing bool
}

func newMemberCache() *memberCache {
	return &memberCache{items: map[string]*memberEntry{}, listing: map[string][]memberChange{}}
}

// get returns the channel's set, and whether the caller should start a
// background refresh (at most one is started per channel at a time).
func (c *memberCache) get(channelID string, now time.Time) (map[string]Member, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[channelID]
	if !ok {
		return nil, false, false
	}
	e.used = now
	refresh := !e.refreshing && now.Sub(e.listed) > memberRefreshAfter
	e.refreshing = e.refreshing || refresh
	return e.present, true, refresh
}

// startListing begins collecting the channel's changes for finishListing.
func (c *memberCache) startListing(channelID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listing[channelID] = []memberChange{}
}

func (c *memberCache) abortListing(channelID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.listing, channelID)
	if e, ok := c.items[channelID]; ok {
		e.refreshing = false
	}
}

// finishListing stores a channel's listed members, with the changes seen
// since the listing started applied on top, and returns the set.
func (c *memberCache) finishListing(channelID string, members []Member, now time.Time) map[string]Member {
	c.mu.Lock()
	defer c.mu.Unlock()
	present := make(map[string]Member, len(members))
	for _, m := range members {
		if m.Active && !m.IsBot {
			present[m.UserID] = m
		}
	}
	for _, ch := range c.listing[channelID] {
		ch.applyTo(present)
	}
	delete(c.listing, channelID)
	c.sweep(now)
	c.items[channelID] = &memberEntry{present: present, listed: now, used: now}
	return present
}

// sweep drops channels unused for memberIdleAfter, at most once a minute.
func (c *memberCache) sweep(now time.Time) {
	if now.Sub(c.lastSweep) < time.Minute {
		return
	}
	c.lastSweep = now
	for id, e := range c.items {
		if now.Sub(e.used) > memberIdleAfter {
			delete(c.items, id)
		}
	}
}

// apply makes a change to the cached sets it concerns and to the listings
// under way.
func (c *memberCache) apply(ch memberChange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, pending := range c.listing {
		if ch.channelID == "" || ch.channelID == id {
			c.listing[id] = append(pending, ch)
		}
	}
	if ch.channelID != "" {
		if e, ok := c.items[ch.channelID]; ok {
			e.present = ch.appliedTo(e.present)
		}
		return
	}
	for _, e := range c.items {
		e.present = ch.appliedTo(e.present)
	}
}

// appliedTo returns the set with the change made, copying it only when the
// change changes it.
func (ch memberChange) appliedTo(set map[string]Member) map[string]Member {
	old, had := set[ch.userID]
	if ch.member == nil && !had || ch.member != nil && had && old == *ch.member {
		return set
	}
	changed := maps.Clone(set)
	ch.applyTo(changed)
	return changed
}

func (ch memberChange) applyTo(set map[string]Member) {
	if ch.member != nil && ch.member.Active && !ch.member.IsBot {
		set[ch.userID] = *ch.member
		return
	}
	delete(set, ch.userID)
}
