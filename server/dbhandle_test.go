package main

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handleFor is a databaseHandle whose direct and lent openers only record
// that they were asked, and what with.
func handleFor(driver, dataSource string, directErr error) (*databaseHandle, *[]string) {
	var calls []string
	// sql.Open only checks the driver's name: nothing connects.
	direct, _ := sql.Open("postgres", "postgres://direct")
	lent, _ := sql.Open("postgres", "postgres://lent")
	h := &databaseHandle{
		settings: func() model.SqlSettings {
			return model.SqlSettings{DriverName: model.NewPointer(driver), DataSource: model.NewPointer(dataSource)}
		},
		direct: func(ds string) (*sql.DB, error) {
			calls = append(calls, "direct "+ds)
			if directErr != nil {
				return nil, directErr
			}
			return direct, nil
		},
		lent: func() (*sql.DB, error) {
			calls = append(calls, "lent")
			return lent, nil
		},
		warn: func(string, ...any) { calls = append(calls, "warned") },
	}
	return h, &calls
}

// The plugin reaches PostgreSQL with a pool of its own, named in
// pg_stat_activity; the lent handle (four RPCs per statement) is the fallback.
func TestTheDatabaseIsReachedWithoutTheBridge(t *testing.T) {
	h, calls := handleFor("postgres", "postgres://mm:pw@db:5432/mattermost?sslmode=disable", nil)
	_, err := h.open()
	require.NoError(t, err)
	assert.Equal(t, []string{"direct postgres://mm:pw@db:5432/mattermost?application_name=mattermost-plugin-readreceipts&sslmode=disable"}, *calls)
	assert.True(t, h.isDirect(), "the direct pool is kept, to be closed on deactivation")
	h.close()
	assert.Nil(t, h.pool)

	h, calls = handleFor("postgres", "postgres://db/mattermost", errors.New("connection refused"))
	_, err = h.open()
	require.NoError(t, err)
	assert.Equal(t, []string{"direct postgres://db/mattermost?application_name=mattermost-plugin-readreceipts", "warned", "lent"}, *calls)
	assert.False(t, h.isDirect(), "the lent handle is the plugin API's: never closed by the plugin")

	h, calls = handleFor("mysql", "mm:pw@tcp(db:3306)/mattermost", nil)
	_, err = h.open()
	require.NoError(t, err)
	assert.Equal(t, []string{"warned", "lent"}, *calls)
}

func TestApplicationNameJoinsEitherFormOfDataSource(t *testing.T) {
	assert.Equal(t, "host=db user=mm application_name=mattermost-plugin-readreceipts",
		withApplicationName("host=db user=mm "))
	assert.Equal(t, "postgres://db/mm?application_name=other", withApplicationName("postgres://db/mm?application_name=other"))
	assert.Equal(t, "postgresql://u:p@db/mm?application_name=mattermost-plugin-readreceipts&connect_timeout=10",
		withApplicationName("postgresql://u:p@db/mm?connect_timeout=10"))
}
