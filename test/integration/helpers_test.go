package integration

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// viewDeadline is API.md's promise for reads found from other clients: the
// author sees them within 15 s of the view.
const viewDeadline = 15 * time.Second

// quiet is how long a test listens to be sure an event does not arrive.
const quiet = 3 * time.Second

func newEnv(t *testing.T) *mmtest.Env {
	t.Helper()
	return suite.NewEnv(t)
}

// requireAPIError checks the status and the plugin's `{"error","id"}` body.
func requireAPIError(t *testing.T, res *mmtest.Result, status int) {
	t.Helper()
	require.NotNil(t, res)
	require.Equal(t, status, res.Status, "answer: %s", res)
	var body mmtest.APIError
	require.NoError(t, res.Decode(&body), "error body")
	assert.NotEmpty(t, body.Error, "error message in %s", res)
	assert.NotEmpty(t, body.ID, "error id in %s", res)
}

// requireOK checks a 200 answer and no transport/decoding error.
func requireOK(t *testing.T, res *mmtest.Result, err error) {
	t.Helper()
	require.NoError(t, err)
	require.NotNil(t, res)
	require.Equal(t, http.StatusOK, res.Status, "answer: %s", res)
}

// reasons maps post id to skip reason.
func reasons(skipped []mmtest.Skipped) map[string]string {
	out := map[string]string{}
	for _, s := range skipped {
		out[s.PostID] = s.Reason
	}
	return out
}

// read records reads as u and returns the answer.
func read(t *testing.T, u *mmtest.User, postIDs ...string) mmtest.ReadsResult {
	t.Helper()
	out, res, err := u.Plugin.Reads(t.Context(), postIDs...)
	requireOK(t, res, err)
	return out
}

// requireRecorded reads one post as u and requires it to be recorded.
func requireRecorded(t *testing.T, u *mmtest.User, postID string) {
	t.Helper()
	out := read(t, u, postID)
	require.Equal(t, []string{postID}, out.Recorded, "skipped: %v", out.Skipped)
}

// requireSkipped reads one post as u and requires it skipped for reason.
func requireSkipped(t *testing.T, u *mmtest.User, postID, reason string) {
	t.Helper()
	out := read(t, u, postID)
	assert.Empty(t, out.Recorded)
	assert.Equal(t, map[string]string{postID: reason}, reasons(out.Skipped))
}

// query returns u's receipt for a post, or the skip reason.
func query(t *testing.T, u *mmtest.User, postID string) (*mmtest.Receipt, string) {
	t.Helper()
	out, res, err := u.Plugin.Query(t.Context(), postID)
	requireOK(t, res, err)
	for _, r := range out.Receipts {
		if r.PostID == postID {
			return &r, ""
		}
	}
	return nil, reasons(out.Skipped)[postID]
}

// requireReceipt queries one post as u and requires a receipt.
func requireReceipt(t *testing.T, u *mmtest.User, postID string) mmtest.Receipt {
	t.Helper()
	r, reason := query(t, u, postID)
	require.NotNil(t, r, "no receipt for %s (skipped: %q)", postID, reason)
	return *r
}

// requireCounts queries one post as u and checks its counts.
func requireCounts(t *testing.T, u *mmtest.User, postID string, readCount, unreadCount int) {
	t.Helper()
	r := requireReceipt(t, u, postID)
	assert.Equal(t, readCount, r.ReadCount, "read_count of %s", postID)
	assert.Equal(t, unreadCount, r.UnreadCount, "unread_count of %s", postID)
}

// requireQuerySkipped queries one post as u and requires the skip reason.
func requireQuerySkipped(t *testing.T, u *mmtest.User, postID string, want ...string) {
	t.Helper()
	r, reason := query(t, u, postID)
	require.Nil(t, r, "unexpected receipt %+v", r)
	require.Contains(t, want, reason, "skip reason of %s", postID)
}

