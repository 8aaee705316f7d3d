package receipts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

func TestQueryPermissionsAndPrivacy(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, eve := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("eve")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p := e.post(group, alice)
	untracked := e.post(group, alice, func(p *receipts.Post) { p.ReadReceipt = boolPtr(false) })
	e.read(bob, p)

	res, err := e.svc.QueryReceipts(bob, []string{p, untracked, "bad", newID()})
	require.NoError(t, err)
	assert.Empty(t, res.Receipts)
	assert.ElementsMatch(t, []receipts.Skipped{
		{PostID: p, Reason: receipts.ReasonNoPermission},
		{PostID: untracked, Reason: receipts.ReasonNotTracked},
		{PostID: "bad", Reason: receipts.ReasonNotFound},
		{PostID: res.Skipped[3].PostID, Reason: receipts.ReasonNotFound},
	}, res.Skipped)

	res, err = e.svc.QueryReceipts(eve, []string{p})
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonNotFound, res.Skipped[0].Reason, "eve cannot see the group")

	e.setConfig(func(c *config.Config) { c.CountsVisibleTo = config.CountsMembers })
	assert.Equal(t, 1, e.receipt(bob, p).ReadCount, "members may see counts")
	_, err = e.svc.Readers(bob, p, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	assertErrID(t, err, receipts.ErrNoPermission.ID)

	_, err = e.svc.SetSendReadReceipts(alice, false)
	require.NoError(t, err)
	res, err = e.svc.QueryReceipts(alice, []string{p})
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonHidden, res.Skipped[0].Reason)
	_, err = e.svc.Readers(alice, p, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	assertErrID(t, err, receipts.ErrHidden.ID)

	e.setConfig(func(c *config.Config) { c.Reciprocal = false })
	assert.Equal(t, 1, e.receipt(alice, p).ReadCount, "without reciprocity the author still sees reads")
}

func TestLeaversAndDeactivatedStopCountingAsUnread(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol, dave := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("dave")
	group := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol, dave)
	p := e.post(group, alice)
	e.read(bob, p)
	assert.Equal(t, 2, e.receipt(alice, p).UnreadCount)

	e.mm.leave(group, bob) // a reader leaves: the read still counts
	e.mm.leave(group, carol)
	e.svc.MemberLeft(group, bob)
	e.svc.MemberLeft(group, carol)
	e.mm.users[dave].Active = false
	e.svc.UserDeactivated(dave)
	r := e.receipt(alice, p)
	assert.Equal(t, 1, r.ReadCount)
	assert.Equal(t, 0, r.UnreadCount, "the post reached all read")
}

func TestChannelSettings(t *testing.T) {
	e := newEnv(t)
	alice, bob, admin, eve := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("admin"), e.mm.addUser("eve")
	e.mm.admins[admin] = true
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	priv := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, admin)
	pub := e.mm.addChannel(receipts.ChannelOpen, alice, bob)

	s, err := e.svc.SetChannelEnabled(bob, dm, false)
	require.NoError(t, err, "any DM member may")
	assert.Equal(t, receipts.ChannelSettings{ChannelID: dm, RequestMode: "all", Reason: receipts.ReasonTurnedOff}, s)
	_, err = e.svc.SetChannelEnabled(bob, priv, false)
	assertErrID(t, err, receipts.ErrNoPermission.ID)
	_, err = e.svc.SetChannelEnabled(eve, priv, false)
	assertErrID(t, err, receipts.ErrNotFound.ID)
	_, err = e.svc.SetChannelEnabled(eve, pub, false)
	assertErrID(t, err, receipts.ErrNoPermission.ID)
	s, err = e.svc.SetChannelEnabled(admin, priv, false)
	require.NoError(t, err)
	assert.False(t, s.Enabled)

	p := e.post(priv, alice)
	assert.Equal(t, receipts.ReasonNotTracked, e.skipReason(e.read(bob, p), p))
	_, err = e.svc.SetChannelEnabled(admin, priv, true)
	require.NoError(t, err)
	p2 := e.post(priv, alice)
	assert.Equal(t, []string{p2}, e.read(bob, p2).Recorded)

	e.setConfig(func(c *config.Config) { c.EnablePublicChannels = false })
	s, err = e.svc.ChannelSettings(eve, pub)
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonTypeDisabled, s.Reason)
	e.setConfig(func(c *config.Config) { c.EnablePublicChannels, c.MaxChannelMembers = true, 2 })
	e.mm.join(pub, eve)
	s, err = e.svc.ChannelSettings(eve, pub)
	require.NoError(t, err)
	assert.Equal(t, receipts.ReasonTooManyMembers, s.Reason)

	var broadcasts int
	for _, ev := range e.pub.all() {
		if ev.name == receipts.EventChannelSettings {
			broadcasts++
			assert.NotEmpty(t, ev.channel)
		}
	}
	assert.Equal(t, 3, broadcasts)
}

