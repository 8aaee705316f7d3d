package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDefaults(t *testing.T) {
	c, err := Parse(nil)
	require.NoError(t, err)
	assert.Equal(t, Default(), c)
	assert.True(t, c.EnableDirectMessages)
	assert.False(t, c.EnablePublicChannels)
	assert.Equal(t, 5000, c.MaxChannelMembers)
	assert.Equal(t, 90, c.RetentionDays)
}

func TestParseIsCaseInsensitive(t *testing.T) {
	c, err := Parse(map[string]any{
		"enablepublicchannels": true,
		"REQUESTMODE":          "per_message",
		"maxchannelmembers":    float64(12),
		"retentiondays":        "0",
		"reciprocal":           "false",
	})
	require.NoError(t, err)
	assert.True(t, c.EnablePublicChannels)
	assert.Equal(t, RequestPerMessage, c.RequestMode)
	assert.Equal(t, 12, c.MaxChannelMembers)
	assert.Equal(t, 0, c.RetentionDays)
	assert.False(t, c.Reciprocal)
}

func TestParseRejectsInvalidValues(t *testing.T) {
	for name, tc := range map[string]struct {
		settings map[string]any
		names    string
	}{
		"request mode":      {map[string]any{"requestmode": "some"}, "RequestMode"},
		"privacy":           {map[string]any{"privacypolicy": "never"}, "PrivacyPolicy"},
		"counts":            {map[string]any{"countsvisibleto": "everyone"}, "CountsVisibleTo"},
		"members too small": {map[string]any{"maxchannelmembers": float64(1)}, "MaxChannelMembers"},
		"members not int":   {map[string]any{"maxchannelmembers": "lots"}, "MaxChannelMembers"},
		"members fraction":  {map[string]any{"maxchannelmembers": 2.5}, "MaxChannelMembers"},
		"retention":         {map[string]any{"retentiondays": float64(-1)}, "RetentionDays"},
		"bool":              {map[string]any{"enabledirectmessages": "yes"}, "EnableDirectMessages"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tc.settings)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.names)
		})
	}
}

func TestHolderSwapsWhole(t *testing.T) {
	h := NewHolder()
	assert.Equal(t, Default(), h.Get())
	c := Default()
	c.RetentionDays = 7
	assert.True(t, h.Set(c))
	assert.False(t, h.Set(c))
	got := h.Get()
	got.RetentionDays = 1
	assert.Equal(t, 7, h.Get().RetentionDays)
}

func TestClientViewMapMatchesJSONNames(t *testing.T) {
	m := Default().ClientView().Map()
	assert.Len(t, m, 9)
	assert.Equal(t, "all", m["request_mode"])
	assert.Equal(t, 5000, m["max_channel_members"])
}
