package receipts_test

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// countingKV counts the KV operations that pass through it, and the bytes
// of the values a batch read sends back, as one that sends no value equal to
// the caller's guess would.
type countingKV struct {
	store.KV
	ops  atomic.Int64
	sent atomic.Int64
	// chunkReads counts the index chunks (cx:) read, one at a time or in a batch.
	chunkReads atomic.Int64
	// markWrites counts the writes of watermarks (w:).
	markWrites atomic.Int64
}

func (c *countingKV) Get(key string) ([]byte, error) {
	c.ops.Add(1)
	c.countChunks(key)
	return c.KV.Get(key)
}

func (c *countingKV) countChunks(keys ...string) {
	for _, key := range keys {
		if strings.HasPrefix(key, "cx:") {
			c.chunkReads.Add(1)
		}
	}
}

func (c *countingKV) countMarkWrites(keys ...string) {
	for _, key := range keys {
		if strings.HasPrefix(key, "w:") {
			c.markWrites.Add(1)
		}
	}
}

// GetMany reads many keys in one operation, when the KV underneath can.
func (c *countingKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	bulk, ok := c.KV.(store.BulkKV)
	if !ok {
		return nil, false, nil
	}
	c.ops.Add(1)
	c.countChunks(keys...)
	values, ok, err := bulk.GetMany(keys, guesses)
	for i, key := range keys {
		if v := values[key]; !bytes.Equal(v, guesses[i]) {
			c.sent.Add(int64(len(v)))
		}
	}
	return values, ok, err
}

// CompareAndSetMany writes many keys in one operation, when the KV
// underneath can.
func (c *countingKV) CompareAndSetMany(keys []string, olds, news [][]byte, guardKey string, guard []byte) (map[string]bool, bool, error) {
	bulk, ok := c.KV.(store.BulkKV)
	if !ok {
		return nil, false, nil
	}
	c.ops.Add(1)
	c.countMarkWrites(keys...)
	return bulk.CompareAndSetMany(keys, olds, news, guardKey, guard)
}

// InsertMany inserts many keys in one operation, when the KV underneath can.
func (c *countingKV) InsertMany(keys []string, values [][]byte) (map[string]bool, bool, error) {
	bulk, ok := c.KV.(store.BulkKV)
	if !ok {
		return nil, false, nil
	}
	c.ops.Add(1)
	return bulk.InsertMany(keys, values)
}

func (c *countingKV) Set(key string, value []byte) error {
	c.ops.Add(1)
	c.countMarkWrites(key)
	return c.KV.Set(key, value)
}

func (c *countingKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	c.ops.Add(1)
	c.countMarkWrites(key)
	return c.KV.CompareAndSet(key, old, value)
}

// costs are the KV operations of each kind of request for a batch of posts.
type costs struct{ reads, query, readPage, unreadPage int64 }

// measureCosts builds a channel of the given size with k tracked posts that
// some members have read, and counts the KV operations of each request.
func measureCosts(t *testing.T, members, k int) costs {
	e, kv := countingEnv(t)
	svc := e.svc
	users := e.mm.addUsers(members, "m%05d")
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	posts := make([]string, k)
	for i := range posts {
		posts[i] = newID()
		p := receipts.Post{ID: posts[i], ChannelID: ch, UserID: users[0], CreateAt: e.clock().UnixMilli()}
		e.mm.addPost(p)
		svc.PostCreated(p)
	}
	for _, u := range users[1:6] { // some reads before, so pages have content
		_, err := svc.RecordReads(u, posts)
		require.NoError(t, err)
	}
	// The first read of each post sends its event at once; later ones wait for
	// the (hour-long) interval, so from here on the notifier reads nothing.
	require.Eventually(t, func() bool { return receiptsSent(e.pub.all()) == k }, 10*time.Second, time.Millisecond)

	var c costs
	count := func(dst *int64, op func()) {
		before := kv.ops.Load()
		op()
		*dst = kv.ops.Load() - before
	}
	count(&c.reads, func() {
		res, err := svc.RecordReads(users[7], posts)
		require.NoError(t, err)
		require.Len(t, res.Recorded, k)
	})
	count(&c.query, func() {
		res, err := svc.QueryReceipts(users[0], posts)
		require.NoError(t, err)
		require.Len(t, res.Receipts, k)
	})
	count(&c.readPage, func() {
		_, err := svc.Readers(users[0], posts[0], receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 5})
		require.NoError(t, err)
	})
	count(&c.unreadPage, func() {
		_, err := svc.Readers(users[0], posts[0], receipts.ReaderQuery{Filter: receipts.FilterUnread, PerPage: 5})
		require.NoError(t, err)
	})
	return c
}

// TestCostDoesNotGrowWithChannelSize: K reads, counts for K posts and a page
// of readers take the same number of KV operations in a 10-member channel as
// in a 2,000-member one, and grow linearly with K.
func TestCostDoesNotGrowWithChannelSize(t *testing.T) {
	small := measureCosts(t, 10, 20)
	large := measureCosts(t, 2000, 20)
	t.Logf("KV operations for 20 posts: small channel %+v, large channel %+v", small, large)
	assert.Equal(t, small, large)
	double := measureCosts(t, 10, 40)
	assert.Equal(t, small, double, "K posts cost what 20 do")
	// One read of the privacy settings with all the posts; reads then write
	// every post with one compare-and-set.
	assert.Equal(t, int64(1), small.reads, "reads: one write, decided on what the server remembers")
	assert.Equal(t, int64(1), small.query, "a query reads the settings and every post at once")
}
