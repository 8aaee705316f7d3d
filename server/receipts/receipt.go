package receipts

import "github.com/pkg/errors"

// counter computes a post's receipt, for queries, reader lists, curves and
// events alike.
type counter struct {
	records  *postRecords
	snapshot func(id string) (*Snapshot, error)
	present  func(channelID string) (memberSet, error)
	absent   *absentees
}

// receipt computes a post's receipt. Recipients who have left the channel or
// been deactivated no longer count as unread; their reads still count.
func (c *counter) receipt(postID string, rec *PostRecord) (Receipt, error) {
	snap, err := c.snapshot(rec.Snapshot)
	if err != nil {
		return Receipt{}, err
	}
	present, err := c.present(rec.ChannelID)
	if err != nil {
		return Receipt{}, err
	}
	r := Receipt{PostID: postID, ChannelID: rec.ChannelID, ReadCount: rec.ReadCount, EditedAt: rec.EditedAt}
	r.UnreadCount = unreadCount(rec, snap, present.members, c.absent.of(rec.Snapshot, snap, present))
	if rec.ChannelType == ChannelDirect {
		for _, u := range snap.Users {
			if u != rec.AuthorID {
				r.UserID = u
			}
		}
	}
	if rec.ChannelType == ChannelDirect && rec.ReadCount > 0 {
		r.IsPeerRead = true
		first, err := c.firstRead(postID, rec)
		if err != nil {
			return Receipt{}, err
		}
		r.Timestamp = first.At
	}
	return r, nil
}

// firstRead is the earliest read: the head of the sorted list, or of Late.
func (c *counter) firstRead(postID string, rec *PostRecord) (ReadEntry, error) {
	first := ReadEntry{}
	if rec.Chunks == 0 {
		first = rec.Tail[0]
	} else {
		chunk, err := c.records.readChunk(postID, rec, 0)
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
