package store

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"
)

// PluginAPI is the part of plugin.API that PluginKV uses.
type PluginAPI interface {
	KVGet(key string) ([]byte, *model.AppError)
	KVSetWithOptions(key string, value []byte, options model.PluginKVSetOptions) (bool, *model.AppError)
	KVList(page, perPage int) ([]string, *model.AppError)
}

// PluginKV is KV on the plugin KV store.
type PluginKV struct {
	api  PluginAPI
	bulk BulkKV
}

var _ KV = (*PluginKV)(nil)

// NewPluginKV wraps the plugin API.
func NewPluginKV(api PluginAPI) *PluginKV { return &PluginKV{api: api} }

// WithBulk lets the KV read and compare-and-set many keys with one call of
// bulk, which reports false when it cannot (then keys go one by one).
func (p *PluginKV) WithBulk(bulk BulkKV) *PluginKV {
	p.bulk = bulk
	return p
}

// GetMany implements BulkKV.
func (p *PluginKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	if p.bulk == nil {
		return nil, false, nil
	}
	return p.bulk.GetMany(keys, guesses)
}

// CompareAndSetMany implements BulkKV.
func (p *PluginKV) CompareAndSetMany(keys []string, olds, news [][]byte, guardKey string, guard []byte) (map[string]bool, bool, error) {
	if p.bulk == nil {
		return nil, false, nil
	}
	return p.bulk.CompareAndSetMany(keys, olds, news, guardKey, guard)
}

// InsertMany implements BulkKV.
func (p *PluginKV) InsertMany(keys []string, values [][]byte) (map[string]bool, bool, error) {
	if p.bulk == nil {
		return nil, false, nil
	}
	return p.bulk.InsertMany(keys, values)
}

// A single key is read and compare-and-set through the bulk KV too, when
// there is one: the plugin's own statement is one round trip to the
// database, where the plugin API is one to the server, which then runs a
// statement and, after every write, a DELETE of the key's hashed form (its
// clean-up of keys written before Mattermost 5.6), and after a read that
// finds nothing, a second SELECT for that form. Writes without a compare
// (Set) and writes that expire stay on the plugin API.

// Get implements KV.
func (p *PluginKV) Get(key string) ([]byte, error) {
	if values, ok, err := p.GetMany([]string{key}, [][]byte{nil}); ok || err != nil {
		return values[key], errors.Wrapf(err, "failed to get %s", key)
	}
	v, appErr := p.api.KVGet(key)
	if appErr != nil {
		return nil, errors.Wrapf(appErr, "failed to get %s", key)
	}
	return v, nil
}

// Set implements KV.
func (p *PluginKV) Set(key string, value []byte) error {
	if _, appErr := p.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{}); appErr != nil {
		return errors.Wrapf(appErr, "failed to set %s", key)
	}
	return nil
}

// CompareAndSet implements KV.
func (p *PluginKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	if written, ok, err := p.compareAndSetOne(key, old, value); ok || err != nil {
		return written, errors.Wrapf(err, "failed to compare-and-set %s", key)
	}
	ok, appErr := p.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{Atomic: true, OldValue: old})
	if appErr != nil {
		return false, errors.Wrapf(appErr, "failed to compare-and-set %s", key)
	}
	return ok, nil
}

// compareAndSetOne is CompareAndSet through the bulk KV; ok is false when
// it cannot (no bulk KV, no database handle, or a delete).
func (p *PluginKV) compareAndSetOne(key string, old, value []byte) (written, ok bool, err error) {
	if value == nil {
		return false, false, nil
	}
	var done map[string]bool
	if old == nil {
		done, ok, err = p.InsertMany([]string{key}, [][]byte{value})
	} else {
		done, ok, err = p.CompareAndSetMany([]string{key}, [][]byte{old}, [][]byte{value}, "", nil)
	}
	return done[key], ok, err
}

// InsertWithExpiry implements KV.
func (p *PluginKV) InsertWithExpiry(key string, value []byte, seconds int64) (bool, error) {
	ok, appErr := p.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{Atomic: true, OldValue: nil, ExpireInSeconds: seconds})
	if appErr != nil {
		return false, errors.Wrapf(appErr, "failed to insert %s", key)
	}
	return ok, nil
}

// CompareAndSetWithExpiry implements KV.
func (p *PluginKV) CompareAndSetWithExpiry(key string, old, value []byte, seconds int64) (bool, error) {
	ok, appErr := p.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{Atomic: true, OldValue: old, ExpireInSeconds: seconds})
	if appErr != nil {
		return false, errors.Wrapf(appErr, "failed to compare-and-set %s", key)
	}
	return ok, nil
}

// ListKeys implements KV.
func (p *PluginKV) ListKeys(page, perPage int) ([]string, error) {
	keys, appErr := p.api.KVList(page, perPage)
	if appErr != nil {
		return nil, errors.Wrap(appErr, "failed to list keys")
	}
	return keys, nil
}
