package receipts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// countingEnv is an env whose Service counts its KV operations.
func countingEnv(t *testing.T) (*env, *countingKV) {
	e := newEnv(t)
	kv := &countingKV{KV: e.kv}
	e.svc = e.serviceOn(kv)
	return e, kv
}

// opsOf returns the KV operations op makes.
func opsOf(kv *countingKV, op func()) int64 {
	before := kv.ops.Load()
	op()
	return kv.ops.Load() - before
}

// quietOpsOf is opsOf after waiting until the notifier, which reads records
// in the background, has sent what was pending.
func quietOpsOf(kv *countingKV, op func()) int64 {
	for last := int64(-1); last != kv.ops.Load(); {
		last = kv.ops.Load()
		time.Sleep(700 * time.Millisecond) // longer than a batch may gather
	}
	before := kv.ops.Load()
	op()
	return kv.ops.Load() - before
}

// TestBurstOfPostsIsLinear: the author's implied reads of a post pass over
// their own recent posts without loading them, so the n-th post of a burst
// costs what the first one did.
func TestBurstOfPostsIsLinear(t *testing.T) {
	e, kv := countingEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	var costs []int64
	for i := 0; i < 200; i++ {
		costs = append(costs, opsOf(kv, func() { e.post(ch, alice) }))
	}
	t.Logf("KV operations per post: first %d, 100th %d, 200th %d", costs[0], costs[99], costs[199])
	for i, c := range costs {
		assert.LessOrEqual(t, c, 2*costs[0], "post %d of the burst", i+1)
	}
}

// TestABurstLooksAtNoneOfItsAuthorsPosts: before its author's implied read,
// a round of posted hooks looks for the channel's recent posts that are not
// tracked yet; it passes over the author's own, which their hooks track, so
// the look of a burst by one author lists none of them (it listed every post
// of the last 2 s, each round).
func TestABurstLooksAtNoneOfItsAuthorsPosts(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	var last string
	for i := 0; i < 100; i++ {
		last = e.post(ch, alice)
	}
	assert.Zero(t, e.mm.listedCount(), "posts the looks listed")
	e.post(ch, bob) // bob's look still sees alice's posts, and bob reads them
	assert.Positive(t, e.mm.listedCount())
	assert.Equal(t, 1, e.receipt(alice, last).ReadCount)
}

// TestABurstReadsBackNoIndexChunk: an author's implied read walks the
// channel's index back to a margin before their watermark, which in a burst
// spans every post of it; the index chunks a server wrote or read are
// immutable and kept in memory, so the walk reads none of them again.
func TestABurstReadsBackNoIndexChunk(t *testing.T) {
	e, kv := countingEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	for i := 0; i < 5*receipts.ChunkSize; i++ {
		e.post(ch, alice)
	}
	assert.Zero(t, kv.chunkReads.Load(), "index chunks read")
}

// TestABurstRaisesItsAuthorsWatermarkRarely: an implied read that finds
// nothing of others' to read leaves the author's watermark where it was
// while it is less than a minute behind, so an author's burst does not
// write it at every post; a read of others' posts still raises it.
func TestABurstRaisesItsAuthorsWatermarkRarely(t *testing.T) {
	e, kv := countingEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	e.post(ch, bob)
	e.advance(time.Minute)
	var last string
	for i := 0; i < 200; i++ {
		last = e.post(ch, alice)
	}
	assert.LessOrEqual(t, kv.markWrites.Load(), int64(2), "watermark writes")
	e.advance(time.Minute)
	before := kv.markWrites.Load()
	e.post(ch, bob)
	assert.Equal(t, 1, e.receipt(alice, last).ReadCount, "bob read alice's burst by posting")
	assert.Equal(t, before+1, kv.markWrites.Load(), "bob's read raised bob's watermark")
}

func (f *fakePlatform) listedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.listed
}

// TestReplyCostDoesNotGrowWithThread: a reply reads the thread up to it by
// walking only what is new since the user's last reply there.
func TestReplyCostDoesNotGrowWithThread(t *testing.T) {
	replyCost := func(length int) int64 {
		e, kv := countingEnv(t)
		alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
		ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
		root := e.post(ch, alice)
		inThread := func(p *receipts.Post) { p.RootID = root }
		e.post(ch, bob, inThread)
		for i := 0; i < length; i++ {
			e.post(ch, alice, inThread)
		}
		e.advance(time.Minute)
		e.post(ch, bob, inThread) // bob catches up once
		e.advance(time.Minute)
		e.post(ch, alice, inThread)
		return quietOpsOf(kv, func() { e.post(ch, bob, inThread) })
	}
	short, long := replyCost(10), replyCost(1000)
	t.Logf("KV operations of a reply: thread of 10 posts %d, of 1,000 posts %d", short, long)
	// The notifier may read the post bob's reply read while it runs: allow that.
	assert.LessOrEqual(t, long, short+3, "a reply costs the same in a long thread")
}

