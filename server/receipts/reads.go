package receipts

import (
	"slices"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// indexMarginMillis widens conversation-level walks below the watermark: a
// post may be indexed a moment after a later view was applied.
const indexMarginMillis = 10_000

// recorder records reads: a batch from the webapp, and the conversation-level
// reads of a channel read, a view, posting, replying and reacting. Every read
// goes through readToWrite (the one privacy rule) and the group commit.
type recorder struct {
	store interface {
		batchStore
		indexChunks
		ChannelIndex(channelID string) (*ChannelIndex, error)
		Watermark(channelID, userID string) (int64, error)
		RaiseWatermark(channelID, userID string, until int64) error
		RememberedBatch(postIDs []string) (Remembered, bool)
	}
	mm interface {
		channelAccess
		channelViewer
		Post(postID string) (*Post, error)
	}
	config func() config.Config
	now    func() int64
	log    Logger

	records   *postRecords
	commits   *committer
	visible   *postVisibility
	snapshot  func(id string) (*Snapshot, error)
	expired   func(rec *PostRecord) bool
	feed      readFeed
	markLocks stripedLocks
	// trackLate and trackRecent are the tracker's: a read may reach a post
	// before its posted hook does.
	trackLate   func(p Post) (*PostRecord, error)
	trackRecent func(channelID, reader string) (int, error)
}

// recordReads answers POST /reads for the caller: first what it can decide
// and write on what this server remembers (reads_remembered.go), then the
// rest after reading it.
func (rc *recorder) recordReads(userID string, postIDs []string) (ReadResult, error) {
	res := ReadResult{Recorded: []string{}, Skipped: []Skipped{}}
	ids := unique(postIDs)
	access := newAccessCache(rc.mm, rc.visible.grants, userID)
	access.checkEarly(rc.records.channels.channels(ids, maxEarlyChecks))
	settled := rc.recordRemembered(access, userID, ids)
	rest := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return settled[id] })
	reasons, errs, err := rc.recordStored(access, userID, rest)
	if err != nil {
		res.Recorded = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !settled[id] })
		res.Failed = rest
		return res, err
	}
	var firstErr error
	i := -1 // id's place in rest
	for _, id := range ids {
		if settled[id] {
			res.Recorded = append(res.Recorded, id)
			continue
		}
		i++
		switch {
		case errs[i] != nil:
			rc.log.Warn("failed to record read", "post_id", id, "user_id", userID, "err", errs[i].Error())
			res.Failed = append(res.Failed, id)
			if firstErr == nil {
				firstErr = errs[i]
			}
		case reasons[i] != "":
			res.Skipped = append(res.Skipped, Skipped{PostID: id, Reason: reasons[i]})
		default:
			res.Recorded = append(res.Recorded, id)
		}
	}
	return res, firstErr
}

// recordStored records reads of the posts, decided on their stored records,
// and returns the outcome of each (reasons and errs in the order of ids).
func (rc *recorder) recordStored(access *accessCache, userID string, ids []string) ([]string, []error, error) {
	reasons := make([]string, len(ids))
	errs := make([]error, len(ids))
	if len(ids) == 0 {
		return reasons, errs, nil
	}
	pv, loaded, err := batchState(rc.store, rc.records, rc.config(), ids)
	if err != nil {
		return nil, nil, err
	}
	now := rc.now()
	toWrite := make([]*pendingRead, len(ids))
	recs := make([]*PostRecord, len(ids))
	parallel(len(ids), func(i int) {
		recs[i], toWrite[i], reasons[i], errs[i] = rc.readOne(access, pv, userID, ids[i], loaded, now)
	})
	rc.commits.commit(slices.DeleteFunc(slices.Clone(toWrite), func(r *pendingRead) bool { return r == nil }))
	for i, r := range toWrite {
		if r != nil {
			reasons[i], errs[i] = rc.written(r, recs[i])
		}
	}
	return reasons, errs, nil
}

// readOne checks one post of a batch and returns the read to write, or why
// there is none.
func (rc *recorder) readOne(access *accessCache, pv privacy, userID, postID string, loaded preloaded, at int64) (*PostRecord, *pendingRead, string, error) {
	rec, reason, err := rc.visible.preloaded(loaded, access, postID)
	if err != nil || reason != "" {
		return nil, nil, reason, err
	}
	if rec.AuthorID == userID {
		return nil, nil, ReasonOwnPost, nil
	}
	r, reason, err := rc.readToWrite(postID, rec, pv, userID, at)
	return rec, r, reason, err
}

// recordRead adds userID to the post's readers through the server's group
// commit (see commit.go), so a read is never lost or counted twice. rec is a
// recent copy used to answer cheaply when nothing needs writing. Every read,
// whatever its source, comes through readToWrite, and so through the one
// privacy rule.
func (rc *recorder) recordRead(postID string, rec *PostRecord, pv privacy, userID string, at int64) (string, error) {
	r, reason, err := rc.readToWrite(postID, rec, pv, userID, at)
	if r == nil {
		return reason, err
	}
	rc.commits.commit([]*pendingRead{r})
	return rc.written(r, rec)
}

// readToWrite decides whether a read of the post is to be written, and why not.
func (rc *recorder) readToWrite(postID string, rec *PostRecord, pv privacy, userID string, at int64) (*pendingRead, string, error) {
	if !pv.sendsAt(userID, at) {
		return nil, ReasonDisabled, nil
	}
	snap, err := rc.snapshot(rec.Snapshot)
	if err != nil {
		return nil, "", err
	}
	i := recipientIndex(snap, userID)
	if i < 0 || userID == rec.AuthorID {
		return nil, ReasonNotRecipient, nil
	}
	if rec.Readers.Has(i) {
		return nil, ReasonAlreadyRead, nil
	}
	return &pendingRead{postID: postID, userID: userID, index: i, at: at}, "", nil
}

// written reports what became of a committed read, and hands a recorded one
// to the webhook.
func (rc *recorder) written(r *pendingRead, rec *PostRecord) (string, error) {
	if r.err == nil && r.reason == "" {
		rc.feed.emit(r.postID, rec, r.userID, r.at)
	}
	return r.reason, r.err
}