// waitReceipt polls the author's query until cond holds, up to timeout.
func waitReceipt(t *testing.T, u *mmtest.User, postID string, timeout time.Duration, cond func(mmtest.Receipt) bool) mmtest.Receipt {
	t.Helper()
	var got mmtest.Receipt
	err := mmtest.Poll(timeout, 200*time.Millisecond, func() (bool, string) {
		out, res, err := u.Plugin.Query(t.Context(), postID)
		if err != nil || res.Status != http.StatusOK {
			return false, fmt.Sprintf("query failed: %v %v", err, res)
		}
		for _, r := range out.Receipts {
			if r.PostID == postID {
				got = r
				return cond(r), fmt.Sprintf("last receipt %+v", r)
			}
		}
		return false, fmt.Sprintf("no receipt, skipped %v", out.Skipped)
	})
	require.NoError(t, err, "receipt of %s", postID)
	return got
}

// allReaders pages through a reader list and returns every user, failing on
// a page that repeats a user.
func allReaders(t *testing.T, author *mmtest.User, postID, filter string, perPage int) []mmtest.Reader {
	t.Helper()
	var users []mmtest.Reader
	seen := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		require.Less(t, page, 1000, "reader list does not finish")
		out, res, err := author.Plugin.Readers(t.Context(), postID, filter, cursor, perPage)
		requireOK(t, res, err)
		require.LessOrEqual(t, len(out.Users), perPage, "page longer than per_page")
		for _, u := range out.Users {
			require.False(t, seen[u.UserID], "user %s repeated on page %d", u.Username, page)
			seen[u.UserID] = true
			users = append(users, u)
		}
		if out.IsFinished {
			return users
		}
		require.NotEmpty(t, out.NextCursor, "unfinished page without next_cursor")
		cursor = out.NextCursor
	}
}

func ids(users ...*mmtest.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Id)
	}
	return out
}

func readerIDs(readers []mmtest.Reader) []string {
	out := make([]string, 0, len(readers))
	for _, r := range readers {
		out = append(out, r.UserID)
	}
	return out
}

func sortedUsernames(users ...*mmtest.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Username)
	}
	slices.Sort(out)
	return out
}

// randomID is a well-formed Mattermost id that names nothing.
func randomID() string { return model.NewId() }

// normalize lower-cases and drops separators, to find a setting's name in a message.
func normalize(s string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "", ".", "").Replace(strings.ToLower(s))
}

// withProps returns a post with the read_receipt prop set.
func withReadReceipt(channelID, message string, want bool) *model.Post {
	p := &model.Post{ChannelId: channelID, Message: message}
	p.AddProp("read_receipt", want)
	return p
}

// assertSameIDs compares two id lists as sets (and their lengths).
func assertSameIDs(t *testing.T, want, got []string) {
	t.Helper()
	assert.ElementsMatch(t, want, got)
}

// settle is how long a test waits for a change the plugin learns from a hook
// that the server runs asynchronously (a member left, a user was deactivated).
const settle = 10 * time.Second

// waitCounts polls u's query until the post has these counts, up to settle.
func waitCounts(t *testing.T, u *mmtest.User, postID string, readCount, unreadCount int) {
	t.Helper()
	waitReceipt(t, u, postID, settle, func(r mmtest.Receipt) bool {
		return r.ReadCount == readCount && r.UnreadCount == unreadCount
	})
}

// The plugin learns about a post in MessageHasBeenPosted, which the server
// runs asynchronously after answering the post request; so a test waits until
// the author sees a receipt before acting on a post that should be tracked.

// postTracked creates a post as author and waits until it is tracked.
func postTracked(t *testing.T, author *mmtest.User, channelID, message string) *model.Post {
	t.Helper()
	return postWithTracked(t, author, &model.Post{ChannelId: channelID, Message: message})
}

// postWithTracked creates the post as author and waits until it is tracked.
func postWithTracked(t *testing.T, author *mmtest.User, post *model.Post) *model.Post {
	t.Helper()
	created := author.PostWith(t, post)
	waitTracked(t, author, created.Id)
	return created
}

// waitTracked waits until the author's query answers a receipt for the post.
func waitTracked(t *testing.T, author *mmtest.User, postID string) {
	t.Helper()
	waitReceipt(t, author, postID, settle, func(mmtest.Receipt) bool { return true })
}
