package integration

import (
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// newsSettle lets the work a post starts after its answer (the plugin's
// posted hook, the server's events) end before the next timed request: it
// would otherwise fall on whichever request follows, plugin or core. An
// untimed request after the pause warms the server up again: the other timed
// requests follow one another without pauses.
const newsSettle = 50 * time.Millisecond

// viewOfNews is core's counterpart of recording reads: a member views a
// channel with a post they have not seen, so the server marks it read (it
// writes the membership's LastViewedAt and tells the member's clients). The
// post arrives untimed, before each view, in a channel with receipts off.
// A view with nothing new (viewCh) writes nothing: the server reads the
// membership and returns.
func (bn *bench) viewOfNews(users []*mmtest.User) coreOp {
	ch := bn.env.PrivateChannel(bn.b, bn.author, users...)
	_, res, err := bn.author.Plugin.SetChannelEnabled(bn.ctx, ch.Id, false)
	require.NoError(bn.b, okOrErr(res, err))
	return coreOp{
		prepare: func(i int) {
			_, _, err := bn.author.Client.CreatePost(bn.ctx, &model.Post{ChannelId: ch.Id, Message: fmt.Sprint("news ", i)})
			require.NoError(bn.b, err, "create post")
			time.Sleep(newsSettle)
			_, _, err = users[i%len(users)].Client.GetMe(bn.ctx, "")
			require.NoError(bn.b, err, "warm up")
		},
		run: func(i int) error {
			_, _, err := users[i%len(users)].Client.ViewChannel(bn.ctx, "me", &model.ChannelView{ChannelId: ch.Id})
			return err
		},
	}
}
