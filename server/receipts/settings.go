package receipts

import (
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// Websocket event names (clients receive custom_readreceipts_<name>).
const (
	EventReceipts        = "receipts"
	EventChannelSettings = "channel_settings"
	EventConfig          = "config"
)

// Mattermost channel types.
const (
	ChannelDirect  = "D"
	ChannelGroup   = "G"
	ChannelPrivate = "P"
	ChannelOpen    = "O"
)

func typeEnabled(channelType string, cfg config.Config) bool {
	switch channelType {
	case ChannelDirect:
		return cfg.EnableDirectMessages
	case ChannelGroup:
		return cfg.EnableGroupMessages
	case ChannelPrivate:
		return cfg.EnablePrivateChannels
	case ChannelOpen:
		return cfg.EnablePublicChannels
	}
	return false
}

// channelSettings decides whether a channel has receipts now, and why not.
func (s *Service) channelSettings(ch *Channel, cfg config.Config) (ChannelSettings, error) {
	out := ChannelSettings{ChannelID: ch.ID, RequestMode: cfg.RequestMode}
	if !typeEnabled(ch.Type, cfg) {
		out.Reason = ReasonTypeDisabled
		return out, nil
	}
	setting, err := s.store.ChannelSetting(ch.ID)
	if err != nil {
		return out, errors.Wrap(err, "failed to load channel setting")
	}
	if setting != nil && setting.Off {
		out.Reason = ReasonTurnedOff
		return out, nil
	}
	if ch.Type == ChannelOpen || ch.Type == ChannelPrivate {
		n, err := s.mm.MemberCount(ch.ID)
		if err != nil {
			return out, errors.Wrap(err, "failed to count channel members")
		}
		if n > cfg.MaxChannelMembers {
			out.Reason = ReasonTooManyMembers
			return out, nil
		}
	}
	out.Enabled = true
	return out, nil
}

// visibleChannel returns the channel if the user may read it, else ErrNotFound:
// the API never confirms that a channel exists to someone who cannot see it.
func (s *Service) visibleChannel(userID, channelID string) (*Channel, error) {
	ch, err := s.mm.Channel(channelID)
	if err != nil {
		return nil, err
	}
	if !s.mm.CanReadChannel(userID, channelID) {
		return nil, ErrNotFound
	}
	return ch, nil
}

// ChannelSettings answers GET /channels/{id}/settings.
func (s *Service) ChannelSettings(userID, channelID string) (ChannelSettings, error) {
	ch, err := s.visibleChannel(userID, channelID)
	if err != nil {
		return ChannelSettings{}, err
	}
	return s.channelSettings(ch, s.config())
}

// SetChannelEnabled turns a channel's receipts on or off for those who may
// manage it: any member of a DM or group message; channel, team and system
// admins of other channels.
func (s *Service) SetChannelEnabled(userID, channelID string, enabled bool) (ChannelSettings, error) {
	ch, err := s.visibleChannel(userID, channelID)
	if err != nil {
		return ChannelSettings{}, err
	}
	if ok, err := s.mayManage(userID, ch); err != nil || !ok {
		if err == nil {
			err = ErrNoPermission
		}
		return ChannelSettings{}, err
	}
	setting := &ChannelSetting{Version: FormatVersion, Off: !enabled, By: userID, At: s.nowMillis()}
	if err = s.store.SaveChannelSetting(channelID, setting); err != nil {
		return ChannelSettings{}, errors.Wrap(err, "failed to save channel setting")
	}
	out, err := s.channelSettings(ch, s.config())
	if err != nil {
		return out, err
	}
	s.pub.ToChannel(EventChannelSettings, map[string]any{"channel_id": channelID, "enabled": out.Enabled}, channelID)
	return out, nil
}

func (s *Service) mayManage(userID string, ch *Channel) (bool, error) {
	if ch.Type == ChannelDirect || ch.Type == ChannelGroup {
		ok, err := s.mm.IsMember(userID, ch.ID)
		return ok, errors.Wrap(err, "failed to check channel membership")
	}
	return s.mm.CanManageChannel(userID, ch.ID), nil
}

// activeOptOuts returns the users whose choice not to send receipts applies
// under the current policy.
func (s *Service) activeOptOuts(cfg config.Config) (map[string]bool, error) {
	if cfg.PrivacyPolicy == config.PrivacyAlwaysOn {
		return nil, nil
	}
	o, err := s.store.OptOuts()
	if err != nil {
		return nil, errors.Wrap(err, "failed to load privacy settings")
	}
	out := make(map[string]bool, len(o.Users))
	for u := range o.Users {
		out[u] = true
	}
	return out, nil
}

// sends reports whether the user's reads are recorded under the current policy.
func (s *Service) sends(userID string, cfg config.Config) (bool, error) {
	opted, err := s.activeOptOuts(cfg)
	return !opted[userID], err
}

// hidden reports whether reciprocity hides receipts from the user.
func (s *Service) hidden(userID string, cfg config.Config) (bool, error) {
	if !cfg.Reciprocal {
		return false, nil
	}
	opted, err := s.activeOptOuts(cfg)
	return reciprocityHides(cfg, opted, userID), err
}

// reciprocityHides reports whether, under Reciprocal, any of the users
// stopped sending receipts and so may not see any.
func reciprocityHides(cfg config.Config, opted map[string]bool, users ...string) bool {
	if !cfg.Reciprocal {
		return false
	}
	for _, u := range users {
		if opted[u] {
			return true
		}
	}
	return false
}

// UserSettings answers GET /me/settings.
func (s *Service) UserSettings(userID string) (UserSettings, error) {
	cfg := s.config()
	sends, err := s.sends(userID, cfg)
	return UserSettings{SendReadReceipts: sends, CanChange: cfg.PrivacyPolicy == config.PrivacyUserChoice}, err
}

// SetSendReadReceipts records the user's choice; refused under always_on.
func (s *Service) SetSendReadReceipts(userID string, send bool) (UserSettings, error) {
	if s.config().PrivacyPolicy == config.PrivacyAlwaysOn {
		return UserSettings{}, ErrPolicyLocked
	}
	now := s.nowMillis()
	err := s.store.UpdateOptOuts(func(o *OptOuts) error {
		_, opted := o.Users[userID]
		if opted != send {
			return ErrNoChange
		}
		o.Version = FormatVersion
		if o.Users == nil {
			o.Users = map[string]int64{}
		}
		if send {
			delete(o.Users, userID)
		} else {
			o.Users[userID] = now
		}
		return nil
	})
	if err != nil {
		return UserSettings{}, errors.Wrap(err, "failed to save privacy setting")
	}
	return s.UserSettings(userID)
}
