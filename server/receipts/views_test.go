package receipts_test

import (
	"testing"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestViewsBecomeReads(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p1 := e.post(group, alice)
	p2 := e.post(group, alice)
	mm1, _ := e.mm.Post(p1)
	e.mm.view(group, bob, mm1.CreateAt+0) // bob viewed right after p1

	n, err := e.svc.PollViews()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, e.receipt(alice, p1).ReadCount)
	assert.Equal(t, 0, e.receipt(alice, p2).ReadCount)

	page, err := e.svc.Readers(alice, p1, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	assert.Equal(t, mm1.CreateAt, page.Users[0].ReadAt, "read at the view time")

	n, err = e.svc.PollViews()
	require.NoError(t, err)
	assert.Zero(t, n, "an unchanged view records nothing")
	require.Eventually(t, func() bool { return len(e.pub.all()) > 0 }, 5*time.Second, 5*time.Millisecond)
	events := e.pub.all()
	assert.Equal(t, alice, events[0].userID)
	assert.Equal(t, receipts.EventReceipts, events[0].name)
}

// TestViewBeforeIndexingIsNotLost: the posted hook runs after the post is
// saved, so a recipient's view can pass a post before it is tracked; the
// poller looks at recent views again and the read arrives.
func TestViewBeforeIndexingIsNotLost(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	e.post(dm, alice) // the channel is watched from here on
	late := receipts.Post{ID: newID(), ChannelID: dm, UserID: alice, CreateAt: e.clock().UnixMilli()}
	e.mm.addPost(late)
	e.mm.view(dm, bob, e.clock().UnixMilli()) // bob sees it before the hook ran
	_, err := e.svc.PollViews()
	require.NoError(t, err)

	e.svc.PostCreated(late)
	_, err = e.svc.PollViews()
	require.NoError(t, err)
	assert.Equal(t, 1, e.receipt(alice, late.ID).ReadCount)
}

// TestSettledChannelsAreNotListed: once everyone has viewed a channel's newest
// tracked post, polls skip listing its members until a new post is tracked.
func TestSettledChannelsAreNotListed(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	p := e.post(dm, alice)
	e.mm.view(dm, alice, e.clock().UnixMilli())
	e.mm.view(dm, bob, e.clock().UnixMilli())
	e.advance(time.Minute) // past the margin in which a post may still be indexed
	_, err := e.svc.PollViews()
	require.NoError(t, err)
	assert.Equal(t, 1, e.receipt(alice, p).ReadCount)
	listed := e.mm.viewCallCount()

	_, err = e.svc.PollViews()
	require.NoError(t, err)
	assert.Equal(t, listed, e.mm.viewCallCount(), "nothing new: the members are not listed")

	p2 := e.post(dm, alice)
	e.mm.view(dm, bob, e.clock().UnixMilli())
	_, err = e.svc.PollViews()
	require.NoError(t, err)
	assert.Greater(t, e.mm.viewCallCount(), listed)
	assert.Equal(t, 1, e.receipt(alice, p2).ReadCount)
}

// TestSettlingWaitsForEveryView: a channel only counts as settled when every
// view was applied past its newest post, whatever order posts were indexed
// in, and not while a member sends no receipts (they may turn them on).
func TestSettlingWaitsForEveryView(t *testing.T) {
	t.Run("posts indexed out of order", func(t *testing.T) {
		e := newEnv(t)
		alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
		dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
		a := receipts.Post{ID: newID(), ChannelID: dm, UserID: alice, CreateAt: e.clock().UnixMilli()}
		b := receipts.Post{ID: newID(), ChannelID: dm, UserID: alice, CreateAt: e.clock().UnixMilli() + 5}
		e.mm.addPost(a)
		e.mm.addPost(b)
		e.svc.PostCreated(b) // b's hook finishes first
		e.svc.PostCreated(a)
		e.mm.view(dm, alice, b.CreateAt)
		e.mm.view(dm, bob, a.CreateAt+1) // bob saw a, not b
		e.advance(time.Minute)
		_, err := e.svc.PollViews()
		require.NoError(t, err)
		e.mm.view(dm, bob, e.clock().UnixMilli()) // now bob sees b too
		_, err = e.svc.PollViews()
		require.NoError(t, err)
		assert.Equal(t, 1, e.receipt(alice, b.ID).ReadCount)
	})
	t.Run("sending turned back on", func(t *testing.T) {
		e := newEnv(t)
		alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
		group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
		p := e.post(group, alice)
		_, err := e.svc.SetSendReadReceipts(bob, false)
		require.NoError(t, err)
		for _, u := range []string{alice, bob, carol} {
			e.mm.view(group, u, e.clock().UnixMilli())
		}
		e.advance(time.Minute)
		_, err = e.svc.PollViews()
		require.NoError(t, err)
		assert.Equal(t, 1, e.receipt(alice, p).ReadCount, "carol's view; bob sends nothing")

		_, err = e.svc.SetSendReadReceipts(bob, true)
		require.NoError(t, err)
		e.mm.view(group, bob, e.clock().UnixMilli())
		_, err = e.svc.PollViews()
		require.NoError(t, err)
		assert.Equal(t, 2, e.receipt(alice, p).ReadCount, "bob's next view counts")
	})
}
