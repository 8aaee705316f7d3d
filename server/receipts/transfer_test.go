package receipts_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestARepeatedQueryCarriesOnlyWhatChanged: a server asks for a batch of
// records with the values it last saw, and the KV sends back only those that
// changed since (on the real server, each value crosses the plugin bridge).
// A record another server changed meanwhile is sent, and answered fresh.
func TestARepeatedQueryCarriesOnlyWhatChanged(t *testing.T) {
	e, kv := countingEnv(t)
	users := e.mm.addUsers(6, "u%d")
	ch := e.mm.addChannel("P", users...)
	var posts []string
	for range 20 {
		posts = append(posts, e.post(ch, users[0]))
	}
	_, err := e.svc.RecordReads(users[1], posts)
	require.NoError(t, err)

	query := func() map[string]int {
		res, err := e.svc.QueryReceipts(users[0], posts)
		require.NoError(t, err)
		require.Len(t, res.Receipts, len(posts))
		counts := map[string]int{}
		for _, r := range res.Receipts {
			counts[r.PostID] = r.ReadCount
		}
		return counts
	}
	query()
	before := kv.sent.Load()
	query()
	assert.Zero(t, kv.sent.Load()-before, "nothing changed: no value is sent again")

	other := e.serviceOn(e.kv) // another server, on the same KV
	_, err = other.RecordReads(users[2], posts[:1])
	require.NoError(t, err)
	before = kv.sent.Load()
	counts := query()
	assert.Equal(t, 2, counts[posts[0]], "the other server's read is seen")
	assert.Equal(t, 1, counts[posts[1]])
	sent := kv.sent.Load() - before
	assert.Positive(t, sent)
	assert.Less(t, sent, int64(len(e.kv.Value("p:"+posts[0]))+64), "only the changed record (and the opt-outs) is sent")
}

// signallingPlatform says when an access check starts: it waits (up to a
// second) for a batch read to be waiting for it.
type signallingPlatform struct {
	*fakePlatform
	checks chan string
}

func (p signallingPlatform) CanReadChannel(userID, channelID string) (bool, error) {
	select {
	case p.checks <- channelID:
	case <-time.After(time.Second):
	}
	return p.fakePlatform.CanReadChannel(userID, channelID)
}

// waitingKV holds each batch read until an access check has started (or a
// second has passed), and records which came first.
type waitingKV struct {
	*kvtest.MemKV
	checks     chan string
	overlapped atomic.Bool
	batchReads atomic.Int32
}

func (w *waitingKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	w.batchReads.Add(1)
	select {
	case <-w.checks:
		w.overlapped.Store(true)
	case <-time.After(time.Second):
		w.overlapped.Store(false)
	}
	return w.MemKV.GetMany(keys, guesses)
}

// TestAccessIsCheckedWhileTheBatchIsRead: for posts whose channel the
// server has seen, the caller's access is asked while the records are read,
// not after (each is a round trip on the real server).
func TestAccessIsCheckedWhileTheBatchIsRead(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(3, "u%d")
	ch := e.mm.addChannel("P", users...)
	posts := []string{e.post(ch, users[0]), e.post(ch, users[0])}
	checks := make(chan string) // a check and a batch read meet only if they overlap
	kv := &waitingKV{MemKV: e.kv, checks: checks}
	svc := receipts.New(receipts.Deps{
		Store: store.New(kv), Platform: signallingPlatform{e.mm, checks}, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour,
	})
	t.Cleanup(svc.Close)

	_, err := svc.QueryReceipts(users[0], posts) // the server learns the posts' channel
	require.NoError(t, err)
	e.advance(2 * time.Minute) // past the access the first query granted
	res, err := svc.QueryReceipts(users[0], posts)
	require.NoError(t, err)
	assert.Len(t, res.Receipts, 2)
	assert.True(t, kv.overlapped.Load(), "query: access checked while the records were read")

	kv.overlapped.Store(false)
	kv.batchReads.Store(0)
	read, err := svc.RecordReads(users[1], posts)
	require.NoError(t, err)
	assert.Len(t, read.Recorded, 2)
	// Decided on the records the server remembers, the reads need no batch
	// read at all; any they make has the check under way beside it.
	if kv.batchReads.Load() > 0 {
		assert.True(t, kv.overlapped.Load(), "reads: access checked while the records were read")
	}
}
