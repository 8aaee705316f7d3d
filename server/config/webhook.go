package config

import (
	"net/url"

	"github.com/pkg/errors"
)

// MinWebhookSecret is the shortest signing key accepted: a short key makes
// signatures easy to forge.
const MinWebhookSecret = 16

// validateWebhook checks WebhookURL and WebhookSecret. The messages never
// repeat the secret.
func (c Config) validateWebhook() error {
	if c.WebhookURL == "" {
		return nil
	}
	u, err := url.Parse(c.WebhookURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.Errorf("WebhookURL must be an http:// or https:// address, not %q", c.WebhookURL)
	}
	if len(c.WebhookSecret) < MinWebhookSecret {
		return errors.Errorf("WebhookSecret must be at least %d characters when WebhookURL is set", MinWebhookSecret)
	}
	return nil
}
