package mmtest

import (
	"encoding/json"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"
)

// CommandInThread executes a slash command from the reply box of a thread,
// as clients do: POST /api/v4/commands/execute with the thread's root id.
func (u *User) CommandInThread(t testing.TB, teamID string, root *model.Post, command string) *model.CommandResponse {
	t.Helper()
	body, err := json.Marshal(model.CommandArgs{ChannelId: root.ChannelId, TeamId: teamID, RootId: root.Id, Command: command})
	require.NoError(t, err)
	resp, err := u.Client.DoAPIPost(ctx(t), "/commands/execute", string(body))
	require.NoError(t, err, "execute %q in a thread", command)
	defer resp.Body.Close()
	var out model.CommandResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out), "command response")
	return &out
}
