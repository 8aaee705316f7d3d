package receipts

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/pkg/errors"
)

// indexPosts appends tracked posts to their channel's index. A channel's
// posts are indexed one update at a time on a server, so that concurrent
// posts conflict only with other servers' (and each update starts from the
// index this server wrote last). An update moves a full tail to a chunk only
// before adding anything: that chunk is then the same whichever writer of
// any server moves it, so writing it ahead of the index is harmless even when
// this writer loses; entries that would fill the tail again go in the next
// update.
func (t *tracker) indexPosts(channelID string, entries []IndexEntry) error {
	unlock := t.indexLocks.lock(channelID)
	defer unlock()
	for len(entries) > 0 {
		added := 0
		err := t.store.UpdateChannelIndex(channelID, func(idx *ChannelIndex) error {
			var err error
			added, err = t.addEntries(channelID, idx, entries)
			return err
		})
		if err != nil && !errors.Is(err, ErrNoChange) {
			return errors.Wrap(err, "failed to index tracked post")
		}
		entries = entries[added:]
	}
	return nil
}

// addEntries adds the first entries that fit the index's tail and returns
// how many it decided. An entry already in the tail (tracked twice at once,
// by the hook and a read) is decided without change; ErrNoChange when no
// entry was added.
func (t *tracker) addEntries(channelID string, idx *ChannelIndex, entries []IndexEntry) (int, error) {
	idx.Version = FormatVersion
	if idx.Gen == "" && idx.Chunks == 0 && len(idx.Tail) == 0 {
		idx.Gen = newIndexGen() // a new index
	}
	inTail := func(e IndexEntry) bool {
		return slices.ContainsFunc(idx.Tail, func(old IndexEntry) bool { return old.PostID == e.PostID })
	}
	taken := 0
	for taken < len(entries) && inTail(entries[taken]) {
		taken++
	}
	if taken == len(entries) {
		return taken, ErrNoChange
	}
	if len(idx.Tail) >= ChunkSize {
		if err := t.store.WriteIndexChunk(channelID, idx.Gen, idx.Chunks, idx.Tail); err != nil {
			return 0, err
		}
		idx.Chunks++
		idx.Tail = nil
	}
	for _, e := range entries[taken:] {
		if len(idx.Tail) >= ChunkSize {
			break
		}
		taken++
		if !inTail(e) {
			idx.Tail = append(idx.Tail, e)
			idx.Newest = max(idx.Newest, e.CreateAt)
		}
	}
	return taken, nil
}

// newIndexGen names a new index's generation: random, as only a wiped and
// rebuilt index of the same channel must differ.
func newIndexGen() string { return strconv.FormatUint(rand.Uint64(), 36) }
