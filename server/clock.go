package main

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/command"
)

// userClock shows times as each user chose in their display settings.
type userClock struct {
	api plugin.API
}

var _ command.Clock = userClock{}

func (userClock) Now() time.Time { return time.Now() }

// Location is the user's time zone, UTC when unknown.
func (c userClock) Location(userID string) *time.Location {
	u, appErr := c.api.GetUser(userID)
	if appErr != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(u.GetPreferredTimezone())
	if err != nil {
		return time.UTC
	}
	return loc
}

// Military reports whether the user chose a 24-hour clock (Mattermost's
// default is 12-hour).
func (c userClock) Military(userID string) bool {
	p, appErr := c.api.GetPreferenceForUser(userID, model.PreferenceCategoryDisplaySettings, model.PreferenceNameUseMilitaryTime)
	return appErr == nil && p.Value == "true"
}
