package command

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// whoPageSize is how many readers, and how many who have not read, one
// answer of /receipts who lists.
const whoPageSize = 20

// maxWhoPage keeps a page number within what any channel can fill
// (100,000 members at 20 a page).
const maxWhoPage = 5000

// Clock tells the time and how a user wants times shown.
type Clock interface {
	Now() time.Time
	// Location is the user's time zone; Military is their 24-hour choice.
	Location(userID string) *time.Location
	Military(userID string) bool
}

// UseClock sets how /receipts who shows times; without one, in UTC, 24-hour.
func (h *Handler) UseClock(c Clock) { h.clock = c }

// whoArgs is what `/receipts who [post id or permalink] [page]` asked for.
type whoArgs struct {
	postID string
	page   int
}

// parseWho reads the arguments after "who". A post is a 26-character id or a
// permalink ending in one; a page is a number from 1.
func parseWho(fields []string) (whoArgs, bool) {
	a := whoArgs{page: 1}
	for i, f := range fields {
		if n, err := strconv.Atoi(f); err == nil && i == len(fields)-1 && f[0] != '0' && f[0] != '+' {
			a.page = n
			continue
		}
		id := f[strings.LastIndex(f, "/")+1:]
		if a.postID != "" || !receipts.IsValidID(id) {
			return a, false
		}
		a.postID = id
	}
	return a, a.page >= 1 && a.page <= maxWhoPage
}

// who answers /receipts who: the receipt of one of the caller's posts, with
// who has and has not read it, page by page.
func (h *Handler) who(args *model.CommandArgs, fields []string) string {
	a, ok := parseWho(fields)
	if !ok {
		return "Usage: `/receipts who [post id or permalink] [page]`, for example `/receipts who` or `/receipts who " +
			"https://chat.example.com/team/pl/<post id> 2`."
	}
	if a.postID == "" {
		id, err := h.svc.NewestOwnPost(args.UserId, args.ChannelId, args.RootId)
		if err != nil {
			return whoFailure(err)
		}
		a.postID = id
	}
	res, err := h.svc.QueryReceipts(args.UserId, []string{a.postID})
	if err != nil {
		return whoFailure(err)
	}
	if len(res.Failed) > 0 {
		return "Could not load that message's read receipts just now; please try again."
	}
	if len(res.Receipts) == 0 {
		reason := receipts.ReasonNotFound
		if len(res.Skipped) > 0 {
			reason = res.Skipped[0].Reason
		}
		return whyNot(reason)
	}
	r := res.Receipts[0]
	if r.UserID != "" {
		return h.oneToOne(args.UserId, r)
	}
	return h.group(args.UserId, r, a)
}

func (h *Handler) oneToOne(userID string, r receipts.Receipt) string {
	if !r.IsPeerRead {
		return "Not read yet."
	}
	text := "Read " + h.when(userID, r.Timestamp) + "."
	if r.EditedAt > r.Timestamp {
		text += " You edited it after it was read."
	}
	return text
}

// group lists a page of readers and non-readers. Lists are the author's only:
// a member who may see counts gets the counts.
func (h *Handler) group(userID string, r receipts.Receipt, a whoArgs) string {
	total := r.ReadCount + r.UnreadCount
	head := fmt.Sprintf("Read by %d of %d.", r.ReadCount, total)
	offset := (a.page - 1) * whoPageSize
	read, err := h.slice(userID, r.PostID, receipts.FilterRead, offset)
	if err != nil {
		if e, ok := receipts.AsError(err); ok && e.ID == receipts.ErrNoPermission.ID {
			return head + " Only the sender can see who read it."
		}
		return whoFailure(err)
	}
	unread, err := h.slice(userID, r.PostID, receipts.FilterUnread, offset)
	if err != nil {
		return whoFailure(err)
	}
	var b strings.Builder
	b.WriteString(head)
	if r.EditedAt > 0 {
		b.WriteString(" You edited it " + h.when(userID, r.EditedAt) + "; \"before edit\" marks who read the earlier text.")
	}
	if a.page > 1 {
		fmt.Fprintf(&b, " Page %d.", a.page)
	}
	h.list(&b, userID, "Read", read, r.ReadCount-offset)
	h.list(&b, userID, "Not read yet", unread, r.UnreadCount-offset)
	if r.ReadCount > offset+whoPageSize || r.UnreadCount > offset+whoPageSize {
		fmt.Fprintf(&b, "\nNext page: `/receipts who %s %d`", r.PostID, a.page+1)
	}
	return b.String()
}

