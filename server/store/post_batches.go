package store

import (
	"encoding/json"
	"slices"

	"github.com/pkg/errors"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// Batches of post records: one compare-and-set statement for many records
// when the KV can (BulkKV), one record at a time otherwise.

// UpdatePosts implements receipts.PostStore: UpdatePost for each post, with
// one compare-and-set for all of them when the KV can. A post whose write
// lost (another server wrote it meanwhile), or that was decided on a
// remembered value that said there was nothing to do, goes through
// UpdatePost on its own.
func (s *Store) UpdatePosts(postIDs []string, fn func(postID string, rec *receipts.PostRecord) error) map[string]error {
	errs := map[string]error{}
	left := postIDs
	if bulk, ok := s.kv.(BulkKV); ok && len(postIDs) > 1 {
		left = s.updateAtOnce(bulk, inLockOrder(postIDs), fn, errs)
	}
	for _, id := range left {
		if _, err := s.UpdatePost(id, func(rec *receipts.PostRecord) error { return fn(id, rec) }); err != nil {
			errs[id] = err
		}
	}
	return errs
}

// inLockOrder sorts a batch's posts: a statement that updates many rows locks
// them in turn, and two servers writing the same posts in different orders
// could each wait for the other (PostgreSQL then aborts one: "deadlock
// detected", and its posts go one at a time).
func inLockOrder(postIDs []string) []string {
	return slices.Sorted(slices.Values(postIDs))
}

// updateAtOnce tries every post with one compare-and-set and returns those
// that need UpdatePost.
func (s *Store) updateAtOnce(bulk BulkKV, postIDs []string, fn func(string, *receipts.PostRecord) error, errs map[string]error) []string {
	olds, guessed, ok := s.currentPosts(postIDs)
	if !ok {
		return postIDs
	}
	var left []string
	var batch postWrites
	for _, id := range postIDs {
		key := postKey(id)
		old := olds[id]
		if old == nil {
			errs[id] = receipts.ErrNotFound
			continue
		}
		rec, err := s.decoded.decodePost(key, old)
		if err != nil {
			errs[id] = err
			continue
		}
		err = fn(id, rec)
		switch {
		case errors.Is(err, receipts.ErrNoChange) && guessed[id]:
			left = append(left, id)
		case errors.Is(err, receipts.ErrNoChange):
		case err != nil:
			errs[id] = err
		default:
			if err := batch.add(id, old, rec); err != nil {
				errs[id] = err
			}
		}
	}
	written, err := s.writePosts(bulk, &batch, "", nil)
	if err != nil {
		s.warn("failed to write a batch of tracked posts at once; writing them one by one", "err", err.Error())
	}
	for _, id := range batch.ids {
		if !written[id] {
			s.recent.forget(postKey(id))
			left = append(left, id)
		}
	}
	return left
}

// postWrites is a batch of changed post records, each with the value it
// replaces, for one compare-and-set.
type postWrites struct {
	ids        []string
	olds, news [][]byte
	recs       []*receipts.PostRecord
}

// add encodes rec, the new record of the post whose stored value is old.
func (w *postWrites) add(postID string, old []byte, rec *receipts.PostRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return errors.Wrapf(err, "failed to encode %s", postKey(postID))
	}
	w.ids, w.olds, w.news, w.recs = append(w.ids, postID), append(w.olds, old), append(w.news, data), append(w.recs, rec)
	return nil
}

// writePosts compare-and-sets the batch with one call (guarded by guardKey's
// value, when given), remembers what it wrote and returns the posts written.
// After an error, or when the KV cannot, none is.
func (s *Store) writePosts(bulk BulkKV, w *postWrites, guardKey string, guard []byte) (map[string]bool, error) {
	written := map[string]bool{}
	if len(w.ids) == 0 {
		return written, nil
	}
	keys := make([]string, len(w.ids))
	for i, id := range w.ids {
		keys[i] = postKey(id)
	}
	done, ok, err := bulk.CompareAndSetMany(keys, w.olds, w.news, guardKey, guard)
	if err != nil || !ok {
		return written, err
	}
	for i, key := range keys {
		if done[key] {
			s.remember(key, w.news[i], w.recs[i])
			written[w.ids[i]] = true
		}
	}
	return written, nil
}

// currentPosts returns the posts' records as this server last saw them, and
// reads those it has not seen in one call; guessed marks the remembered ones.
// ok is false when that read could not be made.
func (s *Store) currentPosts(postIDs []string) (olds map[string][]byte, guessed map[string]bool, ok bool) {
	olds = make(map[string][]byte, len(postIDs))
	guessed = map[string]bool{}
	var unknown []string
	for _, id := range postIDs {
		if v := s.recent.recall(postKey(id)); v != nil {
			olds[id], guessed[id] = v, true
		} else {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return olds, guessed, true
	}
	read, ok, err := s.getMany(unknown)
	if err != nil {
		s.warn("failed to read a batch of tracked posts at once; reading them one by one", "err", err.Error())
	}
	if err != nil || !ok {
		return nil, nil, false
	}
	for id, v := range read {
		olds[id] = v
		s.recent.remember(postKey(id), v)
	}
	return olds, guessed, true
}
