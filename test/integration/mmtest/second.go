package mmtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// SecondServer is a second Mattermost process on the test server's database
// and file store (build/server.sh start-second), with the plugin running:
// two servers of one deployment, as far as the plugin's data goes. Without
// an Enterprise license they form no Mattermost cluster, so websocket and
// plugin cluster events stay on the server that sent them.
type SecondServer struct {
	URL  string
	port int
	base int
}

// NewSecondServer names the second server of the test server: its port is
// the test server's plus one (as build/server.sh derives it from MM_PORT).
func NewSecondServer() (*SecondServer, error) {
	u, err := url.Parse(SiteURL())
	if err != nil {
		return nil, fmt.Errorf("bad site URL %q: %w", SiteURL(), err)
	}
	base, err := strconv.Atoi(u.Port())
	if err != nil {
		return nil, fmt.Errorf("the site URL %q names no port", SiteURL())
	}
	return &SecondServer{URL: fmt.Sprintf("http://127.0.0.1:%d", base+1), port: base + 1, base: base}, nil
}

// Start starts the second server if it is not running and waits until the
// plugin runs there, installing the bundle on it if it did not appear.
func (s *SecondServer) Start(ctx context.Context, adminToken, bundle string) error {
	if err := s.script(ctx, "start-second"); err != nil {
		return err
	}
	admin := model.NewAPIv4Client(s.URL)
	admin.SetToken(adminToken)
	if err := WaitPluginRunning(ctx, admin, 30*time.Second); err == nil {
		return nil
	}
	if err := InstallPlugin(ctx, admin, bundle); err != nil {
		return fmt.Errorf("on the second server: %w", err)
	}
	return nil
}

// Stop stops the second server with SIGTERM (a graceful shutdown) and waits.
func (s *SecondServer) Stop(ctx context.Context) error {
	return s.script(ctx, "stop-second")
}

func (s *SecondServer) script(ctx context.Context, command string) error {
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(root, "build", "server.sh"), command)
	cmd.Env = append(os.Environ(), "MM_PORT="+strconv.Itoa(s.base), "MM_PORT2="+strconv.Itoa(s.port))
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build/server.sh %s failed: %w", command, err)
	}
	return nil
}

// On returns the user with clients for another server of the deployment,
// using the same session (sessions live in the shared database).
func (u *User) On(siteURL string) *User {
	client := model.NewAPIv4Client(siteURL)
	client.SetToken(u.Client.AuthToken)
	plugin := NewPluginClient(u.Client.AuthToken)
	plugin.BaseURL = siteURL + APIPath
	return &User{User: u.User, Password: u.Password, Client: client, Plugin: plugin}
}
