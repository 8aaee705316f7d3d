package receipts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"

	"github.com/pkg/errors"
)

// cursor is the position in a reader list. It is signed so that a client can
// neither forge one nor reuse one from another post or filter.
type cursor struct {
	PostID string `json:"p"`
	Filter string `json:"f"`
	// Offset is the position in recording order (read list).
	Offset int `json:"o,omitempty"`
	// Username and UserID are the last user shown (unread list, by username).
	Username string `json:"n,omitempty"`
	UserID   string `json:"i,omitempty"`
}

func (s *Service) encodeCursor(c cursor) string {
	data, _ := json.Marshal(c)
	body := base64.RawURLEncoding.EncodeToString(data)
	return body + "." + s.sign(body)
}

func (s *Service) decodeCursor(raw, postID, filter string) (cursor, error) {
	var c cursor
	body, sig, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.sign(body))) {
		return c, ErrInvalidCursor
	}
	data, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(data, &c) != nil || c.PostID != postID || c.Filter != filter || c.Offset < 0 {
		return c, ErrInvalidCursor
	}
	return c, nil
}

func (s *Service) sign(body string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// Readers answers GET /posts/{id}/readers: the author pages through who has
// read the post (in the order reads were recorded) or who has not (by username).
func (s *Service) Readers(userID, postID string, q ReaderQuery) (ReaderPage, error) {
	rec, err := s.authorRecord(userID, postID)
	if err != nil {
		return ReaderPage{}, err
	}
	var c cursor
	if q.Cursor != "" {
		if c, err = s.decodeCursor(q.Cursor, postID, q.Filter); err != nil {
			return ReaderPage{}, err
		}
	}
	r, err := s.receipt(postID, rec)
	if err != nil {
		return ReaderPage{}, err
	}
	var page ReaderPage
	if q.Filter == FilterUnread {
		page, err = s.unreadPage(postID, rec, c, q.PerPage)
	} else {
		page, err = s.readPage(postID, rec, c.Offset, q.PerPage)
	}
	page.ReadCount, page.UnreadCount = r.ReadCount, r.UnreadCount
	return page, err
}

// authorRecord loads a tracked post for its author, or says why not.
func (s *Service) authorRecord(userID, postID string) (*PostRecord, error) {
	rec, reason, err := s.visibleRecord(newAccessCache(s.mm, userID), postID)
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
	hidden, err := s.hidden(userID, s.config())
	if err != nil {
		return nil, err
	}
	if hidden {
		return nil, ErrHidden
	}
	return rec, nil
}

// readPage returns readers from offset on, in recording order. Reads are
// only ever appended, so an offset never repeats or skips anyone.
func (s *Service) readPage(postID string, rec *PostRecord, offset, perPage int) (ReaderPage, error) {
	total := rec.Chunks*ChunkSize + len(rec.Tail)
	if offset > total {
		return ReaderPage{}, ErrInvalidCursor
	}
	var entries []ReadEntry
	for pos := offset; pos < total && len(entries) < perPage; {
		k := pos / ChunkSize
		chunk := rec.Tail
		if k < rec.Chunks {
			var err error
			if chunk, err = s.store.ReadChunk(postID, k); err != nil {
				return ReaderPage{}, errors.Wrap(err, "failed to load readers")
			}
		}
		start := pos - k*ChunkSize
		if start >= len(chunk) {
			return ReaderPage{}, errors.Errorf("reader chunk %d of post %s is short", k, postID)
		}
		take := min(len(chunk)-start, perPage-len(entries))
		entries = append(entries, chunk[start:start+take]...)
		pos += take
	}
	users, err := s.usernames(entries)
	if err != nil {
		return ReaderPage{}, err
	}
	page := ReaderPage{Users: users, IsFinished: offset+len(entries) >= total}
	if !page.IsFinished {
		page.NextCursor = s.encodeCursor(cursor{PostID: postID, Filter: FilterRead, Offset: offset + len(entries)})
	}
	return page, nil
}

func (s *Service) usernames(entries []ReadEntry) ([]ReaderUser, error) {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.UserID
	}
	names := map[string]string{}
	if len(ids) > 0 {
		users, err := s.mm.Users(ids)
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
func (s *Service) unreadPage(postID string, rec *PostRecord, c cursor, perPage int) (ReaderPage, error) {
	snap, err := s.snapshot(rec.Snapshot)
	if err != nil {
		return ReaderPage{}, err
	}
	present, err := s.present(rec.ChannelID)
	if err != nil {
		return ReaderPage{}, err
	}
	var unread []Member
	for i, u := range snap.Users {
		m, ok := present[u]
		if ok && u != rec.AuthorID && !rec.Readers.Has(i) && after(m, c) {
			unread = append(unread, m)
		}
	}
	sort.Slice(unread, func(a, b int) bool { return less(unread[a], unread[b]) })
	page := ReaderPage{Users: []ReaderUser{}, IsFinished: len(unread) <= perPage}
	for _, m := range unread[:min(perPage, len(unread))] {
		page.Users = append(page.Users, ReaderUser{UserID: m.UserID, Username: m.Username})
	}
	if !page.IsFinished {
		last := unread[perPage-1]
		page.NextCursor = s.encodeCursor(cursor{PostID: postID, Filter: FilterUnread, Username: last.Username, UserID: last.UserID})
	}
	return page, nil
}

func less(a, b Member) bool {
	if a.Username != b.Username {
		return a.Username < b.Username
	}
	return a.UserID < b.UserID
}

// after reports whether m comes after the cursor's user (always, without one).
func after(m Member, c cursor) bool {
	if c.UserID == "" {
		return true
	}
	return less(Member{Username: c.Username, UserID: c.UserID}, m)
}
