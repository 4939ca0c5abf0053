package mt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/lang"
)

// router builds engines and a Router from configs, as the worker does.
func router(t *testing.T, routes map[string][]string, ecs ...EngineConfig) *Router {
	t.Helper()
	cfg := &Config{Engines: ecs, Routes: routes}
	engines, err := NewEngines(cfg, nil)
	require.NoError(t, err)
	return NewRouter(cfg, engines, nil)
}

// failing answers every request with status and body.
func failing(t *testing.T, status int, body string) *fake {
	return newFake(t, func(_ *fake, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

// slow never answers: only the client's timeout ends a request, so a test
// using it hangs if the timeout is not enforced.
func slow(t *testing.T) *fake {
	release := make(chan struct{})
	f := newFake(t, func(_ *fake, w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	return f
}

func engines(results []Result) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = r.Engine
	}
	return out
}

func texts(results []Result) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = r.Text
	}
	return out
}

func TestRouterFallsThroughChainOfThree(t *testing.T) {
	down := failing(t, 502, "<html>502 Bad Gateway</html>")
	hung := slow(t)
	good := libreServer(t)

	nt := niutransConfig(down.URL)
	hy := openaiConfig(hung.URL)
	hy.Timeout = Duration(200 * time.Millisecond)
	lt := libreConfig(good.URL)
	lt.Languages = map[string]string{"ug": "ug"} // a LibreTranslate with a Uyghur model
	cfg := &Config{Engines: []EngineConfig{nt, hy, lt}, Routes: map[string][]string{"zh-Hans>ug": {"niutrans", "hunyuan", "libre"}}}
	es, err := NewEngines(cfg, nil)
	require.NoError(t, err)
	var logs syncBuffer
	r := NewRouter(cfg, es, slog.New(slog.NewTextHandler(&logs, nil)))

	require.Equal(t, []string{"niutrans", "hunyuan", "libre"}, r.Engines("zh-Hans", "ug"))
	got, err := r.Translate(context.Background(), "zh-Hans", "ug", zhTexts(), nil)
	require.NoError(t, err)
	require.Equal(t, column(func(i int) string { return court[i].ug }), texts(got))
	require.Equal(t, []string{"libre", "libre", "libre"}, engines(got))

	require.EqualValues(t, 3, down.calls.Load(), "three texts, one per call, each failing")
	require.EqualValues(t, 1, hung.calls.Load(), "one batch, timed out")
	require.EqualValues(t, 1, good.calls.Load(), "one batch")
	// Each fall-through is logged with its reason.
	require.Contains(t, logs.String(), "engine=niutrans")
	require.Contains(t, logs.String(), "HTTP 502")
	require.Contains(t, logs.String(), "engine=hunyuan")
	require.Contains(t, logs.String(), "no answer within 200ms")
}

// syncBuffer is a log destination safe for the Router's workers.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRouterRefusesWrongScript(t *testing.T) {
	// The chat model answers in Cyrillic Mongolian; NiuTrans in the
	// traditional script Chinese courts publish.
	cyr := openaiServer(t, func(c chatCall, texts []string) string {
		return numbered(texts, func(_ int, s string) string { return cyrillic[s] })
	})
	nt := niutransServer(t)
	r := router(t, map[string][]string{"zh-Hans>mn-Mong": {"hunyuan", "niutrans"}}, openaiConfig(cyr.URL), niutransConfig(nt.URL))

	got, err := r.Translate(context.Background(), "zh-Hans", "mn-Mong", zhTexts(), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"niutrans", "niutrans", "niutrans"}, engines(got))
	for i, res := range got {
		require.Equal(t, court[i].mn, res.Text)
		share, _ := lang.ScriptShare("mn-Mong", res.Text)
		require.Zero(t, share)
	}
	require.EqualValues(t, 1, cyr.calls.Load())
}

func TestRouterOffersNothingRatherThanWrongScript(t *testing.T) {
	cyr := openaiServer(t, func(c chatCall, texts []string) string {
		return numbered(texts, func(_ int, s string) string { return cyrillic[s] })
	})
	r := router(t, nil, openaiConfig(cyr.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "mn-Mong", zhTexts(), nil)
	require.NoError(t, err, "refused answers are no failure: a retry would get the same")
	require.Equal(t, []Result{{}, {}, {}}, got)
}

func TestRouterSendsOnlyMissingTextsOn(t *testing.T) {
	// The chat model copies the second sentence back in Chinese and
	// leaves the third empty; only those two go on to NiuTrans.
	hy := openaiServer(t, func(c chatCall, texts []string) string {
		return "[1] " + court[0].ug + "\n[2] " + court[1].zh + "\n[3] \n"
	})
	nt := niutransServer(t)
	r := router(t, map[string][]string{"*": {"hunyuan", "niutrans"}}, openaiConfig(hy.URL), niutransConfig(nt.URL))

	got, err := r.Translate(context.Background(), "zh-Hans", "ug", zhTexts(), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"hunyuan", "niutrans", "niutrans"}, engines(got))
	require.Equal(t, column(func(i int) string { return court[i].ug }), texts(got))
	require.ElementsMatch(t, []string{court[1].zh, court[2].zh}, nt.received())
}

