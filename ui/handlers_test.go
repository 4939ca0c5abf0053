package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSignInKeepsTheTokenInASealedHttpOnlyCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		api := newFakeAPI()
		c := newClient(t, testUI(t, api, secure))
		p := c.do("GET", "/ui/signin", nil)
		if p.status != http.StatusOK || !strings.Contains(p.body, `name="csrf"`) {
			t.Fatalf("sign-in page: %d\n%s", p.status, p.body)
		}
		r := c.do("POST", "/ui/signin", url.Values{"csrf": {csrfOf(t, p)}, "token": {translatorToken}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/ui/tasks" {
			t.Fatalf("sign-in: %d %s", r.status, r.header.Get("Location"))
		}
		var sc *http.Cookie
		for _, ck := range (&http.Response{Header: r.header}).Cookies() {
			if ck.Name == sessionCookie {
				sc = ck
			}
		}
		if sc == nil {
			t.Fatal("no session cookie after sign-in")
		}
		if !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || sc.Path != "/ui" || sc.Secure != secure || sc.Expires.IsZero() {
			t.Errorf("session cookie attributes: %+v (secure wanted %v)", sc, secure)
		}
		if strings.Contains(sc.Value, translatorToken) || strings.Contains(sc.Value, "translator") {
			t.Errorf("the cookie shows the token: %s", sc.Value)
		}
		if p := c.do("GET", "/ui/tasks", nil); p.status != http.StatusOK {
			t.Fatalf("task list: %d", p.status)
		}
		calls := api.callsTo("GET", "/v1/tasks")
		if len(calls) == 0 || calls[len(calls)-1].Auth != "Bearer "+translatorToken {
			t.Errorf("the API did not get the session's token: %+v", calls)
		}
	}
}

func TestSignInRefusesAnUnknownToken(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	p := c.do("GET", "/ui/signin", nil)
	r := c.do("POST", "/ui/signin", url.Values{"csrf": {csrfOf(t, p)}, "token": {"yz_wrong"}})
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "令牌无效") {
		t.Fatalf("bad token: %d\n%s", r.status, r.body)
	}
	if p := c.do("GET", "/ui/tasks", nil); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/ui/signin") {
		t.Fatalf("after a failed sign-in the task list answered %d %s", p.status, p.header.Get("Location"))
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	csrf := c.signIn(translatorToken)
	if r := c.do("POST", "/ui/signout", url.Values{"csrf": {csrf}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", r.status)
	}
	if p := c.do("GET", "/ui/tasks", nil); p.status != http.StatusSeeOther {
		t.Fatalf("after sign-out the task list answered %d", p.status)
	}
	p := c.do("GET", "/ui/signin", nil)
	if !strings.Contains(p.body, "您已退出登录") {
		t.Errorf("no sign-out message:\n%s", p.body)
	}
}

func TestForgedOrExpiredSessionsAreAnonymous(t *testing.T) {
	u := testUI(t, newFakeAPI(), false)
	c := newClient(t, u)
	c.signIn(translatorToken)
	good := c.cookies[sessionCookie].Value
	// A flipped byte fails authentication.
	raw := []byte(good)
	raw[len(raw)/2] ^= 1
	c.cookies[sessionCookie].Value = string(raw)
	if p := c.do("GET", "/ui/tasks", nil); p.status != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", p.status)
	}
	// A session sealed for another cookie name does not open as this one.
	other, _ := u.sealer.seal(flashCookie, session{Token: translatorToken, CSRF: "x", Expires: time.Now().Add(time.Hour).Unix()})
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: other}
	if p := c.do("GET", "/ui/tasks", nil); p.status != http.StatusSeeOther {
		t.Errorf("moved cookie: %d", p.status)
	}
	// An expired one is over, whatever the browser keeps.
	old, _ := u.sealer.seal(sessionCookie, session{Token: translatorToken, CSRF: "x", Expires: time.Now().Add(-time.Minute).Unix()})
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: old}
	if p := c.do("GET", "/ui/tasks", nil); p.status != http.StatusSeeOther {
		t.Errorf("expired cookie: %d", p.status)
	}
}