// list writes one titled list; left is how many entries remain from this
// page's first one on, so that what is not shown is counted.
func (h *Handler) list(b *strings.Builder, userID, title string, users []receipts.ReaderUser, left int) {
	if len(users) == 0 {
		return
	}
	fmt.Fprintf(b, "\n**%s:**", title)
	for _, u := range users {
		b.WriteString("\n- @" + u.Username)
		if u.ReadAt > 0 {
			b.WriteString(" " + h.when(userID, u.ReadAt))
		}
		if u.BeforeEdit {
			b.WriteString(" (before edit)")
		}
	}
	if more := left - len(users); more > 0 {
		fmt.Fprintf(b, "\n… and %d more", more)
	}
}

// slice returns up to whoPageSize entries of a reader list from offset on,
// paging through the API's cursors 100 at a time.
func (h *Handler) slice(userID, postID, filter string, offset int) ([]receipts.ReaderUser, error) {
	var got []receipts.ReaderUser
	cursor := ""
	for {
		want := offset + whoPageSize - len(got)
		q := receipts.ReaderQuery{Filter: filter, Cursor: cursor, PerPage: min(want, receipts.MaxPerPage)}
		page, err := h.svc.Readers(userID, postID, q)
		if err != nil {
			return nil, err
		}
		got = append(got, page.Users...)
		if page.IsFinished || len(got) >= offset+whoPageSize {
			break
		}
		cursor = page.NextCursor
	}
	if offset >= len(got) {
		return nil, nil
	}
	return got[offset:min(len(got), offset+whoPageSize)], nil
}

// when shows a time in the user's zone: the time alone today, with the date
// before.
func (h *Handler) when(userID string, ms int64) string {
	loc, military, now := time.UTC, true, time.Now()
	if h.clock != nil {
		loc, military, now = h.clock.Location(userID), h.clock.Military(userID), h.clock.Now()
	}
	t := time.UnixMilli(ms).In(loc)
	now = now.In(loc)
	layout := "3:04 PM"
	if military {
		layout = "15:04"
	}
	switch {
	case sameDay(t, now):
		return t.Format(layout)
	case t.Year() == now.Year():
		return t.Format("Jan 2 " + layout)
	}
	return t.Format("Jan 2 2006 " + layout)
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// whyNot explains a skip reason of the receipts query.
func whyNot(reason string) string {
	switch reason {
	case receipts.ReasonNotTracked:
		return "That message has no read receipts."
	case receipts.ReasonNoPermission:
		return "Only the sender can see who read that message."
	case receipts.ReasonHidden:
		return "You stopped sending read receipts, so you do not see other people's either."
	}
	return "There is no such message, or you cannot see it."
}

// whoFailure explains a refused /receipts who without internal details.
func whoFailure(err error) string {
	e, ok := receipts.AsError(err)
	switch {
	case !ok:
		return failure(err)
	case e.ID == receipts.ErrNoOwnPost.ID:
		return "You have no recent message with read receipts here. Give a post id or permalink: `/receipts who <post>`."
	case e.ID == receipts.ErrNotFound.ID:
		return whyNot(receipts.ReasonNotFound)
	case e.ID == receipts.ReasonNotTracked:
		return whyNot(receipts.ReasonNotTracked)
	case e.ID == receipts.ErrHidden.ID:
		return whyNot(receipts.ReasonHidden)
	}
	return "Could not do that: " + e.Message
}
