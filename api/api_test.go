package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yizhi/api"
	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// recordingWorkflows stands in for Temporal in handler tests: intake must
// start a workflow, and these tests check which. Task actions are covered
// end to end against a real Temporal server in e2e/.
type recordingWorkflows struct {
	mu          sync.Mutex
	started     []models.DocumentInput
	startErr    error
	corrections []models.TranslationInput
	events      []models.Event
	revisions   []revision
	updates     []sentUpdate
}

type revision struct {
	start models.TranslationInput
	rev   models.ReviseInput
	ended bool
}

func (w *recordingWorkflows) StartDocument(_ context.Context, in models.DocumentInput) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.startErr != nil {
		err := w.startErr
		w.startErr = nil
		return err
	}
	w.started = append(w.started, in)
	return nil
}

// UpdateTranslation records the Update; handler tests check which were
// sent, and e2e/ checks what the workflow makes of them.
func (w *recordingWorkflows) UpdateTranslation(_ context.Context, documentID int64, lang, name, id string, arg any) (models.TranslationState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.updates = append(w.updates, sentUpdate{documentID, lang, name, id, arg})
	return models.TranslationState{DocumentID: documentID, Lang: lang}, nil
}

type sentUpdate struct {
	documentID int64
	lang       string
	name, id   string
	arg        any
}

func (w *recordingWorkflows) CheckHealth(context.Context) error { return nil }

func (w *recordingWorkflows) StartCorrection(_ context.Context, in models.TranslationInput) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.corrections = append(w.corrections, in)
	return nil
}

func (w *recordingWorkflows) ReviseTranslation(_ context.Context, start models.TranslationInput, rev models.ReviseInput, ended bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.revisions = append(w.revisions, revision{start, rev, ended})
	return nil
}

func (w *recordingWorkflows) EmitEvent(_ context.Context, ev models.Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, ev)
	return nil
}

type fixture struct {
	t      testing.TB
	store  *store.Store
	flows  *recordingWorkflows
	srv    *httptest.Server
	api    *api.Server
	tokens map[string]string
}

func newFixture(t testing.TB) *fixture {
	return newFixtureWith(t, nil)
}

// newFixtureWith lets a test change the server's options.
func newFixtureWith(t testing.TB, configure func(*api.Options)) *fixture {
	st := storetest.Open(t, "sqlite")
	f := &fixture{t: t, store: st, flows: &recordingWorkflows{}, tokens: map[string]string{}}
	opts := api.Options{Store: st, Workflows: f.flows}
	if configure != nil {
		configure(&opts)
	}
	f.api = api.New(opts)
	f.srv = httptest.NewServer(f.api)
	t.Cleanup(f.srv.Close)
	admin, err := api.NewToken()
	require.NoError(t, err)
	_, err = st.EnsureAdmin(context.Background(), "admin", api.HashToken(admin))
	require.NoError(t, err)
	f.tokens["admin"] = admin
	for name, role := range map[string]string{"cms": "source", "portal": "portal", "translator": "translator", "editor": "editor"} {
		var out struct{ Token string }
		body := `{"name":"` + name + `","roles":["` + role + `"]}`
		if role == "translator" {
			body = `{"name":"translator","roles":["translator"],"competences":[{"role":"translator","lang":"ug"}]}`
		}
		f.decode(f.request("admin", "POST", "/v1/users", body), http.StatusCreated, &out)
		f.tokens[name] = out.Token
	}
	return f
}

