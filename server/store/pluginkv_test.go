package store_test

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// countingAPI is the plugin API's KV on a map, counting its calls.
type countingAPI struct {
	kv    *kvtest.MemKV
	calls int
}

func (a *countingAPI) KVGet(key string) ([]byte, *model.AppError) {
	a.calls++
	v, _ := a.kv.Get(key)
	return v, nil
}

func (a *countingAPI) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	a.calls++
	if !o.Atomic {
		_ = a.kv.Set(key, value)
		return true, nil
	}
	ok, _ := a.kv.CompareAndSet(key, o.OldValue, value)
	return ok, nil
}

func (a *countingAPI) KVList(int, int) ([]string, *model.AppError) { a.calls++; return nil, nil }

// TestOneKeyGoesThroughTheBulkKVWhenThereIsOne: through the plugin API a
// write is two statements (Mattermost also deletes the key's hashed form)
// plus a round trip to the server, and a read that finds nothing is two;
// with the bulk KV (the plugin's own statements) a single-key read, insert
// and compare-and-set are one statement each, with the same answers.
func TestOneKeyGoesThroughTheBulkKVWhenThereIsOne(t *testing.T) {
	mem := kvtest.NewMemKV(1)
	api := &countingAPI{kv: mem}
	kv := store.NewPluginKV(api).WithBulk(mem)

	ok, err := kv.CompareAndSet("k", nil, []byte("a"))
	require.NoError(t, err)
	assert.True(t, ok, "inserted")
	ok, err = kv.CompareAndSet("k", nil, []byte("b"))
	require.NoError(t, err)
	assert.False(t, ok, "already there")
	ok, err = kv.CompareAndSet("k", []byte("x"), []byte("b"))
	require.NoError(t, err)
	assert.False(t, ok, "not the old value")
	ok, err = kv.CompareAndSet("k", []byte("a"), []byte("b"))
	require.NoError(t, err)
	assert.True(t, ok, "swapped")
	v, err := kv.Get("k")
	require.NoError(t, err)
	assert.Equal(t, []byte("b"), v)
	v, err = kv.Get("absent")
	require.NoError(t, err)
	assert.Nil(t, v)
	assert.Zero(t, api.calls, "plugin API calls")
}

// TestOneKeyUsesThePluginAPIWithoutTheBulkKV: without a database handle
// (the bulk KV says it cannot), the plugin API does it.
func TestOneKeyUsesThePluginAPIWithoutTheBulkKV(t *testing.T) {
	mem := kvtest.NewMemKV(1)
	api := &countingAPI{kv: mem}
	kv := store.NewPluginKV(api).WithBulk(unavailableBulk{})
	ok, err := kv.CompareAndSet("k", nil, []byte("a"))
	require.NoError(t, err)
	assert.True(t, ok)
	v, err := kv.Get("k")
	require.NoError(t, err)
	assert.Equal(t, []byte("a"), v)
	assert.Equal(t, 2, api.calls)
}

type unavailableBulk struct{}

func (unavailableBulk) GetMany([]string, [][]byte) (map[string][]byte, bool, error) {
	return nil, false, nil
}

func (unavailableBulk) CompareAndSetMany([]string, [][]byte, [][]byte, string, []byte) (map[string]bool, bool, error) {
	return nil, false, nil
}

func (unavailableBulk) InsertMany([]string, [][]byte) (map[string]bool, bool, error) {
	return nil, false, nil
}
