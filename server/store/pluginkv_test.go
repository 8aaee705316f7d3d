package store

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
)

// countingAPI is the plugin API's KV, counting the calls that reach it.
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
		return true, nil
	}
	ok, _ := a.kv.CompareAndSet(key, o.OldValue, value)
	return ok, nil
}

func (a *countingAPI) KVList(int, int) ([]string, *model.AppError) { a.calls++; return nil, nil }

// noBulk is a bulk KV that cannot (no database handle).
type noBulk struct{ *kvtest.MemKV }

func (noBulk) GetMany([]string, [][]byte) (map[string][]byte, bool, error) { return nil, false, nil }
func (noBulk) InsertMany([]string, [][]byte) (map[string]bool, bool, error) {
	return nil, false, nil
}
func (noBulk) CompareAndSetMany([]string, [][]byte, [][]byte, string, []byte) (map[string]bool, bool, error) {
	return nil, false, nil
}

// TestSingleKeysGoToTheDatabaseDirectly: with a database connection of its
// own, reading and compare-and-setting one key cost no plugin API call (an
// RPC to the server, which then runs the same statement); deletes, and
// everything without that connection, still go through the plugin API.
func TestSingleKeysGoToTheDatabaseDirectly(t *testing.T) {
	mem := kvtest.NewMemKV(1)
	api := &countingAPI{kv: mem}
	kv := NewPluginKV(api).WithBulk(mem)

	ok, err := kv.CompareAndSet("k", nil, []byte("1"))
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = kv.CompareAndSet("k", []byte("1"), []byte("2"))
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = kv.CompareAndSet("k", []byte("1"), []byte("3"))
	require.NoError(t, err)
	assert.False(t, ok, "a stale old value loses")
	v, err := kv.Get("k")
	require.NoError(t, err)
	assert.Equal(t, []byte("2"), v)
	assert.Zero(t, api.calls)

	ok, err = kv.CompareAndSet("k", []byte("2"), nil)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 1, api.calls, "a delete goes through the plugin API")

	api.calls = 0
	plain := NewPluginKV(api).WithBulk(noBulk{mem})
	_, err = plain.CompareAndSet("j", nil, []byte("1"))
	require.NoError(t, err)
	_, err = plain.Get("j")
	require.NoError(t, err)
	assert.Equal(t, 2, api.calls, "without a connection of its own, the plugin API")
}