func (f *fixture) request(who, method, path, body string, headers ...string) *http.Response {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	require.NoError(f.t, err)
	if tok, ok := f.tokens[who]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (f *fixture) decode(resp *http.Response, status int, out any) {
	f.t.Helper()
	data, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	require.Equal(f.t, status, resp.StatusCode, "body: %s", data)
	if out != nil {
		require.NoError(f.t, json.Unmarshal(data, out), "body: %s", data)
	}
}

type apiError struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

// expectError checks the status and that the body is in the error shape.
func (f *fixture) expectError(resp *http.Response, status int, code string) apiError {
	f.t.Helper()
	var e apiError
	f.decode(resp, status, &e)
	require.Equal(f.t, code, e.Error.Code)
	require.NotEmpty(f.t, e.Error.Message)
	return e
}

func (f *fixture) documentCount() int {
	docs, err := f.store.ListDocuments(context.Background(), store.DocumentFilter{Limit: 500})
	require.NoError(f.t, err)
	return len(docs)
}

const hearing = `{"external_id":"yb-2024-001","court":"吉林省延边朝鲜族自治州中级人民法院","kind":"hearing_notice",
"title":"开庭公告","body":"本院定于2024年5月6日在第三法庭公开审理(2024)吉24民初7号案件。欢迎旁听。","targets":["ko","mn-CN"]}`

func TestIntakeBadInput(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, body string
		status     int
		code       string
		check      func(apiError)
	}{
		{"malformed JSON", `{"external_id":`, 400, models.EINVALID, nil},
		{"trailing garbage", hearing + `{}`, 400, models.EINVALID, nil},
		{"not an object", `["a"]`, 400, models.EINVALID, nil},
		{"non-UTF-8", "{\"external_id\":\"a\xff\xfe\",\"court\":\"c\"}", 400, models.EINVALID, func(e apiError) {
			require.Contains(t, e.Error.Message, "UTF-8")
		}},
		{"unknown field", `{"external_id":"x","target":["ug"]}`, 400, models.EINVALID, func(e apiError) {
			require.Equal(t, "target", e.Error.Details["field"])
		}},
		{"missing fields", `{"external_id":"x","kind":"judgment"}`, 400, models.EINVALID, func(e apiError) {
			require.ElementsMatch(t, []any{"court", "title", "body"}, e.Error.Details["missing"])
		}},
		{"unknown target", strings.Replace(hearing, `"mn-CN"`, `"xx-Fake"`, 1), 400, models.EINVALID, func(e apiError) {
			require.Contains(t, e.Error.Message, "xx-Fake")
			require.Contains(t, e.Error.Details["supported"], "ug")
		}},
		{"ill-formed target", strings.Replace(hearing, `"mn-CN"`, `"not a tag!"`, 1), 400, models.EINVALID, func(e apiError) {
			require.Contains(t, e.Error.Message, "not a tag!")
		}},
		{"source as target", strings.Replace(hearing, `"mn-CN"`, `"zh-CN"`, 1), 400, models.EINVALID, nil},
		{"unknown kind", strings.Replace(hearing, `hearing_notice`, `gossip`, 1), 400, models.EINVALID, nil},
		{"unknown priority", strings.Replace(hearing, `"kind"`, `"priority":"asap","kind"`, 1), 400, models.EINVALID, nil},
		{"past deadline", strings.Replace(hearing, `"kind"`, `"deadline":"2001-01-01T00:00:00Z","kind"`, 1), 400, models.EINVALID, nil},
		{"no routing match", `{"external_id":"bj-1","court":"北京市朝阳区人民法院","kind":"judgment","title":"t","body":"b"}`, 400, models.EINVALID, nil},
		{"wrong type", strings.Replace(hearing, `["ko","mn-CN"]`, `"ko"`, 1), 400, models.EINVALID, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := f.expectError(f.request("cms", "POST", "/v1/documents", tc.body, "Content-Type", "application/json"), tc.status, tc.code)
			if tc.check != nil {
				tc.check(e)
			}
		})
	}
	require.Zero(t, f.documentCount(), "bad input left a document behind")
	require.Empty(t, f.flows.started)
}

func TestBodyLimit(t *testing.T) {
	f := newFixture(t)
	huge := `{"external_id":"big","court":"c","kind":"news","title":"t","body":"` + strings.Repeat("法", 4<<20) + `"}`
	f.expectError(f.request("cms", "POST", "/v1/documents", huge), http.StatusRequestEntityTooLarge, models.ETOOLARGE)

	// Without a Content-Length the limit still holds while reading.
	req, err := http.NewRequest("POST", f.srv.URL+"/v1/documents", io.MultiReader(strings.NewReader(huge)))
	require.NoError(t, err)
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+f.tokens["cms"])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	f.expectError(resp, http.StatusRequestEntityTooLarge, models.ETOOLARGE)
	require.Zero(t, f.documentCount())
}

