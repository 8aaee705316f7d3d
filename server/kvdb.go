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

// pluginValues reads the keys' values; a value whose hash is its guess's is
// not sent, and the guess is returned for it.
func (v *serverDB) pluginValues(keys []string, guesses [][]byte, now int64) (map[string][]byte, error) {
	var found pq.StringArray
	var values pq.ByteaArray
	var same pq.BoolArray
	err := v.db.queryRow(`SELECT COALESCE(array_agg(kv.PKey), '{}'),
			COALESCE(array_agg(CASE WHEN c.same THEN ''::bytea ELSE kv.PValue END), '{}'),
			COALESCE(array_agg(c.same), '{}')
		FROM unnest($2::text[], $3::bytea[]) AS g(key, hash)
		JOIN PluginKeyValueStore AS kv ON kv.PluginId = $1 AND kv.PKey = g.key
		CROSS JOIN LATERAL (SELECT COALESCE(sha256(kv.PValue) = g.hash, false) AS same) AS c
		WHERE kv.ExpireAt = 0 OR kv.ExpireAt > $4`,
		pluginID, pq.Array(keys), pq.ByteaArray(hashes(guesses)), now).Scan(&found, &values, &same)
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
	err := v.db.queryRow(`WITH guard AS (
		SELECT $6 = '' OR sha256(COALESCE((SELECT g.PValue FROM PluginKeyValueStore AS g
			WHERE g.PluginId = $1 AND g.PKey = $6 AND (g.ExpireAt = 0 OR g.ExpireAt > $5)), ''::bytea)) = $7 AS held),
		written AS (
		UPDATE PluginKeyValueStore AS kv SET PValue = c.new, ExpireAt = 0
		FROM unnest($2::text[], $3::bytea[], $4::bytea[]) AS c(key, old, new), guard
		WHERE guard.held AND kv.PluginId = $1 AND kv.PKey = c.key AND sha256(kv.PValue) = c.old
			AND (kv.ExpireAt = 0 OR kv.ExpireAt > $5)
		RETURNING kv.PKey)
		SELECT COALESCE(array_agg(PKey), '{}') FROM written`,
		pluginID, pq.Array(keys), pq.ByteaArray(hashes(olds)), pq.ByteaArray(news), now, guardKey, want[:]).Scan(&updated)
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
		pluginID, pq.Array(keys), pq.ByteaArray(values), now).Scan(&inserted)
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
