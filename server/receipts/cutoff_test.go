package receipts_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// cutEverywhere runs act on a copy of the env's KV once to count its writes,
// then once per write with that write failing, and each time calls check
// with a Service on the copy (the retry that must complete the work).
func cutEverywhere(t *testing.T, e *env, act func(svc *receipts.Service), check func(t *testing.T, svc *receipts.Service, kv *kvtest.MemKV)) {
	steps := 0
	for n := 0; n <= steps; n++ {
		kv := kvtest.NewMemKV(1)
		copyKV(t, e.kv, kv)
		faulty := kvtest.NewFaultKV(kv)
		faulty.FailNth(kvtest.OpWrite, "", n)
		act(e.serviceOn(faulty))
		if n == 0 {
			steps = faulty.Count()
			require.Greater(t, steps, 1, "the work takes several writes")
		}
		name := fmt.Sprintf("cut at write %d of %d", n, steps)
		if n == 0 {
			name = "not cut"
		}
		t.Run(name, func(t *testing.T) {
			check(t, e.serviceOn(kv), kv)
			assertNoOrphans(t, kv, "")
		})
	}
}

// TestCutOffTrackingIsCompletedByTheNextRead: the posted hook fails at any
// of its writes (including moving a full index tail to a chunk); the first
// read tracks the post, and a conversation-level read finds it in the index.
func TestCutOffTrackingIsCompletedByTheNextRead(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	for range receipts.ChunkSize {
		e.post(group, alice)
	}
	p := e.unhooked(group, alice)
	cutEverywhere(t, e, func(svc *receipts.Service) { svc.PostCreated(p) },
		func(t *testing.T, svc *receipts.Service, _ *kvtest.MemKV) {
			res, err := svc.RecordReads(bob, []string{p.ID})
			require.NoError(t, err)
			assert.Equal(t, []string{p.ID}, res.Recorded)
			n, err := svc.MarkChannelRead(carol, group, -1)
			require.NoError(t, err)
			assert.Equal(t, receipts.ChunkSize+1, n, "every post, this one included, once")
			q, err := svc.QueryReceipts(alice, []string{p.ID})
			require.NoError(t, err)
			require.Len(t, q.Receipts, 1)
			assert.Equal(t, 2, q.Receipts[0].ReadCount)
		})
}

// TestCutOffChunkFlushIsCompletedByARetry: the read that moves a post's full
// list of reads to a chunk fails at either write; the reader's retry
// records it, and the list has every reader once, in order.
func TestCutOffChunkFlushIsCompletedByARetry(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(receipts.ChunkSize+2, "user%03d")
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	p := e.post(ch, users[0])
	for _, u := range users[1 : receipts.ChunkSize+1] {
		require.Equal(t, []string{p}, e.read(u, p).Recorded)
	}
	last := users[len(users)-1]
	cutEverywhere(t, e, func(svc *receipts.Service) { _, _ = svc.RecordReads(last, []string{p}) },
		func(t *testing.T, svc *receipts.Service, _ *kvtest.MemKV) {
			res, err := svc.RecordReads(last, []string{p})
			require.NoError(t, err)
			assert.Equal(t, 1, len(res.Recorded)+len(res.Skipped), "recorded now or before")
			list := pageAllReaders(t, svc, users[0], p, 10)
			assert.Len(t, list, receipts.ChunkSize+1)
			assertOnceEachByReadTime(t, list)
		})
}
