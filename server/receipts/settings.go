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
	return channelSettingsAt(s.mm, ch, cfg, s.nowMillis(), s.store.ChannelSetting)
}

// channelSettingsAt is channelSettings with the channel's own switch as it
// was at time at (a post is judged by the switch when it was created).
// settingSource gives a channel's stored setting: the store's, or one read
// already (the posted hook reads it with what else it needs).
type settingSource func(channelID string) (*ChannelSetting, error)

// memberCounter counts a channel's members as Mattermost shows them.
type memberCounter interface {
	MemberCount(channelID string) (int, error)
}

func channelSettingsAt(mm memberCounter, ch *Channel, cfg config.Config, at int64, settingOf settingSource) (ChannelSettings, error) {
	out := ChannelSettings{ChannelID: ch.ID, RequestMode: cfg.RequestMode}
	if !typeEnabled(ch.Type, cfg) {
		out.Reason = ReasonTypeDisabled
		return out, nil
	}
	setting, err := settingOf(ch.ID)
	if err != nil {
		return out, errors.Wrap(err, "failed to load channel setting")
	}
	if setting.offAt(at) {
		out.Reason = ReasonTurnedOff
		return out, nil
	}
	if ch.Type == ChannelOpen || ch.Type == ChannelPrivate {
		n, err := mm.MemberCount(ch.ID)
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

// channelViewer is what visibleChannel asks Mattermost.
type channelViewer interface {
	Channel(channelID string) (*Channel, error)
	CanReadChannel(userID, channelID string) (bool, error)
}

// visibleChannel returns the channel if the user may read it, else ErrNotFound:
// the API never confirms that a channel exists to someone who cannot see it.
func visibleChannel(mm channelViewer, userID, channelID string) (*Channel, error) {
	ch, err := mm.Channel(channelID)
	if err != nil {
		return nil, err
	}
	ok, err := mm.CanReadChannel(userID, channelID)
	if err != nil {
		return nil, errors.Wrap(err, "failed to check channel access")
	}
	if !ok {
		return nil, ErrNotFound
	}
	return ch, nil
}

// ChannelSettings answers GET /channels/{id}/settings.
func (s *Service) ChannelSettings(userID, channelID string) (ChannelSettings, error) {
	ch, err := visibleChannel(s.mm, userID, channelID)
	if err != nil {
		return ChannelSettings{}, err
	}
	return s.channelSettings(ch, s.config())
}

// SetChannelEnabled turns a channel's receipts on or off for those who may
// manage it: any member of a DM or group message; channel, team and system
// admins of other channels.
func (s *Service) SetChannelEnabled(userID, channelID string, enabled bool) (ChannelSettings, error) {
	ch, err := visibleChannel(s.mm, userID, channelID)
	if err != nil {
		return ChannelSettings{}, err
	}
	if ok, err := s.mayManage(userID, ch); err != nil || !ok {
		if err == nil {
			err = ErrNoPermission
		}
		return ChannelSettings{}, err
	}
	now := s.nowMillis()
	err = s.store.UpdateChannelSetting(channelID, func(cs *ChannelSetting) error {
		cs.set(!enabled, userID, now)
		return nil
	})
	if err != nil {
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
