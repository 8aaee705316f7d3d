package mmtest

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Settings are the plugin's admin settings (API.md, Settings).
type Settings struct {
	EnableDirectMessages  bool
	EnableGroupMessages   bool
	EnablePrivateChannels bool
	EnablePublicChannels  bool
	RequestMode           string
	MaxChannelMembers     int
	PrivacyPolicy         string
	Reciprocal            bool
	CountsVisibleTo       string
	RetentionDays         int
	// WebhookURL and WebhookSecret are server-side only: GET /config never shows them.
	WebhookURL    string
	WebhookSecret string
}

// DefaultSettings are the defaults of API.md.
func DefaultSettings() Settings {
	return Settings{
		EnableDirectMessages: true, EnableGroupMessages: true,
		RequestMode: "all", MaxChannelMembers: 5000, PrivacyPolicy: "user_choice",
		Reciprocal: true, CountsVisibleTo: "author", RetentionDays: 90,
	}
}

// AllChannelsSettings are the defaults with receipts on in all four channel
// types: the baseline of the tests and the demo.
func AllChannelsSettings() Settings {
	s := DefaultSettings()
	s.EnablePrivateChannels = true
	s.EnablePublicChannels = true
	return s
}

// Map is the settings as the System Console stores them: keys in lower case.
func (s Settings) Map() map[string]any {
	return map[string]any{
		"enabledirectmessages":  s.EnableDirectMessages,
		"enablegroupmessages":   s.EnableGroupMessages,
		"enableprivatechannels": s.EnablePrivateChannels,
		"enablepublicchannels":  s.EnablePublicChannels,
		"requestmode":           s.RequestMode,
		"maxchannelmembers":     s.MaxChannelMembers,
		"privacypolicy":         s.PrivacyPolicy,
		"reciprocal":            s.Reciprocal,
		"countsvisibleto":       s.CountsVisibleTo,
		"retentiondays":         s.RetentionDays,
		"webhookurl":            s.WebhookURL,
		"webhooksecret":         s.WebhookSecret,
	}
}

// Config is the client-visible configuration that these settings should
// produce in GET /config.
func (s Settings) Config() Config {
	return Config{
		EnableDirectMessages: s.EnableDirectMessages, EnableGroupMessages: s.EnableGroupMessages,
		EnablePrivateChannels: s.EnablePrivateChannels, EnablePublicChannels: s.EnablePublicChannels,
		RequestMode: s.RequestMode, MaxChannelMembers: s.MaxChannelMembers, PrivacyPolicy: s.PrivacyPolicy,
		Reciprocal: s.Reciprocal, CountsVisibleTo: s.CountsVisibleTo,
	}
}

// GetPluginSettings returns the plugin's stored settings map (nil if none).
func GetPluginSettings(ctx context.Context, admin *model.Client4) (map[string]any, error) {
	cfg, _, err := admin.GetConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to get the server config: %w", err)
	}
	return cfg.PluginSettings.Plugins[PluginID], nil
}

// PutPluginSettings replaces the plugin's settings map through PUT
// /api/v4/config, as the System Console does. It returns the server's error
// (a *model.AppError with its status) when the save is refused.
func PutPluginSettings(ctx context.Context, admin *model.Client4, values map[string]any) (*model.Response, error) {
	cfg, _, err := admin.GetConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to get the server config: %w", err)
	}
	if cfg.PluginSettings.Plugins == nil {
		cfg.PluginSettings.Plugins = map[string]map[string]any{}
	}
	cfg.PluginSettings.Plugins[PluginID] = values
	_, resp, err := admin.UpdateConfig(ctx, cfg)
	return resp, err
}

// ApplySettings stores the settings and waits until GET /config shows them.
func ApplySettings(ctx context.Context, admin *model.Client4, s Settings) error {
	if resp, err := PutPluginSettings(ctx, admin, s.Map()); err != nil {
		return fmt.Errorf("failed to save plugin settings (status %d): %w", statusOf(resp), err)
	}
	return WaitConfig(ctx, NewPluginClient(admin.AuthToken), s.Config(), 15*time.Second)
}

// WaitConfig polls GET /config until it equals want.
func WaitConfig(ctx context.Context, pc *PluginClient, want Config, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last Config
	var lastStatus int
	for {
		var got Config
		res, err := pc.Do(ctx, http.MethodGet, "/config", nil)
		if err == nil {
			lastStatus = res.Status
			if res.Status == http.StatusOK && res.Decode(&got) == nil {
				last = got
				if reflect.DeepEqual(got, want) {
					return nil
				}
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET /config did not show %+v within %s: last status %d, last %+v", want, timeout, lastStatus, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func statusOf(resp *model.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}
