package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/api"
	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// TestFeedbackRateLimitBehindATrustedProxy: behind a proxy the operator
// named, readers are told apart by X-Forwarded-For; without one, that
// header is ignored and cannot be used to dodge the limit.
func TestFeedbackRateLimitBehindATrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		limited bool // whether the sixth request, from a new forwarded address, is refused
	}{
		{"trusted proxy", []string{"127.0.0.1/32"}, false},
		{"no trusted proxy", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.Open(t, "sqlite")
			srv := httptest.NewServer(api.New(api.Options{Store: st, Workflows: &recordingWorkflows{}, TrustedProxies: tc.proxies}))
			t.Cleanup(srv.Close)
			doc := seedDocument(t, st)
			post := func(forwardedFor string) int {
				req, err := http.NewRequest("POST", fmt.Sprintf("%s/v1/published/%d/ko/feedback", srv.URL, doc), strings.NewReader(`{"text":"번역 확인 부탁드립니다."}`))
				require.NoError(t, err)
				req.Header.Set("X-Forwarded-For", forwardedFor)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				return resp.StatusCode
			}
			for range 5 {
				require.Equal(t, http.StatusAccepted, post("203.0.113.7"))
			}
			require.Equal(t, http.StatusTooManyRequests, post("203.0.113.7"))
			want := http.StatusAccepted
			if tc.limited {
				want = http.StatusTooManyRequests
			}
			require.Equal(t, want, post("198.51.100.9"))
		})
	}
}

// seedDocument stores a document with a published Korean version.
func seedDocument(t *testing.T, st *store.Store) int64 {
	t.Helper()
	doc := &models.Document{ExternalID: "proxy", Court: "延边中院", Kind: models.KindAnnouncement,
		Priority: models.PriorityNormal, SourceLang: models.SourceLang, IntakeHash: "h"}
	src := &models.SourceVersion{Title: "公告", Body: "公告。", ContentHash: "h"}
	segs := []models.Segment{{Index: 0, Text: "公告", Hash: "h0"}, {Index: 1, Text: "公告。", Hash: "h1"}}
	require.NoError(t, st.CreateDocument(context.Background(), doc, src, segs, []models.TranslationJob{{Lang: "ko"}}))
	seedPublished(t, st, doc.ID, "ko")
	return doc.ID
}