func TestAuthAndRoles(t *testing.T) {
	f := newFixture(t)
	f.expectError(f.request("nobody", "GET", "/v1/documents", ""), 401, models.EUNAUTHORIZED)
	req := f.request("nobody", "GET", "/v1/tasks", "", "Authorization", "Bearer yz_not-a-real-token")
	f.expectError(req, 401, models.EUNAUTHORIZED)
	f.expectError(f.request("nobody", "GET", "/v1/tasks", "", "Authorization", "Basic YWRtaW46YWRtaW4="), 401, models.EUNAUTHORIZED)
	f.expectError(f.request("portal", "POST", "/v1/documents", hearing), 403, models.EFORBIDDEN)
	f.expectError(f.request("portal", "GET", "/v1/tasks", ""), 403, models.EFORBIDDEN)
	f.expectError(f.request("translator", "POST", "/v1/users", `{"name":"x","roles":["admin"]}`), 403, models.EFORBIDDEN)
	f.expectError(f.request("cms", "GET", "/v1/published", ""), 403, models.EFORBIDDEN)
	require.Zero(t, f.documentCount())
}

func TestUnknownIDsAndRoutes(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ who, path string }{
		{"editor", "/v1/documents/999"}, {"editor", "/v1/documents/abc"}, {"translator", "/v1/tasks/999"},
		{"portal", "/v1/published/999"}, {"editor", "/v1/no-such-thing"},
	} {
		f.expectError(f.request(c.who, "GET", c.path, ""), 404, models.ENOTFOUND)
	}
	f.expectError(f.request("translator", "POST", "/v1/tasks/12345/claim", ""), 404, models.ENOTFOUND)
	var e apiError
	f.decode(f.request("editor", "DELETE", "/v1/documents", ""), http.StatusMethodNotAllowed, &e)
	require.NotEmpty(t, e.Error.Code)
}

func TestIntakeIsIdempotentOnExternalID(t *testing.T) {
	f := newFixture(t)
	var first, second struct {
		ID      int64
		Version int
		Targets []struct{ Lang, State string }
	}
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &first)
	require.Equal(t, 1, first.Version)
	require.Len(t, first.Targets, 2)
	require.Equal(t, "ko", first.Targets[0].Lang)
	require.Equal(t, "mn-Mong", first.Targets[1].Lang, "aliases are stored canonical")
	require.Equal(t, "pending", first.Targets[0].State)

	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusOK, &second)
	require.Equal(t, first.ID, second.ID)
	changed := strings.Replace(hearing, "欢迎旁听。", "欢迎旁听，请携带身份证件。", 1)
	f.expectError(f.request("cms", "POST", "/v1/documents", changed), http.StatusConflict, models.ECONFLICT)
	require.Equal(t, 1, f.documentCount())

	// Both accepted requests made sure the workflow runs; the 409 did not.
	require.Len(t, f.flows.started, 2)
	require.Equal(t, first.ID, f.flows.started[0].DocumentID)
	require.Len(t, f.flows.started[0].Jobs, 2)
}

func TestIntakeHealsAFailedWorkflowStart(t *testing.T) {
	f := newFixture(t)
	f.flows.startErr = &models.Error{Code: models.EUNAVAILABLE, Message: "the workflow service is unavailable"}
	f.expectError(f.request("cms", "POST", "/v1/documents", hearing), http.StatusServiceUnavailable, models.EUNAVAILABLE)
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusOK, nil)
	require.Len(t, f.flows.started, 1)
}

func TestIntakeRoutesByCourt(t *testing.T) {
	f := newFixture(t)
	var doc struct{ Targets []struct{ Lang string } }
	body := `{"external_id":"xj-1","court":"新疆维吾尔自治区高级人民法院","kind":"judgment","title":"民事判决书","body":"驳回上诉，维持原判。"}`
	f.decode(f.request("cms", "POST", "/v1/documents", body), http.StatusCreated, &doc)
	require.Len(t, doc.Targets, 2)
	require.Equal(t, "kk-Arab", doc.Targets[0].Lang)
	require.Equal(t, "ug", doc.Targets[1].Lang)
}

func TestIntakeStoresSegmentsAndNFC(t *testing.T) {
	f := newFixture(t)
	// "e" + combining acute must be stored composed; the title is segment 0.
	body := `{"external_id":"n-1","court":"上海海事法院","kind":"press_release","title":"Cafe\u0301 案","body":"第一句。第二句！\n第三句"}`
	var doc struct{ ID int64 }
	f.decode(f.request("cms", "POST", "/v1/documents", body), http.StatusCreated, &doc)
	segs, err := f.store.Segments(context.Background(), doc.ID, 1)
	require.NoError(t, err)
	var texts []string
	for _, s := range segs {
		texts = append(texts, s.Text)
	}
	require.Equal(t, []string{"Café 案", "第一句。", "第二句！\n", "第三句"}, texts)
}

