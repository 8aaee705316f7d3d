package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// A round of posted hooks looks for the channel's recent posts before its
// author's implied read, leaving out the author's own: the statement must
// leave them out (a burst's look listed all of it each round), and list
// everyone's posts when no user is named. It runs on a temporary copy of
// Posts, in one session.
func TestRecentPostsLeaveOutOneUser(t *testing.T) {
	db := testDatabase(t)
	db.SetMaxOpenConns(1) // the temporary table lives in one session
	for _, stmt := range []string{
		`CREATE TEMPORARY TABLE Posts (LIKE public.Posts INCLUDING ALL)`,
		`INSERT INTO Posts (Id, ChannelId, UserId, RootId, CreateAt, DeleteAt, Type, Props) VALUES
			('p1', 'ch', 'alice', '', 1000, 0, '', '{}'), ('p2', 'ch', 'bob', '', 1001, 0, '', '{"read_receipt": true}'),
			('p3', 'ch', 'alice', '', 1002, 0, '', '{}'), ('p4', 'other', 'bob', '', 1003, 0, '', '{}'),
			('p5', 'ch', 'bob', '', 999, 0, '', '{}')`,
	} {
		_, err := db.ExecContext(context.Background(), stmt)
		require.NoError(t, err, stmt)
	}
	v := &serverDB{db: &statements{db: db}, pluginID: pluginID}
	ids := func(except string) []string {
		posts, err := v.postsSince("ch", 1000, except)
		require.NoError(t, err)
		var out []string
		for _, p := range posts {
			out = append(out, p.ID)
		}
		return out
	}
	require.ElementsMatch(t, []string{"p2"}, ids("alice"))
	require.ElementsMatch(t, []string{"p1", "p3"}, ids("bob"))
	require.ElementsMatch(t, []string{"p1", "p2", "p3"}, ids(""))
}
