package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
)

type routingRule struct {
	ID            int64    `json:"id"`
	Priority      int      `json:"priority"`
	Name          string   `json:"name"`
	CourtContains []string `json:"court_contains"`
	Kinds         []string `json:"kinds"`
	Priorities    []string `json:"priorities"`
	Targets       []string `json:"targets"`
	Profile       string   `json:"profile"`
}

type intakeResult struct {
	ID      int64  `json:"id"`
	Profile string `json:"profile"`
	Targets []struct {
		Lang string `json:"lang"`
	} `json:"targets"`
}

func (r intakeResult) langs() []string {
	var out []string
	for _, t := range r.Targets {
		out = append(out, t.Lang)
	}
	return out
}

func (f *fixture) rules(who string) []routingRule {
	f.t.Helper()
	var out struct{ Items []routingRule }
	f.decode(f.request(who, "GET", "/v1/routing", ""), http.StatusOK, &out)
	return out.Items
}

func (f *fixture) ruleNamed(name string) routingRule {
	f.t.Helper()
	for _, r := range f.rules("admin") {
		if r.Name == name {
			return r
		}
	}
	f.t.Fatalf("no routing rule named %q", name)
	return routingRule{}
}

// document posts a document with no targets, so the rules route it.
func (f *fixture) document(externalID, court, kind, extra string) *http.Response {
	f.t.Helper()
	body := fmt.Sprintf(`{"external_id":%q,"court":%q,"kind":%q,"title":"公告","body":"本院定于2024年5月6日开庭。"%s}`,
		externalID, court, kind, extra)
	return f.request("cms", "POST", "/v1/documents", body)
}

func (f *fixture) routingAudit() []models.AuditEvent {
	f.t.Helper()
	// Routing and competence changes concern no document.
	events, err := f.store.AuditTrail(context.Background(), 0)
	require.NoError(f.t, err)
	return events
}

func TestRoutingRulesDriveIntake(t *testing.T) {
	f := newFixture(t)
	// The seeded defaults are listed in rule order, for editors too.
	rules := f.rules("editor")
	require.Len(t, rules, len(models.DefaultRoutes))
	require.Equal(t, "Xinjiang", rules[0].Name)
	require.Equal(t, []string{"ug", "kk-Arab"}, rules[0].Targets)
	require.Equal(t, "full", rules[0].Profile)

	// A court no rule names is refused until an admin adds a rule.
	const beijing = "北京市第四中级人民法院"
	f.expectError(f.document("bj-1", beijing, "judgment", ""), 400, models.EINVALID)
	var created routingRule
	f.decode(f.request("admin", "POST", "/v1/routing",
		`{"name":"北京四中院 涉外","priority":5,"court_contains":[" 北京市第四中级 "],"targets":["eng","fr","en"]}`),
		http.StatusCreated, &created)
	require.NotZero(t, created.ID)
	require.Equal(t, []string{"北京市第四中级"}, created.CourtContains, "names are trimmed")
	require.Equal(t, []string{"en", "fr"}, created.Targets, "targets are canonical, sorted and unique")
	require.Equal(t, "full", created.Profile)
	require.Equal(t, []string{}, created.Kinds)
	require.Equal(t, created.ID, f.rules("editor")[0].ID, "priority 5 lists first")
	var doc intakeResult
	f.decode(f.document("bj-1", beijing, "judgment", ""), http.StatusCreated, &doc)
	require.Equal(t, []string{"en", "fr"}, doc.langs())

	// An admin's edit changes where the next document goes.
	xinjiang := f.ruleNamed("Xinjiang")
	var edited routingRule
	f.decode(f.request("admin", "PUT", fmt.Sprintf("/v1/routing/%d", xinjiang.ID),
		`{"name":"Xinjiang","priority":10,"court_contains":["新疆"],"priorities":["urgent"],"targets":["uig"]}`),
		http.StatusOK, &edited)
	require.Equal(t, xinjiang.ID, edited.ID)
	require.Equal(t, []string{"ug"}, edited.Targets)
	const xjCourt = "新疆维吾尔自治区高级人民法院"
	f.decode(f.document("xj-urgent", xjCourt, "announcement", `,"priority":"urgent"`), http.StatusCreated, &doc)
	require.Equal(t, []string{"ug"}, doc.langs())
	// The rule now matches urgent documents only.
	f.expectError(f.document("xj-normal", xjCourt, "announcement", ""), 400, models.EINVALID)
	// An explicit targets still wins over the rules.
	f.decode(f.document("xj-explicit", xjCourt, "announcement", `,"targets":["kk-Arab"]`), http.StatusCreated, &doc)
	require.Equal(t, []string{"kk-Arab"}, doc.langs())

	// After a delete, the rule routes nothing.
	f.decode(f.request("admin", "DELETE", fmt.Sprintf("/v1/routing/%d", created.ID), ""), http.StatusNoContent, nil)
	f.expectError(f.document("bj-2", beijing, "judgment", ""), 400, models.EINVALID)
	f.expectError(f.request("admin", "GET", fmt.Sprintf("/v1/routing/%d", created.ID), ""), 404, models.ENOTFOUND)

	// Each change is audited, by the admin, with the rule.
	events := f.routingAudit()
	require.Len(t, events, 3)
	for i, action := range []string{"routing.created", "routing.updated", "routing.deleted"} {
		require.Equal(t, action, events[i].Action)
		require.Equal(t, "admin", events[i].Actor)
	}
	require.Contains(t, events[0].Details, `"北京市第四中级"`)
	require.Contains(t, events[1].Details, `"before"`)
	require.Contains(t, events[1].Details, `"kk-Arab"`, "the update records the targets it replaced")
}

