package kvtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

var (
	_ store.KV = (*kvtest.MemKV)(nil)
	_ store.KV = (*kvtest.FaultKV)(nil)
)

func TestFaultKVFailsTheNthMatchingOperation(t *testing.T) {
	kv := kvtest.NewFaultKV(kvtest.NewMemKV(1))
	kv.FailNth(kvtest.OpWrite, "p:", 2)
	require.NoError(t, kv.Set("p:a", []byte("1")))
	require.NoError(t, kv.Set("q:a", []byte("1")), "another prefix is not counted")
	_, err := kv.CompareAndSet("p:b", nil, []byte("2"))
	assert.ErrorIs(t, err, kvtest.ErrInjected)
	assert.True(t, kv.Fired())
	got, err := kv.Get("p:b")
	require.NoError(t, err)
	assert.Nil(t, got, "the failed write had no effect")
	require.NoError(t, kv.Set("p:c", []byte("3")), "only the n-th fails")
	assert.Equal(t, 3, kv.Count())
}
