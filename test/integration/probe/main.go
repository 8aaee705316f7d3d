// Command probe is a tiny Mattermost plugin used only by the integration
// tests: it plays "another plugin" that calls Read Receipts' HTTP API through
// the server's inter-plugin route (PluginHTTP) with any user id it likes.
// POST /plugins/rrprobe/forward {"method","path","user_id","body"} answers
// {"status","body"} of that call.
package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/mattermost/mattermost/server/public/plugin"
)

type probe struct {
	plugin.MattermostPlugin
}

type forward struct {
	Method string          `json:"method"`
	Path   string          `json:"path"`
	UserID string          `json:"user_id"`
	Body   json.RawMessage `json:"body"`
}

func (p *probe) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	var f forward
	if r.URL.Path != "/forward" || json.NewDecoder(r.Body).Decode(&f) != nil {
		http.Error(w, "POST /forward with a JSON body", http.StatusBadRequest)
		return
	}
	req, err := http.NewRequest(f.Method, "/readreceipts/api/v1"+f.Path, bytes.NewReader(f.Body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Header.Set("Mattermost-User-Id", f.UserID)
	req.Header.Set("Content-Type", "application/json")
	res := p.API.PluginHTTP(req)
	if res == nil {
		http.Error(w, "no answer", http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"status": res.StatusCode, "body": string(body)})
}

func main() {
	plugin.ClientMain(&probe{})
}
