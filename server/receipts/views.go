package receipts

import (
	"crypto/sha256"

	"github.com/pkg/errors"
)

// Reads from clients that do not run our webapp come from channel
// memberships' last_viewed_at, which every client moves when the user views a
// channel (to the channel's newest post time). Mattermost has no hook for
// that, so one server polls every few seconds. It looks at each watched
// channel (one with a tracked post in the last WatchDays). One summary query
// for all of them (count and sum of last_viewed_at per channel) tells which
// channels had a view move since every view there was applied: the others
// cost nothing more, as does a channel whose newest tracked post everyone has
// viewed since. For the rest it reads the channel's memberships in one query
// and, for each member whose last_viewed_at moved, applies a
// conversation-level read at that time. What was applied is kept in the KV,
// so whichever server polls next continues from there. Channels whose last
// tracked post is more than a day old are looked at once a minute instead of
// every poll.

// Poll limits.
const (
	WatchDays = 30
	// maxListsAPoll bounds the membership lists read in one poll; the rest
	// continue round-robin at the next.
	maxListsAPoll = 200
	// slowPollMillis: a channel quiet for a day is looked at this often.
	slowPollMillis = 60_000
)

const (
	hourMillis = 60 * 60 * 1000
	dayMillis  = 24 * hourMillis
)

// PollViews applies the views of the watched channels due this poll. It
// returns how many reads it recorded. Callers run it on one server at a time.
func (s *Service) PollViews() (int, error) {
	now := s.nowMillis()
	watched, err := s.store.Watched(now - WatchDays*dayMillis)
	if err != nil {
		return 0, errors.Wrap(err, "failed to load watched channels")
	}
	sum, moved := s.totalMoved(watched)
	if !moved {
		return 0, nil
	}
	digests, haveDigests, err := s.viewDigests(watched)
	if err != nil {
		s.log.Warn("failed to sum up channel views; looking at every channel", "err", err.Error())
	}
	allKnown := haveDigests
	s.views.mu.Lock()
	start := s.views.next
	s.views.forgetUnwatched(watched)
	s.views.mu.Unlock()
	total, pages := 0, 0
	for n := range watched {
		i := (start + n) % len(watched)
		ch := watched[i]
		if pages >= maxListsAPoll {
			s.views.mu.Lock()
			s.views.next = i
			s.views.mu.Unlock()
			allKnown = false
			break
		}
		digest, ok := digests[ch.ID]
		if now-ch.At <= dayMillis || s.views.dueSlowPoll(ch.ID, now) {
			got, used, err := s.pollChannel(ch.ID, digest, ok && haveDigests)
			total += got
			pages += used
			if err != nil {
				s.log.Warn("failed to apply channel views", "channel_id", ch.ID, "err", err.Error())
			}
		}
		allKnown = allKnown && ok && s.views.sameDigest(ch.ID, digest)
	}
	s.rememberTotal(sum, allKnown)
	return total, nil
}

// watchedTotal is the one-row digest of every watched channel, and which
// channels those are.
type watchedTotal struct {
	digest ViewDigest
	ids    string
	ok     bool
}

// totalMoved takes the one-row digest of the watched channels and reports
// whether anything may have moved since a poll after which every one of them
// was known to need nothing; when not, a poll costs that query and the
// watched list, however many channels are watched.
func (s *Service) totalMoved(watched []WatchedChannel) (watchedTotal, bool) {
	digest, ok, err := s.mm.ViewsTotal(watchedIDs(watched))
	sum := watchedTotal{digest: digest, ids: idsKey(watched), ok: ok && err == nil}
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	return sum, !sum.ok || !s.views.allKnown || s.views.total != sum
}

// rememberTotal keeps the total taken before this poll, and whether the poll
// found every watched channel known to need nothing.
func (s *Service) rememberTotal(sum watchedTotal, allKnown bool) {
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	s.views.total, s.views.allKnown = sum, allKnown && sum.ok
}

func watchedIDs(watched []WatchedChannel) []string {
	ids := make([]string, len(watched))
	for i, ch := range watched {
		ids[i] = ch.ID
	}
	return ids
}

// idsKey names a watched list (sorted by id) in a comparable way.
func idsKey(watched []WatchedChannel) string {
	h := sha256.New()
	for _, ch := range watched {
		h.Write([]byte(ch.ID))
	}
	return string(h.Sum(nil))
}

// viewDigests sums up the views of the watched channels in one query.
func (s *Service) viewDigests(watched []WatchedChannel) (map[string]ViewDigest, bool, error) {
	ids := watchedIDs(watched)
	if len(ids) == 0 {
		return nil, false, nil
	}
	d, ok, err := s.mm.ViewDigests(ids)
	return d, ok && err == nil, err
}