// TestThreadReadsOnlyTheThread: a reply reads its thread, not the channel.
func TestThreadReadsOnlyTheThread(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	root := e.post(ch, alice)
	reply := e.post(ch, alice, func(p *receipts.Post) { p.RootID = root })
	other := e.post(ch, alice)
	otherReply := e.post(ch, alice, func(p *receipts.Post) { p.RootID = other })
	e.post(ch, bob, func(p *receipts.Post) { p.RootID = root })
	for id, want := range map[string]int{root: 1, reply: 1, other: 0, otherReply: 0} {
		assert.Equal(t, want, e.receipt(alice, id).ReadCount, fmt.Sprintf("post %s", id))
	}
}

// TestQuietChannelCostsNoMembershipList: a channel where someone never looks
// (so it never settles) is not listed again while no member's view moves;
// the first view that moves is applied at the next poll.
func TestQuietChannelCostsNoMembershipList(t *testing.T) {
	for _, digests := range []bool{true, false} {
		t.Run(fmt.Sprintf("digests %v", digests), func(t *testing.T) {
			e := newEnv(t)
			e.mm.noDigests = !digests
			alice, bob, away := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("away")
			ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, away)
			post := e.post(ch, alice)
			e.mm.view(ch, alice, e.clock().UnixMilli())
			e.advance(11 * time.Second)
			for range 2 { // the first poll lists the members and applies what it finds
				_, err := e.svc.PollViews()
				assert.NoError(t, err)
			}
			before := e.mm.viewCallCount()
			for range 10 {
				_, err := e.svc.PollViews()
				assert.NoError(t, err)
			}
			quietLists := e.mm.viewCallCount() - before
			if digests {
				assert.Zero(t, quietLists, "no membership list while no view moves")
			} else {
				assert.Equal(t, 10, quietLists, "without a database handle every poll lists the members")
			}
			e.mm.view(ch, bob, e.clock().UnixMilli())
			e.advance(11 * time.Second)
			_, err := e.svc.PollViews()
			assert.NoError(t, err)
			assert.Equal(t, 1, e.receipt(alice, post).ReadCount, "a moved view is applied")
		})
	}
}

// TestLateTrackingJudgesThePostByItsTime: a post created while its channel
// was off, and reached by a query only after the channel was turned on
// again, is not tracked.
func TestLateTrackingJudgesThePostByItsTime(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	_, err := e.svc.SetChannelEnabled(alice, ch, false)
	assert.NoError(t, err)
	off := receipts.Post{ID: newID(), ChannelID: ch, UserID: alice, CreateAt: e.clock().UnixMilli()}
	e.mm.addPost(off) // its posted hook has not run yet
	_, err = e.svc.SetChannelEnabled(alice, ch, true)
	assert.NoError(t, err)
	on := e.post(ch, alice)

	res, err := e.svc.QueryReceipts(alice, []string{off.ID, on})
	assert.NoError(t, err)
	assert.Equal(t, []receipts.Skipped{{PostID: off.ID, Reason: receipts.ReasonNotTracked}}, res.Skipped)
	e.svc.PostCreated(off) // the hook, late
	assert.Equal(t, receipts.ReasonNotTracked, e.skipReason(e.read(bob, off.ID), off.ID))
}

// TestAuthorsBurstLeavesTheirPostsToTheirHooks: the catch-up before an
// author's implied read tracks others' posts the hook has not reached (the
// author reads them), not the author's own, which their hooks track: a burst
// of posts does not track each of them twice.
func TestAuthorsBurstLeavesTheirPostsToTheirHooks(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
	e.post(ch, alice)
	own := e.unhooked(ch, alice)
	other := e.unhooked(ch, bob)
	e.post(ch, alice)
	assert.Equal(t, 0, e.indexed(ch, own.ID), "the author's own post waits for its hook")
	assert.Equal(t, 1, e.indexed(ch, other.ID), "another's post is tracked, and read by the author")
	assert.Equal(t, 1, e.receipt(bob, other.ID).ReadCount)
	e.svc.PostCreated(own)
	assert.Equal(t, 1, e.indexed(ch, own.ID))
}
