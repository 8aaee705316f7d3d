// Command demo prepares the development server for trying Read Receipts by
// hand: the admin, four demo users, a team with a DM, a group message, a
// private and a public channel, receipts on in all four channel types, and a
// personal access token for alice. It is idempotent: a second run reuses
// everything. `make run` calls it with the bundle to upload:
//
//	go run ./cmd/demo [--bundle dist/readreceipts-<version>.tar.gz] [--quiet] [--env-file .cache/demo.env]
//
// --bundle (or PLUGIN_BUNDLE) uploads and enables the plugin first; without
// it the plugin must already run. --env-file writes MM_SITE_URL and
// MM_ADMIN_TOKEN (and alice's token) as shell exports for the browser tests.
// --quiet prints nothing on success.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// The demo's fixed names and password.
const (
	demoPassword     = "Demo-Passw0rd-1"
	demoTeam         = "demo"
	publicChannel    = "receipts-public"
	privateChannel   = "receipts-private"
	tokenDescription = "readreceipts demo"
	welcomeMessage   = "Hello bob and carol! This group message has read receipts."
)

var demoUsers = []string{"alice", "bob", "carol", "dave"}

type options struct {
	bundle  string
	quiet   bool
	envFile string
}

func main() {
	var opts options
	flag.StringVar(&opts.bundle, "bundle", os.Getenv("PLUGIN_BUNDLE"), "plugin bundle to upload and enable first (default $PLUGIN_BUNDLE)")
	flag.BoolVar(&opts.quiet, "quiet", false, "print nothing on success")
	flag.StringVar(&opts.envFile, "env-file", "", "write MM_SITE_URL, MM_ADMIN_TOKEN and MM_DEMO_ALICE_TOKEN as shell exports to this file")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := run(ctx, opts); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, opts options) error {
	if err := mmtest.Ping(ctx); err != nil {
		return fmt.Errorf("the server at %s does not answer (build/server.sh start): %w", mmtest.SiteURL(), err)
	}
	admin, adminUser, err := mmtest.BootstrapAdmin(ctx)
	if err != nil {
		return err
	}
	if err := ensurePlugin(ctx, admin, opts.bundle); err != nil {
		return err
	}
	users := map[string]*model.User{}
	for _, name := range demoUsers {
		if users[name], err = ensureUser(ctx, admin, name); err != nil {
			return err
		}
	}
	team, err := ensureTeam(ctx, admin, users)
	if err != nil {
		return err
	}
	alice, err := mmtest.LogIn(ctx, "alice", demoPassword)
	if err != nil {
		return err
	}
	welcome, err := ensureChannels(ctx, admin, alice, team, users)
	if err != nil {
		return err
	}
	if err := enableAllChannelTypes(ctx, admin); err != nil {
		return err
	}
	token, err := ensureToken(ctx, admin, users["alice"].Id, "alice")
	if err != nil {
		return err
	}
	if opts.envFile != "" {
		adminToken, err := ensureToken(ctx, admin, adminUser.Id, mmtest.AdminUsername)
		if err != nil {
			return err
		}
		if err := writeEnvFile(opts.envFile, adminToken, token); err != nil {
			return err
		}
	}
	if !opts.quiet {
		printSummary(team, token, welcome)
	}
	return nil
}

func ensurePlugin(ctx context.Context, admin *model.Client4, bundle string) error {
	if bundle != "" {
		return mmtest.InstallPlugin(ctx, admin, bundle)
	}
	if err := mmtest.WaitPluginRunning(ctx, admin, 10*time.Second); err != nil {
		return fmt.Errorf("%w (upload it first, or pass --bundle)", err)
	}
	return nil
}

func writeEnvFile(path, adminToken, aliceToken string) error {
	content := fmt.Sprintf("export MM_SITE_URL=%s\nexport MM_ADMIN_TOKEN=%s\nexport MM_DEMO_ALICE_TOKEN=%s\n",
		mmtest.SiteURL(), adminToken, aliceToken)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("failed to create the env file's folder: %w", err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	return nil
}

// ensureUser creates the user, or makes sure the existing one logs in with
// the demo password.
func ensureUser(ctx context.Context, admin *model.Client4, name string) (*model.User, error) {
	user, resp, err := admin.GetUserByUsername(ctx, name, "")
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		return nil, fmt.Errorf("failed to look up %s: %w", name, err)
	}
	if user == nil {
		user, _, err = admin.CreateUser(ctx, &model.User{
			Username: name, Password: demoPassword, Email: name + "@readreceipts.test", EmailVerified: true,
			FirstName: strings.ToUpper(name[:1]) + name[1:],
		})
		if err != nil {
			return nil, fmt.Errorf("failed to create %s: %w", name, err)
		}
		return user, nil
	}
	if _, err := mmtest.LogIn(ctx, name, demoPassword); err != nil {
		if _, err := admin.UpdateUserPassword(ctx, user.Id, "", demoPassword); err != nil {
			return nil, fmt.Errorf("failed to reset the password of %s: %w", name, err)
		}
	}
	return user, nil
}

