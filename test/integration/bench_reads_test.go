package integration

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// pagesAndBatches: in a 20-member channel with 200 tracked posts, half of
// them read, the author's query of a page (60 and 200 posts) against core's
// page of posts, and batches of new reads (1 and 60 ids) against core's
// channel view: of a channel with nothing new, and of a new post.
// floor: what any plugin request costs before it does anything, against a
// core request that does about as little: the plugin's GET /config (no KV,
// no database) vs core GET /users/me. Every plugin row includes this.
func (bn *bench) floor() {
	core, plugin := bn.interleave("floor", 30, func(int) error {
		_, _, err := bn.author.Client.GetMe(bn.ctx, "")
		return err
	}, func(int) pluginCall {
		return func() (*mmtest.Result, error) {
			_, res, err := bn.author.Plugin.Config(bn.ctx)
			return res, err
		}
	})
	bn.rows.add(rowFloor, "floor: the plugin's GET /config (no KV, no database) vs core GET /users/me",
		ms(plugin.median()), ms(core.median()), durRatio(plugin.median(), core.median()), "—")
}

func (bn *bench) pagesAndBatches() {
	bn.floor()
	members := bn.readers[:19]
	ch := bn.env.PrivateChannel(bn.b, bn.author, members...)
	posts := bn.posts(ch.Id, 200)
	bn.readAll(members[:9], posts)
	bn.watched = append(bn.watched, watchedChannel{ch.Id, append([]*mmtest.User{bn.author}, members...)})

	for _, n := range []int{60, 200} {
		page := posts[len(posts)-n:]
		core, plugin := bn.interleave("page query", 30, func(int) error {
			_, _, err := bn.author.Client.GetPostsForChannel(bn.ctx, ch.Id, 0, n, "", false, false)
			return err
		}, func(int) pluginCall { return bn.queryCall(page) })
		order := map[int]int{60: rowQuery60, 200: rowQuery200}[n]
		bn.rows.add(order, fmt.Sprintf("author's query of %d posts vs core GET /channels/{id}/posts?per_page=%d, 20 members", n, n),
			ms(plugin.median()), ms(core.median()), durRatio(plugin.median(), core.median()), "≤ 1.0×")
	}

	bn.curveAndWho(ch.Id, posts[0])

	fresh := members[9:]
	view := func(i int) error {
		_, _, err := fresh[i%len(fresh)].Client.ViewChannel(bn.ctx, "me", &model.ChannelView{ChannelId: bn.viewCh.Id})
		return err
	}
	core1, one := bn.interleave("read 1", 30, view, func(i int) pluginCall {
		return bn.readsCall(fresh[i%len(fresh)], posts[180+i/len(fresh):][:1])
	})
	bn.rows.add(rowReads1, "POST /reads of 1 new id vs core POST /channels/members/me/view",
		ms(one.median()), ms(core1.median()), durRatio(one.median(), core1.median()), "—")
	sixty, cores := bn.interleaveMany("read 60", 30, func(i int) pluginCall {
		return bn.readsCall(fresh[i%len(fresh)], posts[(i/len(fresh))*60:][:60])
	}, coreOp{run: view}, bn.viewOfNews(fresh))
	bn.rows.add(rowReads60, "POST /reads of 60 new ids vs core view with nothing new (writes nothing)",
		ms(sixty.median()), ms(cores[0].median()), durRatio(sixty.median(), cores[0].median()), "—")
	bn.rows.add(rowReads60News, "POST /reads of 60 new ids vs core view of a new post (marks the channel read)",
		ms(sixty.median()), ms(cores[1].median()), durRatio(sixty.median(), cores[1].median()), "≤ 3× (stretch 1.5×)")
}

