package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/pkg/errors"
)

// SignatureHeader carries "sha256=<hex HMAC-SHA256 of the body>".
const SignatureHeader = "X-Read-Receipts-Signature"

// requestTimeout bounds one delivery, so a slow receiver cannot hold the
// queue for long.
const requestTimeout = 10 * time.Second

// Sign returns the signature header's value for a body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// httpPoster posts with the plugin's own HTTP client. Mattermost's
// AllowedUntrustedInternalConnections list governs the server's outgoing
// requests, not a plugin's, so a receiver on the local network works.
type httpPoster struct {
	client *http.Client
}

// NewHTTPPoster returns a Poster that does not follow redirects: a receiver
// that moved answers 3xx, which counts as a failure the admin can see.
func NewHTTPPoster() Poster {
	return httpPoster{client: &http.Client{
		Timeout:       requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (p httpPoster) Post(ctx context.Context, url string, body []byte, signature string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return errors.Wrap(err, "failed to build webhook request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "mattermost-plugin-readreceipts")
	req.Header.Set(SignatureHeader, signature)
	resp, err := p.client.Do(req)
	if err != nil {
		return errors.Wrap(err, "failed to post to the webhook")
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errors.Errorf("the webhook answered %d", resp.StatusCode)
	}
	return nil
}
