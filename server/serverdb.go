package main

import (
	"database/sql"
	"sync"

	"github.com/lib/pq"
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// serverDB reads from the server's own database, through a small pool of the
// plugin's own opened with the server's data source, or else the handle the
// plugin API lends plugins (see dbhandle.go): channel memberships (who, and
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
// each (and a single key with one statement instead of an API call and two
// statements, see store.PluginKV). The compare-and-set is the one the plugin
// API's KVCompareAndSet runs (the plugin KV store has no cache in front of
// it), for many rows at once; every other write goes through the plugin API.
// The integration tests run it on the real server; without a handle the
// plugin API is used instead.
type serverDB struct {
	db *statements
	// pluginID is whose rows of PluginKeyValueStore the KV statements use.
	pluginID string
}

// lazyServerDB opens the handle on first use and remembers a failure, after
// which the plugin API is used. Statements are prepared on a handle of the
// plugin's own (prepare): on the lent one, preparing saves no round trip.
func lazyServerDB(open func() (*sql.DB, error), prepare func() bool, warn func(msg string, kv ...any)) func() *serverDB {
	var once sync.Once
	var v *serverDB
	return func() *serverDB {
		once.Do(func() {
			db, err := open()
			if err != nil || db == nil {
				warn("no database handle; reading channel views through the plugin API", "err", errString(err))
				return
			}
			v = &serverDB{db: &statements{db: db}, pluginID: pluginID}
			v.db.unprepared.Store(!prepare())
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

// The queries below return one row of arrays, not a row per member, post or
// channel: the handle goes through RPC for every row (see kvdb.go).

func (v *serverDB) channelViews(channelID string) ([]receipts.View, error) {
	var users pq.StringArray
	var viewed pq.Int64Array
	err := v.db.queryRow(`SELECT COALESCE(array_agg(UserId), '{}'), COALESCE(array_agg(LastViewedAt), '{}')
		FROM ChannelMembers WHERE ChannelId = $1`, channelID).Scan(&users, &viewed)
	if err := aligned(err, len(users), len(viewed)); err != nil {
		return nil, errors.Wrap(err, "failed to read channel views")
	}
	out := make([]receipts.View, len(users))
	for i := range users {
		out[i] = receipts.View{UserID: users[i], LastViewedAt: viewed[i]}
	}
	return out, nil
}

// aligned is the query's error, or an error when the aggregated columns it
// read differ in length (they are one row each of the same rows).
func aligned(err error, lengths ...int) error {
	if err != nil {
		return err
	}
	for _, n := range lengths {
		if n != lengths[0] {
			return errors.New("the aggregated columns differ in length")
		}
	}
	return nil
}

func (v *serverDB) digests(channelIDs []string) (map[string]receipts.ViewDigest, error) {
	var ids pq.StringArray
	var members, sums, lastPosts pq.Int64Array
	err := v.db.queryRow(`SELECT COALESCE(array_agg(id), '{}'), COALESCE(array_agg(n), '{}'),
			COALESCE(array_agg(viewed), '{}'), COALESCE(array_agg(lastpost), '{}')
		FROM (SELECT cm.ChannelId AS id, COUNT(*) AS n, COALESCE(SUM(cm.LastViewedAt), 0)::bigint AS viewed,
				MAX(c.LastPostAt) AS lastpost
			FROM ChannelMembers cm JOIN Channels c ON c.Id = cm.ChannelId
			WHERE cm.ChannelId = ANY($1) GROUP BY cm.ChannelId) per_channel`,
		pq.Array(channelIDs)).Scan(&ids, &members, &sums, &lastPosts)
	if err := aligned(err, len(ids), len(members), len(sums), len(lastPosts)); err != nil {
		return nil, errors.Wrap(err, "failed to sum up channel views")
	}
	out := make(map[string]receipts.ViewDigest, len(ids))
	for i, id := range ids {
		out[id] = receipts.ViewDigest{Members: int(members[i]), Sum: sums[i], LastPostAt: lastPosts[i]}
	}
	return out, nil
}

func (v *serverDB) total(channelIDs []string) (receipts.ViewDigest, error) {
	var d receipts.ViewDigest
	err := v.db.queryRow(`SELECT COUNT(*), COALESCE(SUM(cm.LastViewedAt), 0), COALESCE(SUM(c.LastPostAt), 0)
		FROM ChannelMembers cm JOIN Channels c ON c.Id = cm.ChannelId
		WHERE cm.ChannelId = ANY($1)`, pq.Array(channelIDs)).Scan(&d.Members, &d.Sum, &d.LastPostAt)
	return d, errors.Wrap(err, "failed to sum up all channel views")
}

func (v *serverDB) members(channelID string) ([]receipts.Member, error) {
	var ids, names pq.StringArray
	var bots, active pq.BoolArray
	err := v.db.queryRow(`SELECT COALESCE(array_agg(u.Id), '{}'), COALESCE(array_agg(u.Username), '{}'),
			COALESCE(array_agg(b.UserId IS NOT NULL), '{}'), COALESCE(array_agg(u.DeleteAt = 0), '{}')
		FROM ChannelMembers cm JOIN Users u ON u.Id = cm.UserId LEFT JOIN Bots b ON b.UserId = u.Id
		WHERE cm.ChannelId = $1`, channelID).Scan(&ids, &names, &bots, &active)
	if err := aligned(err, len(ids), len(names), len(bots), len(active)); err != nil {
		return nil, errors.Wrap(err, "failed to read channel members")
	}
	out := make([]receipts.Member, len(ids))
	for i := range ids {
		out[i] = receipts.Member{UserID: ids[i], Username: names[i], IsBot: bots[i], Active: active[i]}
	}
	return out, nil
}

// postsSince lists what the domain needs of the channel's posts created at or
// after since, but the user except's (none when except is empty: every post
// has a user): the props as text ('true' for true or "true"). Leaving out the
// author of a burst, in the statement, keeps each of its looks from listing
// the whole burst.
func (v *serverDB) postsSince(channelID string, since int64, except string) ([]receipts.Post, error) {
	var ids, users, roots, types, fromWebhook, readReceipt pq.StringArray
	var created pq.Int64Array
	var asks pq.BoolArray
	err := v.db.queryRow(`SELECT COALESCE(array_agg(Id), '{}'), COALESCE(array_agg(UserId), '{}'),
			COALESCE(array_agg(RootId), '{}'), COALESCE(array_agg(CreateAt), '{}'), COALESCE(array_agg(Type), '{}'),
			COALESCE(array_agg(COALESCE(Props->>'from_webhook', '')), '{}'),
			COALESCE(array_agg(Props ? 'read_receipt'), '{}'), COALESCE(array_agg(COALESCE(Props->>'read_receipt', '')), '{}')
		FROM Posts WHERE ChannelId = $1 AND DeleteAt = 0 AND CreateAt >= $2 AND UserId <> $3`, channelID, since, except).
		Scan(&ids, &users, &roots, &created, &types, &fromWebhook, &asks, &readReceipt)
	if err := aligned(err, len(ids), len(users), len(roots), len(created), len(types), len(fromWebhook), len(asks), len(readReceipt)); err != nil {
		return nil, errors.Wrap(err, "failed to list recent posts")
	}
	out := make([]receipts.Post, len(ids))
	for i := range ids {
		out[i] = receipts.Post{ID: ids[i], ChannelID: channelID, UserID: users[i], RootID: roots[i],
			CreateAt: created[i], Type: types[i], FromWebhook: fromWebhook[i] == "true"}
		if asks[i] {
			asked := readReceipt[i] == "true"
			out[i].ReadReceipt = &asked
		}
	}
	return out, nil
}