func TestUserSettingsUnderPolicies(t *testing.T) {
	e := newEnv(t)
	bob := e.mm.addUser("bob")
	s, err := e.svc.UserSettings(bob)
	require.NoError(t, err)
	assert.Equal(t, receipts.UserSettings{SendReadReceipts: true, CanChange: true}, s)
	s, err = e.svc.SetSendReadReceipts(bob, false)
	require.NoError(t, err)
	assert.False(t, s.SendReadReceipts)

	e.setConfig(func(c *config.Config) { c.PrivacyPolicy = config.PrivacyAlwaysOn })
	s, err = e.svc.UserSettings(bob)
	require.NoError(t, err)
	assert.Equal(t, receipts.UserSettings{SendReadReceipts: true, CanChange: false}, s)
	_, err = e.svc.SetSendReadReceipts(bob, true)
	assertErrID(t, err, receipts.ErrPolicyLocked.ID)

	e.setConfig(func(c *config.Config) { c.PrivacyPolicy = config.PrivacyUserChoice })
	s, err = e.svc.UserSettings(bob)
	require.NoError(t, err)
	assert.False(t, s.SendReadReceipts, "the earlier choice applies again")
}

func TestRetentionAndDeletion(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RetentionDays = 1 })
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	old := e.post(dm, alice, func(p *receipts.Post) { p.CreateAt -= 3 * 24 * 3600 * 1000 })
	recent := e.post(dm, alice)
	deleted := e.post(dm, alice)
	e.read(bob, old, recent, deleted)

	e.mm.remove(deleted)
	e.svc.PostDeleted(deleted)
	rep, err := e.svc.RunRetention()
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Posts)
	res, err := e.svc.QueryReceipts(alice, []string{old, recent, deleted})
	require.NoError(t, err)
	require.Len(t, res.Receipts, 1)
	assert.Equal(t, recent, res.Receipts[0].PostID)
	assert.ElementsMatch(t, []receipts.Skipped{
		{PostID: old, Reason: receipts.ReasonNotTracked},
		{PostID: deleted, Reason: receipts.ReasonNotFound},
	}, res.Skipped)

	e.setConfig(func(c *config.Config) { c.RetentionDays = 0 })
	rep, err = e.svc.RunRetention()
	require.NoError(t, err)
	assert.Zero(t, rep.Posts, "0 keeps everything")
}

func TestMembersModeRespectsMembershipAndViewerPrivacy(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.CountsVisibleTo = config.CountsMembers })
	alice, bob, carol, eve := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol"), e.mm.addUser("eve")
	pub := e.mm.addChannel(receipts.ChannelOpen, alice, bob, carol)
	p := e.post(pub, alice)
	e.read(bob, p)
	assert.Equal(t, 1, e.receipt(carol, p).ReadCount, "a member sees counts")

	res, err := e.svc.QueryReceipts(eve, []string{p})
	require.NoError(t, err)
	assert.Equal(t, []receipts.Skipped{{PostID: p, Reason: receipts.ReasonNoPermission}}, res.Skipped,
		"eve can read the public channel but is not a member")

	_, err = e.svc.SetSendReadReceipts(carol, false)
	require.NoError(t, err)
	res, err = e.svc.QueryReceipts(carol, []string{p})
	require.NoError(t, err)
	assert.Equal(t, []receipts.Skipped{{PostID: p, Reason: receipts.ReasonHidden}}, res.Skipped,
		"under Reciprocal, a viewer who sends no receipts sees none")
	e.setConfig(func(c *config.Config) { c.Reciprocal = false })
	assert.Equal(t, 1, e.receipt(carol, p).ReadCount)
}

func TestRetentionDeletesUnusedSnapshotsOnly(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RetentionDays = 1 })
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	e.post(dm, alice)
	e.post(dm, alice) // its implied read writes alice's DM watermark (the first post has nothing before it)
	e.post(group, alice)
	e.advance(3 * 24 * time.Hour)
	kept := e.post(group, alice) // reuses the group's snapshot, refreshing it

	rep, err := e.svc.RunRetention()
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Posts)
	assert.Equal(t, 1, rep.Snapshots, "the DM's snapshot is unused; the group's is still used")
	assert.Equal(t, 1, rep.Watermarks, "alice's DM watermark is older than the cutoff; her group one is new")
	assert.Equal(t, 2, e.receipt(alice, kept).UnreadCount)

	again := e.post(dm, alice) // the DM's snapshot is stored again
	assert.Equal(t, []string{again}, e.read(bob, again).Recorded)
}
