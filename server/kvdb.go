package main

import (
	"crypto/sha256"
	"time"

	"github.com/lib/pq"
	"github.com/pkg/errors"
)

// bulkKV reads and compare-and-sets many of the plugin's KV values with one
// statement each (see serverDB), with the plugin API's semantics: expired
// values count as absent, and a compare-and-set writes a value that does not
// expire.
type bulkKV struct {
	db func() *serverDB
}

func (b bulkKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	v := b.db()
	if v == nil {
		return nil, false, nil
	}
	values, err := v.pluginValues(keys, guesses, time.Now().UnixMilli())
	return values, true, err
}

func (b bulkKV) CompareAndSetMany(keys []string, olds, news [][]byte, guardKey string, guard []byte) (map[string]bool, bool, error) {
	v := b.db()
	if v == nil {
		return nil, false, nil
	}
	written, err := v.comparePluginValues(keys, olds, news, guardKey, guard, time.Now().UnixMilli())
	return written, true, err
}

func (b bulkKV) InsertMany(keys []string, values [][]byte) (map[string]bool, bool, error) {
	v := b.db()
	if v == nil {
		return nil, false, nil
	}
	inserted, err := v.insertPluginValues(keys, values, time.Now().UnixMilli())
	return inserted, true, err
}

// Rows are aggregated into arrays: the handle the plugin API lends plugins
// (the fallback, see dbhandle.go) goes through RPC for every row it returns,
// so one row of arrays costs one round trip where a row per key would cost
// one per key. Values are compared by their SHA-256 in the database, so that
// a value the plugin already holds is not sent again.
//
// Each statement finds its rows one key at a time, through the primary key,
// in a LATERAL subquery with LIMIT 1 (which PostgreSQL cannot merge into a
// join it would order by its estimates), and the UPDATE then reaches them by
// their ctid (kv.ctid = ANY(...) beside the join, so that whichever side
// PostgreSQL starts from, it reads the table by those ctids). A plain join of
// the batch to PluginKeyValueStore was planned from statistics: taken while
// the table was nearly empty (a new install, before autovacuum re-analyzes
// it) they made PostgreSQL scan every row of the plugin and match each
// against the whole batch, 2.3 ms for a batch of 60 on 212 rows here,
// growing with the plugin's rows (TestBatchStatementsTouchOnlyTheirRows).
// The ctid is also the compare-and-set: a row another transaction updated
// since the statement's snapshot has a new ctid, so it is not written (and is
// reported unwritten).

// readValuesSQL reads the keys' values ($2) of plugin $1, each with whether
// its hash is the guess's ($3), unless expired at $4.
const readValuesSQL = `SELECT COALESCE(array_agg(kv.PKey), '{}'),
		COALESCE(array_agg(CASE WHEN c.same THEN ''::bytea ELSE kv.PValue END), '{}'),
		COALESCE(array_agg(c.same), '{}')
	FROM unnest($2::text[], $3::bytea[]) AS g(key, hash)
	CROSS JOIN LATERAL (SELECT r.PKey, r.PValue FROM PluginKeyValueStore AS r
		WHERE r.PluginId = $1 AND r.PKey = g.key AND (r.ExpireAt = 0 OR r.ExpireAt > $4) LIMIT 1) AS kv
	CROSS JOIN LATERAL (SELECT COALESCE(sha256(kv.PValue) = g.hash, false) AS same) AS c`

// compareValuesSQL writes each key's new value ($4) of plugin $1 where its
// hash is still the old one's ($3), unless expired at $5, and only if the
// guard key $6 (none: ”) still has the hash $7; it returns the keys written.
const compareValuesSQL = `WITH guard AS (
		SELECT $6 = '' OR sha256(COALESCE((SELECT g.PValue FROM PluginKeyValueStore AS g
			WHERE g.PluginId = $1 AND g.PKey = $6 AND (g.ExpireAt = 0 OR g.ExpireAt > $5)), ''::bytea)) = $7 AS held),
	target AS (
		SELECT c.key, c.new, r.ctid AS row_id FROM unnest($2::text[], $3::bytea[], $4::bytea[]) AS c(key, old, new)
		CROSS JOIN LATERAL (SELECT k.ctid FROM PluginKeyValueStore AS k
			WHERE k.PluginId = $1 AND k.PKey = c.key AND sha256(k.PValue) = c.old
				AND (k.ExpireAt = 0 OR k.ExpireAt > $5) LIMIT 1) AS r),
	written AS (
		UPDATE PluginKeyValueStore AS kv SET PValue = t.new, ExpireAt = 0
		FROM target AS t, guard
		WHERE guard.held AND kv.ctid = ANY(ARRAY(SELECT row_id FROM target)) AND kv.ctid = t.row_id
		RETURNING kv.PKey)
	SELECT COALESCE(array_agg(PKey), '{}') FROM written`

