package mt

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func deeplConfig(endpoint string) EngineConfig {
	return EngineConfig{Name: "deepl", Kind: KindDeepL, Endpoint: endpoint, APIKey: "dl-key"}
}

func TestDeepLBatches(t *testing.T) {
	srv := deeplServer(t)
	e := engine(t, deeplConfig(srv.URL))
	require.Equal(t, 50, e.MaxBatch())

	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: zhTexts()})
	require.NoError(t, err)
	require.Equal(t, column(func(i int) string { return court[i].en }), got)
	require.EqualValues(t, 1, srv.calls.Load())

	// More than DeepL's 50 texts in one Translate are split, not refused.
	texts := evidence(60)
	got, err = e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: texts})
	require.NoError(t, err)
	require.Len(t, got, 60)
	require.Equal(t, "Evidence item 60 was cross-examined in court and is confirmed by this Court.", got[59])
	require.EqualValues(t, 3, srv.calls.Load())
}

func TestDeepLRequest(t *testing.T) {
	var body map[string]any
	var auth string
	srv := newFake(t, func(_ *fake, w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		require.Equal(t, "/v2/translate", r.URL.Path)
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		writeJSON(w, 200, map[string]any{"translations": []map[string]string{{"detected_source_language": "ZH", "text": court[0].en}}})
	})
	e := engine(t, deeplConfig(srv.URL))
	_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: []string{court[0].zh}})
	require.NoError(t, err)
	require.Equal(t, "DeepL-Auth-Key dl-key", auth)
	// source_lang takes no variant; courts publish British English.
	require.Equal(t, map[string]any{"text": []any{court[0].zh}, "source_lang": "ZH", "target_lang": "EN-GB"}, body)
}

func TestDeepLErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		kind      error
		permanent bool
	}{
		{"bad key", 403, `{"message":"Wrong endpoint. Use https://api.deepl.com"}`, ErrAuth, true},
		{"quota", 456, `{"message":"Quota Exceeded"}`, ErrQuota, true},
		{"unsupported", 400, `{"message":"Value for 'target_lang' not supported."}`, ErrUnsupportedPair, true},
		{"too large", 413, `{"message":"Request Entity Too Large"}`, ErrBadRequest, true},
		{"too many requests", 429, `{"message":"Too many requests"}`, nil, false},
		{"unavailable", 503, ``, nil, false},
		{"count mismatch", 200, `{"translations":[]}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, func(_ *fake, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			e := engine(t, deeplConfig(srv.URL))
			_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: []string{court[2].zh}})
			require.Error(t, err)
			if tt.kind != nil {
				require.ErrorIs(t, err, tt.kind)
			}
			require.Equal(t, tt.permanent, IsPermanent(err), "%v", err)
			require.NotContains(t, err.Error(), "dl-key")
		})
	}
}

func TestDeepLLanguages(t *testing.T) {
	e := engine(t, deeplConfig("https://api.deepl.com"))
	require.True(t, e.Supports("zh-Hans", "en"))
	require.True(t, e.Supports("zh-Hans", "ko"))
	require.False(t, e.Supports("zh-Hans", "ug"))
	require.False(t, e.Supports("zh-Hans", "bo"))
}
