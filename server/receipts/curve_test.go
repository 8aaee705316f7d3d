package receipts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// curveCase posts in a channel of n+1 members, lets n of them read one a
// minute, and returns the curve, the true read times and the KV operations
// the curve took.
func curveCase(t *testing.T, n int) (receipts.Curve, []int64, int64) {
	e, kv := countingEnv(t)
	author := e.mm.addUser("author")
	users := []string{author}
	for i := 0; i < n; i++ {
		users = append(users, e.mm.addUser(fmt.Sprintf("r%04d", i)))
	}
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	p := e.post(ch, author)
	created := e.mm.posts[p].CreateAt
	// Readers beyond the first 70 each read a minute after the one before;
	// the first 70 are seen from channel views (late, at earlier times) once
	// the others have filled chunks, when there are enough of them.
	early := min(n, 70)
	if n < 2*receipts.ChunkSize {
		early = 0
	}
	for _, u := range users[1+early:] {
		e.advance(time.Minute)
		e.read(u, p)
	}
	for i, u := range users[1 : 1+early] {
		e.mm.view(ch, u, created+int64(i+1)*1000)
	}
	if early > 0 {
		_, err := e.svc.PollViews()
		require.NoError(t, err)
		rec, err := store.New(e.kv).Post(p)
		require.NoError(t, err)
		require.NotEmpty(t, rec.PackedLate, "some reads arrived late")
	}
	var after []int64
	q := receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: receipts.MaxPerPage}
	for {
		page, err := e.svc.Readers(author, p, q)
		require.NoError(t, err)
		for _, u := range page.Users {
			after = append(after, u.ReadAt-created)
		}
		if page.IsFinished {
			break
		}
		q.Cursor = page.NextCursor
	}
	require.Len(t, after, n)
	before := kv.ops.Load()
	c, err := e.svc.ReadCurve(author, p)
	require.NoError(t, err)
	return c, after, kv.ops.Load() - before
}

func TestReadCurve(t *testing.T) {
	for _, n := range []int{1, 50, 700} {
		t.Run(fmt.Sprint(n, " readers"), func(t *testing.T) {
			c, after, _ := curveCase(t, n)
			assert.Equal(t, n, c.ReadCount)
			assert.Zero(t, c.UnreadCount)
			require.NotEmpty(t, c.Points)
			require.LessOrEqual(t, len(c.Points), receipts.MaxCurvePoints)
			assert.Equal(t, n, c.Points[len(c.Points)-1].ReadCount, "the last point is read_count")
			for i, pt := range c.Points {
				if i > 0 {
					assert.Greater(t, pt.AfterMs, c.Points[i-1].AfterMs, "times increase")
					assert.GreaterOrEqual(t, pt.ReadCount, c.Points[i-1].ReadCount, "counts never fall")
				}
				truth := 0
				for _, a := range after {
					if a <= pt.AfterMs {
						truth++
					}
				}
				assert.LessOrEqual(t, pt.ReadCount, truth, "a point never claims more reads than there were")
				assert.Greater(t, pt.ReadCount, truth-receipts.ChunkSize, "and is off by less than a chunk")
			}
		})
	}
}

func TestReadCurveCostDoesNotGrowWithReaders(t *testing.T) {
	_, _, small := curveCase(t, 10)
	_, _, large := curveCase(t, 700)
	t.Logf("KV operations of a curve: 10 readers %d, 700 readers %d", small, large)
	assert.Equal(t, small, large, "no chunk of reads is loaded")
}

func TestReadCurveIsTheAuthors(t *testing.T) {
	e := newEnv(t)
	alice, bob, eve := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("eve")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob)
	p := e.post(ch, alice)
	_, err := e.svc.ReadCurve(bob, p)
	assertErrID(t, err, receipts.ErrNoPermission.ID)
	_, err = e.svc.ReadCurve(eve, p)
	assertErrID(t, err, receipts.ErrNotFound.ID)
	_, err = e.svc.SetSendReadReceipts(alice, false)
	require.NoError(t, err)
	_, err = e.svc.ReadCurve(alice, p)
	assertErrID(t, err, receipts.ErrHidden.ID)
}
