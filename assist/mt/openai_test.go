package mt

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func openaiConfig(endpoint string) EngineConfig {
	return EngineConfig{Name: "hunyuan", Kind: KindOpenAI, Endpoint: endpoint, APIKey: "sk-test", Model: "tencent/Hunyuan-MT-7B"}
}

var appealCourt = Term{Source: "新疆维吾尔自治区高级人民法院", Target: "شىنجاڭ ئۇيغۇر ئاپتونوم رايونلۇق يۇقىرى خەلق سوتى"}

func TestOpenAIBatchIsOneCall(t *testing.T) {
	var mu sync.Mutex
	var calls []chatCall
	srv := openaiServer(t, func(c chatCall, texts []string) string {
		mu.Lock()
		calls = append(calls, c)
		mu.Unlock()
		return honest(c, texts)
	})
	e := engine(t, openaiConfig(srv.URL))
	require.Equal(t, 20, e.MaxBatch())

	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: zhTexts(),
		Glossary: []Term{appealCourt, {Source: "最高人民法院", Target: "ئالىي خەلق سوتى"}}})
	require.NoError(t, err)
	require.Equal(t, column(func(i int) string { return court[i].ug }), got)
	require.EqualValues(t, 1, srv.calls.Load(), "three texts, one call")

	c := calls[0]
	require.Equal(t, "tencent/Hunyuan-MT-7B", c.Model)
	require.Equal(t, "Bearer sk-test", c.Auth)
	require.NotNil(t, c.Temperature)
	require.Zero(t, *c.Temperature)
	require.Contains(t, c.System, "简体中文")
	require.Contains(t, c.System, "维吾尔语")
	// The glossary term in the texts is in the prompt; the one not in
	// any text is left out.
	require.Contains(t, c.System, appealCourt.Source+" → "+appealCourt.Target)
	require.NotContains(t, c.System, "最高人民法院 →")
	require.True(t, strings.HasPrefix(c.User, "[1] "+court[0].zh+"\n[2] "))
}

func TestOpenAIParsesLooseNumbering(t *testing.T) {
	// What models really send back: a preamble, a code fence, other
	// brackets, a reasoning block and a translation wrapped onto two lines.
	head, tail, _ := strings.Cut(court[1].ug, "، ")
	srv := openaiServer(t, func(c chatCall, texts []string) string {
		return "<think>先逐句翻译。</think>以下是译文：\n```\n" +
			"【1】" + court[0].ug + "\n\n" +
			"(2) " + head + "،\n" + tail + "\n" +
			"3. " + court[2].ug + "\n```"
	})
	e := engine(t, openaiConfig(srv.URL))
	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: zhTexts()})
	require.NoError(t, err)
	require.Equal(t, court[0].ug, got[0])
	require.Equal(t, court[2].ug, got[2])
	// The wrapped line is joined with a space where the model broke it.
	require.Equal(t, court[1].ug, got[1])
	require.EqualValues(t, 1, srv.calls.Load())
}

func TestOpenAIFallsBackToOneTextPerCall(t *testing.T) {
	// The model merges two lines, so the batch answer has two numbers for
	// three texts: it cannot be aligned, and each text is asked alone.
	srv := openaiServer(t, func(c chatCall, texts []string) string {
		if len(texts) > 1 {
			return "[1] " + court[0].bo + "\n[2] " + court[1].bo + court[2].bo
		}
		return translateAs("bo", texts[0])
	})
	e := engine(t, openaiConfig(srv.URL))
	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "bo", Texts: zhTexts()})
	require.NoError(t, err)
	require.Equal(t, column(func(i int) string { return court[i].bo }), got)
	require.EqualValues(t, 4, srv.calls.Load(), "one batch call, then one per text")
}

func TestOpenAIEndpointWithV1(t *testing.T) {
	srv := openaiServer(t, honest)
	e := engine(t, openaiConfig(srv.URL+"/v1/"))
	got, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: []string{court[2].zh}})
	require.NoError(t, err)
	require.Equal(t, []string{court[2].ug}, got)
}

func TestOpenAICustomPromptGetsGlossary(t *testing.T) {
	var system string
	srv := openaiServer(t, func(c chatCall, texts []string) string {
		system = c.System
		return honest(c, texts)
	})
	ec := openaiConfig(srv.URL)
	ec.Prompt = "把下面的文本翻译成{target_name}，不要额外解释。"
	e := engine(t, ec)
	_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: []string{court[2].zh}, Glossary: []Term{appealCourt}})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(system, "把下面的文本翻译成维吾尔语"))
	require.Contains(t, system, appealCourt.Target, "a prompt without {glossary} still gets the terms")
}

func TestOpenAIErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		kind      error
		permanent bool
	}{
		{"bad key", 401, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}`, ErrAuth, true},
		{"unknown model", 404, `{"error":{"message":"The model 'hunyuan' does not exist"}}`, ErrBadRequest, true},
		{"rate limit", 429, `{"error":{"message":"Rate limit reached"}}`, nil, false},
		{"ollama error", 500, `{"error":"model runner has unexpectedly stopped"}`, nil, false},
		{"no choices", 200, `{"choices":[]}`, nil, false},
		{"cut off", 200, `{"choices":[{"message":{"role":"assistant","content":"بۇ سوت"},"finish_reason":"length"}]}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, func(_ *fake, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			e := engine(t, openaiConfig(srv.URL))
			_, err := e.Translate(context.Background(), Request{Source: "zh-Hans", Target: "ug", Texts: []string{court[0].zh}})
			require.Error(t, err)
			if tt.kind != nil {
				require.ErrorIs(t, err, tt.kind)
			}
			require.Equal(t, tt.permanent, IsPermanent(err), "%v", err)
			require.NotContains(t, err.Error(), "sk-test")
		})
	}
}

func TestParseNumbered(t *testing.T) {
	tests := []struct {
		content string
		n       int
		want    []string
	}{
		{"[1] a\n[2] b", 2, []string{"a", "b"}},
		{"［１］ a\n［２］ b", 2, []string{"a", "b"}},
		{"1、a\n2、b", 2, []string{"a", "b"}},
		{"[2] b\n[1] a", 2, []string{"a", "b"}},
		// A case number opening a wrapped line is text, not a marker.
		{"[1] ھۆكۈمنامە\n(2023)新01刑初15号\n[2] b", 2, []string{"ھۆكۈمنامە (2023)新01刑初15号", "b"}},
		// NNBSP is part of a Mongolian word, even at the end of a line.
		{"[1] ᠱᠦᠬᠦ\u202Fᠶᠢᠨ\n[2] ᠱᠦᠬᠦ\u202F", 2, []string{"ᠱᠦᠬᠦ\u202Fᠶᠢᠨ", "ᠱᠦᠬᠦ\u202F"}},
		{"[1] a", 2, nil},
		{"[1] a\n[1] b", 2, nil},
		{"[1] a\n[2] ", 2, []string{"a", ""}},
		{"a\nb", 2, nil},
	}
	for _, tt := range tests {
		got, ok := parseNumbered(tt.content, tt.n)
		require.Equal(t, tt.want != nil, ok, tt.content)
		require.Equal(t, tt.want, got, tt.content)
	}
}
