package integration

import (
	"context"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// impliedPaths are the ways a read is recorded without the caller naming the
// post: each one acts as u on the tracked post p. Mattermost refuses some
// callers some actions (posting where one is not a member): what counts is
// what gets recorded, so refusals are ignored here.
var impliedPaths = map[string]func(t *testing.T, u *mmtest.User, p *model.Post){
	"post": func(t *testing.T, u *mmtest.User, p *model.Post) {
		_, _, _ = u.Client.CreatePost(t.Context(), &model.Post{ChannelId: p.ChannelId, Message: "after"})
	},
	"reply": func(t *testing.T, u *mmtest.User, p *model.Post) {
		_, _, _ = u.Client.CreatePost(t.Context(), &model.Post{ChannelId: p.ChannelId, RootId: p.Id, Message: "answer"})
	},
	"reaction": func(t *testing.T, u *mmtest.User, p *model.Post) {
		_, _, _ = u.Client.SaveReaction(t.Context(), &model.Reaction{UserId: u.Id, PostId: p.Id, EmojiName: "smile"})
	},
	"core view": func(t *testing.T, u *mmtest.User, p *model.Post) {
		_, _, _ = u.Client.ViewChannel(t.Context(), "me", &model.ChannelView{ChannelId: p.ChannelId})
	},
	"webapp report": func(t *testing.T, u *mmtest.User, p *model.Post) { _, _, _ = u.Plugin.Reads(t.Context(), p.Id) },
	"channel read": func(t *testing.T, u *mmtest.User, p *model.Post) {
		_, _, _ = u.Plugin.ReadChannel(t.Context(), p.ChannelId, 0)
	},
}

// TestImpliedReadMatrix: every implied-read path × caller kind. Only
// recipients who send receipts are ever counted, whatever the path; the
// author is told by event, and only the author.
func TestImpliedReadMatrix(t *testing.T) {
	t.Parallel()
	for name, act := range impliedPaths {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t)
			author := env.NewUser(t, "author")
			recipient, optedOut, admin, outsider := env.NewUser(t, "rcp"), env.NewUser(t, "shy"), env.NewUser(t, "cadm"), env.NewUser(t, "out")
			bot := env.NewBot(t)
			ch := env.PublicChannel(t, author, recipient, optedOut, admin, bot)
			env.MakeChannelAdmin(t, ch.Id, admin)
			post := postTracked(t, author, ch.Id, "implied "+name)
			_, res, err := optedOut.Plugin.SetSendReadReceipts(t.Context(), false)
			requireOK(t, res, err)
			author.WS(t)
			for _, u := range []*mmtest.User{optedOut, bot, outsider, recipient, admin} {
				act(t, u, post)
			}
			want := []string{recipient.Id, admin.Id}
			err = mmtest.Poll(viewDeadline, 250*time.Millisecond, func() (bool, string) {
				got := readerIDs(allReaders(t, author, post.Id, "read", 100))
				return len(got) >= len(want), "readers so far"
			})
			require.NoError(t, err)
			time.Sleep(quiet) // anything wrongly recorded has arrived by now
			assertSameIDs(t, want, readerIDs(allReaders(t, author, post.Id, "read", 100)))
			waitReceiptEvent(t, author, post.Id, viewDeadline, func(r mmtest.Receipt) bool { return r.ReadCount == 2 })
			assertNoEvent(t, mmtest.EventReceipts, receiptIn(post.Id, nil), recipient, optedOut, admin, outsider)
		})
	}
}

