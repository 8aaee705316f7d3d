package integration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// whoText runs a command and returns its ephemeral answer, lower-cased.
func whoText(t *testing.T, resp *model.CommandResponse) string {
	t.Helper()
	assert.Equal(t, model.CommandResponseTypeEphemeral, resp.ResponseType, "answers are ephemeral")
	require.NotEmpty(t, resp.Text)
	return strings.ToLower(resp.Text)
}

// TestReceiptsWho runs /receipts who through POST /api/v4/commands/execute,
// as the mobile apps do, and checks it keeps the API's rules.
func TestReceiptsWho(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	owner := env.NewUser(t, "whoowner")
	readers := env.NewUsers(t, 22, "whoreader")
	waiting := env.NewUser(t, "whowaiting")
	outsider := env.NewUser(t, "whooutsider")
	ch := env.PrivateChannel(t, owner, append(readers, waiting)...)
	run := func(t *testing.T, u *mmtest.User, channelID, command string) string {
		t.Helper()
		return whoText(t, u.Command(t, env.Team.Id, channelID, command))
	}

	older := postTracked(t, owner, ch.Id, "older")
	post := postTracked(t, owner, ch.Id, "announcement")
	for _, r := range readers {
		requireRecorded(t, r, post.Id)
	}

	t.Run("the newest own post, page by page", func(t *testing.T) {
		first := run(t, owner, ch.Id, "/receipts who")
		assert.Contains(t, first, "read by 22 of 23")
		assert.Contains(t, first, "@"+readers[0].Username)
		assert.Contains(t, first, "… and 2 more")
		assert.Contains(t, first, "@"+waiting.Username)
		next := fmt.Sprintf("/receipts who %s 2", post.Id)
		require.Contains(t, first, "`"+next+"`")
		second := run(t, owner, ch.Id, next)
		listed := 0
		for _, r := range readers {
			if strings.Contains(first, "@"+r.Username+" ") {
				listed++
				assert.NotContains(t, second, "@"+r.Username+" ", "page 2 repeats no one")
			} else {
				assert.Contains(t, second, "@"+r.Username+" ", "page 2 lists the rest")
			}
		}
		assert.Equal(t, 20, listed)
		assert.NotContains(t, second, "next page")
	})
	t.Run("a post given by permalink", func(t *testing.T) {
		link := fmt.Sprintf("%s/%s/pl/%s", mmtest.SiteURL(), env.Team.Name, older.Id)
		got := run(t, owner, ch.Id, "/receipts who "+link)
		assert.Contains(t, got, "read by 0 of 23")
	})
	t.Run("in a thread, the newest own post of the thread", func(t *testing.T) {
		reply := owner.Reply(t, older, "in the thread")
		waitTracked(t, owner, reply.Id)
		requireRecorded(t, readers[0], reply.Id)
		got := whoText(t, owner.CommandInThread(t, env.Team.Id, older, "/receipts who"))
		assert.Contains(t, got, "read by 1 of 23")
	})
	t.Run("lists are the author's only", func(t *testing.T) {
		assert.Contains(t, run(t, waiting, ch.Id, "/receipts who "+post.Id), "only the sender")
		assert.Contains(t, run(t, waiting, ch.Id, "/receipts who"), "no recent message")
		elsewhere := env.DM(t, outsider, waiting)
		assert.Contains(t, run(t, outsider, elsewhere.Id, "/receipts who "+post.Id), "no such message")
	})
	t.Run("a direct message", func(t *testing.T) {
		dm := env.DM(t, owner, waiting)
		p := postTracked(t, owner, dm.Id, "hello")
		assert.Contains(t, run(t, owner, dm.Id, "/receipts who"), "not read yet")
		requireRecorded(t, waiting, p.Id)
		assert.Regexp(t, `^read (\d{1,2}:\d\d( am| pm)?)\.$`, run(t, owner, dm.Id, "/receipts who"))
	})
	t.Run("an author who stopped sending receipts sees none", func(t *testing.T) {
		run(t, owner, ch.Id, "/receipts privacy off")
		assert.Contains(t, run(t, owner, ch.Id, "/receipts who "+post.Id), "stopped sending read receipts")
	})
}
