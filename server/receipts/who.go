package receipts

import (
	"github.com/pkg/errors"
)

// newestOwnLookback bounds how many of a channel's newest tracked posts
// NewestOwnPost looks at, so a command in a busy channel where the caller
// last posted long ago stays cheap: index entries name their author and
// thread, so this costs at most one KV read per 64 entries (older entries
// without them cost one read each).
const newestOwnLookback = 1000

// ErrNoOwnPost says that the caller has no recent tracked post in the place
// asked about.
var ErrNoOwnPost = &Error{KindNotFound, "no_own_post", "you have no recent message with read receipts here"}

// errStopWalk ends an index walk early.
var errStopWalk = errors.New("stop walk")

// ownPosts finds the caller's own tracked posts, for `/receipts who`.
type ownPosts struct {
	store interface {
		indexChunks
		ChannelIndex(channelID string) (*ChannelIndex, error)
	}
	mm      channelViewer
	records *postRecords
}

// newest returns the caller's newest tracked post in the channel, or in the
// thread of rootID when it is not empty (the root counts as part of its
// thread). It looks at the channel's newest tracked posts only.
func (op *ownPosts) newest(userID, channelID, rootID string) (string, error) {
	if _, err := visibleChannel(op.mm, userID, channelID); err != nil {
		return "", err
	}
	idx, err := op.store.ChannelIndex(channelID)
	if err != nil {
		return "", errors.Wrap(err, "failed to load channel index")
	}
	if idx == nil {
		return "", ErrNoOwnPost
	}
	found, seen := "", 0
	err = walkIndex(op.store, channelID, idx, -1, func(e IndexEntry) error {
		if seen++; seen > newestOwnLookback {
			return errStopWalk
		}
		if e.known() && (e.AuthorID != userID || !inPlace(e, rootID)) {
			return nil
		}
		// The record says who wrote an older entry, and that the post still exists.
		rec, err := op.records.post(e.PostID)
		if err != nil {
			return errors.Wrap(err, "failed to load tracked post")
		}
		if rec != nil && rec.AuthorID == userID && inPlace(IndexEntry{PostID: e.PostID, RootID: rec.RootID}, rootID) {
			found = e.PostID
			return errStopWalk
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStopWalk) {
		return "", err
	}
	if found == "" {
		return "", ErrNoOwnPost
	}
	return found, nil
}

// inPlace reports whether an indexed post is in the thread of rootID, or
// anywhere in the channel when rootID is empty.
func inPlace(e IndexEntry, rootID string) bool {
	return rootID == "" || inThread(e, rootID)
}
