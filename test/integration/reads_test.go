package integration

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestReadsSkipReasons covers every answer of POST /reads in one public channel.
func TestReadsSkipReasons(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 5, "member")
	outsider := env.NewUser(t, "outsider")
	bot := env.NewBot(t)
	ch := env.PublicChannel(t, author, members...)
	env.AddMembers(t, ch, bot)
	secret := env.PrivateChannel(t, author)

	optedOut := members[4]
	_, res, err := optedOut.Plugin.SetSendReadReceipts(t.Context(), false)
	requireOK(t, res, err)

	optOutPost := author.PostWith(t, withReadReceipt(ch.Id, "opted out by the sender", false))
	systemPost := mmtest.SystemPost(t, author, ch.Id)
	hookPost := env.WebhookPost(t, author, ch.Id, "from a webhook "+randomID())
	secretPost := author.Post(t, secret.Id, "in a private channel")
	post := postTracked(t, author, ch.Id, "tracked")
	late := env.NewUser(t, "late")
	env.AddMembers(t, ch, late)

	t.Run("a recipient's read is recorded", func(t *testing.T) {
		requireRecorded(t, members[0], post.Id)
	})
	t.Run("already_read the second time", func(t *testing.T) {
		requireRecorded(t, members[1], post.Id)
		requireSkipped(t, members[1], post.Id, mmtest.ReasonAlreadyRead)
	})
	tests := []struct {
		name   string
		reader *mmtest.User
		postID string
		reason string
	}{
		{"own_post", author, post.Id, mmtest.ReasonOwnPost},
		{"not_recipient: joined later", late, post.Id, mmtest.ReasonNotRecipient},
		{"not_recipient: not a member of the public channel", outsider, post.Id, mmtest.ReasonNotRecipient},
		{"not_recipient: a bot", bot, post.Id, mmtest.ReasonNotRecipient},
		{"disabled: the reader turned sending off", optedOut, post.Id, mmtest.ReasonDisabled},
		{"not_tracked: read_receipt false", members[2], optOutPost.Id, mmtest.ReasonNotTracked},
		{"not_tracked: a system post", members[2], systemPost.Id, mmtest.ReasonNotTracked},
		{"not_tracked: a webhook post", members[2], hookPost.Id, mmtest.ReasonNotTracked},
		{"not_found: no such post", members[2], randomID(), mmtest.ReasonNotFound},
		{"not_found: not a Mattermost id", members[2], "not-an-id", mmtest.ReasonNotFound},
		{"not_found: upper-case id", members[2], "ABCDEFGHIJKLMNOPQRSTUVWXYZ", mmtest.ReasonNotFound},
		{"not_found: a post in a private channel the reader is not in", members[2], secretPost.Id, mmtest.ReasonNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			requireSkipped(t, tc.reader, tc.postID, tc.reason)
		})
	}

	t.Run("a mixed batch answers each post", func(t *testing.T) {
		missing := randomID()
		out := read(t, members[3], post.Id, missing, "bad", optOutPost.Id)
		assert.Equal(t, []string{post.Id}, out.Recorded)
		assert.Equal(t, map[string]string{
			missing: mmtest.ReasonNotFound, "bad": mmtest.ReasonNotFound, optOutPost.Id: mmtest.ReasonNotTracked,
		}, reasons(out.Skipped))
	})

	t.Run("an empty batch records nothing", func(t *testing.T) {
		out := read(t, members[3])
		assert.Empty(t, out.Recorded)
		assert.Empty(t, out.Skipped)
	})

	t.Run("the author sees exactly the recorded reads", func(t *testing.T) {
		// Recipients: members 0-3 (member 4 had turned sending off before the
		// post; the bot, the late joiner and the outsider are not recipients).
		// Members 0, 1 and 3 read; member 2 did not.
		requireCounts(t, author, post.Id, 3, 1)
	})

	t.Run("not_recipient: opted out when the post was created", func(t *testing.T) {
		_, res, err := optedOut.Plugin.SetSendReadReceipts(t.Context(), true)
		requireOK(t, res, err)
		requireSkipped(t, optedOut, post.Id, mmtest.ReasonNotRecipient)
		requireCounts(t, author, post.Id, 3, 1)
	})

	t.Run("a read is never undone and first read wins", func(t *testing.T) {
		readers := allReaders(t, author, post.Id, "read", 100)
		require.Len(t, readers, 3)
		before := map[string]int64{}
		for _, r := range readers {
			before[r.UserID] = r.ReadAt
		}
		requireSkipped(t, members[0], post.Id, mmtest.ReasonAlreadyRead)
		for _, r := range allReaders(t, author, post.Id, "read", 100) {
			assert.Equal(t, before[r.UserID], r.ReadAt, "read_at of %s changed", r.Username)
		}
	})
}

