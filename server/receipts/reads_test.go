package receipts_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

func TestReadReasons(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, eve := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("eve")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	secret := e.mm.addChannel(receipts.ChannelPrivate, alice, eve)
	tracked := e.post(group, alice)
	untracked := e.post(group, alice, func(p *receipts.Post) { p.ReadReceipt = boolPtr(false) })
	hidden := e.post(secret, alice)
	_, err := e.svc.SetSendReadReceipts(carol, false)
	require.NoError(t, err)

	first := e.read(bob, tracked, untracked, hidden, "not-an-id", newID())
	assert.Equal(t, []string{tracked}, first.Recorded)
	for post, want := range map[string]string{
		untracked:   receipts.ReasonNotTracked,
		hidden:      receipts.ReasonNotFound,
		"not-an-id": receipts.ReasonNotFound,
	} {
		assert.Equal(t, want, e.skipReason(first, post), post)
	}
	assert.Equal(t, receipts.ReasonAlreadyRead, e.skipReason(e.read(bob, tracked), tracked))
	assert.Equal(t, receipts.ReasonOwnPost, e.skipReason(e.read(alice, tracked), tracked))
	assert.Equal(t, receipts.ReasonDisabled, e.skipReason(e.read(carol, tracked), tracked))
	assert.Equal(t, receipts.ReasonNotFound, e.skipReason(e.read(eve, tracked), tracked))
}

func TestFirstReadWins(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	p := e.post(dm, alice)
	e.read(bob, p)
	first := e.receipt(alice, p)
	e.read(bob, p)
	_, err := e.svc.MarkChannelRead(bob, dm, -1)
	require.NoError(t, err)
	again := e.receipt(alice, p)
	assert.Equal(t, first, again)
	assert.True(t, again.IsPeerRead)
	assert.Equal(t, bob, again.UserID)
	assert.NotZero(t, again.Timestamp)
	assert.Equal(t, 1, again.ReadCount)
	assert.Equal(t, 0, again.UnreadCount)
}

func TestMarkChannelRead(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	own := e.post(group, bob)
	var posts []string
	for i := 0; i < 150; i++ { // spans several index chunks
		posts = append(posts, e.post(group, alice))
	}
	mm, _ := e.mm.Post(posts[99])

	n, err := e.svc.MarkChannelRead(bob, group, mm.CreateAt)
	require.NoError(t, err)
	assert.Equal(t, 100, n)
	assert.Equal(t, 1, e.receipt(alice, posts[99]).ReadCount)
	assert.Equal(t, 0, e.receipt(alice, posts[100]).ReadCount)

	n, err = e.svc.MarkChannelRead(bob, group, -1)
	require.NoError(t, err)
	assert.Equal(t, 50, n, "only the rest, and not bob's own post")
	n, err = e.svc.MarkChannelRead(bob, group, -1)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, receipts.ReasonOwnPost, e.skipReason(e.read(bob, own), own))

	_, err = e.svc.MarkChannelRead(bob, group, e.clock().UnixMilli()+60_000)
	assertErrID(t, err, "invalid_until")
	outsider := e.mm.addUser("outsider")
	_, err = e.svc.MarkChannelRead(outsider, group, -1)
	assertErrID(t, err, receipts.ErrNotFound.ID)
}

func TestPostingAndReactingReadWhatCameBefore(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p1 := e.post(group, alice)
	p2 := e.post(group, alice)
	e.post(group, bob) // bob answers in the channel
	assert.Equal(t, 1, e.receipt(alice, p1).ReadCount)
	assert.Equal(t, 1, e.receipt(alice, p2).ReadCount)

	root := e.post(group, alice)
	reply := e.post(group, alice, func(p *receipts.Post) { p.RootID = root })
	e.post(group, carol, func(p *receipts.Post) { p.RootID = root })
	assert.Equal(t, 1, e.receipt(alice, root).ReadCount, "carol replied in the thread")
	assert.Equal(t, 1, e.receipt(alice, reply).ReadCount)

	p3 := e.post(group, alice)
	e.svc.ReactionAdded(bob, p3)
	assert.Equal(t, 1, e.receipt(alice, p3).ReadCount)
	assert.Equal(t, 2, e.receipt(alice, root).ReadCount, "bob's reaction reads what came before")
}

