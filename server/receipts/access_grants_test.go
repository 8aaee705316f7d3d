package receipts_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// countingAccess counts the access checks that reach Mattermost.
type countingAccess struct {
	*fakePlatform
	checks atomic.Int32
}

func (p *countingAccess) CanReadChannel(userID, channelID string) (bool, error) {
	p.checks.Add(1)
	return p.fakePlatform.CanReadChannel(userID, channelID)
}

// A client sends its reads every few seconds: Mattermost is asked whether
// the reader may read the channel once for requests close together.
func TestAccessIsAskedOnceForRequestsCloseTogether(t *testing.T) {
	e := newEnv(t)
	mm := &countingAccess{fakePlatform: e.mm}
	svc := twoServers(t, e, mm).servers[0]
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	ch := e.mm.addChannel(receipts.ChannelPrivate, alice, bob)
	posts := []string{e.post(ch, alice), e.post(ch, alice), e.post(ch, alice)}

	for _, p := range posts[:2] {
		res, err := svc.RecordReads(bob, []string{p})
		require.NoError(t, err)
		require.Equal(t, []string{p}, res.Recorded)
	}
	assert.EqualValues(t, 1, mm.checks.Load(), "the second request within seconds asks again")

	e.advance(10 * time.Second)
	res, err := svc.RecordReads(bob, posts[2:])
	require.NoError(t, err)
	require.Equal(t, posts[2:], res.Recorded)
	assert.EqualValues(t, 2, mm.checks.Load(), "a grant seconds old is asked again")

	svc.ServerSettingsChanged() // compliance mode, say
	_, err = svc.QueryReceipts(bob, posts)
	require.NoError(t, err)
	assert.EqualValues(t, 3, mm.checks.Load(), "a grant outlived a change of the server's settings")
}

// A leave or a deactivation, on this server or another, takes away at once
// the access a server remembered.
func TestALeaveEndsARememberedAccessAtOnce(t *testing.T) {
	for _, where := range []int{0, 1} {
		e := newEnv(t)
		b := twoServers(t, e, e.mm)
		alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
		ch := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
		posts := []string{e.post(ch, alice), e.post(ch, alice), e.post(ch, carol)}
		svc := b.servers[0]
		res, err := svc.RecordReads(bob, posts[:1]) // server 0 remembers the access
		require.NoError(t, err)
		require.Len(t, res.Recorded, 1)
		_, err = svc.QueryReceipts(carol, posts[2:]) // and carol's
		require.NoError(t, err)

		e.mm.leave(ch, bob)
		b.servers[where].MemberLeft(ch, bob)
		res, err = svc.RecordReads(bob, posts[1:2])
		require.NoError(t, err)
		assert.Empty(t, res.Recorded, "hook on server %d: a leaver's read went through", where)

		e.mm.leave(ch, carol)
		e.mm.users[carol].Active = false
		b.servers[where].UserDeactivated(carol)
		q, err := svc.QueryReceipts(carol, posts[2:])
		require.NoError(t, err)
		assert.Empty(t, q.Receipts, "hook on server %d: a deactivated user's access was kept", where)
	}
}
