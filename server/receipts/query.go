package receipts

import (
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// QueryReceipts answers POST /receipts/query.
func (s *Service) QueryReceipts(userID string, postIDs []string) (QueryResult, error) {
	res := QueryResult{Receipts: []Receipt{}, Skipped: []Skipped{}, Failed: []string{}}
	cfg := s.config()
	ids := unique(postIDs)
	access := newAccessCache(s.mm, userID)
	access.checkEarly(s.records.channels.channels(ids, maxEarlyChecks))
	pv, loaded, err := batchState(s.store, s.records, cfg, ids)
	if err != nil {
		return res, err
	}
	answers := make([]Receipt, len(ids))
	reasons := make([]string, len(ids))
	errs := make([]error, len(ids))
	abs := newAbsentees()
	parallel(len(ids), func(i int) {
		answers[i], reasons[i], errs[i] = s.queryOne(access, abs, userID, ids[i], loaded, cfg, pv)
	})
	for i, id := range ids {
		switch {
		case errs[i] != nil:
			// One post that fails to load does not fail the others.
			s.log.Warn("failed to load receipt", "post_id", id, "user_id", userID, "err", errs[i].Error())
			res.Failed = append(res.Failed, id)
		case reasons[i] != "":
			res.Skipped = append(res.Skipped, Skipped{PostID: id, Reason: reasons[i]})
		default:
			res.Receipts = append(res.Receipts, answers[i])
		}
	}
	return res, nil
}

func (s *Service) queryOne(access *accessCache, abs *absentees, userID, postID string, loaded preloaded, cfg config.Config, pv privacy) (Receipt, string, error) {
	rec, reason, err := s.visible.preloaded(loaded, access, postID)
	if err != nil || reason != "" {
		return Receipt{}, reason, err
	}
	if reason, err = mayReadCounts(userID, rec, cfg, pv, access); err != nil || reason != "" {
		return Receipt{}, reason, err
	}
	r, err := s.receipt(postID, rec, abs)
	return r, "", err
}

// mayReadCounts applies CountsVisibleTo and reciprocity to a visible post:
// others' counts are for channel members when the admin allows it, and under
// Reciprocal neither an author nor a viewer who stopped sending receipts sees any.
func mayReadCounts(userID string, rec *PostRecord, cfg config.Config, pv privacy, access *accessCache) (string, error) {
	if rec.AuthorID != userID {
		if cfg.CountsVisibleTo != config.CountsMembers {
			return ReasonNoPermission, nil
		}
		member, err := access.isMember(rec.ChannelID)
		if err != nil || !member {
			return reasonIf(!member, ReasonNoPermission), err
		}
	}
	if pv.hides(rec.AuthorID, userID) {
		return ReasonHidden, nil
	}
	return "", nil
}

// receipt computes a post's receipt. Recipients who have left the channel or
// been deactivated no longer count as unread; their reads still count. abs is
// shared by the posts of one request.
func (s *Service) receipt(postID string, rec *PostRecord, abs *absentees) (Receipt, error) {
	snap, err := s.snapshots.load(rec.Snapshot)
	if err != nil {
		return Receipt{}, err
	}
	present, err := s.present(rec.ChannelID)
	if err != nil {
		return Receipt{}, err
	}
	r := Receipt{PostID: postID, ChannelID: rec.ChannelID, ReadCount: rec.ReadCount, EditedAt: rec.EditedAt}
	r.UnreadCount = unreadCount(rec, snap, present, abs.of(rec.Snapshot, snap, present))
	if rec.ChannelType == ChannelDirect {
		for _, u := range snap.Users {
			if u != rec.AuthorID {
				r.UserID = u
			}
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

// firstRead is the earliest read: the head of the sorted list, or of Late.
func (s *Service) firstRead(postID string, rec *PostRecord) (ReadEntry, error) {
	first := ReadEntry{}
	if rec.Chunks == 0 {
		first = rec.Tail[0]
	} else {
		chunk, err := s.records.readChunk(postID, rec, 0)
		if err != nil || len(chunk) == 0 {
			return ReadEntry{}, errors.Wrap(err, "failed to load first read")
		}
		first = chunk[0]
	}
	if len(rec.Late) > 0 && rec.Late[0].Before(first) {
		first = rec.Late[0]
	}
	return first, nil
}

// maxReceiptsPerEvent bounds an event's payload.
const maxReceiptsPerEvent = 200

// publishReceipts sends the latest receipts of posts to their authors, one
// event per author, under the rules of a query by the author: none when
// reciprocity hides it or the author can no longer read the channel
// (removed, left). It runs from the notifier, at most once a second per post.
func (s *Service) publishReceipts(postIDs []string) {
	pv, err := privacyNow(s.store, s.config())
	if err != nil {
		s.log.Warn("failed to load privacy settings for receipt events", "err", err.Error())
		return
	}
	byAuthor := map[string][]any{}
	access := authorAccess{}
	abs := newAbsentees()
	for _, id := range postIDs {
		rec, err := s.records.post(id)
		if err != nil || rec == nil || pv.hides(rec.AuthorID) || !s.authorMaySee(rec, access) {
			continue
		}
		r, err := s.receipt(id, rec, abs)
		if err != nil {
			s.log.Warn("failed to build receipt event", "post_id", id, "err", err.Error())
			continue
		}
		byAuthor[rec.AuthorID] = append(byAuthor[rec.AuthorID], r.Map())
	}
	for author, list := range byAuthor {
		for len(list) > 0 {
			n := min(len(list), maxReceiptsPerEvent)
			s.pub.ToUser(EventReceipts, map[string]any{"receipts": list[:n]}, author)
			list = list[n:]
		}
	}
}

// authorMaySee reports whether the post's author may still read its channel,
// remembering answers per author and channel in access; a failed check
// counts as no (logged): the event is left out, a later query still answers.
func (s *Service) authorMaySee(rec *PostRecord, access authorAccess) bool {
	ok, err := access.canRead(s.mm, rec.AuthorID, rec.ChannelID)
	if err != nil {
		s.log.Warn("failed to check the author's access for receipt events", "channel_id", rec.ChannelID, "err", err.Error())
	}
	return ok
}
