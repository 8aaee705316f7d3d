package main

import (
	"net/http"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/api"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/command"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/webhook"
)

// Intervals of the cluster-wide jobs.
const (
	viewPollInterval  = 5 * time.Second
	retentionInterval = 24 * time.Hour
)

// Plugin is the server side of Read Receipts. Its hooks only delegate.
type Plugin struct {
	plugin.MattermostPlugin

	client   *pluginapi.Client
	config   *config.Holder
	platform *platform
	store    *store.Store
	service  *receipts.Service
	http     http.Handler
	commands *command.Handler
	jobs     []*cluster.Job
	webhook  *webhook.Sender
	db       *databaseHandle

	// activated guards config events: none is sent for the initial load.
	mu        sync.Mutex
	activated bool
}

// OnActivate wires the plugin together and starts its jobs.
func (p *Plugin) OnActivate() error {
	p.client = pluginapi.NewClient(p.API, p.Driver)
	if p.config == nil {
		p.config = config.NewHolder()
		if err := p.loadConfig(); err != nil {
			return err
		}
	}
	p.db = &databaseHandle{
		settings: func() model.SqlSettings { return p.API.GetUnsanitizedConfig().SqlSettings },
		direct:   openPostgres,
		lent:     p.client.Store.GetMasterDB,
		warn:     p.client.Log.Warn,
	}
	db := lazyServerDB(p.db.open, p.db.isDirect, p.client.Log.Warn)
	p.platform = newPlatform(p.API, db)
	st := store.New(store.NewPluginKV(p.API).WithBulk(bulkKV{db: db})).WithWarnings(p.client.Log.Warn)
	p.store = st
	secret, err := st.CursorSecret()
	if err != nil {
		return errors.Wrap(err, "failed to load cursor secret")
	}
	p.webhook = p.newWebhook()
	p.service = receipts.New(receipts.Deps{
		Store:      st,
		Platform:   p.platform,
		Publisher:  publisher{api: p.API},
		Cluster:    clusterEvents{api: p.API},
		Logger:     &p.client.Log,
		Config:     p.config.Get,
		Secret:     secret,
		ReadEvents: p.webhook,
	})
	p.webhook.Start(p.service.VisibleReads)
	p.http = api.NewHandler(p.service, p.config.Get, &p.client.Log, st)
	p.commands = command.New(p.service, p.config.Get)
	p.commands.UseClock(userClock{api: p.API})
	if err := p.API.RegisterCommand(command.Definition()); err != nil {
		return errors.Wrap(err, "failed to register /receipts")
	}
	if err := p.startJobs(); err != nil {
		return err
	}
	p.mu.Lock()
	p.activated = true
	p.mu.Unlock()
	return nil
}

func (p *Plugin) startJobs() error {
	views, err := cluster.Schedule(p.API, "views", cluster.MakeWaitForInterval(viewPollInterval), p.pollViews)
	if err != nil {
		return errors.Wrap(err, "failed to schedule view polling")
	}
	retention, err := cluster.Schedule(p.API, "retention", cluster.MakeWaitForInterval(retentionInterval), p.runRetention)
	if err != nil {
		return errors.Wrap(err, "failed to schedule retention")
	}
	p.jobs = []*cluster.Job{views, retention}
	return nil
}

// OnDeactivate stops the jobs and pending events.
func (p *Plugin) OnDeactivate() error {
	for _, j := range p.jobs {
		_ = j.Close()
	}
	if p.service != nil {
		p.service.Close()
	}
	if p.webhook != nil {
		p.webhook.Close()
	}
	if p.db != nil {
		p.db.close()
	}
	return nil
}

// ServeHTTP serves /plugins/readreceipts/*.
func (p *Plugin) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	p.http.ServeHTTP(w, r)
}

// ExecuteCommand runs /receipts.
func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	return p.commands.Execute(args), nil
}

// MessageHasBeenPosted tracks posts that ask for receipts and records what
// their author has read.
func (p *Plugin) MessageHasBeenPosted(_ *plugin.Context, post *model.Post) {
	p.service.PostCreated(toPost(post))
}

// MessageHasBeenUpdated notes when the author edited a tracked post. Mattermost
// moves EditAt when the message, files or attachments change, not on pinning.
func (p *Plugin) MessageHasBeenUpdated(_ *plugin.Context, newPost, oldPost *model.Post) {
	if newPost.EditAt != oldPost.EditAt {
		p.service.PostEdited(newPost.Id, newPost.EditAt)
	}
}

// MessageHasBeenDeleted deletes the post's receipts.
func (p *Plugin) MessageHasBeenDeleted(_ *plugin.Context, post *model.Post) {
	p.service.PostDeleted(post.Id)
}

// ReactionHasBeenAdded records that the reacting user read the post.
func (p *Plugin) ReactionHasBeenAdded(_ *plugin.Context, reaction *model.Reaction) {
	p.service.ReactionAdded(reaction.UserId, reaction.PostId)
}

// UserHasJoinedChannel adds the user to the channel's cached members. If the
// user cannot be read, the channel's next background refresh adds them.
func (p *Plugin) UserHasJoinedChannel(_ *plugin.Context, m *model.ChannelMember, _ *model.User) {
	u, err := p.client.User.Get(m.UserId)
	if err != nil {
		p.client.Log.Warn("failed to read a user who joined a channel", "user_id", m.UserId, "err", err.Error())
		return
	}
	p.service.MemberJoined(m.ChannelId, memberOf(u))
}

// UserHasLeftChannel drops the user from the channel's cached members: the
// user no longer counts as unread.
func (p *Plugin) UserHasLeftChannel(_ *plugin.Context, m *model.ChannelMember, _ *model.User) {
	p.service.MemberLeft(m.ChannelId, m.UserId)
}

// UserHasBeenDeactivated drops the user from every cached channel: the user
// no longer counts as unread.
func (p *Plugin) UserHasBeenDeactivated(_ *plugin.Context, u *model.User) {
	p.service.UserDeactivated(u.Id)
}

// OnPluginClusterEvent applies a change another server of the cluster saw.
func (p *Plugin) OnPluginClusterEvent(_ *plugin.Context, ev model.PluginClusterEvent) {
	p.service.ClusterEvent(ev.Id, string(ev.Data))
}

func (p *Plugin) pollViews() {
	if _, err := p.service.PollViews(); err != nil {
		p.client.Log.Warn("failed to poll channel views", "err", err.Error())
	}
}

func (p *Plugin) runRetention() {
	rep, err := p.service.RunRetention()
	if err != nil {
		p.client.Log.Error("retention failed", "err", err.Error())
		return
	}
	p.client.Log.Info("retention finished", "posts", rep.Posts, "snapshots", rep.Snapshots,
		"index_chunks", rep.IndexChunks, "watermarks", rep.Watermarks, "view_states", rep.ViewStates, "orphans", rep.Orphans,
		"undecodable", rep.Undecodable, "failed", rep.Failed)
}
