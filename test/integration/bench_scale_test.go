package integration

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// scaleSizes are the member counts of the scale series.
var scaleSizes = []int{100, 1000, 10000}

// idleGap is longer than the plugin's member cache TTL (10 s): the first
// request after it pays for whatever the plugin keeps only that long.
const idleGap = 11 * time.Second

type scaleChannel struct {
	size  int
	ch    *model.Channel
	posts []string
}

// scale: channels of 100, 1,000 and 10,000 members (most of them copied in
// the database, see mmtest.CopyUsers), each with 60 tracked posts of which
// 10 members read all.
func (bn *bench) scale() {
	chans := bn.scaleChannels()
	big := chans[len(chans)-1]
	coreRest := bn.restWithoutPlugin()
	bn.step("posts and reads in the 10,000-member channel")
	kv0 := bn.kvSettled()
	big.posts = bn.posts(big.ch.Id, 60)
	kv1 := bn.kvSettled()
	bn.readAll(bn.readers[:10], big.posts)
	kv2 := bn.kvSettled()
	bn.rows.add(rowKVPost, "KV per tracked post, 10,000 members (with its share of the snapshot)",
		kvPer(kv0, kv1, 60, "un"), "", "", "≤ 1 KB")
	bn.rows.add(rowKVNumbering, "KV numbering the users first seen in those posts (once per user, for all channels)",
		numberingAdded(kv0, kv1), "", "", "—")
	bn.rows.add(rowKVRead10k, "KV per read, 10,000 members",
		kvPer(kv1, kv2, 600), "", "", "≤ 16 B")
	bn.backgroundAtRest(coreRest)
	bn.step("posts and reads in the 100- and 1,000-member channels")
	for _, c := range chans[:len(chans)-1] {
		c.posts = bn.posts(c.ch.Id, 60)
		bn.readAll(bn.readers[:10], c.posts)
	}
	bn.step("scale series, warm")
	refs := bn.scaleWarm(chans)
	bn.step("scale series, first after idle")
	bn.scaleIdle(chans, refs)
	bn.step("post → tracked at 10,000 members")
	bn.trackedLatency(big)
}

// scaleChannels creates the channels with the author, a template user and
// 20 readers through the API, copies the template into the rest of the
// members in the database, and restarts the server to make it see them.
func (bn *bench) scaleChannels() []*scaleChannel {
	template := bn.user(bn.env.NewUser(bn.b, "btemplate"))
	base := append([]*mmtest.User{template}, bn.readers[:20]...)
	var chans []*scaleChannel
	var copies []mmtest.ChannelCopies
	for _, size := range scaleSizes {
		ch := bn.env.PublicChannel(bn.b, bn.author, base...)
		chans = append(chans, &scaleChannel{size: size, ch: ch})
		copies = append(copies, mmtest.ChannelCopies{ChannelID: ch.Id, Count: size - len(base) - 1})
	}
	n := copies[len(copies)-1].Count
	bn.b.Cleanup(bn.removeCopies)
	_, err := bn.db.CopyUsers(bn.ctx, template.Id, bn.env.Team.Id, n, copies)
	require.NoError(bn.b, err)
	bn.restart()
	for _, c := range chans {
		stats, _, err := suite.Admin.GetChannelStats(bn.ctx, c.ch.Id, "", true)
		require.NoError(bn.b, err)
		require.EqualValues(bn.b, c.size, stats.MemberCount, "members of the %d channel after the copy", c.size)
	}
	return chans
}

// removeCopies deletes the copied users and restarts the server, so that
// it counts the active users again.
func (bn *bench) removeCopies() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := bn.db.RemoveCopies(ctx); err != nil {
		bn.b.Errorf("failed to remove the copied users: %v", err)
		return
	}
	if err := mmtest.RestartServer(ctx); err != nil {
		bn.b.Errorf("failed to restart the server after removing the copied users: %v", err)
		return
	}
	if err := mmtest.WaitPluginRunning(ctx, suite.Admin, 2*time.Minute); err != nil {
		bn.b.Errorf("plugin after the restart: %v", err)
	}
}

