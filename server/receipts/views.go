package receipts

import (
	"crypto/sha256"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
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

// viewsPoller is the views job, with only what it uses: the store's watch
// list, indexes and view states, Mattermost's views, and what this server
// remembers (viewState).
type viewsPoller struct {
	store interface {
		optOutReader
		Watched(since int64) ([]WatchedChannel, error)
		ChannelIndex(channelID string) (*ChannelIndex, error)
		ViewState(channelID string) (*ViewState, error)
		UpdateViewState(channelID string, fn func(*ViewState) error) error
	}
	mm interface {
		ViewsTotal(channelIDs []string) (total ViewDigest, ok bool, err error)
		ViewDigests(channelIDs []string) (digests map[string]ViewDigest, ok bool, err error)
		ChannelViews(channelID string) ([]View, error)
	}
	config func() config.Config
	now    func() int64
	log    Logger
	state  *viewState
	// trackRecent is the tracker's: views may pass posts whose hook has not run.
	trackRecent func(channelID, reader string) (int, error)
	// readConversation applies one member's view (the recorder's readConversationIn).
	readConversation func(idx *ChannelIndex, pv privacy, userID, channelID string, until, at int64) (int, error)
}

// poll applies the views of the watched channels due this poll. It returns
// how many reads it recorded. Callers run it on one server at a time.
func (vp *viewsPoller) poll() (int, error) {
	now := vp.now()
	watched, err := vp.store.Watched(now - WatchDays*dayMillis)
	if err != nil {
		return 0, errors.Wrap(err, "failed to load watched channels")
	}
	sum, moved := vp.totalMoved(watched)
	if !moved {
		return 0, nil
	}
	digests, haveDigests, err := vp.viewDigests(watched)
	if err != nil {
		vp.log.Warn("failed to sum up channel views; looking at every channel", "err", err.Error())
	}
	allKnown := haveDigests
	vp.state.mu.Lock()
	start := vp.state.next
	vp.state.forgetUnwatched(watched)
	vp.state.mu.Unlock()
	total, pages := 0, 0
	for n := range watched {
		i := (start + n) % len(watched)
		ch := watched[i]
		if pages >= maxListsAPoll {
			vp.state.mu.Lock()
			vp.state.next = i
			vp.state.mu.Unlock()
			allKnown = false
			break
		}
		digest, ok := digests[ch.ID]
		if now-ch.At <= dayMillis || vp.state.dueSlowPoll(ch.ID, now) {
			got, used, err := vp.pollChannel(ch.ID, digest, ok && haveDigests)
			total += got
			pages += used
			if err != nil {
				vp.log.Warn("failed to apply channel views", "channel_id", ch.ID, "err", err.Error())
			}
		}
		allKnown = allKnown && ok && vp.state.sameDigest(ch.ID, digest)
	}
	vp.rememberTotal(sum, allKnown)
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
func (vp *viewsPoller) totalMoved(watched []WatchedChannel) (watchedTotal, bool) {
	digest, ok, err := vp.mm.ViewsTotal(watchedIDs(watched))
	sum := watchedTotal{digest: digest, ids: idsKey(watched), ok: ok && err == nil}
	vp.state.mu.Lock()
	defer vp.state.mu.Unlock()
	return sum, !sum.ok || !vp.state.allKnown || vp.state.total != sum
}

// rememberTotal keeps the total taken before this poll, and whether the poll
// found every watched channel known to need nothing.
func (vp *viewsPoller) rememberTotal(sum watchedTotal, allKnown bool) {
	vp.state.mu.Lock()
	defer vp.state.mu.Unlock()
	vp.state.total, vp.state.allKnown = sum, allKnown && sum.ok
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
func (vp *viewsPoller) viewDigests(watched []WatchedChannel) (map[string]ViewDigest, bool, error) {
	ids := watchedIDs(watched)
	if len(ids) == 0 {
		return nil, false, nil
	}
	d, ok, err := vp.mm.ViewDigests(ids)
	return d, ok && err == nil, err
}
