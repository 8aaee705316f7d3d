package mmtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"
)

// Suite is the state shared by a whole test run: the admin's clients.
type Suite struct {
	Admin       *model.Client4
	AdminUser   *model.User
	AdminPlugin *PluginClient
}

// Setup makes sure the server runs, bootstraps the admin and, when bundle is
// not empty, installs the plugin from it.
func Setup(ctx context.Context, bundle string) (*Suite, error) {
	if err := EnsureServer(ctx); err != nil {
		return nil, err
	}
	admin, adminUser, err := BootstrapAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if bundle != "" {
		if err := InstallPlugin(ctx, admin, bundle); err != nil {
			return nil, err
		}
	}
	if err := DeactivateStaleTestUsers(ctx, admin, 15*time.Minute); err != nil {
		return nil, err
	}
	return &Suite{Admin: admin, AdminUser: adminUser, AdminPlugin: NewPluginClient(admin.AuthToken)}, nil
}

// DeactivateStaleTestUsers deactivates the active test users (email domain
// TestEmailDomain) created more than olderThan ago: those of runs that ended
// without cleaning up. Younger ones may belong to a run going on now.
func DeactivateStaleTestUsers(ctx context.Context, admin *model.Client4, olderThan time.Duration) error {
	cutoff := model.GetMillisForTime(time.Now().Add(-olderThan))
	var stale []string
	for page := 0; ; page++ {
		users, _, err := admin.GetUsersWithCustomQueryParameters(ctx, page, 200, "active=true", "")
		if err != nil {
			return fmt.Errorf("failed to list users: %w", err)
		}
		for _, u := range users {
			if strings.HasSuffix(u.Email, "@"+TestEmailDomain) && u.CreateAt < cutoff {
				stale = append(stale, u.Id)
			}
		}
		if len(users) < 200 {
			break
		}
	}
	for _, id := range stale {
		if _, err := admin.UpdateUserActive(ctx, id, false); err != nil {
			return fmt.Errorf("failed to deactivate stale test user %s: %w", id, err)
		}
	}
	return nil
}

// Env is one test's isolated world: its own team, users and channels.
type Env struct {
	Suite *Suite
	Team  *model.Team
}

// User is a logged-in test user with its clients.
type User struct {
	*model.User
	Password string
	Client   *model.Client4
	Plugin   *PluginClient

	mu sync.Mutex
	ws *Listener
}

// UserPassword is the password of every test user.
const UserPassword = "Test-Passw0rd-1"

// UniqueName returns prefix plus a random lower-case suffix (valid as a
// Mattermost user, team or channel name).
func UniqueName(prefix string) string {
	return prefix + strings.ToLower(model.NewId()[:10])
}

// NewEnv creates a team for the test, archived when the test ends.
func (s *Suite) NewEnv(t testing.TB) *Env {
	t.Helper()
	name := UniqueName("t")
	team, _, err := s.Admin.CreateTeam(ctx(t), &model.Team{Name: name, DisplayName: "Team " + name, Type: model.TeamOpen})
	require.NoError(t, err, "create team")
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := s.Admin.SoftDeleteTeam(c, team.Id); err != nil {
			t.Logf("failed to archive test team %s: %v", team.Name, err)
		}
	})
	return &Env{Suite: s, Team: team}
}

// TestEmailDomain marks the users the tests create, so that a later run can
// deactivate the ones a crashed run left active.
const TestEmailDomain = "it.readreceipts.test"

// NewUser creates a user with a unique name starting with prefix ("u" if
// empty), adds it to the team and logs it in. The user is deactivated when
// the test ends: an unlicensed server refuses new users beyond 250 active ones.
func (e *Env) NewUser(t testing.TB, prefix string) *User {
	t.Helper()
	u, err := e.newUser(ctx(t), prefix)
	if u != nil {
		e.deactivateAtEnd(t, u.Id)
	}
	require.NoError(t, err)
	return u
}

// NewUsers creates n users concurrently.
func (e *Env) NewUsers(t testing.TB, n int, prefix string) []*User {
	t.Helper()
	users := make([]*User, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			users[i], errs[i] = e.newUser(ctx(t), prefix)
		}()
	}
	wg.Wait()
	for _, u := range users {
		if u != nil {
			e.deactivateAtEnd(t, u.Id)
		}
	}
	for _, err := range errs {
		require.NoError(t, err)
	}
	return users
}

func (e *Env) deactivateAtEnd(t testing.TB, userID string) {
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := e.Suite.Admin.UpdateUserActive(c, userID, false); err != nil {
			t.Logf("failed to deactivate test user %s: %v", userID, err)
		}
	})
}

