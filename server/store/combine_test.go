package store

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// gatedBulkKV counts batch reads and holds the first until released.
type gatedBulkKV struct {
	*kvtest.MemKV
	reads   atomic.Int32
	started chan struct{}
	release chan struct{}
}

func (k *gatedBulkKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	if k.reads.Add(1) == 1 {
		close(k.started)
		<-k.release
	}
	return k.MemKV.GetMany(keys, guesses)
}

// TestConcurrentBatchReadsShareOneRead: batches that arrive while a batch
// read is under way are read together in the next one (200 readers of one
// post at the same instant make a few reads, not 200), and each gets its own
// posts, read after it asked.
func TestConcurrentBatchReadsShareOneRead(t *testing.T) {
	kv := &gatedBulkKV{MemKV: kvtest.NewMemKV(1), started: make(chan struct{}), release: make(chan struct{})}
	s := New(kv)
	const batches = 20
	for i := range batches + 1 {
		ok, err := s.InsertPost(fmt.Sprint("post", i), &receipts.PostRecord{ChannelID: fmt.Sprint("ch", i)})
		require.NoError(t, err)
		require.True(t, ok)
	}
	read := func(i int) {
		recs, _, err := s.PostsAndOptOuts([]string{fmt.Sprint("post", i)})
		require.NoError(t, err)
		require.Len(t, recs, 1)
		assert.Equal(t, fmt.Sprint("ch", i), recs[fmt.Sprint("post", i)].ChannelID)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); read(batches) }()
	<-kv.started
	for i := range batches {
		wg.Add(1)
		go func() { defer wg.Done(); read(i) }()
	}
	time.Sleep(100 * time.Millisecond) // let them queue behind the first read
	close(kv.release)
	wg.Wait()
	assert.LessOrEqual(t, kv.reads.Load(), int32(3), "%d batches arrived during one read", batches)
}
