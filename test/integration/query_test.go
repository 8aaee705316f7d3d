package integration

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestQueryDirectMessage checks the one-to-one Receipt fields.
func TestQueryDirectMessage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice := env.NewUser(t, "alice")
	bob := env.NewUser(t, "bob")
	dm := env.DM(t, alice, bob)
	post := postTracked(t, alice, dm.Id, "hi bob")

	before := requireReceipt(t, alice, post.Id)
	assert.Equal(t, mmtest.Receipt{PostID: post.Id, ChannelID: dm.Id, UserID: bob.Id, UnreadCount: 1}, before)

	requireRecorded(t, bob, post.Id)
	after := requireReceipt(t, alice, post.Id)
	assert.Equal(t, post.Id, after.PostID)
	assert.Equal(t, dm.Id, after.ChannelID)
	assert.Equal(t, bob.Id, after.UserID, "user_id is the peer")
	assert.True(t, after.IsPeerRead)
	assert.GreaterOrEqual(t, after.Timestamp, post.CreateAt, "timestamp is the read time")
	assert.Equal(t, 1, after.ReadCount)
	assert.Equal(t, 0, after.UnreadCount)

	readers := allReaders(t, alice, post.Id, "read", 100)
	if assert.Len(t, readers, 1) {
		assert.Equal(t, after.Timestamp, readers[0].ReadAt, "the receipt's timestamp is the reader's read_at")
	}

	// The reader may not see the counts of the author's post (CountsVisibleTo author).
	requireQuerySkipped(t, bob, post.Id, mmtest.ReasonNoPermission)
}

// TestQueryGroup checks the group Receipt fields and every query skip reason.
func TestQueryGroup(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	outsider := env.NewUser(t, "outsider")
	gm := env.GM(t, append([]*mmtest.User{author}, members...)...)
	untracked := author.PostWith(t, withReadReceipt(gm.Id, "no receipts please", false))
	post := postTracked(t, author, gm.Id, "hello group")

	assert.Equal(t, mmtest.Receipt{PostID: post.Id, ChannelID: gm.Id, ReadCount: 0, UnreadCount: 4}, requireReceipt(t, author, post.Id))
	requireRecorded(t, members[0], post.Id)
	requireRecorded(t, members[1], post.Id)
	got := requireReceipt(t, author, post.Id)
	assert.Equal(t, mmtest.Receipt{PostID: post.Id, ChannelID: gm.Id, ReadCount: 2, UnreadCount: 2}, got,
		"group receipts have no user_id, is_peer_read or timestamp")

	// A private channel post of someone else, to show not_found for posts the caller cannot see.
	secret := env.PrivateChannel(t, outsider)
	secretPost := outsider.Post(t, secret.Id, "secret")

	tests := []struct {
		name   string
		caller *mmtest.User
		postID string
		reason string
	}{
		{"not_found: no such post", author, randomID(), mmtest.ReasonNotFound},
		{"not_found: not a Mattermost id", author, "xyz", mmtest.ReasonNotFound},
		{"not_found: a post the caller cannot see", author, secretPost.Id, mmtest.ReasonNotFound},
		{"not_found: a group message the caller is not in", outsider, post.Id, mmtest.ReasonNotFound},
		{"not_tracked", author, untracked.Id, mmtest.ReasonNotTracked},
		{"no_permission: a member asking for the author's counts", members[2], post.Id, mmtest.ReasonNoPermission},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			requireQuerySkipped(t, tc.caller, tc.postID, tc.reason)
		})
	}

	t.Run("a batch answers each post once", func(t *testing.T) {
		missing := randomID()
		out, res, err := author.Plugin.Query(t.Context(), post.Id, untracked.Id, missing)
		requireOK(t, res, err)
		if assert.Len(t, out.Receipts, 1) {
			assert.Equal(t, post.Id, out.Receipts[0].PostID)
		}
		assert.Equal(t, map[string]string{untracked.Id: mmtest.ReasonNotTracked, missing: mmtest.ReasonNotFound}, reasons(out.Skipped))
	})

	t.Run("hidden_by_privacy: the author stopped sending receipts", func(t *testing.T) {
		_, res, err := author.Plugin.SetSendReadReceipts(t.Context(), false)
		requireOK(t, res, err)
		requireQuerySkipped(t, author, post.Id, mmtest.ReasonHiddenByPrivacy)
		_, res, err = author.Plugin.SetSendReadReceipts(t.Context(), true)
		requireOK(t, res, err)
		assert.Equal(t, 2, requireReceipt(t, author, post.Id).ReadCount, "receipts come back, reads were kept")
	})
}