// restWithoutPlugin is the CPU the server and PostgreSQL use at rest with
// the plugin disabled (the copied members in place), over restFor.
func (bn *bench) restWithoutPlugin() mmtest.CPU {
	bn.step("background CPU with the plugin disabled")
	bn.notePeakRSS()
	_, err := suite.Admin.DisablePlugin(bn.ctx, mmtest.PluginID)
	require.NoError(bn.b, err)
	time.Sleep(3 * time.Second)
	bn.findProcesses()
	c0, t0 := bn.cpu(), time.Now()
	time.Sleep(restFor)
	c := bn.cpu().Sub(c0).Per(time.Since(t0))
	_, err = suite.Admin.EnablePlugin(bn.ctx, mmtest.PluginID)
	require.NoError(bn.b, err)
	require.NoError(bn.b, mmtest.WaitPluginRunning(bn.ctx, suite.Admin, 2*time.Minute))
	bn.findProcesses()
	return c
}

// restFor is how long a background CPU figure is measured.
const restFor = 30 * time.Second

// backgroundAtRest: with every other channel viewed by all its members, the
// CPU of server + plugin + PostgreSQL while nobody does anything, against
// coreRest (the same with the plugin disabled, per second).
func (bn *bench) backgroundAtRest(coreRest mmtest.CPU) {
	bn.step("background CPU at rest, 10,000-member channel watched")
	for _, w := range bn.watched {
		_, errs := atOnce(w.members, func(_ int, u *mmtest.User) error {
			_, _, err := u.Client.ViewChannel(bn.ctx, "me", &model.ChannelView{ChannelId: w.id})
			return err
		})
		for _, err := range errs {
			require.NoError(bn.b, err, "settle a channel")
		}
	}
	// The views poller looks at a view again while it is younger than 10 s.
	time.Sleep(12 * time.Second)
	c0, t0 := bn.cpu(), time.Now()
	time.Sleep(restFor)
	c := bn.cpu().Sub(c0).Per(time.Since(t0))
	bn.rows.add(rowRest, "background CPU at rest, one 10,000-member channel watched (other channels viewed by all)",
		cpuShare(c), "plugin disabled: "+cpuShare(coreRest),
		fmt.Sprintf("%+.1f points", 100*(c.Total()-coreRest.Total()).Seconds()), "≤ 1 %")
}

// cpuShare formats CPU per second of wall time as a percentage of a core.
func cpuShare(c mmtest.CPU) string {
	pct := func(d time.Duration) string { return fmt.Sprintf("%.1f %%", 100*d.Seconds()) }
	return fmt.Sprintf("%s of a core (server %s, plugin %s, PostgreSQL %s)", pct(c.Total()), pct(c.Server), pct(c.Plugin), pct(c.Postgres))
}

func (bn *bench) readersCall(postID string) pluginCall {
	return func() (*mmtest.Result, error) {
		_, res, err := bn.author.Plugin.Readers(bn.ctx, postID, "unread", "", 100)
		return res, err
	}
}

func (bn *bench) corePage(channelID string, perPage int) func(int) error {
	return func(int) error {
		_, _, err := bn.author.Client.GetPostsForChannel(bn.ctx, channelID, 0, perPage, "", false, false)
		return err
	}
}

func (bn *bench) coreMembers(channelID string) func(int) error {
	return func(int) error {
		_, _, err := bn.author.Client.GetUsersInChannel(bn.ctx, channelID, 0, 100, "")
		return err
	}
}

// coreRef is core's warm median in one channel, for the two comparisons.
type coreRef struct{ page, members time.Duration }

// scaleWarm: the page query and the unread list in each channel, back to
// back with core's; it returns core's medians.
func (bn *bench) scaleWarm(chans []*scaleChannel) []coreRef {
	refs := make([]coreRef, len(chans))
	for i, c := range chans {
		core, plugin := bn.interleave("query", 15, bn.corePage(c.ch.Id, 60), func(int) pluginCall { return bn.queryCall(c.posts) })
		refs[i].page = core.median()
		bn.rows.add(rowScaleQuery+i, fmt.Sprintf("query of 60 posts vs core GET posts?per_page=60, %s members, warm", thousands(int64(c.size))),
			ms(plugin.median()), ms(core.median()), durRatio(plugin.median(), core.median()), "≤ 1.0×")
		last := c.posts[len(c.posts)-1]
		core, plugin = bn.interleave("readers", 15, bn.coreMembers(c.ch.Id), func(int) pluginCall { return bn.readersCall(last) })
		refs[i].members = core.median()
		bn.rows.add(rowReadersWarm+i, fmt.Sprintf("readers?filter=unread first page vs core GET /users?in_channel=…&per_page=100, %s members, warm", thousands(int64(c.size))),
			ms(plugin.median()), ms(core.median()), durRatio(plugin.median(), core.median()), "—")
	}
	return refs
}

