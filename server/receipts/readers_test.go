package receipts_test

import (
	"fmt"
	"testing"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func names(users []receipts.ReaderUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Username
	}
	return out
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
