package api

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/stretchr/testify/assert"
)

func TestRateLimitPerUser(t *testing.T) {
	now := time.Unix(1000, 0)
	h := NewHandler(&stubService{}, config.Default, discard{}, nil)
	h.limit = newLimiter(2, 3, func() time.Time { return now }, nil)
	call := func(user string) int {
		req := httptest.NewRequest("GET", "/api/v1/config", nil)
		req.Header.Set("Mattermost-User-Id", user)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := 0; i < 3; i++ {
		assert.Equal(t, 200, call("alice"), "within the burst")
	}
	assert.Equal(t, 429, call("alice"))
	assert.Equal(t, 200, call("bob"), "each user has a budget of their own")
	now = now.Add(500 * time.Millisecond)
	assert.Equal(t, 200, call("alice"), "refilled at two a second")
	assert.Equal(t, 429, call("alice"))
}

// TestRateLimitCountsIDs: a batch costs as many tokens as it carries ids.
func TestRateLimitCountsIDs(t *testing.T) {
	now := time.Unix(1000, 0)
	h := NewHandler(&stubService{}, config.Default, discard{}, nil)
	h.limit = newLimiter(100, 450, func() time.Time { return now }, nil)
	batch := `{"post_ids":["` + strings.TrimSuffix(strings.Repeat(validID+`","`, 200), `","`) + `"]}`
	call := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/receipts/query", strings.NewReader(batch))
		req.Header.Set("Mattermost-User-Id", "alice")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	assert.Equal(t, 200, call().Code)
	assert.Equal(t, 200, call().Code)
	refused := call()
	assert.Equal(t, 429, refused.Code, "the third batch of 200 ids is over a budget of 450")
	assert.Equal(t, "1", refused.Header().Get("Retry-After"))
}

// memUsage is the KV window total shared by the servers of a test cluster.
type memUsage struct {
	mu     sync.Mutex
	totals map[string]int
}

func (m *memUsage) AddUsage(userID string, window int64, cost int) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := fmt.Sprint(userID, window)
	m.totals[key] += cost
	return m.totals[key], nil
}

// TestRateLimitHoldsAcrossServers: a user who spreads requests over four
// servers gets about the cluster's budget, not four times it.
func TestRateLimitHoldsAcrossServers(t *testing.T) {
	now := time.Unix(1000, 0)
	clock := func() time.Time { return now }
	shared := &memUsage{totals: map[string]int{}}
	servers := make([]*limiter, 4)
	for i := range servers {
		servers[i] = newLimiter(costPerSecond, costBurst, clock, shared)
		servers[i].background = func(f func()) { f() } // each addition done before the next request
	}
	allowed := 0
	for step := 0; step < 1000; step++ { // 10 s, one batch of 200 ids per server every 10 ms
		now = now.Add(10 * time.Millisecond)
		for _, l := range servers {
			if l.allow("alice", 200) {
				allowed += 200
			}
		}
	}
	budget := costPerSecond*10 + costBurst
	alone := budget * len(servers)
	t.Logf("allowed %d ids in 10 s over %d servers; cluster budget %d, without sharing %d", allowed, len(servers), budget, alone)
	assert.LessOrEqual(t, allowed, budget+len(servers)*(costPerSecond+syncCost))
	assert.GreaterOrEqual(t, allowed, costPerSecond*10/2, "the user still gets served")
}

// blockedUsage holds every AddUsage until released.
type blockedUsage struct{ release chan struct{} }

func (b blockedUsage) AddUsage(string, int64, int) (int, error) {
	<-b.release
	return 0, nil
}

// TestSharingTheBudgetNeverHoldsARequest: telling the other servers what a
// user spent (a KV read and write) happens beside the request, not in it.
func TestSharingTheBudgetNeverHoldsARequest(t *testing.T) {
	now := time.Unix(1000, 0)
	usage := blockedUsage{release: make(chan struct{})}
	defer close(usage.release)
	l := newLimiter(costPerSecond, costBurst, func() time.Time { return now }, usage)
	assert.True(t, l.allow("alice", 1))
	now = now.Add(2 * syncInterval) // alice's next request is due to be shared
	answered := make(chan bool)
	go func() { answered <- l.allow("alice", 1) }()
	select {
	case ok := <-answered:
		assert.True(t, ok)
	case <-time.After(5 * time.Second):
		t.Fatal("the request waited for the shared total")
	}
}