func TestUsers(t *testing.T) {
	f := newFixture(t)
	var u struct {
		ID          int64
		Token       string
		Competences []struct{ Role, Lang string }
	}
	f.decode(f.request("admin", "POST", "/v1/users",
		`{"name":"tashi","roles":["translator","reviewer"],"competences":[{"role":"translator","lang":"tib"},{"role":"reviewer","lang":"bo-CN"}]}`),
		http.StatusCreated, &u)
	require.NotEmpty(t, u.Token)
	require.Equal(t, []struct{ Role, Lang string }{{"translator", "bo"}, {"reviewer", "bo"}}, u.Competences)
	// The token works at once, and is never shown again.
	f.tokens["tashi"] = u.Token
	f.decode(f.request("tashi", "GET", "/v1/tasks", ""), http.StatusOK, nil)
	resp := f.request("admin", "GET", "/v1/users", "")
	data, _ := io.ReadAll(resp.Body)
	require.NotContains(t, string(data), u.Token)
	require.NotContains(t, string(data), "token_hash")

	f.expectError(f.request("admin", "POST", "/v1/users", `{"name":"tashi","roles":["translator"]}`), http.StatusConflict, models.ECONFLICT)
	f.expectError(f.request("admin", "POST", "/v1/users", `{"name":"x","roles":["wizard"]}`), 400, models.EINVALID)
	f.expectError(f.request("admin", "POST", "/v1/users", `{"name":"x","roles":["translator"],"competences":[{"role":"reviewer","lang":"ug"}]}`), 400, models.EINVALID)
	f.expectError(f.request("admin", "POST", "/v1/users", `{"name":"x","roles":["translator"],"competences":[{"role":"translator","lang":"klingon"}]}`), 400, models.EINVALID)
}