// scaleIdle: the first page query, then the first unread list, after
// idleGap without requests, three times each, against core's warm medians.
func (bn *bench) scaleIdle(chans []*scaleChannel, refs []coreRef) {
	const reps = 3
	kinds := []struct {
		row            int
		figure, target string
		plugin         func(c *scaleChannel) pluginCall
		core           func(r coreRef) time.Duration
	}{
		{rowScaleIdle, "query of 60 posts, %s members, first after 11 s idle¹", "≤ 3× core GET posts",
			func(c *scaleChannel) pluginCall { return bn.queryCall(c.posts) },
			func(r coreRef) time.Duration { return r.page }},
		{rowReadersIdle, "readers?filter=unread first page, %s members, first after 11 s idle¹", "≤ 3× core GET /users",
			func(c *scaleChannel) pluginCall { return bn.readersCall(c.posts[len(c.posts)-1]) },
			func(r coreRef) time.Duration { return r.members }},
	}
	for _, k := range kinds {
		plugin := make([]samples, len(chans))
		for range reps {
			time.Sleep(idleGap)
			for i, c := range chans {
				plugin[i] = append(plugin[i], bn.timePlugin("first after idle", k.plugin(c)))
			}
		}
		for i, c := range chans {
			p, core := plugin[i], k.core(refs[i])
			bn.rows.add(k.row+i, fmt.Sprintf(k.figure, thousands(int64(c.size))),
				fmt.Sprintf("%s (%s–%s)", ms(p.median()), ms(p.min()), ms(p.max())), ms(core)+" (warm)",
				durRatio(p.median(), core), k.target)
		}
	}
}

// trackedLatency: at 10,000 members, how long after the POST's answer the
// author's query first shows the post (15 posts, one after 11 s idle, one
// right after a member left), against the POST itself.
func (bn *bench) trackedLatency(big *scaleChannel) {
	var post, tracked samples
	for range 15 {
		p, t := bn.postAndTrack(big.ch.Id)
		post, tracked = append(post, p), append(tracked, t)
	}
	time.Sleep(idleGap)
	p, idle := bn.postAndTrack(big.ch.Id)
	post = append(post, p)
	_, err := suite.Admin.RemoveUserFromChannel(bn.ctx, big.ch.Id, bn.readers[19].Id)
	require.NoError(bn.b, err, "a member leaves")
	kv0 := bn.kvSettled()
	p, afterLeave := bn.postAndTrack(big.ch.Id)
	post = append(post, p)
	kv1 := bn.kvSettled()
	worst := max(tracked.max(), idle)
	core := post.median()
	bn.rows.add(rowTracked, "post → tracked², 10,000 members: typical / worst",
		ms(tracked.median())+" / "+ms(worst), "POST /posts "+ms(core), durRatio(tracked.median(), core)+" / "+durRatio(worst, core), "≤ 1.2× core POST")
	bn.rows.add(rowTrackedLeave, "post → tracked², first post after a member left, 10,000 members",
		ms(afterLeave), "POST /posts "+ms(core), durRatio(afterLeave, core), "≤ 1.2× core POST")
	bn.rows.add(rowKVChange, "KV written by the first post after a member left, 10,000 members",
		kvPer(kv0, kv1, 1), "", "", "O(change)")
}

// postAndTrack creates a post as the author and queries it until it has a
// receipt; it returns the POST's time and the time from its answer on.
func (bn *bench) postAndTrack(channelID string) (post, tracked time.Duration) {
	t0 := time.Now()
	p, _, err := bn.author.Client.CreatePost(bn.ctx, &model.Post{ChannelId: channelID, Message: "tracked?"})
	require.NoError(bn.b, err, "create post")
	post = time.Since(t0)
	t1 := time.Now()
	for {
		out, res, err := bn.author.Plugin.Query(bn.ctx, p.Id)
		require.NoError(bn.b, err)
		if res.Status == http.StatusOK && len(out.Receipts) == 1 {
			return post, time.Since(t1)
		}
		require.Less(bn.b, time.Since(t1), 2*time.Minute, "post %s never tracked: %s", p.Id, res)
		if res.Status == http.StatusTooManyRequests {
			time.Sleep(retryAfter(res))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
