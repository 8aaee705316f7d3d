package receipts

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// snapshotRefresh is how often a reused snapshot's LastUsed is refreshed;
// retention only deletes snapshots unused for longer than twice this.
const snapshotRefreshMillis = 24 * 60 * 60 * 1000

// tracker makes posts tracked: from the posted hook, or late, when a read,
// query, implied read or the views job finds a recent post that its hook has
// not reached yet. It holds only what tracking uses.
type tracker struct {
	store interface {
		NewPostState(channelID, markID, userID string) (NewPostState, error)
		ChannelIndex(channelID string) (*ChannelIndex, error)
		UpdateChannelIndex(channelID string, fn func(idx *ChannelIndex) error) error
		WriteIndexChunk(channelID string, k int, entries []IndexEntry) error
		InsertPost(postID string, rec *PostRecord) (bool, error)
		ChannelSetting(channelID string) (*ChannelSetting, error)
		OptOuts() (*OptOuts, error)
	}
	mm interface {
		Channel(channelID string) (*Channel, error)
		MemberCount(channelID string) (int, error)
		PostsSince(channelID string, since int64) ([]Post, error)
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
	// readBefore records the author's implied reads of a new post (the
	// recorder's readBeforeWith).
	readBefore func(pv privacy, userID string, p Post, at int64, idx *ChannelIndex, from int64) error
}

// postCreated handles a new post: if it asks for receipts it becomes tracked
// with its recipients, and in any case its author has now read what came
// before it in the channel or thread.
func (t *tracker) postCreated(p Post) {
	if isSystemPost(p) {
		return
	}
	cfg := t.config()
	st, err := t.store.NewPostState(p.ChannelID, conversationOf(p).markID, p.UserID)
	if err != nil {
		t.log.Error("failed to load what a new post needs", "post_id", p.ID, "err", err.Error())
		return
	}
	pv := privacyFrom(cfg, st.OptOuts)
	setting := func(string) (*ChannelSetting, error) { return st.Setting, nil }
	rec, err := t.track(p, cfg, pv, setting)
	if err != nil {
		t.log.Error("failed to track post", "post_id", p.ID, "err", err.Error())
	}
	if rec != nil {
		t.catchUp.saw(p.ChannelID, p.ID, p.CreateAt)
	}
	if rec != nil && st.Index == nil { // the channel's first tracked post, unless another server's came with it
		if st.Index, err = t.store.ChannelIndex(p.ChannelID); err != nil {
			t.log.Warn("failed to load channel index", "post_id", p.ID, "err", err.Error())
			return
		}
	}
	if err := t.readBefore(pv, p.UserID, p, p.CreateAt, st.Index, st.Watermark); err != nil {
		t.log.Warn("failed to record implied reads", "post_id", p.ID, "user_id", p.UserID, "err", err.Error())
	}
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
	if !asksForReceipts(p, cfg.RequestMode) {
		return nil, nil
	}
	ch, err := t.mm.Channel(p.ChannelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to get channel")
	}
	settings, err := channelSettingsAt(t.mm, ch, cfg, p.CreateAt, setting)
	if err != nil || !settings.Enabled {
		return nil, err
	}
	snapID, snap, err := t.recipientSnapshot(p.ChannelID, pv)
	if err != nil || recipientCount(snap, p.UserID) == 0 {
		return nil, err
	}
	rec := &PostRecord{Version: FormatVersion, ChannelID: p.ChannelID, ChannelType: ch.Type, AuthorID: p.UserID,
		RootID: p.RootID, CreateAt: p.CreateAt, Snapshot: snapID, Readers: NewBitmap(len(snap.Users))}
	// Index first: an index entry without a record is skipped by readers, while
	// a record missing from the index would never get conversation-level reads.
	entry := IndexEntry{PostID: p.ID, CreateAt: p.CreateAt, AuthorID: p.UserID, RootID: p.RootID, IndexedAt: t.now()}
	if err = t.indexPost(p.ChannelID, entry); err != nil {
		return nil, err
	}
	inserted, err := t.store.InsertPost(p.ID, rec)
	if err != nil {
		return nil, errors.Wrap(err, "failed to store tracked post")
	}
	t.watching.add(p.ChannelID)
	if !inserted {
		rec, err = t.records.post(p.ID)
		return rec, errors.Wrap(err, "failed to load tracked post")
	}
	return rec, nil
}

// lateTrackMillis is how old a post may be and still be tracked by the
// first read or query that finds it untracked: far longer than the posted
// hook takes, even on a loaded server, and short enough that posts from
// before the plugin ran are not taken for new ones.
const lateTrackMillis = 15 * 60 * 1000

// trackLate tracks a recent post that asks for receipts when a read, query
// or implied read finds it before its posted hook did.
func (t *tracker) trackLate(p Post) (*PostRecord, error) {
	if isSystemPost(p) || t.now()-p.CreateAt > lateTrackMillis {
		return nil, nil
	}
	cfg := t.config()
	pv, err := privacyNow(t.store, cfg)
	if err != nil {
		return nil, err
	}
	return t.track(p, cfg, pv, t.store.ChannelSetting)
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

// indexPost appends a tracked post to its channel's index. Posts of one
// channel are indexed one at a time on a server, so that concurrent posts
// conflict only with other servers' (and each update starts from the index
// this server wrote last).
func (t *tracker) indexPost(channelID string, e IndexEntry) error {
	unlock := t.indexLocks.lock(channelID)
	defer unlock()
	err := t.store.UpdateChannelIndex(channelID, func(idx *ChannelIndex) error {
		idx.Version = FormatVersion
		for _, t := range idx.Tail {
			if t.PostID == e.PostID {
				return ErrNoChange // tracked twice at once (the hook and a read)
			}
		}
		if len(idx.Tail) >= ChunkSize {
			if err := t.store.WriteIndexChunk(channelID, idx.Chunks, idx.Tail); err != nil {
				return err
			}
			idx.Chunks++
			idx.Tail = nil
		}
		idx.Tail = append(idx.Tail, e)
		idx.Newest = max(idx.Newest, e.CreateAt)
		return nil
	})
	return errors.Wrap(err, "failed to index tracked post")
}
