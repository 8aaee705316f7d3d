package receipts

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestALeaderAnswersWhenItsReadsAreWritten: the reader who leads the group
// commit writes until its own reads are decided, then leaves the rest to a
// background writer, however many reads keep arriving.
func TestALeaderAnswersWhenItsReadsAreWritten(t *testing.T) {
	var rounds atomic.Int64
	// The background writer starts once the leader has answered and its
	// rounds are counted: started at once, it could write all fifty before
	// the count.
	handed := make(chan func(), 1)
	var q *committer
	q = &committer{
		update: func(ids []string, fn func(string, *PostRecord) error) map[string]error {
			n := rounds.Add(1)
			if n <= 50 { // steady load: for 50 rounds, someone else's read arrives meanwhile
				r := &pendingRead{postID: fmt.Sprint("other", n), userID: "u", index: 1, done: make(chan struct{})}
				q.mu.Lock()
				q.pending[r.postID] = append(q.pending[r.postID], r)
				q.mu.Unlock()
			}
			for _, id := range ids {
				rec := &PostRecord{Readers: NewBitmap(4)}
				if err := fn(id, rec); err != nil && err != ErrNoChange {
					return map[string]error{id: err}
				}
			}
			return nil
		},
		writeChunk: func(string, *PostRecord, int, []ReadEntry) error { return nil },
		recorded:   func(string) {},
		background: func(task func()) { handed <- task },
	}
	mine := &pendingRead{postID: "mine", userID: "u", index: 0}
	q.commit([]*pendingRead{mine})
	assert.Equal(t, "", mine.reason)
	require.NoError(t, mine.err)
	assert.LessOrEqual(t, rounds.Load(), int64(2), "the leader wrote its own round and left")
	select {
	case task := <-handed:
		go task()
	case <-time.After(5 * time.Second):
		t.Fatal("the leader handed nothing over")
	}
	require.Eventually(t, func() bool { return rounds.Load() == 51 }, 5*time.Second, time.Millisecond,
		"the background writer wrote the rest")
}