// newUser returns the created user (with at least its id) even when a later
// step fails, so that it is still deactivated.
func (e *Env) newUser(ctx context.Context, prefix string) (*User, error) {
	if prefix == "" {
		prefix = "u"
	}
	name := UniqueName(prefix)
	created, _, err := e.Suite.Admin.CreateUser(ctx, &model.User{
		Username: name, Password: UserPassword, Email: name + "@" + TestEmailDomain, EmailVerified: true,
	})
	if err != nil {
		return nil, fmt.Errorf("failed to create user %s: %w", name, err)
	}
	if _, _, err := e.Suite.Admin.AddTeamMember(ctx, e.Team.Id, created.Id); err != nil {
		return &User{User: created}, fmt.Errorf("failed to add %s to the team: %w", name, err)
	}
	u, err := LogIn(ctx, name, UserPassword)
	if err != nil {
		return &User{User: created}, err
	}
	return u, nil
}

// LogIn logs a user in with a password and returns its clients.
func LogIn(ctx context.Context, username, password string) (*User, error) {
	client := model.NewAPIv4Client(SiteURL())
	user, _, err := client.Login(ctx, username, password)
	if err != nil {
		return nil, fmt.Errorf("failed to log in %s: %w", username, err)
	}
	return &User{User: user, Password: password, Client: client, Plugin: NewPluginClient(client.AuthToken)}, nil
}

// WS returns the user's websocket listener, opening it on first use; it is
// closed when the test ends.
func (u *User) WS(t testing.TB) *Listener {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ws == nil {
		l, err := Listen(u.Client.AuthToken)
		require.NoError(t, err, "websocket for %s", u.Username)
		u.ws = l
		t.Cleanup(l.Close)
	}
	return u.ws
}

// PublicChannel creates a public channel owned (and so channel-admin'ed) by
// owner, with the members added.
func (e *Env) PublicChannel(t testing.TB, owner *User, members ...*User) *model.Channel {
	t.Helper()
	return e.channel(t, model.ChannelTypeOpen, owner, members)
}

// PrivateChannel creates a private channel owned by owner, with the members added.
func (e *Env) PrivateChannel(t testing.TB, owner *User, members ...*User) *model.Channel {
	t.Helper()
	return e.channel(t, model.ChannelTypePrivate, owner, members)
}

func (e *Env) channel(t testing.TB, typ model.ChannelType, owner *User, members []*User) *model.Channel {
	t.Helper()
	name := UniqueName("c")
	ch, _, err := owner.Client.CreateChannel(ctx(t), &model.Channel{
		TeamId: e.Team.Id, Name: name, DisplayName: "Channel " + name, Type: typ,
	})
	require.NoError(t, err, "create channel")
	e.AddMembers(t, ch, members...)
	return ch
}

// AddMembers adds users to a channel (as the admin).
func (e *Env) AddMembers(t testing.TB, ch *model.Channel, users ...*User) {
	t.Helper()
	for start := 0; start < len(users); start += 100 {
		end := min(start+100, len(users))
		ids := make([]string, 0, end-start)
		for _, u := range users[start:end] {
			ids = append(ids, u.Id)
		}
		_, _, err := e.Suite.Admin.AddChannelMembers(ctx(t), ch.Id, "", ids)
		require.NoError(t, err, "add channel members")
	}
}

// DM opens the direct message channel of a and b.
func (e *Env) DM(t testing.TB, a, b *User) *model.Channel {
	t.Helper()
	ch, _, err := a.Client.CreateDirectChannel(ctx(t), a.Id, b.Id)
	require.NoError(t, err, "create DM")
	return ch
}

// GM opens the group message channel of the users (3 to 8), created by the first.
func (e *Env) GM(t testing.TB, users ...*User) *model.Channel {
	t.Helper()
	ids := make([]string, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.Id)
	}
	ch, _, err := users[0].Client.CreateGroupChannel(ctx(t), ids)
	require.NoError(t, err, "create GM")
	return ch
}

// Deactivate deactivates the user (as the admin).
func (e *Env) Deactivate(t testing.TB, u *User) {
	t.Helper()
	_, err := e.Suite.Admin.UpdateUserActive(ctx(t), u.Id, false)
	require.NoError(t, err, "deactivate")
}

func ctx(t testing.TB) context.Context {
	c := t.Context()
	c, cancel := context.WithTimeout(c, 60*time.Second)
	t.Cleanup(cancel)
	return c
}
