package receipts

import (
	"sync"
	"time"

	"github.com/pkg/errors"
)

// memberCacheTTL bounds how stale "who is still in the channel" may be for
// counts; hooks on join, leave and deactivation clear entries sooner.
const memberCacheTTL = 10 * time.Second

// memberCache keeps each channel's member list for a short time. A list
// whose fetch overlapped a forget is not stored (gen counts forgets), so a
// leave is never undone by a fetch that was already on its way.
type memberCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	items map[string]memberEntry
	gen   uint64
}

type memberEntry struct {
	// members is the channel's member list, present the active, non-bot ones
	// by id; both shared and read-only.
	members []Member
	present map[string]Member
	at      time.Time
}

func newMemberCache(ttl time.Duration) *memberCache {
	return &memberCache{ttl: ttl, items: map[string]memberEntry{}}
}

func (c *memberCache) get(channelID string, now time.Time) (memberEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[channelID]
	if !ok || now.Sub(e.at) > c.ttl {
		return memberEntry{}, false
	}
	return e, true
}

// generation is taken before a fetch and handed to put.
func (c *memberCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put stores a fetched list unless something was forgotten since gen, and
// returns the entry either way.
func (c *memberCache) put(channelID string, members []Member, now time.Time, gen uint64) memberEntry {
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
	e := memberEntry{members: members, present: present, at: now}
	if gen == c.gen {
		c.items[channelID] = e
	}
	return e
}

func (c *memberCache) forget(channelID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, channelID)
	c.gen++
}

func (c *memberCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = map[string]memberEntry{}
	c.gen++
}

// channelMembers returns a channel's members, from the cache when fresh.
// Joins and leaves seen by this server clear the entry at once; the TTL
// bounds how long a change made through another server goes unseen.
func (s *Service) channelMembers(channelID string) (memberEntry, error) {
	now := s.now()
	if e, ok := s.memberCache.get(channelID, now); ok {
		return e, nil
	}
	// One fetch per channel at a time: the workers of a batch share it.
	unlock := s.memberLocks.lock(channelID)
	defer unlock()
	if e, ok := s.memberCache.get(channelID, now); ok {
		return e, nil
	}
	gen := s.memberCache.generation()
	m, err := s.mm.Members(channelID)
	if err != nil {
		return memberEntry{}, errors.Wrap(err, "failed to list channel members")
	}
	return s.memberCache.put(channelID, m, now, gen), nil
}

// present returns the active, non-bot members of a channel by id. The map is
// shared: do not change it.
func (s *Service) present(channelID string) (map[string]Member, error) {
	e, err := s.channelMembers(channelID)
	return e.present, err
}

// Cluster event kinds.
const (
	// ClusterMembers: a channel's members changed (id: the channel, or
	// empty for every channel, as after a deactivation).
	ClusterMembers = "members"
)

// MembershipChanged drops cached members of a channel (join, leave), here
// and on the other servers.
func (s *Service) MembershipChanged(channelID string) {
	s.memberCache.forget(channelID)
	s.peers.Broadcast(ClusterMembers, channelID)
}

// ClusterEvent applies a change that another server saw.
func (s *Service) ClusterEvent(kind, id string) {
	if kind != ClusterMembers {
		return
	}
	if id == "" {
		s.memberCache.forgetAll()
		return
	}
	s.memberCache.forget(id)
}

// MemberLeft drops the channel's cached members and tells the authors of the
// channel's newest tracked posts that the leaver no longer counts as unread,
// for each such post the leaver had not read.
func (s *Service) MemberLeft(channelID, userID string) {
	s.MembershipChanged(channelID)
	idx, err := s.store.ChannelIndex(channelID)
	if err != nil || idx == nil {
		return
	}
	for _, e := range idx.Tail {
		rec, err := s.store.Post(e.PostID)
		if err != nil || rec == nil {
			continue
		}
		snap, err := s.snapshot(rec.Snapshot)
		if err != nil {
			continue
		}
		if i := recipientIndex(snap, userID); i >= 0 && userID != rec.AuthorID && !rec.Readers.Has(i) {
			s.notifier.touch(e.PostID)
		}
	}
}

// UserDeactivated drops every cached member list, since the user may be in
// many, here and on the other servers.
func (s *Service) UserDeactivated() {
	s.memberCache.forgetAll()
	s.peers.Broadcast(ClusterMembers, "")
}
