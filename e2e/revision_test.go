package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"

	"yizhi/models"
)

// The notice's hearing moves from the 15th to the 16th: the first
// sentence changes, the title and 欢迎旁听。 do not.
const noticeRevisedBody = "本院定于2024年3月16日上午9时30分在第一法庭公开开庭审理(2023)新01民初45号原告阿不都热合曼·买买提与被告新疆某建筑有限公司建设工程施工合同纠纷一案。\n欢迎旁听。"

var (
	uyghurRevisedDate = "بۇ سوت 2024-يىلى 3-ئاينىڭ 16-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا 1-سوت زالىدا (2023)新01民初45号 دېلونى ئاشكارا سوت ئاچىدۇ."
	kazakhWelcome     = "تىڭداۋعا قوش كەلدىڭىز."
)

type taskDetail struct {
	State    string `json:"state"`
	Round    int    `json:"round"`
	Segments []struct {
		Index   int    `json:"index"`
		Draft   string `json:"draft"`
		Changed bool   `json:"changed"`
	} `json:"segments"`
}

type feedPage struct {
	Items []struct {
		Event     string `json:"event"`
		Lang      string `json:"lang"`
		Version   int    `json:"version"`
		Title     string `json:"title"`
		Outdated  bool   `json:"outdated"`
		Withdrawn bool   `json:"withdrawn"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// publish takes a translate task through review to publication.
func publish(t *testing.T, translator, reviewer *user, task int64, texts []string) action {
	t.Helper()
	if blocking := translator.saveDraft(task, texts); blocking > 0 {
		t.Fatalf("task %d: %d blocking QA issues", task, blocking)
	}
	var sub action
	translator.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/submit", task), nil, &sub)
	reviewer.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", sub.NextTaskID), nil, nil)
	var approved action
	reviewer.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/approve", sub.NextTaskID), nil, &approved)
	return approved
}

func TestRevisionAndWithdrawal(t *testing.T) {
	s := startSystem(t)
	cms := s.createUser("court-cms", []string{"source"}, nil)
	editor := s.createUser("editor", []string{"editor"}, nil)
	aygul := s.createUser("aygul", []string{"translator"}, map[string][]string{"translator": {"ug"}})
	erkin := s.createUser("erkin", []string{"reviewer"}, map[string][]string{"reviewer": {"ug"}})
	nurlan := s.createUser("nurlan", []string{"translator"}, map[string][]string{"translator": {"kk-Arab"}})
	portal := s.createUser("court-portal", []string{"portal"}, nil)

	hook := newWebhookReceiver(t)
	var subscription struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	editor.must(http.StatusCreated, "POST", "/v1/webhooks", map[string]any{
		"url": hook.srv.URL, "events": []string{"translation.outdated", "translation.withdrawn"},
	}, &subscription)
	hook.mu.Lock()
	hook.secret = subscription.Secret
	hook.mu.Unlock()

	var doc createdDocument
	cms.must(http.StatusCreated, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-wlmq-2024-0315", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院", "kind": "hearing_notice",
		"title": noticeTitle, "body": noticeBody, "targets": []string{"ug", "kk-Arab"},
	}, &doc)

	// Uyghur is published; Kazakh is claimed and half drafted.
	ugTask := aygul.openTask(doc.ID, "translate")
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", ugTask), nil, nil)
	if v := publish(t, aygul, erkin, ugTask, uyghurDraft).PublishedVersion; v != 1 {
		t.Fatalf("published version %d, want 1", v)
	}
	kkTask := nurlan.openTask(doc.ID, "translate")
	nurlan.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", kkTask), nil, nil)
	nurlan.must(http.StatusOK, "PUT", fmt.Sprintf("/v1/tasks/%d/draft", kkTask), map[string]any{
		"segments": []map[string]any{{"index": 2, "text": kazakhWelcome}},
	}, nil)

	// The court moves the hearing.
	var revised struct {
		Version int `json:"version"`
		Targets []struct {
			Lang          string `json:"lang"`
			State         string `json:"state"`
			Round         int    `json:"round"`
			SourceVersion int    `json:"source_version"`
		} `json:"targets"`
	}
	cms.must(http.StatusCreated, "POST", fmt.Sprintf("/v1/documents/%d/revisions", doc.ID), map[string]any{
		"title": noticeTitle, "body": noticeRevisedBody, "base_version": 1,
	}, &revised)
	if revised.Version != 2 {
		t.Fatalf("revision = %+v", revised)
	}
	// The answer comes once every translation is on version 2.
	for _, tg := range revised.Targets {
		if tg.State == "published" || tg.State == "pending" {
			t.Fatalf("after the revision %s is %s", tg.Lang, tg.State)
		}
	}

	// Nurlan's claim is gone, his task cancelled; a new round keeps his
	// draft of the unchanged sentence.
	var old taskDetail
	editor.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", kkTask), nil, &old)
	if old.State != "cancelled" {
		t.Fatalf("the superseded Kazakh task is %s", old.State)
	}
	if r := nurlan.do("PUT", fmt.Sprintf("/v1/tasks/%d/draft", kkTask), map[string]any{
		"segments": []map[string]any{{"index": 1, "text": "x"}},
	}); r.Status != http.StatusConflict && r.Status != http.StatusForbidden {
		t.Fatalf("draft on a superseded task: %d %s", r.Status, r.Body)
	}
	kkRound2 := nurlan.openTask(doc.ID, "translate")
	nurlan.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", kkRound2), nil, nil)
	var kk taskDetail
	nurlan.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", kkRound2), nil, &kk)
	if kk.Round != 2 || len(kk.Segments) != 3 || kk.Segments[2].Draft != kazakhWelcome {
		t.Fatalf("Kazakh round 2 = %+v", kk)
	}
	if got := changedFlags(kk); !slices.Equal(got, []bool{false, true, false}) {
		t.Fatalf("changed flags %v, want the first sentence only", got)
	}

	// The published Uyghur version is still served, marked outdated.
	var pub published
	var outdated struct {
		Outdated bool `json:"outdated"`
	}
	r := portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), nil, &pub)
	r.decode(t, &outdated)
	if pub.Version != 1 || pub.SourceVersion != 1 || !outdated.Outdated || pub.Title != uyghurDraft[0] {
		t.Fatalf("served during the revision: %+v outdated=%v", pub, outdated.Outdated)
	}
	s.eventually("translation.outdated delivered", func() bool {
		return slices.Contains(hook.received(), receivedEvent{Type: "translation.outdated", Lang: "ug"})
	})

	// Uyghur starts over from the published text: the unchanged title
	// and last sentence keep it, the changed one is flagged.
	ugRound2 := aygul.openTask(doc.ID, "translate")
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", ugRound2), nil, nil)
	var ug taskDetail
	aygul.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", ugRound2), nil, &ug)
	if ug.Round != 2 || ug.Segments[0].Draft != uyghurDraft[0] || ug.Segments[2].Draft != uyghurDraft[2] {
		t.Fatalf("Uyghur round 2 = %+v", ug)
	}
	if got := changedFlags(ug); !slices.Equal(got, []bool{false, true, false}) {
		t.Fatalf("changed flags %v", got)
	}
	approved := publish(t, aygul, erkin, ugRound2, []string{uyghurDraft[0], uyghurRevisedDate, uyghurDraft[2]})
	if approved.PublishedVersion != 2 {
		t.Fatalf("revised publication = %+v", approved)
	}
	portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), nil, &pub).decode(t, &outdated)
	if pub.Version != 2 || pub.SourceVersion != 2 || outdated.Outdated || !strings.Contains(pub.Body, "16-كۈنى") {
		t.Fatalf("after the revised publication: %+v outdated=%v", pub, outdated.Outdated)
	}

	// The judgment is taken down. Nurlan's running work is cancelled.
	editor.must(http.StatusOK, "POST", fmt.Sprintf("/v1/documents/%d/withdraw", doc.ID), map[string]any{
		"reason": "当事人申请，涉及个人隐私", "public_reason": "本公告已撤回。/ This notice has been withdrawn.",
	}, nil)
	editor.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", kkRound2), nil, &kk)
	if kk.State != "cancelled" {
		t.Fatalf("Kazakh task after withdrawal: %s", kk.State)
	}
	if r := nurlan.do("POST", fmt.Sprintf("/v1/tasks/%d/submit", kkRound2), nil); r.Status == http.StatusOK {
		t.Fatalf("submit after withdrawal succeeded")
	}
	for _, path := range []string{fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), fmt.Sprintf("/v1/published/%d", doc.ID)} {
		r := portal.do("GET", path, nil)
		if r.Status != http.StatusGone || !contains(r.Body, "This notice has been withdrawn.") || contains(r.Body, uyghurDraft[0], "隐私") {
			t.Fatalf("GET %s after withdrawal: %d %s", path, r.Status, r.Body)
		}
	}
	s.eventually("translation.withdrawn delivered", func() bool {
		return slices.Contains(hook.received(), receivedEvent{Type: "translation.withdrawn", Lang: "ug"})
	})

	// The feed tells the whole story, and no text of a withdrawn
	// document.
	var feed feedPage
	portal.must(http.StatusOK, "GET", "/v1/published?lang=ug", nil, &feed)
	var events []string
	for _, it := range feed.Items {
		events = append(events, fmt.Sprintf("%s v%d", it.Event, it.Version))
		if it.Title != "" || !it.Withdrawn {
			t.Fatalf("feed item of a withdrawn document: %+v", it)
		}
	}
	if want := []string{"published v1", "outdated v1", "published v2", "withdrawn v2"}; !slices.Equal(events, want) {
		t.Fatalf("feed = %v, want %v", events, want)
	}

	// The trail has it all, the withdrawal reason included.
	var trail struct {
		Items []struct {
			Action  string `json:"action"`
			Lang    string `json:"lang"`
			Details string `json:"details"`
		} `json:"items"`
	}
	editor.must(http.StatusOK, "GET", fmt.Sprintf("/v1/audit?document_id=%d", doc.ID), nil, &trail)
	seen := map[string]bool{}
	for _, ev := range trail.Items {
		seen[ev.Lang+" "+ev.Action] = true
		if ev.Action == "document.withdrawn" && !strings.Contains(ev.Details, "涉及个人隐私") {
			t.Fatalf("withdrawal audit details: %s", ev.Details)
		}
	}
	for _, want := range []string{" document.received", " document.revised", "kk-Arab translation.superseded", "kk-Arab translation.revised",
		"ug translation.revised", " document.withdrawn", "kk-Arab translation.withdrawn", "ug suggestion.chosen"} {
		if !seen[want] {
			t.Errorf("audit trail lacks %q; has %v", want, seen)
		}
	}
	var verify struct {
		OK bool `json:"ok"`
	}
	editor.must(http.StatusOK, "GET", "/v1/audit/verify", nil, &verify)
	if !verify.OK {
		t.Fatal("audit chain broken")
	}

	outdatedEvent := fmt.Sprintf("msg_translation_outdated_%d_ug_v1_s2", doc.ID)
	s.recordHistory(models.EventWorkflowID(outdatedEvent), "v3-event-translation-outdated")
	s.recordHistory(models.WebhookDeliveryWorkflowID(outdatedEvent, subscription.ID), "v3-webhook-delivery-translation-outdated")
	s.recordRuns(fmt.Sprintf("translation:%d:kk-Arab", doc.ID), "v3-translation-kk-revised-withdrawn")
	s.recordRuns(fmt.Sprintf("translation:%d:ug", doc.ID), "v3-translation-ug-published-revised")
}

func changedFlags(td taskDetail) []bool {
	var out []bool
	for _, s := range td.Segments {
		out = append(out, s.Changed)
	}
	return out
}

// recordRuns records every run of a workflow, oldest first, as
// name-run1.json, name-run2.json, …; see recordHistory.
func (s *system) recordRuns(workflowID, name string) {
	s.t.Helper()
	if s.recordDir() == "" {
		return
	}
	resp, err := s.tc.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = '%s'", workflowID),
	})
	if err != nil {
		s.t.Fatalf("list runs of %s: %v", workflowID, err)
	}
	runs := resp.Executions
	slices.SortFunc(runs, func(a, b *workflowpb.WorkflowExecutionInfo) int {
		return a.StartTime.AsTime().Compare(b.StartTime.AsTime())
	})
	for i, run := range runs {
		s.recordRun(workflowID, run.Execution.RunId, fmt.Sprintf("%s-run%d", name, i+1))
	}
}
