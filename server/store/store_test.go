package store

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

const maxKeyLength = 150

func TestEveryKeyFits(t *testing.T) {
	id := strings.Repeat("a", 26)
	big := 1 << 30
	keys := []string{
		postKey(id), readChunkKey(id, big), snapshotKey(strings.Repeat("f", 32)), channelIndexKey(id),
		indexChunkKey(id, big), channelSettingKey(id), watermarkKey(id, id), keyOptOuts, keyWatch, keyCursorSecret,
		configClaimKey(strings.Repeat("f", 64)), usageKey(id, math.MaxInt64), viewStateKey(id),
		keySpoolIndex, spoolKey(strings.Repeat("f", 26)),
	}
	for _, k := range keys {
		assert.LessOrEqual(t, len(k), maxKeyLength, k)
	}
}

func TestKeysParseBackToTheirKind(t *testing.T) {
	id := strings.Repeat("b", 26)
	for key, want := range map[string]string{postKey(id): prefixPost, readChunkKey(id, 3): prefixReadChunk, channelIndexKey(id): prefixChannelIndex} {
		prefix, rest := parseKey(key)
		assert.Equal(t, want, prefix)
		assert.True(t, strings.HasPrefix(rest, id))
	}
}

// TestUpdateReappliesOnConflict: concurrent increments under random
// conflicts all land exactly once.
func TestUpdateReappliesOnConflict(t *testing.T) {
	kv := kvtest.NewMemKV(7)
	kv.SetFaults(0, 0.5)
	s := New(kv)
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := update(s, "counter", false, func(w *receipts.Watermark) error {
				w.Until++
				return nil
			})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	kv.SetFaults(0, 0)
	var w receipts.Watermark
	ok, err := s.get("counter", &w)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(40), w.Until)
}

func TestUpdateGivesUpAfterBudget(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	kv.SetFaults(0, 1)
	s := New(kv)
	s.attempts = 5
	_, err := update(s, "k", false, func(*receipts.Watermark) error { return nil })
	assert.ErrorIs(t, err, ErrConflict)
}

func TestWatermarkOnlyRises(t *testing.T) {
	s := New(kvtest.NewMemKV(1))
	require.NoError(t, s.RaiseWatermark("c", "u", 10))
	require.NoError(t, s.RaiseWatermark("c", "u", 5))
	got, err := s.Watermark("c", "u")
	require.NoError(t, err)
	assert.Equal(t, int64(10), got)
}

func TestSnapshotDeletedOnlyWhenUnused(t *testing.T) {
	s := New(kvtest.NewMemKV(1))
	users := userIDs(1)
	require.NoError(t, s.SaveSnapshot("old", &receipts.Snapshot{Users: users, LastUsed: 100}))
	require.NoError(t, s.SaveSnapshot("fresh", &receipts.Snapshot{Users: users, LastUsed: 1000}))
	deleted, err := s.DeleteSnapshotIfUnused("old", 500)
	require.NoError(t, err)
	assert.True(t, deleted)
	deleted, err = s.DeleteSnapshotIfUnused("fresh", 500)
	require.NoError(t, err)
	assert.False(t, deleted)
	snap, err := s.Snapshot("fresh")
	require.NoError(t, err)
	assert.NotNil(t, snap)
}

func TestCursorSecretIsStable(t *testing.T) {
	s := New(kvtest.NewMemKV(1))
	a, err := s.CursorSecret()
	require.NoError(t, err)
	b, err := s.CursorSecret()
	require.NoError(t, err)
	assert.Len(t, a, 32)
	assert.Equal(t, a, b)
}

func TestOnlyOneServerClaimsAConfigChange(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	now := time.Unix(1000, 0)
	kv.Now = func() time.Time { return now }
	s := New(kv)
	won, err := s.ClaimConfigChange("a")
	require.NoError(t, err)
	assert.True(t, won)
	won, err = s.ClaimConfigChange("a")
	require.NoError(t, err)
	assert.False(t, won, "a second server sees the same change")
	won, err = s.ClaimConfigChange("b")
	require.NoError(t, err)
	assert.True(t, won)
	now = now.Add(10 * time.Second)
	won, err = s.ClaimConfigChange("a")
	require.NoError(t, err)
	assert.True(t, won, "the same settings set again seconds later are announced again")
}

