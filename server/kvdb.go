package main

import (
	"time"

	"github.com/lib/pq"
	"github.com/pkg/errors"
)

// bulkKVReader reads many of the plugin's KV values with one query (see
// serverDB), as the plugin API's KVGet would one by one: values of keys that
// expired are left out, like absent keys.
func bulkKVReader(db func() *serverDB) func(keys []string) (map[string][]byte, bool, error) {
	return func(keys []string) (map[string][]byte, bool, error) {
		v := db()
		if v == nil {
			return nil, false, nil
		}
		values, err := v.pluginValues(keys, time.Now().UnixMilli())
		return values, true, err
	}
}

func (v *serverDB) pluginValues(keys []string, now int64) (map[string][]byte, error) {
	rows, err := v.db.Query(`SELECT PKey, PValue FROM PluginKeyValueStore
		WHERE PluginId = $1 AND PKey = ANY($2) AND (ExpireAt = 0 OR ExpireAt > $3)`,
		pluginID, pq.Array(keys), now)
	if err != nil {
		return nil, errors.Wrap(err, "failed to read KV values")
	}
	defer rows.Close()
	out := make(map[string][]byte, len(keys))
	for rows.Next() {
		var key string
		var value []byte
		if err := rows.Scan(&key, &value); err != nil {
			return nil, errors.Wrap(err, "failed to read a KV value")
		}
		out[key] = value
	}
	return out, errors.Wrap(rows.Err(), "failed to read KV values")
}
