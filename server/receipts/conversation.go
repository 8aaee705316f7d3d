package receipts

import "github.com/pkg/errors"

// Conversation-level reads: a channel read, a view applied by the views job,
// and the implied reads of posting and replying read every tracked post of a
// channel (or thread) up to a time, walking only what was indexed since the
// user's watermark there.

// markChannelRead answers POST /channels/{id}/read: every tracked post in the
// channel created at or before until (now when negative) is read by the caller.
func (rc *recorder) markChannelRead(userID, channelID string, until int64) (int, error) {
	now := rc.now()
	if until > now {
		return 0, Invalid("invalid_until", "until must not be in the future")
	}
	if until < 0 {
		until = now
	}
	if _, err := visibleChannel(rc.mm, userID, channelID); err != nil {
		return 0, err
	}
	if _, err := rc.trackRecent(channelID, userID); err != nil {
		return 0, err
	}
	return rc.readConversation(userID, channelID, until, now)
}

// readConversation applies a conversation-level read made at time at:
// tracked posts in the channel created after the user's watermark (less a
// margin) and at or before until.
func (rc *recorder) readConversation(userID, channelID string, until, at int64) (int, error) {
	idx, pv, err := rc.conversationState(channelID)
	if err != nil || idx == nil {
		return 0, err
	}
	return rc.readConversationIn(idx, pv, userID, channelID, until, at)
}

// conversationState loads what a conversation-level read needs: the
// channel's index (nil when it never had a tracked post: every post of the
// server comes through here, and such a channel costs one read) and the
// privacy choices.
func (rc *recorder) conversationState(channelID string) (*ChannelIndex, privacy, error) {
	idx, err := rc.store.ChannelIndex(channelID)
	if err != nil || idx == nil {
		return nil, privacy{}, errors.Wrap(err, "failed to load channel index")
	}
	pv, err := privacyNow(rc.store, rc.config())
	return idx, pv, err
}

// readConversationIn is readConversation with the channel's index and the
// privacy choices already loaded (the views job loads them once a poll).
func (rc *recorder) readConversationIn(idx *ChannelIndex, pv privacy, userID, channelID string, until, at int64) (int, error) {
	if !pv.sendsAt(userID, at) { // refused: not even the watermark is read
		return 0, nil
	}
	from, err := rc.store.Watermark(channelID, userID)
	if err != nil {
		return 0, errors.Wrap(err, "failed to load read watermark")
	}
	return rc.readFrom(idx, pv, userID, conversation{channelID: channelID, markID: channelID}, from, until, at)
}

// readFrom is a conversation-level read from the user's watermark from up to
// until. A read the privacy rule refuses leaves the watermark where it was,
// so that a later one, once allowed, still reads these posts.
func (rc *recorder) readFrom(idx *ChannelIndex, pv privacy, userID string, c conversation, from, until, at int64) (int, error) {
	if !pv.sendsAt(userID, at) || until <= from {
		return 0, nil // refused, or everything up to until was applied before
	}
	return rc.readSince(idx, pv, userID, c, from, until, at)
}

// conversation is where a conversation-level read applies: a channel, or a
// thread of it (rootID set). Its watermarks are kept under markID: the
// channel's id, or the thread root's.
type conversation struct {
	channelID, markID, rootID string
}

// conversationOf is the conversation a post's implied read applies to: its
// thread for a reply, its channel for a root post.
func conversationOf(p Post) conversation {
	if p.RootID != "" {
		return conversation{channelID: p.ChannelID, markID: p.RootID, rootID: p.RootID}
	}
	return conversation{channelID: p.ChannelID, markID: p.ChannelID}
}

// skips reports whether a walk passes over an index entry without loading
// its post: the user's own posts (so a burst of posts stays O(N)), and in a
// thread the posts known to be outside it.
func (c conversation) skips(e IndexEntry, userID string) bool {
	return e.AuthorID == userID || (c.rootID != "" && e.known() && !inThread(e, c.rootID))
}

// watermarkSlackMillis is how far behind a watermark may stay when a walk
// found nothing to read: an author's burst of posts walks only their own
// posts (kept in memory, see store/chunks.go), and writing the watermark at
// each round cost a statement.
const watermarkSlackMillis = 60_000

