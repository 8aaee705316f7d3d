package integration

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestRequestModeAll: in mode all every post is tracked unless it opts out.
func TestRequestModeAll(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	ch := env.PublicChannel(t, author, members...)

	optOut := author.PostWith(t, withReadReceipt(ch.Id, "opt out", false))
	plain := postTracked(t, author, ch.Id, "plain")
	asked := postWithTracked(t, author, withReadReceipt(ch.Id, "asked", true))
	reply := postWithTracked(t, author, &model.Post{ChannelId: ch.Id, RootId: plain.Id, Message: "a reply is a post like any other"})

	requireQuerySkipped(t, author, optOut.Id, mmtest.ReasonNotTracked)
	requireSkipped(t, members[0], optOut.Id, mmtest.ReasonNotTracked)
	for _, p := range []*model.Post{plain, asked, reply} {
		requireRecorded(t, members[0], p.Id)
		requireCounts(t, author, p.Id, 1, 3)
	}
}

// TestRequestModePerMessage: only posts that ask are tracked. Sequential: it
// changes the plugin's configuration.
func TestRequestModePerMessage(t *testing.T) {
	env := newEnv(t)
	author := env.NewUser(t, "author")
	members := env.NewUsers(t, 4, "member")
	ch := env.PrivateChannel(t, author, members...)
	dm := env.DM(t, author, members[0])
	s := baseline
	s.RequestMode = "per_message"
	withSettings(t, s)

	for _, c := range []*model.Channel{ch, dm} {
		got, res, err := author.Plugin.ChannelSettings(t.Context(), c.Id)
		requireOK(t, res, err)
		assert.Equal(t, mmtest.ChannelSettings{ChannelID: c.Id, Enabled: true, RequestMode: "per_message"}, got)
	}

	plain := author.Post(t, ch.Id, "plain")
	optOut := author.PostWith(t, withReadReceipt(ch.Id, "opt out", false))
	asked := postWithTracked(t, author, withReadReceipt(ch.Id, "asked", true))
	askedDM := postWithTracked(t, author, withReadReceipt(dm.Id, "asked in a DM", true))

	for _, p := range []*model.Post{plain, optOut} {
		requireQuerySkipped(t, author, p.Id, mmtest.ReasonNotTracked)
		requireSkipped(t, members[0], p.Id, mmtest.ReasonNotTracked)
	}
	requireRecorded(t, members[0], asked.Id)
	requireCounts(t, author, asked.Id, 1, 3)
	requireRecorded(t, members[0], askedDM.Id)
	assert.True(t, requireReceipt(t, author, askedDM.Id).IsPeerRead)
}
