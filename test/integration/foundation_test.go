package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

func TestPluginIsRunning(t *testing.T) {
	state, msg, err := mmtest.PluginState(t.Context(), suite.Admin)
	require.NoError(t, err)
	require.Equal(t, model.PluginStateRunning, state, "plugin state (error: %q)", msg)
}

func TestConfigEndpoint(t *testing.T) {
	env := newEnv(t)
	user := env.NewUser(t, "cfg")

	t.Run("a user gets every client-visible setting", func(t *testing.T) {
		res, err := user.Plugin.Do(t.Context(), http.MethodGet, "/config", nil)
		requireOK(t, res, err)
		fields, err := res.Map()
		require.NoError(t, err)
		for _, f := range mmtest.ConfigFields {
			assert.Contains(t, fields, f)
		}
		var cfg mmtest.Config
		require.NoError(t, res.Decode(&cfg))
		assert.Equal(t, baseline.Config(), cfg)
	})

	t.Run("no session is 401", func(t *testing.T) {
		res, err := mmtest.NewPluginClient("").Do(t.Context(), http.MethodGet, "/config", nil)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusUnauthorized)
	})

	t.Run("an invalid token is 401", func(t *testing.T) {
		res, err := mmtest.NewPluginClient(model.NewId()).Do(t.Context(), http.MethodGet, "/config", nil)
		require.NoError(t, err)
		requireAPIError(t, res, http.StatusUnauthorized)
	})
}

// cookieSession logs in through the web login so the client holds the
// MMAUTHTOKEN and MMCSRF cookies, like a browser.
func cookieSession(t *testing.T, u *mmtest.User) (*http.Client, string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	body, err := json.Marshal(map[string]string{"login_id": u.Username, "password": u.Password})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, mmtest.SiteURL()+"/api/v4/users/login", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	// Mattermost sets the session cookies only for a browser-style (XHR) login.
	req.Header.Set(model.HeaderRequestedWith, model.HeaderRequestedWithXML)
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	csrf := ""
	for _, c := range resp.Cookies() {
		if c.Name == model.SessionCookieCsrf {
			csrf = c.Value
		}
	}
	require.NotEmpty(t, csrf, "login set no %s cookie", model.SessionCookieCsrf)
	return client, csrf
}

func TestCookieSessionNeedsCSRF(t *testing.T) {
	env := newEnv(t)
	user := env.NewUser(t, "csrf")
	client, csrf := cookieSession(t, user)
	body := `{"post_ids":["` + randomID() + `"]}`

	tests := []struct {
		name    string
		method  string
		headers map[string]string
		want    int
	}{
		{"POST without CSRF header", http.MethodPost, nil, http.StatusUnauthorized},
		{"POST with a wrong CSRF token", http.MethodPost, map[string]string{model.HeaderCsrfToken: "wrong"}, http.StatusUnauthorized},
		{"POST with the CSRF token", http.MethodPost, map[string]string{model.HeaderCsrfToken: csrf}, http.StatusOK},
		{"POST with CSRF token and X-Requested-With", http.MethodPost, map[string]string{
			model.HeaderCsrfToken: csrf, model.HeaderRequestedWith: model.HeaderRequestedWithXML,
		}, http.StatusOK},
		{"GET needs no CSRF header", http.MethodGet, nil, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := "/reads"
			var reader io.Reader = strings.NewReader(body)
			if tc.method == http.MethodGet {
				path, reader = "/config", nil
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, mmtest.SiteURL()+mmtest.APIPath+path, reader)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			res := &mmtest.Result{Status: resp.StatusCode, Body: data}
			if tc.want == http.StatusUnauthorized {
				requireAPIError(t, res, http.StatusUnauthorized)
				return
			}
			require.Equal(t, tc.want, res.Status, "answer: %s", res)
		})
	}
}

func TestInvalidSettingsAreRefused(t *testing.T) {
	tests := []struct {
		key   string
		value any
	}{
		{"RequestMode", "sometimes"},
		{"MaxChannelMembers", 1},
		{"MaxChannelMembers", -5},
		{"PrivacyPolicy", "never"},
		{"CountsVisibleTo", "everyone"},
		{"RetentionDays", -1},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			before, err := mmtest.GetPluginSettings(t.Context(), suite.Admin)
			require.NoError(t, err)
			values := baseline.Map()
			values[strings.ToLower(tc.key)] = tc.value

			resp, err := mmtest.PutPluginSettings(t.Context(), suite.Admin, values)
			require.Error(t, err, "the server accepted %s=%v", tc.key, tc.value)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			var appErr *model.AppError
			require.ErrorAs(t, err, &appErr)
			message := appErr.Message + " " + appErr.DetailedError
			assert.Contains(t, normalize(message), normalize(tc.key), "the error does not name the setting: %q", message)

			after, err := mmtest.GetPluginSettings(t.Context(), suite.Admin)
			require.NoError(t, err)
			assert.Equal(t, before, after, "stored settings changed")
			cfg, res, err := suite.AdminPlugin.Config(t.Context())
			requireOK(t, res, err)
			assert.Equal(t, baseline.Config(), cfg, "GET /config changed")
		})
	}
}

func TestValidSettingChangeIsPublished(t *testing.T) {
	env := newEnv(t)
	users := env.NewUsers(t, 2, "cfgev")
	for _, u := range users {
		u.WS(t)
	}
	changed := baseline
	changed.RequestMode = "per_message"
	changed.CountsVisibleTo = "members"
	withSettings(t, changed)

	for _, u := range users {
		cfg, res, err := u.Plugin.Config(t.Context())
		requireOK(t, res, err)
		assert.Equal(t, changed.Config(), cfg)

		ev, err := u.WS(t).WaitFor(mmtest.EventConfig, 10*time.Second, func(ev *model.WebSocketEvent) bool {
			return ev.GetData()["request_mode"] == "per_message"
		})
		require.NoError(t, err, "config event to %s", u.Username)
		data, err := json.Marshal(ev.GetData())
		require.NoError(t, err)
		var got mmtest.Config
		require.NoError(t, json.Unmarshal(data, &got))
		assert.Equal(t, changed.Config(), got, "config event payload")
		for _, f := range mmtest.ConfigFields {
			assert.Contains(t, ev.GetData(), f)
		}
	}
}

// TestSettingKeysAnyCase: the System Console stores keys in lower case, a
// config file or mmctl may keep plugin.json's spelling; both are read.
func TestSettingKeysAnyCase(t *testing.T) {
	changed := baseline
	changed.RequestMode = "per_message"
	changed.MaxChannelMembers = 1234
	changed.Reciprocal = false
	camel := map[string]any{}
	for key, value := range changed.Map() {
		for _, f := range []string{
			"EnableDirectMessages", "EnableGroupMessages", "EnablePrivateChannels", "EnablePublicChannels",
			"RequestMode", "MaxChannelMembers", "PrivacyPolicy", "Reciprocal", "CountsVisibleTo", "RetentionDays",
			"WebhookURL", "WebhookSecret",
		} {
			if strings.EqualFold(f, key) {
				camel[f] = value
			}
		}
	}
	require.Len(t, camel, len(changed.Map()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := mmtest.ApplySettings(ctx, suite.Admin, baseline); err != nil {
			t.Errorf("failed to restore the baseline settings: %v", err)
		}
	})
	_, err := mmtest.PutPluginSettings(t.Context(), suite.Admin, camel)
	require.NoError(t, err)
	require.NoError(t, mmtest.WaitConfig(t.Context(), suite.AdminPlugin, changed.Config(), 15*time.Second))
}
