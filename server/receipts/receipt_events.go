package receipts

import "github.com/readreceipts/mattermost-plugin-readreceipts/server/config"

// maxReceiptsPerEvent bounds an event's payload.
const maxReceiptsPerEvent = 200

// receiptEvents sends the notifier's batches of changed receipts to their
// authors.
type receiptEvents struct {
	store optOutReader
	mm    channelReader
	pub   interface {
		ToUser(event string, payload map[string]any, userID string)
	}
	config  func() config.Config
	log     Logger
	records *postRecords
	counts  *counter
}

// publish sends the latest receipts of posts to their authors, one
// event per author, under the rules of a query by the author: none when
// reciprocity hides it or the author can no longer read the channel
// (removed, left). It runs from the notifier, at most once a second per post.
func (ev *receiptEvents) publish(postIDs []string) {
	pv, err := privacyNow(ev.store, ev.config())
	if err != nil {
		ev.log.Warn("failed to load privacy settings for receipt events", "err", err.Error())
		return
	}
	byAuthor := map[string][]any{}
	access := authorAccess{}
	for _, id := range postIDs {
		rec, err := ev.records.post(id)
		if err != nil || rec == nil || pv.hides(rec.AuthorID) || !ev.authorMaySee(rec, access) {
			continue
		}
		r, err := ev.counts.receipt(id, rec)
		if err != nil {
			ev.log.Warn("failed to build receipt event", "post_id", id, "err", err.Error())
			continue
		}
		byAuthor[rec.AuthorID] = append(byAuthor[rec.AuthorID], r.Map())
	}
	for author, list := range byAuthor {
		for len(list) > 0 {
			n := min(len(list), maxReceiptsPerEvent)
			ev.pub.ToUser(EventReceipts, map[string]any{"receipts": list[:n]}, author)
			list = list[n:]
		}
	}
}

// authorMaySee reports whether the post's author may still read its channel,
// remembering answers per author and channel in access; a failed check
// counts as no (logged): the event is left out, a later query still answers.
func (ev *receiptEvents) authorMaySee(rec *PostRecord, access authorAccess) bool {
	ok, err := access.canRead(ev.mm, rec.AuthorID, rec.ChannelID)
	if err != nil {
		ev.log.Warn("failed to check the author's access for receipt events", "channel_id", rec.ChannelID, "err", err.Error())
	}
	return ok
}