// TestUsageIsSharedAndExpires: servers add to one window total, which the KV
// drops after a while.
func TestUsageIsSharedAndExpires(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	now := time.Unix(1000, 0)
	kv.Now = func() time.Time { return now }
	a, b := New(kv), New(kv)
	total, err := a.AddUsage("u", 7, 150)
	require.NoError(t, err)
	assert.Equal(t, 150, total)
	total, err = b.AddUsage("u", 7, 50)
	require.NoError(t, err)
	assert.Equal(t, 200, total, "the other server adds to the same total")
	total, err = b.AddUsage("u", 8, 5)
	require.NoError(t, err)
	assert.Equal(t, 5, total, "each window counts apart")
	now = now.Add(usageTTLSeconds * time.Second)
	left, err := kv.Get(usageKey("u", 7))
	require.NoError(t, err)
	assert.Nil(t, left, "an old window expires")
}

// orderKV records the keys of every many-key compare-and-set.
type orderKV struct {
	*kvtest.MemKV
	batches [][]string
}

func (k *orderKV) CompareAndSetMany(keys []string, olds, news [][]byte, guardKey string, guard []byte) (map[string]bool, bool, error) {
	k.batches = append(k.batches, slices.Clone(keys))
	return k.MemKV.CompareAndSetMany(keys, olds, news, guardKey, guard)
}

// TestBatchesLockTheirRowsInOneOrder: every many-record write goes in key
// order, so that two servers writing the same posts at once cannot deadlock.
func TestBatchesLockTheirRowsInOneOrder(t *testing.T) {
	kv := &orderKV{MemKV: kvtest.NewMemKV(1)}
	s := New(kv)
	ids := []string{"p3", "p1", "p2"}
	_, err := s.InsertPosts(ids, []*receipts.PostRecord{{AuthorID: "a"}, {AuthorID: "a"}, {AuthorID: "a"}})
	require.NoError(t, err)
	bump := func(_ string, r *receipts.PostRecord) error { r.ReadCount++; return nil }
	require.Empty(t, s.UpdatePosts(ids, bump))
	_, ok := s.RememberedBatch(ids)
	require.False(t, ok, "the opt-outs were never read")
	_, _, err = s.PostsAndOptOuts(ids)
	require.NoError(t, err)
	b, ok := s.RememberedBatch(ids)
	require.True(t, ok)
	require.Len(t, s.UpdatePostsIf(b, ids, bump), 3)
	want := []string{postKey("p1"), postKey("p2"), postKey("p3")}
	assert.Equal(t, [][]string{want, want}, kv.batches)
}

// A batch decided on remembered records is written over the bytes it was
// decided on: if this server reads a newer value meanwhile (a query), the
// record decided on the older one is not written over it.
func TestARememberedBatchIsWrittenOverWhatItWasDecidedOn(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s, other := New(kv), New(kv)
	ids := []string{"p1"}
	_, err := s.InsertPosts(ids, []*receipts.PostRecord{{AuthorID: "a"}})
	require.NoError(t, err)
	_, _, err = s.PostsAndOptOuts(ids)
	require.NoError(t, err)
	b, ok := s.RememberedBatch(ids)
	require.True(t, ok)

	_, err = other.UpdatePost("p1", func(r *receipts.PostRecord) error { r.ReadCount = 5; return nil })
	require.NoError(t, err)
	_, _, err = s.PostsAndOptOuts(ids) // this server now remembers the newer record
	require.NoError(t, err)

	bump := func(_ string, r *receipts.PostRecord) error { r.ReadCount++; return nil }
	assert.Empty(t, s.UpdatePostsIf(b, ids, bump), "written over a value it was not decided on")
	rec, err := other.Post("p1")
	require.NoError(t, err)
	assert.Equal(t, 5, rec.ReadCount)
}