// TestViewWhileOptedOutNeverCounts: a member views the channel while not
// sending receipts (say in the mobile app) and turns sending back on seconds
// later; the author never sees a read timed while they were opted out. A view
// of a newer post after turning it back on counts, for the older post too.
// (Mattermost sets last_viewed_at to the channel's newest post time, not to
// the time of the view: a second view with no new post moves nothing.)
func TestViewWhileOptedOutNeverCounts(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author, reader := env.NewUser(t, "author"), env.NewUser(t, "reader")
	dm := env.DM(t, author, reader)
	post := postTracked(t, author, dm.Id, "seen while private")

	_, res, err := reader.Plugin.SetSendReadReceipts(t.Context(), false)
	requireOK(t, res, err)
	reader.ViewChannel(t, dm.Id)
	time.Sleep(2 * time.Second)
	_, res, err = reader.Plugin.SetSendReadReceipts(t.Context(), true)
	requireOK(t, res, err)
	resumed := model.GetMillis()

	time.Sleep(viewDeadline)
	requireCounts(t, author, post.Id, 0, 1)

	newer := postTracked(t, author, dm.Id, "after you came back")
	reader.ViewChannel(t, dm.Id)
	for _, p := range []*model.Post{post, newer} {
		r := waitReceipt(t, author, p.Id, viewDeadline, func(r mmtest.Receipt) bool { return r.IsPeerRead })
		assert.Greater(t, r.Timestamp, resumed, "read at the view made after turning receipts back on")
	}
}

// TestNoEventsToAuthorWithoutAccess: an author removed from a private channel,
// or who left it, gets no receipts events for reads there (a query answers
// not_found), nor the recount event when another member leaves.
func TestNoEventsToAuthorWithoutAccess(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"removed", "left"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t)
			author := env.NewUser(t, "author")
			members := env.NewUsers(t, 3, "m")
			ch := env.PrivateChannel(t, author, members...)
			post := postTracked(t, author, ch.Id, "then I was gone")
			author.WS(t)
			if how == "removed" {
				env.RemoveFromChannel(t, ch.Id, author)
			} else {
				_, err := author.Client.RemoveUserFromChannel(t.Context(), ch.Id, author.Id)
				require.NoError(t, err)
			}
			requireRecorded(t, members[0], post.Id)
			env.RemoveFromChannel(t, ch.Id, members[1])
			requireQuerySkipped(t, author, post.Id, mmtest.ReasonNotFound)
			assert.NoError(t, author.WS(t).NotReceived(mmtest.EventReceipts, quiet, receiptIn(post.Id, nil)))
		})
	}
}

// TestComplianceModeHidesPublicChannels: with compliance mode on, Mattermost
// stops team members from reading public channels they have not joined; the
// plugin follows and answers not_found, as for a post that does not exist.
// Sequential: it changes the server's configuration.
func TestComplianceModeHidesPublicChannels(t *testing.T) {
	env := newEnv(t)
	author, member, outsider := env.NewUser(t, "author"), env.NewUser(t, "member"), env.NewUser(t, "outsider")
	ch := env.PublicChannel(t, author, member)
	post := postTracked(t, author, ch.Id, "for members only")
	requireQuerySkipped(t, outsider, post.Id, mmtest.ReasonNoPermission)

	setCompliance(t, true)
	t.Cleanup(func() { setCompliance(t, false) })
	requireCoreAgrees(t, outsider, post.Id, false)
	requireQuerySkipped(t, outsider, post.Id, mmtest.ReasonNotFound)
	requireSkipped(t, outsider, post.Id, mmtest.ReasonNotFound)
	res, err := outsider.Plugin.Do(t.Context(), "GET", "/channels/"+ch.Id+"/settings", nil)
	assertStatus(t, res, err, 404, "channel settings")
	requireCoreAgrees(t, member, post.Id, true)
	requireRecorded(t, member, post.Id)
}

func setCompliance(t *testing.T, on bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, _, err := suite.Admin.GetConfig(ctx)
	require.NoError(t, err)
	cfg.ComplianceSettings.Enable = model.NewPointer(on)
	_, _, err = suite.Admin.UpdateConfig(ctx, cfg)
	require.NoError(t, err, "set ComplianceSettings.Enable=%v", on)
}
