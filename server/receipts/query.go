package receipts

import (
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// queries answers receipt queries (POST /receipts/query).
type queries struct {
	store   batchStore
	mm      channelAccess
	config  func() config.Config
	log     Logger
	records *postRecords
	visible *postVisibility
	counts  *counter
}

// query answers POST /receipts/query.
func (q *queries) query(userID string, postIDs []string) (QueryResult, error) {
	res := QueryResult{Receipts: []Receipt{}, Skipped: []Skipped{}, Failed: []string{}}
	cfg := q.config()
	ids := unique(postIDs)
	access := newAccessCache(q.mm, q.visible.grants, userID)
	access.checkEarly(q.records.channels.channels(ids, maxEarlyChecks))
	pv, loaded, err := batchState(q.store, q.records, cfg, ids)
	if err != nil {
		return res, err
	}
	answers := make([]Receipt, len(ids))
	reasons := make([]string, len(ids))
	errs := make([]error, len(ids))
	parallel(len(ids), func(i int) {
		answers[i], reasons[i], errs[i] = q.queryOne(access, userID, ids[i], loaded, cfg, pv)
	})
	for i, id := range ids {
		switch {
		case errs[i] != nil:
			// One post that fails to load does not fail the others.
			q.log.Warn("failed to load receipt", "post_id", id, "user_id", userID, "err", errs[i].Error())
			res.Failed = append(res.Failed, id)
		case reasons[i] != "":
			res.Skipped = append(res.Skipped, Skipped{PostID: id, Reason: reasons[i]})
		default:
			res.Receipts = append(res.Receipts, answers[i])
		}
	}
	return res, nil
}

func (q *queries) queryOne(access *accessCache, userID, postID string, loaded preloaded, cfg config.Config, pv privacy) (Receipt, string, error) {
	rec, reason, err := q.visible.preloaded(loaded, access, postID)
	if err != nil || reason != "" {
		return Receipt{}, reason, err
	}
	if reason, err = mayReadCounts(userID, rec, cfg, pv, access); err != nil || reason != "" {
		return Receipt{}, reason, err
	}
	r, err := q.counts.receipt(postID, rec)
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
