package receipts

import (
	"github.com/pkg/errors"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// PostDeleted removes a deleted post's receipts.
func (s *Service) PostDeleted(postID string) {
	if err := s.store.DeletePost(postID); err != nil {
		s.log.Error("failed to delete receipts of deleted post", "post_id", postID, "err", err.Error())
	}
}

// RetentionReport says what a retention run removed.
type RetentionReport struct {
	Posts       int
	Snapshots   int
	IndexChunks int
	Watermarks  int
	// ViewStates counts channels whose views poller state was dropped.
	ViewStates int
	// Orphans counts chunks that nothing pointed to any more (left by a
	// delete that was cut off).
	Orphans int
	// Undecodable counts records that could not be read and were passed over.
	Undecodable int
	// Failed counts records whose clean-up failed this time (tried again next run).
	Failed int
}

// retention is the daily job that deletes what the cutoff has passed, with
// only what it uses.
type retention struct {
	store  Store
	config func() config.Config
	now    func() int64
	log    Logger
}

// RunRetention deletes receipts of posts created more than RetentionDays ago,
// the channel index chunks that only listed them, snapshots unused for
// longer than that and read watermarks older than the cutoff. With
// RetentionDays 0 it only removes chunks that nothing points to.
func (s *Service) RunRetention() (RetentionReport, error) {
	return s.retention.run()
}

// run is RunRetention. Every deletion is decided from the record itself (its
// time, its last use, what its owner points to), never from not having seen
// a reference during the scan: listing a changing keyspace by offset can miss
// keys. A record that fails is logged and counted, and the run goes on.
func (r *retention) run() (RetentionReport, error) {
	var rep RetentionReport
	days := r.config().RetentionDays
	cutoff := int64(0)
	if days > 0 {
		cutoff = r.now() - int64(days)*dayMillis
	}
	watched, err := r.watchedSet()
	if err != nil {
		return rep, err
	}
	var channels []string
	err = r.store.Scan(func(kind, id string) error {
		switch {
		case kind == RecordChannelIndex:
			channels = append(channels, id)
		case kind == RecordViewState:
			r.forgetViews(&rep, id, watched)
		default:
			r.retainOne(&rep, kind, id, cutoff)
		}
		return nil
	})
	if err != nil {
		return rep, errors.Wrap(err, "failed to scan stored receipts")
	}
	if cutoff == 0 {
		return rep, nil
	}
	for _, ch := range channels {
		n, err := r.trimIndex(ch, cutoff)
		rep.IndexChunks += n
		r.countFailure(&rep, RecordChannelIndex, ch, err)
	}
	return rep, nil
}

// retainOne applies retention to one scanned record.
func (r *retention) retainOne(rep *RetentionReport, kind, id string, cutoff int64) {
	var deleted bool
	var err error
	counter := &rep.Orphans
	switch {
	case kind == RecordReadChunk:
		deleted, err = r.store.DeleteOrphanReadChunk(id)
	case kind == RecordIndexChunk:
		deleted, err = r.store.DeleteOrphanIndexChunk(id)
	case cutoff == 0:
		return
	case kind == RecordPost:
		deleted, err = r.expirePost(id, cutoff)
		counter = &rep.Posts
	case kind == RecordSnapshot:
		// A post's snapshot was used when the post was tracked, and a use
		// refreshes LastUsed at least daily: a kept post (created after the
		// cutoff) has a snapshot used after cutoff less a day.
		deleted, err = r.store.DeleteSnapshotIfUnused(id, cutoff-2*snapshotRefreshMillis)
		counter = &rep.Snapshots
	case kind == RecordWatermark:
		// Everything before the cutoff is gone: an older watermark says nothing.
		deleted, err = r.store.DeleteWatermarkBefore(id, cutoff)
		counter = &rep.Watermarks
	}
	if deleted {
		*counter++
	}
	r.countFailure(rep, kind, id, err)
}

func (r *retention) countFailure(rep *RetentionReport, kind, id string, err error) {
	switch {
	case err == nil:
		return
	case errors.Is(err, ErrUndecodable):
		rep.Undecodable++
	default:
		rep.Failed++
	}
	r.log.Warn("retention passed over a record", "kind", kind, "id", id, "err", err.Error())
}

// watchedSet is the channels whose views are polled now.
func (r *retention) watchedSet() (map[string]bool, error) {
	watched, err := r.store.Watched(r.now() - WatchDays*dayMillis)
	if err != nil {
		return nil, errors.Wrap(err, "failed to load watched channels")
	}
	set := make(map[string]bool, len(watched))
	for _, ch := range watched {
		set[ch.ID] = true
	}
	return set, nil
}

// forgetViews deletes the views poller's state of a channel no longer
// watched (no tracked post for WatchDays). Should the channel be watched again
// meanwhile, the poller starts it over: that costs a poll, not a read.
func (r *retention) forgetViews(rep *RetentionReport, channelID string, watched map[string]bool) {
	if watched[channelID] {
		return
	}
	err := r.store.DeleteViewState(channelID)
	if err == nil {
		rep.ViewStates++
	}
	r.countFailure(rep, RecordViewState, channelID, err)
}

// expirePost deletes a post's receipts if it was created before the cutoff.
func (r *retention) expirePost(postID string, cutoff int64) (bool, error) {
	rec, err := r.store.Post(postID)
	if err != nil || rec == nil || rec.CreateAt >= cutoff {
		return false, err
	}
	return true, r.store.DeletePost(postID)
}

// expired reports whether retention deletes the post's receipts: until it
// does, they are answered as gone already.
func (r *retention) expired(rec *PostRecord) bool {
	days := r.config().RetentionDays
	return days > 0 && rec.CreateAt < r.now()-int64(days)*dayMillis
}

// trimIndex drops leading index chunks whose posts are all older than cutoff.
func (r *retention) trimIndex(channelID string, cutoff int64) (int, error) {
	idx, err := r.store.ChannelIndex(channelID)
	if err != nil || idx == nil {
		return 0, err
	}
	first := idx.First
	for ; first < idx.Chunks; first++ {
		chunk, err := r.store.IndexChunk(channelID, idx.Gen, first)
		if err != nil {
			return 0, err
		}
		if len(chunk) > 0 && chunk[len(chunk)-1].CreateAt >= cutoff {
			break
		}
	}
	if first == idx.First {
		return 0, nil
	}
	err = r.store.UpdateChannelIndex(channelID, func(cur *ChannelIndex) error {
		if cur.First >= first {
			return ErrNoChange
		}
		cur.First = first
		return nil
	})
	if err != nil {
		return 0, errors.Wrap(err, "failed to trim channel index")
	}
	for k := idx.First; k < first; k++ {
		if err := r.store.DeleteIndexChunk(channelID, k); err != nil {
			return k - idx.First, err
		}
	}
	return first - idx.First, nil
}
