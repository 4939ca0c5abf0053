package mt

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func libreConfig(endpoint string) EngineConfig {
	return EngineConfig{Name: "libre", Kind: KindLibreTranslate, Endpoint: endpoint, APIKey: "lt-key"}
}

func TestLibreTranslateBatchIsOneCall(t *testing.T) {
	srv := libreServer(t)
	e := engine(t, libreConfig(srv.URL))
	require.Equal(t, 20, e.MaxBatch())

	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: zhTexts()})
	require.NoError(t, err)
	require.Equal(t, column(func(i int) string { return court[i].en }), got)
	require.EqualValues(t, 1, srv.calls.Load(), "three texts, one call")

	// One text goes as a plain string, which every version accepts.
	got, err = e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: []string{court[1].zh}})
	require.NoError(t, err)
	require.Equal(t, []string{court[1].en}, got)
}

func TestLibreTranslateSendsQAsStringOrArray(t *testing.T) {
	var bodies []map[string]any
	srv := newFake(t, func(_ *fake, w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&b))
		bodies = append(bodies, b)
		if _, many := b["q"].([]any); many {
			writeJSON(w, 200, map[string]any{"translatedText": []string{court[0].en, court[1].en}})
			return
		}
		writeJSON(w, 200, map[string]any{"translatedText": court[0].en})
	})
	e := engine(t, libreConfig(srv.URL))
	_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: []string{court[0].zh}})
	require.NoError(t, err)
	_, err = e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "en", Texts: []string{court[0].zh, court[1].zh}})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"q": court[0].zh, "source": "zh", "target": "en", "format": "text", "api_key": "lt-key"}, bodies[0])
	require.Equal(t, []any{court[0].zh, court[1].zh}, bodies[1]["q"])
}

func TestLibreTranslateErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		kind      error
		permanent bool
	}{
		{"unsupported language", 400, `{"error":"ug is not supported"}`, ErrUnsupportedPair, true},
		{"bad request", 400, `{"error":"Invalid request: missing q parameter"}`, ErrBadRequest, true},
		{"bad key", 403, `{"error":"Invalid API key"}`, ErrAuth, true},
		{"slow down", 429, `{"error":"Slowdown: 30 per 1 minute"}`, nil, false},
		{"server error", 500, `{"error":"Cannot translate text: model crashed"}`, nil, false},
		{"count mismatch", 200, `{"translatedText":["only one"]}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, func(_ *fake, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			ec := libreConfig(srv.URL)
			ec.Languages = map[string]string{"ug": "ug"} // a server someone claimed has Uyghur
			e := engine(t, ec)
			_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: []string{court[0].zh, court[1].zh}})
			require.Error(t, err)
			if tt.kind != nil {
				require.ErrorIs(t, err, tt.kind)
			}
			require.Equal(t, tt.permanent, IsPermanent(err), "%v", err)
		})
	}
}

func TestLibreTranslateHasNoMinorityLanguages(t *testing.T) {
	e := engine(t, libreConfig("http://libre.invalid"))
	require.True(t, e.Supports("zh-Hans", "en"))
	require.True(t, e.Supports("zh-Hans", "ko"))
	for _, target := range []string{"ug", "bo", "mn-Mong", "kk-Arab", "ii", "za"} {
		require.False(t, e.Supports("zh-Hans", target), target)
	}
}
