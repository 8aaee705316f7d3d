package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// decode reads one JSON object into dst, a pointer to a struct. Input is
// strict, so that a typo never becomes a silent no-op: field names match the
// struct's json tags exactly (Go's decoder would fold case), and unknown
// fields, duplicate keys and trailing data are refused.
func decode(r *http.Request, dst any) error {
	data, err := readBody(r)
	if err != nil {
		return decodeError(err)
	}
	if err := checkObject(data, fieldNames(dst)); err != nil {
		return err
	}
	return decodeError(json.Unmarshal(data, dst))
}

// decodeOptional is decode for endpoints whose body may be left out.
func decodeOptional(r *http.Request, dst any) error {
	data, err := readBody(r)
	if err != nil {
		return decodeError(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	return decode(r, dst)
}

// bodyReadSize is the first read of a body: every batch of MaxBatch ids fits.
const bodyReadSize = 16 << 10

// readBody reads the whole body. A plugin's request body is remote, each
// Read one round trip to the server. The bridge keeps the Content-Length
// header (not the field), and the server has already held the body to it:
// reading exactly that much takes one Read, where reading to the end takes a
// second one to find the end. Without the header, a buffer sized for any
// batch asks for the body at once (io.ReadAll would start with 512 bytes).
func readBody(r *http.Request) ([]byte, error) {
	if n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64); err == nil && n >= 0 && n <= MaxBodyBytes {
		buf := make([]byte, n)
		if _, err := io.ReadFull(r.Body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, bodyReadSize))
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// checkObject requires data to be exactly one JSON object whose keys are
// among names, each at most once.
func checkObject(data []byte, names map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return receipts.Invalid("invalid_json", "the body must be a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return invalidJSON(err)
		}
		key, _ := tok.(string)
		switch {
		case !names[key]:
			return receipts.Invalid("invalid_json", "unknown field "+strconv.Quote(key))
		case seen[key]:
			return receipts.Invalid("invalid_json", "field "+strconv.Quote(key)+" is given twice")
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return invalidJSON(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return invalidJSON(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return receipts.Invalid("invalid_json", "the body must be a single JSON object")
	}
	return nil
}

// fieldNames returns the json names of a struct's fields.
func fieldNames(dst any) map[string]bool {
	t := reflect.TypeOf(dst).Elem()
	names := make(map[string]bool, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names[name] = true
	}
	return names
}

func invalidJSON(err error) error {
	return receipts.Invalid("invalid_json", "the body is not valid JSON: "+err.Error())
}

func decodeError(err error) error {
	if err == nil {
		return nil
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return errBodyTooLarge
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return receipts.Invalid("invalid_json", "field "+typeErr.Field+" has the wrong type")
	}
	return invalidJSON(err)
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

// plainNumber is a decimal number with no sign and no leading zero.
var plainNumber = regexp.MustCompile(`^(0|[1-9][0-9]{0,17})$`)

// readerQuery parses ?filter=&cursor=&per_page= of the reader list. Each
// parameter may be given once; filter is exactly read or unread.
func readerQuery(r *http.Request) (receipts.ReaderQuery, error) {
	q := r.URL.Query()
	rq := receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: receipts.MaxPerPage}
	for _, name := range []string{"filter", "cursor", "per_page"} {
		if len(q[name]) > 1 {
			return rq, receipts.Invalid("invalid_query", name+" may be given only once")
		}
	}
	if f, ok := param(q, "filter"); ok {
		if f != receipts.FilterRead && f != receipts.FilterUnread {
			return rq, receipts.Invalid("invalid_filter", "filter must be read or unread")
		}
		rq.Filter = f
	}
	rq.Cursor = q.Get("cursor")
	if s, ok := param(q, "per_page"); ok {
		n, err := strconv.Atoi(s)
		if !plainNumber.MatchString(s) || err != nil || n < 1 || n > receipts.MaxPerPage {
			return rq, receipts.Invalid("invalid_per_page", "per_page must be a whole number from 1 to 100")
		}
		rq.PerPage = n
	}
	return rq, nil
}

// param returns a query parameter and whether it was given (even empty).
func param(q url.Values, name string) (string, bool) {
	v, ok := q[name]
	if !ok {
		return "", false
	}
	return v[0], true
}
