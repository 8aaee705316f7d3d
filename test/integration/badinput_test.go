package integration

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// idList is a batch body of n unknown (well-formed) post ids plus extra.
func idList(n int, extra ...string) string {
	ids := make([]string, 0, n+len(extra))
	for range n {
		ids = append(ids, `"`+randomID()+`"`)
	}
	for _, id := range extra {
		ids = append(ids, `"`+id+`"`)
	}
	return `{"post_ids":[` + strings.Join(ids, ",") + `]}`
}

// overMegabyte is valid JSON naming one post, padded with whitespace past 1 MB.
func overMegabyte(postID string) string {
	return `{"post_ids":["` + postID + `"]` + strings.Repeat(" ", 1<<20+1024) + `}`
}

// TestBadInput: every malformed request gets 400 or 413 with {"error","id"}
// and changes nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	ch := env.PublicChannel(t, author, members...)
	post := postTracked(t, author, ch.Id, "bad input")
	other := postTracked(t, author, ch.Id, "another post")
	caller := members[0]

	// A real cursor of another post's list, and of this post's unread list.
	for _, m := range members[1:3] {
		requireRecorded(t, m, other.Id)
	}
	otherPage, res, err := author.Plugin.Readers(t.Context(), other.Id, "read", "", 1)
	requireOK(t, res, err)
	require.NotEmpty(t, otherPage.NextCursor)
	unreadPage, res, err := author.Plugin.Readers(t.Context(), post.Id, "unread", "", 1)
	requireOK(t, res, err)
	require.NotEmpty(t, unreadPage.NextCursor)

	future := time.Now().Add(time.Hour).UnixMilli()
	readers := "/posts/" + post.Id + "/readers"
	tests := []struct {
		name   string
		caller *mmtest.User
		method string
		path   string
		body   string
		status int
	}{
		{"reads: malformed JSON", caller, http.MethodPost, "/reads", `{"post_ids":[`, 400},
		{"reads: not JSON", caller, http.MethodPost, "/reads", `post_ids=` + post.Id, 400},
		{"reads: post_ids not a list", caller, http.MethodPost, "/reads", `{"post_ids":"` + post.Id + `"}`, 400},
		{"reads: ids not strings", caller, http.MethodPost, "/reads", `{"post_ids":[1,2]}`, 400},
		{"reads: 201 ids", caller, http.MethodPost, "/reads", idList(201), 400},
		{"reads: body over 1 MB", caller, http.MethodPost, "/reads", overMegabyte(post.Id), 413},
		{"query: malformed JSON", author, http.MethodPost, "/receipts/query", `{`, 400},
		{"query: post_ids not a list", author, http.MethodPost, "/receipts/query", `{"post_ids":{}}`, 400},
		{"query: 201 ids", author, http.MethodPost, "/receipts/query", idList(201), 400},
		{"query: body over 1 MB", author, http.MethodPost, "/receipts/query", overMegabyte(post.Id), 413},
		{"channel read: not an id", caller, http.MethodPost, "/channels/not-an-id/read", `{}`, 400},
		{"channel read: upper-case id", caller, http.MethodPost, "/channels/" + strings.ToUpper(ch.Id) + "/read", `{}`, 400},
		{"channel read: negative until", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"until":-1}`, 400},
		{"channel read: future until", caller, http.MethodPost, "/channels/" + ch.Id + "/read", fmt.Sprintf(`{"until":%d}`, future), 400},
		{"channel read: until not a number", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"until":"soon"}`, 400},
		{"channel read: malformed JSON", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"until":`, 400},
		{"channel read: body over 1 MB", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{}` + strings.Repeat(" ", 1<<20+1024), 413},
		{"readers: not an id", author, http.MethodGet, "/posts/xyz/readers", "", 400},
		{"readers: unknown filter", author, http.MethodGet, readers + "?filter=maybe", "", 400},
		{"readers: per_page 0", author, http.MethodGet, readers + "?per_page=0", "", 400},
		{"readers: per_page 101", author, http.MethodGet, readers + "?per_page=101", "", 400},
		{"readers: per_page -1", author, http.MethodGet, readers + "?per_page=-1", "", 400},
		{"readers: per_page not a number", author, http.MethodGet, readers + "?per_page=ten", "", 400},
		{"readers: forged cursor", author, http.MethodGet, readers + "?cursor=forged", "", 400},
		{"readers: forged base64 cursor", author, http.MethodGet, readers + "?cursor=eyJwIjoiYWJjIiwibyI6MX0", "", 400},
		{"readers: cursor of another post", author, http.MethodGet, readers + "?cursor=" + otherPage.NextCursor, "", 400},
		{"readers: cursor of the other filter", author, http.MethodGet, readers + "?filter=read&cursor=" + unreadPage.NextCursor, "", 400},
		{"channel settings: not an id", caller, http.MethodGet, "/channels/general/settings", "", 400},
		{"channel settings: PUT not an id", author, http.MethodPut, "/channels/general/settings", `{"enabled":false}`, 400},
		{"channel settings: malformed JSON", author, http.MethodPut, "/channels/" + ch.Id + "/settings", `{"enabled":`, 400},
		{"channel settings: enabled not a bool", author, http.MethodPut, "/channels/" + ch.Id + "/settings", `{"enabled":"no"}`, 400},
		{"channel settings: enabled missing", author, http.MethodPut, "/channels/" + ch.Id + "/settings", `{}`, 400},
		{"me settings: malformed JSON", caller, http.MethodPut, "/me/settings", `[`, 400},
		{"me settings: not a bool", caller, http.MethodPut, "/me/settings", `{"send_read_receipts":"no"}`, 400},
		{"me settings: field missing", caller, http.MethodPut, "/me/settings", `{}`, 400},
		{"reads: field name in upper case", caller, http.MethodPost, "/reads", `{"POST_IDS":["` + post.Id + `"]}`, 400},
		{"reads: field name in other case", caller, http.MethodPost, "/reads", `{"Post_Ids":["` + post.Id + `"]}`, 400},
		{"reads: duplicate key", caller, http.MethodPost, "/reads", `{"post_ids":[],"post_ids":["` + post.Id + `"]}`, 400},
		{"reads: trailing data", caller, http.MethodPost, "/reads", `{"post_ids":["` + post.Id + `"]} []`, 400},
		{"query: field name in upper case", author, http.MethodPost, "/receipts/query", `{"POST_IDS":["` + post.Id + `"]}`, 400},
		{"channel read: until a fraction", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"until":1.5}`, 400},
		{"channel read: until beyond int64", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"until":9223372036854775808}`, 400},
		{"channel read: until given twice", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"until":1,"until":2}`, 400},
		{"channel read: field name in upper case", caller, http.MethodPost, "/channels/" + ch.Id + "/read", `{"UNTIL":1}`, 400},
		{"readers: per_page with a sign", author, http.MethodGet, readers + "?per_page=%2B5", "", 400},
		{"readers: per_page with a leading zero", author, http.MethodGet, readers + "?per_page=05", "", 400},
		{"readers: per_page twice", author, http.MethodGet, readers + "?per_page=5&per_page=7", "", 400},
		{"readers: empty filter", author, http.MethodGet, readers + "?filter=", "", 400},
		{"readers: filter in upper case", author, http.MethodGet, readers + "?filter=READ", "", 400},
		{"channel settings: field name in upper case", author, http.MethodPut, "/channels/" + ch.Id + "/settings", `{"ENABLED":false}`, 400},
		{"me settings: duplicate key", caller, http.MethodPut, "/me/settings", `{"send_read_receipts":true,"send_read_receipts":false}`, 400},
		{"me settings: field name in other case", caller, http.MethodPut, "/me/settings", `{"Send_Read_Receipts":false}`, 400},
		{"wrong method on reads", caller, http.MethodGet, "/reads", "", 405},
		{"wrong method on config", caller, http.MethodDelete, "/config", "", 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			res, err := tc.caller.Plugin.Do(t.Context(), tc.method, tc.path, body)
			require.NoError(t, err)
			requireAPIError(t, res, tc.status)
		})
	}

	t.Run("nothing changed", func(t *testing.T) {
		requireCounts(t, author, post.Id, 0, 4)
		got, res, err := author.Plugin.ChannelSettings(t.Context(), ch.Id)
		requireOK(t, res, err)
		assert.True(t, got.Enabled)
		me, res, err := caller.Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.True(t, me.SendReadReceipts)
	})

	t.Run("exactly 200 ids is fine", func(t *testing.T) {
		res, err := caller.Plugin.Do(t.Context(), http.MethodPost, "/reads", idList(199, post.Id))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.Status, "answer: %s", res)
		var out mmtest.ReadsResult
		require.NoError(t, res.Decode(&out))
		assert.Equal(t, []string{post.Id}, out.Recorded)
		assert.Len(t, out.Skipped, 199)
		for _, s := range out.Skipped {
			assert.Equal(t, mmtest.ReasonNotFound, s.Reason)
		}
		res, err = author.Plugin.Do(t.Context(), http.MethodPost, "/receipts/query", idList(200))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.Status, "answer: %s", res)
	})
}

// TestNoSession: every endpoint answers 401 without a session.
func TestNoSession(t *testing.T) {
	t.Parallel()
	anonymous := mmtest.NewPluginClient("")
	id := randomID()
	endpoints := []struct{ method, path, body string }{
		{http.MethodGet, "/config", ""},
		{http.MethodPost, "/reads", `{"post_ids":["` + id + `"]}`},
		{http.MethodPost, "/channels/" + id + "/read", `{}`},
		{http.MethodPost, "/receipts/query", `{"post_ids":["` + id + `"]}`},
		{http.MethodGet, "/posts/" + id + "/readers", ""},
		{http.MethodGet, "/channels/" + id + "/settings", ""},
		{http.MethodPut, "/channels/" + id + "/settings", `{"enabled":false}`},
		{http.MethodGet, "/me/settings", ""},
		{http.MethodPut, "/me/settings", `{"send_read_receipts":false}`},
	}
	for _, e := range endpoints {
		t.Run(e.method+" "+e.path, func(t *testing.T) {
			var body any
			if e.body != "" {
				body = e.body
			}
			res, err := anonymous.Do(t.Context(), e.method, e.path, body)
			require.NoError(t, err)
			requireAPIError(t, res, http.StatusUnauthorized)
		})
	}
}

// TestRateLimitCountsIDs: a request's cost is the number of ids it carries,
// so batches of 200 ids reach the per-user budget long before 300 requests.
// The batches go out from 24 workers at once, so that the budget's refill
// cannot keep up however slow the machine is.
func TestRateLimitCountsIDs(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	caller := env.NewUser(t, "greedy")
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = fmt.Sprintf("x%d", i) // not ids: skipped cheaply, still counted
	}
	var refused, served atomic.Int64
	var retryAfter atomic.Value
	next := make(chan struct{})
	var wg sync.WaitGroup
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				res, err := caller.Plugin.Do(t.Context(), http.MethodPost, "/receipts/query", map[string]any{"post_ids": ids})
				switch {
				case err != nil:
				case res.Status == http.StatusTooManyRequests:
					refused.Add(1)
					retryAfter.Store(res.Header.Get("Retry-After"))
				case res.Status == http.StatusOK:
					served.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 300 && refused.Load() == 0; i++ {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	t.Logf("%d batches of 200 ids served, %d refused", served.Load(), refused.Load())
	require.NotZero(t, refused.Load(), "300 batches of 200 ids (60,000 post checks) were all served")
	assert.Equal(t, "1", retryAfter.Load())
	other := env.NewUser(t, "modest")
	_, res, err := other.Plugin.Query(t.Context(), randomID())
	requireOK(t, res, err)
}
