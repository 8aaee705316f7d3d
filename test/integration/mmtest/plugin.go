package mmtest

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// PluginID is the id of the plugin under test.
const PluginID = "readreceipts"

// BundleFromEnv returns the plugin bundle named by PLUGIN_BUNDLE, or an error
// that says how to provide it.
func BundleFromEnv() (string, error) {
	path := os.Getenv("PLUGIN_BUNDLE")
	if path == "" {
		return "", fmt.Errorf("PLUGIN_BUNDLE is not set: build the bundle with `make dist` (or run `make test-integration`) and set PLUGIN_BUNDLE=/path/to/dist/readreceipts-<version>.tar.gz")
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("PLUGIN_BUNDLE=%s: %w", path, err)
	}
	return path, nil
}

// InstallPlugin uploads the bundle (replacing an installed version), enables
// the plugin and waits until the server reports it running.
func InstallPlugin(ctx context.Context, admin *model.Client4, bundle string) error {
	f, err := os.Open(bundle)
	if err != nil {
		return fmt.Errorf("failed to open the plugin bundle: %w", err)
	}
	defer f.Close()
	manifest, _, err := admin.UploadPluginForced(ctx, f)
	if err != nil {
		return fmt.Errorf("failed to upload %s: %w", bundle, err)
	}
	if manifest.Id != PluginID {
		return fmt.Errorf("the bundle %s holds plugin %q, want %q", bundle, manifest.Id, PluginID)
	}
	if _, err := admin.EnablePlugin(ctx, PluginID); err != nil {
		return fmt.Errorf("failed to enable %s: %w", PluginID, err)
	}
	return WaitPluginRunning(ctx, admin, 60*time.Second)
}

// PluginState returns the plugin's state from GET /api/v4/plugins/statuses,
// or -1 when the server does not list it.
func PluginState(ctx context.Context, admin *model.Client4) (int, string, error) {
	return pluginState(ctx, admin, PluginID)
}

func pluginState(ctx context.Context, admin *model.Client4, pluginID string) (int, string, error) {
	statuses, _, err := admin.GetPluginStatuses(ctx)
	if err != nil {
		return -1, "", fmt.Errorf("failed to get plugin statuses: %w", err)
	}
	for _, s := range statuses {
		if s.PluginId == pluginID {
			return s.State, s.Error, nil
		}
	}
	return -1, "", nil
}

// WaitPluginRunning polls the plugin statuses until the plugin runs (state 2).
// It gives up early when the server says the plugin failed to start.
func WaitPluginRunning(ctx context.Context, admin *model.Client4, timeout time.Duration) error {
	return waitRunning(ctx, admin, PluginID, timeout)
}

func waitRunning(ctx context.Context, admin *model.Client4, pluginID string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		state, msg, err := pluginState(ctx, admin, pluginID)
		if err == nil && state == model.PluginStateRunning {
			return nil
		}
		if err == nil && state == model.PluginStateFailedToStart {
			return fmt.Errorf("plugin %s failed to start (state 3): %s; see the server log", pluginID, msg)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("plugin %s is not running after %s (state %d %s, err %v)", pluginID, timeout, state, msg, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
