package store

import (
	"slices"
	"sync"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// chunkMemoSize bounds the index chunks kept: a chunk of 64 entries is about
// 10 KB decoded, so at most about 2.5 MB.
const chunkMemoSize = 256

// chunkMemo keeps the index chunks this server wrote or read. A chunk never
// changes once written (every writer that moves a full tail to chunk k moves
// the same tail, see receipts.tracker.indexPosts), and a walk passes over
// the same chunks again and again: an author's implied read walks back a
// margin before their watermark, which in a burst of posts spans all of it,
// at every round. Kept by the index's generation as well, so that an index
// written anew (the plugin's data wiped while the server ran) is never
// answered with the old one's chunks. The entries are shared: callers only
// read them.
type chunkMemo struct {
	mu     sync.Mutex
	chunks map[string]memoChunk
}

type memoChunk struct {
	gen     string
	entries []receipts.IndexEntry
}

func (m *chunkMemo) get(key, gen string) ([]receipts.IndexEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.chunks[key]
	return c.entries, ok && c.gen == gen
}

func (m *chunkMemo) put(key, gen string, entries []receipts.IndexEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	putBounded(&m.chunks, chunkMemoSize, key, memoChunk{gen: gen, entries: entries})
}

func (m *chunkMemo) forget(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.chunks, key)
}

// IndexChunk implements receipts.ChannelStore.
func (s *Store) IndexChunk(channelID, gen string, k int) ([]receipts.IndexEntry, error) {
	key := indexChunkKey(channelID, k)
	if entries, ok := s.chunks.get(key, gen); ok {
		return entries, nil
	}
	var entries []receipts.IndexEntry
	found, err := s.get(key, &entries)
	if found && err == nil {
		s.chunks.put(key, gen, entries)
	}
	return entries, err
}

// WriteIndexChunk implements receipts.ChannelStore.
func (s *Store) WriteIndexChunk(channelID, gen string, k int, entries []receipts.IndexEntry) error {
	key := indexChunkKey(channelID, k)
	if err := s.put(key, entries); err != nil {
		return err
	}
	s.chunks.put(key, gen, slices.Clone(entries))
	return nil
}

// DeleteIndexChunk implements receipts.LifecycleStore.
func (s *Store) DeleteIndexChunk(channelID string, k int) error {
	key := indexChunkKey(channelID, k)
	s.chunks.forget(key)
	return s.kv.Set(key, nil)
}
