package receipts

import "github.com/pkg/errors"

// postVisibility decides which tracked posts a caller may see, for reads,
// queries and reader lists alike: the caller may read the post's channel,
// and retention has not passed it. A post whose posted hook has not run yet
// is tracked on the spot.
type postVisibility struct {
	records *postRecords
	posts   interface {
		Post(postID string) (*Post, error)
	}
	// expired is retention's: such posts are answered as gone already.
	expired func(rec *PostRecord) bool
	// trackLate is the tracker's: it tracks a recent post found untracked.
	trackLate func(p Post) (*PostRecord, error)
	// grants are the channels callers were lately found able to read.
	grants *accessGrants
}

// preloaded is record for a preloaded post.
func (v *postVisibility) preloaded(p preloaded, access *accessCache, postID string) (*PostRecord, string, error) {
	if p.failed || p.retry[postID] {
		return v.record(access, postID)
	}
	return v.loaded(access, postID, p.recs[postID])
}

// record loads a tracked post the caller may see, or says why not.
func (v *postVisibility) record(access *accessCache, postID string) (*PostRecord, string, error) {
	if !IsValidID(postID) {
		return nil, ReasonNotFound, nil
	}
	rec, err := v.records.post(postID)
	if err != nil {
		return nil, "", errors.Wrap(err, "failed to load tracked post")
	}
	return v.loaded(access, postID, rec)
}

// loaded is record for a record already loaded (nil: untracked).
func (v *postVisibility) loaded(access *accessCache, postID string, rec *PostRecord) (*PostRecord, string, error) {
	if !IsValidID(postID) {
		return nil, ReasonNotFound, nil
	}
	if rec != nil {
		if ok, err := access.canRead(rec.ChannelID); err != nil || !ok {
			return nil, reasonIf(!ok, ReasonNotFound), err
		}
		if v.expired(rec) { // retention has yet to delete it
			return nil, ReasonNotTracked, nil
		}
		return rec, "", nil
	}
	p, err := v.posts.Post(postID)
	if errors.Is(err, ErrNotFound) {
		return nil, ReasonNotFound, nil
	}
	if err != nil {
		return nil, "", errors.Wrap(err, "failed to get post")
	}
	if ok, err := access.canRead(p.ChannelID); err != nil || !ok {
		return nil, reasonIf(!ok, ReasonNotFound), err
	}
	// Its posted hook may not have run yet: tracked from the moment it was saved.
	if rec, err = v.trackLate(*p); err != nil || rec != nil {
		return rec, "", err
	}
	return nil, ReasonNotTracked, nil
}

// reasonIf is reason when cond holds, else no reason.
func reasonIf(cond bool, reason string) string {
	if cond {
		return reason
	}
	return ""
}
