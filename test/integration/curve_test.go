package integration

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadCurve checks GET /posts/{id}/curve against the read list, and that
// it keeps the reader list's rules.
func TestReadCurve(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author, member, outsider := env.NewUser(t, "curveauthor"), env.NewUser(t, "curvemember"), env.NewUser(t, "curveout")
	readers := env.NewUsers(t, 4, "curvereader")
	ch := env.PrivateChannel(t, author, append(readers, member)...)
	post := postTracked(t, author, ch.Id, "announcement")

	empty, res, err := author.Plugin.Curve(t.Context(), post.Id)
	requireOK(t, res, err)
	assert.Empty(t, empty.Points, "no reads, no points")
	assert.Equal(t, 5, empty.UnreadCount)

	for _, r := range readers {
		requireRecorded(t, r, post.Id)
	}
	c, res, err := author.Plugin.Curve(t.Context(), post.Id)
	requireOK(t, res, err)
	assert.Equal(t, post.Id, c.PostID)
	assert.Equal(t, post.CreateAt, c.CreateAt)
	assert.Equal(t, 4, c.ReadCount)
	assert.Equal(t, 1, c.UnreadCount)
	require.NotEmpty(t, c.Points)
	assert.Equal(t, 4, c.Points[len(c.Points)-1].ReadCount, "the last point is read_count")
	list := allReaders(t, author, post.Id, "read", 100)
	for _, pt := range c.Points {
		truth := 0
		for _, r := range list {
			if r.ReadAt-post.CreateAt <= pt.AfterMs {
				truth++
			}
		}
		assert.Equal(t, truth, pt.ReadCount, "a small post's curve is exact (at %d ms)", pt.AfterMs)
	}

	t.Run("the author's only", func(t *testing.T) {
		_, res, err := member.Plugin.Curve(t.Context(), post.Id)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusForbidden)
		_, res, err = outsider.Plugin.Curve(t.Context(), post.Id)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusNotFound)
		_, res, err = author.Plugin.Curve(t.Context(), "not-an-id")
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusBadRequest)
	})
}
