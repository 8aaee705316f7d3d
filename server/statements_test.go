package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"sync/atomic"
	"testing"

	"github.com/lib/pq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingDriver is a database whose statements answer one row, 7, and that
// counts what it was asked: prepares, prepared runs and plain queries.
type countingDriver struct {
	prepares, preparedRuns, plainQueries atomic.Int64
	// dropsPrepared answers every prepared run as a pooler that lost the
	// statement would.
	dropsPrepared bool
}

func (d *countingDriver) Open(string) (driver.Conn, error) { return conn{d}, nil }

type conn struct{ d *countingDriver }

func (c conn) Prepare(string) (driver.Stmt, error) {
	c.d.prepares.Add(1)
	return stmt(c), nil
}
func (c conn) Close() error              { return nil }
func (c conn) Begin() (driver.Tx, error) { return nil, driver.ErrSkip }
func (c conn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	c.d.plainQueries.Add(1)
	return &seven{}, nil
}

type stmt struct{ d *countingDriver }

func (s stmt) Close() error                               { return nil }
func (s stmt) NumInput() int                              { return -1 }
func (s stmt) Exec([]driver.Value) (driver.Result, error) { return nil, driver.ErrSkip }
func (s stmt) Query([]driver.Value) (driver.Rows, error) {
	s.d.preparedRuns.Add(1)
	if s.d.dropsPrepared {
		return nil, &pq.Error{Code: "26000", Message: "prepared statement does not exist"}
	}
	return &seven{}, nil
}

type seven struct{ done bool }

func (r *seven) Columns() []string { return []string{"n"} }
func (r *seven) Close() error      { return nil }
func (r *seven) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done, dest[0] = true, int64(7)
	return nil
}

func openCounting(t *testing.T, d *countingDriver) *statements {
	name := "counting-" + t.Name()
	sql.Register(name, d)
	db, err := sql.Open(name, "")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return &statements{db: db}
}

// A statement is parsed and planned once, not at every call.
func TestStatementsArePreparedOnce(t *testing.T) {
	d := &countingDriver{}
	s := openCounting(t, d)
	for range 3 {
		var n int
		require.NoError(t, s.queryRow("SELECT $1::int", 7).Scan(&n))
		assert.Equal(t, 7, n)
	}
	assert.Equal(t, int64(1), d.prepares.Load())
	assert.Equal(t, int64(3), d.preparedRuns.Load())
	assert.Zero(t, d.plainQueries.Load())
}

// Behind a pooler that loses prepared statements, the answer still comes,
// and later statements are no longer prepared.
func TestStatementsRunUnpreparedWhenThePoolerLosesThem(t *testing.T) {
	d := &countingDriver{dropsPrepared: true}
	s := openCounting(t, d)
	for range 3 {
		var n int
		require.NoError(t, s.queryRow("SELECT $1::int", 7).Scan(&n))
		assert.Equal(t, 7, n)
	}
	assert.Equal(t, int64(1), d.preparedRuns.Load(), "tried prepared once")
	assert.Equal(t, int64(3), d.plainQueries.Load())
}
