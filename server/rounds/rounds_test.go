package rounds

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// heldRounds records the rounds it handles and holds the first until
// release is closed (started says it began).
type heldRounds struct {
	started, release chan struct{}
	mu               sync.Mutex
	rounds           [][]int
}

func newHeldRounds() *heldRounds {
	return &heldRounds{started: make(chan struct{}), release: make(chan struct{})}
}

func (h *heldRounds) handle(items []int) {
	h.mu.Lock()
	h.rounds = append(h.rounds, items)
	first := len(h.rounds) == 1
	h.mu.Unlock()
	if first {
		close(h.started)
		<-h.release
	}
}

// TestItemsArrivingDuringARoundShareTheNext: one round holds; the twenty
// items that arrive meanwhile go together in the next.
func TestItemsArrivingDuringARoundShareTheNext(t *testing.T) {
	var q Queue[int]
	h := newHeldRounds()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); q.Do(0, h.handle) }()
	<-h.started
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); q.Do(i, h.handle) }()
	}
	time.Sleep(100 * time.Millisecond) // let them queue behind the first round
	close(h.release)
	wg.Wait()
	rounds := h.rounds
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

// TestARoundHandedOverGathersFirst: in a burst, the round that follows
// another waits (Gather) before it takes what is waiting, so the items that
// arrive meanwhile join it instead of making rounds of their own; the first
// item, with nothing under way, does not wait.
func TestARoundHandedOverGathersFirst(t *testing.T) {
	gathering, gathered := make(chan struct{}), make(chan struct{})
	q := Queue[int]{Gather: func() {
		gathering <- struct{}{}
		<-gathered
	}}
	h := newHeldRounds()
	var wg sync.WaitGroup
	do := func(i int) {
		wg.Add(1)
		go func() { defer wg.Done(); q.Do(i, h.handle) }()
	}
	do(0)
	<-h.started
	do(1)
	time.Sleep(50 * time.Millisecond) // let 1 queue behind the first round
	close(h.release)
	select { // 1 leads the next round and gathers
	case <-gathering:
	case <-time.After(5 * time.Second):
		t.Fatal("the round that followed the first did not gather")
	}
	for i := 2; i <= 5; i++ {
		do(i)
	}
	time.Sleep(50 * time.Millisecond) // let them queue while it gathers
	close(gathered)
	wg.Wait()
	if assert.Len(t, h.rounds, 2) {
		assert.Equal(t, []int{0}, h.rounds[0])
		assert.ElementsMatch(t, []int{1, 2, 3, 4, 5}, h.rounds[1])
	}
}

// TestAnItemAloneDoesNotGather: Gather is for rounds that follow a round.
func TestAnItemAloneDoesNotGather(t *testing.T) {
	k := Keyed[string]{Gather: func() { t.Error("an item alone gathered") }}
	var got []string
	k.Do("c", "a", func(items []string) { got = append(got, items...) })
	k.Do("c", "b", func(items []string) { got = append(got, items...) })
	assert.Equal(t, []string{"a", "b"}, got)
}
