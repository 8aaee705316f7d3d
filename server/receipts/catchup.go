package receipts

import (
	"maps"
	"sync"

	"github.com/pkg/errors"
)

// Tracking posts that a read reaches before their posted hook does.
//
// Conversation-level reads walk the channel index, which only lists posts
// whose posted hook has run. Before such a read, the channel's recent posts
// are looked at and any that should be tracked but are not yet are tracked
// then, so that a read is never lost to the hook's delay (or to a hook that
// failed). A checkpoint per channel, kept in memory, makes the next look see
// only posts since the last one (less a margin for posts still being saved);
// a server without one looks back lateTrackMillis. Callers look once per
// request or poll: a channel read, the views job before applying a
// channel's views, a new root post before its author's implied read.

// catchUpMarginMillis covers posts saved with a creation time slightly
// before the moment they became visible to a listing.
const catchUpMarginMillis = 2_000

type catchUp struct {
	mu       sync.Mutex
	channels map[string]*lookedAt
}

type lookedAt struct {
	at    int64            // when the channel was last looked at
	since int64            // posts created from then on still need a look
	known map[string]int64 // posts since then found tracked (or tracked), by creation time
}

// trackRecent tracks the channel's recent posts that ask for receipts but
// are not tracked yet, and returns how many it tracked. A read by one user
// (reader set) passes over that user's own posts, which it would not read:
// their hooks track them, so an author's burst of posts does not track each
// other's posts ahead of their hooks.
func (t *tracker) trackRecent(channelID, reader string) (int, error) {
	now := t.now()
	since, known := t.catchUp.since(channelID, now)
	posts, err := t.mm.PostsSince(channelID, since, reader)
	if err != nil {
		return 0, errors.Wrap(err, "failed to list recent posts")
	}
	checked := map[string]int64{}
	var unknown []Post
	for _, p := range posts {
		if p.CreateAt < since || isSystemPost(p) {
			continue
		}
		if _, ok := known[p.ID]; !ok {
			unknown = append(unknown, p)
		}
		checked[p.ID] = p.CreateAt
	}
	tracked, err := t.trackUntracked(unknown)
	if err != nil {
		return tracked, errors.Wrap(err, "failed to track recent post")
	}
	t.catchUp.done(channelID, now, checked)
	return tracked, nil
}

// trackUntracked tracks those of one channel's recent posts that are not
// tracked yet, all at once: one read of their records, one index update.
func (t *tracker) trackUntracked(posts []Post) (int, error) {
	if len(posts) == 0 {
		return 0, nil
	}
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	loaded := t.records.preload(ids)
	var untracked []Post
	for _, p := range posts {
		rec, err := loaded.record(t.records, p.ID)
		if err != nil {
			return 0, err
		}
		if rec == nil && t.lateTrackable(p) {
			untracked = append(untracked, p)
		}
	}
	if len(untracked) == 0 {
		return 0, nil
	}
	cfg := t.config()
	pv, err := privacyNow(t.store, cfg)
	if err != nil {
		return 0, err
	}
	return t.trackMany(untracked, cfg, pv, t.store.ChannelSetting)
}

// saw notes a post found tracked (its posted hook just tracked it), so the
// next look need not load its record.
func (c *catchUp) saw(channelID, postID string, createAt int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if last := c.channels[channelID]; last != nil && createAt >= last.since {
		known := maps.Clone(last.known) // since() handed the old map out
		known[postID] = createAt
		last.known = known
	}
}

// since is the creation time from which the channel's posts need a look, and
// the posts from then on that need none.
func (c *catchUp) since(channelID string, now int64) (int64, map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := c.channels[channelID]
	if last == nil || last.since < now-lateTrackMillis {
		return now - lateTrackMillis, nil
	}
	return last.since, last.known
}

func (c *catchUp) done(channelID string, now int64, checked map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.channels == nil {
		c.channels = map[string]*lookedAt{}
	}
	if len(c.channels) > 10000 {
		for ch, l := range c.channels {
			if l.at < now-lateTrackMillis {
				delete(c.channels, ch)
			}
		}
	}
	since := now - catchUpMarginMillis
	if last := c.channels[channelID]; last != nil {
		since = max(since, last.since)
	}
	known := map[string]int64{}
	for id, at := range checked {
		if at >= since {
			known[id] = at
		}
	}
	c.channels[channelID] = &lookedAt{at: now, since: since, known: known}
}
