package ui

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"yizhi/lang"
)

// fakeAPI answers like the JSON API for the few calls the tests make, and
// records every call the workbench makes to it.
type fakeAPI struct {
	mu     sync.Mutex
	calls  []apiRecord
	routes map[string]fakeRoute // "METHOD /path" → answer
}

type apiRecord struct {
	Method, Path, Auth, Idempotency string
	Body                            string
}

type fakeRoute struct {
	status int
	body   any
}

// Tokens the fake API knows.
const (
	translatorToken = "yz_translator_token_0123456789"
	editorToken     = "yz_editor_token_0123456789abcd"
)

func newFakeAPI() *fakeAPI {
	f := &fakeAPI{routes: map[string]fakeRoute{}}
	f.on("GET /v1/tasks/7", 200, ugTask())
	f.on("GET /v1/tasks/9", 200, mnTask())
	f.on("GET /v1/tasks", 200, map[string]any{"items": []any{ugTaskItem(), mnTaskItem()}})
	f.on("POST /v1/tasks/7/claim", 409, errShape("conflict", "task 7 is already claimed"))
	f.on("POST /v1/tasks/8/claim", 200, map[string]any{"task_id": 8, "state": "claimed"})
	f.on("PUT /v1/tasks/7/draft", 200, map[string]any{"saved": 1, "blocking": 1, "qa": []any{
		map[string]any{"segment": 1, "check": "target_script", "severity": "blocking", "message_zh": "译文不是目标文字", "message_en": "not in the target script"},
	}})
	f.on("POST /v1/tasks/7/renew", 200, map[string]any{"task_id": 7, "state": "claimed", "lease_expires_at": "2030-01-01T02:00:00Z"})
	f.on("POST /v1/tasks/7/submit", 422, map[string]any{"error": map[string]any{
		"code": "unprocessable", "message": "1 blocking QA issues must be fixed before submitting",
		"details": map[string]any{"issues": []any{map[string]any{"segment": 1, "check": "target_script", "severity": "blocking",
			"message_zh": "译文不是目标文字", "message_en": "not in the target script"}}},
	}})
	f.on("GET /v1/stats", 200, statsFixture())
	return f
}

func (f *fakeAPI) on(route string, status int, body any) {
	f.routes[route] = fakeRoute{status: status, body: body}
}

func errShape(code, message string) any {
	return map[string]any{"error": map[string]any{"code": code, "message": message}}
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls = append(f.calls, apiRecord{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"),
		Idempotency: r.Header.Get("Idempotency-Key"), Body: string(body)})
	route, ok := f.routes[r.Method+" "+r.URL.Path]
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case token != translatorToken && token != editorToken:
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(errShape("unauthorized", "the bearer token is not valid"))
	case r.URL.Path == "/v1/notifications":
		_ = json.NewEncoder(w).Encode(map[string]any{"items": []any{}})
	case r.URL.Path == "/v1/feedback" || r.URL.Path == "/v1/stats" || r.URL.Path == "/v1/documents":
		if token != editorToken {
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(errShape("forbidden", "this needs one of the roles editor"))
			return
		}
		if !ok {
			_ = json.NewEncoder(w).Encode(map[string]any{"items": []any{}})
			return
		}
		w.WriteHeader(route.status)
		_ = json.NewEncoder(w).Encode(route.body)
	case ok:
		w.WriteHeader(route.status)
		_ = json.NewEncoder(w).Encode(route.body)
	default:
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(errShape("not_found", "no such endpoint"))
	}
}

// callsTo lists the recorded calls of one method and path.
func (f *fakeAPI) callsTo(method, path string) []apiRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiRecord
	for _, c := range f.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

const (
	ugSource0 = "新疆维吾尔自治区乌鲁木齐市中级人民法院开庭公告"
	ugDraft0  = "شىنجاڭ ئۇيغۇر ئاپتونوم رايونى ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسىنىڭ سوت ئېچىش ئېلانى"
	mnDraft0  = "ᠱᠢᠨᠵᠢᠶᠠᠩ ᠤᠶᠢᠭᠤᠷ\u202fᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠤᠨ"
)

func ugTaskItem() map[string]any {
	return map[string]any{"id": 7, "document_id": 3, "title": ugSource0, "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"document_kind": "hearing_notice", "lang": "ug", "kind": "translate", "state": "claimed", "round": 1,
		"priority": "high", "deadline": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "overdue": true}
}

func mnTaskItem() map[string]any {
	return map[string]any{"id": 9, "document_id": 3, "title": ugSource0, "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"document_kind": "hearing_notice", "lang": "mn-Mong", "kind": "review", "state": "claimed", "round": 2,
		"priority": "normal", "deadline": "2030-01-01T00:00:00Z"}
}