// curveAndWho: the author's read curve and `/receipts who` of a post 9 of
// 19 recipients read, against core's GET /posts/{id}.
func (bn *bench) curveAndWho(channelID, postID string) {
	getPost := func(int) error {
		_, _, err := bn.author.Client.GetPost(bn.ctx, postID, "")
		return err
	}
	core, plugin := bn.interleave("curve", 30, getPost, func(int) pluginCall {
		return func() (*mmtest.Result, error) {
			_, res, err := bn.author.Plugin.Curve(bn.ctx, postID)
			return res, err
		}
	})
	bn.rows.add(rowCurve, "GET /posts/{id}/curve (9 of 19 read) vs core GET /posts/{id}",
		ms(plugin.median()), ms(core.median()), durRatio(plugin.median(), core.median()), "—")
	var who, corePost samples
	for range 15 {
		who = append(who, bn.timeCore("/receipts who", func() error {
			_, _, err := bn.author.Client.ExecuteCommandWithTeam(bn.ctx, channelID, bn.env.Team.Id, "/receipts who "+postID)
			return err
		}))
		corePost = append(corePost, bn.timeCore("get post", func() error { return getPost(0) }))
	}
	bn.rows.add(rowWho, "/receipts who <post> (9 of 19 read) vs core GET /posts/{id}",
		ms(who.median()), ms(corePost.median()), durRatio(who.median(), corePost.median()), "—")
}

// queryCall is the author's query of the posts, which must all have a receipt.
func (bn *bench) queryCall(posts []string) pluginCall {
	return func() (*mmtest.Result, error) {
		out, res, err := bn.author.Plugin.Query(bn.ctx, posts...)
		if err == nil && res.Status == http.StatusOK && len(out.Receipts) != len(posts) {
			err = fmt.Errorf("%d receipts for %d posts (skipped %v)", len(out.Receipts), len(posts), out.Skipped)
		}
		return res, err
	}
}

// readsCall reads the posts as u, which must all be recorded.
func (bn *bench) readsCall(u *mmtest.User, posts []string) pluginCall {
	return func() (*mmtest.Result, error) {
		out, res, err := u.Plugin.Reads(bn.ctx, posts...)
		if err == nil && res.Status == http.StatusOK && len(out.Recorded) != len(posts) {
			err = fmt.Errorf("recorded %d of %d (skipped %v)", len(out.Recorded), len(posts), out.Skipped)
		}
		return res, err
	}
}

// tally counts what a crowd of requests got back.
type tally struct {
	mu       sync.Mutex
	statuses map[string]int
	recorded map[string]int // "reader post" -> times recorded
	skipped  map[string]int
}

func newTally() *tally {
	return &tally{statuses: map[string]int{}, recorded: map[string]int{}, skipped: map[string]int{}}
}

func (t *tally) add(u *mmtest.User, out mmtest.ReadsResult, res *mmtest.Result, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case err != nil:
		t.statuses["error"]++
		return
	default:
		t.statuses[fmt.Sprint(res.Status)]++
	}
	for _, id := range out.Recorded {
		t.recorded[u.Id+" "+id]++
	}
	for _, s := range out.Skipped {
		t.skipped[s.Reason]++
	}
}

// doubles counts reads recorded more than once.
func (t *tally) doubles() int {
	n := 0
	for _, c := range t.recorded {
		n += c - 1
	}
	return n
}

func (t *tally) statusText() string {
	return countsText(t.statuses)
}

func countsText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// readCounts is the author's read_count of each post, summed, and how many
// posts went over want.
func (bn *bench) readCounts(posts []string, want int) (sum, over int) {
	for start := 0; start < len(posts); start += 200 {
		batch := posts[start:min(start+200, len(posts))]
		out, res, err := bn.author.Plugin.Query(bn.ctx, batch...)
		require.NoError(bn.b, okOrErr(res, err))
		require.Len(bn.b, out.Receipts, len(batch), "receipts of the posts read")
		for _, r := range out.Receipts {
			sum += r.ReadCount
			if r.ReadCount > want {
				over++
			}
		}
	}
	return sum, over
}

