package receipts_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// unhooked creates a post in Mattermost whose posted hook has not run yet.
func (e *env) unhooked(channelID, userID string, change ...func(*receipts.Post)) receipts.Post {
	p := receipts.Post{ID: newID(), ChannelID: channelID, UserID: userID, CreateAt: e.clock().UnixMilli()}
	for _, c := range change {
		c(&p)
	}
	e.mm.addPost(p)
	return p
}

// indexed counts the post's entries in its channel's index.
func (e *env) indexed(channelID, postID string) int {
	var idx struct {
		Tail []struct {
			PostID string `json:"p"`
		} `json:"r"`
	}
	require.NoError(e.t, json.Unmarshal(e.kv.Value("ci:"+channelID), &idx))
	n := 0
	for _, entry := range idx.Tail {
		if entry.PostID == postID {
			n++
		}
	}
	return n
}

// TestReadsBeforeThePostedHookAreNotLost: a post is tracked from the moment
// Mattermost saved it. Whatever reaches it first — a read, the author's
// query, a reaction, a channel read — tracks it, and the hook running later
// changes nothing.
func TestReadsBeforeThePostedHookAreNotLost(t *testing.T) {
	for name, first := range map[string]func(e *env, p receipts.Post, bob string){
		"read": func(e *env, p receipts.Post, bob string) {
			assert.Equal(e.t, []string{p.ID}, e.read(bob, p.ID).Recorded)
		},
		"query": func(e *env, p receipts.Post, bob string) {
			assert.Equal(e.t, 0, e.receipt(p.UserID, p.ID).ReadCount)
			assert.Equal(e.t, []string{p.ID}, e.read(bob, p.ID).Recorded)
		},
		"reaction": func(e *env, p receipts.Post, bob string) { e.svc.ReactionAdded(bob, p.ID) },
		"channel read": func(e *env, p receipts.Post, bob string) {
			n, err := e.svc.MarkChannelRead(bob, p.ChannelID, -1)
			require.NoError(e.t, err)
			assert.Equal(e.t, 2, n, "the post before and this one")
		},
	} {
		for _, mode := range []string{config.RequestAll, config.RequestPerMessage} {
			t.Run(name+" "+mode, func(t *testing.T) {
				e := newEnv(t, func(c *config.Config) { c.RequestMode = mode })
				alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
				group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
				e.post(group, alice, func(p *receipts.Post) { p.ReadReceipt = boolPtr(true) })
				p := e.unhooked(group, alice, func(p *receipts.Post) { p.ReadReceipt = boolPtr(true) })

				first(e, p, bob)
				e.svc.PostCreated(p) // the hook comes late
				assert.Equal(t, receipts.ReasonAlreadyRead, e.skipReason(e.read(bob, p.ID), p.ID))
				r := e.receipt(alice, p.ID)
				assert.Equal(t, 1, r.ReadCount)
				assert.Equal(t, 1, r.UnreadCount)
				assert.Equal(t, 1, e.indexed(group, p.ID), "indexed once")
			})
		}
	}
}

// TestOnlyRecentUntrackedPostsAreTrackedOnRead: a post that did not ask for
// receipts, or one older than any posted hook delay (made before the plugin
// ran), is not tracked by reading it.
func TestOnlyRecentUntrackedPostsAreTrackedOnRead(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	declined := e.unhooked(dm, alice, func(p *receipts.Post) { p.ReadReceipt = boolPtr(false) })
	system := e.unhooked(dm, alice, func(p *receipts.Post) { p.Type = "system_join_channel" })
	old := e.unhooked(dm, alice, func(p *receipts.Post) { p.CreateAt -= time.Hour.Milliseconds() })
	res := e.read(bob, declined.ID, system.ID, old.ID)
	assert.Empty(t, res.Recorded)
	for _, p := range []string{declined.ID, system.ID, old.ID} {
		assert.Equal(t, receipts.ReasonNotTracked, e.skipReason(res, p))
	}
}

// TestConversationReadsCoverPostsIndexedOutOfOrder: a post indexed late
// (an imported post, another plugin's, a slow hook) neither hides the newer
// posts indexed before it nor is skipped itself.
func TestConversationReadsCoverPostsIndexedOutOfOrder(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	first := e.post(group, alice)
	n, err := e.svc.MarkChannelRead(bob, group, -1)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	e.advance(time.Hour)

	newer := e.post(group, alice)
	imported := e.unhooked(group, alice, func(p *receipts.Post) { p.CreateAt -= 2 * time.Hour.Milliseconds() })
	e.svc.PostCreated(imported)
	n, err = e.svc.MarkChannelRead(bob, group, -1)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, p := range []string{first, newer, imported.ID} {
		assert.Equal(t, 1, e.receipt(alice, p).ReadCount, p)
	}
}

// TestQueryAnswersPerPost: a post whose record cannot be loaded is listed as
// failed; the others are answered.
func TestQueryAnswersPerPost(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	good, broken := e.post(dm, alice), e.post(dm, alice)
	require.NoError(t, e.kv.Set("p:"+broken, []byte("{broken")))

	res, err := e.svc.QueryReceipts(alice, []string{good, broken})
	require.NoError(t, err)
	require.Len(t, res.Receipts, 1)
	assert.Equal(t, good, res.Receipts[0].PostID)
	assert.Equal(t, []string{broken}, res.Failed)
	assert.Empty(t, res.Skipped)
}

// TestPostsFromWhileAChannelWasOffStayUntracked: a post made while its
// channel was off is not tracked by a read after the channel is on again.
func TestPostsFromWhileAChannelWasOffStayUntracked(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	_, err := e.svc.SetChannelEnabled(alice, group, false)
	require.NoError(t, err)
	during := e.post(group, alice)
	_, err = e.svc.SetChannelEnabled(alice, group, true)
	require.NoError(t, err)

	assert.Equal(t, receipts.ReasonNotTracked, e.skipReason(e.read(bob, during), during))
	res, err := e.svc.QueryReceipts(alice, []string{during})
	require.NoError(t, err)
	assert.Equal(t, []receipts.Skipped{{PostID: during, Reason: receipts.ReasonNotTracked}}, res.Skipped)
}
