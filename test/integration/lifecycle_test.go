package integration

import (
	"net/http"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestPostDeletion: a deleted post's receipts are gone.
func TestPostDeletion(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	ch := env.PublicChannel(t, author, members...)
	post := postTracked(t, author, ch.Id, "soon gone")
	kept := postTracked(t, author, ch.Id, "stays")
	requireRecorded(t, members[0], post.Id)
	requireRecorded(t, members[0], kept.Id)

	_, err := author.Client.DeletePost(t.Context(), post.Id)
	require.NoError(t, err)

	err = mmtest.Poll(settle, 200*time.Millisecond, func() (bool, string) {
		r, reason := query(t, author, post.Id)
		return r == nil && (reason == mmtest.ReasonNotFound || reason == mmtest.ReasonNotTracked), "receipt " + reason
	})
	require.NoError(t, err, "the deleted post still answers receipts")
	_, res, err := author.Plugin.Readers(t.Context(), post.Id, "read", "", 0)
	require.NoError(t, err)
	requireAPIError(t, res, http.StatusNotFound)
	out := read(t, members[1], post.Id)
	require.Empty(t, out.Recorded)
	require.Contains(t, []string{mmtest.ReasonNotFound, mmtest.ReasonNotTracked}, reasons(out.Skipped)[post.Id])

	requireCounts(t, author, kept.Id, 1, 3)
}

// TestRetention: when an admin lowers RetentionDays, the plugin runs its
// retention job at once; receipts of older posts go, newer ones stay. Only
// a system admin may give a post an old create_at, so the author is one.
func TestRetention(t *testing.T) {
	env := newEnv(t)
	author := env.NewUser(t, "oldtimer")
	_, err := suite.Admin.UpdateUserRoles(t.Context(), author.Id, "system_user system_admin")
	require.NoError(t, err)
	reader := env.NewUser(t, "reader")
	ch := env.DM(t, author, reader)
	threeDaysAgo := model.GetMillis() - 3*24*time.Hour.Milliseconds()
	old := postWithTracked(t, author, &model.Post{ChannelId: ch.Id, Message: "from long ago", CreateAt: threeDaysAgo})
	require.Equal(t, threeDaysAgo, old.CreateAt)
	recent := postTracked(t, author, ch.Id, "from today")
	requireRecorded(t, reader, old.Id)
	requireRecorded(t, reader, recent.Id)

	s := baseline
	s.RetentionDays = 1
	withSettings(t, s)

	err = mmtest.Poll(settle, 200*time.Millisecond, func() (bool, string) {
		r, reason := query(t, author, old.Id)
		return r == nil && reason == mmtest.ReasonNotTracked, "old post: " + reason
	})
	require.NoError(t, err, "receipts older than RetentionDays are deleted")
	waitCounts(t, author, recent.Id, 1, 0)
}
