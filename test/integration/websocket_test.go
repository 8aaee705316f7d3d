package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestReceiptsEventGoesToTheAuthorOnly: reads reach the post's author as
// custom_readreceipts_receipts, and no one else.
func TestReceiptsEventGoesToTheAuthorOnly(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 5, "member")
	outsider := env.NewUser(t, "outsider")
	ch := env.PublicChannel(t, author, members...)
	everyone := append([]*mmtest.User{author, outsider}, members...)
	for _, u := range everyone {
		u.WS(t)
	}
	post := postTracked(t, author, ch.Id, "tell me when you read it")

	requireRecorded(t, members[0], post.Id)
	got := waitReceiptEvent(t, author, post.Id, 10*time.Second, func(r mmtest.Receipt) bool { return r.ReadCount >= 1 })
	assert.Equal(t, mmtest.Receipt{PostID: post.Id, ChannelID: ch.Id, ReadCount: 1, UnreadCount: 4}, got)

	for _, u := range members[1:4] {
		requireRecorded(t, u, post.Id)
	}
	t.Run("the latest counts arrive", func(t *testing.T) {
		got := waitReceiptEvent(t, author, post.Id, 10*time.Second, func(r mmtest.Receipt) bool { return r.ReadCount == 4 })
		assert.Equal(t, 1, got.UnreadCount)
	})
	t.Run("no one else hears of it", func(t *testing.T) {
		assertNoEvent(t, mmtest.EventReceipts, nil, append([]*mmtest.User{outsider}, members...)...)
	})
}

// TestReceiptsEventDirectMessage checks the one-to-one event payload.
func TestReceiptsEventDirectMessage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice := env.NewUser(t, "alice")
	bob := env.NewUser(t, "bob")
	dm := env.DM(t, alice, bob)
	alice.WS(t)
	bob.WS(t)
	post := postTracked(t, alice, dm.Id, "ping")

	requireRecorded(t, bob, post.Id)
	got := waitReceiptEvent(t, alice, post.Id, 10*time.Second, nil)
	assert.Equal(t, dm.Id, got.ChannelID)
	assert.Equal(t, bob.Id, got.UserID)
	assert.True(t, got.IsPeerRead)
	assert.GreaterOrEqual(t, got.Timestamp, post.CreateAt)
	assert.Equal(t, 1, got.ReadCount)
	assert.Equal(t, 0, got.UnreadCount)
	assert.NoError(t, bob.WS(t).NotReceived(mmtest.EventReceipts, quiet, nil))
}
