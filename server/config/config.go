// Package config holds the plugin's admin settings: parsing from the System
// Console's map (whose keys arrive in lower case), defaults, validation and the
// subset that clients may see.
package config

import (
	"encoding/json"
	"strings"

	"github.com/pkg/errors"
)

// Request modes.
const (
	RequestAll        = "all"
	RequestPerMessage = "per_message"
)

// Privacy policies.
const (
	PrivacyUserChoice = "user_choice"
	PrivacyAlwaysOn   = "always_on"
)

// Who may read counts.
const (
	CountsAuthor  = "author"
	CountsMembers = "members"
)

// Limits on numeric settings.
const (
	MinChannelMembers    = 2
	MaxMaxChannelMembers = 100000
	MaxRetentionDays     = 36500
)

// Config is one immutable set of admin settings. Never mutate a Config that
// has been handed out; build a new one instead.
type Config struct {
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
	// WebhookURL receives read events (empty: none); WebhookSecret signs
	// them. Neither is ever sent to clients.
	WebhookURL    string
	WebhookSecret string
}

// Default returns the settings that apply when the admin has set nothing.
func Default() Config {
	return Config{
		EnableDirectMessages: true,
		EnableGroupMessages:  true,
		RequestMode:          RequestAll,
		MaxChannelMembers:    5000,
		PrivacyPolicy:        PrivacyUserChoice,
		Reciprocal:           true,
		CountsVisibleTo:      CountsAuthor,
		RetentionDays:        90,
	}
}

