package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// OnConfigurationChange loads, validates and swaps in the new settings. An
// invalid configuration is refused and the previous one stays in force.
func (p *Plugin) OnConfigurationChange() error {
	if p.config == nil {
		p.config = config.NewHolder()
	}
	if p.platform != nil {
		p.platform.refresh() // any server setting may have changed
	}
	p.mu.Lock()
	activated := p.activated
	p.mu.Unlock()
	if activated {
		p.service.ServerSettingsChanged()
	}
	return p.loadConfig()
}

func (p *Plugin) loadConfig() error {
	var raw map[string]any
	if err := p.API.LoadPluginConfiguration(&raw); err != nil {
		return errors.Wrap(err, "failed to load plugin configuration")
	}
	cfg, err := config.Parse(raw)
	if err != nil {
		return errors.Wrap(err, "invalid Read Receipts configuration")
	}
	old := p.config.Get()
	if !p.config.Set(cfg) {
		return nil
	}
	p.mu.Lock()
	activated := p.activated
	p.mu.Unlock()
	if activated {
		p.announce(old, cfg)
	}
	return nil
}

// announce tells clients about changed settings and applies a changed
// retention at once rather than at the next daily run. Every server of a
// cluster gets the change; only the first to claim it acts.
func (p *Plugin) announce(old, cfg config.Config) {
	data, _ := json.Marshal(cfg)
	sum := sha256.Sum256(data)
	won, err := p.store.ClaimConfigChange(hex.EncodeToString(sum[:]))
	if err != nil {
		p.client.Log.Warn("failed to claim the configuration change", "err", err.Error())
		return
	}
	if !won {
		return
	}
	p.API.PublishWebSocketEvent(receipts.EventConfig, cfg.ClientView().Map(), &model.WebsocketBroadcast{})
	if cfg.RetentionDays != old.RetentionDays {
		go p.runRetention()
	}
}

// ConfigurationWillBeSaved refuses invalid plugin settings in the System
// Console with a message naming the setting.
func (p *Plugin) ConfigurationWillBeSaved(newCfg *model.Config) (*model.Config, error) {
	raw, ok := newCfg.PluginSettings.Plugins[pluginID]
	if !ok {
		return nil, nil
	}
	if _, err := config.Parse(raw); err != nil {
		return nil, &model.AppError{
			Id:              "readreceipts.invalid_setting",
			Message:         "Read Receipts: " + err.Error(),
			Where:           "ConfigurationWillBeSaved",
			StatusCode:      400,
			SkipTranslation: true,
		}
	}
	return nil, nil
}
