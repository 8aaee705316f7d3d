package mmtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// ProbeID is the id of the test-only plugin that plays another plugin.
const ProbeID = "rrprobe"

// InstallProbe builds the probe plugin (test/integration/probe) for this
// machine, uploads and enables it, and waits until it runs.
func InstallProbe(ctx context.Context, admin *model.Client4) error {
	dir, err := os.MkdirTemp("", "rrprobe")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe := filepath.Join(dir, "plugin")
	build := exec.CommandContext(ctx, "go", "build", "-o", exe, "./probe")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("failed to build the probe plugin: %v\n%s", err, out)
	}
	bundle, err := probeBundle(exe)
	if err != nil {
		return err
	}
	if _, _, err := admin.UploadPluginForced(ctx, bytes.NewReader(bundle)); err != nil {
		return fmt.Errorf("failed to upload the probe plugin: %w", err)
	}
	if _, err := admin.EnablePlugin(ctx, ProbeID); err != nil {
		return fmt.Errorf("failed to enable the probe plugin: %w", err)
	}
	return waitRunning(ctx, admin, ProbeID, 60*time.Second)
}

// probeBundle packs the executable with its manifest as a plugin bundle.
func probeBundle(exe string) ([]byte, error) {
	platform := runtime.GOOS + "-" + runtime.GOARCH
	manifest, _ := json.Marshal(map[string]any{
		"id": ProbeID, "name": "Read Receipts test probe", "version": "0.0.1", "min_server_version": "10.11.0",
		"server": map[string]any{"executables": map[string]string{platform: "server/plugin"}},
	})
	data, err := os.ReadFile(exe)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{ProbeID + "/plugin.json", 0o644, manifest}, {ProbeID + "/server/plugin", 0o755, data}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ProbeCall is what the probe answered for one forwarded call.
type ProbeCall struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// ThroughProbe has the probe plugin call Read Receipts' API as userID.
func ThroughProbe(ctx context.Context, admin *PluginClient, method, path, userID string, body any) (ProbeCall, error) {
	var out ProbeCall
	raw, _ := json.Marshal(body)
	if body == nil {
		raw = nil
	}
	probe := &PluginClient{BaseURL: SiteURL() + "/plugins/" + ProbeID, Token: admin.Token, HTTP: admin.HTTP}
	res, err := probe.Do(ctx, "POST", "/forward", map[string]any{"method": method, "path": path, "user_id": userID, "body": json.RawMessage(orNull(raw))})
	if err != nil {
		return out, err
	}
	if res.Status != 200 {
		return out, fmt.Errorf("probe answered %s", res)
	}
	return out, res.Decode(&out)
}

func orNull(raw []byte) []byte {
	if raw == nil {
		return []byte("null")
	}
	return raw
}