// Every state-changing request needs the session's CSRF token and must
// come from this site; a refused one never reaches the API.
func TestCSRFIsCheckedBeforeTheAPI(t *testing.T) {
	api := newFakeAPI()
	c := newClient(t, testUI(t, api, false))
	csrf := c.signIn(translatorToken)
	tests := []struct {
		name    string
		form    url.Values
		headers []string
	}{
		{"no token", url.Values{}, nil},
		{"wrong token", url.Values{"csrf": {"not-the-token"}}, nil},
		{"another session's token", url.Values{"csrf": {randomToken()}}, nil},
		{"cross-site fetch metadata", url.Values{"csrf": {csrf}}, []string{"Sec-Fetch-Site", "cross-site"}},
		{"same-site sibling", url.Values{"csrf": {csrf}}, []string{"Sec-Fetch-Site", "same-site"}},
		{"foreign origin", url.Values{"csrf": {csrf}}, []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
		{"null origin", url.Values{"csrf": {csrf}}, []string{"Sec-Fetch-Site", "", "Origin", "null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := api.count()
			p := c.do("POST", "/ui/tasks/8/claim", tt.form, tt.headers...)
			if p.status != http.StatusForbidden || !strings.Contains(p.body, "安全校验") {
				t.Fatalf("got %d\n%s", p.status, p.body)
			}
			if api.count() != before {
				t.Errorf("a refused request reached the API: %+v", api.calls[before:])
			}
		})
	}
	t.Run("autosave without the header", func(t *testing.T) {
		before := api.count()
		p := c.do("PUT", "/ui/tasks/7/draft", nil, "Content-Type", "application/json", "Accept", "application/json")
		if p.status != http.StatusForbidden || !strings.Contains(p.body, `"error"`) || api.count() != before {
			t.Fatalf("got %d %s", p.status, p.body)
		}
	})
	t.Run("sign-in form", func(t *testing.T) {
		anon := newClient(t, testUI(t, api, false))
		anon.do("GET", "/ui/signin", nil)
		before := api.count()
		p := anon.do("POST", "/ui/signin", url.Values{"token": {translatorToken}})
		if p.status != http.StatusForbidden || api.count() != before {
			t.Fatalf("sign-in without CSRF: %d", p.status)
		}
	})
	t.Run("no session at all", func(t *testing.T) {
		stranger := newClient(t, testUI(t, api, false))
		before := api.count()
		p := stranger.do("POST", "/ui/tasks/8/claim", url.Values{"csrf": {csrf}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/signin" || api.count() != before {
			t.Fatalf("POST without a session: %d %s", p.status, p.header.Get("Location"))
		}
	})
	t.Run("same origin with the token", func(t *testing.T) {
		p := c.do("POST", "/ui/tasks/8/claim", url.Values{"csrf": {csrf}}, "Sec-Fetch-Site", "", "Origin", c.srv.URL)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/tasks/8" {
			t.Fatalf("got %d %s", p.status, p.header.Get("Location"))
		}
	})
}

// A stale list that loses the claim race says so on the list page, with a
// 200, not an error page.
func TestLostClaimRaceIsAMessage(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	csrf := c.signIn(translatorToken)
	r := c.do("POST", "/ui/tasks/7/claim", url.Values{"csrf": {csrf}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/ui/tasks" {
		t.Fatalf("lost claim: %d %s", r.status, r.header.Get("Location"))
	}
	p := c.do("GET", "/ui/tasks", nil)
	if p.status != http.StatusOK || !strings.Contains(p.body, `class="flash warning"`) || !strings.Contains(p.body, "刚刚被其他人领取") {
		t.Fatalf("list after a lost race: %d\n%s", p.status, p.body)
	}
	// The message is shown once.
	if p := c.do("GET", "/ui/tasks", nil); strings.Contains(p.body, "刚刚被其他人领取") {
		t.Error("the flash is shown twice")
	}
}

func TestTaskListShowsDeadlinePriorityCourtAndKind(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	c.signIn(translatorToken)
	p := c.do("GET", "/ui/tasks?hl=en", nil)
	for _, want := range []string{
		`id="task-7" class="overdue`, "overdue by", `class="priority high"`, "Hearing notice",
		`lang="zh-Hans" dir="ltr">新疆维吾尔自治区乌鲁木齐市中级人民法院</span>`, `lang="ug" dir="rtl">ئۇيغۇرچە</span>`,
		`data-deadline="`, `id="claim-7"`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("task list lacks %q", want)
		}
	}
}

func TestTranslatePageCarriesScriptAttributes(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	c.signIn(translatorToken)
	p := c.do("GET", "/ui/tasks/7?hl=en", nil)
	if p.status != http.StatusOK {
		t.Fatalf("translate page: %d\n%s", p.status, p.body)
	}
	for _, want := range []string{
		`<html lang="en" dir="ltr">`,
		`id="target-0" name="seg-0" data-index="0" class="target-text wm-horizontal" lang="ug" dir="rtl"`,
		`id="preview" class="preview wm-horizontal" lang="ug" dir="rtl"`,
		`<span class="origin-badge">TM 101%</span>`, `<span class="origin-badge">TM 87%</span>`, `<span class="origin-badge">MT · niutrans</span>`,
		`<mark class="term" title="ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسى">乌鲁木齐市中级人民法院</mark>`,
		`class="badge changed"`, "source changed",
		`<li class="blocking"><span class="sev">blocking</span> not in the target script</li>`,
		"请补充案号前的“编号”一词", "نومۇرلۇق دېگەن سۆزنى قوشۇڭ",
		`id="use-0-1"`, "<kbd>Ctrl+1</kbd>", `id="save-status"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("translate page lacks %q", want)
		}
	}
	if strings.Contains(p.body, "<script>alert(1)") {
		t.Error("a suggestion's text reached the page unescaped")
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	if p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", p.header.Get("Cache-Control"))
	}
}

func TestReviewPageMarksDifferencesVertically(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	c.signIn(translatorToken)
	p := c.do("GET", "/ui/tasks/9", nil)
	if p.status != http.StatusOK {
		t.Fatalf("review page: %d\n%s", p.status, p.body)
	}
	for _, want := range []string{
		`class="translation-text wm-vertical" id="translation-0" lang="mn-Mong" dir="ltr"`,
		`id="diff-machine-0" lang="mn-Mong" dir="ltr">` + mnDraft0 + `<ins> ᠵᠠᠷᠯᠠᠯ</ins></div>`,
		`id="diff-prev-0" lang="mn-Mong" dir="ltr">` + mnDraft0 + `<ins> ᠵᠠᠷᠯᠠᠯ</ins></div>`,
		`class="preview wm-vertical" lang="mn-Mong"`,
		`id="reject"`, `formaction="/ui/tasks/9/approve" formnovalidate`, `name="comment" id="comment" rows="3" dir="auto" required`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("review page lacks %q", want)
		}
	}
}

func TestSubmitWithBlockingIssuesShowsThemAndSubmitsNothing(t *testing.T) {
	api := newFakeAPI()
	c := newClient(t, testUI(t, api, false))
	csrf := c.signIn(translatorToken)
	p := c.do("POST", "/ui/tasks/7/submit", url.Values{"csrf": {csrf}, "idem": {"abc"}, "seg-0": {ugDraft0}, "seg-1": {"ཁྲིམས་ཁང་"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="blocking-issues"`) ||
		!strings.Contains(p.body, "译文不是目标文字") || !strings.Contains(p.body, `href="#seg-1"`) {
		t.Fatalf("submit with blocking QA: %d\n%s", p.status, p.body)
	}
	drafts := api.callsTo("PUT", "/v1/tasks/7/draft")
	if len(drafts) != 1 || !strings.Contains(drafts[0].Body, `{"index":0,"text":"`+ugDraft0+`"}`) || !strings.Contains(drafts[0].Body, `"index":1`) {
		t.Fatalf("the grid was not saved before the submit: %+v", drafts)
	}
	if sub := api.callsTo("POST", "/v1/tasks/7/submit"); len(sub) != 1 || sub[0].Idempotency != "ui:submit:7:abc" {
		t.Fatalf("submit calls: %+v", sub)
	}
}

func TestAutosaveReturnsLocalizedQAAndRenews(t *testing.T) {
	api := newFakeAPI()
	c := newClient(t, testUI(t, api, false))
	csrf := c.signIn(translatorToken)
	body := `{"segments":[{"index":1,"text":"x"}],"renew":true}`
	req, _ := http.NewRequest("PUT", c.srv.URL+"/ui/tasks/7/draft", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(csrfHeader, csrf)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Blocking int          `json:"blocking"`
		QA       []localIssue `json:"qa"`
		Lease    string       `json:"lease"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("autosave: %d %v", resp.StatusCode, err)
	}
	if out.Blocking != 1 || len(out.QA) != 1 || out.QA[0].Label != "阻断" || out.QA[0].Message != "译文不是目标文字" || out.Lease == "" {
		t.Errorf("autosave answer = %+v", out)
	}
	if len(api.callsTo("POST", "/v1/tasks/7/renew")) != 1 {
		t.Error("autosave did not renew the lease")
	}
}

func TestRejectNeedsAComment(t *testing.T) {
	api := newFakeAPI()
	c := newClient(t, testUI(t, api, false))
	csrf := c.signIn(translatorToken)
	p := c.do("POST", "/ui/tasks/9/reject", url.Values{"csrf": {csrf}, "comment": {"  "}, "comment-0": {"ᠵᠠᠷᠯᠠᠯ"}})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "退回时必须填写审校意见") || !strings.Contains(p.body, ">ᠵᠠᠷᠯᠠᠯ</textarea>") {
		t.Fatalf("reject without comment: %d\n%s", p.status, p.body)
	}
	if n := len(api.callsTo("POST", "/v1/tasks/9/reject")); n != 0 {
		t.Errorf("reject reached the API %d times", n)
	}
	api.on("POST /v1/tasks/9/reject", 200, map[string]any{"task_id": 9, "state": "rejected"})
	r := c.do("POST", "/ui/tasks/9/reject", url.Values{"csrf": {csrf}, "comment": {"请修改"}, "comment-0": {"ᠵᠠᠷᠯᠠᠯ"}, "comment-1": {""}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", r.status, r.body)
	}
	calls := api.callsTo("POST", "/v1/tasks/9/reject")
	if len(calls) != 1 || calls[0].Body != `{"comment":"请修改","segments":[{"index":0,"comment":"ᠵᠠᠷᠯᠠᠯ"}]}` {
		t.Fatalf("reject body: %+v", calls)
	}
}

// A token revoked while signed in ends the session on the next page.
func TestRevokedTokenEndsTheSession(t *testing.T) {
	api := newFakeAPI()
	u := testUI(t, api, false)
	c := newClient(t, u)
	c.signIn(translatorToken)
	sealed, _ := u.sealer.seal(sessionCookie, session{Token: "yz_revoked", CSRF: "x", Tasks: true, Expires: time.Now().Add(time.Hour).Unix()})
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: sealed}
	p := c.do("GET", "/ui/tasks", nil)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/signin" {
		t.Fatalf("revoked token: %d %s", p.status, p.header.Get("Location"))
	}
	if p := c.do("GET", "/ui/signin", nil); !strings.Contains(p.body, "会话已结束") {
		t.Errorf("no message after the session ended:\n%s", p.body)
	}
}

func TestAPIErrorsBecomeFriendlyPages(t *testing.T) {
	api := newFakeAPI()
	api.on("GET /v1/tasks/11", 403, errShape("forbidden", "only the claimant or an editor may open task 11"))
	api.on("GET /v1/tasks/12", 503, errShape("unavailable", "the workflow service is unavailable; retry the request"))
	api.on("GET /v1/tasks/13", 500, errShape("internal", "internal error"))
	c := newClient(t, testUI(t, api, false))
	c.signIn(translatorToken)
	for path, want := range map[string]struct {
		status int
		text   string
	}{
		"/ui/tasks/11":  {403, "请先在任务列表中领取"},
		"/ui/tasks/12":  {503, "流程服务暂时不可用"},
		"/ui/tasks/13":  {500, "服务器内部错误"},
		"/ui/tasks/404": {404, "找不到"},
		"/ui/nowhere":   {404, "找不到"},
	} {
		p := c.do("GET", path, nil)
		if p.status != want.status || !strings.Contains(p.body, want.text) || !strings.Contains(p.body, `id="error-page"`) {
			t.Errorf("%s: %d\n%s", path, p.status, p.body)
		}
	}
}

func TestInterfaceLanguageSwitches(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	p := c.do("GET", "/ui/signin", nil)
	if !strings.Contains(p.body, `<html lang="zh-Hans"`) || !strings.Contains(p.body, "访问令牌") {
		t.Fatalf("default is not Chinese:\n%s", p.body)
	}
	p = c.do("GET", "/ui/signin?hl=en", nil)
	if !strings.Contains(p.body, `<html lang="en"`) || !strings.Contains(p.body, "Access token") || !strings.Contains(p.body, `href="/ui/signin?hl=zh"`) {
		t.Fatalf("?hl=en:\n%s", p.body)
	}
	// The choice is remembered.
	if p := c.do("GET", "/ui/signin", nil); !strings.Contains(p.body, "Access token") {
		t.Error("the language choice was not kept")
	}
	// A new visitor's Accept-Language counts.
	fresh := newClient(t, testUI(t, newFakeAPI(), false))
	if p := fresh.do("GET", "/ui/signin", nil, "Accept-Language", "en-GB,en;q=0.8"); !strings.Contains(p.body, "Access token") {
		t.Error("Accept-Language: en ignored")
	}
}

func TestStatisticsDrawCharts(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	c.signIn(editorToken)
	p := c.do("GET", "/ui/stats?lang=ug&hl=en", nil)
	if p.status != http.StatusOK {
		t.Fatalf("stats: %d\n%s", p.status, p.body)
	}
	for _, want := range []string{
		`<svg class="chart" id="chart-coverage"`, `id="chart-on-time"`, `id="chart-rejection"`, `id="chart-time"`, `id="chart-work"`,
		"75%", "5.5 h", "no data", `id="stats-focus"`, `<g class="row focus">`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
}

func TestStatisticsWithoutTheEndpoint(t *testing.T) {
	api := newFakeAPI()
	api.on("GET /v1/stats", 404, errShape("not_found", "no such endpoint: GET /v1/stats"))
	c := newClient(t, testUI(t, api, false))
	c.signIn(editorToken)
	if p := c.do("GET", "/ui/stats", nil); p.status != http.StatusOK || !strings.Contains(p.body, `id="stats-unavailable"`) {
		t.Fatalf("stats without endpoint: %d\n%s", p.status, p.body)
	}
}

func TestNavigationFollowsWhatTheTokenMay(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	c.signIn(translatorToken)
	if p := c.do("GET", "/ui/tasks", nil); strings.Contains(p.body, `href="/ui/stats"`) {
		t.Error("a translator is offered the editor pages")
	}
	e := newClient(t, testUI(t, newFakeAPI(), false))
	e.signIn(editorToken)
	if p := e.do("GET", "/ui/tasks", nil); !strings.Contains(p.body, `href="/ui/stats"`) || !strings.Contains(p.body, `href="/ui/feedback"`) {
		t.Error("an editor is not offered the editor pages")
	}
}

func TestSignInReturnsOnlyInsideTheWorkbench(t *testing.T) {
	for next, want := range map[string]string{
		"/ui/tasks/7":          "/ui/tasks/7",
		"https://evil.example": "/ui/",
		"//evil.example/ui/":   "/ui/",
		"/ui/\\evil":           "/ui/",
		"/v1/tasks":            "/ui/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestMountSendsBrowsersToTheWorkbench(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Handler", "api") })
	workbench := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Handler", "ui") })
	h := Mount(api, workbench)
	for _, tt := range []struct{ method, path, accept, want string }{
		{"GET", "/ui/tasks", "", "ui"},
		{"GET", "/ui", "", "ui"},
		{"GET", "/v1/tasks", "text/html", "api"},
		{"GET", "/uix", "", "api"},
		{"GET", "/", "application/json", "api"},
		{"POST", "/", "text/html", "api"},
		{"GET", "/healthz", "text/html", "api"},
	} {
		req := httptest.NewRequest(tt.method, tt.path, nil)
		req.Header.Set("Accept", tt.accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("X-Handler"); got != tt.want {
			t.Errorf("%s %s (Accept %q) went to %q", tt.method, tt.path, tt.accept, got)
		}
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "/ui/" {
		t.Errorf("browser at /: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}

func TestStaticFilesAreEmbedded(t *testing.T) {
	c := newClient(t, testUI(t, newFakeAPI(), false))
	for _, path := range []string{"/ui/static/ui.css", "/ui/static/ui.js"} {
		if p := c.do("GET", path, nil); p.status != http.StatusOK || len(p.body) < 100 {
			t.Errorf("%s: %d", path, p.status)
		}
	}
	css := c.do("GET", "/ui/static/ui.css", nil).body
	for _, family := range []string{"Noto Serif Tibetan", "Noto Sans Mongolian", "Noto Naskh Arabic", "Noto Sans Yi", "Noto Sans CJK SC"} {
		if !strings.Contains(css, family) {
			t.Errorf("the stylesheet names no %s", family)
		}
	}
	if strings.Contains(css, "@font-face") || strings.Contains(css, "url(http") {
		t.Error("the stylesheet downloads fonts")
	}
}
