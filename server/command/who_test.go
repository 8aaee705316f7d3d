package command

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// The commands that are not about /receipts who see nothing of posts.
func (f *fakeService) QueryReceipts(string, []string) (receipts.QueryResult, error) {
	return receipts.QueryResult{}, nil
}

func (f *fakeService) Readers(string, string, receipts.ReaderQuery) (receipts.ReaderPage, error) {
	return receipts.ReaderPage{}, receipts.ErrNotFound
}

func (f *fakeService) NewestOwnPost(string, string, string) (string, error) {
	return "", receipts.ErrNoOwnPost
}

// whoService holds one post with its readers and non-readers, pages them
// like the API (offset cursors), and lets only the author see the lists.
type whoService struct {
	fakeService
	postID, author string
	direct         bool
	editedAt       int64
	read, unread   []receipts.ReaderUser
	skip           string
	failed         bool
}

func (w *whoService) QueryReceipts(_ string, ids []string) (receipts.QueryResult, error) {
	if w.failed {
		return receipts.QueryResult{Failed: ids}, nil
	}
	if w.skip != "" || ids[0] != w.postID {
		return receipts.QueryResult{Skipped: []receipts.Skipped{{PostID: ids[0], Reason: w.skip}}}, nil
	}
	r := receipts.Receipt{PostID: w.postID, ReadCount: len(w.read), UnreadCount: len(w.unread), EditedAt: w.editedAt}
	if w.direct {
		r.UserID = "peer"
		if len(w.read) > 0 {
			r.IsPeerRead, r.Timestamp = true, w.read[0].ReadAt
		}
	}
	return receipts.QueryResult{Receipts: []receipts.Receipt{r}}, nil
}

func (w *whoService) Readers(userID, _ string, q receipts.ReaderQuery) (receipts.ReaderPage, error) {
	if userID != w.author {
		return receipts.ReaderPage{}, receipts.ErrNoPermission
	}
	list := w.read
	if q.Filter == receipts.FilterUnread {
		list = w.unread
	}
	start := 0
	if q.Cursor != "" {
		_, _ = fmt.Sscan(q.Cursor, &start)
	}
	end := min(len(list), start+q.PerPage)
	page := receipts.ReaderPage{Users: list[start:end], IsFinished: end == len(list)}
	if !page.IsFinished {
		page.NextCursor = fmt.Sprint(end)
	}
	return page, nil
}

func (w *whoService) NewestOwnPost(userID, _, _ string) (string, error) {
	if userID != w.author {
		return "", receipts.ErrNoOwnPost
	}
	return w.postID, nil
}

// fixedClock is in UTC at a fixed time, with the 24-hour choice given.
type fixedClock struct {
	now      time.Time
	military bool
}

func (c fixedClock) Now() time.Time                 { return c.now }
func (c fixedClock) Location(string) *time.Location { return time.UTC }
func (c fixedClock) Military(string) bool           { return c.military }

const postID = "abcdefghijklmnopqrstuvwxyz"

func users(prefix string, n int, at int64) []receipts.ReaderUser {
	out := make([]receipts.ReaderUser, n)
	for i := range out {
		out[i] = receipts.ReaderUser{UserID: fmt.Sprint(prefix, i), Username: fmt.Sprintf("%s%02d", prefix, i)}
		if at > 0 {
			out[i].ReadAt = at + int64(i)*60_000
		}
	}
	return out
}

func who(h *Handler, userID, command string) string {
	return h.Execute(&model.CommandArgs{Command: command, UserId: userID, ChannelId: "c"}).Text
}

func TestWhoPagesReadersAndNonReaders(t *testing.T) {
	noon := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	svc := &whoService{postID: postID, author: "a",
		read: users("reader", 45, noon.UnixMilli()), unread: users("waiting", 3, 0)}
	h := New(svc, config.Default)
	h.UseClock(fixedClock{now: noon.Add(time.Hour), military: true})

	first := who(h, "a", "/receipts who")
	assert.Contains(t, first, "Read by 45 of 48.")
	assert.Contains(t, first, "@reader00 12:00")
	assert.Contains(t, first, "@reader19 12:19")
	assert.NotContains(t, first, "@reader20")
	assert.Contains(t, first, "… and 25 more")
	assert.Contains(t, first, "@waiting02")
	assert.Contains(t, first, "`/receipts who "+postID+" 2`")

	third := who(h, "a", "/receipts who https://chat.example.com/team/pl/"+postID+" 3")
	assert.Contains(t, third, "@reader40")
	assert.Contains(t, third, "@reader44")
	assert.NotContains(t, third, "@reader39")
	assert.NotContains(t, third, "more")
	assert.NotContains(t, third, "waiting", "the short list ended on page 1")
	assert.NotContains(t, third, "Next page")

	svc.editedAt = noon.Add(90 * time.Second).UnixMilli()
	svc.read[0].BeforeEdit = true
	edited := who(h, "a", "/receipts who")
	assert.Contains(t, edited, "You edited it 12:01;")
	assert.Contains(t, edited, "@reader00 12:00 (before edit)")
	assert.NotContains(t, edited, "@reader01 12:01 (before edit)")

	h.UseClock(fixedClock{now: noon.Add(48 * time.Hour)})
	assert.Contains(t, who(h, "a", "/receipts who "+postID), "@reader01 Nov 30 12:01 PM", "another day shows the date")
}

func TestWhoOneToOne(t *testing.T) {
	noon := time.Date(2026, 11, 30, 14, 2, 0, 0, time.UTC)
	svc := &whoService{postID: postID, author: "a", direct: true}
	h := New(svc, config.Default)
	h.UseClock(fixedClock{now: noon, military: true})
	assert.Equal(t, "Not read yet.", who(h, "a", "/receipts who"))
	svc.read = users("peer", 1, noon.UnixMilli())
	assert.Equal(t, "Read 14:02.", who(h, "a", "/receipts who"))
	svc.editedAt = noon.Add(time.Minute).UnixMilli()
	assert.Equal(t, "Read 14:02. You edited it after it was read.", who(h, "a", "/receipts who"))
}

func TestWhoRefusals(t *testing.T) {
	svc := &whoService{postID: postID, author: "a", read: users("r", 2, 1), unread: users("u", 1, 0)}
	h := New(svc, config.Default)
	cases := map[string]struct{ user, command, skip, want string }{
		"member who may see counts": {"m", "/receipts who " + postID, "", "Read by 2 of 3. Only the sender"},
		"no own post here":          {"m", "/receipts who", "", "no recent message with read receipts here"},
		"not tracked":               {"a", "/receipts who", receipts.ReasonNotTracked, "has no read receipts"},
		"no permission":             {"m", "/receipts who " + postID, receipts.ReasonNoPermission, "Only the sender"},
		"hidden by privacy":         {"a", "/receipts who", receipts.ReasonHidden, "stopped sending read receipts"},
		"not found":                 {"a", "/receipts who", receipts.ReasonNotFound, "no such message"},
		"bad id":                    {"a", "/receipts who nonsense", "", "Usage:"},
		"page zero":                 {"a", "/receipts who " + postID + " 0", "", "Usage:"},
		"two posts":                 {"a", "/receipts who " + postID + " " + postID, "", "Usage:"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			svc.skip = c.skip
			got := who(h, c.user, c.command)
			require.True(t, strings.Contains(got, c.want), "%q does not contain %q", got, c.want)
		})
	}
	svc.skip, svc.failed = "", true
	assert.Contains(t, who(h, "a", "/receipts who"), "try again", "a receipt that failed to load is not \"no such message\"")
}
