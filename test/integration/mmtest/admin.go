package mmtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// The fixed system admin of the development and test server. The first user
// created on an empty server becomes system admin, so whoever comes first
// (make run, the tests, the e2e tests) creates this one.
const (
	AdminUsername = "admin"
	AdminPassword = "Admin-Passw0rd-1"
	AdminEmail    = "admin@readreceipts.test"
)

// BootstrapAdmin logs in the fixed admin, creating it first on an empty
// server. When the account exists with another password or lacks the
// system_admin role (another user came first), it repairs that through
// mmctl's local mode on the repository's own server.
func BootstrapAdmin(ctx context.Context) (*model.Client4, *model.User, error) {
	client := model.NewAPIv4Client(SiteURL())
	user, _, err := client.Login(ctx, AdminUsername, AdminPassword)
	if err != nil {
		_, _, createErr := client.CreateUser(ctx, &model.User{
			Username: AdminUsername, Password: AdminPassword, Email: AdminEmail, EmailVerified: true,
		})
		if createErr != nil {
			if mmErr := mmctl(ctx, "user", "change-password", AdminUsername, "--password", AdminPassword); mmErr != nil {
				return nil, nil, fmt.Errorf("cannot log in %q (%v), create it (%v), or reset its password (%v)", AdminUsername, err, createErr, mmErr)
			}
		}
		if user, _, err = client.Login(ctx, AdminUsername, AdminPassword); err != nil {
			return nil, nil, fmt.Errorf("failed to log in %q after creating it: %w", AdminUsername, err)
		}
	}
	if !user.IsSystemAdmin() {
		if err := mmctl(ctx, "roles", "system-admin", AdminUsername); err != nil {
			return nil, nil, fmt.Errorf("%q is not a system admin (the server was not empty) and mmctl could not promote it: %w", AdminUsername, err)
		}
		if user, _, err = client.Login(ctx, AdminUsername, AdminPassword); err != nil {
			return nil, nil, fmt.Errorf("failed to log in %q after promoting it: %w", AdminUsername, err)
		}
		if !user.IsSystemAdmin() {
			return nil, nil, fmt.Errorf("%q is still not a system admin", AdminUsername)
		}
	}
	return client, user, nil
}

// mmctl runs the repository's mmctl in local mode against .cache/mm/local.sock
// (or MMCTL_LOCAL_SOCKET_PATH).
func mmctl(ctx context.Context, args ...string) error {
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	bin := filepath.Join(root, ".cache", "bin", "mmctl")
	if !fileExists(bin) {
		return fmt.Errorf("%s is missing (build/server.sh build)", bin)
	}
	socket := os.Getenv("MMCTL_LOCAL_SOCKET_PATH")
	if socket == "" {
		socket = filepath.Join(root, ".cache", "mm", "local.sock")
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{"--local"}, args...)...)
	cmd.Env = append(os.Environ(), "MMCTL_LOCAL_SOCKET_PATH="+socket)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("mmctl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
