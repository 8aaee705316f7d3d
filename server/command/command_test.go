package command

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// fakeService keeps one channel switch and one privacy choice.
type fakeService struct {
	enabled, send, locked, manager bool
	since                          int64
}

func (f *fakeService) ChannelSettings(_, ch string) (receipts.ChannelSettings, error) {
	reason := ""
	if !f.enabled {
		reason = receipts.ReasonTurnedOff
	}
	return receipts.ChannelSettings{ChannelID: ch, Enabled: f.enabled, RequestMode: "all", Reason: reason}, nil
}

func (f *fakeService) SetChannelEnabled(u, ch string, on bool) (receipts.ChannelSettings, error) {
	if !f.manager {
		return receipts.ChannelSettings{}, receipts.ErrNoPermission
	}
	f.enabled = on
	return f.ChannelSettings(u, ch)
}

func (f *fakeService) UserSettings(string) (receipts.UserSettings, error) {
	return receipts.UserSettings{SendReadReceipts: f.send || f.locked, CanChange: !f.locked, Since: f.since}, nil
}

func (f *fakeService) SetSendReadReceipts(u string, send bool) (receipts.UserSettings, error) {
	if f.locked {
		return receipts.UserSettings{}, receipts.ErrPolicyLocked
	}
	f.send = send
	return f.UserSettings(u)
}

func run(h *Handler, command string) string {
	resp := h.Execute(&model.CommandArgs{Command: command, UserId: "u", ChannelId: "c"})
	return resp.Text
}

func TestCommands(t *testing.T) {
	svc := &fakeService{enabled: true, send: true, manager: true}
	h := New(svc, config.Default)
	assert.Contains(t, run(h, "/receipts status"), "Read receipts are on for this channel")
	assert.Contains(t, run(h, "/receipts OFF"), "now off", "case does not matter")
	assert.False(t, svc.enabled)
	assert.Contains(t, run(h, "/receipts status"), "turned them off")
	assert.Contains(t, run(h, "/receipts privacy off"), "do not send read receipts, so you do not see")
	assert.False(t, svc.send)
	assert.Contains(t, run(h, "/receipts"), "/receipts status", "no argument shows help")
	assert.Contains(t, run(h, "/receipts bogus"), "/receipts privacy on")

	svc.manager = false
	assert.Contains(t, run(h, "/receipts on"), "Only channel admins")
	svc.locked = true
	assert.Contains(t, run(h, "/receipts privacy off"), "requires read receipts for everyone")
}

func TestDefinitionHasAutocomplete(t *testing.T) {
	d := Definition()
	assert.Equal(t, Trigger, d.Trigger)
	assert.True(t, d.AutoComplete)
	assert.Len(t, d.AutocompleteData.SubCommands, 6)
}

// TestPrivacyAloneExplains: `/receipts privacy` says what others see of the
// user, whether the policy forces it, what reciprocity hides, and since when.
func TestPrivacyAloneExplains(t *testing.T) {
	svc := &fakeService{send: true}
	h := New(svc, config.Default)
	text := run(h, "/receipts privacy")
	assert.Contains(t, text, "You send read receipts")
	assert.Contains(t, text, "its sender sees that you read it")
	assert.Contains(t, text, "never changed it")

	svc.send, svc.since = false, 1_800_000_000_000
	text = run(h, "/receipts privacy")
	assert.Contains(t, text, "nobody sees whether or when you read")
	assert.Contains(t, text, "you do not see who read your own messages either")
	assert.Contains(t, text, "since 2027-01-15 08:00 UTC")

	noReciprocity := config.Default()
	noReciprocity.Reciprocal = false
	assert.NotContains(t, New(svc, func() config.Config { return noReciprocity }).Execute(
		&model.CommandArgs{Command: "/receipts privacy", UserId: "u"}).Text, "your own messages")

	svc.locked = true
	assert.Contains(t, run(h, "/receipts privacy"), "requires read receipts for everyone")
}
