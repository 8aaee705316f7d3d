package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

// Reads from clients that do not run our webapp come from channel
// memberships' last_viewed_at, which every client moves when the user views a
// channel. Mattermost has no hook for that, so one server polls: every few
// seconds it pages through the members of each watched channel (a channel
// with a tracked post in the last WatchDays) and, for each member whose
// last_viewed_at moved, applies a conversation-level read at that time.

// Poll limits.
const (
	WatchDays         = 7
	viewPageSize      = 200
	maxViewPagesAPoll = 200
)

// viewState remembers, on the polling server, the last view time applied
// per channel and user, so that an unchanged membership costs nothing.
type viewState struct {
	mu      sync.Mutex
	seen    map[string]map[string]int64
	watched map[string]int64 // channel -> last time its watch entry was written
	next    int              // round-robin position when a poll is cut short
}

// watchChannel adds the channel to the watched set, writing at most once an
// hour per channel from each server.
func (s *Service) watchChannel(channelID string) {
	now := s.nowMillis()
	s.views.mu.Lock()
	if s.views.watched == nil {
		s.views.watched = map[string]int64{}
	}
	if len(s.views.watched) > 10000 {
		for ch, at := range s.views.watched {
			if now-at >= hourMillis {
				delete(s.views.watched, ch)
			}
		}
	}
	last := s.views.watched[channelID]
	fresh := now-last < hourMillis
	if !fresh {
		s.views.watched[channelID] = now
	}
	s.views.mu.Unlock()
	if fresh {
		return
	}
	if err := s.store.Watch(channelID, now, now-WatchDays*dayMillis); err != nil {
		s.log.Warn("failed to watch channel for views", "channel_id", channelID, "err", err.Error())
	}
}

const (
	hourMillis = 60 * 60 * 1000
	dayMillis  = 24 * hourMillis
)

// PollViews applies the views of every watched channel. It returns how many
// reads it recorded. Callers run it on one server at a time.
func (s *Service) PollViews() (int, error) {
	watched, err := s.store.Watched(s.nowMillis() - WatchDays*dayMillis)
	if err != nil {
		return 0, errors.Wrap(err, "failed to load watched channels")
	}
	s.views.mu.Lock()
	start := s.views.next
	s.views.forgetUnwatched(watched)
	s.views.mu.Unlock()
	total, pages := 0, 0
	for n := range watched {
		i := (start + n) % len(watched)
		if pages >= maxViewPagesAPoll {
			s.views.mu.Lock()
			s.views.next = i
			s.views.mu.Unlock()
			break
		}
		got, used, err := s.pollChannel(watched[i])
		total += got
		pages += used
		if err != nil {
			s.log.Warn("failed to apply channel views", "channel_id", watched[i], "err", err.Error())
		}
	}
	return total, nil
}

func (s *Service) pollChannel(channelID string) (int, int, error) {
	total := 0
	for page := 0; ; page++ {
		views, err := s.mm.Views(channelID, page, viewPageSize)
		if err != nil {
			return total, page + 1, errors.Wrap(err, "failed to list channel memberships")
		}
		for _, v := range views {
			if !s.viewMoved(channelID, v) {
				continue
			}
			at := v.LastViewedAt
			n, err := s.readConversation(v.UserID, channelID, at, func(int64) int64 { return at })
			total += n
			if err != nil {
				return total, page + 1, err
			}
			// A view this recent may have passed a post that is not indexed yet:
			// it is looked at again until it is older than the margin.
			if at < s.nowMillis()-indexMarginMillis {
				s.markViewSeen(channelID, v)
			}
		}
		if len(views) < viewPageSize {
			return total, page + 1, nil
		}
	}
}

// forgetUnwatched drops what is remembered of channels no longer watched, so
// memory follows the watched set. Called with mu held.
func (v *viewState) forgetUnwatched(watched []string) {
	keep := make(map[string]bool, len(watched))
	for _, ch := range watched {
		keep[ch] = true
	}
	for ch := range v.seen {
		if !keep[ch] {
			delete(v.seen, ch)
		}
	}
}

func (s *Service) viewMoved(channelID string, v View) bool {
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	return v.LastViewedAt > s.views.seen[channelID][v.UserID]
}

func (s *Service) markViewSeen(channelID string, v View) {
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	m := s.views.seen[channelID]
	if m == nil {
		m = map[string]int64{}
		s.views.seen[channelID] = m
	}
	m[v.UserID] = v.LastViewedAt
}
