package config

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWebhookSettings(t *testing.T) {
	secret := "a-long-enough-secret"
	c, err := Parse(map[string]any{"webhookurl": " https://hooks.example.com/reads ", "webhooksecret": secret})
	require.NoError(t, err)
	assert.Equal(t, "https://hooks.example.com/reads", c.WebhookURL)
	assert.Equal(t, secret, c.WebhookSecret)

	for name, settings := range map[string]map[string]any{
		"not a URL":      {"webhookurl": "hooks.example.com", "webhooksecret": secret},
		"another scheme": {"webhookurl": "ftp://hooks.example.com", "webhooksecret": secret},
		"no host":        {"webhookurl": "https://", "webhooksecret": secret},
		"no secret":      {"webhookurl": "https://hooks.example.com"},
		"a short secret": {"webhookurl": "https://hooks.example.com", "webhooksecret": "short"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(settings)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Webhook")
			assert.NotContains(t, err.Error(), secret, "the secret is never repeated")
		})
	}
	_, err = Parse(map[string]any{"webhooksecret": "short"})
	assert.NoError(t, err, "a secret alone does nothing and is not checked")
}

func TestClientViewHasNoWebhookSettings(t *testing.T) {
	c, err := Parse(map[string]any{"webhookurl": "https://hooks.example.com/x", "webhooksecret": "a-long-enough-secret"})
	require.NoError(t, err)
	for _, v := range []any{c.ClientView(), c.ClientView().Map()} {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(data), "hooks.example.com")
		assert.NotContains(t, string(data), "a-long-enough-secret")
	}
}
