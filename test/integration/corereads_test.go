package integration

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestReadsFromCoreAPI: clients without the plugin's webapp produce reads by
// viewing the channel, posting, replying and reacting, through Mattermost's
// own API only; the author sees them within 15 s, by query and by event.
func TestReadsFromCoreAPI(t *testing.T) {
	t.Parallel()

	t.Run("viewing the channel", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t)
		author := env.NewUser(t, "author")
		members := env.NewUsers(t, 5, "member")
		ch := env.PublicChannel(t, author, members...)
		author.WS(t)
		p1 := postTracked(t, author, ch.Id, "one")
		p2 := postTracked(t, author, ch.Id, "two")

		members[0].ViewChannel(t, ch.Id)
		viewed := time.Now()
		for _, p := range []string{p1.Id, p2.Id} {
			waitReceipt(t, author, p, viewDeadline, func(r mmtest.Receipt) bool { return r.ReadCount == 1 })
			waitReceiptEvent(t, author, p, viewDeadline-time.Since(viewed), func(r mmtest.Receipt) bool { return r.ReadCount == 1 })
		}
		readers := allReaders(t, author, p2.Id, "read", 100)
		require.Len(t, readers, 1)
		assert.Equal(t, members[0].Id, readers[0].UserID)
		assert.GreaterOrEqual(t, readers[0].ReadAt, p2.CreateAt, "read at the view")
		assert.LessOrEqual(t, readers[0].ReadAt, time.Now().UnixMilli())
		requireSkipped(t, members[0], p2.Id, mmtest.ReasonAlreadyRead)

		later := postTracked(t, author, ch.Id, "after the view")
		requireCounts(t, author, later.Id, 0, 5)
	})

	t.Run("viewing a DM", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t)
		alice := env.NewUser(t, "alice")
		bob := env.NewUser(t, "bob")
		dm := env.DM(t, alice, bob)
		alice.WS(t)
		post := postTracked(t, alice, dm.Id, "seen?")
		bob.ViewChannel(t, dm.Id)
		viewed := time.Now()
		got := waitReceipt(t, alice, post.Id, viewDeadline, func(r mmtest.Receipt) bool { return r.IsPeerRead })
		assert.Equal(t, bob.Id, got.UserID)
		assert.GreaterOrEqual(t, got.Timestamp, post.CreateAt)
		waitReceiptEvent(t, alice, post.Id, viewDeadline-time.Since(viewed), func(r mmtest.Receipt) bool { return r.IsPeerRead })
	})

	t.Run("posting, replying and reacting", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t)
		author := env.NewUser(t, "author")
		members := env.NewUsers(t, 5, "member")
		ch := env.PrivateChannel(t, author, members...)
		author.WS(t)
		p1 := postTracked(t, author, ch.Id, "one")
		p2 := postTracked(t, author, ch.Id, "two")
		p3 := postTracked(t, author, ch.Id, "three")

		waitReaders := func(t *testing.T, postID string, want ...*mmtest.User) {
			t.Helper()
			err := mmtest.Poll(viewDeadline, 200*time.Millisecond, func() (bool, string) {
				page, res, err := author.Plugin.Readers(t.Context(), postID, "read", "", 100)
				if err != nil || res.Status != 200 {
					return false, "readers failed"
				}
				got := readerIDs(page.Users)
				for _, u := range want {
					if !slices.Contains(got, u.Id) {
						return false, "readers so far: " + joinIDs(got)
					}
				}
				return true, ""
			})
			require.NoError(t, err, "readers of %s", postID)
		}

		t.Run("posting in the channel reads what came before", func(t *testing.T) {
			members[0].Post(t, ch.Id, "I am here")
			for _, p := range []string{p1.Id, p2.Id, p3.Id} {
				waitReaders(t, p, members[0])
			}
		})
		t.Run("replying in a thread reads its root", func(t *testing.T) {
			members[1].Reply(t, p1, "answer")
			waitReaders(t, p1.Id, members[1])
		})
		t.Run("reacting reads the post and those before it", func(t *testing.T) {
			members[2].React(t, p2.Id, "thumbsup")
			waitReaders(t, p2.Id, members[2])
			waitReaders(t, p1.Id, members[2])
		})
		t.Run("the author hears of these reads", func(t *testing.T) {
			waitReceiptEvent(t, author, p2.Id, viewDeadline, func(r mmtest.Receipt) bool { return r.ReadCount >= 2 })
		})
		t.Run("no one read more than they did", func(t *testing.T) {
			page, res, err := author.Plugin.Readers(t.Context(), p3.Id, "read", "", 100)
			requireOK(t, res, err)
			assert.NotContains(t, readerIDs(page.Users), members[2].Id, "reacting to p2 does not read p3")
			assert.NotContains(t, readerIDs(page.Users), members[3].Id)
		})
	})
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ","
		}
		out += id
	}
	return out
}
