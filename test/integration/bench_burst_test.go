package integration

import (
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// burstResult is one burst of posts: core POST /posts latencies and the CPU
// it cost until the processes were quiet again.
type burstResult struct {
	latency samples
	cpu     time.Duration
}

// burst: 200 posts by one author, 4 at a time, in a 20-member channel with
// receipts off, then in one with receipts on. Receipts must not slow
// Mattermost down: compare core POST /posts latency, and the CPU of server +
// plugin + PostgreSQL until quiet. The bursts go off, on, on, off, four
// times: on this shared machine the load drifts within seconds, and a drift
// then weighs on both sides alike instead of on whichever went second. One
// burst's CPU varies by a fifth from one to the next (330 to 600 ms for the
// same burst in one run), more than receipts add to it, so each side is
// eight bursts: with four, the ratio of one run of the same code ranged from
// 0.90× to 1.33×.
func (bn *bench) burst() {
	const pairs = 4
	var off, on burstResult
	for range pairs {
		for _, enabled := range []bool{false, true, true, false} {
			r := bn.burstIn(enabled)
			if enabled {
				on = on.add(r)
			} else {
				off = off.add(r)
			}
		}
	}
	bn.rows.add(rowBurstLatency, "a burst of 200 posts by one author (4 at a time), receipts on vs off (eight bursts each, off-on-on-off four times): POST /posts p50 / p95",
		ms(on.latency.median())+" / "+ms(on.latency.quantile(0.95)),
		ms(off.latency.median())+" / "+ms(off.latency.quantile(0.95)),
		durRatio(on.latency.median(), off.latency.median())+" / "+durRatio(on.latency.quantile(0.95), off.latency.quantile(0.95)),
		"≤ 1.2×")
	bn.rows.add(rowBurstCPU, "the same bursts, receipts on vs off: CPU until quiet, per burst³",
		fmt.Sprintf("%.2f s", on.cpu.Seconds()/(2*pairs)), fmt.Sprintf("%.2f s", off.cpu.Seconds()/(2*pairs)), durRatio(on.cpu, off.cpu), "≤ 1.2×")
}

// add is both bursts' latencies and CPU together.
func (r burstResult) add(o burstResult) burstResult {
	return burstResult{latency: append(append(samples{}, r.latency...), o.latency...), cpu: r.cpu + o.cpu}
}

func (bn *bench) burstIn(enabled bool) burstResult {
	const posts, workers = 200, 4
	members := bn.readers[:19]
	ch := bn.env.PrivateChannel(bn.b, bn.author, members...)
	if enabled {
		bn.watched = append(bn.watched, watchedChannel{ch.Id, append([]*mmtest.User{bn.author}, members...)})
	} else {
		_, res, err := bn.author.Plugin.SetChannelEnabled(bn.ctx, ch.Id, false)
		require.NoError(bn.b, okOrErr(res, err))
	}
	rest := bn.restRate(3 * time.Second)
	cpu0, start := bn.cpu(), time.Now()
	latency := make(samples, posts)
	_, err := pool(workers, posts, func(i int) error {
		t0 := time.Now()
		_, _, err := bn.author.Client.CreatePost(bn.ctx, &model.Post{ChannelId: ch.Id, Message: fmt.Sprint("burst ", i)})
		latency[i] = time.Since(t0)
		return err
	})
	require.NoError(bn.b, err, "create post")
	bn.waitQuiet(rest, time.Minute)
	used := bn.cpu().Sub(cpu0).Total() - time.Duration(rest*float64(time.Since(start)))
	return burstResult{latency: latency, cpu: max(used, 0)}
}

// restRate is the CPU the processes use at the moment, in cores.
func (bn *bench) restRate(over time.Duration) float64 {
	c0, t0 := bn.cpu(), time.Now()
	time.Sleep(over)
	return float64(bn.cpu().Sub(c0).Total()) / float64(time.Since(t0))
}

// waitQuiet waits until the processes have used at most rest + 5 % of a core
// over 2 s, up to limit.
func (bn *bench) waitQuiet(rest float64, limit time.Duration) {
	const window, step = 2 * time.Second, 250 * time.Millisecond
	type sample struct {
		at  time.Time
		cpu time.Duration
	}
	var hist []sample
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		last := sample{time.Now(), bn.cpu().Total()}
		hist = append(hist, last)
		// Keep the newest sample at least a window older than the last one.
		for len(hist) > 1 && last.at.Sub(hist[1].at) >= window {
			hist = hist[1:]
		}
		first := hist[0]
		if wall := last.at.Sub(first.at); wall >= window && float64(last.cpu-first.cpu)/float64(wall) <= rest+0.05 {
			return
		}
		time.Sleep(step)
	}
}