func TestDisabledUserSendsNothing(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	p := e.post(dm, alice)
	_, err := e.svc.SetSendReadReceipts(bob, false)
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonDisabled, e.skipReason(e.read(bob, p), p))
	n, err := e.svc.MarkChannelRead(bob, dm, -1)
	require.NoError(t, err)
	assert.Zero(t, n)
	e.post(dm, bob)
	e.mm.view(dm, bob, e.clock().UnixMilli())
	_, err = e.svc.PollViews()
	require.NoError(t, err)
	assert.Equal(t, 0, e.receipt(alice, p).ReadCount)

	e.setConfig(func(c *config.Config) { c.PrivacyPolicy = config.PrivacyAlwaysOn })
	assert.Equal(t, []string{p}, e.read(bob, p).Recorded, "always_on overrides the choice")
}

// TestConcurrentReadsSurviveFaults has many readers of one post race through
// three servers sharing one KV store that fails and conflicts at random:
// every reader is counted exactly once, and failed calls leave nothing behind.
func TestConcurrentReadsSurviveFaults(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			e := newEnv(t)
			author := e.mm.addUser("author")
			readers := make([]string, 120)
			for i := range readers {
				readers[i] = e.mm.addUser(fmt.Sprintf("reader%03d", i))
			}
			ch := e.mm.addChannel(receipts.ChannelPrivate, append([]string{author}, readers...)...)
			p := e.post(ch, author)
			faulty := kvtest.NewMemKV(seed)
			copyKV(t, e.kv, faulty)
			servers := []*receipts.Service{e.withKV(faulty), e.withKV(faulty), e.withKV(faulty)}
			svc := servers[0]
			faulty.SetFaults(0.05, 0.3)

			var wg sync.WaitGroup
			for i, r := range readers {
				wg.Add(1)
				svc := servers[i%len(servers)]
				go func(r string) {
					defer wg.Done()
					for { // a client retries until it gets an answer
						res, err := svc.RecordReads(r, []string{p})
						if err == nil && (len(res.Recorded) == 1 || len(res.Skipped) == 1) {
							return
						}
					}
				}(r)
			}
			wg.Wait()
			faulty.SetFaults(0, 0)

			users := pageAllReaders(t, svc, author, p, 100)
			assert.Len(t, users, len(readers))
			assertOnceEachByReadTime(t, users)
			r, err := svc.QueryReceipts(author, []string{p})
			require.NoError(t, err)
			assert.Equal(t, len(readers), r.Receipts[0].ReadCount)
			assert.Equal(t, 0, r.Receipts[0].UnreadCount)
		})
	}
}

func copyKV(t *testing.T, from, to *kvtest.MemKV) {
	keys, err := from.ListKeys(0, 1<<20)
	require.NoError(t, err)
	for _, k := range keys {
		require.NoError(t, to.Set(k, from.Value(k)))
	}
}

// withKV returns a second Service over the same fakes but another KV.
func (e *env) withKV(kv *kvtest.MemKV) *receipts.Service {
	svc := receipts.New(receipts.Deps{
		Store: store.New(kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock,
	})
	e.t.Cleanup(svc.Close)
	return svc
}

func assertErrID(t *testing.T, err error, id string) {
	t.Helper()
	require.Error(t, err)
	e, ok := receipts.AsError(err)
	require.True(t, ok, "not a client error: %v", err)
	assert.Equal(t, id, e.ID)
}

// TestBatchFailureSaysWhatWasRecorded: when the KV store fails midway
// through a batch, each post is either fully recorded (and listed as
// recorded) or untouched (and listed as failed); retrying completes it. Both
// with a KV that writes a batch at once and with one that goes post by post.
func TestBatchFailureSaysWhatWasRecorded(t *testing.T) {
	for name, postByPost := range map[string]bool{"at once": false, "post by post": true} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
			dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
			svc := e.svc
			if postByPost {
				svc = e.serviceOn(onlyKV{e.kv})
			}
			for attempt := 0; ; attempt++ { // fresh posts until some call fails
				require.Less(t, attempt, 20, "no call ever failed")
				var posts []string
				for i := 0; i < 40; i++ {
					posts = append(posts, e.post(dm, alice))
				}
				e.kv.SetFaults(0.3, 0)
				res, err := svc.RecordReads(bob, posts)
				e.kv.SetFaults(0, 0)
				if err == nil {
					continue
				}
				require.NotEmpty(t, res.Failed)
				assert.Equal(t, len(posts), len(res.Recorded)+len(res.Failed)+len(res.Skipped))
				for _, p := range res.Recorded {
					assert.Equal(t, 1, e.receipt(alice, p).ReadCount, "recorded %s", p)
				}
				for _, p := range res.Failed {
					assert.Equal(t, 0, e.receipt(alice, p).ReadCount, "failed %s left nothing", p)
				}
				again := e.read(bob, posts...)
				assert.ElementsMatch(t, res.Failed, again.Recorded)
				return
			}
		})
	}
}

// onlyKV hides a KV's bulk operations: the store goes key by key.
type onlyKV struct{ store.KV }
