package main

import (
	"net/http"
	"sync/atomic"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// memberPageSize is the page size used to list a channel's members.
const memberPageSize = 200

// platform adapts the Mattermost plugin API to receipts.Platform.
type platform struct {
	api plugin.API
	// memberships reads channel memberships straight from the server's database;
	// nil when the plugin runs without a database handle.
	memberships func() *serverDB
	// complianceOn mirrors ComplianceSettings.Enable, which hides public
	// channels from team members who have not joined them.
	complianceOn atomic.Bool
}

var _ receipts.Platform = (*platform)(nil)

func newPlatform(api plugin.API, memberships func() *serverDB) *platform {
	p := &platform{api: api, memberships: memberships}
	p.refresh()
	return p
}

// notFound turns a 404 from Mattermost into the domain's ErrNotFound.
func notFound(appErr *model.AppError, what string) error {
	if appErr.StatusCode == http.StatusNotFound {
		return receipts.ErrNotFound
	}
	return errors.Wrapf(appErr, "failed to get %s", what)
}

func (p *platform) Post(postID string) (*receipts.Post, error) {
	post, appErr := p.api.GetPost(postID)
	if appErr != nil {
		return nil, notFound(appErr, "post")
	}
	if post.DeleteAt != 0 {
		return nil, receipts.ErrNotFound
	}
	out := toPost(post)
	return &out, nil
}

// toPost keeps what the domain needs of a post.
func toPost(post *model.Post) receipts.Post {
	out := receipts.Post{
		ID:        post.Id,
		ChannelID: post.ChannelId,
		UserID:    post.UserId,
		RootID:    post.RootId,
		CreateAt:  post.CreateAt,
		Type:      post.Type,
	}
	props := post.GetProps()
	switch v := props["from_webhook"].(type) {
	case string:
		out.FromWebhook = v == "true"
	case bool:
		out.FromWebhook = v
	}
	switch v := props["read_receipt"].(type) {
	case bool:
		out.ReadReceipt = &v
	case string:
		b := v == "true"
		out.ReadReceipt = &b
	}
	return out
}

func (p *platform) Channel(channelID string) (*receipts.Channel, error) {
	ch, appErr := p.api.GetChannel(channelID)
	if appErr != nil {
		return nil, notFound(appErr, "channel")
	}
	// An archived channel is still a channel: its posts can be read and so
	// can its receipts, as long as Mattermost lets the user read it.
	return &receipts.Channel{ID: ch.Id, Type: string(ch.Type)}, nil
}

// CanReadChannel applies Mattermost's own rule for reading a channel's posts
// (the one GET /posts/{id} uses): the read_channel_content permission in the
// channel, or, for a public channel while compliance mode is off, the team's
// read_public_channel permission. The permission checks answer false when a
// lookup fails, so a "no" is confirmed with a membership lookup whose errors
// are seen: a failure is an error, never a wrong "no".
func (p *platform) CanReadChannel(userID, channelID string) (bool, error) {
	// The permission first: for a member (nearly every request) it is the
	// only call.
	if p.api.HasPermissionToChannel(userID, channelID, model.PermissionReadChannelContent) {
		return true, nil
	}
	ch, appErr := p.api.GetChannel(channelID)
	if appErr != nil {
		if appErr.StatusCode == http.StatusNotFound {
			return false, nil
		}
		return false, errors.Wrap(appErr, "failed to get channel")
	}
	if _, err := p.IsMember(userID, channelID); err != nil {
		return false, err
	}
	if ch.Type != model.ChannelTypeOpen || p.complianceOn.Load() {
		return false, nil
	}
	if p.api.HasPermissionToTeam(userID, ch.TeamId, model.PermissionReadPublicChannel) {
		return true, nil
	}
	if _, appErr := p.api.GetTeamMember(ch.TeamId, userID); appErr != nil && appErr.StatusCode != http.StatusNotFound {
		return false, errors.Wrap(appErr, "failed to get team member")
	}
	return false, nil
}

func (p *platform) db() *serverDB {
	if p.memberships == nil {
		return nil
	}
	return p.memberships()
}

// refresh re-reads the server settings that CanReadChannel depends on; the
// plugin calls it whenever the server's configuration changes.
func (p *platform) refresh() {
	if cfg := p.api.GetConfig(); cfg != nil {
		p.complianceOn.Store(cfg.ComplianceSettings.Enable != nil && *cfg.ComplianceSettings.Enable)
	}
}

// CanManageChannel uses the permission to manage channel roles: channel,
// team and system admins hold it, plain members do not, even where they may
// edit the channel's properties.
func (p *platform) CanManageChannel(userID, channelID string) bool {
	return p.api.HasPermissionToChannel(userID, channelID, model.PermissionManageChannelRoles)
}

func (p *platform) IsMember(userID, channelID string) (bool, error) {
	_, appErr := p.api.GetChannelMember(channelID, userID)
	if appErr == nil {
		return true, nil
	}
	if appErr.StatusCode == http.StatusNotFound {
		return false, nil
	}
	return false, errors.Wrap(appErr, "failed to get channel member")
}

// Members lists the channel's members with one query, or pages through the
// plugin API without a database handle.
func (p *platform) Members(channelID string) ([]receipts.Member, error) {
	if db := p.db(); db != nil {
		return db.members(channelID)
	}
	var out []receipts.Member
	for page := 0; ; page++ {
		users, appErr := p.api.GetUsersInChannel(channelID, model.ChannelSortByUsername, page, memberPageSize)
		if appErr != nil {
			return nil, errors.Wrap(appErr, "failed to list users in channel")
		}
		for _, u := range users {
			out = append(out, memberOf(u))
		}
		if len(users) < memberPageSize {
			return out, nil
		}
	}
}

func memberOf(u *model.User) receipts.Member {
	return receipts.Member{UserID: u.Id, Username: u.Username, IsBot: u.IsBot, Active: u.DeleteAt == 0}
}

func (p *platform) MemberCount(channelID string) (int, error) {
	stats, appErr := p.api.GetChannelStats(channelID)
	if appErr != nil {
		return 0, errors.Wrap(appErr, "failed to get channel stats")
	}
	return int(stats.MemberCount), nil
}

// ChannelViews reads every membership's last_viewed_at of the channel with
// one query, or pages through the plugin API when there is no database handle.
func (p *platform) ChannelViews(channelID string) ([]receipts.View, error) {
	if db := p.db(); db != nil {
		return db.channelViews(channelID)
	}
	var out []receipts.View
	for page := 0; ; page++ {
		members, appErr := p.api.GetChannelMembers(channelID, page, memberPageSize)
		if appErr != nil {
			return nil, errors.Wrap(appErr, "failed to list channel members")
		}
		for _, m := range members {
			out = append(out, receipts.View{UserID: m.UserId, LastViewedAt: m.LastViewedAt})
		}
		if len(members) < memberPageSize {
			return out, nil
		}
	}
}

// ViewDigests sums up the channels' views with one query; not available
// without a database handle.
func (p *platform) ViewDigests(channelIDs []string) (map[string]receipts.ViewDigest, bool, error) {
	db := p.db()
	if db == nil {
		return nil, false, nil
	}
	d, err := db.digests(channelIDs)
	return d, err == nil, err
}

// ViewsTotal sums up the views of all the channels with one one-row query;
// not available without a database handle.
func (p *platform) ViewsTotal(channelIDs []string) (receipts.ViewDigest, bool, error) {
	db := p.db()
	if db == nil {
		return receipts.ViewDigest{}, false, nil
	}
	d, err := db.total(channelIDs)
	return d, err == nil, err
}

func (p *platform) Users(ids []string) ([]receipts.User, error) {
	users, appErr := p.api.GetUsersByIds(ids)
	if appErr != nil {
		return nil, errors.Wrap(appErr, "failed to get users")
	}
	out := make([]receipts.User, 0, len(users))
	for _, u := range users {
		out = append(out, receipts.User{ID: u.Id, Username: u.Username})
	}
	return out, nil
}

// PostsSince lists the channel's posts created since a time, but those of the
// user except, with one query, or through the plugin API without a database
// handle.
func (p *platform) PostsSince(channelID string, since int64, except string) ([]receipts.Post, error) {
	if db := p.db(); db != nil {
		return db.postsSince(channelID, since, except)
	}
	list, appErr := p.api.GetPostsSince(channelID, since)
	if appErr != nil {
		return nil, errors.Wrap(appErr, "failed to get recent posts")
	}
	out := make([]receipts.Post, 0, len(list.Posts))
	for _, post := range list.Posts {
		if post.DeleteAt == 0 && post.UserId != except {
			out = append(out, toPost(post))
		}
	}
	return out, nil
}

// publisher sends websocket events through the plugin API.
type publisher struct {
	api plugin.API
}

func (p publisher) ToUser(event string, payload map[string]any, userID string) {
	p.api.PublishWebSocketEvent(event, payload, &model.WebsocketBroadcast{UserId: userID})
}

func (p publisher) ToChannel(event string, payload map[string]any, channelID string) {
	p.api.PublishWebSocketEvent(event, payload, &model.WebsocketBroadcast{ChannelId: channelID})
}

func (p publisher) ToAll(event string, payload map[string]any) {
	p.api.PublishWebSocketEvent(event, payload, &model.WebsocketBroadcast{})
}

// clusterEvents reaches the plugin on the other servers of a cluster.
type clusterEvents struct {
	api plugin.API
}

// Broadcast ignores a failure: the other servers' caches then expire on
// their own (memberCacheTTL).
func (c clusterEvents) Broadcast(kind, id string) {
	_ = c.api.PublishPluginClusterEvent(
		model.PluginClusterEvent{Id: kind, Data: []byte(id)},
		model.PluginClusterEventSendOptions{SendType: model.PluginClusterEventSendTypeReliable},
	)
}
