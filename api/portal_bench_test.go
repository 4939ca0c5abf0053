package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing but the status, so
// the benchmarks below measure the handler and not a recorder.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// BenchmarkPortalRead is one GET /v1/published/{id} through the whole API
// handler (middleware, token, negotiation, portal cache), without the
// network. Compare it with BenchmarkPortalReadBaseline from the same run:
//
//	go test ./api -run '^$' -bench PortalRead -benchmem
func BenchmarkPortalRead(b *testing.B) {
	f := newFixture(b)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	f.publishKorean(doc.ID, "본원은 2024년 5월 6일 제3법정에서 심리한다.")
	req := httptest.NewRequest("GET", fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID), nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["portal"])
	req.Header.Set("Accept-Language", "ko-KR,ko;q=0.9,zh-CN;q=0.8")
	w := &discardWriter{header: http.Header{}}
	f.api.ServeHTTP(w, req) // fills the portal cache
	if w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.header)
		f.api.ServeHTTP(w, req)
	}
	if w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
}

// BenchmarkPortalReadBaseline is the floor for BenchmarkPortalRead: a bare
// net/http handler writing bytes of the same size with the same headers,
// as a static file server would.
func BenchmarkPortalReadBaseline(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 1800)
	static := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Language", "ko")
		h.Set("Vary", "Accept-Language")
		h.Set("ETag", `"0123456789abcdef0123456789abcdef"`)
		h.Set("Cache-Control", "public, max-age=60, stale-while-revalidate=30")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	req := httptest.NewRequest("GET", "/v1/published/1?lang=ko", nil)
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.header)
		static.ServeHTTP(w, req)
	}
}
