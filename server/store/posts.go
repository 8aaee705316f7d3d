package store

import (
	"bytes"
	"encoding/json"

	"github.com/pkg/errors"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// Post implements receipts.PostStore.
func (s *Store) Post(postID string) (*receipts.PostRecord, error) {
	var rec receipts.PostRecord
	ok, err := s.getRemembered(postKey(postID), &rec)
	if !ok || err != nil {
		return nil, err
	}
	return &rec, nil
}

// Posts implements receipts.PostStore: one read for all of them when the KV
// can, else one per post. Untracked posts are absent from the map.
func (s *Store) Posts(postIDs []string) (map[string]*receipts.PostRecord, error) {
	recs, _, err := s.postsWith(postIDs, false)
	return recs, err
}

// PostsAndOptOuts implements receipts.PostStore: Posts and OptOuts, read
// with one call when the KV can.
func (s *Store) PostsAndOptOuts(postIDs []string) (map[string]*receipts.PostRecord, *receipts.OptOuts, error) {
	return s.postsWith(postIDs, true)
}

func (s *Store) postsWith(postIDs []string, optOuts bool) (map[string]*receipts.PostRecord, *receipts.OptOuts, error) {
	keys := make([]string, 0, len(postIDs)+1)
	for _, id := range postIDs {
		keys = append(keys, postKey(id))
	}
	if optOuts {
		keys = append(keys, keyOptOuts)
	}
	values, ok, err := s.getManyKeys(keys)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return s.postsOneByOne(postIDs, optOuts)
	}
	out := make(map[string]*receipts.PostRecord, len(postIDs))
	for _, id := range postIDs {
		key := postKey(id)
		data := values[key]
		if data == nil {
			continue
		}
		rec, err := s.decoded.decodePost(key, data)
		if err != nil {
			return nil, nil, err
		}
		out[id] = rec
	}
	o := &receipts.OptOuts{}
	if data := values[keyOptOuts]; optOuts && data != nil {
		if err := decode(keyOptOuts, data, o); err != nil {
			return nil, nil, err
		}
	}
	return out, o, nil
}

func (s *Store) postsOneByOne(postIDs []string, optOuts bool) (map[string]*receipts.PostRecord, *receipts.OptOuts, error) {
	out := make(map[string]*receipts.PostRecord, len(postIDs))
	for _, id := range postIDs {
		rec, err := s.Post(id)
		if err != nil {
			return nil, nil, err
		}
		if rec != nil {
			out[id] = rec
		}
	}
	if !optOuts {
		return out, nil, nil
	}
	o, err := s.OptOuts()
	return out, o, err
}

// getManyKeys reads keys with one call when the KV can (ok), together with
// the batches read at the same time (combine.go).
func (s *Store) getManyKeys(keys []string) (map[string][]byte, bool, error) {
	bulk, ok := s.kv.(BulkKV)
	if !ok {
		return nil, false, nil
	}
	return s.reads.get(keys, func(keys []string) (map[string][]byte, bool, error) {
		return s.readMany(bulk, keys)
	})
}

// readMany offers the KV the values this server last saw, so that only
// values changed since cross the bridge, and remembers what it got.
func (s *Store) readMany(bulk BulkKV, keys []string) (map[string][]byte, bool, error) {
	guesses := make([][]byte, len(keys))
	for i, key := range keys {
		guesses[i] = s.recent.recall(key)
	}
	values, ok, err := bulk.GetMany(keys, guesses)
	if err != nil || !ok {
		return values, ok, err
	}
	for i, key := range keys {
		switch v, found := values[key]; {
		case !found:
			s.recent.remember(key, nil) // known absent
		case !bytes.Equal(v, guesses[i]):
			s.recent.remember(key, v)
		}
	}
	return values, true, nil
}

// getMany reads the records of posts with one call, by post id.
func (s *Store) getMany(postIDs []string) (map[string][]byte, bool, error) {
	keys := make([]string, len(postIDs))
	for i, id := range postIDs {
		keys[i] = postKey(id)
	}
	values, ok, err := s.getManyKeys(keys)
	if err != nil || !ok {
		return nil, ok, err
	}
	out := make(map[string][]byte, len(values))
	for i, key := range keys {
		if v, found := values[key]; found && v != nil {
			out[postIDs[i]] = v
		}
	}
	return out, true, nil
}

// InsertPost is InsertPosts for one post.
func (s *Store) InsertPost(postID string, rec *receipts.PostRecord) (bool, error) {
	inserted, err := s.InsertPosts([]string{postID}, []*receipts.PostRecord{rec})
	return inserted[postID], err
}

// InsertPosts implements receipts.PostStore.
func (s *Store) InsertPosts(postIDs []string, recs []*receipts.PostRecord) (map[string]bool, error) {
	keys := make([]string, len(postIDs))
	values := make([][]byte, len(postIDs))
	for i, id := range postIDs {
		data, err := json.Marshal(recs[i])
		if err != nil {
			return nil, errors.Wrap(err, "failed to encode post record")
		}
		keys[i], values[i] = postKey(id), data
	}
	inserted, atOnce, err := s.insertAtOnce(keys, values)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for i, id := range postIDs {
		if !atOnce {
			if inserted[keys[i]], err = s.kv.CompareAndSet(keys[i], nil, values[i]); err != nil {
				return out, err
			}
		}
		if inserted[keys[i]] {
			s.recent.remember(keys[i], values[i])
			out[id] = true
		}
	}
	return out, nil
}

// insertAtOnce inserts several keys with one call when the KV can (atOnce).
func (s *Store) insertAtOnce(keys []string, values [][]byte) (inserted map[string]bool, atOnce bool, err error) {
	if bulk, ok := s.kv.(BulkKV); ok && len(keys) > 1 {
		if inserted, atOnce, err = bulk.InsertMany(keys, values); atOnce || err != nil {
			return inserted, atOnce, err
		}
	}
	return map[string]bool{}, false, nil
}

// UpdatePost implements receipts.PostStore. Its first try assumes the record
// is what this server last read or wrote.
func (s *Store) UpdatePost(postID string, fn func(*receipts.PostRecord) error) (*receipts.PostRecord, error) {
	return updateRemembered(s, postKey(postID), true, fn)
}

// DeletePost implements receipts.PostStore. The record goes first, so that a
// half-finished delete leaves only unreachable chunks, never a record whose
// chunks are missing.
func (s *Store) DeletePost(postID string) error {
	rec, err := s.Post(postID)
	if err != nil || rec == nil {
		return err
	}
	s.recent.forget(postKey(postID))
	if err := s.kv.Set(postKey(postID), nil); err != nil {
		return err
	}
	for k := 0; k < rec.Chunks; k++ {
		if err := s.kv.Set(readChunkKey(postID, k), nil); err != nil {
			return err
		}
	}
	return nil
}

// ReadChunk implements receipts.PostStore.
func (s *Store) ReadChunk(postID string, k int) (*receipts.ReadChunk, error) {
	var chunk receipts.ReadChunk
	ok, err := s.get(readChunkKey(postID, k), &chunk)
	if !ok || err != nil {
		return nil, err
	}
	return &chunk, nil
}

// WriteChunk implements receipts.PostStore.
func (s *Store) WriteChunk(postID string, k int, chunk *receipts.ReadChunk) error {
	return s.put(readChunkKey(postID, k), chunk)
}
