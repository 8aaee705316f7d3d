package receipts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

func TestTracking(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg     func(*config.Config)
		typ     string
		post    func(*receipts.Post)
		off     bool
		tracked bool
	}{
		"dm by default":                 {typ: receipts.ChannelDirect, tracked: true},
		"group by default":              {typ: receipts.ChannelGroup, tracked: true},
		"public when enabled":           {typ: receipts.ChannelOpen, tracked: true},
		"private when enabled":          {typ: receipts.ChannelPrivate, tracked: true},
		"public when disabled":          {typ: receipts.ChannelOpen, cfg: func(c *config.Config) { c.EnablePublicChannels = false }},
		"dm when disabled":              {typ: receipts.ChannelDirect, cfg: func(c *config.Config) { c.EnableDirectMessages = false }},
		"system post":                   {typ: receipts.ChannelDirect, post: func(p *receipts.Post) { p.Type = "system_join_channel" }},
		"webhook post":                  {typ: receipts.ChannelDirect, post: func(p *receipts.Post) { p.FromWebhook = true }},
		"opted out in mode all":         {typ: receipts.ChannelDirect, post: func(p *receipts.Post) { p.ReadReceipt = boolPtr(false) }},
		"per message without prop":      {typ: receipts.ChannelDirect, cfg: perMessage},
		"per message asking":            {typ: receipts.ChannelDirect, cfg: perMessage, post: func(p *receipts.Post) { p.ReadReceipt = boolPtr(true) }, tracked: true},
		"channel turned off":            {typ: receipts.ChannelGroup, off: true},
		"too many members":              {typ: receipts.ChannelOpen, cfg: func(c *config.Config) { c.MaxChannelMembers = 2 }},
		"group within max members, too": {typ: receipts.ChannelGroup, cfg: func(c *config.Config) { c.MaxChannelMembers = 2 }, tracked: true},
	} {
		t.Run(name, func(t *testing.T) {
			var change []func(*config.Config)
			if tc.cfg != nil {
				change = append(change, tc.cfg)
			}
			e := newEnv(t, change...)
			alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
			users := []string{alice, bob, carol}
			if tc.typ == receipts.ChannelDirect {
				users = users[:2]
			}
			ch := e.mm.addChannel(tc.typ, users...)
			if tc.off {
				_, err := e.svc.SetChannelEnabled(alice, ch, false)
				require.NoError(t, err)
			}
			var change2 []func(*receipts.Post)
			if tc.post != nil {
				change2 = append(change2, tc.post)
			}
			p := e.post(ch, alice, change2...)
			res := e.read(bob, p)
			if tc.tracked {
				assert.Equal(t, []string{p}, res.Recorded)
			} else {
				assert.Equal(t, receipts.ReasonNotTracked, e.skipReason(res, p))
			}
		})
	}
}

func perMessage(c *config.Config) { c.RequestMode = config.RequestPerMessage }

func TestRecipientsExcludeBotsDeactivatedOptedOutAndLateJoiners(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, dave := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("dave")
	bot, gone, late := e.mm.addUser("bot"), e.mm.addUser("gone"), e.mm.addUser("late")
	e.mm.users[bot].IsBot = true
	e.mm.users[gone].Active = false
	_, err := e.svc.SetSendReadReceipts(dave, false)
	require.NoError(t, err)
	ch := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol, dave, bot, gone)
	p := e.post(ch, alice)
	e.mm.join(ch, late)
	e.svc.MemberJoined(ch, e.mm.member(late))

	r := e.receipt(alice, p)
	assert.Equal(t, 2, r.UnreadCount, "bob and carol")
	assert.Equal(t, receipts.ReasonNotRecipient, e.skipReason(e.read(late, p), p))
	assert.Equal(t, receipts.ReasonNotRecipient, e.skipReason(e.read(bot, p), p))
	_, err = e.svc.SetSendReadReceipts(dave, true)
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonNotRecipient, e.skipReason(e.read(dave, p), p), "dave opted out when it was posted")
}

func TestDirectMessageToSelfOrBotIsNotTracked(t *testing.T) {
	e := newEnv(t)
	alice, bot := e.mm.addUser("alice"), e.mm.addUser("bot")
	e.mm.users[bot].IsBot = true
	ch := e.mm.addChannel(receipts.ChannelDirect, alice, bot)
	p := e.post(ch, alice)
	res, err := e.svc.QueryReceipts(alice, []string{p})
	require.NoError(t, err)
	assert.Equal(t, []receipts.Skipped{{PostID: p, Reason: receipts.ReasonNotTracked}}, res.Skipped)
}

func TestSnapshotsAreSharedBetweenPosts(t *testing.T) {
	e := newEnv(t)
	users := make([]string, 1000)
	for i := range users {
		users[i] = e.mm.addUser("user" + newID())
	}
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	e.post(ch, users[0])
	keysBefore, bytesBefore := e.kv.Size()
	p := e.post(ch, users[1])
	keysAfter, bytesAfter := e.kv.Size()
	perPost := bytesAfter - bytesBefore
	t.Logf("a tracked post in a 1,000-member channel costs %d bytes in %d keys", perPost, keysAfter-keysBefore)
	assert.Less(t, perPost, 2048)

	_, before := e.kv.Size()
	for _, u := range users[2:102] {
		require.Equal(t, []string{p}, e.read(u, p).Recorded)
	}
	_, after := e.kv.Size()
	perRead := (after - before) / 100
	t.Logf("each read adds %d bytes", perRead)
	assert.Less(t, perRead, 200)
}