// Parse builds a Config from the plugin's settings map, starting from the
// defaults. Keys match case-insensitively because the System Console stores
// them in lower case. The result is validated.
func Parse(settings map[string]any) (Config, error) {
	c := Default()
	lower := make(map[string]any, len(settings))
	for k, v := range settings {
		lower[strings.ToLower(k)] = v
	}
	var err error
	set := func(key string, apply func(v any) error) {
		v, ok := lower[strings.ToLower(key)]
		if !ok || v == nil || err != nil {
			return
		}
		if e := apply(v); e != nil {
			err = errors.Wrapf(e, "setting %s", key)
		}
	}
	set("EnableDirectMessages", boolInto(&c.EnableDirectMessages))
	set("EnableGroupMessages", boolInto(&c.EnableGroupMessages))
	set("EnablePrivateChannels", boolInto(&c.EnablePrivateChannels))
	set("EnablePublicChannels", boolInto(&c.EnablePublicChannels))
	set("RequestMode", stringInto(&c.RequestMode))
	set("MaxChannelMembers", intInto(&c.MaxChannelMembers))
	set("PrivacyPolicy", stringInto(&c.PrivacyPolicy))
	set("Reciprocal", boolInto(&c.Reciprocal))
	set("CountsVisibleTo", stringInto(&c.CountsVisibleTo))
	set("RetentionDays", intInto(&c.RetentionDays))
	set("WebhookURL", stringInto(&c.WebhookURL))
	set("WebhookSecret", stringInto(&c.WebhookSecret))
	if err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// Validate reports the first invalid setting by its System Console name.
func (c Config) Validate() error {
	switch {
	case c.RequestMode != RequestAll && c.RequestMode != RequestPerMessage:
		return errors.Errorf("RequestMode must be %q or %q, not %q", RequestAll, RequestPerMessage, c.RequestMode)
	case c.PrivacyPolicy != PrivacyUserChoice && c.PrivacyPolicy != PrivacyAlwaysOn:
		return errors.Errorf("PrivacyPolicy must be %q or %q, not %q", PrivacyUserChoice, PrivacyAlwaysOn, c.PrivacyPolicy)
	case c.CountsVisibleTo != CountsAuthor && c.CountsVisibleTo != CountsMembers:
		return errors.Errorf("CountsVisibleTo must be %q or %q, not %q", CountsAuthor, CountsMembers, c.CountsVisibleTo)
	case c.MaxChannelMembers < MinChannelMembers || c.MaxChannelMembers > MaxMaxChannelMembers:
		return errors.Errorf("MaxChannelMembers must be between %d and %d, not %d", MinChannelMembers, MaxMaxChannelMembers, c.MaxChannelMembers)
	case c.RetentionDays < 0 || c.RetentionDays > MaxRetentionDays:
		return errors.Errorf("RetentionDays must be between 0 and %d, not %d", MaxRetentionDays, c.RetentionDays)
	}
	return c.validateWebhook()
}

// Client is the subset of settings that any signed-in user may read
// (GET /config and the config websocket event).
type Client struct {
	EnableDirectMessages  bool   `json:"enable_direct_messages"`
	EnableGroupMessages   bool   `json:"enable_group_messages"`
	EnablePrivateChannels bool   `json:"enable_private_channels"`
	EnablePublicChannels  bool   `json:"enable_public_channels"`
	RequestMode           string `json:"request_mode"`
	MaxChannelMembers     int    `json:"max_channel_members"`
	PrivacyPolicy         string `json:"privacy_policy"`
	Reciprocal            bool   `json:"reciprocal"`
	CountsVisibleTo       string `json:"counts_visible_to"`
}

// ClientView returns the client-visible settings.
func (c Config) ClientView() Client {
	return Client{
		EnableDirectMessages:  c.EnableDirectMessages,
		EnableGroupMessages:   c.EnableGroupMessages,
		EnablePrivateChannels: c.EnablePrivateChannels,
		EnablePublicChannels:  c.EnablePublicChannels,
		RequestMode:           c.RequestMode,
		MaxChannelMembers:     c.MaxChannelMembers,
		PrivacyPolicy:         c.PrivacyPolicy,
		Reciprocal:            c.Reciprocal,
		CountsVisibleTo:       c.CountsVisibleTo,
	}
}

// Map returns the client view as a websocket-safe map (primitives only).
func (c Client) Map() map[string]any {
	return map[string]any{
		"enable_direct_messages":  c.EnableDirectMessages,
		"enable_group_messages":   c.EnableGroupMessages,
		"enable_private_channels": c.EnablePrivateChannels,
		"enable_public_channels":  c.EnablePublicChannels,
		"request_mode":            c.RequestMode,
		"max_channel_members":     c.MaxChannelMembers,
		"privacy_policy":          c.PrivacyPolicy,
		"reciprocal":              c.Reciprocal,
		"counts_visible_to":       c.CountsVisibleTo,
	}
}

func boolInto(dst *bool) func(any) error {
	return func(v any) error {
		switch t := v.(type) {
		case bool:
			*dst = t
		case string:
			switch strings.ToLower(strings.TrimSpace(t)) {
			case "true":
				*dst = true
			case "false":
				*dst = false
			default:
				return errors.Errorf("must be true or false, not %q", t)
			}
		default:
			return errors.Errorf("must be true or false, not %v", v)
		}
		return nil
	}
}

func stringInto(dst *string) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return errors.Errorf("must be text, not %v", v)
		}
		*dst = strings.TrimSpace(s)
		return nil
	}
}

// intInto accepts JSON numbers and numeric strings: the System Console saves
// number settings as numbers, but config files and mmctl may hold strings.
func intInto(dst *int) func(any) error {
	return func(v any) error {
		var n json.Number
		switch t := v.(type) {
		case float64:
			if t != float64(int64(t)) {
				return errors.Errorf("must be a whole number, not %v", t)
			}
			*dst = int(t)
			return nil
		case int:
			*dst = t
			return nil
		case int64:
			*dst = int(t)
			return nil
		case json.Number:
			n = t
		case string:
			n = json.Number(strings.TrimSpace(t))
		default:
			return errors.Errorf("must be a whole number, not %v", v)
		}
		i, err := n.Int64()
		if err != nil {
			return errors.Errorf("must be a whole number, not %q", string(n))
		}
		*dst = int(i)
		return nil
	}
}
