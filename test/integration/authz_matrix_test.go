package integration

// The authorization × privacy matrix: every endpoint, websocket event and
// implied-read path against every kind of caller, on the real server. Whether
// a caller may see a channel is Mattermost's answer: each row also asks the
// core API (GET /posts/{id}) and requires the plugin to agree.

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// caller kinds of the matrix.
const (
	asAuthor       = "author"
	asRecipient    = "recipient"
	asOptedOut     = "opted-out recipient"
	asRemoved      = "removed member"
	asOutsider     = "team member outside the channel"
	asOtherTeam    = "other team's user"
	asChannelAdmin = "channel admin"
	asTeamAdmin    = "team admin outside the channel"
	asSystemAdmin  = "system admin outside the channel"
	asBot          = "bot member"
	asDeactivated  = "deactivated recipient"
	asPlugin       = "another plugin"
)

// row is what one caller gets in one channel. Answers: reads and query are a
// reason ("" = recorded / a receipt); the others are HTTP statuses.
type row struct {
	caller      string
	sees        bool // what the core API says (checked)
	read, query string
	readers     int
	channelRead int
	getSettings int
	putSettings int
}

// expect derives a row from who the caller is, the rules of API.md.
func expect(caller string, sees, isRecipient, manages bool) row {
	r := row{caller: caller, sees: sees}
	switch {
	case !sees:
		r.read, r.query = mmtest.ReasonNotFound, mmtest.ReasonNotFound
		r.readers, r.channelRead, r.getSettings, r.putSettings = 404, 404, 404, 404
		return r
	case caller == asAuthor:
		r.read, r.readers = mmtest.ReasonOwnPost, 200
	case caller == asOptedOut:
		r.read, r.query, r.readers = mmtest.ReasonDisabled, mmtest.ReasonNoPermission, 403
	case isRecipient:
		r.query, r.readers = mmtest.ReasonNoPermission, 403
	default:
		r.read, r.query, r.readers = mmtest.ReasonNotRecipient, mmtest.ReasonNoPermission, 403
	}
	r.channelRead, r.getSettings, r.putSettings = 200, 200, 403
	if manages {
		r.putSettings = 200
	}
	return r
}

// matrixWorld is one team with two more users elsewhere, a private and a
// public channel with the same members, and a tracked post in each.
type matrixWorld struct {
	env     *mmtest.Env
	users   map[string]*mmtest.User
	private *model.Channel
	public  *model.Channel
}

func newMatrixWorld(t *testing.T) *matrixWorld {
	env := newEnv(t)
	w := &matrixWorld{env: env, users: map[string]*mmtest.User{}}
	names := []string{asAuthor, asRecipient, asOptedOut, asRemoved, asOutsider, asChannelAdmin, asTeamAdmin, asDeactivated, asPlugin}
	for i, u := range env.NewUsers(t, len(names), "mx") {
		w.users[names[i]] = u
	}
	w.users[asBot] = env.NewBot(t)
	w.users[asOtherTeam] = suite.NewEnv(t).NewUser(t, "elsewhere")
	env.MakeTeamAdmin(t, w.users[asTeamAdmin])
	members := []*mmtest.User{w.users[asRecipient], w.users[asOptedOut], w.users[asRemoved],
		w.users[asChannelAdmin], w.users[asBot], w.users[asDeactivated], w.users[asPlugin]}
	w.private = env.PrivateChannel(t, w.users[asAuthor], members...)
	w.public = env.PublicChannel(t, w.users[asAuthor], members...)
	for _, ch := range []*model.Channel{w.private, w.public} {
		env.MakeChannelAdmin(t, ch.Id, w.users[asChannelAdmin])
	}
	return w
}

// afterPosting turns the world into what the rows describe: the opted-out
// user stops sending, the removed member is removed, the deactivated one is.
func (w *matrixWorld) afterPosting(t *testing.T) {
	_, res, err := w.users[asOptedOut].Plugin.SetSendReadReceipts(t.Context(), false)
	requireOK(t, res, err)
	for _, ch := range []*model.Channel{w.private, w.public} {
		w.env.RemoveFromChannel(t, ch.Id, w.users[asRemoved])
	}
	w.env.Deactivate(t, w.users[asDeactivated])
}

