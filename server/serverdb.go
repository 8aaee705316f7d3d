package main

import (
	"database/sql"
	"sync"

	"github.com/lib/pq"
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// serverDB reads from the server's own database, through the handle the
// plugin API lends plugins (pluginapi's store): channel memberships (who, and
// when they last viewed) and, read-only, many of the plugin's own KV values
// at once. This couples the plugin to a few columns of Mattermost's schema
// (ChannelMembers: ChannelId, UserId, LastViewedAt;
// Posts: Id, ChannelId, UserId, RootId, CreateAt, DeleteAt, Type, Props; Channels: Id, LastPostAt;
// Users: Id, Username, DeleteAt; Bots: UserId; PluginKeyValueStore: PluginId,
// PKey, PValue, ExpireAt; PostgreSQL, the only database Mattermost 11
// supports), in exchange for reading a channel's members or views with one
// indexed query instead of one API call per 200 members, for telling with one
// summary query which channels had a view move at all, for listing a channel's
// newest posts without their metadata, and for reading, and compare-and-setting,
// the records of a batch of posts with one statement instead of one API call
// each. The compare-and-set is the one the plugin API's KVCompareAndSet runs
// (the plugin KV store has no cache in front of it), for many rows at once;
// every other write goes through the plugin API. The integration tests run it
// on the real server; without a handle the plugin API is used instead.
type serverDB struct {
	db *sql.DB
}

// lazyServerDB opens the handle on first use and remembers a failure, after
// which the plugin API is used.
func lazyServerDB(open func() (*sql.DB, error), warn func(msg string, kv ...any)) func() *serverDB {
	var once sync.Once
	var v *serverDB
	return func() *serverDB {
		once.Do(func() {
			db, err := open()
			if err != nil || db == nil {
				warn("no database handle; reading channel views through the plugin API", "err", errString(err))
				return
			}
			v = &serverDB{db: db}
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

func (v *serverDB) channelViews(channelID string) ([]receipts.View, error) {
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

func (v *serverDB) digests(channelIDs []string) (map[string]receipts.ViewDigest, error) {
	rows, err := v.db.Query(`SELECT cm.ChannelId, COUNT(*), COALESCE(SUM(cm.LastViewedAt), 0), MAX(c.LastPostAt)
		FROM ChannelMembers cm JOIN Channels c ON c.Id = cm.ChannelId
		WHERE cm.ChannelId = ANY($1) GROUP BY cm.ChannelId`, pq.Array(channelIDs))
	if err != nil {
		return nil, errors.Wrap(err, "failed to sum up channel views")
	}
	defer rows.Close()
	out := make(map[string]receipts.ViewDigest, len(channelIDs))
	for rows.Next() {
		var id string
		var d receipts.ViewDigest
		if err := rows.Scan(&id, &d.Members, &d.Sum, &d.LastPostAt); err != nil {
			return nil, errors.Wrap(err, "failed to read a view summary")
		}
		out[id] = d
	}
	return out, errors.Wrap(rows.Err(), "failed to sum up channel views")
}

func (v *serverDB) total(channelIDs []string) (receipts.ViewDigest, error) {
	var d receipts.ViewDigest
	err := v.db.QueryRow(`SELECT COUNT(*), COALESCE(SUM(cm.LastViewedAt), 0), COALESCE(SUM(c.LastPostAt), 0)
		FROM ChannelMembers cm JOIN Channels c ON c.Id = cm.ChannelId
		WHERE cm.ChannelId = ANY($1)`, pq.Array(channelIDs)).Scan(&d.Members, &d.Sum, &d.LastPostAt)
	return d, errors.Wrap(err, "failed to sum up all channel views")
}

func (v *serverDB) members(channelID string) ([]receipts.Member, error) {
	rows, err := v.db.Query(`SELECT u.Id, u.Username, b.UserId IS NOT NULL, u.DeleteAt = 0 FROM ChannelMembers cm
		JOIN Users u ON u.Id = cm.UserId LEFT JOIN Bots b ON b.UserId = u.Id WHERE cm.ChannelId = $1`, channelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to read channel members")
	}
	defer rows.Close()
	var out []receipts.Member
	for rows.Next() {
		var m receipts.Member
		if err := rows.Scan(&m.UserID, &m.Username, &m.IsBot, &m.Active); err != nil {
			return nil, errors.Wrap(err, "failed to read a channel member")
		}
		out = append(out, m)
	}
	return out, errors.Wrap(rows.Err(), "failed to read channel members")
}

// postsSince lists what the domain needs of the channel's posts created at or
// after since: the props as text ('true' for true or "true").
func (v *serverDB) postsSince(channelID string, since int64) ([]receipts.Post, error) {
	rows, err := v.db.Query(`SELECT Id, UserId, RootId, CreateAt, Type,
		COALESCE(Props->>'from_webhook', ''), Props->>'read_receipt'
		FROM Posts WHERE ChannelId = $1 AND DeleteAt = 0 AND CreateAt >= $2`, channelID, since)
	if err != nil {
		return nil, errors.Wrap(err, "failed to list recent posts")
	}
	defer rows.Close()
	var out []receipts.Post
	for rows.Next() {
		p := receipts.Post{ChannelID: channelID}
		var fromWebhook string
		var readReceipt sql.NullString
		if err := rows.Scan(&p.ID, &p.UserID, &p.RootID, &p.CreateAt, &p.Type, &fromWebhook, &readReceipt); err != nil {
			return nil, errors.Wrap(err, "failed to read a recent post")
		}
		p.FromWebhook = fromWebhook == "true"
		if readReceipt.Valid {
			asked := readReceipt.String == "true"
			p.ReadReceipt = &asked
		}
		out = append(out, p)
	}
	return out, errors.Wrap(rows.Err(), "failed to list recent posts")
}
