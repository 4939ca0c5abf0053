package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// apiError is the API's error shape, {"error":{code,message,details}},
// with the status it came with.
type apiError struct {
	Status  int
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
}

func (e *apiError) Error() string {
	return fmt.Sprintf("API answered %d %s: %s", e.Status, e.Code, e.Message)
}

// recorder is the in-memory ResponseWriter the API writes into.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// apiCall is one request to the JSON API, made in process: the UI holds no
// rules of its own, so authorization, validation, four-eyes and the
// workflow all stay where the API keeps them.
type apiCall struct {
	Method string
	Path   string // with the query
	Body   any    // marshalled as JSON when not nil
	// IdempotencyKey makes a repeated form submission the same Update.
	IdempotencyKey string
}

// call sends c to the API with the session's bearer token and decodes a 2xx
// answer into out (unless out is nil). Any other answer is an *apiError.
func (u *UI) call(ctx context.Context, token string, c apiCall, out any) error {
	// A server's request always has a body; the API may count on it.
	var body io.Reader = http.NoBody
	if c.Body != nil {
		b, err := json.Marshal(c.Body)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, c.Path, body)
	if err != nil {
		return err
	}
	req.RemoteAddr = remoteAddr(ctx)
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", c.IdempotencyKey)
	}
	rec := &recorder{header: http.Header{}}
	u.api.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status < 200 || rec.status > 299 {
		e := &apiError{Status: rec.status}
		var shape struct {
			Error *apiError `json:"error"`
		}
		if json.Unmarshal(rec.body.Bytes(), &shape) == nil && shape.Error != nil {
			e.Code, e.Message, e.Details = shape.Error.Code, shape.Error.Message, shape.Error.Details
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(rec.body.Bytes(), out); err != nil {
		return fmt.Errorf("decode %s %s: %w", c.Method, c.Path, err)
	}
	return nil
}

type remoteAddrKey struct{}

// withRemoteAddr passes the browser's address on to the API calls a page
// makes, for the API's logs and limits.
func withRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteAddrKey{}, addr)
}

func remoteAddr(ctx context.Context) string {
	if a, ok := ctx.Value(remoteAddrKey{}).(string); ok && a != "" {
		return a
	}
	return "127.0.0.1:0"
}

// statusOf returns the HTTP status of an API error, 0 for other errors.
func statusOf(err error) int {
	var e *apiError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}
