// Package kvtest holds test support for code on the KV store: an in-memory KV
// that can fail and conflict at random, and a wrapper that fails the n-th
// operation of a given kind, to cut multi-key writes off at every step.
package kvtest

import (
	"bytes"
	"math/rand"
	"sort"
	"sync"
	"time"

	"github.com/pkg/errors"
)

// MemKV is an in-memory KV for tests. It can be told to fail or to report a
// conflict at random, to prove that callers lose and double-count nothing.
type MemKV struct {
	mu      sync.Mutex
	data    map[string][]byte
	expires map[string]time.Time
	// Now is the clock for expiry; nil means time.Now.
	Now func() time.Time

	// failRate is the chance that any call fails with an error; conflictRate
	// the chance that a compare-and-set loses as if another writer had been
	// first (without writing).
	failRate     float64
	conflictRate float64
	rnd          *rand.Rand
}

// ErrInjected is the error MemKV returns when told to fail.
var ErrInjected = errors.New("injected KV failure")

// NewMemKV returns an empty store whose faults follow seed.
func NewMemKV(seed int64) *MemKV {
	return &MemKV{data: map[string][]byte{}, expires: map[string]time.Time{}, rnd: rand.New(rand.NewSource(seed))}
}

// SetFaults sets the chances of failures and of compare-and-set conflicts.
func (m *MemKV) SetFaults(failRate, conflictRate float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failRate, m.conflictRate = failRate, conflictRate
}

func (m *MemKV) fault(rate float64) bool { return rate > 0 && m.rnd.Float64() < rate }

// Get implements KV.
func (m *MemKV) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return nil, ErrInjected
	}
	m.expire(key)
	return bytes.Clone(m.data[key]), nil
}

// GetMany implements store.BulkKV: absent keys are left out. It checks that
// there is a guess per key, but has no use for them: nothing crosses a bridge.
func (m *MemKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	if len(guesses) != len(keys) { // the statement pairs them
		return nil, true, errors.New("GetMany needs a guess (or nil) per key")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return nil, true, ErrInjected
	}
	out := make(map[string][]byte, len(keys))
	for _, key := range keys {
		m.expire(key)
		if v, ok := m.data[key]; ok {
			out[key] = bytes.Clone(v)
		}
	}
	return out, true, nil
}

// CompareAndSetMany implements store.BulkKV as one statement would: it
// fails whole or decides each key on its own (conflicts injected per key).
func (m *MemKV) CompareAndSetMany(keys []string, olds, news [][]byte, guardKey string, guard []byte) (map[string]bool, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return nil, true, ErrInjected
	}
	written := map[string]bool{}
	if guardKey != "" {
		m.expire(guardKey)
		if cur, exists := m.data[guardKey]; exists != (guard != nil) || !bytes.Equal(cur, guard) {
			return written, true, nil
		}
	}
	for i, key := range keys {
		m.expire(key)
		cur, exists := m.data[key]
		if exists && bytes.Equal(cur, olds[i]) && !m.fault(m.conflictRate) {
			m.put(key, news[i])
			written[key] = true
		}
	}
	return written, true, nil
}

// InsertMany implements store.BulkKV as one statement would: it fails whole
// or decides each key on its own.
func (m *MemKV) InsertMany(keys []string, values [][]byte) (map[string]bool, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return nil, true, ErrInjected
	}
	inserted := map[string]bool{}
	for i, key := range keys {
		m.expire(key)
		if _, exists := m.data[key]; !exists {
			m.put(key, values[i])
			inserted[key] = true
		}
	}
	return inserted, true, nil
}

// expire drops the key if its time is up. Called with mu held.
func (m *MemKV) expire(key string) {
	at, ok := m.expires[key]
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	if ok && !now().Before(at) {
		delete(m.data, key)
		delete(m.expires, key)
	}
}

// InsertWithExpiry implements KV.
func (m *MemKV) InsertWithExpiry(key string, value []byte, seconds int64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return false, ErrInjected
	}
	m.expire(key)
	if _, exists := m.data[key]; exists {
		return false, nil
	}
	m.put(key, value)
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	m.expires[key] = now().Add(time.Duration(seconds) * time.Second)
	return true, nil
}

// CompareAndSetWithExpiry implements KV.
func (m *MemKV) CompareAndSetWithExpiry(key string, old, value []byte, seconds int64) (bool, error) {
	ok, err := m.CompareAndSet(key, old, value)
	if !ok || err != nil || value == nil {
		return ok, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	m.expires[key] = now().Add(time.Duration(seconds) * time.Second)
	return true, nil
}

// Set implements KV.
func (m *MemKV) Set(key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return ErrInjected
	}
	m.put(key, value)
	return nil
}

// CompareAndSet implements KV.
func (m *MemKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fault(m.failRate) {
		return false, ErrInjected
	}
	m.expire(key)
	cur, exists := m.data[key]
	if (old == nil && exists) || (old != nil && (!exists || !bytes.Equal(cur, old))) || m.fault(m.conflictRate) {
		return false, nil
	}
	m.put(key, value)
	return true, nil
}

func (m *MemKV) put(key string, value []byte) {
	delete(m.expires, key)
	if value == nil {
		delete(m.data, key)
		return
	}
	m.data[key] = bytes.Clone(value)
}

// ListKeys implements KV.
func (m *MemKV) ListKeys(page, perPage int) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]string, 0, len(m.data))
	for k := range m.data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	start := min(page*perPage, len(keys))
	return keys[start:min(start+perPage, len(keys))], nil
}

// Size returns the number of keys and the bytes of keys plus values.
func (m *MemKV) Size() (keys, bytes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, v := range m.data {
		bytes += len(k) + len(v)
	}
	return len(m.data), bytes
}

// Value returns a stored value without fault injection (for tests).
func (m *MemKV) Value(key string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return bytes.Clone(m.data[key])
}
