package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
)

// testDatabaseEnv names a PostgreSQL with Mattermost's tables; make
// test-integration sets it to the local server's database.
const testDatabaseEnv = "READRECEIPTS_TEST_DATABASE"

// testDatabase opens the database named by testDatabaseEnv, closed when the
// test ends, or skips the test without one.
func testDatabase(t *testing.T) *sql.DB {
	t.Helper()
	dsn := os.Getenv(testDatabaseEnv)
	if dsn == "" {
		t.Skipf("needs %s, a PostgreSQL with Mattermost's tables (make test-integration sets it)", testDatabaseEnv)
	}
	db, err := sql.Open("postgres", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// The batch statements must touch only the batch's rows whatever the
// planner believes. On a table whose statistics were taken while it was
// nearly empty (a new install: nothing re-analyzes it until autovacuum comes
// round) PostgreSQL estimated a plugin's rows at a handful and joined each of
// them to the whole batch. The test reproduces that on a temporary copy of
// PluginKeyValueStore (same columns and keys; a temporary table is never
// autovacuumed, so its statistics stay stale), and runs the statements with
// a generic plan, as the plugin's prepared statements do.
func TestBatchStatementsTouchOnlyTheirRows(t *testing.T) {
	db := testDatabase(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx) // the temporary table lives in one session
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	for _, stmt := range []string{
		`CREATE TEMPORARY TABLE PluginKeyValueStore (LIKE public.PluginKeyValueStore INCLUDING ALL)`,
		`INSERT INTO PluginKeyValueStore (PluginId, PKey, PValue, ExpireAt)
			SELECT 'plugin' || n, 'a', 'x', 0 FROM generate_series(1, 120) AS n`,
		`ANALYZE PluginKeyValueStore`,
		`INSERT INTO PluginKeyValueStore (PluginId, PKey, PValue, ExpireAt)
			SELECT 'readreceipts', 'k' || n, sha256(n::text::bytea) || sha256(n::text::bytea), 0 FROM generate_series(1, 3000) AS n`,
	} {
		_, err := conn.ExecContext(ctx, stmt)
		require.NoError(t, err, stmt)
	}

	keys, olds := make([]string, 60), make([][]byte, 60)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", 1+i*50)
		require.NoError(t, conn.QueryRowContext(ctx, `SELECT PValue FROM PluginKeyValueStore WHERE PKey = $1`, keys[i]).Scan(&olds[i]))
	}
	for name, c := range map[string]struct {
		query string
		args  []any
	}{
		"read":            {readValuesSQL, []any{"readreceipts", pq.Array(keys), pq.ByteaArray(hashes(olds)), int64(0)}},
		"compare-and-set": {compareValuesSQL, []any{"readreceipts", pq.Array(keys), pq.ByteaArray(hashes(olds)), pq.ByteaArray(olds), int64(0), "", []byte{}}},
	} {
		touched := rowsTouched(ctx, t, conn, c.query, c.args)
		require.LessOrEqual(t, touched, 2*len(keys), "%s: rows of PluginKeyValueStore touched for a batch of %d", name, len(keys))
	}
}

// rowsTouched runs query with a generic plan, in a transaction it rolls
// back, and returns how many rows its scans of PluginKeyValueStore produced
// or filtered out: a lookup and a fetch per key is 2 per key.
func rowsTouched(ctx context.Context, t *testing.T, conn *sql.Conn, query string, args []any) int {
	t.Helper()
	tx, err := conn.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	_, err = tx.Exec(`SET LOCAL plan_cache_mode = force_generic_plan`)
	require.NoError(t, err)
	name := "plan_test_" + randomHex(t)
	_, err = tx.Exec(`PREPARE ` + name + ` AS ` + query)
	require.NoError(t, err)
	defer func() { _, _ = tx.Exec(`DEALLOCATE ` + name) }() // a prepared statement outlives the transaction
	literals := make([]string, len(args))
	for i, a := range args {
		literals[i] = literal(t, a)
	}
	var out []byte
	require.NoError(t, tx.QueryRow(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE `+name+`(`+strings.Join(literals, ", ")+`)`).Scan(&out))
	var plans []struct{ Plan planNode }
	require.NoError(t, json.Unmarshal(out, &plans))
	return plans[0].Plan.touched()
}

// literal is a as an SQL literal (EXECUTE takes no bound parameters).
func literal(t *testing.T, a any) string {
	if v, ok := a.(driver.Valuer); ok {
		var err error
		a, err = v.Value()
		require.NoError(t, err)
	}
	switch v := a.(type) {
	case string:
		return pq.QuoteLiteral(v)
	case []byte:
		return pq.QuoteLiteral(`\x` + hex.EncodeToString(v))
	case int64:
		return strconv.FormatInt(v, 10)
	}
	t.Fatalf("no literal for %T", a)
	return ""
}

type planNode struct {
	Type     string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Rows     float64    `json:"Actual Rows"`
	Loops    float64    `json:"Actual Loops"`
	Filtered float64    `json:"Rows Removed by Filter"`
	Plans    []planNode `json:"Plans"`
}

func (n planNode) touched() int {
	total := 0
	if n.Relation == "pluginkeyvaluestore" && strings.HasSuffix(n.Type, "Scan") { // not the UPDATE itself
		total += int((n.Rows + n.Filtered) * n.Loops)
	}
	for _, c := range n.Plans {
		total += c.touched()
	}
	return total
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}
