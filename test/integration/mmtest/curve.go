package mmtest

import (
	"context"
	"net/http"
)

// CurvePoint is one point of a read curve.
type CurvePoint struct {
	AfterMs   int64 `json:"after_ms"`
	ReadCount int   `json:"read_count"`
}

// Curve is the answer of GET /posts/{id}/curve.
type Curve struct {
	PostID      string       `json:"post_id"`
	CreateAt    int64        `json:"create_at"`
	Points      []CurvePoint `json:"points"`
	ReadCount   int          `json:"read_count"`
	UnreadCount int          `json:"unread_count"`
}

// Curve calls GET /posts/{id}/curve.
func (c *PluginClient) Curve(ctx context.Context, postID string) (Curve, *Result, error) {
	return call[Curve](ctx, c, http.MethodGet, "/posts/"+postID+"/curve", nil)
}
