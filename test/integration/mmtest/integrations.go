package mmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"
)

// NewBot creates a bot account in the team with a personal access token, so it
// can call the plugin like a user.
func (e *Env) NewBot(t testing.TB) *User {
	t.Helper()
	name := UniqueName("bot")
	bot, _, err := e.Suite.Admin.CreateBot(ctx(t), &model.Bot{Username: name, DisplayName: "Bot " + name})
	require.NoError(t, err, "create bot")
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, _, err := e.Suite.Admin.DisableBot(c, bot.UserId); err != nil {
			t.Logf("failed to disable test bot %s: %v", bot.Username, err)
		}
	})
	_, _, err = e.Suite.Admin.AddTeamMember(ctx(t), e.Team.Id, bot.UserId)
	require.NoError(t, err, "add bot to team")
	token, _, err := e.Suite.Admin.CreateUserAccessToken(ctx(t), bot.UserId, "integration test")
	require.NoError(t, err, "bot token")
	client := model.NewAPIv4Client(SiteURL())
	client.SetToken(token.Token)
	user, _, err := client.GetMe(ctx(t), "")
	require.NoError(t, err, "bot user")
	return &User{User: user, Client: client, Plugin: NewPluginClient(token.Token)}
}

// WebhookPost posts text through a new incoming webhook of the channel and
// returns the post as reader sees it.
func (e *Env) WebhookPost(t testing.TB, reader *User, channelID, text string) *model.Post {
	t.Helper()
	hook, _, err := e.Suite.Admin.CreateIncomingWebhook(ctx(t), &model.IncomingWebhook{ChannelId: channelID, DisplayName: "test"})
	require.NoError(t, err, "create incoming webhook")
	body, err := json.Marshal(map[string]string{"text": text})
	require.NoError(t, err)
	resp, err := http.Post(SiteURL()+"/hooks/"+hook.Id, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "webhook post")
	var found *model.Post
	err = Poll(10*time.Second, 100*time.Millisecond, func() (bool, string) {
		found = FindPost(t, reader, channelID, func(p *model.Post) bool {
			return p.Message == text && p.GetProp(model.PostPropsFromWebhook) == "true"
		})
		return found != nil, "webhook post not in the channel"
	})
	require.NoError(t, err)
	return found
}

// SystemPost returns a system post (type system_*) of the channel.
func SystemPost(t testing.TB, reader *User, channelID string) *model.Post {
	t.Helper()
	p := FindPost(t, reader, channelID, func(p *model.Post) bool { return strings.HasPrefix(p.Type, model.PostSystemMessagePrefix) })
	require.NotNil(t, p, "no system post in channel %s", channelID)
	return p
}

// FindPost returns the newest of the channel's last 200 posts that matches, or nil.
func FindPost(t testing.TB, reader *User, channelID string, match func(*model.Post) bool) *model.Post {
	t.Helper()
	list, _, err := reader.Client.GetPostsForChannel(ctx(t), channelID, 0, 200, "", false, false)
	require.NoError(t, err, "get posts")
	for _, id := range list.Order {
		if p := list.Posts[id]; match(p) {
			return p
		}
	}
	return nil
}

// RemoveFromChannel removes u from the channel (as the admin).
func (e *Env) RemoveFromChannel(t testing.TB, channelID string, u *User) {
	t.Helper()
	_, err := e.Suite.Admin.RemoveUserFromChannel(ctx(t), channelID, u.Id)
	require.NoError(t, err, "remove %s from channel", u.Username)
}

// MakeChannelAdmin gives u the channel admin role in the channel.
func (e *Env) MakeChannelAdmin(t testing.TB, channelID string, u *User) {
	t.Helper()
	_, err := e.Suite.Admin.UpdateChannelRoles(ctx(t), channelID, u.Id, "channel_user channel_admin")
	require.NoError(t, err, "make channel admin")
}

// MakeTeamAdmin gives u the team admin role in the env's team.
func (e *Env) MakeTeamAdmin(t testing.TB, u *User) {
	t.Helper()
	_, err := e.Suite.Admin.UpdateTeamMemberRoles(ctx(t), e.Team.Id, u.Id, "team_user team_admin")
	require.NoError(t, err, "make team admin")
}

// String names the user in failure messages.
func (u *User) String() string { return fmt.Sprintf("%s(%s)", u.Username, u.Id) }
