package integration

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestRestartUnderLoad: 20 users send reads to a server that is stopped with
// SIGTERM meanwhile and started again. Every read answered `recorded` is
// there afterwards, and once the users have sent the rest, every post has
// each reader exactly once. The server restarted is the second one, so the
// tests running in parallel on the first are not disturbed.
func TestRestartUnderLoad(t *testing.T) {
	srv := secondServer(t)
	env := newEnv(t)
	author := env.NewUser(t, "author")
	readers := env.NewUsers(t, 20, "load")
	ch := env.PrivateChannel(t, author, readers...)
	var posts []string
	for i := range 40 {
		posts = append(posts, postTracked(t, author, ch.Id, fmt.Sprint("under load ", i)).Id)
	}

	// Each user reads the posts one by one on the second server, going on
	// to the next post only once the server answered the read; a failure
	// (the server is down) is tried again.
	var answered atomic.Int64
	stop := make(chan struct{})
	recorded := make([]map[string]bool, len(readers))
	var wg sync.WaitGroup
	for i, u := range readers {
		recorded[i] = map[string]bool{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := u.On(srv.URL).Plugin
			client.HTTP.Timeout = 5 * time.Second
			for _, p := range posts {
				for {
					out, res, err := client.Reads(context.Background(), p)
					if err == nil && res.Status == http.StatusOK {
						for _, id := range out.Recorded {
							recorded[i][id] = true
						}
						answered.Add(1)
						break
					}
					select {
					case <-stop:
						return
					case <-time.After(100 * time.Millisecond):
					}
				}
			}
		}()
	}

	require.NoError(t, mmtest.Poll(time.Minute, 10*time.Millisecond, func() (bool, string) {
		return answered.Load() >= 100, fmt.Sprint(answered.Load(), " reads answered")
	}))
	require.NoError(t, srv.Stop(t.Context()), "SIGTERM")
	t.Logf("%d reads answered before the server stopped", answered.Load())
	require.NoError(t, srv.Start(t.Context(), suite.Admin.AuthToken, bundlePath), "restart")
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		close(stop)
		t.Fatal("the readers did not finish after the restart")
	}

	for _, p := range posts {
		list := allReaders(t, author, p, "read", 100)
		got := map[string]bool{}
		for _, r := range list {
			got[r.UserID] = true
		}
		for i, u := range readers {
			assert.True(t, got[u.Id] || !recorded[i][p], "%s was answered recorded for %s and is missing", u.Username, p)
		}
		assert.Len(t, list, len(readers), "post %s: each reader once", p)
		requireCounts(t, author, p, len(readers), 0)
	}
}
