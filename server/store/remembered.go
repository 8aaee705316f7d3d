package store

import (
	"encoding/json"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// A batch of reads decided on what this server remembers, and written with
// one statement that holds only if the opt-outs are still what it was decided
// on (see receipts/reads_remembered.go). Whatever the statement does not
// write is unchanged, and goes the usual way.

// RememberedBatch implements receipts.PostStore.
func (s *Store) RememberedBatch(postIDs []string) (map[string]*receipts.PostRecord, *receipts.OptOuts, receipts.OptOutsBasis, bool) {
	if _, ok := s.kv.(BulkKV); !ok {
		return nil, nil, nil, false // no guarded write without it
	}
	basis, known := s.recent.recallKnown(keyOptOuts)
	if !known {
		return nil, nil, nil, false
	}
	o := &receipts.OptOuts{}
	if basis != nil {
		if err := decode(keyOptOuts, basis, o); err != nil {
			return nil, nil, nil, false
		}
	}
	recs := make(map[string]*receipts.PostRecord, len(postIDs))
	for _, id := range postIDs {
		data := s.recent.recall(postKey(id))
		if data == nil {
			return nil, nil, nil, false
		}
		rec, err := s.decoded.decodePost(postKey(id), data)
		if err != nil {
			return nil, nil, nil, false
		}
		recs[id] = rec
	}
	return recs, o, receipts.OptOutsBasis(basis), true
}

// UpdatePostsIf implements receipts.PostStore.
func (s *Store) UpdatePostsIf(postIDs []string, basis receipts.OptOutsBasis, fn func(postID string, rec *receipts.PostRecord) error) map[string]bool {
	written := map[string]bool{}
	bulk, ok := s.kv.(BulkKV)
	if !ok {
		return written
	}
	var ids, keys []string
	var olds, news [][]byte
	var recs []*receipts.PostRecord
	for _, id := range inLockOrder(postIDs) {
		key := postKey(id)
		old := s.recent.recall(key)
		if old == nil {
			continue
		}
		rec, err := s.decoded.decodePost(key, old)
		if err == nil {
			err = fn(id, rec)
		}
		var data []byte
		if err == nil {
			data, err = json.Marshal(rec)
		}
		if err != nil { // ErrNoChange included: the usual way decides again
			continue
		}
		ids, keys, olds, news = append(ids, id), append(keys, key), append(olds, old), append(news, data)
		recs = append(recs, rec)
	}
	if len(keys) == 0 {
		return written
	}
	done, ok, err := bulk.CompareAndSetMany(keys, olds, news, keyOptOuts, basis)
	if err != nil {
		s.warn("failed to write a batch of tracked posts decided on remembered values", "err", err.Error())
	}
	if err != nil || !ok {
		return written // nothing written: the usual way reads and decides again
	}
	for i, key := range keys {
		if done[key] {
			s.remember(key, news[i], recs[i])
			written[ids[i]] = true
		}
	}
	return written
}
