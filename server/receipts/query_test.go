package receipts_test

import (
	"fmt"
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
	e.svc.MembershipChanged(group)
	e.mm.users[dave].Active = false
	e.svc.UserDeactivated()
	r := e.receipt(alice, p)
	assert.Equal(t, 1, r.ReadCount)
	assert.Equal(t, 0, r.UnreadCount, "the post reached all read")
}

func TestReaderListsPageWithoutRepeatsOrGaps(t *testing.T) {
	e := newEnv(t)
	author := e.mm.addUser("author")
	var users []string
	for i := 0; i < 150; i++ {
		users = append(users, e.mm.addUser(fmt.Sprintf("u%03d", 149-i))) // usernames sort in reverse of creation
	}
	ch := e.mm.addChannel(receipts.ChannelPrivate, append([]string{author}, users...)...)
	p := e.post(ch, author)
	for _, u := range users[:70] {
		e.read(u, p)
	}
	q := receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 30}
	page, err := e.svc.Readers(author, p, q)
	require.NoError(t, err)
	got := names(page.Users)
	for _, u := range users[70:100] { // reads arrive while paging
		e.read(u, p)
	}
	for !page.IsFinished {
		q.Cursor = page.NextCursor
		page, err = e.svc.Readers(author, p, q)
		require.NoError(t, err)
		got = append(got, names(page.Users)...)
	}
	want := make([]string, 100)
	for i := range want {
		want[i] = fmt.Sprintf("u%03d", 149-i)
	}
	assert.Equal(t, want, got, "by read time")
	assert.Equal(t, 100, page.ReadCount)
	assert.Equal(t, 50, page.UnreadCount)

	uq := receipts.ReaderQuery{Filter: receipts.FilterUnread, PerPage: 20}
	page, err = e.svc.Readers(author, p, uq)
	require.NoError(t, err)
	unread := names(page.Users)
	e.read(users[149], p) // u000, already shown, reads meanwhile
	e.read(users[100], p) // u049, not shown yet, reads meanwhile
	for !page.IsFinished {
		uq.Cursor = page.NextCursor
		page, err = e.svc.Readers(author, p, uq)
		require.NoError(t, err)
		unread = append(unread, names(page.Users)...)
	}
	var wantUnread []string
	for i := 0; i < 49; i++ {
		wantUnread = append(wantUnread, fmt.Sprintf("u%03d", i))
	}
	assert.Equal(t, wantUnread, unread, "by username; a later reader drops out, nobody repeats")
	assert.Zero(t, page.Users[0].ReadAt)
}

func TestCursorsCannotBeForgedOrReused(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p1, p2 := e.post(ch, alice), e.post(ch, alice)
	e.read(bob, p1)
	e.read(carol, p1)
	page, err := e.svc.Readers(alice, p1, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.NextCursor)
	for name, q := range map[string]receipts.ReaderQuery{
		"other post":   {Filter: receipts.FilterRead, PerPage: 1, Cursor: page.NextCursor},
		"other filter": {Filter: receipts.FilterUnread, PerPage: 1, Cursor: page.NextCursor},
		"garbage":      {Filter: receipts.FilterRead, PerPage: 1, Cursor: "abc"},
		"tampered":     {Filter: receipts.FilterRead, PerPage: 1, Cursor: "x" + page.NextCursor[1:]},
	} {
		t.Run(name, func(t *testing.T) {
			post := p1
			if name == "other post" {
				post = p2
			}
			_, err := e.svc.Readers(alice, post, q)
			assertErrID(t, err, receipts.ErrInvalidCursor.ID)
		})
	}
}

func TestEventsGoToTheAuthorCoalesced(t *testing.T) {
	e := newEnv(t) // the notify interval is an hour: only the leading event can be sent
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p := e.post(ch, alice)
	e.read(bob, p)
	require.Eventually(t, func() bool { return len(e.pub.all()) == 1 }, 5*time.Second, 5*time.Millisecond)
	e.read(carol, p)
	ev := e.pub.all()
	require.Len(t, ev, 1, "the second read waits for the interval")
	assert.Equal(t, alice, ev[0].userID)
	list := ev[0].payload["receipts"].([]any)
	r := list[0].(map[string]any)
	assert.Equal(t, p, r["post_id"])
	assert.Equal(t, 1, r["read_count"])
}

