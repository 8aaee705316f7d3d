package receipts

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/rounds"
)

// roundGather is how long a round of a channel's posted hooks that follows
// another round waits for more of the burst before it starts (see
// rounds.Queue.Gather): a round costs about the same statements and round
// trips for one post as for ten. Posts that come one at a time are never
// held. Measured on a burst of 200 posts, 4 at a time (about 0.3 s): about
// 33 rounds with 3 ms, 16 with 12 ms, 11 with 20 ms, 5-9 with 50 ms. A post
// of a burst is tracked at most this much later than its round would have
// started (a read or query before that tracks it itself): far below what
// anyone notices of a receipt, which needs a second on screen.
const roundGather = 50 * time.Millisecond

// snapshotRefresh is how often a reused snapshot's LastUsed is refreshed;
// retention only deletes snapshots unused for longer than twice this.
const snapshotRefreshMillis = 24 * 60 * 60 * 1000

// tracker makes posts tracked: from the posted hook, or late, when a read,
// query, implied read or the views job finds a recent post that its hook has
// not reached yet. It holds only what tracking uses.
type tracker struct {
	store interface {
		NewPostState(channelID string, marks []Mark) (NewPostState, error)
		ChannelIndex(channelID string) (*ChannelIndex, error)
		UpdateChannelIndex(channelID string, fn func(idx *ChannelIndex) error) error
		WriteIndexChunk(channelID, gen string, k int, entries []IndexEntry) error
		InsertPosts(postIDs []string, recs []*PostRecord) (map[string]bool, error)
		ChannelSetting(channelID string) (*ChannelSetting, error)
		OptOuts() (*OptOuts, error)
	}
	mm interface {
		Channel(channelID string) (*Channel, error)
		MemberCount(channelID string) (int, error)
		PostsSince(channelID string, since int64, except string) ([]Post, error)
	}
	config func() config.Config
	now    func() int64
	log    Logger

	records        *postRecords
	snapshots      *recipientSnapshots
	recipientLists recipientsMemo
	present        func(channelID string) (map[string]Member, error)
	watching       *watchList
	catchUp        catchUp
	indexLocks     stripedLocks
	rounds         rounds.Keyed[Post] // of each channel's new posts
	// readBefore records the author's implied reads of a new post once the
	// channel's recent posts are tracked (the recorder's readBeforeCaughtUp).
	readBefore func(pv privacy, userID string, p Post, at int64, idx *ChannelIndex, from int64) error
}

// postCreated handles a new post: if it asks for receipts it becomes tracked
// with its recipients, and in any case its author has now read what came
// before it in the channel or thread. The channel's posts whose hooks run at
// the same time go together in rounds (track_round.go).
func (t *tracker) postCreated(p Post) {
	if isSystemPost(p) {
		return
	}
	t.rounds.Do(p.ChannelID, p, t.postsCreated)
}

func isSystemPost(p Post) bool {
	return strings.HasPrefix(p.Type, "system_") || p.FromWebhook
}

// asksForReceipts applies the request mode and the post's own choice.
func asksForReceipts(p Post, mode string) bool {
	if p.ReadReceipt != nil {
		return *p.ReadReceipt
	}
	return mode == config.RequestAll
}

// track makes the post tracked if it asks for receipts, and returns its
// record (nil when it is not tracked). The posted hook and the first read,
// query or implied read that finds the post untracked may both get here:
// indexing skips a post already in the index tail, and only the first insert
// of the record counts; the other returns the stored record.
func (t *tracker) track(p Post, cfg config.Config, pv privacy, setting settingSource) (*PostRecord, error) {
	tp, err := t.prepare(p, cfg, pv, setting, t.mm)
	if err != nil || tp == nil {
		return nil, err
	}
	recs, errs := t.write(p.ChannelID, []*toTrack{tp})
	return recs[p.ID], errs[p.ID]
}

// toTrack is a post about to be tracked: its record and its index entry.
type toTrack struct {
	post  Post
	rec   *PostRecord
	entry IndexEntry
}

// channelFacts is what tracking asks Mattermost about a channel.
type channelFacts interface {
	Channel(channelID string) (*Channel, error)
	MemberCount(channelID string) (int, error)
}