func TestLanguagesAndHealth(t *testing.T) {
	f := newFixture(t)
	var out struct {
		Languages []struct {
			Tag, Dir, Script, Autonym string
			WritingMode               string `json:"writing_mode"`
			NameZH                    string `json:"name_zh"`
		}
	}
	f.decode(f.request("", "GET", "/v1/languages", ""), http.StatusOK, &out)
	byTag := map[string]int{}
	for i, l := range out.Languages {
		byTag[l.Tag] = i
	}
	for _, tag := range append(models.MinorityLanguages, "en", "fr", "ru", "ar") {
		require.Contains(t, byTag, tag)
	}
	mn := out.Languages[byTag["mn-Mong"]]
	require.Equal(t, "vertical-lr", mn.WritingMode)
	require.Equal(t, "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", mn.Autonym)
	require.Equal(t, "rtl", out.Languages[byTag["ug"]].Dir)
	require.Equal(t, "rtl", out.Languages[byTag["kk-Arab"]].Dir)
	require.Equal(t, "朝鲜语", out.Languages[byTag["ko"]].NameZH)

	f.decode(f.request("", "GET", "/healthz", ""), http.StatusOK, nil)
	f.decode(f.request("", "GET", "/readyz", ""), http.StatusOK, nil)
	resp := f.request("", "GET", "/metrics", "")
	data, _ := io.ReadAll(resp.Body)
	require.True(t, bytes.Contains(data, []byte("yizhi_http_requests_total")))
}

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func (f *fixture) importRequest(query string, body []byte, contentType string) *http.Response {
	f.t.Helper()
	req, err := http.NewRequest("POST", f.srv.URL+"/v1/documents/import?"+query, bytes.NewReader(body))
	require.NoError(f.t, err)
	req.Header.Set("Authorization", "Bearer "+f.tokens["cms"])
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestImportGB18030(t *testing.T) {
	f := newFixture(t)
	// Names in Tibetan, Uyghur and Mongolian exist in GB18030 only as
	// four-byte codes.
	text := "西藏自治区高级人民法院公告\n本院受理的(2024)藏民终12号案件当事人：扎西多吉（བཀྲ་ཤིས་རྡོ་རྗེ།）、阿依古丽（ئايگۈل）、巴特尔（ᠪᠠᠭᠠᠲᠤᠷ）。\n请于2024年6月1日前到本院领取判决书。"
	query := url.Values{"external_id": {"xz-2024-12"}, "court": {"西藏自治区高级人民法院"}, "kind": {"announcement"}, "targets": {"bo"}}
	var doc struct {
		ID      int64
		Targets []struct{ Lang string }
	}
	f.decode(f.importRequest(query.Encode(), gb18030(t, text), "text/plain; charset=GB18030"), http.StatusCreated, &doc)
	src, err := f.store.SourceVersion(context.Background(), doc.ID, 1)
	require.NoError(t, err)
	require.Equal(t, "西藏自治区高级人民法院公告", src.Title)
	require.Equal(t, text[strings.Index(text, "\n")+1:], src.Body)
	require.Equal(t, "bo", doc.Targets[0].Lang)

	// Metadata may come in headers, percent-encoded.
	req, err := http.NewRequest("POST", f.srv.URL+"/v1/documents/import", bytes.NewReader(gb18030(t, "公告\n定于2024年5月6日开庭。")))
	require.NoError(t, err)
	for k, v := range map[string]string{
		"Authorization": "Bearer " + f.tokens["cms"], "Content-Type": "text/plain; charset=gbk",
		"Yizhi-External-Id": "nm-1", "Yizhi-Court": url.PathEscape("内蒙古自治区高级人民法院"), "Yizhi-Kind": "announcement",
	} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var routed struct{ Targets []struct{ Lang string } }
	f.decode(resp, http.StatusCreated, &routed)
	require.Equal(t, "mn-Mong", routed.Targets[0].Lang)
}

func TestImportRefusesUndecodableBytes(t *testing.T) {
	f := newFixture(t)
	query := url.Values{"external_id": {"bad-1"}, "court": {"新疆维吾尔自治区高级人民法院"}, "kind": {"announcement"}}.Encode()
	good := gb18030(t, "公告\n本院定于")
	body := append(append([]byte{}, good...), 0x81, 0x20) // a lead byte with no valid trail
	body = append(body, gb18030(t, "开庭。")...)
	e := f.expectError(f.importRequest(query, body, "text/plain; charset=gb18030"), 400, models.EINVALID)
	require.EqualValues(t, len(good), e.Error.Details["offset"])
	require.Contains(t, e.Error.Message, strconv.Itoa(len(good)))

	f.expectError(f.importRequest(query, good, "text/plain"), 400, models.EINVALID)
	f.expectError(f.importRequest(query, good, "text/plain; charset=big5"), 400, models.EINVALID)
	f.expectError(f.importRequest(query, good, "application/json"), 400, models.EINVALID)
	f.expectError(f.importRequest("court=x", good, "text/plain; charset=gb18030"), 400, models.EINVALID)
	require.Zero(t, f.documentCount())
}

func TestGlossary(t *testing.T) {
	f := newFixture(t)
	var e struct {
		ID         int64  `json:"id"`
		TargetLang string `json:"target_lang"`
		Status     string `json:"status"`
	}
	f.decode(f.request("editor", "POST", "/v1/glossary",
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"The High People's Court of Hebei Province","domain":"court_names","source_ref":"法〔2021〕184号"}`),
		http.StatusCreated, &e)
	require.Equal(t, "en", e.TargetLang)
	require.Equal(t, models.TermApproved, e.Status)
	f.decode(f.request("editor", "POST", "/v1/glossary",
		`{"target_lang":"eng","term":"河北省高级人民法院","translation":"The Higher People's Court of Hebei Province","status":"forbidden"}`),
		http.StatusCreated, nil)

	bad := f.expectError(f.request("editor", "POST", "/v1/glossary", `{"term":"法院"}`), 400, models.EINVALID)
	require.ElementsMatch(t, []any{"target_lang", "translation"}, bad.Error.Details["missing"])
	f.expectError(f.request("editor", "POST", "/v1/glossary", `{"target_lang":"en","term":"法院","translation":"court","status":"maybe"}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "POST", "/v1/glossary", `{"target_lang":"xx","term":"法院","translation":"court"}`), 400, models.EINVALID)
	f.expectError(f.request("translator", "POST", "/v1/glossary", `{"target_lang":"ug","term":"法院","translation":"سوت"}`), 403, models.EFORBIDDEN)

	var list struct {
		Items []struct{ Term, Translation, Status string }
	}
	f.decode(f.request("editor", "GET", "/v1/glossary?target_lang=en", ""), http.StatusOK, &list)
	require.Len(t, list.Items, 2)
	require.Equal(t, "forbidden", list.Items[1].Status)
	f.decode(f.request("editor", "GET", "/v1/glossary?target_lang=ug", ""), http.StatusOK, &list)
	require.Empty(t, list.Items)
}

