package receipts

import (
	"sync"
	"time"

	"github.com/pkg/errors"
)

// memberCacheTTL bounds how stale "who is still in the channel" may be for
// counts; hooks on join, leave and deactivation clear entries sooner.
const memberCacheTTL = 10 * time.Second

// snapshotCache keeps immutable snapshots in memory, evicting the oldest.
type snapshotCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*Snapshot
	order []string
}

func newSnapshotCache(max int) *snapshotCache {
	return &snapshotCache{max: max, items: map[string]*Snapshot{}}
}

func (c *snapshotCache) get(id string) (*Snapshot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.items[id]
	return s, ok
}

func (c *snapshotCache) put(id string, s *Snapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[id]; ok {
		c.items[id] = s
		return
	}
	if len(c.order) >= c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.items[id] = s
	c.order = append(c.order, id)
}

// snapshot returns a snapshot from memory or the store.
func (s *Service) snapshot(id string) (*Snapshot, error) {
	if snap, ok := s.snapshots.get(id); ok {
		return snap, nil
	}
	snap, err := s.store.Snapshot(id)
	if err != nil {
		return nil, errors.Wrap(err, "failed to load recipient snapshot")
	}
	if snap == nil {
		return nil, errors.Errorf("recipient snapshot %s is missing", id)
	}
	s.snapshots.put(id, snap)
	return snap, nil
}

// memberCache keeps each channel's member list for a short time.
type memberCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	items map[string]memberEntry
}

type memberEntry struct {
	// present holds the active, non-bot members by id; shared, read-only.
	present map[string]Member
	at      time.Time
}

func newMemberCache(ttl time.Duration) *memberCache {
	return &memberCache{ttl: ttl, items: map[string]memberEntry{}}
}

func (c *memberCache) get(channelID string, now time.Time) (map[string]Member, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[channelID]
	if !ok || now.Sub(e.at) > c.ttl {
		return nil, false
	}
	return e.present, true
}

func (c *memberCache) put(channelID string, members []Member, now time.Time) map[string]Member {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) > 10000 {
		for k, e := range c.items {
			if now.Sub(e.at) > c.ttl {
				delete(c.items, k)
			}
		}
	}
	present := make(map[string]Member, len(members))
	for _, m := range members {
		if m.Active && !m.IsBot {
			present[m.UserID] = m
		}
	}
	c.items[channelID] = memberEntry{present: present, at: now}
	return present
}

func (c *memberCache) forget(channelID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, channelID)
}

func (c *memberCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = map[string]memberEntry{}
}

// present returns the active, non-bot members of a channel by id, from the
// cache when fresh. The map is shared: do not change it.
func (s *Service) present(channelID string) (map[string]Member, error) {
	now := s.now()
	if p, ok := s.memberCache.get(channelID, now); ok {
		return p, nil
	}
	// One fetch per channel at a time: the workers of a batch share it.
	unlock := s.memberLocks.lock(channelID)
	defer unlock()
	if p, ok := s.memberCache.get(channelID, now); ok {
		return p, nil
	}
	m, err := s.mm.Members(channelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to list channel members")
	}
	return s.memberCache.put(channelID, m, now), nil
}

// MembershipChanged drops cached members of a channel (join, leave).
func (s *Service) MembershipChanged(channelID string) { s.memberCache.forget(channelID) }

// UserDeactivated drops every cached member list, since the user may be in many.
func (s *Service) UserDeactivated() { s.memberCache.forgetAll() }
