package integration

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestReaderLists checks GET /posts/{id}/readers: order, paging, counts and who may ask.
func TestReaderLists(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 7, "member")
	outsider := env.NewUser(t, "outsider")
	ch := env.PrivateChannel(t, author, members...)
	post := postTracked(t, author, ch.Id, "who read this?")

	readOrder := []*mmtest.User{members[5], members[1], members[3], members[0]}
	for _, u := range readOrder {
		requireRecorded(t, u, post.Id)
	}
	unread := []*mmtest.User{members[2], members[4], members[6]}

	t.Run("read list in read order, paged", func(t *testing.T) {
		for _, perPage := range []int{1, 3, 4, 100} {
			got := allReaders(t, author, post.Id, "read", perPage)
			require.Equal(t, ids(readOrder...), readerIDs(got), "per_page %d", perPage)
			for i, r := range got {
				assert.Equal(t, readOrder[i].Username, r.Username)
				assert.GreaterOrEqual(t, r.ReadAt, post.CreateAt)
				if i > 0 {
					assert.GreaterOrEqual(t, r.ReadAt, got[i-1].ReadAt, "read_at order")
				}
			}
		}
	})

	t.Run("unread list by username, paged", func(t *testing.T) {
		for _, perPage := range []int{1, 2, 100} {
			got := allReaders(t, author, post.Id, "unread", perPage)
			names := make([]string, 0, len(got))
			for _, r := range got {
				names = append(names, r.Username)
				assert.Zero(t, r.ReadAt, "read_at in the unread list")
			}
			assert.Equal(t, sortedUsernames(unread...), names, "per_page %d", perPage)
		}
	})

	t.Run("filter defaults to read and per_page to 100", func(t *testing.T) {
		page, res, err := author.Plugin.Readers(t.Context(), post.Id, "", "", 0)
		requireOK(t, res, err)
		assert.Equal(t, ids(readOrder...), readerIDs(page.Users))
		assert.True(t, page.IsFinished)
		assert.Empty(t, page.NextCursor)
	})

	t.Run("every page carries the counts", func(t *testing.T) {
		for _, filter := range []string{"read", "unread"} {
			page, res, err := author.Plugin.Readers(t.Context(), post.Id, filter, "", 1)
			requireOK(t, res, err)
			assert.Equal(t, 4, page.ReadCount, filter)
			assert.Equal(t, 3, page.UnreadCount, filter)
			assert.Len(t, page.Users, 1)
			assert.False(t, page.IsFinished)
			assert.NotEmpty(t, page.NextCursor)
		}
	})

	t.Run("only the author", func(t *testing.T) {
		tests := []struct {
			name   string
			caller *mmtest.User
			status int
		}{
			{"a member who read it", members[5], http.StatusForbidden},
			{"a member who did not", members[2], http.StatusForbidden},
			{"someone who cannot see the channel", outsider, http.StatusNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, res, err := tc.caller.Plugin.Readers(t.Context(), post.Id, "read", "", 0)
				require.NoError(t, err)
				requireAPIError(t, res, tc.status)
			})
		}
	})

	t.Run("unknown post is 404", func(t *testing.T) {
		_, res, err := author.Plugin.Readers(t.Context(), randomID(), "read", "", 0)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusNotFound)
	})
}

// TestReaderPagingWhileReadsArrive: reads that arrive between pages never make
// a page repeat or skip a user who had read before paging started.
func TestReaderPagingWhileReadsArrive(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 9, "member")
	ch := env.PublicChannel(t, author, members...)
	post := postTracked(t, author, ch.Id, "paging")
	early, later := members[:5], members[5:]
	for _, u := range early {
		requireRecorded(t, u, post.Id)
	}

	t.Run("read list", func(t *testing.T) {
		var got []string
		cursor := ""
		for page := 0; ; page++ {
			require.Less(t, page, 100)
			out, res, err := author.Plugin.Readers(t.Context(), post.Id, "read", cursor, 2)
			requireOK(t, res, err)
			got = append(got, readerIDs(out.Users)...)
			if page < 2 { // two more reads arrive after each of the first pages
				for _, u := range later[page*2 : page*2+2] {
					requireRecorded(t, u, post.Id)
				}
			}
			if out.IsFinished {
				break
			}
			cursor = out.NextCursor
		}
		assertNoRepeats(t, got)
		for _, u := range early {
			assert.Contains(t, got, u.Id, "an early reader was skipped")
		}
		assert.Equal(t, ids(early...), got[:len(early)], "early readers first, in read order")
	})

	t.Run("unread list", func(t *testing.T) {
		// A fresh post that no one has read: while its unread list is paged,
		// the first and the last user by name read it.
		post2 := postTracked(t, author, ch.Id, "paging unread")
		var got []string
		cursor := ""
		for page := 0; ; page++ {
			require.Less(t, page, 100)
			out, res, err := author.Plugin.Readers(t.Context(), post2.Id, "unread", cursor, 2)
			requireOK(t, res, err)
			for _, r := range out.Users {
				got = append(got, r.Username)
			}
			if page == 0 {
				// Someone on a later page reads, someone on the first page too.
				sorted := sortedUsernames(members...)
				for _, u := range members {
					if u.Username == sorted[len(sorted)-1] || u.Username == sorted[0] {
						requireRecorded(t, u, post2.Id)
					}
				}
			}
			if out.IsFinished {
				break
			}
			cursor = out.NextCursor
		}
		assertNoRepeats(t, got)
		assert.True(t, slices.IsSorted(got), "unread list by username: %v", got)
		sorted := sortedUsernames(members...)
		for _, name := range sorted[1 : len(sorted)-1] {
			assert.Contains(t, got, name, "a user who never read was skipped")
		}
	})
}

func assertNoRepeats(t *testing.T, list []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range list {
		assert.False(t, seen[v], "%s repeated", v)
		seen[v] = true
	}
}
