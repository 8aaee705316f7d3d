package main

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"
)

// Bounds of the plugin's own connections to the server's database, per
// server: they are on top of Mattermost's pool (see README, "Several servers").
const (
	directMaxOpen  = 8
	directMaxIdle  = 4
	directLifetime = 5 * time.Minute
	directPingWait = 5 * time.Second
	// applicationName names the plugin's connections in pg_stat_activity.
	applicationName = "mattermost-plugin-readreceipts"
)

// databaseHandle chooses how serverDB reaches the database. The handle the
// plugin API lends goes through four RPCs per statement (query, columns, row,
// close): 0.4 ms on this project's machine, as much as PostgreSQL takes to run
// a batch read of 60 records. So the plugin opens a small pool of its own
// with the server's data source, and uses the lent handle only when that
// fails (another driver, an unreachable address, a refused login).
type databaseHandle struct {
	settings func() model.SqlSettings
	direct   func(dataSource string) (*sql.DB, error)
	lent     func() (*sql.DB, error)
	warn     func(msg string, kv ...any)

	mu   sync.Mutex
	pool *sql.DB // the direct pool, once open
}

// open returns the direct pool, else the lent handle.
func (h *databaseHandle) open() (*sql.DB, error) {
	s := h.settings()
	if s.DriverName == nil || *s.DriverName != model.DatabaseDriverPostgres || s.DataSource == nil {
		h.warn("the server's database is not PostgreSQL; using the plugin API's database handle")
		return h.lent()
	}
	db, err := h.direct(withApplicationName(*s.DataSource))
	if err == nil {
		h.mu.Lock()
		h.pool = db
		h.mu.Unlock()
		return db, nil
	}
	h.warn("failed to open a connection of the plugin's own; using the plugin API's database handle", "err", err.Error())
	return h.lent()
}

// isDirect reports whether open chose the plugin's own pool.
func (h *databaseHandle) isDirect() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pool != nil
}

// close closes the direct pool, if it was opened (the lent handle is the
// plugin API's).
func (h *databaseHandle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pool != nil {
		_ = h.pool.Close()
		h.pool = nil
	}
}

// openPostgres opens and checks a bounded pool.
func openPostgres(dataSource string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dataSource)
	if err != nil {
		return nil, errors.Wrap(err, "failed to open the database")
	}
	db.SetMaxOpenConns(directMaxOpen)
	db.SetMaxIdleConns(directMaxIdle)
	db.SetConnMaxLifetime(directLifetime)
	ctx, cancel := context.WithTimeout(context.Background(), directPingWait)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, errors.Wrap(err, "failed to reach the database")
	}
	return db, nil
}

// withApplicationName adds application_name to a lib/pq data source, URL
// or key=value, unless it names one already.
func withApplicationName(dataSource string) string {
	if strings.Contains(dataSource, "application_name") {
		return dataSource
	}
	if u, err := url.Parse(dataSource); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("application_name", applicationName)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dataSource) + " application_name=" + applicationName
}
