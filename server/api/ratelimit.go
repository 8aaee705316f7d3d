package api

import (
	"sync"
	"time"
)

// Per-user request budget: generous for a webapp that batches (a few requests
// a second), tight enough that one runaway client cannot flood the server.
const (
	requestsPerSecond = 100
	requestBurst      = 300
)

// limiter is a token bucket per user, kept in memory on each server.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate, burst float64, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: burst, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from the user's bucket, if there is one.
func (l *limiter) allow(userID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[userID]
	if !ok {
		l.prune(now)
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[userID] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune forgets buckets that have filled up again, so memory follows the
// number of recently active users.
func (l *limiter) prune(now time.Time) {
	if len(l.buckets) < 10000 {
		return
	}
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for id, b := range l.buckets {
		if now.Sub(b.at) > full {
			delete(l.buckets, id)
		}
	}
}
