package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

// Conversation-level reads walk the channel index, which only lists posts
// whose posted hook has run. Before such a read, the channel's recent posts
// are looked at once and any that should be tracked but are not yet are
// tracked then, so that a read is never lost to the hook's delay (or to a
// hook that failed). A checkpoint per channel, kept in memory, makes a
// repeat look only at posts since the last look (less a margin for posts
// still being saved); a server without it looks back lateTrackMillis.

// catchUpMarginMillis covers posts saved with a creation time slightly
// before the moment they became visible to a listing.
const catchUpMarginMillis = 2_000

type catchUp struct {
	mu      sync.Mutex
	checked map[string]int64 // channel -> posts since this time were looked at
}

// trackRecent tracks the channel's recent posts that ask for receipts but
// are not tracked yet.
func (s *Service) trackRecent(channelID string) error {
	now := s.nowMillis()
	since := s.catchUp.since(channelID, now)
	posts, err := s.mm.PostsSince(channelID, since)
	if err != nil {
		return errors.Wrap(err, "failed to list recent posts")
	}
	for _, p := range posts {
		if p.CreateAt < since || isSystemPost(p) {
			continue
		}
		rec, err := s.store.Post(p.ID)
		if err == nil && rec == nil {
			_, err = s.trackLate(p)
		}
		if err != nil {
			return errors.Wrap(err, "failed to track recent post")
		}
	}
	s.catchUp.done(channelID, now-catchUpMarginMillis, now)
	return nil
}

func (c *catchUp) since(channelID string, now int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return max(c.checked[channelID], now-lateTrackMillis)
}

func (c *catchUp) done(channelID string, upTo, now int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked == nil {
		c.checked = map[string]int64{}
	}
	if len(c.checked) > 10000 {
		for ch, t := range c.checked {
			if t < now-lateTrackMillis {
				delete(c.checked, ch)
			}
		}
	}
	c.checked[channelID] = max(c.checked[channelID], upTo)
}
