// Package mmtest drives a real Mattermost server for the Read Receipts
// integration tests and the demo: it bootstraps an admin, installs the plugin
// bundle, changes plugin settings, creates isolated users, teams and channels,
// and talks to the plugin over HTTP and the websocket as those users.
package mmtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// DefaultSiteURL is the server that build/server.sh starts when MM_PORT is not set.
const DefaultSiteURL = "http://127.0.0.1:8065"

// SiteURL is the server under test: env MM_SITE_URL, else the one build/server.sh starts on MM_PORT,
// else DefaultSiteURL.
func SiteURL() string {
	if u := strings.TrimRight(os.Getenv("MM_SITE_URL"), "/"); u != "" {
		return u
	}
	if port := os.Getenv("MM_PORT"); port != "" {
		return "http://127.0.0.1:" + port
	}
	return DefaultSiteURL
}

// WebSocketURL is SiteURL with the ws(s) scheme.
func WebSocketURL() string {
	u := SiteURL()
	if strings.HasPrefix(u, "https://") {
		return "wss://" + strings.TrimPrefix(u, "https://")
	}
	return "ws://" + strings.TrimPrefix(u, "http://")
}

// Ping reports whether the server answers its ping endpoint.
func Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, SiteURL()+"/api/v4/system/ping", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping answered %d", resp.StatusCode)
	}
	return nil
}

// RepoRoot finds the repository root (the folder holding plugin.json and
// build/server.sh) from the working directory upwards.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "plugin.json")) && fileExists(filepath.Join(dir, "build", "server.sh")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no repository root (plugin.json + build/server.sh) above the working directory")
		}
		dir = parent
	}
}

// EnsureServer checks that the server answers and, when it does not and
// MM_SITE_URL is not set (the server is the repository's own), starts it with
// build/server.sh start.
func EnsureServer(ctx context.Context) error {
	if Ping(ctx) == nil {
		return nil
	}
	if os.Getenv("MM_SITE_URL") != "" {
		return fmt.Errorf("the Mattermost server at %s (MM_SITE_URL) does not answer", SiteURL())
	}
	root, err := RepoRoot()
	if err != nil {
		return fmt.Errorf("the server at %s is down and cannot be started: %w", SiteURL(), err)
	}
	cmd := exec.CommandContext(ctx, filepath.Join(root, "build", "server.sh"), "start")
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build/server.sh start failed: %w", err)
	}
	return Ping(ctx)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// RestartServer stops and starts the repository's own server with
// build/server.sh (the environment's MM_PORT and PG_PORT choose which), so
// that it forgets its caches, e.g. after rows were written to its database
// directly.
func RestartServer(ctx context.Context) error {
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	for _, step := range []string{"stop", "start"} {
		cmd := exec.CommandContext(ctx, filepath.Join(root, "build", "server.sh"), step)
		cmd.Stdout = os.Stderr
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build/server.sh %s failed: %w", step, err)
		}
	}
	return Ping(ctx)
}
