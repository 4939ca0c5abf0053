package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"yizhi/api"
	"yizhi/models"
)

func loadSpec(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

func TestOpenAPISpecIsValid(t *testing.T) {
	written := loadSpec(t, api.OpenAPIYAML)
	require.Equal(t, "3.0.3", written.OpenAPI)

	// What /openapi.json serves, without a token, is the same spec.
	f := newFixture(t)
	resp := f.request("", "GET", "/openapi.json", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	served := loadSpec(t, data)
	require.ElementsMatch(t, specOperations(written), specOperations(served))

	// Every error answer is the shared error shape.
	for _, op := range specOperations(written) {
		route := written.Paths.Value(op.path).GetOperation(op.method)
		require.NotNil(t, route.Responses.Default(), "%s has no default error answer", op)
		for code, r := range route.Responses.Map() {
			if code != "default" && code < "400" {
				continue
			}
			schema := r.Value.Content.Get("application/json").Schema
			require.Equal(t, "#/components/schemas/Error", schema.Ref, "%s answers %s in another shape", op, code)
		}
	}
}

type operation struct{ method, path string }

func (o operation) String() string { return o.method + " " + o.path }

func specOperations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, operation{method, path})
		}
	}
	return ops
}

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPICoversEveryRoute holds the spec and the router to each other:
// a route without a description, or a description of no route, fails.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc := loadSpec(t, api.OpenAPIYAML)
	f := newFixture(t)
	var served []operation
	for _, r := range f.api.Routes() {
		served = append(served, operation{r.Method, ginParam.ReplaceAllString(r.Path, "{$1}")})
	}
	described := specOperations(doc)
	sortOps := func(ops []operation) {
		sort.Slice(ops, func(i, j int) bool { return ops[i].String() < ops[j].String() })
	}
	sortOps(served)
	sortOps(described)
	require.Equal(t, served, described)
	require.Contains(t, served, operation{"GET", "/v1/stats"})
	require.Contains(t, served, operation{"GET", "/openapi.json"})
}

// specChecker validates real answers against the spec.
type specChecker struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
}

func newSpecChecker(t *testing.T) *specChecker {
	doc := loadSpec(t, api.OpenAPIYAML)
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return &specChecker{t: t, doc: doc, router: router}
}

