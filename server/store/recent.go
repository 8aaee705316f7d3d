package store

import "sync"

// Bounds of what a server remembers: values are a few hundred bytes to a
// few KB each.
const (
	recentKeys  = 4096
	recentBytes = 4 << 20
)

// recentValues remembers the last value seen of a bounded number of keys.
// It is only ever a guess for a compare-and-set, never an answer: a value
// another server changed since makes that compare-and-set fail, and the
// writer reads again.
type recentValues struct {
	mu     sync.Mutex
	values map[string][]byte
	bytes  int
}

func newRecentValues() *recentValues {
	return &recentValues{values: map[string][]byte{}}
}

func (r *recentValues) remember(key string, value []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(key)
	for k := range r.values { // make room, dropping at random: map order is random
		if len(r.values) < recentKeys && r.bytes+len(value) <= recentBytes {
			break
		}
		r.drop(k)
	}
	r.values[key] = value
	r.bytes += len(value)
}

// recall is the remembered value of key, nil when none (or when remembered
// absent).
func (r *recentValues) recall(key string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.values[key]
}

// recallKnown is recall, and whether the key is remembered at all: a key
// remembered absent (a nil value) is known.
func (r *recentValues) recallKnown(key string) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.values[key]
	return v, ok
}

func (r *recentValues) forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(key)
}

// drop forgets key; mu is held.
func (r *recentValues) drop(key string) {
	r.bytes -= len(r.values[key])
	delete(r.values, key)
}
