// Package command implements /receipts, which works from every client,
// mobile included: turning a channel's receipts on or off, showing its
// status, and the user's own privacy setting. It applies the same rules as
// the HTTP API because it calls the same domain methods.
package command

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// Trigger is the slash command word.
const Trigger = "receipts"

// Service is what the command needs from the domain.
type Service interface {
	ChannelSettings(userID, channelID string) (receipts.ChannelSettings, error)
	SetChannelEnabled(userID, channelID string, enabled bool) (receipts.ChannelSettings, error)
	UserSettings(userID string) (receipts.UserSettings, error)
	SetSendReadReceipts(userID string, send bool) (receipts.UserSettings, error)
	QueryReceipts(userID string, postIDs []string) (receipts.QueryResult, error)
	Readers(userID, postID string, q receipts.ReaderQuery) (receipts.ReaderPage, error)
	NewestOwnPost(userID, channelID, rootID string) (string, error)
}

// Handler runs /receipts.
type Handler struct {
	svc    Service
	config func() config.Config
	clock  Clock
}

// New returns a Handler.
func New(svc Service, cfg func() config.Config) *Handler {
	return &Handler{svc: svc, config: cfg}
}

const help = "###### Read receipts\n" +
	"- `/receipts status` — whether this channel has read receipts, and your own setting\n" +
	"- `/receipts on` / `/receipts off` — turn read receipts on or off for this channel (channel admins; any member of a direct or group message)\n" +
	"- `/receipts privacy on` / `/receipts privacy off` — send read receipts to others, or stop sending them\n" +
	"- `/receipts privacy` — what others see of you\n" +
	"- `/receipts who [post id or permalink] [page]` — who has read your newest message here (or the one given)"

// Definition describes /receipts with its autocomplete.
func Definition() *model.Command {
	data := model.NewAutocompleteData(Trigger, "[command]", "Read receipts for this channel and your privacy")
	data.AddCommand(model.NewAutocompleteData("status", "", "Show whether this channel has read receipts"))
	data.AddCommand(model.NewAutocompleteData("on", "", "Turn read receipts on for this channel"))
	data.AddCommand(model.NewAutocompleteData("off", "", "Turn read receipts off for this channel"))
	privacy := model.NewAutocompleteData("privacy", "[on|off]", "Send read receipts to others, or stop")
	privacy.AddStaticListArgument("", false, []model.AutocompleteListItem{
		{Item: "on", HelpText: "Send read receipts"},
		{Item: "off", HelpText: "Stop sending read receipts"},
	})
	data.AddCommand(privacy)
	data.AddCommand(model.NewAutocompleteData("who", "[post id or permalink] [page]", "Who has read your newest message here, or the one given"))
	data.AddCommand(model.NewAutocompleteData("help", "", "Show help"))
	return &model.Command{
		Trigger:          Trigger,
		DisplayName:      "Read Receipts",
		Description:      "Read receipts for this channel and your privacy",
		AutoComplete:     true,
		AutoCompleteDesc: "Available commands: status, on, off, privacy, who, help",
		AutoCompleteHint: "[status|on|off|privacy on|privacy off|who|help]",
		AutocompleteData: data,
	}
}

// Execute runs the command and answers with an ephemeral message.
func (h *Handler) Execute(args *model.CommandArgs) *model.CommandResponse {
	fields := strings.Fields(strings.ToLower(args.Command))
	if len(fields) > 0 {
		fields = fields[1:]
	}
	var text string
	if len(fields) > 0 && fields[0] == "who" {
		text = h.who(args, fields[1:])
	} else {
		text = h.run(args.UserId, args.ChannelId, fields)
	}
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text}
}

func (h *Handler) run(userID, channelID string, fields []string) string {
	switch strings.Join(fields, " ") {
	case "status":
		return h.status(userID, channelID)
	case "on", "off":
		s, err := h.svc.SetChannelEnabled(userID, channelID, fields[0] == "on")
		if err != nil {
			return failure(err)
		}
		return "Read receipts are now " + onOff(s.Enabled) + " for this channel." + because(s)
	case "privacy on", "privacy off":
		s, err := h.svc.SetSendReadReceipts(userID, fields[1] == "on")
		if err != nil {
			return failure(err)
		}
		return privacyText(s, h.config().Reciprocal)
	case "privacy":
		s, err := h.svc.UserSettings(userID)
		if err != nil {
			return failure(err)
		}
		return privacyExplained(s, h.config().Reciprocal)
	}
	return help
}

func (h *Handler) status(userID, channelID string) string {
	s, err := h.svc.ChannelSettings(userID, channelID)
	if err != nil {
		return failure(err)
	}
	u, err := h.svc.UserSettings(userID)
	if err != nil {
		return failure(err)
	}
	mode := "every message"
	if s.RequestMode == config.RequestPerMessage {
		mode = "messages that ask for them"
	}
	text := fmt.Sprintf("Read receipts are %s for this channel.%s", onOff(s.Enabled), because(s))
	if s.Enabled {
		text += " Receipts are requested for " + mode + "."
	}
	return text + "\n" + privacyText(u, h.config().Reciprocal)
}

func privacyText(u receipts.UserSettings, reciprocal bool) string {
	switch {
	case u.SendReadReceipts && !u.CanChange:
		return "You send read receipts; your administrator requires them for everyone."
	case u.SendReadReceipts:
		return "You send read receipts."
	case reciprocal:
		return "You do not send read receipts, so you do not see other people's either."
	}
	return "You do not send read receipts."
}

// privacyExplained says in words what others see of the user, and since when.
func privacyExplained(u receipts.UserSettings, reciprocal bool) string {
	var text string
	if u.SendReadReceipts {
		text = "You send read receipts: when you read a message that asks for them, its sender sees that you read it and when."
		if !u.CanChange {
			text += " Your administrator requires read receipts for everyone, so you cannot turn them off."
		}
	} else {
		text = "You do not send read receipts: nobody sees whether or when you read their messages."
		if reciprocal {
			text += " Because of that, you do not see who read your own messages either."
		}
	}
	switch {
	case !u.CanChange:
	case u.Since > 0:
		text += " This has been your choice since " + time.UnixMilli(u.Since).UTC().Format("2006-01-02 15:04 MST") + "."
	default:
		text += " This is the default; you have never changed it."
	}
	if u.CanChange {
		text += " Change it with `/receipts privacy " + onOff(!u.SendReadReceipts) + "`."
	}
	return text
}

func because(s receipts.ChannelSettings) string {
	switch s.Reason {
	case receipts.ReasonTypeDisabled:
		return " Your administrator has turned them off for this kind of channel."
	case receipts.ReasonTurnedOff:
		return " Someone who manages the channel turned them off."
	case receipts.ReasonTooManyMembers:
		return " The channel has more members than your administrator allows for read receipts."
	}
	return ""
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// failure explains a refused command without internal details.
func failure(err error) string {
	if e, ok := receipts.AsError(err); ok {
		switch e.ID {
		case receipts.ErrNoPermission.ID:
			return "Only channel admins can turn read receipts on or off for this channel."
		case receipts.ErrPolicyLocked.ID:
			return "Your administrator requires read receipts for everyone, so this setting cannot be changed."
		}
		return "Could not do that: " + e.Message
	}
	return "Something went wrong; please try again or ask your administrator to check the server log."
}
