package main

import (
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

func (b bulkKV) GetMany(keys []string) (map[string][]byte, bool, error) {
	v := b.db()
	if v == nil {
		return nil, false, nil
	}
	values, err := v.pluginValues(keys, time.Now().UnixMilli())
	return values, true, err
}

func (b bulkKV) CompareAndSetMany(keys []string, olds, news [][]byte) (map[string]bool, bool, error) {
	v := b.db()
	if v == nil {
		return nil, false, nil
	}
	written, err := v.comparePluginValues(keys, olds, news, time.Now().UnixMilli())
	return written, true, err
}

// Rows are aggregated into arrays: the handle the plugin API lends plugins
// goes through RPC for every row it returns, so one row of arrays costs one
// round trip where a row per key would cost one per key.

func (v *serverDB) pluginValues(keys []string, now int64) (map[string][]byte, error) {
	var found pq.StringArray
	var values pq.ByteaArray
	err := v.db.QueryRow(`SELECT COALESCE(array_agg(PKey), '{}'), COALESCE(array_agg(PValue), '{}')
		FROM PluginKeyValueStore
		WHERE PluginId = $1 AND PKey = ANY($2) AND (ExpireAt = 0 OR ExpireAt > $3)`,
		pluginID, pq.Array(keys), now).Scan(&found, &values)
	if err := aligned(err, len(found), len(values)); err != nil {
		return nil, errors.Wrap(err, "failed to read KV values")
	}
	out := make(map[string][]byte, len(found))
	for i, key := range found {
		out[key] = values[i]
	}
	return out, nil
}

// comparePluginValues is one UPDATE of every row whose value is still the
// old one; PostgreSQL decides each row on its own.
func (v *serverDB) comparePluginValues(keys []string, olds, news [][]byte, now int64) (map[string]bool, error) {
	var updated pq.StringArray
	err := v.db.QueryRow(`WITH written AS (
		UPDATE PluginKeyValueStore AS kv SET PValue = c.new, ExpireAt = 0
		FROM unnest($2::text[], $3::bytea[], $4::bytea[]) AS c(key, old, new)
		WHERE kv.PluginId = $1 AND kv.PKey = c.key AND kv.PValue = c.old AND (kv.ExpireAt = 0 OR kv.ExpireAt > $5)
		RETURNING kv.PKey)
		SELECT COALESCE(array_agg(PKey), '{}') FROM written`,
		pluginID, pq.Array(keys), pq.ByteaArray(olds), pq.ByteaArray(news), now).Scan(&updated)
	if err != nil {
		return nil, errors.Wrap(err, "failed to write KV values")
	}
	written := make(map[string]bool, len(updated))
	for _, key := range updated {
		written[key] = true
	}
	return written, nil
}
