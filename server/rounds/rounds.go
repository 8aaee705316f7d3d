// Package rounds runs work in rounds: what arrives while a round is under
// way waits and goes together in the next one. On the real server every
// call to it costs round trips across the plugin bridge, so many callers at
// the same instant share a few rounds instead of one each.
package rounds

import "sync"

// Queue runs items in rounds. An item that arrives when nothing is under way
// is handled at once, alone; the items that arrive during a round wait, and
// the first of them leads the next round with all of them. An item is only
// ever handled by a round that started after it arrived.
type Queue[T any] struct {
	// Gather, if set, runs before a round that follows another, before it
	// takes what is waiting. Items arriving during a round mean a burst: a
	// short wait then lets more of the burst share the round, which costs
	// about what a round of one costs.
	Gather func()

	mu      sync.Mutex
	running bool
	waiting []*waiter[T]
}

type waiter[T any] struct {
	item T
	done chan struct{} // its round is over
	lead chan struct{} // it is to lead the next round
}

// Do handles item in a round of handle, and returns when that round is over.
func (q *Queue[T]) Do(item T, handle func(items []T)) {
	w := &waiter[T]{item: item, done: make(chan struct{}), lead: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	leads := !q.running
	q.running = true
	q.mu.Unlock()
	if !leads {
		select {
		case <-w.done:
			return
		case <-w.lead:
			if q.Gather != nil {
				q.Gather()
			}
		}
	}
	q.round(handle)
}

// round handles everything waiting, then hands the next round to the first
// item that arrived meanwhile.
func (q *Queue[T]) round(handle func(items []T)) {
	q.mu.Lock()
	batch := q.waiting
	q.waiting = nil
	q.mu.Unlock()
	items := make([]T, len(batch))
	for i, w := range batch {
		items[i] = w.item
	}
	handle(items)
	for _, w := range batch {
		close(w.done)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) == 0 {
		q.running = false
		return
	}
	close(q.waiting[0].lead)
}

// idle reports whether nothing is under way or waiting.
func (q *Queue[T]) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return !q.running && len(q.waiting) == 0
}

// Keyed is a Queue per key (say, per channel); a key's queue is dropped
// when it falls idle. A caller that took the queue just before it was
// dropped runs its round beside the next queue of that key: rounds of one
// key may then overlap, so they must only save work, never be needed for
// correctness.
type Keyed[T any] struct {
	// Gather is each queue's Gather.
	Gather func()

	mu     sync.Mutex
	queues map[string]*Queue[T]
}

// Do is Queue.Do on key's queue.
func (k *Keyed[T]) Do(key string, item T, handle func(items []T)) {
	k.mu.Lock()
	if k.queues == nil {
		k.queues = map[string]*Queue[T]{}
	}
	q := k.queues[key]
	if q == nil {
		q = &Queue[T]{Gather: k.Gather}
		k.queues[key] = q
	}
	k.mu.Unlock()
	q.Do(item, handle)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.queues[key] == q && q.idle() {
		delete(k.queues, key)
	}
}