// pollChannel applies a channel's views unless everyone had already viewed
// its newest tracked post, or no view moved since every view was applied. It
// returns the reads recorded and the membership lists read. A member whose
// view fails does not hold up the others. Whether the channel settled, and
// the digest at which every view was applied, are kept in the KV (ViewState),
// so whichever server polls next passes over such a channel too. Which member
// views were applied is kept in memory only: a server without it applies a
// moved channel's views again, which costs a watermark read per member and
// records nothing twice.
func (s *Service) pollChannel(channelID string, digest ViewDigest, haveDigest bool) (int, int, error) {
	// No view moved and no post was made since every view was applied: the
	// channel costs nothing, not even its index.
	if haveDigest && s.views.sameDigest(channelID, digest) {
		return 0, 0, nil
	}
	idx, err := s.store.ChannelIndex(channelID)
	if err != nil {
		return 0, 0, errors.Wrap(err, "failed to load channel index")
	}
	if idx == nil || len(idx.Tail) == 0 {
		// Nothing tracked here (any more): nothing to apply at this digest.
		s.views.markDigestIfKnown(channelID, markOf(digest, haveDigest, 0))
		return 0, 0, nil
	}
	size := idx.Chunks*ChunkSize + len(idx.Tail) // changes with every newly indexed post
	mark := markOf(digest, haveDigest, size)
	p, err := s.startPoll(channelID, idx, size, mark)

	if err != nil || p == nil {
		return 0, 0, err
	}
	lists, err := s.pollMembers(p)
	if err != nil {
		return p.total, lists, err
	}
	state := ViewState{Version: FormatVersion}
	if p.settles && p.firstErr == nil {
		s.views.markSettled(channelID, size)
		state.Settled = size
	}
	if mark != nil && p.firstErr == nil && !p.pending {
		s.views.markDigest(channelID, *mark)
		state.Applied = *mark
	}
	if err := s.saveViewState(channelID, state); err != nil {
		return p.total, lists, err
	}
	return p.total, lists, p.firstErr
}

// markOf is the mark of a digest at an index size, nil without a digest.
func markOf(digest ViewDigest, haveDigest bool, size int) *ViewMark {
	if !haveDigest {
		return nil
	}
	return &ViewMark{Members: digest.Members, Sum: digest.Sum, LastPostAt: digest.LastPostAt, Size: size}
}

// startPoll returns the poll of a channel, or nil when there is nothing to
// do: it is settled at this index size, or every view was applied at this
// digest (known here, or from the KV when another server found it).
func (s *Service) startPoll(channelID string, idx *ChannelIndex, size int, mark *ViewMark) (*channelPoll, error) {
	if s.views.isSettled(channelID, size) {
		s.views.markDigestIfKnown(channelID, mark)
		return nil, nil
	}
	state, err := s.store.ViewState(channelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to load view state")
	}
	switch {
	case state.Settled == size:
		s.views.markSettled(channelID, size)
		s.views.markDigestIfKnown(channelID, mark)
		return nil, nil
	case mark != nil && state.Applied == *mark:
		s.views.markDigest(channelID, *mark)
		return nil, nil
	}
	// Views may have passed posts whose posted hook has not run (or failed).
	if _, err := s.tracker.trackRecent(channelID, ""); err != nil {
		return nil, err
	}
	p := &channelPoll{channelID: channelID, idx: idx}
	if p.pv, err = privacyNow(s.store, s.config()); err != nil {
		return nil, err
	}
	// Settled means every view was applied past the newest post: not while
	// that post may still be on its way into the store, nor while a member's
	// view is skipped by the privacy rule (they may turn receipts on, or view
	// again after having turned them on).
	p.newest = idx.Newest
	for _, e := range idx.Tail { // indexes written before Newest existed
		p.newest = max(p.newest, e.CreateAt)
	}
	p.settles = p.newest < s.nowMillis()-indexMarginMillis
	return p, nil
}

// channelPoll is one poll of one channel.
type channelPoll struct {
	channelID string
	idx       *ChannelIndex
	pv        privacy
	newest    int64
	settles   bool
	pending   bool // a view must be looked at again
	total     int
	firstErr  error
}

// pollMembers reads the channel's memberships and applies the views that
// moved. It returns the membership lists read.
func (s *Service) pollMembers(p *channelPoll) (int, error) {
	views, err := s.mm.ChannelViews(p.channelID)
	if err != nil {
		return 1, errors.Wrap(err, "failed to list channel memberships")
	}
	seen := s.views.seenViews(p.channelID)
	for _, v := range views {
		p.settles = p.settles && v.LastViewedAt >= p.newest && p.pv.sendsAt(v.UserID, v.LastViewedAt)
		if v.LastViewedAt <= seen[v.UserID] {
			continue
		}
		n, done, err := s.applyView(p, v)
		p.total += n
		p.pending = p.pending || !done
		if done {
			s.views.markViewSeen(p.channelID, v)
		}
		if err != nil && p.firstErr == nil {
			p.firstErr = err
		}
	}
	return 1, nil
}

// applyView applies one member's view. done reports that it need not be
// looked at again: a view this recent may have passed a post that is not
// indexed yet, so it is looked at again until it is older than the margin.
func (s *Service) applyView(p *channelPoll, v View) (int, bool, error) {
	at := v.LastViewedAt
	n, err := s.recorder.readConversationIn(p.idx, p.pv, v.UserID, p.channelID, at, at)
	return n, err == nil && at < s.nowMillis()-indexMarginMillis, err
}

// saveViewState stores what the poll found, unless it is what is stored.
func (s *Service) saveViewState(channelID string, state ViewState) error {
	err := s.store.UpdateViewState(channelID, func(vs *ViewState) error {
		if vs.Settled == state.Settled && vs.Applied == state.Applied {
			return ErrNoChange
		}
		*vs = state
		return nil
	})
	return errors.Wrap(err, "failed to save view state")
}
