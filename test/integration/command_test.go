package integration

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestSlashCommand runs /receipts through POST /api/v4/commands/execute.
func TestSlashCommand(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	owner := env.NewUser(t, "owner")
	plain := env.NewUser(t, "plain")
	third := env.NewUser(t, "third")
	ch := env.PublicChannel(t, owner, plain, third)
	dm := env.DM(t, owner, plain)

	enabled := func(t *testing.T, channelID string) bool {
		t.Helper()
		got, res, err := owner.Plugin.ChannelSettings(t.Context(), channelID)
		requireOK(t, res, err)
		return got.Enabled
	}
	run := func(t *testing.T, u *mmtest.User, channelID, command string) string {
		t.Helper()
		resp := u.Command(t, env.Team.Id, channelID, command)
		assert.Equal(t, model.CommandResponseTypeEphemeral, resp.ResponseType, "answers are ephemeral")
		require.NotEmpty(t, resp.Text, "%s answered nothing", command)
		return strings.ToLower(resp.Text)
	}

	t.Run("off, status, on by the channel admin", func(t *testing.T) {
		run(t, owner, ch.Id, "/receipts off")
		assert.False(t, enabled(t, ch.Id))
		assert.Contains(t, run(t, owner, ch.Id, "/receipts status"), "off")
		run(t, owner, ch.Id, "/receipts on")
		assert.True(t, enabled(t, ch.Id))
		assert.Contains(t, run(t, owner, ch.Id, "/receipts status"), "on")
	})
	t.Run("a plain member of a public channel may not", func(t *testing.T) {
		run(t, plain, ch.Id, "/receipts off")
		assert.True(t, enabled(t, ch.Id))
		run(t, plain, ch.Id, "/receipts status")
	})
	t.Run("any DM member may", func(t *testing.T) {
		run(t, plain, dm.Id, "/receipts off")
		assert.False(t, enabled(t, dm.Id))
		run(t, plain, dm.Id, "/receipts on")
		assert.True(t, enabled(t, dm.Id))
	})
	t.Run("privacy off and on", func(t *testing.T) {
		send := func() bool {
			got, res, err := third.Plugin.MeSettings(t.Context())
			requireOK(t, res, err)
			return got.SendReadReceipts
		}
		run(t, third, ch.Id, "/receipts privacy off")
		assert.False(t, send())
		run(t, third, ch.Id, "/receipts privacy on")
		assert.True(t, send())
	})
	t.Run("unknown arguments get help and change nothing", func(t *testing.T) {
		for _, cmd := range []string{"/receipts", "/receipts bogus", "/receipts privacy maybe"} {
			run(t, owner, ch.Id, cmd)
		}
		assert.True(t, enabled(t, ch.Id))
		got, res, err := owner.Plugin.MeSettings(t.Context())
		requireOK(t, res, err)
		assert.True(t, got.SendReadReceipts)
	})
	t.Run("a post while off by command is not tracked", func(t *testing.T) {
		run(t, owner, ch.Id, "/receipts off")
		off := owner.Post(t, ch.Id, "off by command")
		run(t, owner, ch.Id, "/receipts on")
		postTracked(t, owner, ch.Id, "on by command")
		requireQuerySkipped(t, owner, off.Id, mmtest.ReasonNotTracked)
	})
}
