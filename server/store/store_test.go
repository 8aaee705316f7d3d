package store

import (
	"math"
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
	require.NoError(t, s.SaveSnapshot("old", &receipts.Snapshot{Users: []string{"a"}, LastUsed: 100}))
	require.NoError(t, s.SaveSnapshot("fresh", &receipts.Snapshot{Users: []string{"a"}, LastUsed: 1000}))
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
