//go:build tools

// Package mmserver pins the Mattermost server commands that build/server.sh builds.
package mmserver

import (
	_ "github.com/mattermost/mattermost/server/v8/cmd/mattermost"
	_ "github.com/mattermost/mattermost/server/v8/cmd/mmctl"
)
