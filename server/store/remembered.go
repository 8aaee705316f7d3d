package store

import (
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// A batch of reads decided on what this server remembers, and written with
// one statement that holds only if the opt-outs are still what it was decided
// on (see receipts/reads_remembered.go). Whatever the statement does not
// write is unchanged, and goes the usual way.

// RememberedBatch implements receipts.PostStore.
func (s *Store) RememberedBatch(postIDs []string) (receipts.Remembered, bool) {
	if _, ok := s.kv.(BulkKV); !ok {
		return receipts.Remembered{}, false // no guarded write without it
	}
	basis, known := s.recent.recallKnown(keyOptOuts)
	if !known {
		return receipts.Remembered{}, false
	}
	b := receipts.Remembered{Posts: make(map[string]*receipts.PostRecord, len(postIDs)),
		Bases: make(map[string]receipts.PostBasis, len(postIDs)), OptOuts: &receipts.OptOuts{}, Basis: basis}
	if basis != nil {
		if err := decode(keyOptOuts, basis, b.OptOuts); err != nil {
			return receipts.Remembered{}, false
		}
	}
	for _, id := range postIDs {
		data := s.recent.recall(postKey(id))
		if data == nil {
			return receipts.Remembered{}, false
		}
		rec, err := s.decoded.decodePost(postKey(id), data)
		if err != nil {
			return receipts.Remembered{}, false
		}
		b.Posts[id], b.Bases[id] = rec, data
	}
	return b, true
}

// UpdatePostsIf implements receipts.PostStore. Each record is changed as the
// caller decided it and written over the very bytes it was decoded from: a
// value this server read since (a query's) is not what it was decided on.
func (s *Store) UpdatePostsIf(b receipts.Remembered, postIDs []string, fn func(postID string, rec *receipts.PostRecord) error) map[string]bool {
	bulk, ok := s.kv.(BulkKV)
	if !ok {
		return map[string]bool{}
	}
	var batch postWrites
	for _, id := range inLockOrder(postIDs) {
		rec, base := b.Posts[id], b.Bases[id]
		if rec == nil || base == nil {
			continue
		}
		// Any error, ErrNoChange included, leaves the post to the usual way.
		if fn(id, rec) == nil {
			_ = batch.add(id, base, rec)
		}
	}
	written, err := s.writePosts(bulk, &batch, keyOptOuts, b.Basis)
	if err != nil { // nothing written: the usual way reads and decides again
		s.warn("failed to write a batch of tracked posts decided on remembered values", "err", err.Error())
	}
	return written
}