// check validates resp, which must have the given status, against the
// operation its request names; the status must be documented by itself,
// not only as the default. A 2xx answer's request is validated too.
func (sc *specChecker) check(resp *http.Response, status int) []byte {
	sc.t.Helper()
	body, err := io.ReadAll(resp.Body)
	require.NoError(sc.t, err)
	req := resp.Request
	require.Equal(sc.t, status, resp.StatusCode, "%s %s: %s", req.Method, req.URL, body)
	route, params, err := sc.router.FindRoute(req)
	require.NoError(sc.t, err, "%s %s", req.Method, req.URL.Path)
	require.NotNil(sc.t, route.Operation.Responses.Status(status),
		"%s %s does not document %d", req.Method, route.Path, status)

	reqInput := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if status < 300 {
		if req.GetBody != nil {
			req.Body, err = req.GetBody()
			require.NoError(sc.t, err)
		}
		require.NoError(sc.t, openapi3filter.ValidateRequest(context.Background(), reqInput),
			"%s %s: request", req.Method, req.URL)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqInput,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	require.NoError(sc.t, openapi3filter.ValidateResponse(context.Background(), in),
		"%s %s answered %d: %s", req.Method, req.URL, resp.StatusCode, body)
	return body
}

func TestOpenAPIDescribesRealAnswers(t *testing.T) {
	sc := newSpecChecker(t)
	f := newFixture(t)
	const ct, appJSON = "Content-Type", "application/json"

	// Intake, then the document as editors see it.
	var doc struct{ ID int64 }
	intake := f.request("cms", "POST", "/v1/documents", hearing, ct, appJSON)
	require.NoError(t, json.Unmarshal(sc.check(intake, http.StatusCreated), &doc))
	sc.check(f.request("cms", "POST", "/v1/documents", hearing, ct, appJSON), http.StatusOK)
	sc.check(f.request("cms", "POST", "/v1/documents", `{"external_id":"x","kind":"judgment"}`, ct, appJSON), http.StatusBadRequest)
	sc.check(f.request("cms", "POST", "/v1/documents", strings.Replace(hearing, "欢迎旁听。", "改。", 1), ct, appJSON), http.StatusConflict)
	sc.check(f.request("editor", "GET", fmt.Sprintf("/v1/documents/%d", doc.ID), ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/documents?kind=hearing_notice&limit=10", ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/documents/999", ""), http.StatusNotFound)
	sc.check(f.request("portal", "GET", "/v1/documents/999", ""), http.StatusForbidden)
	sc.check(f.request("", "GET", "/v1/documents", ""), http.StatusUnauthorized)

	// A publication, and what portals read of it.
	seedPublished(t, f.store, doc.ID, "ko")
	f.markPublished(doc.ID, "ko", 1)
	sc.check(f.request("portal", "GET", "/v1/published?lang=ko&limit=10", ""), http.StatusOK)
	sc.check(f.request("portal", "GET", "/v1/published?since=yesterday", ""), http.StatusBadRequest)
	published := f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID), "")
	etag := published.Header.Get("ETag")
	sc.check(published, http.StatusOK)
	require.Equal(t, "ko", published.Header.Get("Content-Language"))
	require.NotEmpty(t, etag)
	sc.check(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID), "", "If-None-Match", etag), http.StatusNotModified)
	sc.check(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d", doc.ID), "", "Accept-Language", "fr"), http.StatusOK) // the source
	sc.check(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d/versions", doc.ID), ""), http.StatusOK)
	sc.check(f.request("portal", "GET", "/v1/published/999", ""), http.StatusNotFound)

	// Public feedback and the editors' inbox.
	sc.check(f.request("", "POST", fmt.Sprintf("/v1/published/%d/ko/feedback", doc.ID), `{"text":"제2법정입니다."}`, ct, appJSON), http.StatusAccepted)
	sc.check(f.request("", "GET", fmt.Sprintf("/v1/published/%d/ko/feedback", doc.ID), ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/feedback?status=all", ""), http.StatusOK)

	// Tasks in the translator's language.
	var xj struct{ ID int64 }
	intake = f.request("cms", "POST", "/v1/documents",
		`{"external_id":"xj-1","court":"新疆维吾尔自治区高级人民法院","kind":"judgment","title":"民事判决书","body":"驳回上诉，维持原判。"}`, ct, appJSON)
	require.NoError(t, json.Unmarshal(sc.check(intake, http.StatusCreated), &xj))
	jobs, err := f.store.JobsByDocument(t.Context(), xj.ID)
	require.NoError(t, err)
	task := &models.Task{JobID: jobs[1].ID, Kind: models.TaskTranslate, Round: 1, State: models.TaskOpen}
	require.NoError(t, f.store.CreateTask(t.Context(), task))
	var tasks struct{ Items []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(sc.check(f.request("translator", "GET", "/v1/tasks?kind=translate&lang=ug", ""), http.StatusOK), &tasks))
	require.Len(t, tasks.Items, 1)
	sc.check(f.request("translator", "GET", "/v1/tasks?state=closed", ""), http.StatusBadRequest)
	sc.check(f.request("editor", "GET", fmt.Sprintf("/v1/tasks/%d", task.ID), ""), http.StatusOK)
	sc.check(f.request("translator", "GET", fmt.Sprintf("/v1/tasks/%d", task.ID), ""), http.StatusForbidden)

	// Evaluation and the record.
	sc.check(f.request("editor", "GET", "/v1/stats", ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/stats?lang=ug&since="+time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/stats?kind=gossip", ""), http.StatusBadRequest)
	sc.check(f.request("editor", "GET", fmt.Sprintf("/v1/audit?document_id=%d", doc.ID), ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/audit/verify", ""), http.StatusOK)
	sc.check(f.request("editor", "GET", "/v1/notifications", ""), http.StatusOK)

	// Management.
	sc.check(f.request("editor", "GET", "/v1/users", ""), http.StatusOK)
	sc.check(f.request("admin", "POST", "/v1/users", `{"name":"dolma","roles":["reviewer"],"competences":[{"role":"reviewer","lang":"bo"}]}`, ct, appJSON), http.StatusCreated)
	sc.check(f.request("editor", "GET", "/v1/routing", ""), http.StatusOK)
	sc.check(f.request("editor", "POST", "/v1/glossary", `{"target_lang":"ug","term":"人民法院","translation":"خەلق سوت مەھكىمىسى"}`, ct, appJSON), http.StatusCreated)
	sc.check(f.request("editor", "GET", "/v1/glossary?target_lang=ug", ""), http.StatusOK)
	sc.check(f.request("editor", "POST", "/v1/webhooks", `{"url":"https://portal.example.org/hooks","events":["translation.published"]}`, ct, appJSON), http.StatusCreated)
	sc.check(f.request("editor", "GET", "/v1/webhooks", ""), http.StatusOK)

	// Withdrawn: portals get 410.
	sc.check(f.request("editor", "POST", fmt.Sprintf("/v1/documents/%d/withdraw", doc.ID), `{"reason":"错误公开","public_reason":"已撤回。"}`, ct, appJSON), http.StatusOK)
	sc.check(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d", doc.ID), ""), http.StatusGone)
	sc.check(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d/versions", doc.ID), ""), http.StatusGone)

	// And the rest of the public surface.
	sc.check(f.request("", "GET", "/v1/languages", ""), http.StatusOK)
	sc.check(f.request("", "GET", "/healthz", ""), http.StatusOK)
	sc.check(f.request("", "GET", "/readyz", ""), http.StatusOK)
	sc.check(f.request("", "GET", "/openapi.json", ""), http.StatusOK)
}
