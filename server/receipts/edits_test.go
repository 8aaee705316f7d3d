package receipts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

func TestEditsMarkEarlierReaders(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, dave := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("dave")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol, dave)
	p := e.post(ch, alice)
	e.read(bob, p)
	assert.Zero(t, e.receipt(alice, p).EditedAt, "never edited")

	edit := e.clock().UnixMilli()
	e.svc.PostEdited(p, edit)
	e.svc.PostEdited(p, edit-1) // an older edit whose hook ran late
	e.read(carol, p)
	assert.Equal(t, edit, e.receipt(alice, p).EditedAt)

	page, err := e.svc.Readers(alice, p, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	require.NoError(t, err)
	before := map[string]bool{}
	for _, u := range page.Users {
		before[u.Username] = u.BeforeEdit
	}
	assert.Equal(t, map[string]bool{"bob": true, "carol": false}, before)

	unread, err := e.svc.Readers(alice, p, receipts.ReaderQuery{Filter: receipts.FilterUnread, PerPage: 10})
	require.NoError(t, err)
	require.Len(t, unread.Users, 1)
	assert.False(t, unread.Users[0].BeforeEdit, "someone who has not read it did not read the old text")
}

func TestEditTellsTheAuthor(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	p := e.post(dm, alice)
	untracked := e.post(dm, alice, func(p *receipts.Post) { p.ReadReceipt = boolPtr(false) })
	e.svc.PostEdited(untracked, e.clock().UnixMilli())
	edit := e.clock().UnixMilli()
	e.svc.PostEdited(p, edit)
	require.Eventually(t, func() bool { return len(e.pub.all()) == 1 }, 5*time.Second, 5*time.Millisecond)
	ev := e.pub.all()[0]
	assert.Equal(t, alice, ev.userID)
	r := ev.payload["receipts"].([]any)[0].(map[string]any)
	assert.Equal(t, p, r["post_id"])
	assert.Equal(t, edit, r["edited_at"])
}
