package receipts_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// optOut sets a user's choice and fails the test on error.
func (e *env) setSending(userID string, send bool) {
	e.t.Helper()
	_, err := e.svc.SetSendReadReceipts(userID, send)
	require.NoError(e.t, err)
}

// TestNoReadFromAnyPathWhileOptedOut: posting, replying, reacting, marking the
// channel read and views record nothing for a recipient who stopped sending.
func TestNoReadFromAnyPathWhileOptedOut(t *testing.T) {
	paths := map[string]func(e *env, ch, user, post string){
		"reaction":     func(e *env, _, user, post string) { e.svc.ReactionAdded(user, post) },
		"post":         func(e *env, ch, user, _ string) { e.post(ch, user) },
		"reply":        func(e *env, ch, user, post string) { e.post(ch, user, func(p *receipts.Post) { p.RootID = post }) },
		"channel read": func(e *env, ch, user, _ string) { _, _ = e.svc.MarkChannelRead(user, ch, -1) },
		"report":       func(e *env, _, user, post string) { e.read(user, post) },
		"view": func(e *env, ch, user, _ string) {
			e.mm.view(ch, user, e.clock().UnixMilli())
			e.advance(11 * time.Second)
			_, _ = e.svc.PollViews()
		},
	}
	for name, act := range paths {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
			ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
			post := e.post(ch, alice)
			e.setSending(bob, false) // a recipient of post, who then opts out
			act(e, ch, bob, post)
			assert.Equal(t, 0, e.receipt(alice, post).ReadCount)
			assert.Never(t, func() bool { return len(e.pub.all()) > 0 }, 200*time.Millisecond, 10*time.Millisecond,
				"an event was sent for a read that was not recorded")
		})
	}
}

// TestViewWhileOptedOutNeverCounts: a view made while the user sent no
// receipts does not count once they send again, even on a server that never
// saw the view before (restart, another server of the cluster); a later view does.
func TestViewWhileOptedOutNeverCounts(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	post := e.post(dm, alice)
	e.mm.view(dm, alice, e.clock().UnixMilli()) // posting moves the author's own view

	e.setSending(bob, false)
	viewedAt := e.clock().UnixMilli()
	e.mm.view(dm, bob, viewedAt)
	e.advance(5 * time.Second)
	e.setSending(bob, true)
	e.advance(11 * time.Second)

	for _, svc := range []*receipts.Service{e.svc, e.serviceOn(e.kv)} {
		_, err := svc.PollViews()
		require.NoError(t, err)
		assert.Equal(t, 0, e.receipt(alice, post).ReadCount, "the view made while opted out counted")
	}

	later := e.clock().UnixMilli()
	e.mm.view(dm, bob, later)
	_, err := e.svc.PollViews()
	require.NoError(t, err)
	r := e.receipt(alice, post)
	assert.Equal(t, 1, r.ReadCount)
	assert.Equal(t, later, r.Timestamp, "read at the view after opting in")
}

// TestPostTrackedWhileOptedOutStaysWithoutThem: a recipient who was opted out
// when the post was tracked is not one, whatever path their read takes later.
func TestPostTrackedWhileOptedOutStaysWithoutThem(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	e.setSending(bob, false)
	post := e.post(ch, alice)
	e.setSending(bob, true)
	e.advance(time.Second)

	e.svc.ReactionAdded(bob, post)
	e.mm.view(ch, bob, e.clock().UnixMilli())
	e.advance(11 * time.Second)
	_, err := e.svc.PollViews()
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonNotRecipient, e.skipReason(e.read(bob, post), post))
	r := e.receipt(alice, post)
	assert.Equal(t, 0, r.ReadCount)
	assert.Equal(t, 1, r.UnreadCount)
}

// TestNoEventToAuthorWhoLostAccess: once the author may no longer read the
// channel, reads there are recorded but not announced to them.
func TestNoEventToAuthorWhoLostAccess(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	post := e.post(ch, alice)
	e.mm.leave(ch, alice)
	e.svc.MemberLeft(ch, alice)

	assert.Empty(t, e.read(bob, post).Skipped)
	e.mm.leave(ch, carol)
	e.svc.MemberLeft(ch, carol)
	assert.Never(t, func() bool { return len(e.pub.all()) > 0 }, 300*time.Millisecond, 10*time.Millisecond)
}

// TestFailedAccessCheckIsAnError: when Mattermost cannot say whether the
// caller may read a channel, the answer is an error, never not_found.
func TestFailedAccessCheckIsAnError(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	post := e.post(dm, alice)
	e.mm.failAccess(errors.New("database is down"))

	res, err := e.svc.RecordReads(bob, []string{post})
	require.Error(t, err)
	assert.Equal(t, []string{post}, res.Failed)
	assert.Empty(t, res.Skipped)
	q, err := e.svc.QueryReceipts(alice, []string{post})
	require.NoError(t, err, "a query answers per post")
	assert.Equal(t, []string{post}, q.Failed)
	assert.Empty(t, q.Skipped)
	_, err = e.svc.ChannelSettings(alice, dm)
	assert.Error(t, err)
	_, err = e.svc.MarkChannelRead(bob, dm, -1)
	assert.Error(t, err)

	e.mm.failAccess(nil)
	assert.Equal(t, 1, len(e.read(bob, post).Recorded), "a failed check is not remembered")
}

// TestUserSettingsSayWhenTheChoiceStarted.
func TestUserSettingsSayWhenTheChoiceStarted(t *testing.T) {
	e := newEnv(t)
	bob := e.mm.addUser("bob")
	s, err := e.svc.UserSettings(bob)
	require.NoError(t, err)
	assert.Equal(t, receipts.UserSettings{SendReadReceipts: true, CanChange: true}, s)

	off, err := e.svc.SetSendReadReceipts(bob, false)
	require.NoError(t, err)
	assert.False(t, off.SendReadReceipts)
	assert.NotZero(t, off.Since)
	e.advance(time.Minute)
	on, err := e.svc.SetSendReadReceipts(bob, true)
	require.NoError(t, err)
	assert.True(t, on.SendReadReceipts)
	assert.Greater(t, on.Since, off.Since)
}
