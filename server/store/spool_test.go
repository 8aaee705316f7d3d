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

	var want []string
	for i := 0; i < 5; i++ {
		ev := receipts.ReadEvent{ID: fmt.Sprint("e", i), PostID: "p"}
		want = append(want, ev.ID)
		require.NoError(t, s.SpoolReadEvents([]receipts.ReadEvent{ev}))
	}

	// Several servers start at once: every event is claimed exactly once.
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
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
	assert.ElementsMatch(t, want, got)
	keys, err := kv.ListKeys(0, 100)
	require.NoError(t, err)
	for _, k := range keys {
		assert.NotContains(t, k, prefixSpool+":", "claimed batches are deleted")
	}
}
