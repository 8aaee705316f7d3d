package store

import "sync"

// recentPosts bounds how many post records a server remembers (a few hundred
// bytes to a few KB each).
const recentPosts = 2048

// recentValues remembers the last value seen of a bounded number of keys.
// It is only ever a guess for a compare-and-set, never an answer: a value
// another server changed since makes that compare-and-set fail, and the
// writer reads again.
type recentValues struct {
	mu     sync.Mutex
	max    int
	values map[string][]byte
}

func newRecentValues(max int) *recentValues {
	return &recentValues{max: max, values: map[string][]byte{}}
}

func (r *recentValues) remember(key string, value []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.values[key]; !ok && len(r.values) >= r.max {
		for k := range r.values { // drop one at random: map order is random
			delete(r.values, k)
			break
		}
	}
	r.values[key] = value
}

func (r *recentValues) recall(key string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.values[key]
}

func (r *recentValues) forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.values, key)
}
