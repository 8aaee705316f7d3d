package integration

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// benchIterations is how many times each operation runs, one after another.
const benchIterations = 150

// BenchmarkAgainstServer measures the plugin's endpoints next to Mattermost's
// own operations of similar weight, on the same server in the same run, and
// prints a table of times and ratios (see printTable). It measures; it
// asserts nothing about time. Run it with `make bench`.
func BenchmarkAgainstServer(b *testing.B) {
	for b.Loop() {
		runComparison(b)
	}
}

type measurement struct {
	name  string
	times []time.Duration
}

func (m measurement) quantile(q float64) time.Duration {
	s := append([]time.Duration(nil), m.times...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(q*float64(len(s)-1))]
}

func (m measurement) mean() time.Duration {
	var sum time.Duration
	for _, t := range m.times {
		sum += t
	}
	return sum / time.Duration(len(m.times))
}

func measure(b *testing.B, name string, n int, op func(i int) error) measurement {
	m := measurement{name: name}
	for i := 0; i < n; i++ {
		start := time.Now()
		require.NoError(b, op(i), name)
		m.times = append(m.times, time.Since(start))
	}
	return m
}

func runComparison(b *testing.B) {
	ctx := context.Background()
	env := suite.NewEnv(b)
	author := env.NewUser(b, "benchauthor")
	readers := env.NewUsers(b, 20, "benchreader")
	ch := env.PrivateChannel(b, author, readers...)
	posts := benchPosts(b, author, ch.Id, 200)
	one := author.Post(b, ch.Id, "single")
	r := readers[0]

	var results []measurement
	add := func(m measurement) { results = append(results, m) }

	add(measure(b, "server: POST /channels/members/me/view", benchIterations, func(int) error {
		_, _, err := r.Client.ViewChannel(ctx, "me", &model.ChannelView{ChannelId: ch.Id})
		return err
	}))
	add(measure(b, "server: GET /users/me", benchIterations, func(int) error {
		_, _, err := r.Client.GetMe(ctx, "")
		return err
	}))
	add(measure(b, "server: GET /posts/{id}", benchIterations, func(int) error {
		_, _, err := r.Client.GetPost(ctx, one.Id, "")
		return err
	}))
	add(measure(b, "server: POST /posts/ids (200 posts)", benchIterations/5, func(int) error {
		_, _, err := r.Client.GetPostsByIds(ctx, posts)
		return err
	}))
	add(measure(b, "plugin: GET /config", benchIterations, func(int) error {
		_, res, err := r.Plugin.Config(ctx)
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: POST /reads (1 new read)", len(posts[:benchIterations]), func(i int) error {
		_, res, err := readers[1].Plugin.Reads(ctx, posts[i])
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: POST /reads (200 new reads)", len(readers)-2, func(i int) error {
		out, res, err := readers[i+2].Plugin.Reads(ctx, posts...)
		if err == nil && len(out.Recorded) != len(posts) {
			err = fmt.Errorf("recorded %d of %d", len(out.Recorded), len(posts))
		}
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: POST /receipts/query (200 posts)", benchIterations/5, func(int) error {
		out, res, err := author.Plugin.Query(ctx, posts...)
		if err == nil && len(out.Receipts) != len(posts) {
			err = fmt.Errorf("got %d receipts", len(out.Receipts))
		}
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: GET /posts/{id}/readers (20 read)", benchIterations, func(int) error {
		_, res, err := author.Plugin.Readers(ctx, posts[0], "read", "", 100)
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: GET /posts/{id}/readers?filter=unread", benchIterations, func(int) error {
		_, res, err := author.Plugin.Readers(ctx, one.Id, "unread", "", 100)
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: GET /posts/{id}/curve (20 read)", benchIterations, func(int) error {
		_, res, err := author.Plugin.Curve(ctx, posts[0])
		return okOrErr(res, err)
	}))
	add(measure(b, "plugin: /receipts who <post> (20 read)", benchIterations/5, func(int) error {
		_, _, err := author.Client.ExecuteCommandWithTeam(ctx, ch.Id, env.Team.Id, "/receipts who "+posts[0])
		return err
	}))
	add(concurrentReads(b, env, author))
	// Last, because every new post makes the plugin work in the background.
	add(measure(b, "server: POST /posts (create)", benchIterations/5, func(i int) error {
		_, _, err := author.Client.CreatePost(ctx, &model.Post{ChannelId: ch.Id, Message: fmt.Sprint("bench ", i)})
		return err
	}))

	printTable(results)
}

// concurrentReads: 50 users read one post at the same moment; the time is
// until the last answer. Compared with 50 users viewing a channel at once.
func concurrentReads(b *testing.B, env *mmtest.Env, author *mmtest.User) measurement {
	crowdUsers := env.NewUsers(b, crowd, "benchcrowd")
	ch := env.PrivateChannel(b, author, crowdUsers...)
	m := measurement{name: "plugin: 50 users POST /reads of one post at once (wall)"}
	for round := 0; round < 3; round++ {
		post := benchPosts(b, author, ch.Id, 1)[0]
		m.times = append(m.times, all(b, crowdUsers, func(u *mmtest.User) error {
			_, res, err := u.Plugin.Reads(context.Background(), post)
			return okOrErr(res, err)
		}))
	}
	return m
}

func all(b *testing.B, users []*mmtest.User, op func(*mmtest.User) error) time.Duration {
	var wg sync.WaitGroup
	errs := make([]error, len(users))
	startGate := make(chan struct{})
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startGate
			errs[i] = op(u)
		}()
	}
	start := time.Now()
	close(startGate)
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		require.NoError(b, err)
	}
	return elapsed
}

// benchPosts creates n posts and waits until the plugin tracks the last one.
func benchPosts(b *testing.B, author *mmtest.User, channelID string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = author.Post(b, channelID, fmt.Sprint("bench post ", i)).Id
	}
	err := mmtest.Poll(30*time.Second, 100*time.Millisecond, func() (bool, string) {
		out, _, err := author.Plugin.Query(context.Background(), ids[n-1])
		return err == nil && len(out.Receipts) == 1, "last bench post tracked"
	})
	require.NoError(b, err)
	return ids
}

func okOrErr(res *mmtest.Result, err error) error {
	if err != nil {
		return err
	}
	if res.Status != 200 {
		return fmt.Errorf("status %d: %s", res.Status, res.String())
	}
	return nil
}

// printTable prints each operation with its median as a multiple of the
// medians of two server operations: reading one post, and marking a channel
// viewed (what every client does when a user opens a channel). Medians,
// because a few slow outliers on a shared machine swing the means.
func printTable(results []measurement) {
	getPost, view := results[2].quantile(0.5), results[0].quantile(0.5)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\truns\tmean\tp50\tp95\tp50 ÷ GET post\tp50 ÷ view channel\t")
	for _, m := range results {
		p50 := m.quantile(0.5)
		fmt.Fprintf(w, "%s\t%d\t%v\t%v\t%v\t%.2f\t%.2f\t\n", m.name, len(m.times),
			m.mean().Round(10*time.Microsecond), p50.Round(10*time.Microsecond),
			m.quantile(0.95).Round(10*time.Microsecond), float64(p50)/float64(getPost), float64(p50)/float64(view))
	}
	fmt.Println(strings.Repeat("-", 40))
	_ = w.Flush()
}