func (w *matrixWorld) rows(public bool) []row {
	return []row{
		expect(asAuthor, true, false, true),
		expect(asRecipient, true, true, false),
		expect(asOptedOut, true, true, false),
		expect(asRemoved, public, true, false),
		expect(asOutsider, public, false, false),
		expect(asOtherTeam, false, false, false),
		expect(asChannelAdmin, true, true, true),
		expect(asTeamAdmin, public, false, true),
		expect(asSystemAdmin, true, false, true),
		expect(asBot, true, false, false),
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	installProbe(t)
	w := newMatrixWorld(t)
	author := w.users[asAuthor]
	author.WS(t)
	watchers := []*mmtest.User{w.users[asRecipient], w.users[asChannelAdmin], w.users[asOutsider], w.users[asTeamAdmin]}
	for _, u := range watchers {
		u.WS(t)
	}
	posts := map[string]*model.Post{
		"private": postTracked(t, author, w.private.Id, "matrix private"),
		"public":  postTracked(t, author, w.public.Id, "matrix public"),
	}
	w.afterPosting(t)
	for kind, post := range posts {
		for _, r := range w.rows(kind == "public") {
			t.Run(kind+"/"+r.caller, func(t *testing.T) {
				u := w.user(r.caller)
				requireCoreAgrees(t, u, post.Id, r.sees)
				checkRow(t, u, post, r)
			})
		}
		for _, caller := range []string{asDeactivated, asPlugin} {
			t.Run(kind+"/"+caller, func(t *testing.T) { checkRefused(t, w, caller, post) })
		}
	}
	t.Run("receipts events go to the author only", func(t *testing.T) {
		for _, post := range posts {
			waitReceiptEvent(t, author, post.Id, 10*time.Second, func(r mmtest.Receipt) bool { return r.ReadCount >= 2 })
			assertNoEvent(t, mmtest.EventReceipts, receiptIn(post.Id, nil), watchers...)
		}
	})
}

func (w *matrixWorld) user(caller string) *mmtest.User {
	if caller == asSystemAdmin {
		return &mmtest.User{User: suite.AdminUser, Client: suite.Admin, Plugin: suite.AdminPlugin}
	}
	return w.users[caller]
}

// requireCoreAgrees checks that Mattermost lets u read the post exactly when
// the row says so.
func requireCoreAgrees(t *testing.T, u *mmtest.User, postID string, sees bool) {
	t.Helper()
	_, resp, err := u.Client.GetPost(t.Context(), postID, "")
	coreSees := err == nil
	require.Equal(t, sees, coreSees, "core GET /posts answered %d; the matrix row disagrees with Mattermost", statusOfResp(resp))
}

func statusOfResp(resp *model.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

func checkRow(t *testing.T, u *mmtest.User, post *model.Post, r row) {
	t.Helper()
	out := read(t, u, post.Id)
	if r.read == "" {
		assert.Equal(t, []string{post.Id}, out.Recorded, "POST /reads: skipped %v", out.Skipped)
	} else {
		assert.Equal(t, map[string]string{post.Id: r.read}, reasons(out.Skipped), "POST /reads")
	}
	if rec, reason := query(t, u, post.Id); r.query == "" {
		assert.NotNil(t, rec, "POST /receipts/query: skipped %q", reason)
	} else {
		assert.Equal(t, r.query, reason, "POST /receipts/query")
	}
	ctx := t.Context()
	res, err := u.Plugin.Do(ctx, "GET", "/posts/"+post.Id+"/readers", nil)
	assertStatus(t, res, err, r.readers, "GET readers")
	res, err = u.Plugin.Do(ctx, "POST", "/channels/"+post.ChannelId+"/read", map[string]any{})
	assertStatus(t, res, err, r.channelRead, "POST channel read")
	res, err = u.Plugin.Do(ctx, "GET", "/channels/"+post.ChannelId+"/settings", nil)
	assertStatus(t, res, err, r.getSettings, "GET channel settings")
	res, err = u.Plugin.Do(ctx, "PUT", "/channels/"+post.ChannelId+"/settings", map[string]any{"enabled": true})
	assertStatus(t, res, err, r.putSettings, "PUT channel settings")
}

func assertStatus(t *testing.T, res *mmtest.Result, err error, want int, what string) {
	t.Helper()
	if assert.NoError(t, err, what) {
		assert.Equal(t, want, res.Status, "%s: %s", what, res)
	}
}

// checkRefused: a deactivated user's session is gone and another plugin is
// not a user, so every endpoint answers 401 (the plugin's with its own id).
func checkRefused(t *testing.T, w *matrixWorld, caller string, post *model.Post) {
	calls := []struct {
		method, path string
		body         any
	}{
		{"POST", "/reads", map[string]any{"post_ids": []string{post.Id}}},
		{"POST", "/receipts/query", map[string]any{"post_ids": []string{post.Id}}},
		{"GET", "/posts/" + post.Id + "/readers", nil},
		{"POST", "/channels/" + post.ChannelId + "/read", map[string]any{}},
		{"GET", "/channels/" + post.ChannelId + "/settings", nil},
		{"PUT", "/channels/" + post.ChannelId + "/settings", map[string]any{"enabled": false}},
		{"GET", "/me/settings", nil},
		{"PUT", "/me/settings", map[string]any{"send_read_receipts": false}},
		{"GET", "/config", nil},
	}
	for _, c := range calls {
		if caller == asDeactivated {
			res, err := w.users[asDeactivated].Plugin.Do(t.Context(), c.method, c.path, c.body)
			assertStatus(t, res, err, http.StatusUnauthorized, c.method+" "+c.path)
			continue
		}
		// Another plugin speaks for a recipient who may do all of these.
		got, err := mmtest.ThroughProbe(t.Context(), suite.AdminPlugin, c.method, c.path, w.users[asPlugin].Id, c.body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusUnauthorized, got.Status, "%s %s through another plugin: %s", c.method, c.path, got.Body)
		assert.Contains(t, got.Body, `"plugin_request_refused"`)
	}
	if caller == asPlugin {
		victim := w.users[asPlugin]
		assert.NotContains(t, readerIDs(allReaders(t, w.users[asAuthor], post.Id, "read", 100)), victim.Id,
			"another plugin recorded a read for a user")
		got, res, err := victim.Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.True(t, got.SendReadReceipts, "another plugin changed a user's privacy choice")
		settings, res, err := victim.Plugin.ChannelSettings(t.Context(), post.ChannelId)
		requireOK(t, res, err)
		assert.True(t, settings.Enabled, "another plugin turned the channel's receipts off")
	}
}

var probeOnce struct {
	sync.Once
	err error
}

// installProbe installs the plugin that plays "another plugin", once per run.
func installProbe(t *testing.T) {
	probeOnce.Do(func() { probeOnce.err = mmtest.InstallProbe(t.Context(), suite.Admin) })
	require.NoError(t, probeOnce.err, "install the probe plugin")
}