// enableAllChannelTypes turns the four channel types on and keeps every
// other stored setting as it is.
func enableAllChannelTypes(ctx context.Context, admin *model.Client4) error {
	values, err := mmtest.GetPluginSettings(ctx, admin)
	if err != nil {
		return err
	}
	keys := []string{"EnableDirectMessages", "EnableGroupMessages", "EnablePrivateChannels", "EnablePublicChannels"}
	next := map[string]any{}
	for k, v := range values {
		next[k] = v
	}
	for _, key := range keys {
		for k := range next {
			if strings.EqualFold(k, key) {
				delete(next, k)
			}
		}
		next[strings.ToLower(key)] = true
	}
	if _, err := mmtest.PutPluginSettings(ctx, admin, next); err != nil {
		return fmt.Errorf("failed to turn receipts on for all channel types: %w", err)
	}
	pc := mmtest.NewPluginClient(admin.AuthToken)
	return mmtest.Poll(15*time.Second, 200*time.Millisecond, func() (bool, string) {
		cfg, res, err := pc.Config(ctx)
		if err != nil || res.Status != http.StatusOK {
			return false, fmt.Sprintf("GET /config: %v %v", err, res)
		}
		return cfg.EnableDirectMessages && cfg.EnableGroupMessages && cfg.EnablePrivateChannels && cfg.EnablePublicChannels,
			fmt.Sprintf("config %+v", cfg)
	})
}

// ensureToken reuses the user's demo token kept in .cache/demo/<name>.token,
// or replaces the user's demo tokens with a new one.
func ensureToken(ctx context.Context, admin *model.Client4, userID, name string) (string, error) {
	file := ""
	if root, err := mmtest.RepoRoot(); err == nil {
		file = filepath.Join(root, ".cache", "demo", name+".token")
		if data, err := os.ReadFile(file); err == nil {
			token := strings.TrimSpace(string(data))
			c := model.NewAPIv4Client(mmtest.SiteURL())
			c.SetToken(token)
			if me, _, err := c.GetMe(ctx, ""); err == nil && me.Id == userID {
				return token, nil
			}
		}
	}
	tokens, _, err := admin.GetUserAccessTokensForUser(ctx, userID, 0, 200)
	if err != nil {
		return "", fmt.Errorf("failed to list %s's tokens: %w", name, err)
	}
	for _, tok := range tokens {
		if tok.Description == tokenDescription {
			if _, err := admin.RevokeUserAccessToken(ctx, tok.Id); err != nil {
				return "", fmt.Errorf("failed to revoke an old demo token: %w", err)
			}
		}
	}
	tok, _, err := admin.CreateUserAccessToken(ctx, userID, tokenDescription)
	if err != nil {
		return "", fmt.Errorf("failed to create %s's token (ServiceSettings.EnableUserAccessTokens?): %w", name, err)
	}
	if file != "" {
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			return "", err
		}
		if err := os.WriteFile(file, []byte(tok.Token+"\n"), 0o600); err != nil {
			return "", errors.Join(errors.New("failed to keep the token"), err)
		}
	}
	return tok.Token, nil
}

func printSummary(team *model.Team, token string, welcome *model.Post) {
	site := mmtest.SiteURL()
	api := site + mmtest.APIPath
	fmt.Printf(`
Read Receipts demo is ready: Mattermost API at %s, team %q.
This local server is built without Mattermost's web app: use the host page below, or the API.

Logins:
  %-6s %s   (system admin)
`, site, team.Name, mmtest.AdminUsername, mmtest.AdminPassword)
	for _, name := range demoUsers {
		fmt.Printf("  %-6s %s\n", name, demoPassword)
	}
	fmt.Printf(`
Channels: DM alice-bob, group message alice-bob-carol, ~%s and ~%s (everyone);
receipts are on in all four channel types.

As alice (personal access token):
  curl -s -H 'Authorization: Bearer %s' %s/config

  curl -s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \
    -d '{"post_ids":["%s"]}' %s/receipts/query
`, publicChannel, privateChannel, token, api, token, welcome.Id, api)
}