func TestEventsCarryLatestCounts(t *testing.T) {
	e := newEnv(t)
	svc := e.withKV(e.kv) // a second server on the same store, with one-second coalescing
	alice := e.mm.addUser("alice")
	var readers []string
	for i := 0; i < 5; i++ {
		readers = append(readers, e.mm.addUser(fmt.Sprint("r", i)))
	}
	ch := e.mm.addChannel(receipts.ChannelGroup, append([]string{alice}, readers...)...)
	p := e.post(ch, alice)
	for _, r := range readers {
		_, err := svc.RecordReads(r, []string{p})
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		ev := e.pub.all()
		if len(ev) == 0 {
			return false
		}
		last := ev[len(ev)-1].payload["receipts"].([]any)[0].(map[string]any)
		return last["read_count"] == 5 && last["unread_count"] == 0
	}, 10*time.Second, 10*time.Millisecond, "the last event has the final counts")
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

func names(users []receipts.ReaderUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Username
	}
	return out
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
	e.post(group, alice)
	e.advance(3 * 24 * time.Hour)
	kept := e.post(group, alice) // reuses the group's snapshot, refreshing it

	rep, err := e.svc.RunRetention()
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Posts)
	assert.Equal(t, 1, rep.Snapshots, "the DM's snapshot is unused; the group's is still used")
	assert.Equal(t, 1, rep.Watermarks, "alice's DM watermark is older than the cutoff; her group one is new")
	assert.Equal(t, 2, e.receipt(alice, kept).UnreadCount)

	again := e.post(dm, alice) // the DM's snapshot is stored again
	assert.Equal(t, []string{again}, e.read(bob, again).Recorded)
}

func TestLeaverUpdatesTheAuthorLive(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	p := e.post(group, alice)
	e.mm.leave(group, carol)
	e.svc.MemberLeft(group, carol)
	require.Eventually(t, func() bool { return len(e.pub.all()) == 1 }, 5*time.Second, time.Millisecond)
	r := e.pub.all()[0].payload["receipts"].([]any)[0].(map[string]any)
	assert.Equal(t, p, r["post_id"])
	assert.Equal(t, 1, r["unread_count"], "only bob is still waited for")
}