func TestRouterRefusesTibetanForUyghur(t *testing.T) {
	hy := openaiServer(t, func(c chatCall, texts []string) string {
		return numbered(texts, func(i int, s string) string {
			if i == 1 {
				return translateAs("bo", s) // right sentence, wrong language
			}
			return translateAs("ug", s)
		})
	})
	nt := niutransServer(t)
	r := router(t, nil, openaiConfig(hy.URL), niutransConfig(nt.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "ug", zhTexts(), nil)
	require.NoError(t, err)
	require.Equal(t, Result{Text: court[1].ug, Engine: "niutrans"}, got[1])
	require.Equal(t, []string{court[1].zh}, nt.received())
}

func TestRouterBatchesByEngine(t *testing.T) {
	src := evidence(45)
	for _, tc := range []struct {
		name   string
		target string
		srv    func(t *testing.T) *fake
		ec     func(url string) EngineConfig
		calls  int32
	}{
		{"libretranslate", "en", libreServer, libreConfig, 3}, // 20 + 20 + 5
		{"deepl", "en", deeplServer, deeplConfig, 1},          // 45 ≤ 50
		{"openai", "ug", func(t *testing.T) *fake { return openaiServer(t, honest) }, openaiConfig, 3},
		{"niutrans", "ug", niutransServer, niutransConfig, 45}, // one text per call is its protocol
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv(t)
			r := router(t, nil, tc.ec(srv.URL))
			got, err := r.Translate(context.Background(), "zh-Hans", tc.target, src, nil)
			require.NoError(t, err)
			for i, res := range got {
				require.Equal(t, translateAs(tc.target, src[i]), res.Text)
			}
			require.Equal(t, tc.calls, srv.calls.Load())
			require.Len(t, srv.received(), 45, "each text sent once")
		})
	}
}

func TestRouterNoEngineForPair(t *testing.T) {
	nt := niutransServer(t)
	r := router(t, nil, niutransConfig(nt.URL), deeplConfig("https://api.deepl.com"))
	require.Empty(t, r.Engines("zh-Hans", "ii"), "no engine covers Yi")
	got, err := r.Translate(context.Background(), "zh-Hans", "ii", zhTexts(), nil)
	require.NoError(t, err, "TM and glossary only; nothing to retry")
	require.Equal(t, []Result{{}, {}, {}}, got)
	require.Zero(t, nt.calls.Load())
}

func TestRouterUnknownLanguage(t *testing.T) {
	r := router(t, nil, niutransConfig("http://niutrans.invalid"))
	_, err := r.Translate(context.Background(), "zh-Hans", "tlh", zhTexts(), nil)
	require.ErrorIs(t, err, ErrUnsupportedPair)
	require.True(t, IsPermanent(err))
}

func TestRouterEngineRefusesPair(t *testing.T) {
	// The configuration claims a pair the server then refuses (13007).
	srv := failing(t, 200, `{"error_code":"13007","error_msg":"语言不支持"}`)
	ec := niutransConfig(srv.URL)
	ec.Concurrency = 1
	r := router(t, nil, ec)
	got, err := r.Translate(context.Background(), "zh-Hans", "kk-Arab", zhTexts(), nil)
	require.ErrorIs(t, err, ErrUnsupportedPair)
	require.True(t, IsPermanent(err), "the activity must not retry this forever")
	require.Equal(t, []Result{{}, {}, {}}, got)
	require.EqualValues(t, 1, srv.calls.Load(), "an engine that lacks the pair is not asked again")
}

func TestRouterAllAuthFailuresArePermanent(t *testing.T) {
	dl := failing(t, 403, `{"message":"Forbidden"}`)
	lt := failing(t, 403, `{"error":"Invalid API key"}`)
	r := router(t, nil, deeplConfig(dl.URL), libreConfig(lt.URL))
	_, err := r.Translate(context.Background(), "zh-Hans", "en", zhTexts(), nil)
	require.ErrorIs(t, err, ErrAuth)
	require.True(t, IsPermanent(err))
	require.Contains(t, err.Error(), "deepl")
	require.Contains(t, err.Error(), "libre")
}

