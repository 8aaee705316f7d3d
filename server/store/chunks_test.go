package store

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// An index chunk is read from the KV once per server: written or read, it is
// kept. The same chunk number of an index written anew (another generation)
// is read from the KV, never answered from the old index's chunk.
func TestAnIndexChunkIsReadOncePerGeneration(t *testing.T) {
	kv := &getCounter{MemKV: kvtest.NewMemKV(1)}
	s := New(kv)
	old := []receipts.IndexEntry{{PostID: "old", CreateAt: 1}}
	require.NoError(t, s.WriteIndexChunk("ch", "g1", 0, old))
	got, err := s.IndexChunk("ch", "g1", 0)
	require.NoError(t, err)
	assert.Equal(t, old, got)
	assert.Zero(t, kv.gets, "a chunk this server wrote is not read back")

	// The plugin's data wiped, the index begun anew by another server.
	rebuilt := []receipts.IndexEntry{{PostID: "new", CreateAt: 2}}
	data, err := json.Marshal(rebuilt)
	require.NoError(t, err)
	require.NoError(t, kv.Set(indexChunkKey("ch", 0), data))
	for range 2 {
		got, err = s.IndexChunk("ch", "g2", 0)
		require.NoError(t, err)
		assert.Equal(t, rebuilt, got)
	}
	assert.Equal(t, 1, kv.gets, "read once, then kept")

	require.NoError(t, s.DeleteIndexChunk("ch", 0))
	got, err = s.IndexChunk("ch", "g2", 0)
	require.NoError(t, err)
	assert.Empty(t, got, "a deleted chunk is not kept")
}

type getCounter struct {
	*kvtest.MemKV
	gets int
}

func (g *getCounter) Get(key string) ([]byte, error) {
	g.gets++
	return g.MemKV.Get(key)
}
