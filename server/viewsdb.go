package main

import (
	"database/sql"
	"sync"

	"github.com/lib/pq"
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// viewsDB reads channel memberships' last_viewed_at from the server's own
// database, through the handle the plugin API lends plugins (pluginapi's
// store). This couples the plugin to one column of Mattermost's schema
// (ChannelMembers: ChannelId, UserId, LastViewedAt; PostgreSQL, the only
// database Mattermost 11 supports), in exchange for reading a channel's
// views with one indexed query instead of one API call per 200 members, and
// for telling with one summary query which channels had a view move at all.
// The integration tests run it on the real server; without a handle the
// plugin API is used instead.
type viewsDB struct {
	db *sql.DB
}

// lazyViewsDB opens the handle on first use and remembers a failure, after
// which the plugin API is used.
func lazyViewsDB(open func() (*sql.DB, error), warn func(msg string, kv ...any)) func() *viewsDB {
	var once sync.Once
	var v *viewsDB
	return func() *viewsDB {
		once.Do(func() {
			db, err := open()
			if err != nil || db == nil {
				warn("no database handle; reading channel views through the plugin API", "err", errString(err))
				return
			}
			v = &viewsDB{db: db}
		})
		return v
	}
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return err.Error()
}

func (v *viewsDB) channelViews(channelID string) ([]receipts.View, error) {
	rows, err := v.db.Query(`SELECT UserId, LastViewedAt FROM ChannelMembers WHERE ChannelId = $1`, channelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to read channel views")
	}
	defer rows.Close()
	var out []receipts.View
	for rows.Next() {
		var view receipts.View
		if err := rows.Scan(&view.UserID, &view.LastViewedAt); err != nil {
			return nil, errors.Wrap(err, "failed to read a channel view")
		}
		out = append(out, view)
	}
	return out, errors.Wrap(rows.Err(), "failed to read channel views")
}

func (v *viewsDB) digests(channelIDs []string) (map[string]receipts.ViewDigest, error) {
	rows, err := v.db.Query(`SELECT ChannelId, COUNT(*), COALESCE(SUM(LastViewedAt), 0) FROM ChannelMembers
		WHERE ChannelId = ANY($1) GROUP BY ChannelId`, pq.Array(channelIDs))
	if err != nil {
		return nil, errors.Wrap(err, "failed to sum up channel views")
	}
	defer rows.Close()
	out := make(map[string]receipts.ViewDigest, len(channelIDs))
	for rows.Next() {
		var id string
		var d receipts.ViewDigest
		if err := rows.Scan(&id, &d.Members, &d.Sum); err != nil {
			return nil, errors.Wrap(err, "failed to read a view summary")
		}
		out[id] = d
	}
	return out, errors.Wrap(rows.Err(), "failed to sum up channel views")
}
