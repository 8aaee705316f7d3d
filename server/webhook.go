package main

import (
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/webhook"
)

// newWebhook builds this server's webhook sender; it reads the current
// settings at every delivery, so changing the URL or secret needs no restart.
func (p *Plugin) newWebhook() *webhook.Sender {
	return webhook.New(webhook.Options{
		Settings: func() webhook.Settings {
			c := p.config.Get()
			return webhook.Settings{URL: c.WebhookURL, Secret: c.WebhookSecret}
		},
		Logger: &p.client.Log,
		Spool:  p.store,
	})
}
