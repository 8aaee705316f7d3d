package integration

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// The second server, while a test that needs it runs.
var second struct {
	mu  sync.Mutex
	srv *mmtest.SecondServer
}

// secondServer starts the second Mattermost server of the deployment, with
// the plugin running on it, and stops it when the test ends. Without a
// license the servers do not form a cluster, so while the second one runs a
// views poll may land there and send its events from there: the tests that
// use it are sequential, and it is gone before the parallel ones, which
// listen on the first.
func secondServer(t *testing.T) *mmtest.SecondServer {
	t.Helper()
	second.mu.Lock()
	defer second.mu.Unlock()
	if second.srv == nil {
		srv, err := mmtest.NewSecondServer()
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			err = srv.Start(ctx, suite.Admin.AuthToken, bundlePath)
		}
		second.srv = srv
		require.NoError(t, err, "second server")
	}
	t.Cleanup(stopSecondServer)
	return second.srv
}

func stopSecondServer() {
	second.mu.Lock()
	defer second.mu.Unlock()
	if second.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := second.srv.Stop(ctx); err != nil {
		fmt.Println("integration tests: failed to stop the second server:", err)
	}
	second.srv = nil
}

// onBoth returns each user's clients on the first and on the second server.
func onBoth(srv *mmtest.SecondServer, users []*mmtest.User) [][2]*mmtest.User {
	out := make([][2]*mmtest.User, len(users))
	for i, u := range users {
		out[i] = [2]*mmtest.User{u, u.On(srv.URL)}
	}
	return out
}

// TestTwoServers: readers split across two servers on one database are each
// counted exactly once, and a channel setting or an opt-out changed on one
// server is honoured by the other within 15 s.
func TestTwoServers(t *testing.T) {
	srv := secondServer(t)
	env := newEnv(t)
	author := env.NewUser(t, "author")
	readers := env.NewUsers(t, 40, "split")
	ch := env.PrivateChannel(t, author, readers...)
	both := onBoth(srv, readers)

	t.Run("40 readers of one post at the same instant", func(t *testing.T) {
		post := postTracked(t, author, ch.Id, "read on two servers")
		start := make(chan struct{})
		results := make([]*mmtest.Result, len(readers))
		outs := make([]mmtest.ReadsResult, len(readers))
		var wg sync.WaitGroup
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				outs[i], results[i], _ = both[i][i%2].Plugin.Reads(t.Context(), post.Id)
			}()
		}
		close(start)
		wg.Wait()
		for i := range readers {
			require.NotNil(t, results[i], "reader %d got no answer", i)
			require.Equal(t, http.StatusOK, results[i].Status, "reader %d: %s", i, results[i])
			assert.Equal(t, []string{post.Id}, outs[i].Recorded, "reader %d", i)
		}
		requireCounts(t, author, post.Id, len(readers), 0)
		requireCounts(t, author.On(srv.URL), post.Id, len(readers), 0)
		assertSameIDs(t, ids(readers...), readerIDs(allReaders(t, author, post.Id, "read", 7)))
	})

	t.Run("batches of many posts sent to both servers at once", func(t *testing.T) {
		var posts []string
		for i := range 30 {
			posts = append(posts, postTracked(t, author, ch.Id, fmt.Sprint("batch ", i)).Id)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(readers))
		for i := range readers {
			for server := range 2 { // every reader sends the same batch to both servers
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, res, err := both[i][server].Plugin.Reads(t.Context(), posts...)
					if err == nil && res.Status != http.StatusOK {
						err = fmt.Errorf("reader %d on server %d: %s", i, server+1, res)
					}
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		for _, p := range posts {
			requireCounts(t, author, p, len(readers), 0)
			assert.Len(t, allReaders(t, author, p, "read", 100), len(readers), "post %s", p)
		}
	})

	t.Run("a channel setting changed on one server", func(t *testing.T) {
		_, res, err := author.Plugin.SetChannelEnabled(t.Context(), ch.Id, false)
		requireOK(t, res, err)
		t.Cleanup(func() { _, _, _ = author.Plugin.SetChannelEnabled(context.Background(), ch.Id, true) })
		onSecond := author.On(srv.URL)
		err = mmtest.Poll(viewDeadline, 500*time.Millisecond, func() (bool, string) {
			post := onSecond.Post(t, ch.Id, "posted on the second server while off")
			r, reason := query(t, onSecond, post.Id)
			return r == nil && reason == mmtest.ReasonNotTracked, fmt.Sprintf("receipt %v, reason %q", r, reason)
		})
		require.NoError(t, err, "the second server tracks posts in a channel turned off on the first")
	})

	t.Run("an opt-out changed on one server", func(t *testing.T) {
		post := postTracked(t, author, ch.Id, "read by someone who stopped sending")
		quitter := both[0]
		_, res, err := quitter[1].Plugin.SetSendReadReceipts(t.Context(), false)
		requireOK(t, res, err)
		t.Cleanup(func() { _, _, _ = quitter[1].Plugin.SetSendReadReceipts(context.Background(), true) })
		err = mmtest.Poll(viewDeadline, 500*time.Millisecond, func() (bool, string) {
			out := read(t, quitter[0], post.Id)
			return len(out.Recorded) == 0 && reasons(out.Skipped)[post.Id] == mmtest.ReasonDisabled, fmt.Sprintf("%+v", out)
		})
		require.NoError(t, err, "the first server records reads of a user who stopped sending on the second")
		requireCounts(t, author, post.Id, 0, len(readers))
	})
}
