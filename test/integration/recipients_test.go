package integration

import (
	"testing"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestRecipients checks who counts: bots, deactivated users, late joiners,
// leavers and deactivations after the post.
func TestRecipients(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 6, "member")
	inactive := env.NewUser(t, "inactive")
	bot := env.NewBot(t)
	ch := env.PrivateChannel(t, author, append(members, inactive)...)
	env.AddMembers(t, ch, bot)
	env.Deactivate(t, inactive)

	post := postTracked(t, author, ch.Id, "who counts?")
	// Six members; not the author, the bot or the deactivated user.
	requireCounts(t, author, post.Id, 0, 6)

	late := env.NewUser(t, "late")
	env.AddMembers(t, ch, late)
	requireSkipped(t, late, post.Id, mmtest.ReasonNotRecipient)
	requireCounts(t, author, post.Id, 0, 6)

	requireRecorded(t, members[0], post.Id)
	requireCounts(t, author, post.Id, 1, 5)

	t.Run("a reader who leaves still counts as read", func(t *testing.T) {
		env.RemoveFromChannel(t, ch.Id, members[0])
		waitCounts(t, author, post.Id, 1, 5)
	})
	t.Run("a non-reader who leaves no longer counts as unread", func(t *testing.T) {
		env.RemoveFromChannel(t, ch.Id, members[1])
		waitCounts(t, author, post.Id, 1, 4)
	})
	t.Run("a non-reader who is deactivated no longer counts as unread", func(t *testing.T) {
		env.Deactivate(t, members[2])
		waitCounts(t, author, post.Id, 1, 3)
	})
	t.Run("the unread list shows only those still counted", func(t *testing.T) {
		unread := allReaders(t, author, post.Id, "unread", 100)
		assertSameIDs(t, ids(members[3], members[4], members[5]), readerIDs(unread))
	})
	t.Run("all read when the rest read", func(t *testing.T) {
		for _, m := range members[3:] {
			requireRecorded(t, m, post.Id)
		}
		requireCounts(t, author, post.Id, 4, 0)
	})
}

// TestGroupMessageCanReachAllRead: a GM member cannot leave, but one who is
// deactivated stops counting, so the rest reading makes it "all read".
func TestGroupMessageCanReachAllRead(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	users := env.NewUsers(t, 4, "gm")
	author := users[0]
	gm := env.GM(t, users...)
	post := postTracked(t, author, gm.Id, "all of you?")
	requireCounts(t, author, post.Id, 0, 3)
	requireRecorded(t, users[1], post.Id)
	requireRecorded(t, users[2], post.Id)
	requireCounts(t, author, post.Id, 2, 1)
	env.Deactivate(t, users[3])
	waitCounts(t, author, post.Id, 2, 0)
}
