// Package store keeps the receipt engine's data in the plugin KV store. It
// implements the receipts package's store interfaces on top of a small KV
// interface, with compare-and-set for every read-modify-write.
package store

// KV is the key-value store underneath: the plugin KV store in production,
// an in-memory map in tests.
type KV interface {
	// Get returns the value, or nil when the key is absent.
	Get(key string) ([]byte, error)
	// Set stores the value; a nil value deletes the key.
	Set(key string, value []byte) error
	// CompareAndSet writes value only if the current value equals old (nil old:
	// only if absent; nil value: delete). It reports whether it wrote.
	CompareAndSet(key string, old, value []byte) (bool, error)
	// InsertWithExpiry writes value only if the key is absent, to vanish after
	// the given seconds. It reports whether it wrote.
	InsertWithExpiry(key string, value []byte, seconds int64) (bool, error)
	// CompareAndSetWithExpiry is CompareAndSet whose written value vanishes
	// after the given seconds.
	CompareAndSetWithExpiry(key string, old, value []byte, seconds int64) (bool, error)
	// ListKeys returns one page of all keys, sorted.
	ListKeys(page, perPage int) ([]string, error)
}

// BulkKV is a KV that can also read and compare-and-set many keys at once.
// ok is false when it cannot (no database handle): the caller then goes key
// by key.
type BulkKV interface {
	// GetMany returns the current values of the keys present. guesses[i]
	// is a value keys[i] may still have (nil: no guess): the KV may then
	// skip sending a value equal to it, and returns the guess.
	GetMany(keys []string, guesses [][]byte) (values map[string][]byte, ok bool, err error)
	// CompareAndSetMany is CompareAndSet(keys[i], olds[i], news[i]) for
	// each i, in one call; each is decided on its own. olds and news hold no
	// nil (updates only). It returns the keys written. With a guard key,
	// nothing is written unless that key's value is guard (nil: absent)
	// when the call runs: what the new values were decided on.
	CompareAndSetMany(keys []string, olds, news [][]byte, guardKey string, guard []byte) (written map[string]bool, ok bool, err error)
	// InsertMany is CompareAndSet(keys[i], nil, values[i]) for each i, in
	// one call; each is decided on its own. keys are distinct. It returns
	// the keys written.
	InsertMany(keys []string, values [][]byte) (inserted map[string]bool, ok bool, err error)
}