// pluginValues reads the keys' values; a value whose hash is its guess's is
// not sent, and the guess is returned for it.
func (v *serverDB) pluginValues(keys []string, guesses [][]byte, now int64) (map[string][]byte, error) {
	var found pq.StringArray
	var values pq.ByteaArray
	var same pq.BoolArray
	err := v.db.queryRow(readValuesSQL,
		v.pluginID, pq.Array(keys), pq.ByteaArray(hashes(guesses)), now).Scan(&found, &values, &same)
	if err := aligned(err, len(found), len(values), len(same)); err != nil {
		return nil, errors.Wrap(err, "failed to read KV values")
	}
	guessOf := make(map[string][]byte, len(keys))
	for i, key := range keys {
		guessOf[key] = guesses[i]
	}
	out := make(map[string][]byte, len(found))
	for i, key := range found {
		if same[i] {
			out[key] = guessOf[key]
		} else {
			out[key] = values[i]
		}
	}
	return out, nil
}

// hashes are the SHA-256 of each value (nil for nil).
func hashes(values [][]byte) [][]byte {
	out := make([][]byte, len(values))
	for i, v := range values {
		if v != nil {
			h := sha256.Sum256(v)
			out[i] = h[:]
		}
	}
	return out
}

// comparePluginValues is one UPDATE of every row whose value is still the
// old one (by its hash: the old value need not cross the bridge); PostgreSQL
// decides each row on its own. With a guard key, nothing is written unless
// that key's value is still guard (nil: absent); the guard is read once, in
// the statement's snapshot, like the rows.
func (v *serverDB) comparePluginValues(keys []string, olds, news [][]byte, guardKey string, guard []byte, now int64) (map[string]bool, error) {
	want := sha256.Sum256(guard)
	var updated pq.StringArray
	err := v.db.queryRow(compareValuesSQL,
		v.pluginID, pq.Array(keys), pq.ByteaArray(hashes(olds)), pq.ByteaArray(news), now, guardKey, want[:]).Scan(&updated)
	if err != nil {
		return nil, errors.Wrap(err, "failed to write KV values")
	}
	return keySet(updated), nil
}

// insertPluginValues is one INSERT of every key that is absent (or whose
// value has expired); PostgreSQL decides each row on its own.
func (v *serverDB) insertPluginValues(keys []string, values [][]byte, now int64) (map[string]bool, error) {
	var inserted pq.StringArray
	err := v.db.queryRow(`WITH inserted AS (
		INSERT INTO PluginKeyValueStore AS kv (PluginId, PKey, PValue, ExpireAt)
		SELECT $1, c.key, c.value, 0 FROM unnest($2::text[], $3::bytea[]) AS c(key, value)
		ON CONFLICT (PluginId, PKey) DO UPDATE SET PValue = EXCLUDED.PValue, ExpireAt = 0
			WHERE kv.ExpireAt <> 0 AND kv.ExpireAt <= $4
		RETURNING kv.PKey)
		SELECT COALESCE(array_agg(PKey), '{}') FROM inserted`,
		v.pluginID, pq.Array(keys), pq.ByteaArray(values), now).Scan(&inserted)
	if err != nil {
		return nil, errors.Wrap(err, "failed to insert KV values")
	}
	return keySet(inserted), nil
}

// keySet is the keys a statement wrote, as a set.
func keySet(keys []string) map[string]bool {
	out := make(map[string]bool, len(keys))
	for _, key := range keys {
		out[key] = true
	}
	return out
}
