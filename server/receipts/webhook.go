package receipts

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// ReadEvent is one recorded read as the webhook sends it (API.md, "Webhook
// after read").
type ReadEvent struct {
	// ID is the same for every delivery of one read, on every server, so a
	// receiver can drop duplicates.
	ID        string `json:"id"`
	PostID    string `json:"post_id"`
	ChannelID string `json:"channel_id"`
	AuthorID  string `json:"author_id"`
	ReaderID  string `json:"reader_id"`
	ReadAt    int64  `json:"read_at"`
}

// ReadEvents takes recorded reads for the webhook. Read must never block:
// recording a read does not wait for delivery.
type ReadEvents interface {
	Read(e ReadEvent)
}

// readEventID names a read: a user reads a post at most once.
func readEventID(postID, readerID string) string {
	sum := sha256.Sum256([]byte(postID + ":" + readerID))
	return hex.EncodeToString(sum[:16])
}

// readFeed hands recorded reads to the webhook.
type readFeed struct {
	events ReadEvents // nil sends none
	config func() config.Config
}

// emit hands a newly recorded read to the webhook, when one is set. It
// costs a read nothing else: privacy is applied when the batch is sent.
func (f readFeed) emit(postID string, rec *PostRecord, readerID string, at int64) {
	if f.events == nil || f.config().WebhookURL == "" {
		return
	}
	f.events.Read(ReadEvent{
		ID:        readEventID(postID, readerID),
		PostID:    postID,
		ChannelID: rec.ChannelID,
		AuthorID:  rec.AuthorID,
		ReaderID:  readerID,
		ReadAt:    at,
	})
}

// VisibleReads keeps the events that the rules of a query by the post's
// author let through now: none from a reader who has since stopped sending
// receipts, none for an author whom reciprocity hides receipts from, and none
// for an author who can no longer read the channel. It reads the opt-outs
// once per call (per webhook batch) and asks Mattermost once per author and
// channel in the batch; an error means the batch is tried again later.
func (s *Service) VisibleReads(events []ReadEvent) ([]ReadEvent, error) {
	pv, err := privacyNow(s.store, s.config())
	if err != nil {
		return nil, errors.Wrap(err, "failed to apply privacy to read events")
	}
	access := authorAccess{}
	out := make([]ReadEvent, 0, len(events))
	for _, e := range events {
		if pv.isOptedOut(e.ReaderID) || pv.hides(e.AuthorID) {
			continue
		}
		ok, err := access.canRead(s.mm, e.AuthorID, e.ChannelID)
		if err != nil {
			return nil, errors.Wrap(err, "failed to filter read events")
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}
