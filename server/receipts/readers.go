package receipts

import (
	"cmp"
	"sort"
	"strings"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// readerLists answers a post's author: who read it and who did not (GET
// /posts/{id}/readers), and how reads came in over time (GET /posts/{id}/curve).
type readerLists struct {
	store optOutReader
	mm    interface {
		channelAccess
		Users(ids []string) ([]User, error)
	}
	config   func() config.Config
	records  *postRecords
	visible  *postVisibility
	counts   *counter
	snapshot func(id string) (*Snapshot, error)
	present  func(channelID string) (map[string]Member, error)
	cursors  cursorCodec
}

// readers answers GET /posts/{id}/readers: the author pages through who has
// read the post (by read time) or who has not (by username).
func (rl *readerLists) readers(userID, postID string, q ReaderQuery) (ReaderPage, error) {
	rec, err := rl.authorRecord(userID, postID)
	if err != nil {
		return ReaderPage{}, err
	}
	var c cursor
	if q.Cursor != "" {
		if c, err = rl.cursors.decode(q.Cursor, postID, q.Filter); err != nil {
			return ReaderPage{}, err
		}
	}
	r, err := rl.counts.receipt(postID, rec)
	if err != nil {
		return ReaderPage{}, err
	}
	var page ReaderPage
	if q.Filter == FilterUnread {
		page, err = rl.unreadPage(postID, rec, c, q.PerPage)
	} else {
		page, err = rl.readPage(postID, rec, c, q.PerPage)
	}
	page.ReadCount, page.UnreadCount = r.ReadCount, r.UnreadCount
	return page, err
}

// authorRecord loads a tracked post for its author, or says why not.
func (rl *readerLists) authorRecord(userID, postID string) (*PostRecord, error) {
	rec, reason, err := rl.visible.record(newAccessCache(rl.mm, rl.visible.grants, userID), postID)
	switch {
	case err != nil:
		return nil, err
	case reason == ReasonNotFound:
		return nil, ErrNotFound
	case reason == ReasonNotTracked:
		return nil, &Error{Kind: KindNotFound, ID: ReasonNotTracked, Message: "this post has no read receipts"}
	case rec.AuthorID != userID:
		return nil, ErrNoPermission
	}
	pv, err := privacyNow(rl.store, rl.config())
	if err != nil {
		return nil, err
	}
	if pv.hides(userID) {
		return nil, ErrHidden
	}
	return rec, nil
}

// readPage returns readers after the cursor's read, by read time. Reads
// keep their place in that order once recorded, so a page never repeats or
// skips anyone who had read when paging began. It loads only the chunks the
// page touches, and merges in the record's late reads.
func (rl *readerLists) readPage(postID string, rec *PostRecord, c cursor, perPage int) (ReaderPage, error) {
	after := ReadEntry{UserID: c.UserID, At: c.At}
	hasCursor := c.UserID != ""
	isNext := func(e ReadEntry) bool { return !hasCursor || after.Before(e) }
	start := 0
	if hasCursor {
		// The last chunk starting before the cursor; later ones start at or after it.
		start = max(0, sort.Search(len(rec.ChunkStarts), func(i int) bool { return rec.ChunkStarts[i] >= after.At })-1)
	}
	sorted, more, err := rl.sortedAfter(postID, rec, start, isNext, perPage)
	if err != nil {
		return ReaderPage{}, err
	}
	for _, e := range rec.Late {
		if isNext(e) {
			sorted = insertSorted(sorted, e)
		}
	}
	if len(sorted) > perPage {
		sorted, more = sorted[:perPage], true
	}
	users, err := rl.usernames(sorted)
	if err != nil {
		return ReaderPage{}, err
	}
	markBeforeEdit(users, rec.EditedAt)
	page := ReaderPage{Users: users, IsFinished: !more}
	if more {
		last := sorted[len(sorted)-1]
		page.NextCursor = rl.cursors.encode(cursor{PostID: postID, Filter: FilterRead, At: last.At, UserID: last.UserID})
	}
	return page, nil
}

// sortedAfter returns up to limit reads from chunk start on (then Tail) for
// which isNext holds, and whether there are more.
func (rl *readerLists) sortedAfter(postID string, rec *PostRecord, start int, isNext func(ReadEntry) bool, limit int) ([]ReadEntry, bool, error) {
	var out []ReadEntry
	for k := start; k <= rec.Chunks; k++ {
		run, err := rl.readRun(postID, rec, k)
		if err != nil {
			return nil, false, err
		}
		for _, e := range run {
			if !isNext(e) {
				continue
			}
			if len(out) == limit {
				return out, true, nil
			}
			out = append(out, e)
		}
	}
	return out, false, nil
}

// readRun returns chunk k of a post's reads, or its Tail for k == Chunks.
func (rl *readerLists) readRun(postID string, rec *PostRecord, k int) ([]ReadEntry, error) {
	if k == rec.Chunks {
		return rec.Tail, nil
	}
	chunk, err := rl.records.readChunk(postID, rec, k)
	return chunk, errors.Wrap(err, "failed to load readers")
}

func (rl *readerLists) usernames(entries []ReadEntry) ([]ReaderUser, error) {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.UserID
	}
	names := map[string]string{}
	if len(ids) > 0 {
		users, err := rl.mm.Users(ids)
		if err != nil {
			return nil, errors.Wrap(err, "failed to get readers")
		}
		for _, u := range users {
			names[u.ID] = u.Username
		}
	}
	out := make([]ReaderUser, len(entries))
	for i, e := range entries {
		out[i] = ReaderUser{UserID: e.UserID, Username: names[e.UserID], ReadAt: e.At}
	}
	return out, nil
}

// unreadPage returns recipients still in the channel who have not read the
// post, by username then id, after the cursor's user.
func (rl *readerLists) unreadPage(postID string, rec *PostRecord, c cursor, perPage int) (ReaderPage, error) {
	snap, err := rl.snapshot(rec.Snapshot)
	if err != nil {
		return ReaderPage{}, err
	}
	present, err := rl.present(rec.ChannelID)
	if err != nil {
		return ReaderPage{}, err
	}
	first := firstMembers{limit: perPage}
	for i, u := range snap.Users {
		m, ok := present[u]
		if ok && u != rec.AuthorID && !rec.Readers.Has(i) && after(m, c) {
			first.offer(m)
		}
	}
	unread := first.sorted()
	page := ReaderPage{Users: []ReaderUser{}, IsFinished: first.seen <= perPage}
	for _, m := range unread {
		page.Users = append(page.Users, ReaderUser{UserID: m.UserID, Username: m.Username})
	}
	if !page.IsFinished {
		last := unread[perPage-1]
		page.NextCursor = rl.cursors.encode(cursor{PostID: postID, Filter: FilterUnread, Username: last.Username, UserID: last.UserID})
	}
	return page, nil
}

// compareMembers orders members by username, then id.
func compareMembers(a, b Member) int {
	return cmp.Or(strings.Compare(a.Username, b.Username), strings.Compare(a.UserID, b.UserID))
}

func less(a, b Member) bool { return compareMembers(a, b) < 0 }

// after reports whether m comes after the cursor's user (always, without one).
func after(m Member, c cursor) bool {
	if c.UserID == "" {
		return true
	}
	return less(Member{Username: c.Username, UserID: c.UserID}, m)
}
