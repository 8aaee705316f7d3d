package receipts

import "github.com/pkg/errors"

// Implied reads: acting on a post means having read what came before it.
// Posting or reacting to a root post reads the channel up to it; replying,
// or reacting to a reply, reads the thread up to it.

// readBefore records that a user who acted on post p (posted it, replied
// after it, reacted to it) has read what came before it: the tracked posts of
// the thread for a reply, of the channel otherwise. It reads the channel's
// index once, and again only if catching up tracked a post.
func (rc *recorder) readBefore(pv privacy, userID string, p Post, at int64) {
	if err := rc.readBeforeIn(pv, userID, p, at); err != nil {
		rc.log.Warn("failed to record implied reads", "post_id", p.ID, "user_id", userID, "err", err.Error())
	}
}

func (rc *recorder) readBeforeIn(pv privacy, userID string, p Post, at int64) error {
	idx, err := rc.store.ChannelIndex(p.ChannelID)
	if err != nil || idx == nil { // a channel that never had a tracked post costs one read
		return errors.Wrap(err, "failed to load channel index")
	}
	from, err := rc.store.Watermark(conversationOf(p).markID, userID)
	if err != nil {
		return errors.Wrap(err, "failed to load read watermark")
	}
	return rc.readBeforeWith(pv, userID, p, at, idx, from)
}

// readBeforeWith is readBefore with the channel's index (nil: it never had a
// tracked post) and the user's watermark where p is already read. It reads
// the index again only if catching up tracked a post.
func (rc *recorder) readBeforeWith(pv privacy, userID string, p Post, at int64, idx *ChannelIndex, from int64) error {
	if idx == nil {
		return nil
	}
	tracked, err := rc.trackRecent(p.ChannelID, userID)
	if err != nil {
		return err
	}
	if tracked > 0 {
		if idx, err = rc.store.ChannelIndex(p.ChannelID); err != nil {
			return errors.Wrap(err, "failed to load channel index")
		}
	}
	return rc.readBeforeCaughtUp(pv, userID, p, at, idx, from)
}

// readBeforeCaughtUp is readBeforeWith once the channel's recent posts are
// tracked (the posted hook looks once for a round of posts).
func (rc *recorder) readBeforeCaughtUp(pv privacy, userID string, p Post, at int64, idx *ChannelIndex, from int64) error {
	var err error
	c := conversationOf(p)
	if c.rootID != "" && from == 0 && pv.sendsAt(userID, at) { // the first read in the thread starts at its root
		if from, err = rc.threadRoot(p.RootID); err != nil {
			return err
		}
	}
	_, err = rc.readFrom(idx, pv, userID, c, from, p.CreateAt, at)
	return err
}

// Replies and reactions to replies read the thread: a watermark per user and
// thread (kept under the thread root's id, beside the channels' ones) means a
// reply walks only what is new since the user's last reply or reaction
// there, not the whole thread: a long thread costs O(new posts).

func inThread(e IndexEntry, rootID string) bool { return e.PostID == rootID || e.RootID == rootID }

// threadRoot is where a user's first thread walk may stop: the root's
// creation (0 when the root is gone).
func (rc *recorder) threadRoot(rootID string) (int64, error) {
	root, err := rc.mm.Post(rootID)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, errors.Wrap(err, "failed to get thread root")
	}
	return root.CreateAt, nil
}

// reactionAdded records that the reacting user has read the post and what
// came before it, if the user sends receipts.
func (rc *recorder) reactionAdded(userID, postID string) {
	p, err := rc.mm.Post(postID)
	if err != nil {
		return
	}
	pv, err := privacyNow(rc.store, rc.config())
	if err != nil {
		rc.log.Warn("failed to load privacy settings for a reaction", "post_id", postID, "err", err.Error())
		return
	}
	now := rc.now()
	if p.UserID != userID {
		if _, err := rc.readPost(pv, userID, *p, now); err != nil {
			rc.log.Warn("failed to record read from reaction", "post_id", postID, "err", err.Error())
		}
	}
	rc.readBefore(pv, userID, *p, now)
}

// readPost records a read of a post that an action implies (a reaction),
// tracking it first if its posted hook has not run yet.
func (rc *recorder) readPost(pv privacy, userID string, p Post, at int64) (bool, error) {
	rec, err := rc.records.post(p.ID)
	if err == nil && rec == nil {
		rec, err = rc.trackLate(p)
	}
	if err != nil {
		return false, errors.Wrap(err, "failed to load tracked post")
	}
	return rc.readRecord(pv, userID, p.ID, rec, at)
}
