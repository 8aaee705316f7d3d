package mmtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"
)

// An unlicensed server refuses to create or activate users through the API
// past 250 active ones. For channels of thousands of members the benchmark
// copies a real user's rows in the database instead; the server must then be
// restarted (RestartServer) so that its caches see them.

// CopyEmailDomain is the e-mail domain of copied users: RemoveCopies (and a
// later run, after a crash) finds them by it.
const CopyEmailDomain = "copy.bench.readreceipts.test"

// ChannelCopies asks for the first Count copies to become members of a
// channel, with the template user's membership row of that channel.
type ChannelCopies struct {
	ChannelID string
	Count     int
}

// CopyUsers creates n users in one transaction by copying template's user row
// (new ids, usernames and e-mails; same password hash), its membership of
// team and its memberships of the channels. It returns the new ids.
func (db *DB) CopyUsers(ctx context.Context, templateID, teamID string, n int, channels []ChannelCopies) ([]string, error) {
	ids, names, emails := make([]string, n), make([]string, n), make([]string, n)
	for i := range ids {
		ids[i] = model.NewId()
		names[i] = "bc" + ids[i]
		emails[i] = names[i] + "@" + CopyEmailDomain
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("failed to begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	err = copyRows(ctx, tx, "users", "u.id = $1", []any{templateID},
		map[string]string{"id": "n.id", "username": "n.username", "email": "n.email", "authdata": "NULL"},
		"unnest($2::text[], $3::text[], $4::text[]) AS n(id, username, email)", n,
		pq.Array(ids), pq.Array(names), pq.Array(emails))
	if err == nil {
		err = copyRows(ctx, tx, "teammembers", "u.teamid = $1 AND u.userid = $2", []any{teamID, templateID},
			map[string]string{"userid": "n.id"}, "unnest($3::text[]) AS n(id)", n, pq.Array(ids))
	}
	for _, c := range channels {
		if err != nil {
			break
		}
		err = copyRows(ctx, tx, "channelmembers", "u.channelid = $1 AND u.userid = $2", []any{c.ChannelID, templateID},
			map[string]string{"userid": "n.id"}, "unnest($3::text[]) AS n(id)", c.Count, pq.Array(ids[:c.Count]))
	}
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("failed to commit the copied users: %w", err)
	}
	return ids, nil
}

// copyRows inserts one row per element of from (a set-returning expression
// named n) copying the row of table matching where (table alias u), with the
// columns in replace computed instead. Exactly want rows must be inserted.
func copyRows(ctx context.Context, tx *sql.Tx, table, where string, whereArgs []any,
	replace map[string]string, from string, want int, fromArgs ...any) error {
	cols, err := columns(ctx, tx, table)
	if err != nil {
		return err
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = "u." + c
		if r, ok := replace[c]; ok {
			sel[i] = r
		}
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s u, %s WHERE %s",
		table, strings.Join(cols, ", "), strings.Join(sel, ", "), table, from, where)
	res, err := tx.ExecContext(ctx, q, append(whereArgs, fromArgs...)...)
	if err != nil {
		return fmt.Errorf("failed to copy %s rows: %w", table, err)
	}
	if got, err := res.RowsAffected(); err != nil || got != int64(want) {
		return fmt.Errorf("copied %d %s rows, want %d (is the template row there?): %v", got, table, want, err)
	}
	return nil
}

// copyTables are the tables that may hold rows of copied users, deleted
// before the users themselves.
var copyTables = []string{"channelmembers", "channelmemberhistory", "teammembers", "preferences", "status", "sessions"}

// RemoveCopies deletes every copied user (CopyEmailDomain) and their rows in
// one transaction, and returns how many users it deleted.
func (db *DB) RemoveCopies(ctx context.Context) (int64, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("failed to begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	copies := "SELECT id FROM users WHERE email LIKE '%@' || $1"
	for _, t := range copyTables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE userid IN ("+copies+")", CopyEmailDomain); err != nil {
			return 0, fmt.Errorf("failed to delete the copies' %s rows: %w", t, err)
		}
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id IN ("+copies+")", CopyEmailDomain)
	if err != nil {
		return 0, fmt.Errorf("failed to delete the copied users: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, tx.Commit()
}
