package receipts_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// bytesKV counts the bytes written under keys with a prefix.
type bytesKV struct {
	store.KV
	prefix  string
	written atomic.Int64
}

func (b *bytesKV) Set(key string, value []byte) error {
	if strings.HasPrefix(key, b.prefix) {
		b.written.Add(int64(len(value)))
	}
	return b.KV.Set(key, value)
}

// TestMembershipChangeCostsTheChange: after a join or a leave in a
// 2,000-member channel, the next post's snapshot stores what changed, not
// 2,000 ids again, and counts stay right on a server that loads it cold.
func TestMembershipChangeCostsTheChange(t *testing.T) {
	e := newEnv(t)
	kv := &bytesKV{KV: e.kv, prefix: "s:"}
	e.svc = e.serviceOn(kv)
	members := e.mm.addUsers(2000, "m%04d")
	ch := e.mm.addChannel(receipts.ChannelPrivate, members...)
	author := members[0]
	first := e.post(ch, author)
	full := kv.written.Load()

	joiner := e.mm.addUser("joiner")
	e.mm.join(ch, joiner)
	e.svc.MemberJoined(ch, e.mm.member(joiner))
	before := kv.written.Load()
	second := e.post(ch, author)
	afterJoin := kv.written.Load() - before

	e.mm.leave(ch, members[1])
	e.svc.MemberLeft(ch, members[1])
	before = kv.written.Load()
	third := e.post(ch, author)
	afterLeave := kv.written.Load() - before
	t.Logf("snapshot bytes: first post %d, after a join %d, after a leave %d", full, afterJoin, afterLeave)
	assert.Less(t, afterJoin, int64(300))
	assert.Less(t, afterLeave, int64(300))

	cold := e.serviceOn(e.kv)
	for post, unread := range map[string]int{first: 1998, second: 1999, third: 1999} {
		res, err := cold.QueryReceipts(author, []string{post})
		require.NoError(t, err)
		require.Len(t, res.Receipts, 1)
		assert.Equal(t, unread, res.Receipts[0].UnreadCount, "post %s", post)
	}
	_, err := cold.RecordReads(joiner, []string{first, second})
	require.NoError(t, err)
	res, err := cold.QueryReceipts(author, []string{first, second})
	require.NoError(t, err)
	require.Len(t, res.Receipts, 2)
	assert.Equal(t, 0, res.Receipts[0].ReadCount, "the joiner is no recipient of a post from before joining")
	assert.Equal(t, 1, res.Receipts[1].ReadCount)
}

// TestRetentionKeepsTheBaseOfAUsedDelta: a full snapshot that only deltas
// still use is kept as long as they are.
func TestRetentionKeepsTheBaseOfAUsedDelta(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RetentionDays = 3 })
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	e.post(ch, alice) // the base
	dave := e.mm.addUser("dave")
	e.mm.join(ch, dave)
	e.svc.MemberJoined(ch, e.mm.member(dave))
	var last string
	for range 10 { // a post a day for ten days: the delta is used daily
		e.advance(24 * time.Hour)
		last = e.post(ch, alice)
	}
	_, err := e.svc.RunRetention()
	require.NoError(t, err)
	r, err := e.serviceOn(e.kv).QueryReceipts(alice, []string{last})
	require.NoError(t, err)
	require.Len(t, r.Receipts, 1, "skipped %v failed %v", r.Skipped, r.Failed)
	assert.Equal(t, 3, r.Receipts[0].UnreadCount)
}