func ugTask() map[string]any {
	court := "乌鲁木齐市中级人民法院"
	start := strings.Index(ugSource0, court)
	return map[string]any{
		"id": 7, "document_id": 3, "lang": "ug", "dir": "rtl", "writing_mode": "horizontal-tb", "kind": "translate",
		"state": "claimed", "round": 2, "priority": "high", "deadline": "2030-01-01T00:00:00Z",
		"lease_expires_at": "2030-01-01T01:00:00Z",
		"comments":         []any{map[string]any{"round": 1, "comment": "请补充案号前的“编号”一词"}},
		"qa":               []any{},
		"segments": []any{
			map[string]any{"index": 0, "source": ugSource0, "draft": ugDraft0, "origin": "tm-exact", "changed": true,
				"suggestions": []any{
					map[string]any{"origin": "tm-context", "score": 101, "text": ugDraft0},
					map[string]any{"origin": "mt:niutrans", "score": 80, "text": "<script>alert(1)</script>"},
				},
				"glossary": []any{map[string]any{"term": court, "translation": "ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسى",
					"status": "approved", "start": start, "end": start + len(court)}},
				"qa": []any{}, "comments": []any{}},
			map[string]any{"index": 1, "source": "欢迎旁听。", "draft": "ཁྲིམས་ཁང་", "changed": false,
				"suggestions": []any{map[string]any{"origin": "tm-fuzzy", "score": 87, "text": "ئاڭلاشقا خۇش كەلدىڭىز."}},
				"glossary":    []any{},
				"qa": []any{map[string]any{"segment": 1, "check": "target_script", "severity": "blocking",
					"message_zh": "译文不是目标文字", "message_en": "not in the target script"}},
				"comments": []any{map[string]any{"round": 1, "index": 1, "comment": "نومۇرلۇق دېگەن سۆزنى قوشۇڭ"}}},
		},
	}
}

func mnTask() map[string]any {
	return map[string]any{
		"id": 9, "document_id": 3, "lang": "mn-Mong", "kind": "review", "state": "claimed", "round": 2,
		"priority": "normal", "deadline": "2030-01-01T00:00:00Z", "comments": []any{}, "qa": []any{},
		"segments": []any{
			map[string]any{"index": 0, "source": ugSource0, "draft": mnDraft0 + " ᠵᠠᠷᠯᠠᠯ", "previous_round_text": mnDraft0,
				"suggestions": []any{map[string]any{"origin": "mt:niutrans", "score": 60, "text": mnDraft0}},
				"glossary":    []any{}, "qa": []any{}, "comments": []any{}},
		},
	}
}

func statsFixture() map[string]any {
	return map[string]any{
		"generated_at": "2026-01-01T00:00:00Z",
		"languages": []any{
			map[string]any{"lang": "ug", "targeted": 4, "published": 3, "coverage": 0.75, "median_hours_to_publish": 5.5,
				"p90_hours_to_publish": 20.0, "on_time_share": 0.66, "rejection_rate": 0.25, "open_tasks": 2, "overdue_tasks": 1},
			map[string]any{"lang": "mn-Mong", "targeted": 2, "published": 0, "coverage": 0.0, "median_hours_to_publish": nil,
				"p90_hours_to_publish": nil, "on_time_share": nil, "rejection_rate": nil, "open_tasks": 2},
		},
		"totals": map[string]any{"targeted": 6, "published": 3, "coverage": 0.5},
	}
}

// client is a browser: it keeps cookies, does not follow redirects, and
// sends same-origin headers the way a browser does.
type client struct {
	t       *testing.T
	srv     *httptest.Server
	cookies map[string]*http.Cookie
}

func testUI(t *testing.T, api http.Handler, secure bool) *UI {
	t.Helper()
	u, err := newUI(Options{API: api, Languages: lang.NewRegistry(), SessionKey: []byte("test session key, 32 bytes long!"),
		SecureCookies: secure, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newClient(t *testing.T, h http.Handler) *client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv, cookies: map[string]*http.Cookie{}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(method, path string, form url.Values, headers ...string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the last page's form.
func csrfOf(t *testing.T, p response) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF field in page:\n%s", p.body)
	}
	return m[1]
}

// signIn signs the client in with token and returns the CSRF token of the
// signed-in session.
func (c *client) signIn(token string) string {
	c.t.Helper()
	p := c.do("GET", "/ui/signin", nil)
	r := c.do("POST", "/ui/signin", url.Values{"csrf": {csrfOf(c.t, p)}, "token": {token}})
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("sign-in: %d\n%s", r.status, r.body)
	}
	p = c.do("GET", "/ui/tasks", nil)
	if p.status != http.StatusOK {
		c.t.Fatalf("task list after sign-in: %d\n%s", p.status, p.body)
	}
	return csrfOf(c.t, p)
}
