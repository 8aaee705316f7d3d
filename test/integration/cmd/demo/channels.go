package main

// The demo's team and channels: created on the first run, reused after.

import (
	"context"
	"fmt"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

func ensureTeam(ctx context.Context, admin *model.Client4, users map[string]*model.User) (*model.Team, error) {
	team, resp, err := admin.GetTeamByName(ctx, demoTeam, "")
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		return nil, fmt.Errorf("failed to look up team %s: %w", demoTeam, err)
	}
	if team == nil {
		if team, _, err = admin.CreateTeam(ctx, &model.Team{Name: demoTeam, DisplayName: "Demo", Type: model.TeamOpen}); err != nil {
			return nil, fmt.Errorf("failed to create team %s: %w", demoTeam, err)
		}
	}
	for _, name := range demoUsers {
		if _, _, err := admin.AddTeamMember(ctx, team.Id, users[name].Id); err != nil {
			return nil, fmt.Errorf("failed to add %s to the team: %w", name, err)
		}
	}
	return team, nil
}

// ensureChannels opens the DM and the group message (Mattermost returns the
// existing ones), creates or reuses the two channels with every demo user,
// and returns alice's welcome post in the group message.
func ensureChannels(ctx context.Context, admin *model.Client4, alice *mmtest.User, team *model.Team, users map[string]*model.User) (*model.Post, error) {
	if _, _, err := alice.Client.CreateDirectChannel(ctx, users["alice"].Id, users["bob"].Id); err != nil {
		return nil, fmt.Errorf("failed to open the DM: %w", err)
	}
	gm, _, err := alice.Client.CreateGroupChannel(ctx, []string{users["alice"].Id, users["bob"].Id, users["carol"].Id})
	if err != nil {
		return nil, fmt.Errorf("failed to open the group message: %w", err)
	}
	for name, typ := range map[string]model.ChannelType{publicChannel: model.ChannelTypeOpen, privateChannel: model.ChannelTypePrivate} {
		if err := ensureChannel(ctx, admin, alice, team, name, typ, users); err != nil {
			return nil, err
		}
	}
	return ensureWelcome(ctx, alice, gm.Id)
}

func ensureChannel(ctx context.Context, admin *model.Client4, alice *mmtest.User, team *model.Team, name string, typ model.ChannelType, users map[string]*model.User) error {
	ch, resp, err := admin.GetChannelByName(ctx, name, team.Id, "")
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		return fmt.Errorf("failed to look up channel %s: %w", name, err)
	}
	if ch == nil {
		display := "Receipts (public)"
		if typ == model.ChannelTypePrivate {
			display = "Receipts (private)"
		}
		if ch, _, err = alice.Client.CreateChannel(ctx, &model.Channel{TeamId: team.Id, Name: name, DisplayName: display, Type: typ}); err != nil {
			return fmt.Errorf("failed to create channel %s: %w", name, err)
		}
	}
	var missing []string
	for _, n := range demoUsers {
		if _, resp, err := admin.GetChannelMember(ctx, ch.Id, users[n].Id, ""); err != nil {
			if resp == nil || resp.StatusCode != http.StatusNotFound {
				return fmt.Errorf("failed to look up %s in %s: %w", n, name, err)
			}
			missing = append(missing, users[n].Id)
		}
	}
	if len(missing) > 0 {
		if _, _, err := admin.AddChannelMembers(ctx, ch.Id, "", missing); err != nil {
			return fmt.Errorf("failed to add members to %s: %w", name, err)
		}
	}
	return nil
}

func ensureWelcome(ctx context.Context, alice *mmtest.User, gmID string) (*model.Post, error) {
	list, _, err := alice.Client.GetPostsForChannel(ctx, gmID, 0, 200, "", false, false)
	if err != nil {
		return nil, fmt.Errorf("failed to read the group message: %w", err)
	}
	for _, id := range list.Order {
		if p := list.Posts[id]; p.UserId == alice.Id && p.Message == welcomeMessage {
			return p, nil
		}
	}
	post, _, err := alice.Client.CreatePost(ctx, &model.Post{ChannelId: gmID, Message: welcomeMessage})
	if err != nil {
		return nil, fmt.Errorf("failed to post the welcome message: %w", err)
	}
	return post, nil
}
