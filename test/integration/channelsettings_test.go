package integration

import (
	"net/http"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestChannelSettingsPermissions: who may turn a channel's receipts off and on.
func TestChannelSettingsPermissions(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	owner := env.NewUser(t, "owner")
	chanAdmin := env.NewUser(t, "chanadmin")
	teamAdmin := env.NewUser(t, "teamadmin")
	plain := env.NewUser(t, "plain")
	outsider := env.NewUser(t, "outsider")
	third := env.NewUser(t, "third")
	env.MakeTeamAdmin(t, teamAdmin)

	public := env.PublicChannel(t, owner, chanAdmin, teamAdmin, plain)
	private := env.PrivateChannel(t, owner, chanAdmin, teamAdmin, plain)
	env.MakeChannelAdmin(t, public.Id, chanAdmin)
	env.MakeChannelAdmin(t, private.Id, chanAdmin)
	dm := env.DM(t, owner, plain)
	gm := env.GM(t, owner, plain, third)
	sysadmin := &mmtest.User{User: suite.AdminUser, Client: suite.Admin, Plugin: suite.AdminPlugin}

	tests := []struct {
		name    string
		channel *model.Channel
		caller  *mmtest.User
		status  int
	}{
		{"public: channel creator (channel admin)", public, owner, http.StatusOK},
		{"public: promoted channel admin", public, chanAdmin, http.StatusOK},
		{"public: team admin", public, teamAdmin, http.StatusOK},
		{"public: system admin, not a member", public, sysadmin, http.StatusOK},
		{"public: plain member", public, plain, http.StatusForbidden},
		{"public: team member who is not in the channel", public, outsider, http.StatusForbidden},
		{"private: channel creator", private, owner, http.StatusOK},
		{"private: promoted channel admin", private, chanAdmin, http.StatusOK},
		{"private: team admin", private, teamAdmin, http.StatusOK},
		{"private: system admin, not a member", private, sysadmin, http.StatusOK},
		{"private: plain member", private, plain, http.StatusForbidden},
		{"private: not a member", private, outsider, http.StatusNotFound},
		{"DM: either member", dm, plain, http.StatusOK},
		{"DM: the other member", dm, owner, http.StatusOK},
		{"DM: not a member", dm, outsider, http.StatusNotFound},
		{"GM: any member", gm, third, http.StatusOK},
		{"GM: not a member", gm, outsider, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, res, err := tc.caller.Plugin.SetChannelEnabled(t.Context(), tc.channel.Id, false)
			require.NoError(t, err)
			if tc.status != http.StatusOK {
				requireAPIError(t, res, tc.status)
				current, res, err := owner.Plugin.ChannelSettings(t.Context(), tc.channel.Id)
				requireOK(t, res, err)
				assert.True(t, current.Enabled, "a refused change changed the channel")
				return
			}
			require.Equal(t, http.StatusOK, res.Status, "answer: %s", res)
			assert.Equal(t, mmtest.ChannelSettings{ChannelID: tc.channel.Id, Enabled: false, RequestMode: "all", Reason: "turned_off"}, got)
			current, res, err := tc.caller.Plugin.ChannelSettings(t.Context(), tc.channel.Id)
			requireOK(t, res, err)
			assert.Equal(t, got, current)

			got, res, err = tc.caller.Plugin.SetChannelEnabled(t.Context(), tc.channel.Id, true)
			requireOK(t, res, err)
			assert.Equal(t, mmtest.ChannelSettings{ChannelID: tc.channel.Id, Enabled: true, RequestMode: "all", Reason: ""}, got)
		})
	}

	t.Run("anyone who can see the channel may read its settings", func(t *testing.T) {
		for _, c := range []struct {
			ch     *model.Channel
			caller *mmtest.User
		}{{public, plain}, {public, outsider}, {private, plain}, {dm, plain}, {gm, third}} {
			got, res, err := c.caller.Plugin.ChannelSettings(t.Context(), c.ch.Id)
			requireOK(t, res, err)
			assert.Equal(t, mmtest.ChannelSettings{ChannelID: c.ch.Id, Enabled: true, RequestMode: "all"}, got)
		}
	})

	t.Run("a channel the caller cannot see, or none, is 404", func(t *testing.T) {
		for _, id := range []string{private.Id, dm.Id, gm.Id, randomID()} {
			_, res, err := outsider.Plugin.ChannelSettings(t.Context(), id)
			require.NoError(t, err)
			requireAPIError(t, res, http.StatusNotFound)
		}
	})
}

