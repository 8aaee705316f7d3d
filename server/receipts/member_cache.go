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
	versions  uint64 // the last version given to a set
}

// memberSet is a channel's present members, and a version that names this
// very set: every set the cache makes gets a new one, so what was computed
// from a set can be kept as long as the version is current.
type memberSet struct {
	members map[string]Member
	version uint64
}

type memberEntry struct {
	memberSet
	listed     time.Time
	used       time.Time
	refreshing bool
}

func newMemberCache() *memberCache {
	return &memberCache{items: map[string]*memberEntry{}, listing: map[string][]memberChange{}}
}

// get returns the channel's set, and whether the caller should start a
// background refresh (at most one is started per channel at a time).
func (c *memberCache) get(channelID string, now time.Time) (memberSet, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[channelID]
	if !ok {
		return memberSet{}, false, false
	}
	e.used = now
	refresh := !e.refreshing && now.Sub(e.listed) > memberRefreshAfter
	e.refreshing = e.refreshing || refresh
	return e.memberSet, true, refresh
}

// newSet versions a set the cache is about to hold; mu is held.
func (c *memberCache) newSet(members map[string]Member) memberSet {
	c.versions++
	return memberSet{members: members, version: c.versions}
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
func (c *memberCache) finishListing(channelID string, members []Member, now time.Time) memberSet {
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
	set := c.newSet(present)
	c.items[channelID] = &memberEntry{memberSet: set, listed: now, used: now}
	return set
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
			c.applyTo(e, ch)
		}
		return
	}
	for _, e := range c.items {
		c.applyTo(e, ch)
	}
}

// applyTo replaces the entry's set with a changed copy, if the change changes
// it; mu is held.
func (c *memberCache) applyTo(e *memberEntry, ch memberChange) {
	if changed, ok := ch.appliedTo(e.members); ok {
		e.memberSet = c.newSet(changed)
	}
}

// appliedTo returns a copy of the set with the change made, if the change
// changes it (ok).
func (ch memberChange) appliedTo(set map[string]Member) (map[string]Member, bool) {
	old, had := set[ch.userID]
	if ch.member == nil && !had || ch.member != nil && had && old == *ch.member {
		return nil, false
	}
	changed := maps.Clone(set)
	ch.applyTo(changed)
	return changed, true
}

func (ch memberChange) applyTo(set map[string]Member) {
	if ch.member != nil && ch.member.Active && !ch.member.IsBot {
		set[ch.userID] = *ch.member
		return
	}
	delete(set, ch.userID)
}
