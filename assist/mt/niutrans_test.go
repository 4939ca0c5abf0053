package mt

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func niutransConfig(endpoint string) EngineConfig {
	return EngineConfig{Name: "niutrans", Kind: KindNiuTrans, Endpoint: endpoint, APIKey: "nt-key"}
}

func TestNiuTransOneTextPerCall(t *testing.T) {
	srv := niutransServer(t)
	e := engine(t, niutransConfig(srv.URL))
	require.Equal(t, 1, e.MaxBatch())

	for _, tc := range []struct {
		target string
		want   func(i int) string
	}{
		{"ug", func(i int) string { return court[i].ug }},
		{"bo", func(i int) string { return court[i].bo }},
		{"mn-Mong", func(i int) string { return court[i].mn }},
	} {
		t.Run(tc.target, func(t *testing.T) {
			before := srv.calls.Load()
			got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: tc.target, Texts: zhTexts()})
			require.NoError(t, err)
			require.Len(t, got, 3)
			for i := range got {
				// The engine passes NiuTrans's trailing line break on;
				// the Router trims it.
				require.Equal(t, tc.want(i), strings.TrimSpace(got[i]))
			}
			require.EqualValues(t, 3, srv.calls.Load()-before, "NiuTrans takes one text per call")
		})
	}
}

func TestNiuTransLanguageCodes(t *testing.T) {
	e := engine(t, niutransConfig("http://niutrans.invalid"))
	for _, target := range []string{"bo", "ug", "mn-Mong", "kk-Arab", "ko", "za", "en"} {
		require.True(t, e.Supports("zh-Hans", target), target)
	}
	require.False(t, e.Supports("zh-Hans", "ii"), "no engine covers Yi")
	require.False(t, e.Supports("zh-Hans", "zh-Hans"))
	// Asked for a pair it lacks, it refuses without a call.
	_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ii", Texts: []string{court[0].zh}})
	require.ErrorIs(t, err, ErrUnsupportedPair)
}

func TestNiuTransErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		kind      error // nil: transient
		permanent bool
	}{
		{"bad apikey", 200, `{"error_code":"13001","error_msg":"apikey不存在或字符流量不足"}`, ErrAuth, true},
		{"empty apikey", 200, `{"error_code":"13002","error_msg":"apikey参数不可以是空"}`, ErrAuth, true},
		{"code as number", 200, `{"error_code":13001,"error_msg":"apikey不存在"}`, ErrAuth, true},
		{"language", 200, `{"error_code":"13007","error_msg":"语言不支持"}`, ErrUnsupportedPair, true},
		{"too long", 200, `{"error_code":"10003","error_msg":"请求字符串长度超过限制"}`, ErrBadRequest, true},
		{"params", 200, `{"error_code":"000000","error_msg":"Request params was error"}`, ErrBadRequest, true},
		{"qps", 200, `{"error_code":"10001","error_msg":"请求频繁，超出QPS限制"}`, nil, false},
		{"server timeout", 200, `{"error_code":"13008","error_msg":"请求处理超时"}`, nil, false},
		{"http 502", 502, `<html>Bad Gateway</html>`, nil, false},
		{"no tgt_text", 200, `{"from":"zh","to":"uy"}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, func(_ *fake, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			e := engine(t, niutransConfig(srv.URL))
			_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: []string{court[0].zh}})
			require.Error(t, err)
			if tt.kind != nil {
				require.ErrorIs(t, err, tt.kind)
			}
			require.Equal(t, tt.permanent, IsPermanent(err), "%v", err)
			require.Contains(t, err.Error(), "niutrans")
			require.NotContains(t, err.Error(), "nt-key", "errors must not carry the key")
		})
	}
}

func TestNiuTransSendsKeyAndCodes(t *testing.T) {
	var form map[string][]string
	srv := newFake(t, func(_ *fake, w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		form = r.PostForm
		require.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"))
		writeJSON(w, 200, map[string]string{"tgt_text": court[0].mn})
	})
	e := engine(t, niutransConfig(srv.URL))
	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "mn-Mong", Texts: []string{court[0].zh}})
	require.NoError(t, err)
	require.Equal(t, []string{court[0].mn}, got)
	require.Equal(t, []string{"zh"}, form["from"])
	require.Equal(t, []string{"mo"}, form["to"], "mo is traditional Mongolian; mn would be Cyrillic")
	require.Equal(t, []string{"nt-key"}, form["apikey"])
	require.Equal(t, []string{court[0].zh}, form["src_text"])
}
