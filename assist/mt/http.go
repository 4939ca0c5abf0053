package mt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// maxResponseBytes caps what is read from an engine. A batch of 50 court
// sentences translates to well under 1 MiB; anything far larger is a
// misbehaving server, and reading it unbounded could exhaust the worker.
const maxResponseBytes = 8 << 20

// base is what every HTTP engine shares.
type base struct {
	name     string
	endpoint string // without a trailing slash
	apiKey   string
	timeout  time.Duration
	batch    int
	codes    map[string]string // canonical tag → engine code
	client   *http.Client
}

func newBase(ec EngineConfig, client *http.Client) base {
	return base{
		name:     ec.Name,
		endpoint: ec.Endpoint,
		apiKey:   ec.APIKey,
		timeout:  time.Duration(ec.Timeout),
		batch:    max(ec.Batch, 1),
		codes:    ec.Languages,
		client:   client,
	}
}

func (b *base) Name() string  { return b.name }
func (b *base) MaxBatch() int { return b.batch }

func (b *base) Supports(source, target string) bool {
	if source == target {
		return false
	}
	_, okS := b.codes[source]
	_, okT := b.codes[target]
	return okS && okT
}

// pairCodes returns the engine's codes for a request, or ErrUnsupportedPair.
func (b *base) pairCodes(req Request) (string, string, error) {
	if !b.Supports(req.Source, req.Target) {
		return "", "", fmt.Errorf("%s: %s>%s: %w", b.name, req.Source, req.Target, ErrUnsupportedPair)
	}
	return b.codes[req.Source], b.codes[req.Target], nil
}

// post sends one request under the engine's timeout and returns the status
// and the body, read up to maxResponseBytes. Transport failures come back
// as transient errors; the status is for the caller to judge, because
// engines disagree on what a 200 means (NiuTrans reports errors in one).
func (b *base) post(ctx context.Context, path, contentType string, body []byte, header http.Header) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.endpoint+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w: %v", b.name, ErrBadRequest, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "yizhi-mt")
	resp, err := b.client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, nil, fmt.Errorf("%s: no answer within %s: %w", b.name, b.timeout, err)
		}
		return 0, nil, fmt.Errorf("%s: %w", b.name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, nil, fmt.Errorf("%s: answer not finished within %s: %w", b.name, b.timeout, err)
		}
		return 0, nil, fmt.Errorf("%s: reading the answer: %w", b.name, err)
	}
	if len(data) > maxResponseBytes {
		return 0, nil, fmt.Errorf("%s: answer larger than %d bytes", b.name, maxResponseBytes)
	}
	return resp.StatusCode, data, nil
}

// statusError classifies an HTTP error status the way most engines mean
// it. msg is the engine's own explanation, shortened.
func (b *base) statusError(status int, msg string) error {
	var kind error
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		kind = ErrAuth
	case status == 456: // DeepL: quota exceeded
		kind = ErrQuota
	case status == http.StatusRequestTimeout || status == http.StatusTooEarly ||
		status == http.StatusTooManyRequests || status >= 500:
		kind = nil // transient: retrying later can succeed
	case status >= 400:
		kind = ErrBadRequest
	}
	text := fmt.Sprintf("%s: HTTP %d", b.name, status)
	if msg = shorten(msg); msg != "" {
		text += ": " + msg
	}
	if kind == nil {
		return errors.New(text)
	}
	return fmt.Errorf("%s: %w", text, kind)
}

// shorten keeps an engine's error text short enough for a log line and
// an activity failure, on a character boundary.
func shorten(s string) string {
	s = strings.TrimSpace(s)
	const limit = 300
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// chunks splits n texts into runs of at most maxItems texts and, when
// maxBytes > 0, at most maxBytes bytes (a single longer text gets a run
// of its own), so a request stays inside an engine's size limits.
func chunks(texts []string, maxItems, maxBytes int) [][2]int {
	var out [][2]int
	start, size := 0, 0
	for i, t := range texts {
		if i > start && (i-start >= maxItems || (maxBytes > 0 && size+len(t) > maxBytes)) {
			out = append(out, [2]int{start, i})
			start, size = i, 0
		}
		size += len(t)
	}
	if start < len(texts) {
		out = append(out, [2]int{start, len(texts)})
	}
	return out
}