func TestRoutingNeedsAdmin(t *testing.T) {
	f := newFixture(t)
	id := f.rules("admin")[0].ID
	rule := `{"name":"x","court_contains":["x"],"targets":["en"]}`
	for _, who := range []string{"editor", "cms", "translator"} {
		f.expectError(f.request(who, "POST", "/v1/routing", rule), 403, models.EFORBIDDEN)
		f.expectError(f.request(who, "PUT", fmt.Sprintf("/v1/routing/%d", id), rule), 403, models.EFORBIDDEN)
		f.expectError(f.request(who, "DELETE", fmt.Sprintf("/v1/routing/%d", id), ""), 403, models.EFORBIDDEN)
	}
	for _, who := range []string{"cms", "translator", "portal"} {
		f.expectError(f.request(who, "GET", "/v1/routing", ""), 403, models.EFORBIDDEN)
	}
	f.expectError(f.request("nobody", "GET", "/v1/routing", ""), 401, models.EUNAUTHORIZED)
	require.Len(t, f.rules("admin"), len(models.DefaultRoutes))
	require.Empty(t, f.routingAudit())
}

func TestRoutingBadInput(t *testing.T) {
	f := newFixture(t)
	id := f.rules("admin")[0].ID
	cases := []struct {
		name, body string
		check      func(apiError)
	}{
		{"missing fields", `{"priority":1}`, func(e apiError) {
			require.ElementsMatch(t, []any{"name", "court_contains", "targets"}, e.Error.Details["missing"])
		}},
		{"empty court_contains", `{"name":"x","court_contains":[],"targets":["en"]}`, nil},
		{"blank court name", `{"name":"x","court_contains":["新疆"," "],"targets":["en"]}`, func(e apiError) {
			require.Contains(t, e.Error.Message, "every court")
		}},
		{"unknown kind", `{"name":"x","court_contains":["x"],"kinds":["gossip"],"targets":["en"]}`, func(e apiError) {
			require.Contains(t, e.Error.Details["kinds"], "judgment")
		}},
		{"unknown priority", `{"name":"x","court_contains":["x"],"priorities":["asap"],"targets":["en"]}`, nil},
		{"unknown profile", `{"name":"x","court_contains":["x"],"targets":["en"],"profile":"quick"}`, func(e apiError) {
			require.Contains(t, e.Error.Details["profiles"], "review")
		}},
		{"unknown target", `{"name":"x","court_contains":["x"],"targets":["xx-Fake"]}`, nil},
		{"source as target", `{"name":"x","court_contains":["x"],"targets":["zh-CN"]}`, nil},
		{"unknown field", `{"name":"x","court_contains":["x"],"targets":["en"],"id":3}`, nil},
		{"wrong type", `{"name":"x","court_contains":"新疆","targets":["en"]}`, nil},
		{"long name", `{"name":"` + strings.Repeat("名", 129) + `","court_contains":["x"],"targets":["en"]}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, req := range []struct{ method, path string }{{"POST", "/v1/routing"}, {"PUT", fmt.Sprintf("/v1/routing/%d", id)}} {
				e := f.expectError(f.request("admin", req.method, req.path, tc.body), 400, models.EINVALID)
				if tc.check != nil {
					tc.check(e)
				}
			}
		})
	}
	good := `{"name":"x","court_contains":["x"],"targets":["en"]}`
	f.expectError(f.request("admin", "PUT", "/v1/routing/99999", good), 404, models.ENOTFOUND)
	f.expectError(f.request("admin", "PUT", "/v1/routing/abc", good), 404, models.ENOTFOUND)
	f.expectError(f.request("admin", "DELETE", "/v1/routing/99999", ""), 404, models.ENOTFOUND)
	require.Len(t, f.rules("admin"), len(models.DefaultRoutes), "bad input changed the rules")
	require.Empty(t, f.routingAudit(), "bad input was audited")
}

func TestIntakeProfiles(t *testing.T) {
	f := newFixture(t)
	// Short notices from Yanbian need only a review; a rule cannot make
	// that true of judgments.
	yanbian := f.ruleNamed("Yanbian")
	f.decode(f.request("admin", "PUT", fmt.Sprintf("/v1/routing/%d", yanbian.ID),
		`{"name":"Yanbian","priority":40,"court_contains":["延边"],"kinds":["hearing_notice","judgment"],"targets":["ko"],"profile":"review"}`),
		http.StatusOK, nil)
	const court = "吉林省延边朝鲜族自治州中级人民法院"

	var doc intakeResult
	f.decode(f.document("yb-notice", court, "hearing_notice", ""), http.StatusCreated, &doc)
	require.Equal(t, "review", doc.Profile)
	require.Equal(t, []string{"ko"}, doc.langs())
	var got struct{ Profile string }
	f.decode(f.request("editor", "GET", fmt.Sprintf("/v1/documents/%d", doc.ID), ""), http.StatusOK, &got)
	require.Equal(t, "review", got.Profile)

	f.decode(f.document("yb-judgment", court, "judgment", ""), http.StatusCreated, &doc)
	require.Equal(t, "full", doc.Profile, "judgments are always fully translated")
	f.decode(f.document("yb-judgment-asked", court, "judgment", `,"profile":"review"`), http.StatusCreated, &doc)
	require.Equal(t, "full", doc.Profile, "not even when the request asks")

	// The request's profile wins over the rules for other kinds, with
	// or without explicit targets.
	f.decode(f.document("yb-notice-full", court, "hearing_notice", `,"profile":"full"`), http.StatusCreated, &doc)
	require.Equal(t, "full", doc.Profile)
	f.decode(f.document("xj-notice", "新疆维吾尔自治区高级人民法院", "hearing_notice", `,"profile":"review","targets":["ug"]`), http.StatusCreated, &doc)
	require.Equal(t, "review", doc.Profile)

	// A document matched by a full rule and a review rule gets full:
	// the review rule cannot drop a translation step the other wants.
	f.decode(f.request("admin", "POST", "/v1/routing",
		`{"name":"Yanbian English","court_contains":["延边"],"targets":["en"]}`), http.StatusCreated, nil)
	f.decode(f.document("yb-notice-2", court, "hearing_notice", ""), http.StatusCreated, &doc)
	require.Equal(t, "full", doc.Profile)
	require.Equal(t, []string{"en", "ko"}, doc.langs())

	e := f.expectError(f.document("yb-bad", court, "hearing_notice", `,"profile":"quick"`), 400, models.EINVALID)
	require.Contains(t, e.Error.Details["profiles"], "review")

	// A legacy import is routed the same way, and may name a profile.
	imported := url.Values{"external_id": {"yb-import"}, "court": {court}, "kind": {"news"}}
	f.decode(f.importRequest(imported.Encode(), gb18030(t, "新闻\n延边州法院召开会议。"), "text/plain; charset=gb18030"), http.StatusCreated, &doc)
	require.Equal(t, "full", doc.Profile)
	require.Equal(t, []string{"en"}, doc.langs())
	imported.Set("external_id", "yb-import-2")
	imported.Set("profile", "review")
	f.decode(f.importRequest(imported.Encode(), gb18030(t, "新闻\n延边州法院召开会议。"), "text/plain; charset=gb18030"), http.StatusCreated, &doc)
	require.Equal(t, "review", doc.Profile)
}

func TestGrantCompetence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var dolkar struct {
		ID    int64
		Token string
	}
	f.decode(f.request("admin", "POST", "/v1/users",
		`{"name":"卓玛","roles":["translator"],"competences":[{"role":"translator","lang":"bo"}]}`), http.StatusCreated, &dolkar)
	f.tokens["dolkar"] = dolkar.Token

	// A Tibetan document waiting for review, its only reviewer being its
	// translator.
	var doc intakeResult
	f.decode(f.document("xz-1", "西藏自治区高级人民法院", "announcement", ""), http.StatusCreated, &doc)
	jobs, err := f.store.JobsByDocument(ctx, doc.ID)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	review := &models.Task{JobID: jobs[0].ID, Kind: models.TaskReview, Round: 1}
	require.NoError(t, f.store.CreateTask(ctx, review))

	reviewTasks := func() []int64 {
		t.Helper()
		var out struct {
			Items []struct {
				ID   int64
				Kind string
				Lang string
			}
		}
		f.decode(f.request("dolkar", "GET", "/v1/tasks?kind=review", ""), http.StatusOK, &out)
		var ids []int64
		for _, it := range out.Items {
			require.Equal(t, "bo", it.Lang)
			ids = append(ids, it.ID)
		}
		return ids
	}
	require.Empty(t, reviewTasks())

	path := fmt.Sprintf("/v1/users/%d/competences", dolkar.ID)
	var u struct {
		Roles       []string
		Competences []struct{ Role, Lang string }
	}
	f.decode(f.request("admin", "POST", path, `{"role":"reviewer","lang":"bo-CN"}`), http.StatusCreated, &u)
	require.Equal(t, []string{"translator", "reviewer"}, u.Roles, "the grant adds the role")
	require.Contains(t, u.Competences, struct{ Role, Lang string }{"reviewer", "bo"})
	require.Equal(t, []int64{review.ID}, reviewTasks())

	// Granting again is harmless and records nothing new.
	f.decode(f.request("admin", "POST", path, `{"role":"reviewer","lang":"bo"}`), http.StatusOK, nil)

	events := f.routingAudit()
	require.Len(t, events, 1)
	require.Equal(t, "competence.granted", events[0].Action)
	require.Equal(t, "admin", events[0].Actor)
	require.Equal(t, "bo", events[0].Lang)
	var details map[string]any
	require.NoError(t, json.Unmarshal([]byte(events[0].Details), &details))
	require.Equal(t, map[string]any{"user_id": float64(dolkar.ID), "role": "reviewer", "lang": "bo"}, details)

	f.expectError(f.request("admin", "POST", "/v1/users/99999/competences", `{"role":"reviewer","lang":"bo"}`), 404, models.ENOTFOUND)
	f.expectError(f.request("admin", "POST", path, `{"role":"reviewer","lang":"klingon"}`), 400, models.EINVALID)
	f.expectError(f.request("admin", "POST", path, `{"role":"reviewer","lang":"zh-Hans"}`), 400, models.EINVALID)
	f.expectError(f.request("admin", "POST", path, `{"role":"editor","lang":"bo"}`), 400, models.EINVALID)
	e := f.expectError(f.request("admin", "POST", path, `{}`), 400, models.EINVALID)
	require.ElementsMatch(t, []any{"role", "lang"}, e.Error.Details["missing"])
	for _, who := range []string{"editor", "dolkar", "translator"} {
		f.expectError(f.request(who, "POST", path, `{"role":"reviewer","lang":"ug"}`), 403, models.EFORBIDDEN)
		f.expectError(f.request(who, "DELETE", path+"?role=reviewer&lang=bo", ""), 403, models.EFORBIDDEN)
	}

	// A revocation takes the tasks away again, and is audited.
	f.decode(f.request("admin", "DELETE", path+"?role=reviewer&lang=bo", ""), http.StatusOK, &u)
	require.NotContains(t, u.Competences, struct{ Role, Lang string }{"reviewer", "bo"})
	require.Empty(t, reviewTasks())
	f.decode(f.request("admin", "DELETE", path+"?role=reviewer&lang=bo", ""), http.StatusOK, nil)
	f.expectError(f.request("admin", "DELETE", path+"?role=reviewer", ""), 400, models.EINVALID)
	f.expectError(f.request("admin", "DELETE", "/v1/users/99999/competences?role=reviewer&lang=bo", ""), 404, models.ENOTFOUND)

	events = f.routingAudit()
	require.Len(t, events, 2)
	require.Equal(t, "competence.revoked", events[1].Action)
	v, err := f.store.VerifyAudit(ctx)
	require.NoError(t, err)
	require.Equal(t, store.AuditVerification{OK: true, Checked: 3}, v) // with the document's intake
}
