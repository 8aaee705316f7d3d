package receipts

import "github.com/pkg/errors"

// One channel's poll: what the views job does for each watched channel that
// may have views to apply (see views.go).

// pollChannel applies a channel's views unless everyone had already viewed
// its newest tracked post, or no view moved since every view was applied. It
// returns the reads recorded and the membership lists read. A member whose
// view fails does not hold up the others. Whether the channel settled, and
// the digest at which every view was applied, are kept in the KV (ViewState),
// so whichever server polls next passes over such a channel too. Which member
// views were applied is kept in memory only: a server without it applies a
// moved channel's views again, which costs a watermark read per member and
// records nothing twice.
func (vp *viewsPoller) pollChannel(channelID string, digest ViewDigest, haveDigest bool) (int, int, error) {
	// No view moved and no post was made since every view was applied: the
	// channel costs nothing, not even its index.
	if haveDigest && vp.state.sameDigest(channelID, digest) {
		return 0, 0, nil
	}
	idx, err := vp.store.ChannelIndex(channelID)
	if err != nil {
		return 0, 0, errors.Wrap(err, "failed to load channel index")
	}
	if idx == nil || len(idx.Tail) == 0 {
		// Nothing tracked here (any more): nothing to apply at this digest.
		vp.state.markDigestIfKnown(channelID, markOf(digest, haveDigest, 0))
		return 0, 0, nil
	}
	size := idx.Chunks*ChunkSize + len(idx.Tail) // changes with every newly indexed post
	mark := markOf(digest, haveDigest, size)
	p, err := vp.startPoll(channelID, idx, size, mark)

	if err != nil || p == nil {
		return 0, 0, err
	}
	lists, err := vp.pollMembers(p)
	if err != nil {
		return p.total, lists, err
	}
	state := ViewState{Version: FormatVersion}
	if p.settles && p.firstErr == nil {
		vp.state.markSettled(channelID, size)
		state.Settled = size
	}
	if mark != nil && p.firstErr == nil && !p.pending {
		vp.state.markDigest(channelID, *mark)
		state.Applied = *mark
	}
	if err := vp.saveViewState(channelID, state); err != nil {
		return p.total, lists, err
	}
	return p.total, lists, p.firstErr
}

// markOf is the mark of a digest at an index size, nil without a digest.
func markOf(digest ViewDigest, haveDigest bool, size int) *ViewMark {
	if !haveDigest {
		return nil
	}
	return &ViewMark{Members: digest.Members, Sum: digest.Sum, LastPostAt: digest.LastPostAt, Size: size}
}

// startPoll returns the poll of a channel, or nil when there is nothing to
// do: it is settled at this index size, or every view was applied at this
// digest (known here, or from the KV when another server found it).
func (vp *viewsPoller) startPoll(channelID string, idx *ChannelIndex, size int, mark *ViewMark) (*channelPoll, error) {
	if vp.state.isSettled(channelID, size) {
		vp.state.markDigestIfKnown(channelID, mark)
		return nil, nil
	}
	state, err := vp.store.ViewState(channelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to load view state")
	}
	switch {
	case state.Settled == size:
		vp.state.markSettled(channelID, size)
		vp.state.markDigestIfKnown(channelID, mark)
		return nil, nil
	case mark != nil && state.Applied == *mark:
		vp.state.markDigest(channelID, *mark)
		return nil, nil
	}
	// Views may have passed posts whose posted hook has not run (or failed).
	if _, err := vp.trackRecent(channelID, ""); err != nil {
		return nil, err
	}
	p := &channelPoll{channelID: channelID, idx: idx}
	if p.pv, err = privacyNow(vp.store, vp.config()); err != nil {
		return nil, err
	}
	// Settled means every view was applied past the newest post: not while
	// that post may still be on its way into the store, nor while a member's
	// view is skipped by the privacy rule (they may turn receipts on, or view
	// again after having turned them on).
	p.newest = idx.Newest
	for _, e := range idx.Tail { // indexes written before Newest existed
		p.newest = max(p.newest, e.CreateAt)
	}
	p.settles = p.newest < vp.now()-indexMarginMillis
	return p, nil
}

// channelPoll is one poll of one channel.
type channelPoll struct {
	channelID string
	idx       *ChannelIndex
	pv        privacy
	newest    int64
	settles   bool
	pending   bool // a view must be looked at again
	total     int
	firstErr  error
}

// pollMembers reads the channel's memberships and applies the views that
// moved. It returns the membership lists read.
func (vp *viewsPoller) pollMembers(p *channelPoll) (int, error) {
	views, err := vp.mm.ChannelViews(p.channelID)
	if err != nil {
		return 1, errors.Wrap(err, "failed to list channel memberships")
	}
	seen := vp.state.seenViews(p.channelID)
	for _, v := range views {
		p.settles = p.settles && v.LastViewedAt >= p.newest && p.pv.sendsAt(v.UserID, v.LastViewedAt)
		if v.LastViewedAt <= seen[v.UserID] {
			continue
		}
		n, done, err := vp.applyView(p, v)
		p.total += n
		p.pending = p.pending || !done
		if done {
			vp.state.markViewSeen(p.channelID, v)
		}
		if err != nil && p.firstErr == nil {
			p.firstErr = err
		}
	}
	return 1, nil
}

// applyView applies one member's view. done reports that it need not be
// looked at again: a view this recent may have passed a post that is not
// indexed yet, so it is looked at again until it is older than the margin.
func (vp *viewsPoller) applyView(p *channelPoll, v View) (int, bool, error) {
	at := v.LastViewedAt
	n, err := vp.readConversation(p.idx, p.pv, v.UserID, p.channelID, at, at)
	return n, err == nil && at < vp.now()-indexMarginMillis, err
}

// saveViewState stores what the poll found, unless it is what is stored.
func (vp *viewsPoller) saveViewState(channelID string, state ViewState) error {
	err := vp.store.UpdateViewState(channelID, func(vs *ViewState) error {
		if vs.Settled == state.Settled && vs.Applied == state.Applied {
			return ErrNoChange
		}
		*vs = state
		return nil
	})
	return errors.Wrap(err, "failed to save view state")
}
