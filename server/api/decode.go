package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// decode reads one JSON object into dst, refusing unknown fields and
// trailing data so that a typo never becomes a silent no-op.
func decode(r *http.Request, dst any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if tooLarge(err) {
			return receipts.ErrBodyTooLarge
		}
		return receipts.Invalid("invalid_json", "the body must be a single JSON object")
	}
	return nil
}

// decodeOptional is decode for endpoints whose body may be left out.
func decodeOptional(r *http.Request, dst any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	return decode(r, dst)
}

func decodeError(err error) error {
	if tooLarge(err) {
		return receipts.ErrBodyTooLarge
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return receipts.Invalid("invalid_json", "field "+typeErr.Field+" has the wrong type")
	}
	if errors.Is(err, io.EOF) {
		return receipts.Invalid("invalid_json", "the body must be a JSON object")
	}
	return receipts.Invalid("invalid_json", "the body is not valid JSON: "+err.Error())
}

func tooLarge(err error) bool {
	var maxErr *http.MaxBytesError
	return errors.As(err, &maxErr)
}

// pathID returns a path parameter that must be a Mattermost id.
func pathID(r *http.Request, name string) (string, error) {
	id := r.PathValue(name)
	if !receipts.IsValidID(id) {
		return "", receipts.Invalid("invalid_id", name+" must be a 26-character Mattermost id")
	}
	return id, nil
}

// postIDs decodes {"post_ids": [...]} and enforces the batch limit.
func postIDs(r *http.Request) ([]string, error) {
	var body struct {
		PostIDs *[]string `json:"post_ids"`
	}
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	if body.PostIDs == nil {
		return nil, receipts.Invalid("missing_post_ids", "post_ids is required")
	}
	if len(*body.PostIDs) > receipts.MaxBatch {
		return nil, receipts.ErrTooManyPosts
	}
	return *body.PostIDs, nil
}

// readerQuery parses ?filter=&cursor=&per_page= of the reader list.
func readerQuery(r *http.Request) (receipts.ReaderQuery, error) {
	q := r.URL.Query()
	rq := receipts.ReaderQuery{Filter: q.Get("filter"), Cursor: q.Get("cursor"), PerPage: receipts.MaxPerPage}
	switch rq.Filter {
	case "":
		rq.Filter = receipts.FilterRead
	case receipts.FilterRead, receipts.FilterUnread:
	default:
		return rq, receipts.Invalid("invalid_filter", "filter must be read or unread")
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > receipts.MaxPerPage {
			return rq, receipts.Invalid("invalid_per_page", "per_page must be a whole number from 1 to 100")
		}
		rq.PerPage = n
	}
	return rq, nil
}
