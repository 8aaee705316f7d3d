package receipts

import (
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// QueryReceipts answers POST /receipts/query.
func (s *Service) QueryReceipts(userID string, postIDs []string) (QueryResult, error) {
	res := QueryResult{Receipts: []Receipt{}, Skipped: []Skipped{}}
	cfg := s.config()
	opted, err := s.activeOptOuts(cfg)
	if err != nil {
		return res, err
	}
	access := newAccessCache(s.mm, userID)
	for _, id := range unique(postIDs) {
		rec, reason, err := s.visibleRecord(access, id)
		if err == nil && reason == "" {
			reason = mayReadCounts(userID, rec, cfg, opted)
		}
		if err != nil {
			return res, err
		}
		if reason != "" {
			res.Skipped = append(res.Skipped, Skipped{PostID: id, Reason: reason})
			continue
		}
		r, err := s.receipt(id, rec)
		if err != nil {
			return res, err
		}
		res.Receipts = append(res.Receipts, r)
	}
	return res, nil
}

// mayReadCounts applies CountsVisibleTo and reciprocity to a visible post.
func mayReadCounts(userID string, rec *PostRecord, cfg config.Config, opted map[string]bool) string {
	if rec.AuthorID != userID && cfg.CountsVisibleTo != config.CountsMembers {
		return ReasonNoPermission
	}
	if cfg.Reciprocal && opted[rec.AuthorID] {
		return ReasonHidden
	}
	return ""
}

// receipt computes a post's receipt. Recipients who have left the channel or
// been deactivated no longer count as unread; their reads still count.
func (s *Service) receipt(postID string, rec *PostRecord) (Receipt, error) {
	snap, err := s.snapshot(rec.Snapshot)
	if err != nil {
		return Receipt{}, err
	}
	present, err := s.present(rec.ChannelID)
	if err != nil {
		return Receipt{}, err
	}
	r := Receipt{PostID: postID, ChannelID: rec.ChannelID, ReadCount: rec.ReadCount}
	for i, u := range snap.Users {
		if u == rec.AuthorID {
			continue
		}
		if _, ok := present[u]; ok && !rec.Readers.Has(i) {
			r.UnreadCount++
		}
		if rec.ChannelType == ChannelDirect {
			r.UserID = u
		}
	}
	if rec.ChannelType == ChannelDirect && rec.ReadCount > 0 {
		r.IsPeerRead = true
		first, err := s.firstRead(postID, rec)
		if err != nil {
			return Receipt{}, err
		}
		r.Timestamp = first.At
	}
	return r, nil
}

func (s *Service) firstRead(postID string, rec *PostRecord) (ReadEntry, error) {
	if rec.Chunks == 0 {
		return rec.Tail[0], nil
	}
	chunk, err := s.store.ReadChunk(postID, 0)
	if err != nil || len(chunk) == 0 {
		return ReadEntry{}, errors.Wrap(err, "failed to load first read")
	}
	return chunk[0], nil
}

// publishReceipts sends the latest receipt of a post to its author, unless
// reciprocity hides it. It runs from the notifier, at most once a second per post.
func (s *Service) publishReceipts(postID string) {
	rec, err := s.store.Post(postID)
	if err != nil || rec == nil {
		return
	}
	hidden, err := s.hidden(rec.AuthorID, s.config())
	if err != nil || hidden {
		return
	}
	r, err := s.receipt(postID, rec)
	if err != nil {
		s.log.Warn("failed to build receipt event", "post_id", postID, "err", err.Error())
		return
	}
	s.pub.ToUser(EventReceipts, map[string]any{"receipts": []any{r.Map()}}, rec.AuthorID)
}