// prepare decides whether the post is to be tracked (nil when not) and
// makes its record.
func (t *tracker) prepare(p Post, cfg config.Config, pv privacy, setting settingSource, facts channelFacts) (*toTrack, error) {
	if !asksForReceipts(p, cfg.RequestMode) {
		return nil, nil
	}
	ch, err := facts.Channel(p.ChannelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to get channel")
	}
	settings, err := channelSettingsAt(facts, ch, cfg, p.CreateAt, setting)
	if err != nil || !settings.Enabled {
		return nil, err
	}
	snapID, snap, err := t.recipientSnapshot(p.ChannelID, pv)
	if err != nil || recipientCount(snap, p.UserID) == 0 {
		return nil, err
	}
	rec := &PostRecord{Version: FormatVersion, ChannelID: p.ChannelID, ChannelType: ch.Type, AuthorID: p.UserID,
		RootID: p.RootID, CreateAt: p.CreateAt, Snapshot: snapID, Readers: NewBitmap(len(snap.Users))}
	entry := IndexEntry{PostID: p.ID, CreateAt: p.CreateAt, AuthorID: p.UserID, RootID: p.RootID, IndexedAt: t.now()}
	return &toTrack{post: p, rec: rec, entry: entry}, nil
}

// write tracks prepared posts of one channel and returns their records (the
// stored one where another writer tracked the post first). Index first, one
// update for all: an index entry without a record is skipped by readers,
// while a record missing from the index would never get conversation-level
// reads.
func (t *tracker) write(channelID string, posts []*toTrack) (map[string]*PostRecord, map[string]error) {
	recs, errs := map[string]*PostRecord{}, map[string]error{}
	entries := make([]IndexEntry, len(posts))
	for i, tp := range posts {
		entries[i] = tp.entry
	}
	if err := t.indexPosts(channelID, entries); err != nil {
		for _, tp := range posts {
			errs[tp.post.ID] = err
		}
		return recs, errs
	}
	ids := make([]string, len(posts))
	toInsert := make([]*PostRecord, len(posts))
	for i, tp := range posts {
		ids[i], toInsert[i] = tp.post.ID, tp.rec
	}
	inserted, err := t.store.InsertPosts(ids, toInsert)
	for _, tp := range posts {
		id := tp.post.ID
		switch {
		case inserted[id]:
			recs[id] = tp.rec
		case err != nil:
			errs[id] = errors.Wrap(err, "failed to store tracked post")
		default: // another writer tracked it first
			recs[id], errs[id] = t.records.post(id)
			errs[id] = errors.Wrap(errs[id], "failed to load tracked post")
		}
	}
	if len(inserted) > 0 || err == nil {
		t.watching.add(channelID)
	}
	return recs, errs
}

// lateTrackMillis is how old a post may be and still be tracked by the
// first read or query that finds it untracked: far longer than the posted
// hook takes, even on a loaded server, and short enough that posts from
// before the plugin ran are not taken for new ones.
const lateTrackMillis = 15 * 60 * 1000

// trackLate tracks a recent post that asks for receipts when a read, query
// or implied read finds it before its posted hook did.
func (t *tracker) trackLate(p Post) (*PostRecord, error) {
	if !t.lateTrackable(p) {
		return nil, nil
	}
	cfg := t.config()
	pv, err := privacyNow(t.store, cfg)
	if err != nil {
		return nil, err
	}
	return t.track(p, cfg, pv, t.store.ChannelSetting)
}

// lateTrackable reports whether a post found untracked may be tracked now:
// a user's post recent enough that its hook may not have run yet.
func (t *tracker) lateTrackable(p Post) bool {
	return !isSystemPost(p) && t.now()-p.CreateAt <= lateTrackMillis
}

// recipientSnapshot computes who could receive receipts in the channel now
// and stores it once per distinct set.
func (t *tracker) recipientSnapshot(channelID string, pv privacy) (string, *Snapshot, error) {
	present, err := t.present(channelID)
	if err != nil {
		return "", nil, err
	}
	id, users := t.recipientLists.recipients(channelID, present, pv)
	now := t.now()
	if cached, ok := t.snapshots.cached(id); ok && now-cached.LastUsed < snapshotRefreshMillis {
		return id, cached, nil
	}
	snap := &Snapshot{Version: FormatVersion, Users: users, LastUsed: now}
	if err := t.snapshots.save(channelID, id, snap); err != nil {
		return "", nil, err
	}
	return id, snap, nil
}

// snapshotID names a snapshot by its content, so equal sets share one record.
func snapshotID(sortedUsers []string) string {
	h := sha256.New()
	for _, u := range sortedUsers {
		h.Write([]byte(u))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// recipientIndex returns the user's position in the snapshot, or -1.
func recipientIndex(snap *Snapshot, userID string) int {
	i := sort.SearchStrings(snap.Users, userID)
	if i < len(snap.Users) && snap.Users[i] == userID {
		return i
	}
	return -1
}

func recipientCount(snap *Snapshot, authorID string) int {
	if recipientIndex(snap, authorID) >= 0 {
		return len(snap.Users) - 1
	}
	return len(snap.Users)
}
