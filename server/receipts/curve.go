package receipts

import (
	"sort"
)

// MaxCurvePoints bounds the points of a read curve.
const MaxCurvePoints = 100

// Curve answers GET /posts/{id}/curve: cumulative reads over time since the
// post was created.
type Curve struct {
	PostID      string       `json:"post_id"`
	CreateAt    int64        `json:"create_at"`
	Points      []CurvePoint `json:"points"`
	ReadCount   int          `json:"read_count"`
	UnreadCount int          `json:"unread_count"`
}

// CurvePoint says that ReadCount recipients had read the post AfterMs
// milliseconds after it was created.
type CurvePoint struct {
	AfterMs   int64 `json:"after_ms"`
	ReadCount int   `json:"read_count"`
}

// curve answers GET /posts/{id}/curve for the post's author, under the
// same rules as the reader list. It is computed from the post's record
// alone, never loading the chunks of older reads: each chunk contributes one
// point at its first read (whose rank is known, 64 per chunk), and the
// record's late and newest reads one point each. So it costs the same as a
// receipt query whatever the channel's size; between two chunk starts the
// curve is a lower bound, off by fewer than 64 reads.
func (rl *readerLists) curve(userID, postID string) (Curve, error) {
	rec, err := rl.authorRecord(userID, postID)
	if err != nil {
		return Curve{}, err
	}
	r, err := rl.counts.receipt(postID, rec)
	if err != nil {
		return Curve{}, err
	}
	return Curve{
		PostID:      postID,
		CreateAt:    rec.CreateAt,
		Points:      thin(merge(curvePoints(rec)), MaxCurvePoints),
		ReadCount:   r.ReadCount,
		UnreadCount: r.UnreadCount,
	}, nil
}

// curvePoints lists (time after posting, reads by then) in time order.
func curvePoints(rec *PostRecord) []CurvePoint {
	late := rec.Late
	lateBy := func(at int64) int { return sort.Search(len(late), func(i int) bool { return late[i].At > at }) }
	after := func(at int64) int64 { return max(0, at-rec.CreateAt) }
	points := make([]CurvePoint, 0, len(rec.ChunkStarts)+1+len(rec.Tail))
	for k, start := range rec.ChunkStarts {
		points = append(points, CurvePoint{after(start), k*ChunkSize + 1 + lateBy(start)})
	}
	if rec.Chunks > 0 {
		points = append(points, CurvePoint{after(rec.Floor.At), rec.Chunks*ChunkSize + lateBy(rec.Floor.At)})
	}
	// Late reads exist only once there are chunks, and all sort before Floor.
	base := rec.Chunks*ChunkSize + len(late)
	for i, e := range rec.Tail {
		points = append(points, CurvePoint{after(e.At), base + i + 1})
	}
	return points
}

// merge keeps one point per time, the highest count, so times strictly increase.
func merge(points []CurvePoint) []CurvePoint {
	out := make([]CurvePoint, 0, len(points))
	for _, p := range points {
		if n := len(out); n > 0 && out[n-1].AfterMs == p.AfterMs {
			out[n-1].ReadCount = max(out[n-1].ReadCount, p.ReadCount)
			continue
		}
		out = append(out, p)
	}
	return out
}

// thin keeps at most n points, evenly spread over the list, first and last
// included; on a cumulative curve that loses detail, never the total.
func thin(points []CurvePoint, n int) []CurvePoint {
	if len(points) <= n {
		return points
	}
	out := make([]CurvePoint, n)
	last := len(points) - 1
	for i := range out {
		out[i] = points[i*last/(n-1)]
	}
	return out
}
