package api

import (
	"sync"
	"time"
)

// Per-user budget, counted in post ids (a request without ids costs one):
// generous for a webapp that batches (a few hundred ids a second while
// scrolling), tight enough that one client cannot make the servers check
// tens of thousands of posts a second. The same budget holds for the whole
// cluster: see limiter.
const (
	costPerSecond = 2000
	costBurst     = 10000
	// clusterWindow is the period over which servers add up a user's cost in
	// the KV; within it the cluster allows rate*window + burst.
	clusterWindow = 10 * time.Second
	// Each server tells the others what a user spent at least this often, or
	// once that much is pending.
	syncInterval = time.Second
	syncCost     = 1000
)

// UsageCounter adds a user's cost to the total of a window that all servers
// share, and returns that total.
type UsageCounter interface {
	AddUsage(userID string, window int64, cost int) (int, error)
}

// limiter is a token bucket per user on this server, plus a shared window
// total: each server adds what a user spent to the KV at most once a second
// (or every syncCost), so a user who spreads requests over N servers gets at
// most the cluster budget plus about a second of each server's budget per
// window, never N times the budget. The adding happens beside the request
// that made it due (a KV read and write: 200 users reading at once would
// otherwise each wait for theirs), one at a time per user; a total over the
// budget refuses the user's requests from then on.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	shared  UsageCounter
	buckets map[string]*bucket
	// background runs the sharing (go in production).
	background func(func())
}

type bucket struct {
	tokens float64
	at     time.Time
	// pending is cost not yet added to the shared window; blockedUntil is set
	// when the window's total went over the cluster budget.
	pending      int
	syncedAt     time.Time
	sharing      bool // an addition to the shared total is under way
	blockedUntil time.Time
}

func newLimiter(rate, burst float64, now func() time.Time, shared UsageCounter) *limiter {
	return &limiter{rate: rate, burst: burst, now: now, shared: shared, buckets: map[string]*bucket{},
		background: func(f func()) { go f() }}
}

// allow takes cost tokens from the user's budget, if there are enough.
func (l *limiter) allow(userID string, cost int) bool {
	l.mu.Lock()
	now := l.now()
	b := l.bucket(userID, now)
	c := float64(max(cost, 1))
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if now.Before(b.blockedUntil) || b.tokens < c {
		l.mu.Unlock()
		return false
	}
	b.tokens -= c
	b.pending += int(c)
	sync := l.shared != nil && !b.sharing && (b.pending >= syncCost || now.Sub(b.syncedAt) >= syncInterval)
	pending := b.pending
	if sync {
		b.pending, b.syncedAt, b.sharing = 0, now, true
	}
	l.mu.Unlock()
	if sync {
		l.background(func() {
			l.share(userID, pending, now)
			l.mu.Lock()
			b.sharing = false
			l.mu.Unlock()
		})
	}
	return true
}

// share adds pending cost to the window total; over budget, the user is
// refused on this server until the window ends. A failing KV only loses the
// cluster-wide part of the limit, never a request.
func (l *limiter) share(userID string, pending int, now time.Time) {
	window := now.UnixMilli() / clusterWindow.Milliseconds()
	total, err := l.shared.AddUsage(userID, window, pending)
	if err != nil || float64(total) <= l.rate*clusterWindow.Seconds()+l.burst {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	end := time.UnixMilli((window + 1) * clusterWindow.Milliseconds())
	l.bucket(userID, now).blockedUntil = end
}

// bucket returns the user's bucket, creating a full one. Called with mu held.
func (l *limiter) bucket(userID string, now time.Time) *bucket {
	b, ok := l.buckets[userID]
	if !ok {
		l.prune(now)
		b = &bucket{tokens: l.burst, at: now, syncedAt: now}
		l.buckets[userID] = b
	}
	return b
}

// prune forgets buckets that have filled up again, so memory follows the
// number of recently active users.
func (l *limiter) prune(now time.Time) {
	if len(l.buckets) < 10000 {
		return
	}
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for id, b := range l.buckets {
		if now.Sub(b.at) > full && now.After(b.blockedUntil) {
			delete(l.buckets, id)
		}
	}
}