// sustained: 100 readers each read 100 posts in batches of 20 through 24
// client workers; then the same workers make core channel views. Reads/s,
// an exact count at the end, and CPU and KV bytes per read.
func (bn *bench) sustained() {
	const nReaders, nPosts, batch, workers, viewsEach = 100, 100, 20, 24, 20
	readers := bn.readers[:nReaders]
	ch := bn.env.PrivateChannel(bn.b, bn.author, readers...)
	posts := bn.posts(ch.Id, nPosts)
	bn.watched = append(bn.watched, watchedChannel{ch.Id, append([]*mmtest.User{bn.author}, readers...)})

	t := newTally()
	retried := 0
	batches := nPosts / batch
	kv0, cpu0 := bn.kvSettled(), bn.cpu()
	wall, _ := pool(workers, nReaders*batches, func(i int) error {
		u, ids := readers[i/batches], posts[(i%batches)*batch:][:batch]
		for try := 0; ; try++ {
			out, res, err := u.Plugin.Reads(bn.ctx, ids...)
			if err == nil && try < 20 && (res.Status == http.StatusServiceUnavailable || res.Status == http.StatusTooManyRequests) {
				t.mu.Lock()
				retried++
				t.mu.Unlock()
				time.Sleep(retryAfter(res))
				continue
			}
			t.add(u, out, res, err)
			return nil
		}
	})
	cpu, kv := bn.cpu().Sub(cpu0), bn.kvSettled()
	total := nReaders * nPosts
	sum, over := bn.readCounts(posts, nReaders)
	lost, double := total-sum, t.doubles()+over
	perRead := time.Duration(int64(cpu.Total()) / int64(total))
	bn.rows.add(rowKVRead, "KV per read (the sustained reads, 101 members)",
		kvPer(kv0, kv, int64(total)), "", "", "≤ 16 B")

	viewCPU0 := bn.cpu()
	viewWall, err := pool(workers, nReaders*viewsEach, func(i int) error {
		_, _, err := readers[i%nReaders].Client.ViewChannel(bn.ctx, "me", &model.ChannelView{ChannelId: bn.viewCh.Id})
		return err
	})
	require.NoError(bn.b, err, "core view")
	viewCPU := bn.cpu().Sub(viewCPU0)
	perView := time.Duration(int64(viewCPU.Total()) / int64(nReaders*viewsEach))
	readsPerSec := float64(total) / wall.Seconds()
	viewsPerSec := float64(nReaders*viewsEach) / viewWall.Seconds()
	bn.rows.add(rowSustained, fmt.Sprintf("sustained: %d readers × %d posts, batches of %d, %d client workers (core: views/s, same workers)",
		nReaders, nPosts, batch, workers),
		fmt.Sprintf("%s reads/s; %d lost, %d double; answers %s, %d retried", thousands(int64(readsPerSec)), lost, double, t.statusText(), retried),
		fmt.Sprintf("%s views/s", thousands(int64(viewsPerSec))), ratio(readsPerSec, viewsPerSec), "≥ 2,000 reads/s, 0 lost")
	bn.rows.add(rowCPUPerRead, "CPU (server + plugin + PostgreSQL) per read vs per core view",
		fmt.Sprintf("%.2f ms (server %.2f, plugin %.2f, PostgreSQL %.2f)", msf(perRead),
			msf(cpu.Server)/float64(total), msf(cpu.Plugin)/float64(total), msf(cpu.Postgres)/float64(total)),
		fmt.Sprintf("%.2f ms", msf(perView)), durRatio(perRead, perView), "≤ 1.0×")
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// hotPost: 200 readers read one new post at the same instant, three times,
// against 200 core channel views at once.
func (bn *bench) hotPost() {
	const rounds = 3
	ch := bn.env.PrivateChannel(bn.b, bn.author, bn.readers...)
	bn.watched = append(bn.watched, watchedChannel{ch.Id, append([]*mmtest.User{bn.author}, bn.readers...)})
	view := func(_ int, u *mmtest.User) error {
		_, _, err := u.Client.ViewChannel(bn.ctx, "me", &model.ChannelView{ChannelId: bn.viewCh.Id})
		return err
	}
	atOnce(bn.readers, view) // opens the connections both sides use
	var core, plugin samples
	t := newTally()
	var posts []string
	for range rounds {
		wall, errs := atOnce(bn.readers, view)
		for _, err := range errs {
			require.NoError(bn.b, err)
		}
		core = append(core, wall)
		post := bn.posts(ch.Id, 1)[0]
		posts = append(posts, post)
		wall, _ = atOnce(bn.readers, func(_ int, u *mmtest.User) error {
			out, res, err := u.Plugin.Reads(bn.ctx, post)
			t.add(u, out, res, err)
			return nil
		})
		plugin = append(plugin, wall)
	}
	sum, _ := bn.readCounts(posts, len(bn.readers))
	bn.rows.add(rowHot, fmt.Sprintf("%d users read one post at the same instant, wall vs %d core views at once (median of %d)",
		len(bn.readers), len(bn.readers), rounds),
		fmt.Sprintf("%s; answers %s; recorded %d of %d, counted %d", ms(plugin.median()), t.statusText(), len(t.recorded), rounds*len(bn.readers), sum),
		ms(core.median()), durRatio(plugin.median(), core.median()), "≤ 1.5×, every one recorded")
}