// TestChannelRead covers POST /channels/{id}/read.
func TestChannelRead(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	reader := env.NewUser(t, "reader")
	others := env.NewUsers(t, 3, "other")
	ch := env.PublicChannel(t, author, append(others, reader)...)

	p1 := postTracked(t, author, ch.Id, "one")
	p2 := postTracked(t, author, ch.Id, "two")
	own := postTracked(t, reader, ch.Id, "the reader's own post")
	p3 := postTracked(t, author, ch.Id, "three")
	untracked := author.PostWith(t, withReadReceipt(ch.Id, "not tracked", false))
	p4 := postTracked(t, author, ch.Id, "four")

	// Posting in a channel reads the tracked posts before it (API.md), so the
	// reader has read p1 and p2 already; wait until that shows.
	for _, p := range []string{p1.Id, p2.Id} {
		waitReceipt(t, author, p, viewDeadline, func(r mmtest.Receipt) bool { return r.ReadCount == 1 })
	}

	t.Run("until an earlier post records nothing new", func(t *testing.T) {
		out, res, err := reader.Plugin.ReadChannel(t.Context(), ch.Id, p2.CreateAt)
		requireOK(t, res, err)
		assert.Equal(t, 0, out.Recorded)
	})
	t.Run("until now records the rest, not own or untracked posts", func(t *testing.T) {
		out, res, err := reader.Plugin.ReadChannel(t.Context(), ch.Id, 0)
		requireOK(t, res, err)
		assert.Equal(t, 2, out.Recorded, "p3 and p4")
		requireCounts(t, author, p3.Id, 1, 3)
		requireCounts(t, author, p4.Id, 1, 3)
		requireQuerySkipped(t, author, untracked.Id, mmtest.ReasonNotTracked)
		requireSkipped(t, reader, own.Id, mmtest.ReasonOwnPost)
	})
	t.Run("again records nothing", func(t *testing.T) {
		out, res, err := reader.Plugin.ReadChannel(t.Context(), ch.Id, 0)
		requireOK(t, res, err)
		assert.Equal(t, 0, out.Recorded)
	})
	t.Run("until is inclusive and bounds the read", func(t *testing.T) {
		second := others[0]
		out, res, err := second.Plugin.ReadChannel(t.Context(), ch.Id, p3.CreateAt)
		requireOK(t, res, err)
		assert.Equal(t, 4, out.Recorded, "p1, p2, the reader's post and p3: created at or before until")
		requireCounts(t, author, p3.Id, 2, 2)
		requireCounts(t, author, p4.Id, 1, 3)
		requireRecorded(t, second, p4.Id)
	})
	t.Run("a channel the caller cannot read is 404", func(t *testing.T) {
		secret := env.PrivateChannel(t, author)
		_, res, err := others[1].Plugin.ReadChannel(t.Context(), secret.Id, 0)
		require.NoError(t, err)
		requireAPIError(t, res, 404)
		_, res, err = others[1].Plugin.ReadChannel(t.Context(), randomID(), 0)
		require.NoError(t, err)
		requireAPIError(t, res, 404)
	})
}