// TestReadListIsByReadTime: a read from a view is recorded a little after
// the view; the list still shows it at the view's time, in order.
func TestReadListIsByReadTime(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p := e.post(group, alice)
	viewedAt := e.clock().UnixMilli()
	e.mm.view(group, carol, viewedAt) // carol looks first...
	e.read(bob, p)                    // ...bob's webapp reports before the poll runs
	_, err := e.svc.PollViews()
	require.NoError(t, err)

	page, err := e.svc.Readers(alice, p, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	require.NoError(t, err)
	assert.Equal(t, []string{"carol", "bob"}, names(page.Users))
	assert.Equal(t, viewedAt, page.Users[0].ReadAt)
	assert.Less(t, page.Users[0].ReadAt, page.Users[1].ReadAt)
}

// TestLateOldReadAfterManyReadsKeepsTheListSorted: a view applied after more
// than 64 later reads keeps its time and its place, and paging still sees
// everyone once.
func TestLateOldReadAfterManyReadsKeepsTheListSorted(t *testing.T) {
	e := newEnv(t)
	author := e.mm.addUser("author")
	var readers []string
	for i := 0; i < 80; i++ {
		readers = append(readers, e.mm.addUser(fmt.Sprintf("r%02d", i)))
	}
	late := e.mm.addUser("late")
	ch := e.mm.addChannel(receipts.ChannelPrivate, append([]string{author, late}, readers...)...)
	p := e.post(ch, author)
	viewedAt := e.clock().UnixMilli()
	e.mm.view(ch, late, viewedAt) // seen before anyone else read
	for _, r := range readers {
		e.read(r, p)
	}
	_, err := e.svc.PollViews()
	require.NoError(t, err)

	all := pageAllReaders(t, e.svc, author, p, 7)
	require.Len(t, all, 81)
	assertOnceEachByReadTime(t, all)
	assert.Equal(t, "late", all[0].Username, "the earliest read, listed first")
	assert.Equal(t, viewedAt, all[0].ReadAt, "at the time of the view")
	r, _ := e.svc.QueryReceipts(author, []string{p})
	assert.Equal(t, 81, r.Receipts[0].ReadCount)
}

// TestManyLateReadsStaySortedAndComplete: more late reads than Late holds
// are listed after the chunks, and the whole list stays sorted and complete.
func TestManyLateReadsStaySortedAndComplete(t *testing.T) {
	e := newEnv(t)
	author := e.mm.addUser("author")
	var early, late []string
	for i := 0; i < 80; i++ {
		early = append(early, e.mm.addUser(fmt.Sprintf("e%02d", i)))
	}
	for i := 0; i < 70; i++ {
		late = append(late, e.mm.addUser(fmt.Sprintf("l%02d", i)))
	}
	ch := e.mm.addChannel(receipts.ChannelPrivate, append(append([]string{author}, early...), late...)...)
	p := e.post(ch, author)
	for _, u := range late {
		e.mm.view(ch, u, e.clock().UnixMilli())
	}
	for _, u := range early {
		e.read(u, p)
	}
	_, err := e.svc.PollViews()
	require.NoError(t, err)

	all := pageAllReaders(t, e.svc, author, p, 9)
	require.Len(t, all, 150)
	assertOnceEachByReadTime(t, all)
	assert.Equal(t, "l00", all[0].Username)
}

// pageAllReaders follows a post's read list to its end, perPage at a time.
func pageAllReaders(t *testing.T, svc *receipts.Service, author, postID string, perPage int) []receipts.ReaderUser {
	t.Helper()
	var all []receipts.ReaderUser
	q := receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: perPage}
	for {
		page, err := svc.Readers(author, postID, q)
		require.NoError(t, err)
		all = append(all, page.Users...)
		if page.IsFinished {
			return all
		}
		q.Cursor = page.NextCursor
	}
}

// assertOnceEachByReadTime checks that nobody is listed twice and that the
// list is sorted by read time.
func assertOnceEachByReadTime(t *testing.T, list []receipts.ReaderUser) {
	t.Helper()
	seen := map[string]bool{}
	for i, u := range list {
		assert.False(t, seen[u.UserID], "listed twice: %s", u.Username)
		seen[u.UserID] = true
		if i > 0 {
			assert.LessOrEqual(t, list[i-1].ReadAt, u.ReadAt, "sorted by read time at %d", i)
		}
	}
}

// receiptsSent counts the receipts carried by receipts events.
func receiptsSent(events []event) int {
	n := 0
	for _, ev := range events {
		if ev.name == receipts.EventReceipts {
			n += len(ev.payload["receipts"].([]any))
		}
	}
	return n
}

// TestEventsAreBatchedPerAuthor: a conversation-level read of many posts
// sends each author one event listing their posts, not one event per post.
func TestEventsAreBatchedPerAuthor(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	for range 30 {
		e.post(ch, alice)
		e.post(ch, bob)
	}
	_, err := e.svc.MarkChannelRead(carol, ch, -1)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return receiptsSent(e.pub.all()) == 60 }, 5*time.Second, time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	perAuthor := map[string]int{}
	for _, ev := range e.pub.all() {
		perAuthor[ev.userID]++
	}
	t.Logf("events per author for 30 posts each: %v", perAuthor)
	// One each, unless the machine is so slow that the read outlasts a batch.
	assert.LessOrEqual(t, perAuthor[alice], 3)
	assert.LessOrEqual(t, perAuthor[bob], 3)
}