func TestPublicFeedback(t *testing.T) {
	f := newFixture(t)
	var doc struct{ ID int64 }
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	path := fmt.Sprintf("/v1/published/%d/ko/feedback", doc.ID)

	// Nothing published in Korean yet: nothing to give feedback on.
	f.expectError(f.request("", "POST", path, `{"text":"번역이 틀렸습니다."}`), 404, models.ENOTFOUND)
	seedPublished(t, f.store, doc.ID, "ko")

	f.expectError(f.request("", "POST", path, `{"contact":"a@b.c"}`), 400, models.EINVALID)
	f.expectError(f.request("", "POST", path, `{"text":"`+strings.Repeat("가", 2001)+`"}`), 400, models.EINVALID)
	f.expectError(f.request("", "POST", fmt.Sprintf("/v1/published/%d/xx/feedback", doc.ID), `{"text":"x"}`), 400, models.EINVALID)

	var got struct {
		ID     int64
		Status string
	}
	f.decode(f.request("", "POST", path, `{"text":"제3법정이 아니라 제2법정입니다.","contact":"reader@example.org"}`), http.StatusAccepted, &got)
	require.Equal(t, models.FeedbackOpen, got.Status)
	require.Len(t, f.flows.events, 1)
	require.Equal(t, models.EventFeedbackReceived, f.flows.events[0].Type)

	// Every request counts against the address, bad ones too: the burst
	// of five is used up.
	resp := f.request("", "POST", path, `{"text":"또 한 번"}`)
	require.Equal(t, "60", resp.Header.Get("Retry-After"))
	f.expectError(resp, http.StatusTooManyRequests, models.ERATELIMITED)

	// The editors answer; the portal sees the answer, never the contact.
	var inbox struct{ Items []models.Feedback }
	f.decode(f.request("editor", "GET", "/v1/feedback", ""), http.StatusOK, &inbox)
	require.Len(t, inbox.Items, 1)
	f.expectError(f.request("editor", "POST", fmt.Sprintf("/v1/feedback/%d/dismiss", got.ID), `{}`), 400, models.EINVALID)
	f.decode(f.request("editor", "POST", fmt.Sprintf("/v1/feedback/%d/dismiss", got.ID), `{"answer":"原文即为第三法庭，译文无误。"}`), http.StatusOK, nil)
	f.expectError(f.request("editor", "POST", fmt.Sprintf("/v1/feedback/%d/dismiss", got.ID), `{"answer":"again"}`), http.StatusConflict, models.ECONFLICT)
	resp = f.request("", "GET", path, "")
	data, _ := io.ReadAll(resp.Body)
	require.Contains(t, string(data), "原文即为第三法庭")
	require.NotContains(t, string(data), "reader@example.org")
	f.expectError(f.request("portal", "GET", "/v1/feedback", ""), 403, models.EFORBIDDEN)
}

// seedPublished writes a published version directly, as the workflow would.
func seedPublished(t *testing.T, s *store.Store, docID int64, lang string) {
	t.Helper()
	jobs, err := s.JobsByDocument(context.Background(), docID)
	require.NoError(t, err)
	for _, j := range jobs {
		if j.Lang != lang {
			continue
		}
		task := &models.Task{JobID: j.ID, Kind: models.TaskReview, Round: 1, State: models.TaskClaimed}
		require.NoError(t, s.CreateTask(context.Background(), task))
		_, err := s.Publish(context.Background(), &models.PublishedVersion{JobID: j.ID, ReviewTaskID: task.ID,
			Title: "개정 공고", Body: "본원은 2024년 5월 6일 제3법정에서 심리한다.", ContentHash: "h"}, nil)
		require.NoError(t, err)
	}
}
