package integration

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// BenchmarkAgainstServer prints the figures of issue 9 ("Fast at every
// size"): each plugin operation next to the core Mattermost operation of
// similar weight, measured on the same server in the same run, interleaved
// where they can be, and the ratio. The machine is shared and noisy: the
// ratios are what count. It measures; it asserts nothing about time (it fails
// only when an operation fails). Run it alone with `make bench`; it takes
// 5–8 minutes, and restarts the server twice (see scale).
//
// The phases run in the order that keeps them apart (the big channels come
// last, so that their background work does not weigh on the others); the
// table is printed in the order.
func BenchmarkAgainstServer(b *testing.B) {
	for b.Loop() {
		newBench(b).run()
	}
}

// benchMaxChannelMembers lets the 10,000-member channel have receipts.
const benchMaxChannelMembers = 20000

// bench is one run: its users, the core comparison channel and the report.
type bench struct {
	b      *testing.B
	ctx    context.Context
	env    *mmtest.Env
	db     *mmtest.DB
	procs  mmtest.Processes
	http   *http.Client
	author *mmtest.User
	// readers are 200 users created through the API (logged in).
	readers []*mmtest.User
	// viewCh holds every bench user, has receipts off and no posts: core
	// channel views happen there, so that they start no plugin work. Such a
	// view finds nothing new and writes nothing (see viewOfNews).
	viewCh *model.Channel
	// watched are the channels with tracked posts and their members, to be
	// settled (viewed by everyone) before measuring the background CPU.
	watched []watchedChannel
	rows    report
	rssPeak int64
	start   time.Time
}

type watchedChannel struct {
	id      string
	members []*mmtest.User
}

func newBench(b *testing.B) *bench {
	ctx := b.Context()
	db, err := mmtest.OpenDB(ctx)
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })
	bn := &bench{b: b, ctx: ctx, db: db, http: sharedHTTPClient(), start: time.Now()}
	// A run that crashed may have left copied users: past 250 active users
	// the server refuses to create the ones this run needs.
	if n, err := db.RemoveCopies(ctx); err != nil || n > 0 {
		require.NoError(b, err)
		bn.restart()
	}
	bn.applySettings()
	bn.findProcesses()
	return bn
}

// sharedHTTPClient keeps enough idle connections for 200 users at once, so
// that a burst measures the server, not TCP handshakes.
func sharedHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 512
	return &http.Client{Transport: t, Timeout: 60 * time.Second}
}

func (bn *bench) applySettings() {
	s := baseline
	s.MaxChannelMembers = benchMaxChannelMembers
	require.NoError(bn.b, mmtest.ApplySettings(bn.ctx, suite.Admin, s))
	bn.b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := mmtest.ApplySettings(ctx, suite.Admin, baseline); err != nil {
			bn.b.Errorf("failed to restore the baseline settings: %v", err)
		}
	})
}

func (bn *bench) findProcesses() {
	procs, err := mmtest.FindProcesses(mmtest.PluginID, pgPort())
	require.NoError(bn.b, err, "the benchmark reads the CPU of the server started by build/server.sh")
	bn.procs = procs
}

func pgPort() string {
	if p := os.Getenv("PG_PORT"); p != "" {
		return p
	}
	return "55432"
}

func (bn *bench) run() {
	bn.step("users and channels")
	bn.env = suite.NewEnv(bn.b)
	bn.author = bn.user(bn.env.NewUser(bn.b, "bauthor"))
	for _, u := range bn.env.NewUsers(bn.b, 200, "breader") {
		bn.readers = append(bn.readers, bn.user(u))
	}
	bn.viewCh = bn.env.PrivateChannel(bn.b, bn.author, bn.readers...)
	_, res, err := bn.author.Plugin.SetChannelEnabled(bn.ctx, bn.viewCh.Id, false)
	require.NoError(bn.b, okOrErr(res, err))

	bn.step("page queries and batch reads, 20 members")
	bn.pagesAndBatches()
	bn.step("sustained reads")
	bn.sustained()
	bn.step("hot post")
	bn.hotPost()
	bn.step("burst of posts, receipts off then on")
	bn.burst()
	bn.step("scale: copying members in the database, restarting the server")
	bn.scale()
	bn.notePeakRSS()
	bn.rows.add(rowRSS, "plugin RSS peak (VmHWM of the plugin process)", mb(bn.rssPeak), "", "", "≤ 64 MB")
	bn.rows.print(os.Stdout, time.Now())
}

