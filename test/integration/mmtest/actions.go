package mmtest

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"
)

// What a test user does through the core API: post, reply, view, react, run a command.

// Post creates a post by u in the channel.
func (u *User) Post(t testing.TB, channelID, message string) *model.Post {
	t.Helper()
	return u.PostWith(t, &model.Post{ChannelId: channelID, Message: message})
}

// PostWith creates the given post as u.
func (u *User) PostWith(t testing.TB, post *model.Post) *model.Post {
	t.Helper()
	created, _, err := u.Client.CreatePost(ctx(t), post)
	require.NoError(t, err, "create post")
	return created
}

// Reply posts a reply to root.
func (u *User) Reply(t testing.TB, root *model.Post, message string) *model.Post {
	t.Helper()
	return u.PostWith(t, &model.Post{ChannelId: root.ChannelId, RootId: root.Id, Message: message})
}

// ViewChannel marks the channel viewed through the core API, as every client does.
func (u *User) ViewChannel(t testing.TB, channelID string) {
	t.Helper()
	_, _, err := u.Client.ViewChannel(ctx(t), "me", &model.ChannelView{ChannelId: channelID})
	require.NoError(t, err, "view channel")
}

// React adds an emoji reaction to a post.
func (u *User) React(t testing.TB, postID, emoji string) {
	t.Helper()
	_, _, err := u.Client.SaveReaction(ctx(t), &model.Reaction{UserId: u.Id, PostId: postID, EmojiName: emoji})
	require.NoError(t, err, "react")
}

// Command executes a slash command in the channel and returns the response text.
func (u *User) Command(t testing.TB, teamID, channelID, command string) *model.CommandResponse {
	t.Helper()
	resp, _, err := u.Client.ExecuteCommandWithTeam(ctx(t), channelID, teamID, command)
	require.NoError(t, err, "execute %q", command)
	return resp
}
