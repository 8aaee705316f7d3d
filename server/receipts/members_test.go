package receipts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// TestMembershipHooksDoNotRelist: joins, leaves and deactivations change the
// cached members one user at a time; the channel is listed once.
func TestMembershipHooksDoNotRelist(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, dave := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("dave")
	group := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	first := e.post(group, alice)
	require.Equal(t, 2, e.receipt(alice, first).UnreadCount)
	listed := e.mm.listingCount()

	e.mm.join(group, dave)
	e.svc.MemberJoined(group, e.mm.member(dave))
	second := e.post(group, alice)
	assert.Equal(t, 3, e.receipt(alice, second).UnreadCount, "the joiner is a recipient of the next post")

	e.mm.leave(group, carol)
	e.svc.MemberLeft(group, carol)
	e.mm.users[bob].Active = false
	e.svc.UserDeactivated(bob)
	assert.Equal(t, 0, e.receipt(alice, first).UnreadCount, "the leaver and the deactivated user no longer count")
	assert.Equal(t, 1, e.receipt(alice, second).UnreadCount)
	assert.Equal(t, listed, e.mm.listingCount(), "no change listed the channel again")
}

// TestNoRequestWaitsForAListing: once a channel is cached, an answer never
// waits on listing its members; a stale set is refreshed in the background.
func TestNoRequestWaitsForAListing(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	p := e.post(group, alice)
	e.receipt(alice, p)

	gate := make(chan struct{})
	e.mm.mu.Lock()
	e.mm.listGate = gate
	e.mm.mu.Unlock()
	e.advance(time.Minute)
	e.mm.users[carol].Active = false // no hook reports a change like this one

	answered := make(chan receipts.Receipt, 1)
	go func() { answered <- e.receipt(alice, p) }()
	select {
	case r := <-answered:
		assert.Equal(t, 2, r.UnreadCount, "answered from the cached set")
	case <-time.After(5 * time.Second):
		t.Fatal("the query waited for the member listing")
	}
	close(gate)
	require.Eventually(t, func() bool { return e.receipt(alice, p).UnreadCount == 1 }, 5*time.Second, 10*time.Millisecond,
		"the background refresh catches what no hook reported")
}

// TestRecipientsFollowEveryChange: the recipient list a channel's posts get
// is reused only while nobody joined, left or changed their choice.
func TestRecipientsFollowEveryChange(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, dave := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("dave")
	ch := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	unread := func() int { return e.receipt(alice, e.post(ch, alice)).UnreadCount }
	require.Equal(t, 2, unread())
	require.Equal(t, 2, unread())
	e.setSending(carol, false)
	assert.Equal(t, 1, unread(), "an opted-out member is no recipient")
	e.setSending(carol, true)
	assert.Equal(t, 2, unread())
	e.mm.join(ch, dave)
	e.svc.MemberJoined(ch, e.mm.member(dave))
	assert.Equal(t, 3, unread())
	e.mm.leave(ch, bob)
	e.svc.MemberLeft(ch, bob)
	assert.Equal(t, 2, unread())
}
