// Package integration holds the black-box tests of the Read Receipts plugin
// on a real Mattermost server: see the README of test/integration.
package integration

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// suite is set up once per run by TestMain: admin logged in, plugin installed.
var suite *mmtest.Suite

// bundlePath is the plugin bundle under test.
var bundlePath string

// baseline is the plugin configuration every test starts from: API.md's
// defaults with receipts on in all four channel types. Tests that change the
// configuration run sequentially (before the parallel ones) and restore it.
var baseline = mmtest.AllChannelsSettings()

func TestMain(m *testing.M) {
	flag.Parse()
	raiseParallelism(8)
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bundle, err := mmtest.BundleFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration tests:", err)
		return 2
	}
	bundlePath = bundle
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	suite, err = mmtest.Setup(ctx, bundle)
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration tests: setup failed:", err)
		return 1
	}
	previous, err := mmtest.GetPluginSettings(ctx, suite.Admin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration tests:", err)
		return 1
	}
	if err := mmtest.ApplySettings(ctx, suite.Admin, baseline); err != nil {
		fmt.Fprintln(os.Stderr, "integration tests: failed to apply the baseline settings:", err)
		return 1
	}
	code := m.Run()
	stopSecondServer()
	// Leave the server as we found it for whoever uses it next (make run, e2e).
	if previous != nil {
		restoreCtx, cancelRestore := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancelRestore()
		if _, err := mmtest.PutPluginSettings(restoreCtx, suite.Admin, previous); err != nil {
			fmt.Fprintln(os.Stderr, "integration tests: failed to restore the plugin settings:", err)
		}
	}
	return code
}

// raiseParallelism lets the parallel tests, which mostly wait on the server,
// run more at once than the CPU count unless -parallel was given.
func raiseParallelism(n int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", fmt.Sprint(n))
	}
}

// withSettings applies settings for one (sequential) test and restores the
// baseline when it ends.
func withSettings(t *testing.T, s mmtest.Settings) {
	t.Helper()
	require.NoError(t, mmtest.ApplySettings(t.Context(), suite.Admin, s))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := mmtest.ApplySettings(ctx, suite.Admin, baseline); err != nil {
			t.Errorf("failed to restore the baseline settings: %v", err)
		}
	})
}
