package receipts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// cluster is several Services (servers) over one KV and one Mattermost.
type cluster struct {
	servers []*receipts.Service
	kvs     []*countingKV
}

func (e *env) cluster(n int) *cluster {
	c := &cluster{}
	for range n {
		kv := &countingKV{KV: e.kv}
		c.kvs = append(c.kvs, kv)
		c.servers = append(c.servers, e.serviceOn(kv))
	}
	return c
}

// poll runs the views job on server i and returns the KV operations it took.
func (c *cluster) poll(t *testing.T, i int) int64 {
	before := c.kvs[i].ops.Load()
	_, err := c.servers[i].PollViews()
	require.NoError(t, err)
	return c.kvs[i].ops.Load() - before
}

// TestViewsPollerStateIsShared: the views job may run on any server; one
// that has not run it before does the same work as one that has, and each
// view is applied once.
func TestViewsPollerStateIsShared(t *testing.T) {
	e := newEnv(t)
	c := e.cluster(2)
	var channels []string
	var posts []string
	absent := e.mm.addUser("absent") // never views: no channel settles
	for i := range 20 {
		members := []string{absent}
		for j := range 50 {
			members = append(members, e.mm.addUser(fmt.Sprintf("u%02d%02d", i, j)))
		}
		ch := e.mm.addChannel(receipts.ChannelPrivate, members...)
		channels = append(channels, ch)
		posts = append(posts, e.post(ch, members[1]))
		for _, u := range members[2:] {
			e.mm.view(ch, u, e.clock().UnixMilli())
		}
	}
	e.advance(time.Hour)
	c.poll(t, 0)
	warm := c.poll(t, 0)
	cold := c.poll(t, 1)
	t.Logf("a poll of 20 channels of 50 members: %d KV operations on the server that ran the last one, %d on another", warm, cold)
	// A server that has not polled before reads each channel's index and view
	// state: a few operations per channel, not one per member.
	assert.LessOrEqual(t, cold, int64(1+4*len(channels)))
	assert.LessOrEqual(t, warm, cold)
	assert.LessOrEqual(t, warm, int64(1), "at rest a poll reads the watched list and nothing per channel")
	before := e.mm.digestCallCount()
	c.poll(t, 0)
	assert.Equal(t, before, e.mm.digestCallCount(), "at rest one one-row total, no summary per channel")
	for _, p := range posts {
		assert.Equal(t, 49, e.receipt(e.authorOf(p), p).ReadCount)
	}
	e.mm.view(channels[0], absent, e.clock().UnixMilli())
	e.advance(time.Minute)
	c.poll(t, 0)
	assert.Equal(t, 50, e.receipt(e.authorOf(posts[0]), posts[0]).ReadCount, "a view after rest is applied")
}

func (e *env) authorOf(postID string) string {
	p, err := e.mm.Post(postID)
	require.NoError(e.t, err)
	return p.UserID
}

// bus delivers cluster events to every server but the sender, as
// Mattermost's plugin cluster events do.
type bus struct {
	servers []*receipts.Service
}

type busEnd struct {
	b    *bus
	self int
}

func (e busEnd) Broadcast(kind, id string) {
	for i, s := range e.b.servers {
		if i != e.self {
			s.ClusterEvent(kind, id)
		}
	}
}

// twoServers are two Services on one KV and one Mattermost, whose cluster
// events reach each other.
func twoServers(t *testing.T, e *env, mm receipts.Platform) *bus {
	t.Helper()
	b := &bus{}
	for i := range 2 {
		svc := receipts.New(receipts.Deps{
			Store: store.New(e.kv), Platform: mm, Publisher: e.pub, Logger: nopLogger{},
			Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour,
			Cluster: busEnd{b: b, self: i},
		})
		t.Cleanup(svc.Close)
		b.servers = append(b.servers, svc)
	}
	return b
}

// TestMemberChangesReachOtherServers: a leave seen by one server updates the
// counts another server answers at once, not only when its cache expires.
func TestMemberChangesReachOtherServers(t *testing.T) {
	e := newEnv(t)
	b := twoServers(t, e, e.mm)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	p := e.post(group, alice)
	count := func(server int) int {
		res, err := b.servers[server].QueryReceipts(alice, []string{p})
		require.NoError(t, err)
		require.Len(t, res.Receipts, 1)
		return res.Receipts[0].UnreadCount
	}
	require.Equal(t, 2, count(1)) // server 1 caches the members

	e.mm.leave(group, carol)
	b.servers[0].MemberLeft(group, carol) // the hook runs on server 0
	assert.Equal(t, 1, count(1))

	e.mm.users[bob].Active = false
	b.servers[0].UserDeactivated(bob)
	assert.Equal(t, 0, count(1))
}

// TestViewStateStaysSmall: what the views job keeps in the KV for a channel
// is a few numbers, however many members it has; a server that did not poll
// before applies a moved channel again without counting anyone twice.
func TestViewStateStaysSmall(t *testing.T) {
	e := newEnv(t)
	c := e.cluster(2)
	members := []string{e.mm.addUser("absent")}
	for j := range 1000 {
		members = append(members, e.mm.addUser(fmt.Sprintf("m%04d", j)))
	}
	ch := e.mm.addChannel(receipts.ChannelPrivate, members...)
	post := e.post(ch, members[1])
	for _, u := range members[2:] {
		e.mm.view(ch, u, e.clock().UnixMilli())
	}
	e.advance(time.Hour)
	c.poll(t, 0)
	state, err := e.kv.Get("vs:" + ch)
	require.NoError(t, err)
	t.Logf("view state of a 1,001-member channel: %d bytes", len(state))
	assert.Less(t, len(state), 100)

	late := e.post(ch, members[1])
	e.mm.view(ch, members[2], e.clock().UnixMilli())
	e.advance(time.Hour)
	c.poll(t, 1) // a server that never polled this channel
	assert.Equal(t, 999, e.receipt(members[1], post).ReadCount)
	assert.Equal(t, 1, e.receipt(members[1], late).ReadCount)
}