// readSince records, as the user's read at time at, the conversation's
// tracked posts indexed since the watermark from (less a margin) and created
// at or before until, then raises the watermark. It returns the reads
// recorded. The posts are read at once and their reads committed at once.
func (rc *recorder) readSince(idx *ChannelIndex, pv privacy, userID string, c conversation, from, until, at int64) (int, error) {
	var ids []string
	err := walkIndex(rc.store, c.channelID, idx, from-indexMarginMillis, func(e IndexEntry) error {
		if e.CreateAt <= until && !c.skips(e, userID) {
			ids = append(ids, e.PostID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n, err := rc.readPosts(pv, userID, c.rootID, ids, at)
	if err != nil {
		return n, err
	}
	// Posts are indexed a moment after they are created, so the watermark
	// stays a margin behind now: a repeat soon after walks the recent posts again.
	safe := min(until, rc.now()-indexMarginMillis)
	if len(ids) == 0 && safe-from < watermarkSlackMillis {
		return 0, nil // nothing of others' since: the walk stays short unwritten
	}
	unlock := rc.markLocks.lock(c.markID + userID) // one raise at a time per watermark on a server
	defer unlock()
	return n, errors.Wrap(rc.store.RaiseWatermark(c.markID, userID, safe), "failed to save read watermark")
}

// readPosts records the user's reads of indexed posts (those of the thread
// rootID, when set; index entries written before they carried the root do
// not say) and returns how many it recorded.
func (rc *recorder) readPosts(pv privacy, userID, rootID string, ids []string, at int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	loaded := rc.records.preload(ids)
	var toWrite []*pendingRead
	recs := map[string]*PostRecord{}
	for _, id := range ids {
		rec, err := loaded.record(rc.records, id)
		if err != nil {
			return 0, errors.Wrap(err, "failed to load tracked post")
		}
		if rec == nil || rootID != "" && id != rootID && rec.RootID != rootID ||
			rec.AuthorID == userID || rc.expired(rec) {
			continue // deleted, outside the thread, the user's own, or expired
		}
		r, _, err := rc.readToWrite(id, rec, pv, userID, at)
		if err != nil {
			return 0, err
		}
		if r != nil {
			toWrite, recs[id] = append(toWrite, r), rec
		}
	}
	rc.commits.commit(toWrite)
	n := 0
	var firstErr error
	for _, r := range toWrite {
		reason, err := rc.written(r, recs[r.postID])
		if err == nil && reason == "" {
			n++
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return n, firstErr
}

func (rc *recorder) readRecord(pv privacy, userID, postID string, rec *PostRecord, at int64) (bool, error) {
	if rec == nil || rec.AuthorID == userID || rc.expired(rec) {
		return false, nil // deleted or expired; or the user's own
	}
	reason, err := rc.recordRead(postID, rec, pv, userID, at)
	return err == nil && reason == "", err
}

// indexChunks reads the older chunks of a channel's index.
type indexChunks interface {
	IndexChunk(channelID, gen string, k int) ([]IndexEntry, error)
}

// walkIndex visits a channel's tracked posts from the last indexed back to
// the first one indexed at or before stopAt. The index is in the order posts
// were tracked, not created: a post created before stopAt but indexed after
// it (imported, or its hook was slow) is visited, and does not hide the ones
// indexed before it. A post is indexed after it is created, so every post
// created after stopAt is visited.
func walkIndex(chunks indexChunks, channelID string, idx *ChannelIndex, stopAt int64, visit func(IndexEntry) error) error {
	var err error
	entries := idx.Tail
	for k := idx.Chunks; ; k-- {
		for j := len(entries) - 1; j >= 0; j-- {
			if entries[j].indexedAt() <= stopAt {
				return nil
			}
			if err := visit(entries[j]); err != nil {
				return err
			}
		}
		if k <= idx.First {
			return nil
		}
		if entries, err = chunks.IndexChunk(channelID, idx.Gen, k-1); err != nil {
			return errors.Wrap(err, "failed to load channel index chunk")
		}
	}
}
