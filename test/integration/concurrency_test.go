package integration

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

const crowd = 50

// TestConcurrentReads: 50 users read one post at the same moment; every read
// is counted exactly once. Then the same 50 view the channel at once through
// the core API.
func TestConcurrentReads(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	readers := env.NewUsers(t, crowd, "crowd")
	ch := env.PublicChannel(t, author, readers...)
	author.WS(t)
	post := postTracked(t, author, ch.Id, "everyone at once")

	t.Run("through POST /reads", func(t *testing.T) {
		results := make([]mmtest.ReadsResult, crowd)
		statuses := make([]int, crowd)
		errs := make([]error, crowd)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, u := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				out, res, err := u.Plugin.Reads(t.Context(), post.Id)
				results[i], errs[i] = out, err
				if res != nil {
					statuses[i] = res.Status
				}
			}()
		}
		close(start)
		wg.Wait()
		for i := range readers {
			require.NoError(t, errs[i])
			require.Equal(t, http.StatusOK, statuses[i])
			assert.Equal(t, []string{post.Id}, results[i].Recorded, "reader %d: skipped %v", i, results[i].Skipped)
		}

		requireCounts(t, author, post.Id, crowd, 0)
		for _, perPage := range []int{100, 7} {
			list := allReaders(t, author, post.Id, "read", perPage)
			assert.Len(t, list, crowd, "per_page %d", perPage)
			assertSameIDs(t, ids(readers...), readerIDs(list))
		}
		unread := allReaders(t, author, post.Id, "unread", 100)
		assert.Empty(t, unread)
		waitReceiptEvent(t, author, post.Id, 10*time.Second, func(r mmtest.Receipt) bool { return r.ReadCount == crowd })
	})

	t.Run("through the core API's channel view", func(t *testing.T) {
		viewed := postTracked(t, author, ch.Id, "everyone views at once")
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, crowd)
		for i, u := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _, errs[i] = u.Client.ViewChannel(t.Context(), "me", &model.ChannelView{ChannelId: ch.Id})
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		waitReceipt(t, author, viewed.Id, viewDeadline, func(r mmtest.Receipt) bool { return r.ReadCount == crowd })
		requireCounts(t, author, viewed.Id, crowd, 0)
		assertSameIDs(t, ids(readers...), readerIDs(allReaders(t, author, viewed.Id, "read", 100)))
	})
}
