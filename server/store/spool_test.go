package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

func TestSpooledEventsGoToOneClaimerEach(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s := New(kv)
	none, err := s.ClaimSpooledReadEvents()
	require.NoError(t, err)
	assert.Empty(t, none)

	// Several servers start at once, many times over: every event is
	// claimed exactly once, also by a claimer that lost a compare-and-set.
	for round := 0; round < 50; round++ {
		var want []string
		for i := 0; i < 5; i++ {
			ev := receipts.ReadEvent{ID: fmt.Sprint("e", round, "-", i), PostID: "p"}
			want = append(want, ev.ID)
			require.NoError(t, s.SpoolReadEvents([]receipts.ReadEvent{ev}))
		}
		var mu sync.Mutex
		var got []string
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				events, err := New(kv).ClaimSpooledReadEvents()
				assert.NoError(t, err)
				mu.Lock()
				defer mu.Unlock()
				for _, e := range events {
					got = append(got, e.ID)
				}
			}()
		}
		wg.Wait()
		require.ElementsMatch(t, want, got, "round %d", round)
	}
	keys, err := kv.ListKeys(0, 100)
	require.NoError(t, err)
	for _, k := range keys {
		assert.NotContains(t, k, prefixSpool+":", "claimed batches are deleted")
	}
}

// interleaveKV runs before, once, just ahead of the first compare-and-set on
// key: another server's whole operation slips in between a read and a write.
type interleaveKV struct {
	KV
	key    string
	before func()
}

func (k *interleaveKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	if key == k.key && k.before != nil {
		f := k.before
		k.before = nil
		f()
	}
	return k.KV.CompareAndSet(key, old, value)
}

func TestALostClaimTakesNothing(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	require.NoError(t, New(kv).SpoolReadEvents([]receipts.ReadEvent{{ID: "e"}}))
	// Another server empties the index first, and has yet to load the batch.
	var theirs []string
	slow := New(&interleaveKV{KV: kv, key: keySpoolIndex, before: func() {
		_, err := update(New(kv), keySpoolIndex, false, func(idx *spoolIndex) error {
			theirs, idx.IDs = idx.IDs, nil
			return nil
		})
		require.NoError(t, err)
	}})
	got, err := slow.ClaimSpooledReadEvents()
	require.NoError(t, err)
	assert.Len(t, theirs, 1, "the server that wrote first has the batch")
	assert.Empty(t, got, "the one whose compare-and-set lost takes nothing")
}
