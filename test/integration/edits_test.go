package integration

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestEditsMarkWhoReadTheOldText edits a post through the core API: the
// receipt carries edited_at and the read list marks who read it before.
func TestEditsMarkWhoReadTheOldText(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author, early, late := env.NewUser(t, "editor"), env.NewUser(t, "early"), env.NewUser(t, "late")
	ch := env.GM(t, author, early, late)
	post := postTracked(t, author, ch.Id, "first text")
	requireRecorded(t, early, post.Id)
	assert.Zero(t, requireReceipt(t, author, post.Id).EditedAt, "not edited yet")

	_, err := author.Client.PinPost(t.Context(), post.Id)
	require.NoError(t, err, "pin")
	msg := "second text"
	edited, _, err := author.Client.PatchPost(t.Context(), post.Id, &model.PostPatch{Message: &msg})
	require.NoError(t, err, "edit")
	require.NotZero(t, edited.EditAt)
	got := waitReceipt(t, author, post.Id, settle, func(r mmtest.Receipt) bool { return r.EditedAt != 0 })
	assert.Equal(t, edited.EditAt, got.EditedAt, "edited_at is the post's last edit")

	requireRecorded(t, late, post.Id)
	before := map[string]bool{}
	for _, r := range allReaders(t, author, post.Id, "read", 100) {
		before[r.UserID] = r.BeforeEdit
	}
	assert.Equal(t, map[string]bool{early.Id: true, late.Id: false}, before)

	text := whoText(t, author.Command(t, env.Team.Id, ch.Id, "/receipts who"))
	assert.Contains(t, text, "@"+early.Username)
	assert.Contains(t, text, "(before edit)")
}
