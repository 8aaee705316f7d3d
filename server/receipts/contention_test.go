package receipts_test

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

// slowKV takes a while for each compare-and-set, as a database under load
// does, and counts the successful ones.
type slowKV struct {
	*kvtest.MemKV
	writes atomic.Int64
}

func (s *slowKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	time.Sleep(2 * time.Millisecond)
	ok, err := s.MemKV.CompareAndSet(key, old, value)
	if ok {
		s.writes.Add(1)
	}
	return ok, err
}

// TestConcurrentReadersShareOneWrite: 200 readers of one post at the same
// instant on one server are all recorded, in far fewer writes than readers:
// concurrent reads of one post are combined into one compare-and-set.
func TestConcurrentReadersShareOneWrite(t *testing.T) {
	e := newEnv(t)
	author := e.mm.addUser("author")
	readers := make([]string, 200)
	for i := range readers {
		readers[i] = e.mm.addUser(fmt.Sprintf("reader%03d", i))
	}
	ch := e.mm.addChannel(receipts.ChannelPrivate, append([]string{author}, readers...)...)
	p := e.post(ch, author)
	kv := &slowKV{MemKV: e.kv}
	svc := e.serviceOn(kv)

	start := make(chan struct{})
	results := make([]receipts.ReadResult, len(readers))
	errs := make([]error, len(readers))
	var wg sync.WaitGroup
	for i, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = svc.RecordReads(r, []string{p})
		}()
	}
	close(start)
	wg.Wait()
	for i := range readers {
		require.NoError(t, errs[i])
		assert.Equal(t, []string{p}, results[i].Recorded, "reader %d: %v", i, results[i].Skipped)
	}
	assert.Equal(t, len(readers), e.receipt(author, p).ReadCount)
	assertOnceEachByReadTime(t, pageAllReaders(t, svc, author, p, 100))
	t.Logf("%d readers recorded in %d writes", len(readers), kv.writes.Load())
	assert.Less(t, kv.writes.Load(), int64(len(readers)/4))
}
