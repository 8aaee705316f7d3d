package rounds

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestItemsArrivingDuringARoundShareTheNext: one round holds; the twenty
// items that arrive meanwhile go together in the next.
func TestItemsArrivingDuringARoundShareTheNext(t *testing.T) {
	var q Queue[int]
	started, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var rounds [][]int
	handle := func(items []int) {
		mu.Lock()
		rounds = append(rounds, items)
		first := len(rounds) == 1
		mu.Unlock()
		if first {
			close(started)
			<-release
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); q.Do(0, handle) }()
	<-started
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); q.Do(i, handle) }()
	}
	time.Sleep(100 * time.Millisecond) // let them queue behind the first round
	close(release)
	wg.Wait()
	assert.Equal(t, []int{0}, rounds[0])
	assert.LessOrEqual(t, len(rounds), 3)
	total := 0
	for _, r := range rounds {
		total += len(r)
	}
	assert.Equal(t, 21, total, "every item handled once")
	assert.True(t, q.idle())
}

// TestAnItemAloneIsHandledAtOnce: nothing under way, nothing to wait for.
func TestAnItemAloneIsHandledAtOnce(t *testing.T) {
	var q Queue[string]
	var got []string
	q.Do("a", func(items []string) { got = append(got, items...) })
	q.Do("b", func(items []string) { got = append(got, items...) })
	assert.Equal(t, []string{"a", "b"}, got)
}

// TestKeyedQueuesAreIndependentAndDropped: a round of one key does not hold
// another key's items, and an idle key's queue is forgotten.
func TestKeyedQueuesAreIndependentAndDropped(t *testing.T) {
	var k Keyed[int]
	release := make(chan struct{})
	started := make(chan struct{})
	go k.Do("slow", 1, func([]int) { close(started); <-release })
	<-started
	done := make(chan struct{})
	go func() { k.Do("fast", 2, func([]int) {}); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a round of another key held this one")
	}
	close(release)
	assert.Eventually(t, func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return len(k.queues) == 0
	}, 5*time.Second, time.Millisecond)
}
