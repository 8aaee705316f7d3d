package receipts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

func TestNewestOwnPost(t *testing.T) {
	e := newEnv(t)
	alice, bob, eve := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("eve")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob)
	root := e.post(group, alice)
	reply := e.post(group, alice, func(p *receipts.Post) { p.RootID = root })
	newest := e.post(group, alice)
	e.post(group, bob)

	cases := []struct {
		name, user, root, want, err string
	}{
		{"the channel's newest", alice, "", newest, ""},
		{"in a thread, its newest", alice, root, reply, ""},
		{"nothing of bob's own in the thread", bob, root, "", receipts.ErrNoOwnPost.ID},
		{"a channel eve cannot read", eve, "", "", receipts.ErrNotFound.ID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.svc.NewestOwnPost(c.user, group, c.root)
			if c.err != "" {
				assertErrID(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
	empty := e.mm.addChannel(receipts.ChannelGroup, alice, bob)
	_, err := e.svc.NewestOwnPost(alice, empty, "")
	assertErrID(t, err, receipts.ErrNoOwnPost.ID)
}
