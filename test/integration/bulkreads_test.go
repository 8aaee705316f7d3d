package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestBatchesReadTheirPostsAtOnce: a query or a batch of reads reads the
// posts' records with one query on the server's database (PluginKeyValueStore),
// and a batch of reads writes them with one statement; if either failed, the
// plugin would fall back to one KV call per post and log it, so the server
// log must not say so. The statements go through the plugin's own
// connections, not through the plugin API's handle (four RPCs a statement).
func TestBatchesReadTheirPostsAtOnce(t *testing.T) {
	logStart := logSize(t)
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 2, "member")
	ch := env.PrivateChannel(t, author, members...)
	var ids []string
	for _, m := range []string{"one", "two", "three"} {
		ids = append(ids, postTracked(t, author, ch.Id, m).Id)
	}
	for i, m := range members { // the second batch, at least, is decided on what the server remembers
		res := read(t, m, ids...)
		assert.ElementsMatch(t, ids, res.Recorded)
		for _, id := range ids {
			requireCounts(t, author, id, i+1, 1-i)
		}
	}

	log, err := os.ReadFile(serverLog())
	require.NoError(t, err, "the server's log")
	require.GreaterOrEqual(t, len(log), logStart)
	written := string(log[logStart:]) // by this test and those running beside it
	// "failed to write a batch of tracked posts" also starts the warning of a
	// batch decided on remembered values whose guarded write failed.
	for _, fallback := range []string{"failed to read a batch of tracked posts", "failed to write a batch of tracked posts"} {
		assert.False(t, strings.Contains(written, fallback), "the server log says %q", fallback)
	}
	// The handle is opened once per activation, maybe before this test.
	sinceStart := string(log)[strings.LastIndex(string(log), `"msg":"Starting Server..."`)+1:]
	assert.False(t, strings.Contains(sinceStart, "no database handle"), "the server log says there is no database handle")
	assert.False(t, strings.Contains(sinceStart, "using the plugin API's database handle"), "the plugin uses the lent handle")

	db, err := mmtest.OpenDB(t.Context())
	require.NoError(t, err)
	defer db.Close()
	var own int
	require.NoError(t, db.QueryRowContext(t.Context(),
		`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mattermost-plugin-readreceipts'`).Scan(&own))
	assert.Positive(t, own, "the plugin's own connections, by name")
}

func logSize(t *testing.T) int {
	info, err := os.Stat(serverLog())
	require.NoError(t, err, "the server's log")
	return int(info.Size())
}

// serverLog is the log file of the server build/server.sh runs (MM_LOG_FILE
// names another).
func serverLog() string {
	if f := os.Getenv("MM_LOG_FILE"); f != "" {
		return f
	}
	return filepath.Join("..", "..", ".cache", "mm", "logs", "mattermost.log")
}