func TestRouterTransientFailureIsRetryable(t *testing.T) {
	// One engine has no quota left, the other is overloaded: the second
	// may recover, so the activity is retried.
	dl := failing(t, 456, `{"message":"Quota Exceeded"}`)
	lt := failing(t, 503, `{"error":"overloaded"}`)
	r := router(t, nil, deeplConfig(dl.URL), libreConfig(lt.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "en", zhTexts(), nil)
	require.Error(t, err)
	require.False(t, IsPermanent(err), "%v", err)
	require.False(t, errors.Is(err, ErrQuota), "only the transient errors are returned")
	require.Equal(t, []Result{{}, {}, {}}, got)
}

func TestRouterPartialSuccessIsNoError(t *testing.T) {
	// DeepL translates the batch; one answer comes back empty and no other
	// engine is configured. The other two are still worth offering.
	srv := newFake(t, func(_ *fake, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]any{"translations": []map[string]string{
			{"text": court[0].en}, {"text": "  "}, {"text": court[2].en},
		}})
	})
	r := router(t, nil, deeplConfig(srv.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "en", zhTexts(), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"deepl", "", "deepl"}, engines(got))
}

func TestRouterGivesUpOnFailingEngine(t *testing.T) {
	// NiuTrans times out on every text. After three failures in a row the
	// remaining texts go straight to the next engine instead of each
	// waiting out a timeout.
	hung := slow(t)
	good := openaiServer(t, honest)
	nt := niutransConfig(hung.URL)
	nt.Timeout = Duration(100 * time.Millisecond)
	nt.Concurrency = 1
	r := router(t, nil, nt, openaiConfig(good.URL))

	src := evidence(30)
	got, err := r.Translate(context.Background(), "zh-Hans", "ug", src, nil)
	require.NoError(t, err)
	for _, res := range got {
		require.Equal(t, "hunyuan", res.Engine)
	}
	require.EqualValues(t, maxConsecutiveFailures, hung.calls.Load())
	require.EqualValues(t, 2, good.calls.Load(), "30 texts in batches of 20")
}

