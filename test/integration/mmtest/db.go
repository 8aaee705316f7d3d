package mmtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	// PostgreSQL driver for database/sql, registered as "postgres".
	_ "github.com/lib/pq"
)

// DB is the server's PostgreSQL database, for what the API cannot do or does
// not show: creating members past the unlicensed limit, and measuring the
// plugin's KV usage. Only the benchmark uses it.
type DB struct {
	*sql.DB
}

// DataSource is the server's database: MM_SQLSETTINGS_DATASOURCE, or the one
// build/server.sh creates on PG_PORT (default 55432).
func DataSource() string {
	if ds := os.Getenv("MM_SQLSETTINGS_DATASOURCE"); ds != "" {
		return ds
	}
	port := os.Getenv("PG_PORT")
	if port == "" {
		port = "55432"
	}
	return fmt.Sprintf("postgres://mmuser:mmuser@127.0.0.1:%s/mattermost?sslmode=disable&connect_timeout=10", port)
}

// OpenDB connects to DataSource and checks the connection.
func OpenDB(ctx context.Context) (*DB, error) {
	db, err := sql.Open("postgres", DataSource())
	if err != nil {
		return nil, fmt.Errorf("failed to open the database: %w", err)
	}
	db.SetMaxOpenConns(4)
	// The server restarts PostgreSQL during a benchmark: drop old connections.
	db.SetConnMaxIdleTime(5 * time.Second)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("failed to reach the database at %s: %w", redact(DataSource()), err)
	}
	return &DB{DB: db}, nil
}

func redact(ds string) string {
	if at := strings.LastIndex(ds, "@"); at >= 0 {
		if scheme := strings.Index(ds, "://"); scheme >= 0 && scheme < at {
			return ds[:scheme+3] + "…" + ds[at:]
		}
	}
	return ds
}

// transientKVPrefixes are keys that coordinate rather than store receipts:
// rate-limit windows and settings-change claims (both expire), and
// pluginapi's cluster job and mutex keys. KVBytes leaves them out so that a
// before/after difference counts what receipts cost.
var transientKVPrefixes = []string{"rl:", "cc:", "cron_", "mutex_"}

// KVUsage is the size of a plugin's stored keys and values.
type KVUsage struct {
	Bytes int64
	Keys  int64
}

// KVBytes sums the length of the keys and values the plugin keeps in
// PluginKeyValueStore (unexpired, without transientKVPrefixes), in all and
// by key prefix (what comes before the first ':').
func (db *DB) KVBytes(ctx context.Context, pluginID string) (KVUsage, map[string]KVUsage, error) {
	var conds []string
	args := []any{pluginID, time.Now().UnixMilli()}
	for _, p := range transientKVPrefixes {
		args = append(args, p+"%")
		conds = append(conds, fmt.Sprintf("pkey NOT LIKE $%d", len(args)))
	}
	q := `SELECT split_part(pkey, ':', 1), sum(octet_length(pkey) + coalesce(octet_length(pvalue), 0)), count(*)
		FROM pluginkeyvaluestore WHERE pluginid = $1 AND (expireat = 0 OR expireat > $2) AND ` +
		strings.Join(conds, " AND ") + ` GROUP BY 1`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return KVUsage{}, nil, fmt.Errorf("failed to measure the KV store: %w", err)
	}
	defer rows.Close()
	var total KVUsage
	byPrefix := map[string]KVUsage{}
	for rows.Next() {
		var prefix string
		var u KVUsage
		if err := rows.Scan(&prefix, &u.Bytes, &u.Keys); err != nil {
			return KVUsage{}, nil, err
		}
		byPrefix[prefix] = u
		total.Bytes += u.Bytes
		total.Keys += u.Keys
	}
	return total, byPrefix, rows.Err()
}

// columns lists a table's columns in order, from information_schema.
func columns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, fmt.Errorf("failed to read the columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("table %s has no columns (not a Mattermost database?)", table)
	}
	return cols, rows.Err()
}
