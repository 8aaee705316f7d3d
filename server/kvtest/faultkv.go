package kvtest

import (
	"strings"
	"sync"
)

// Op is a kind of KV operation.
type Op int

// The kinds of operation FaultKV counts. OpWrite matches every operation
// that changes something (Set, CompareAndSet, InsertWithExpiry).
const (
	OpGet Op = iota + 1
	OpSet
	OpCAS
	OpInsert
	OpList
	OpWrite
)

// KV is the store interface FaultKV wraps (the same as store.KV; kvtest does
// not import store, so that the store's own tests can use it).
type KV interface {
	Get(key string) ([]byte, error)
	Set(key string, value []byte) error
	CompareAndSet(key string, old, value []byte) (bool, error)
	InsertWithExpiry(key string, value []byte, seconds int64) (bool, error)
	CompareAndSetWithExpiry(key string, old, value []byte, seconds int64) (bool, error)
	ListKeys(page, perPage int) ([]string, error)
}

// FaultKV wraps a KV and fails, with ErrInjected and without effect, the n-th
// operation of a kind on keys with a prefix. It counts those operations, so a
// test can first count the steps of a multi-key write and then cut it off at
// each one in turn.
type FaultKV struct {
	KV
	mu     sync.Mutex
	op     Op
	prefix string
	failAt int // 0: never
	count  int
}

// NewFaultKV wraps kv; it fails nothing until told to.
func NewFaultKV(kv KV) *FaultKV { return &FaultKV{KV: kv} }

// FailNth counts from now the operations of kind op on keys starting with
// prefix ("" for any key) and fails the n-th one (n from 1; 0 fails none).
func (f *FaultKV) FailNth(op Op, prefix string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.op, f.prefix, f.failAt, f.count = op, prefix, n, 0
}

// Count is how many matching operations were seen since the last FailNth.
func (f *FaultKV) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.count
}

// Fired reports whether the planned failure happened.
func (f *FaultKV) Fired() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failAt > 0 && f.count >= f.failAt
}

// fail counts an operation and reports whether it is the one to fail.
func (f *FaultKV) fail(op Op, key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.op == 0 || !matches(f.op, op) || !strings.HasPrefix(key, f.prefix) {
		return false
	}
	f.count++
	return f.count == f.failAt
}

func matches(want, got Op) bool {
	if want == OpWrite {
		return got == OpSet || got == OpCAS || got == OpInsert
	}
	return want == got
}

// Get implements KV.
func (f *FaultKV) Get(key string) ([]byte, error) {
	if f.fail(OpGet, key) {
		return nil, ErrInjected
	}
	return f.KV.Get(key)
}

// Set implements KV.
func (f *FaultKV) Set(key string, value []byte) error {
	if f.fail(OpSet, key) {
		return ErrInjected
	}
	return f.KV.Set(key, value)
}

// CompareAndSet implements KV.
func (f *FaultKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	if f.fail(OpCAS, key) {
		return false, ErrInjected
	}
	return f.KV.CompareAndSet(key, old, value)
}

// InsertWithExpiry implements KV.
func (f *FaultKV) InsertWithExpiry(key string, value []byte, seconds int64) (bool, error) {
	if f.fail(OpInsert, key) {
		return false, ErrInjected
	}
	return f.KV.InsertWithExpiry(key, value, seconds)
}

// CompareAndSetWithExpiry implements KV.
func (f *FaultKV) CompareAndSetWithExpiry(key string, old, value []byte, seconds int64) (bool, error) {
	if f.fail(OpCAS, key) {
		return false, ErrInjected
	}
	return f.KV.CompareAndSetWithExpiry(key, old, value, seconds)
}

// ListKeys implements KV.
func (f *FaultKV) ListKeys(page, perPage int) ([]string, error) {
	if f.fail(OpList, "") {
		return nil, ErrInjected
	}
	return f.KV.ListKeys(page, perPage)
}
