package store

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

const scanPageSize = 1000

// kinds maps key prefixes to the record kinds retention looks at.
var kinds = map[string]string{
	prefixPost:         receipts.RecordPost,
	prefixReadChunk:    receipts.RecordReadChunk,
	prefixSnapshot:     receipts.RecordSnapshot,
	prefixChannelIndex: receipts.RecordChannelIndex,
	prefixIndexChunk:   receipts.RecordIndexChunk,
	prefixWatermark:    receipts.RecordWatermark,
	prefixViewState:    receipts.RecordViewState,
}

// Scan implements receipts.LifecycleStore. It collects the keys first, so
// that deletions during the walk do not shift the pages. Keys that others
// create or delete meanwhile still shift them: a scan may miss some keys,
// which is why nothing is ever deleted for not having been seen.
func (s *Store) Scan(fn func(kind, id string) error) error {
	var found [][2]string
	for page := 0; ; page++ {
		keys, err := s.kv.ListKeys(page, scanPageSize)
		if err != nil {
			return err
		}
		for _, k := range keys {
			prefix, id := parseKey(k)
			if kind, ok := kinds[prefix]; ok {
				found = append(found, [2]string{kind, id})
			}
		}
		if len(keys) < scanPageSize {
			break
		}
	}
	for _, f := range found {
		if err := fn(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

// DeleteOrphanReadChunk implements receipts.LifecycleStore. A chunk is an
// orphan when its post record is gone or counts fewer chunks: the chunk at
// the record's count may be a flush on its way, so it stays. The delete is a
// compare-and-set on the chunk as read, so a chunk rewritten meanwhile stays.
func (s *Store) DeleteOrphanReadChunk(id string) (bool, error) {
	postID, k, ok := chunkID(id)
	if !ok {
		return false, nil
	}
	return s.deleteOrphanChunk(readChunkKey(postID, k), func() (bool, error) {
		rec, err := s.Post(postID)
		return rec == nil || k > rec.Chunks, err
	})
}

// DeleteOrphanIndexChunk implements receipts.LifecycleStore: an index chunk
// is an orphan when its index is gone, trimmed past it, or counts fewer chunks.
func (s *Store) DeleteOrphanIndexChunk(id string) (bool, error) {
	channelID, k, ok := chunkID(id)
	if !ok {
		return false, nil
	}
	return s.deleteOrphanChunk(indexChunkKey(channelID, k), func() (bool, error) {
		idx, err := s.ChannelIndex(channelID)
		return idx == nil || k < idx.First || k > idx.Chunks, err
	})
}

func (s *Store) deleteOrphanChunk(key string, orphan func() (bool, error)) (bool, error) {
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		return false, err
	}
	if ok, err := orphan(); err != nil || !ok {
		return false, err
	}
	return s.kv.CompareAndSet(key, data, nil)
}

// chunkID splits "<owner>:<k>".
func chunkID(id string) (string, int, bool) {
	owner, n, ok := strings.Cut(id, ":")
	k, err := strconv.Atoi(n)
	return owner, k, ok && err == nil && k >= 0
}

// DeleteSnapshotIfUnused implements receipts.LifecycleStore.
func (s *Store) DeleteSnapshotIfUnused(id string, before int64) (bool, error) {
	key := snapshotKey(id)
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		return false, err
	}
	var snap receipts.Snapshot
	if err := decode(key, data, &snap); err != nil {
		return false, err
	}
	if snap.LastUsed >= before {
		return false, nil
	}
	return s.kv.CompareAndSet(key, bytes.Clone(data), nil)
}

// DeleteWatermarkBefore implements receipts.LifecycleStore. The delete is a
// compare-and-set, so a watermark raised meanwhile survives.
func (s *Store) DeleteWatermarkBefore(id string, cutoff int64) (bool, error) {
	key := join(prefixWatermark, id)
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		return false, err
	}
	var w receipts.Watermark
	if err := decode(key, data, &w); err != nil {
		return false, err
	}
	if w.Until >= cutoff {
		return false, nil
	}
	return s.kv.CompareAndSet(key, data, nil)
}

// DeleteViewState implements receipts.LifecycleStore.
func (s *Store) DeleteViewState(channelID string) error {
	return s.kv.Set(viewStateKey(channelID), nil)
}
