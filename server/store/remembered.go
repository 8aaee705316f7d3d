package store

import (
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
	bulk, ok := s.kv.(BulkKV)
	if !ok {
		return map[string]bool{}
	}
	var batch postWrites
	for _, id := range inLockOrder(postIDs) {
		key := postKey(id)
		old := s.recent.recall(key)
		if old == nil {
			continue
		}
		// Any error, ErrNoChange included, leaves the post to the usual way.
		if rec, err := s.decoded.decodePost(key, old); err == nil && fn(id, rec) == nil {
			_ = batch.add(id, old, rec)
		}
	}
	written, err := s.writePosts(bulk, &batch, keyOptOuts, basis)
	if err != nil { // nothing written: the usual way reads and decides again
		s.warn("failed to write a batch of tracked posts decided on remembered values", "err", err.Error())
	}
	return written
}
