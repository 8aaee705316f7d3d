package store

import (
	"bytes"
	"sync"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// decodedKeys bounds the memo: a decoded record is a few hundred bytes to a
// few KB, like the values recentValues keeps.
const decodedKeys = 2048

// decodedPosts remembers the last post records this server decoded or
// encoded, with their bytes. A batch read that finds a record unchanged (see
// readMany) gets back the very bytes this server already had, and a batch
// decided on remembered records starts from what this server wrote last:
// decoding them again cost about a third of a millisecond per 60 records. A
// remembered record is only used for identical bytes, and every caller gets
// its own copy, so it can never be stale or shared.
type decodedPosts struct {
	mu   sync.Mutex
	recs map[string]decodedPost
}

type decodedPost struct {
	data []byte
	rec  *receipts.PostRecord
}

// decodePost decodes data, the value of key, or copies the record decoded
// from the same bytes before.
func (d *decodedPosts) decodePost(key string, data []byte) (*receipts.PostRecord, error) {
	d.mu.Lock()
	known, ok := d.recs[key]
	d.mu.Unlock()
	if ok && bytes.Equal(known.data, data) {
		return known.rec.Clone(), nil
	}
	var rec receipts.PostRecord
	if err := decode(key, data, &rec); err != nil {
		return nil, err
	}
	d.remember(key, data, rec.Clone())
	return &rec, nil
}

// remember notes the value this server wrote to a post's key, and the record
// it encoded, so that the next batch read or write need not decode it.
func (s *Store) remember(key string, data []byte, rec *receipts.PostRecord) {
	s.recent.remember(key, data)
	s.decoded.remember(key, data, rec.Clone())
}

func (d *decodedPosts) remember(key string, data []byte, rec *receipts.PostRecord) {
	d.mu.Lock()
	defer d.mu.Unlock()
	putBounded(&d.recs, decodedKeys, key, decodedPost{data: data, rec: rec})
}

// putBounded sets key in *m (made when nil), first dropping entries at random
// (map order is random) until it fits under limit: the memos keep what is
// hot, and a dropped entry only costs a read again.
func putBounded[V any](m *map[string]V, limit int, key string, v V) {
	if *m == nil {
		*m = map[string]V{}
	}
	for k := range *m {
		if len(*m) < limit {
			break
		}
		delete(*m, k)
	}
	(*m)[key] = v
}