// step says on stderr what the run is doing, for whoever watches it.
func (bn *bench) step(what string) {
	fmt.Fprintf(os.Stderr, "[bench] %s %s\n", time.Since(bn.start).Round(time.Second), what)
}

// user makes a bench user share the benchmark's HTTP client.
func (bn *bench) user(u *mmtest.User) *mmtest.User {
	u.Client.HTTPClient = bn.http
	u.Plugin.HTTP = bn.http
	return u
}

// restart restarts the server (build/server.sh) and waits for the plugin.
func (bn *bench) restart() {
	bn.notePeakRSS()
	require.NoError(bn.b, mmtest.RestartServer(bn.ctx))
	require.NoError(bn.b, mmtest.WaitPluginRunning(bn.ctx, suite.Admin, 2*time.Minute))
	bn.http.CloseIdleConnections()
	bn.findProcesses()
}

// notePeakRSS keeps the plugin process's peak memory before it goes away.
func (bn *bench) notePeakRSS() {
	if rss, err := mmtest.PeakRSS(bn.procs.Plugin); err == nil {
		bn.rssPeak = max(bn.rssPeak, rss)
	}
}

func (bn *bench) cpu() mmtest.CPU {
	c, err := bn.procs.Sample()
	require.NoError(bn.b, err)
	return c
}

// kvState is the plugin's KV size, in all and by key prefix.
type kvState struct {
	mmtest.KVUsage
	byPrefix map[string]mmtest.KVUsage
}

func (bn *bench) kv() kvState {
	u, by, err := bn.db.KVBytes(bn.ctx, mmtest.PluginID)
	require.NoError(bn.b, err)
	return kvState{u, by}
}

// kvPer is the KV bytes added from a to b per unit, with the prefixes that
// added at least a tenth of it: "6,804 B (s 4,833 B, p 1,900 B)". Keys
// under the prefixes in skip are left out (they are reported on their own).
func kvPer(a, b kvState, units int64, skip ...string) string {
	total := b.Bytes - a.Bytes
	for _, prefix := range skip {
		total -= b.byPrefix[prefix].Bytes - a.byPrefix[prefix].Bytes
	}
	total /= units
	var parts []string
	for prefix, u := range b.byPrefix {
		if slices.Contains(skip, prefix) {
			continue
		}
		if d := (u.Bytes - a.byPrefix[prefix].Bytes) / units; d*10 >= total && d > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", prefix, bytesText(d)))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return bytesText(total)
	}
	return fmt.Sprintf("%s (%s)", bytesText(total), strings.Join(parts, ", "))
}

// numberingAdded is what numbering the users first seen from a to b added
// (key prefix "un", 26 bytes per user): how many users, and their bytes.
func numberingAdded(a, b kvState) string {
	added := b.byPrefix["un"].Bytes - a.byPrefix["un"].Bytes
	return fmt.Sprintf("%s for %d users", bytesText(added), added/26)
}

// kvSettled waits until the plugin's KV bytes have not changed for 1.5 s (up
// to 30 s) and returns them: the posted hook runs after the post's answer,
// and the author's query answers before it has run, so writes can lag.
func (bn *bench) kvSettled() kvState {
	last, stable := bn.kv(), 0
	for deadline := time.Now().Add(30 * time.Second); stable < 3 && time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		if u := bn.kv(); u.KVUsage == last.KVUsage {
			stable++
		} else {
			last, stable = u, 0
		}
	}
	return last
}
