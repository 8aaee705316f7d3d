package integration

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestPrivacyUserChoice: under user_choice a user may stop sending receipts,
// and (Reciprocal) then sees no one else's reads either.
func TestPrivacyUserChoice(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	ch := env.PublicChannel(t, author, members...)
	author.WS(t)

	t.Run("default: sending on, may change", func(t *testing.T) {
		got, res, err := members[0].Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.Equal(t, mmtest.MeSettings{SendReadReceipts: true, CanChange: true}, got)
	})

	t.Run("turning sending off is stored", func(t *testing.T) {
		got, res, err := members[0].Plugin.SetSendReadReceipts(t.Context(), false)
		requireOK(t, res, err)
		assert.Equal(t, mmtest.MeSettings{SendReadReceipts: false, CanChange: true}, got)
		got, res, err = members[0].Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.Equal(t, mmtest.MeSettings{SendReadReceipts: false, CanChange: true}, got)
	})

	post := postTracked(t, author, ch.Id, "hello")

	t.Run("a user who stopped sending is no recipient of new posts", func(t *testing.T) {
		requireCounts(t, author, post.Id, 0, 3)
		requireSkipped(t, members[0], post.Id, mmtest.ReasonDisabled)
	})

	t.Run("an opted-out author gets no receipts, by query or event", func(t *testing.T) {
		_, res, err := author.Plugin.SetSendReadReceipts(t.Context(), false)
		requireOK(t, res, err)
		requireRecorded(t, members[1], post.Id)
		requireQuerySkipped(t, author, post.Id, mmtest.ReasonHiddenByPrivacy)
		assert.NoError(t, author.WS(t).NotReceived(mmtest.EventReceipts, quiet, receiptIn(post.Id, nil)))
	})

	t.Run("turning sending on again shows the reads made meanwhile", func(t *testing.T) {
		_, res, err := author.Plugin.SetSendReadReceipts(t.Context(), true)
		requireOK(t, res, err)
		requireCounts(t, author, post.Id, 1, 2)
		requireRecorded(t, members[2], post.Id)
		waitReceiptEvent(t, author, post.Id, 10*time.Second, func(r mmtest.Receipt) bool { return r.ReadCount == 2 })
	})
}

// TestPrivacyAlwaysOn: everyone sends receipts whatever they chose; their
// choice is kept and applies again under user_choice. Sequential: it changes
// the plugin's configuration.
func TestPrivacyAlwaysOn(t *testing.T) {
	env := newEnv(t)
	author := env.NewUser(t, "author")
	shy := env.NewUser(t, "shy")
	members := env.NewUsers(t, 3, "member")
	ch := env.PublicChannel(t, author, append(members, shy)...)
	_, res, err := shy.Plugin.SetSendReadReceipts(t.Context(), false)
	requireOK(t, res, err)

	s := baseline
	s.PrivacyPolicy = "always_on"
	withSettings(t, s)

	t.Run("users may not change it", func(t *testing.T) {
		got, res, err := shy.Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.False(t, got.CanChange)
		_, res, err = shy.Plugin.SetSendReadReceipts(t.Context(), true)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusForbidden)
		_, res, err = members[0].Plugin.SetSendReadReceipts(t.Context(), false)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusForbidden)
	})

	post := postTracked(t, author, ch.Id, "always on")
	t.Run("the opted-out user is a recipient and their read is recorded", func(t *testing.T) {
		requireCounts(t, author, post.Id, 0, 4)
		requireRecorded(t, shy, post.Id)
		requireCounts(t, author, post.Id, 1, 3)
	})
	t.Run("the opted-out user sees receipts of their own posts", func(t *testing.T) {
		own := postTracked(t, shy, ch.Id, "mine")
		requireRecorded(t, members[0], own.Id)
		requireCounts(t, shy, own.Id, 1, 3)
	})

	t.Run("back to user_choice, the earlier choice applies again", func(t *testing.T) {
		require.NoError(t, mmtest.ApplySettings(t.Context(), suite.Admin, baseline))
		got, res, err := shy.Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.Equal(t, mmtest.MeSettings{SendReadReceipts: false, CanChange: true}, got)
		later := postTracked(t, author, ch.Id, "user choice again")
		requireSkipped(t, shy, later.Id, mmtest.ReasonDisabled)
		requireCounts(t, author, later.Id, 0, 3)
	})
}

// TestReciprocalOff: with Reciprocal off, a user who stopped sending still
// sees others' reads. Sequential: it changes the plugin's configuration.
func TestReciprocalOff(t *testing.T) {
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 3, "member")
	ch := env.GM(t, append(members, author)...)
	s := baseline
	s.Reciprocal = false
	withSettings(t, s)

	_, res, err := author.Plugin.SetSendReadReceipts(t.Context(), false)
	requireOK(t, res, err)
	author.WS(t)
	post := postTracked(t, author, ch.Id, "not reciprocal")
	requireRecorded(t, members[0], post.Id)
	requireCounts(t, author, post.Id, 1, 2)
	waitReceiptEvent(t, author, post.Id, 10*time.Second, func(r mmtest.Receipt) bool { return r.ReadCount == 1 })
	// The author's own reads are still not sent.
	other := postTracked(t, members[1], ch.Id, "to the author")
	requireSkipped(t, author, other.Id, mmtest.ReasonDisabled)
}

// TestCountsVisibleToMembers: with CountsVisibleTo members, every member may
// query counts; reader lists stay the author's. Sequential: it changes the
// plugin's configuration.
func TestCountsVisibleToMembers(t *testing.T) {
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	outsider := env.NewUser(t, "outsider")
	ch := env.PrivateChannel(t, author, members...)
	s := baseline
	s.CountsVisibleTo = "members"
	withSettings(t, s)

	post := postTracked(t, author, ch.Id, "counts for all")
	requireRecorded(t, members[0], post.Id)
	for _, m := range members {
		r := requireReceipt(t, m, post.Id)
		assert.Equal(t, 1, r.ReadCount, m.Username)
		assert.Equal(t, 3, r.UnreadCount, m.Username)
	}
	requireQuerySkipped(t, outsider, post.Id, mmtest.ReasonNotFound)
	_, res, err := members[1].Plugin.Readers(t.Context(), post.Id, "read", "", 0)
	require.NoError(t, err)
	requireAPIError(t, res, http.StatusForbidden)
}
