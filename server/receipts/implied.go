package receipts

import "github.com/pkg/errors"

// Implied reads: acting on a post means having read what came before it.
// Posting or reacting to a root post reads the channel up to it; replying,
// or reacting to a reply, reads the thread up to it.

// readBefore records that a user who acted on post p (posted it, replied
// after it, reacted to it) has read what came before it: the tracked posts of
// the thread for a reply, of the channel otherwise. It reads the channel's
// index once, and again only if catching up tracked a post.
func (s *Service) readBefore(pv privacy, userID string, p Post, at int64) {
	if err := s.readBeforeIn(pv, userID, p, at); err != nil {
		s.log.Warn("failed to record implied reads", "post_id", p.ID, "user_id", userID, "err", err.Error())
	}
}

func (s *Service) readBeforeIn(pv privacy, userID string, p Post, at int64) error {
	idx, err := s.store.ChannelIndex(p.ChannelID)
	if err != nil || idx == nil { // a channel that never had a tracked post costs one read
		return errors.Wrap(err, "failed to load channel index")
	}
	tracked, err := s.trackRecent(p.ChannelID, userID)
	if err != nil {
		return err
	}
	if tracked > 0 {
		if idx, err = s.store.ChannelIndex(p.ChannelID); err != nil {
			return errors.Wrap(err, "failed to load channel index")
		}
	}
	if p.RootID == "" {
		_, err = s.readConversationIn(idx, pv, userID, p.ChannelID, p.CreateAt, at)
		return err
	}
	return s.readThread(idx, pv, userID, p, at)
}

// readThread reads the tracked posts of p's thread up to p. A watermark per
// user and thread (kept under the thread root's id, beside the channels'
// ones) means a reply walks only what is new since the user's last reply or
// reaction there, not the whole thread: a long thread costs O(new posts).
func (s *Service) readThread(idx *ChannelIndex, pv privacy, userID string, p Post, at int64) error {
	if !pv.sendsAt(userID, at) {
		return nil
	}
	from, err := s.threadFloor(userID, p.RootID)
	if err != nil || p.CreateAt <= from {
		return err
	}
	_, err = s.readSince(idx, pv, userID, conversation{channelID: p.ChannelID, markID: p.RootID, rootID: p.RootID}, from, p.CreateAt, at)
	return err
}

func inThread(e IndexEntry, rootID string) bool { return e.PostID == rootID || e.RootID == rootID }

// threadFloor is where a thread walk may stop: the user's thread watermark,
// or, the first time, the root's creation.
func (s *Service) threadFloor(userID, rootID string) (int64, error) {
	from, err := s.store.Watermark(rootID, userID)
	if err != nil || from > 0 {
		return from, errors.Wrap(err, "failed to load thread watermark")
	}
	root, err := s.mm.Post(rootID)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, errors.Wrap(err, "failed to get thread root")
	}
	return root.CreateAt, nil
}

// ReactionAdded records that the reacting user has read the post and what
// came before it, if the user sends receipts.
func (s *Service) ReactionAdded(userID, postID string) {
	p, err := s.mm.Post(postID)
	if err != nil {
		return
	}
	pv, err := s.privacyNow(s.config())
	if err != nil {
		s.log.Warn("failed to load privacy settings for a reaction", "post_id", postID, "err", err.Error())
		return
	}
	now := s.nowMillis()
	if p.UserID != userID {
		if _, err := s.readPost(pv, userID, *p, now); err != nil {
			s.log.Warn("failed to record read from reaction", "post_id", postID, "err", err.Error())
		}
	}
	s.readBefore(pv, userID, *p, now)
}
