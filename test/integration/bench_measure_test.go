package integration

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// samples are the durations of one operation.
type samples []time.Duration

func (s samples) quantile(q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	sorted := append(samples(nil), s...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return sorted[int(q*float64(len(sorted)-1)+0.5)]
}

func (s samples) median() time.Duration { return s.quantile(0.5) }
func (s samples) max() time.Duration    { return s.quantile(1) }
func (s samples) min() time.Duration    { return s.quantile(0) }

// pluginCall is one plugin request; it returns the raw answer.
type pluginCall func() (*mmtest.Result, error)

// timePlugin runs call until it is answered neither 429 nor 503 (waiting
// Retry-After, as a client does), requires 200 and returns how long the last
// try took: the rate limit's waits are not the operation's cost.
func (bn *bench) timePlugin(what string, call pluginCall) time.Duration {
	for try := 0; ; try++ {
		start := time.Now()
		res, err := call()
		elapsed := time.Since(start)
		require.NoError(bn.b, err, what)
		if res.Status == http.StatusTooManyRequests || res.Status == http.StatusServiceUnavailable {
			require.Less(bn.b, try, 20, "%s: still refused: %s", what, res)
			time.Sleep(retryAfter(res))
			continue
		}
		require.Equal(bn.b, http.StatusOK, res.Status, "%s: %s", what, res)
		return elapsed
	}
}

func retryAfter(res *mmtest.Result) time.Duration {
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return time.Second
}

// timeCore times one core request, which must succeed.
func (bn *bench) timeCore(what string, call func() error) time.Duration {
	start := time.Now()
	err := call()
	elapsed := time.Since(start)
	require.NoError(bn.b, err, what)
	return elapsed
}

// interleave runs a core and a plugin operation n times each, alternating
// which goes first, so that the machine's noise falls on both alike.
func (bn *bench) interleave(what string, n int, core func(i int) error, plugin func(i int) pluginCall) (coreS, pluginS samples) {
	pluginS, cores := bn.interleaveMany(what, n, plugin, coreOp{run: core})
	return cores[0], pluginS
}

// coreOp is a core operation; prepare(i), if set, runs untimed before it.
type coreOp struct {
	prepare func(i int)
	run     func(i int) error
}

// interleaveMany runs a plugin operation and each core operation n times,
// rotating which goes first, and returns the plugin's samples and each core
// operation's.
func (bn *bench) interleaveMany(what string, n int, plugin func(i int) pluginCall, cores ...coreOp) (pluginS samples, coreS []samples) {
	coreS = make([]samples, len(cores))
	for i := range n {
		for k := range len(cores) + 1 {
			op := (i + k) % (len(cores) + 1)
			if op == len(cores) {
				pluginS = append(pluginS, bn.timePlugin(what, plugin(i)))
				continue
			}
			if c := cores[op]; c.prepare != nil {
				c.prepare(i)
			}
			coreS[op] = append(coreS[op], bn.timeCore(what, func() error { return cores[op].run(i) }))
		}
	}
	return pluginS, coreS
}

// atOnce runs op for every user at the same instant and returns the time
// until the last answer, and the answers' errors.
func atOnce(users []*mmtest.User, op func(i int, u *mmtest.User) error) (time.Duration, []error) {
	var wg sync.WaitGroup
	errs := make([]error, len(users))
	gate := make(chan struct{})
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			errs[i] = op(i, u)
		}()
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	return time.Since(start), errs
}

// pool runs jobs 0..n-1 on workers goroutines and returns the wall time and
// the first error a job returned (the other jobs still run).
func pool(workers, n int, job func(i int) error) (time.Duration, error) {
	next := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := job(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return time.Since(start), first
}

// posts creates n posts by the author in a channel, one after another, and
// waits until the author's query shows a receipt for every one.
func (bn *bench) posts(channelID string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		p, _, err := bn.author.Client.CreatePost(bn.ctx, &model.Post{ChannelId: channelID, Message: fmt.Sprint("bench post ", i)})
		require.NoError(bn.b, err, "create post")
		ids[i] = p.Id
	}
	for start := 0; start < n; start += 200 {
		batch := ids[start:min(start+200, n)]
		err := mmtest.Poll(2*time.Minute, 100*time.Millisecond, func() (bool, string) {
			out, res, err := bn.author.Plugin.Query(bn.ctx, batch...)
			if err != nil || res.Status != http.StatusOK {
				return false, fmt.Sprintf("query: %v %v", err, res)
			}
			return len(out.Receipts) == len(batch), fmt.Sprintf("%d of %d tracked", len(out.Receipts), len(batch))
		})
		require.NoError(bn.b, err)
	}
	return ids
}

// readAll records reads of posts by each user (one request of up to 200 ids
// per user, concurrently) and requires them recorded.
func (bn *bench) readAll(users []*mmtest.User, posts []string) {
	_, errs := atOnce(users, func(_ int, u *mmtest.User) error {
		for start := 0; start < len(posts); start += 200 {
			batch := posts[start:min(start+200, len(posts))]
			out, res, err := u.Plugin.Reads(bn.ctx, batch...)
			if err := okOrErr(res, err); err != nil {
				return err
			}
			if len(out.Recorded) != len(batch) {
				return fmt.Errorf("%s recorded %d of %d: %v", u.Username, len(out.Recorded), len(batch), out.Skipped)
			}
		}
		return nil
	})
	for _, err := range errs {
		require.NoError(bn.b, err)
	}
}

func okOrErr(res *mmtest.Result, err error) error {
	if err != nil {
		return err
	}
	if res.Status != http.StatusOK {
		return fmt.Errorf("status %d: %s", res.Status, res.String())
	}
	return nil
}