// TestChannelTurnedOff: what turning a channel off and on does to posts and
// who hears about it.
func TestChannelTurnedOff(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	owner := env.NewUser(t, "owner")
	members := env.NewUsers(t, 5, "member")
	outsider := env.NewUser(t, "outsider")
	ch := env.PublicChannel(t, owner, members...)
	for _, u := range append([]*mmtest.User{outsider}, members...) {
		u.WS(t)
	}
	before := postTracked(t, owner, ch.Id, "before")

	_, res, err := owner.Plugin.SetChannelEnabled(t.Context(), ch.Id, false)
	requireOK(t, res, err)
	isChannelEvent := func(enabled bool) func(*model.WebSocketEvent) bool {
		return func(ev *model.WebSocketEvent) bool {
			return ev.GetData()["channel_id"] == ch.Id && ev.GetData()["enabled"] == enabled
		}
	}

	t.Run("members hear that the channel is off", func(t *testing.T) {
		for _, m := range members {
			_, err := m.WS(t).WaitFor(mmtest.EventChannelSettings, 10*time.Second, isChannelEvent(false))
			assert.NoError(t, err, "event to %s", m.Username)
		}
		assert.NoError(t, outsider.WS(t).NotReceived(mmtest.EventChannelSettings, quiet, isChannelEvent(false)))
	})

	during := owner.PostWith(t, &model.Post{ChannelId: ch.Id, Message: "while off"})

	t.Run("posts tracked before keep their receipts", func(t *testing.T) {
		requireRecorded(t, members[0], before.Id)
		requireCounts(t, owner, before.Id, 1, 4)
	})

	_, res, err = owner.Plugin.SetChannelEnabled(t.Context(), ch.Id, true)
	requireOK(t, res, err)
	after := postTracked(t, owner, ch.Id, "after")

	t.Run("posts created while off are not tracked", func(t *testing.T) {
		requireQuerySkipped(t, owner, during.Id, mmtest.ReasonNotTracked)
		requireSkipped(t, members[1], during.Id, mmtest.ReasonNotTracked)
	})
	t.Run("members hear that the channel is on again", func(t *testing.T) {
		for _, m := range members {
			_, err := m.WS(t).WaitFor(mmtest.EventChannelSettings, 10*time.Second, isChannelEvent(true))
			assert.NoError(t, err, "event to %s", m.Username)
		}
	})
	t.Run("posts after turning on again are tracked", func(t *testing.T) {
		requireRecorded(t, members[1], after.Id)
		requireCounts(t, owner, after.Id, 1, 4)
	})
}

// TestChannelSettingsReasons: why a channel has no receipts, per admin setting.
// Sequential: it changes the plugin's configuration.
func TestChannelSettingsReasons(t *testing.T) {
	env := newEnv(t)
	users := env.NewUsers(t, 4, "user")
	channels := map[string]*model.Channel{
		"D": env.DM(t, users[0], users[1]),
		"G": env.GM(t, users[0], users[1], users[2]),
		"P": env.PrivateChannel(t, users[0], users[1]),
		"O": env.PublicChannel(t, users[0], users[1]),
	}
	disable := map[string]func(*mmtest.Settings){
		"D": func(s *mmtest.Settings) { s.EnableDirectMessages = false },
		"G": func(s *mmtest.Settings) { s.EnableGroupMessages = false },
		"P": func(s *mmtest.Settings) { s.EnablePrivateChannels = false },
		"O": func(s *mmtest.Settings) { s.EnablePublicChannels = false },
	}
	for _, typ := range []string{"D", "G", "P", "O"} {
		t.Run("type_disabled: "+typ, func(t *testing.T) {
			s := baseline
			disable[typ](&s)
			withSettings(t, s)
			for other, ch := range channels {
				got, res, err := users[0].Plugin.ChannelSettings(t.Context(), ch.Id)
				requireOK(t, res, err)
				if other == typ {
					assert.Equal(t, mmtest.ChannelSettings{ChannelID: ch.Id, Enabled: false, RequestMode: "all", Reason: "type_disabled"}, got)
				} else {
					assert.True(t, got.Enabled, "channel type %s", other)
					assert.Empty(t, got.Reason, "channel type %s", other)
				}
			}
			off := users[0].Post(t, channels[typ].Id, "type off")
			postTracked(t, users[0], channels[otherType(typ)].Id, "still tracked elsewhere")
			requireQuerySkipped(t, users[0], off.Id, mmtest.ReasonNotTracked)
			requireSkipped(t, users[1], off.Id, mmtest.ReasonNotTracked)
		})
	}

	t.Run("too_many_members", func(t *testing.T) {
		s := baseline
		s.MaxChannelMembers = 3
		withSettings(t, s)
		small := env.PublicChannel(t, users[0], users[1], users[2])
		big := env.PublicChannel(t, users[0], users[1], users[2], users[3])
		got, res, err := users[0].Plugin.ChannelSettings(t.Context(), small.Id)
		requireOK(t, res, err)
		assert.Equal(t, mmtest.ChannelSettings{ChannelID: small.Id, Enabled: true, RequestMode: "all"}, got, "3 members with a limit of 3")
		got, res, err = users[0].Plugin.ChannelSettings(t.Context(), big.Id)
		requireOK(t, res, err)
		assert.Equal(t, mmtest.ChannelSettings{ChannelID: big.Id, Enabled: false, RequestMode: "all", Reason: "too_many_members"}, got)

		off := users[0].Post(t, big.Id, "too big")
		postTracked(t, users[0], small.Id, "small enough")
		requireQuerySkipped(t, users[0], off.Id, mmtest.ReasonNotTracked)
	})

	t.Run("turned_off", func(t *testing.T) {
		ch := env.PublicChannel(t, users[0], users[1])
		_, res, err := users[0].Plugin.SetChannelEnabled(t.Context(), ch.Id, false)
		requireOK(t, res, err)
		got, res, err := users[0].Plugin.ChannelSettings(t.Context(), ch.Id)
		requireOK(t, res, err)
		assert.Equal(t, "turned_off", got.Reason)
		assert.False(t, got.Enabled)
	})
}

func otherType(typ string) string {
	if typ == "O" {
		return "P"
	}
	return "O"
}