func TestRouterNormalizesOutput(t *testing.T) {
	// Legacy Uyghur software (and some engines) emit presentation forms:
	// ﻩ U+FEE9 for ە U+06D5. NFKC would make it ه U+0647, the wrong
	// letter; lang.Normalize de-shapes it.
	shaped := strings.ReplaceAll(court[0].ug, "ە", "\uFEE9")
	require.NotEqual(t, court[0].ug, shaped)
	hy := openaiServer(t, func(c chatCall, texts []string) string { return shaped })
	r := router(t, nil, openaiConfig(hy.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "ug", []string{court[0].zh}, nil)
	require.NoError(t, err)
	require.Equal(t, court[0].ug, got[0].Text)

	// Tibetan གྷ U+0F43 is stored decomposed, as NFC has it.
	bo := openaiServer(t, func(c chatCall, texts []string) string { return "ཀ\u0F43་ཁྲིམས་ཁང་།" })
	r = router(t, nil, openaiConfig(bo.URL))
	got, err = r.Translate(context.Background(), "zh-Hans", "bo", []string{"法院。"}, nil)
	require.NoError(t, err)
	require.Equal(t, "ཀ\u0F42\u0FB7་ཁྲིམས་ཁང་།", got[0].Text)
}

func TestRouterTrimsButKeepsNNBSP(t *testing.T) {
	nt := niutransServer(t) // answers end in "\n"
	r := router(t, nil, niutransConfig(nt.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "mn-Mong", []string{court[1].zh}, nil)
	require.NoError(t, err)
	require.Equal(t, court[1].mn, got[0].Text)
	require.Contains(t, got[0].Text, "\u202F")
}

func TestRouterAllowsSourceLatinAndGlossary(t *testing.T) {
	// A short Uyghur answer keeps "WeChat" from the source and an
	// approved rendering; judged without them it is half Latin.
	src := "被告人通过WeChat向被害人转账。"
	answer := "جاۋابكار WeChat ئارقىلىق Zhang ge پۇل ئۆتكۈزگەن."
	glossary := []Term{{Source: "被害人", Target: "Zhang"}}
	hy := openaiServer(t, func(c chatCall, texts []string) string { return answer })
	r := router(t, nil, openaiConfig(hy.URL))

	got, err := r.Translate(context.Background(), "zh-Hans", "ug", []string{src}, glossary)
	require.NoError(t, err)
	require.Equal(t, answer, got[0].Text)

	// The same answer for a source without those tokens is refused.
	got, err = r.Translate(context.Background(), "zh-Hans", "ug", []string{"被告人向他人转账。"}, nil)
	require.NoError(t, err)
	require.Empty(t, got[0].Engine)
}

func TestRouterDedupesAndSkipsBlank(t *testing.T) {
	nt := niutransServer(t)
	r := router(t, nil, niutransConfig(nt.URL))
	got, err := r.Translate(context.Background(), "zh-Hans", "ug", []string{court[0].zh, "", court[0].zh, " \u3000", court[1].zh}, nil)
	require.NoError(t, err)
	require.Equal(t, []Result{
		{court[0].ug, "niutrans"}, {}, {court[0].ug, "niutrans"}, {}, {court[1].ug, "niutrans"},
	}, got)
	require.EqualValues(t, 2, nt.calls.Load())
}

// short is an Engine that answers one text too few, breaking the
// contract; the Router must not misalign its answers.
type short struct{ calls atomic.Int32 }

func (*short) Name() string              { return "short" }
func (*short) MaxBatch() int             { return 10 }
func (*short) Supports(_, _ string) bool { return true }
func (s *short) Translate(_ context.Context, req Request) ([]string, error) {
	s.calls.Add(1)
	out := make([]string, 0, len(req.Texts))
	for _, t := range req.Texts[1:] {
		out = append(out, translateAs(req.Target, t))
	}
	return out, nil
}

func TestRouterLengthMismatchFallsThrough(t *testing.T) {
	nt := niutransServer(t)
	cfg := &Config{Engines: []EngineConfig{niutransConfig(nt.URL)}}
	es, err := NewEngines(cfg, nil)
	require.NoError(t, err)
	s := &short{}
	es["short"] = s
	cfg.Routes = map[string][]string{"*": {"short", "niutrans"}}
	r := NewRouter(cfg, es, nil)

	got, err := r.Translate(context.Background(), "zh-Hans", "ug", zhTexts(), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"niutrans", "niutrans", "niutrans"}, engines(got))
	require.Equal(t, column(func(i int) string { return court[i].ug }), texts(got))
	require.EqualValues(t, 1, s.calls.Load())
}

func TestRouterEnginesOrder(t *testing.T) {
	r := router(t, map[string][]string{
		"zh>ug-CN": {"hunyuan", "niutrans"},
		"*":        {"deepl", "niutrans", "hunyuan"},
	}, niutransConfig("http://nt.invalid"), openaiConfig("http://vllm.invalid"), deeplConfig("https://api.deepl.com"))

	require.Equal(t, []string{"hunyuan", "niutrans"}, r.Engines("zh-Hans", "ug"))
	require.Equal(t, []string{"hunyuan", "niutrans"}, r.Engines("zh", "ug-Arab"), "tags are canonicalized")
	require.Equal(t, []string{"niutrans", "hunyuan"}, r.Engines("zh-Hans", "bo"), "DeepL has no Tibetan")
	require.Equal(t, []string{"deepl", "niutrans", "hunyuan"}, r.Engines("zh-Hans", "en"))
	require.Equal(t, []string{"niutrans"}, r.Engines("zh-Hans", "za"))
	require.Empty(t, r.Engines("zh-Hans", "ii"))
	require.Empty(t, r.Engines("zh-Hans", "not a tag"))

	// Without "*", unlisted pairs try every engine in configuration order.
	r = router(t, nil, openaiConfig("http://vllm.invalid"), niutransConfig("http://nt.invalid"))
	require.Equal(t, []string{"hunyuan", "niutrans"}, r.Engines("zh-Hans", "mn-Mong"))
	// An empty route switches MT off for the pair.
	r = router(t, map[string][]string{"zh-Hans>ko": {}}, niutransConfig("http://nt.invalid"))
	require.Empty(t, r.Engines("zh-Hans", "ko"))
}

func TestRouterContextCanceled(t *testing.T) {
	hung := slow(t)
	r := router(t, nil, openaiConfig(hung.URL))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := r.Translate(ctx, "zh-Hans", "ug", zhTexts(), nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRouterConcurrentUse(t *testing.T) {
	nt := niutransServer(t)
	hy := openaiServer(t, honest)
	r := router(t, nil, niutransConfig(nt.URL), openaiConfig(hy.URL))
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			target := []string{"ug", "bo", "mn-Mong"}[i%3]
			got, err := r.Translate(context.Background(), "zh-Hans", target, zhTexts(), nil)
			if err == nil && got[0].Text != translateAs(target, court[0].zh) {
				err = fmt.Errorf("%s: got %q", target, got[0].Text)
			}
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
}

func TestJoinSomeKeepsErrorsShortAndClassified(t *testing.T) {
	var transient, permanent []error
	for i := range 5 {
		transient = append(transient, fmt.Errorf("niutrans: HTTP 503 (text %d)", i))
		permanent = append(permanent, fmt.Errorf("deepl: HTTP 403 (batch %d): %w", i, ErrAuth))
	}
	err := joinSome(transient)
	require.Contains(t, err.Error(), "(and 2 more)")
	require.NotContains(t, err.Error(), "text 4")
	require.False(t, IsPermanent(err))
	require.True(t, IsPermanent(joinSome(permanent)))
	require.ErrorIs(t, joinSome(permanent), ErrAuth)
}
