package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A hearing notice of a Xinjiang court, as a court CMS would send it.
const (
	noticeTitle = "新疆维吾尔自治区乌鲁木齐市中级人民法院开庭公告"
	noticeBody  = "本院定于2024年3月15日上午9时30分在第一法庭公开开庭审理(2023)新01民初45号原告阿不都热合曼·买买提与被告新疆某建筑有限公司建设工程施工合同纠纷一案。\n欢迎旁听。"
)

// Translations of the notice, segment by segment: title, then sentences.
var (
	uyghurDraft = []string{
		"شىنجاڭ ئۇيغۇر ئاپتونوم رايونى ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسىنىڭ سوت ئېچىش ئېلانى",
		"بۇ سوت 2024-يىلى 3-ئاينىڭ 15-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا 1-سوت زالىدا (2023)新01民初45号 دېلونى ئاشكارا سوت ئاچىدۇ.",
		"ئاڭلاشقا خۇش كەلدىڭىز.",
	}
	uyghurRevised  = "بۇ سوت 2024-يىلى 3-ئاينىڭ 15-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا 1-سوت زالىدا (2023)新01民初45号 نومۇرلۇق دېلونى ئاشكارا سوت ئاچىدۇ."
	mongolianDraft = []string{
		"ᠱᠢᠨᠵᠢᠶᠠᠩ ᠤᠶᠢᠭᠤᠷ\u202fᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠤᠨ\u202fᠤ ᠦᠷᠦᠮᠴᠢ ᠬᠣᠲᠠ\u202fᠶᠢᠨ ᠳᠤᠮᠳᠠᠳᠤ ᠱᠡᠭᠦᠨ ᠬᠤᠷᠠᠯ\u202fᠤᠨ ᠱᠡᠭᠦᠨ ᠨᠡᠭᠡᠭᠡᠬᠦ ᠵᠠᠷᠯᠠᠯ",
		"ᠲᠤᠰ ᠱᠡᠭᠦᠨ ᠬᠤᠷᠠᠯ 2024 ᠣᠨ\u202fᠤ 3 ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 15\u202fᠤ ᠡᠳᠦᠷ 9:30 ᠴᠠᠭ\u202fᠲᠤ 1 ᠳᠦᠭᠡᠷ ᠱᠡᠭᠦᠨ ᠲᠢᠩᠬᠢᠮ\u202fᠳᠤ (2023)新01民初45号 ᠬᠡᠷᠡᠭ\u202fᠢ ᠢᠯᠡ ᠪᠡᠷ ᠱᠢᠭᠦᠨ ᠬᠡᠯᠡᠯᠴᠡᠨ\u180eᠡ᠃",
		"ᠴᠢᠩᠨᠠᠯᠭ\u180eᠠ\u202fᠳᠤ ᠪᠠᠶᠠᠷᠯᠠᠨ ᠤᠷᠢᠯᠠᠨ\u180eᠠ᠃",
	}
	// Tibetan text in a Uyghur task: the script check must refuse it.
	tibetanText = "ཁྲིམས་ཁང་གིས་ ༢༠༢༤ ལོའི་ཟླ་ ༣ ཚེས་ ༡༥ ཉིན་ཁྲིམས་ཁང་ཚོགས་རྒྱུ་ཡིན།"
)

type createdDocument struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
	Targets []struct {
		Lang  string `json:"lang"`
		State string `json:"state"`
	} `json:"targets"`
}

type taskList struct {
	Items []struct {
		ID         int64  `json:"id"`
		DocumentID int64  `json:"document_id"`
		Lang       string `json:"lang"`
		Kind       string `json:"kind"`
		State      string `json:"state"`
	} `json:"items"`
}

type action struct {
	TaskID           int64   `json:"task_id"`
	State            string  `json:"state"`
	LeaseExpiresAt   *string `json:"lease_expires_at"`
	NextTaskID       int64   `json:"next_task_id"`
	PublishedVersion int     `json:"published_version"`
}

type published struct {
	DocumentID      int64    `json:"document_id"`
	Lang            string   `json:"lang"`
	Dir             string   `json:"dir"`
	WritingMode     string   `json:"writing_mode"`
	Title           string   `json:"title"`
	Body            string   `json:"body"`
	Version         int      `json:"version"`
	SourceVersion   int      `json:"source_version"`
	Fallback        bool     `json:"fallback"`
	MachineAssisted bool     `json:"machine_assisted"`
	Engines         []string `json:"engines"`
}

// openTask waits until u sees an open task of kind for the document and
// returns its id.
func (u *user) openTask(doc int64, kind string) int64 {
	u.s.t.Helper()
	var id int64
	u.s.eventually(fmt.Sprintf("an open %s task for %s", kind, u.Name), func() bool {
		var list taskList
		u.must(http.StatusOK, "GET", "/v1/tasks?kind="+kind, nil, &list)
		for _, it := range list.Items {
			if it.DocumentID == doc && it.Kind == kind {
				id = it.ID
				return true
			}
		}
		return false
	})
	return id
}

func (u *user) saveDraft(task int64, texts []string) (blocking int) {
	u.s.t.Helper()
	var segs []map[string]any
	for i, text := range texts {
		segs = append(segs, map[string]any{"index": i, "text": text})
	}
	var out struct {
		Blocking int `json:"blocking"`
		QA       []struct {
			Segment   int    `json:"segment"`
			Check     string `json:"check"`
			Severity  string `json:"severity"`
			MessageEN string `json:"message_en"`
		} `json:"qa"`
	}
	u.must(http.StatusOK, "PUT", fmt.Sprintf("/v1/tasks/%d/draft", task), map[string]any{"segments": segs}, &out)
	if out.Blocking > 0 {
		u.s.t.Logf("QA for task %d: %+v", task, out.QA)
	}
	return out.Blocking
}

func TestDocumentFromIntakeToPortal(t *testing.T) {
	s := startSystem(t)
	cms := s.createUser("court-cms", []string{"source"}, nil)
	// aygul translates Uyghur and may review it too: the four-eyes rule
	// must keep her off her own work.
	aygul := s.createUser("aygul", []string{"translator", "reviewer"}, map[string][]string{"translator": {"ug"}, "reviewer": {"ug"}})
	mehmet := s.createUser("mehmet", []string{"translator"}, map[string][]string{"translator": {"uig"}})
	bayar := s.createUser("bayar", []string{"translator"}, map[string][]string{"translator": {"mn-CN"}})
	erkin := s.createUser("erkin", []string{"reviewer"}, map[string][]string{"reviewer": {"ug", "mn-Mong"}})
	portal := s.createUser("court-portal", []string{"portal"}, nil)

	// A court portal subscribes to publications with a webhook.
	hook := newWebhookReceiver(t)
	editor := s.createUser("editor", []string{"editor"}, nil)
	var subscription struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	editor.must(http.StatusCreated, "POST", "/v1/webhooks", map[string]any{
		"url": hook.srv.URL, "events": []string{"translation.published"},
	}, &subscription)
	hook.mu.Lock()
	hook.secret = subscription.Secret
	hook.mu.Unlock()

	// 1. Intake with two targets.
	var doc createdDocument
	cms.must(http.StatusCreated, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-urumqi-2024-hearing-0315", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"kind": "hearing_notice", "title": noticeTitle, "body": noticeBody, "priority": "high",
		"targets": []string{"ug", "mn-Mong"},
	}, &doc)
	if len(doc.Targets) != 2 || doc.Targets[0].Lang != "mn-Mong" || doc.Targets[1].Lang != "ug" {
		t.Fatalf("targets = %+v", doc.Targets)
	}
	// The same request again is the same document.
	var again createdDocument
	cms.must(http.StatusOK, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-urumqi-2024-hearing-0315", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"kind": "hearing_notice", "title": noticeTitle, "body": noticeBody, "priority": "high",
		"targets": []string{"ug", "mn-Mong"},
	}, &again)
	if again.ID != doc.ID {
		t.Fatalf("repeated intake made document %d, want %d", again.ID, doc.ID)
	}

	// 2. Translators see only their own language's task.
	ugTask := aygul.openTask(doc.ID, "translate")
	mnTask := bayar.openTask(doc.ID, "translate")
	var list taskList
	aygul.must(http.StatusOK, "GET", "/v1/tasks", nil, &list)
	for _, it := range list.Items {
		if it.Lang != "ug" {
			t.Errorf("aygul sees a %s task", it.Lang)
		}
	}
	bayar.must(http.StatusOK, "GET", "/v1/tasks", nil, &list)
	for _, it := range list.Items {
		if it.Lang != "mn-Mong" {
			t.Errorf("bayar sees a %s task", it.Lang)
		}
	}
	var claimed action
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", ugTask), nil, &claimed)
	if claimed.State != "claimed" || claimed.LeaseExpiresAt == nil {
		t.Fatalf("claim = %+v", claimed)
	}
	if r := mehmet.do("POST", fmt.Sprintf("/v1/tasks/%d/claim", ugTask), nil); r.Status != http.StatusConflict || r.errorCode(t) != "conflict" {
		t.Fatalf("second claim: %d %s", r.Status, r.Body)
	}
	if r := bayar.do("POST", fmt.Sprintf("/v1/tasks/%d/claim", ugTask), nil); r.Status != http.StatusForbidden {
		t.Fatalf("claim without competence: %d %s", r.Status, r.Body)
	}

	// 7 (before publication). A portal reads nothing unpublished.
	portalSeesNoDraft := func(lang string, drafts ...string) {
		for _, path := range []string{
			fmt.Sprintf("/v1/tasks/%d", ugTask), fmt.Sprintf("/v1/documents/%d", doc.ID), "/v1/tasks",
		} {
			if r := portal.do("GET", path, nil); r.Status != http.StatusForbidden {
				t.Fatalf("portal GET %s: %d %s", path, r.Status, r.Body)
			}
		}
		r := portal.do("GET", fmt.Sprintf("/v1/published/%d?lang=%s", doc.ID, lang), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("portal read before publication: %d %s", r.Status, r.Body)
		}
		var p published
		r.decode(t, &p)
		if !p.Fallback || p.Lang != "zh-Hans" || contains(r.Body, drafts...) {
			t.Fatalf("portal got unpublished text: %s", r.Body)
		}
	}

	// 3. Drafts: Tibetan script in a Uyghur task is refused at submit.
	if blocking := aygul.saveDraft(ugTask, []string{uyghurDraft[0], tibetanText, uyghurDraft[2]}); blocking == 0 {
		t.Fatal("QA let Tibetan script through in a Uyghur draft")
	}
	portalSeesNoDraft("ug", uyghurDraft[0], tibetanText)
	r := aygul.do("POST", fmt.Sprintf("/v1/tasks/%d/submit", ugTask), nil)
	if r.Status != http.StatusUnprocessableEntity || r.errorCode(t) != "unprocessable" || !contains(r.Body, `"issues"`) {
		t.Fatalf("submit with blocking QA: %d %s", r.Status, r.Body)
	}
	if blocking := aygul.saveDraft(ugTask, uyghurDraft); blocking != 0 {
		t.Fatalf("clean Uyghur draft has %d blocking issues", blocking)
	}
	if r := mehmet.do("PUT", fmt.Sprintf("/v1/tasks/%d/draft", ugTask), map[string]any{"segments": []map[string]any{{"index": 1, "text": "x"}}}); r.Status != http.StatusForbidden {
		t.Fatalf("draft by non-claimant: %d %s", r.Status, r.Body)
	}

	// 8. The worker dies; a submit sent meanwhile completes once a new
	// worker is up, and nothing is lost.
	s.killWorker()
	submitted := make(chan response, 1)
	go func() { submitted <- aygul.do("POST", fmt.Sprintf("/v1/tasks/%d/submit", ugTask), nil) }()
	time.Sleep(2 * time.Second)
	s.startWorker()
	r = <-submitted
	var sub action
	if r.Status != http.StatusOK {
		t.Fatalf("submit across a worker restart: %d %s", r.Status, r.Body)
	}
	r.decode(t, &sub)
	if sub.State != "submitted" || sub.NextTaskID == 0 {
		t.Fatalf("submit = %+v", sub)
	}
	ugReview := sub.NextTaskID
	// The hand-over shows in the read model: the translator holds nothing.
	if mine := aygul.mine(); len(mine) != 0 {
		t.Fatalf("after submit aygul still holds %v", mine)
	}

	// 4. Four-eyes: the translator cannot review or approve her own work.
	if r := aygul.do("POST", fmt.Sprintf("/v1/tasks/%d/claim", ugReview), nil); r.Status != http.StatusForbidden || !contains(r.Body, "four-eyes") {
		t.Fatalf("translator claims own review: %d %s", r.Status, r.Body)
	}
	if r := aygul.do("POST", fmt.Sprintf("/v1/tasks/%d/approve", ugReview), nil); r.Status != http.StatusForbidden {
		t.Fatalf("translator approves own work: %d %s", r.Status, r.Body)
	}

	// 5. Reject with a comment, resubmit, approve.
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", ugReview), nil, nil)
	if r := erkin.do("POST", fmt.Sprintf("/v1/tasks/%d/reject", ugReview), map[string]any{"comment": ""}); r.Status != http.StatusBadRequest {
		t.Fatalf("reject without comment: %d %s", r.Status, r.Body)
	}
	var rejected action
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/reject", ugReview), map[string]any{
		"comment":  "请补充案号前的“编号”一词",
		"segments": []map[string]any{{"index": 1, "comment": "نومۇرلۇق دېگەن سۆزنى قوشۇڭ"}},
	}, &rejected)
	if rejected.State != "rejected" || rejected.NextTaskID == 0 {
		t.Fatalf("reject = %+v", rejected)
	}
	round2 := rejected.NextTaskID
	if mine := aygul.mine(); len(mine) != 1 || mine[0] != round2 {
		t.Fatalf("after reject aygul holds %v, want [%d]", mine, round2)
	}
	var task struct {
		State    string `json:"state"`
		Round    int    `json:"round"`
		Dir      string `json:"dir"`
		Comments []struct {
			Comment string `json:"comment"`
		} `json:"comments"`
		Segments []struct {
			Index    int    `json:"index"`
			Source   string `json:"source"`
			Draft    string `json:"draft"`
			Comments []struct {
				Comment string `json:"comment"`
			} `json:"comments"`
		} `json:"segments"`
	}
	aygul.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", round2), nil, &task)
	if task.State != "claimed" || task.Round != 2 || task.Dir != "rtl" || len(task.Comments) != 1 ||
		len(task.Segments) != 3 || task.Segments[1].Draft != uyghurDraft[1] || len(task.Segments[1].Comments) != 1 {
		t.Fatalf("returned task = %+v", task)
	}
	if blocking := aygul.saveDraft(round2, []string{uyghurDraft[0], uyghurRevised, uyghurDraft[2]}); blocking != 0 {
		t.Fatalf("revised draft has %d blocking issues", blocking)
	}
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/submit", round2), nil, &sub)
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", sub.NextTaskID), nil, nil)
	// The reviewer of round 2 sees what round 1 said.
	var review2 struct {
		Segments []struct {
			Draft             string `json:"draft"`
			PreviousRoundText string `json:"previous_round_text"`
		} `json:"segments"`
	}
	erkin.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", sub.NextTaskID), nil, &review2)
	if review2.Segments[1].Draft != uyghurRevised || review2.Segments[1].PreviousRoundText != uyghurDraft[1] {
		t.Fatalf("round 2 review segment 1 = %+v", review2.Segments[1])
	}
	var approved action
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/approve", sub.NextTaskID), nil, &approved)
	if approved.State != "approved" || approved.PublishedVersion != 1 {
		t.Fatalf("approve = %+v", approved)
	}

	// The Mongolian translation goes through in one round.
	bayar.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", mnTask), nil, nil)
	if blocking := bayar.saveDraft(mnTask, mongolianDraft); blocking != 0 {
		t.Fatalf("Mongolian draft has %d blocking issues", blocking)
	}
	portalSeesNoDraft("mn-Mong", mongolianDraft...)
	bayar.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/submit", mnTask), nil, &sub)
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", sub.NextTaskID), nil, nil)
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/approve", sub.NextTaskID), nil, &approved)

	// 6. Portals read the versions with direction and writing mode.
	var ug published
	r = portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), nil, &ug)
	if ug.Lang != "ug" || ug.Dir != "rtl" || ug.WritingMode != "horizontal-tb" || ug.Version != 1 ||
		ug.Title != uyghurDraft[0] || !strings.Contains(ug.Body, uyghurRevised) || !strings.Contains(ug.Body, uyghurDraft[2]) {
		t.Fatalf("Uyghur version = %+v", ug)
	}
	etag := r.Header.Get("ETag")
	if etag == "" || r.Header.Get("Content-Language") != "ug" || !strings.Contains(r.Header.Get("Vary"), "Accept-Language") {
		t.Fatalf("headers = %v", r.Header)
	}
	if r := portal.do("GET", fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), nil, "If-None-Match", etag); r.Status != http.StatusNotModified || len(r.Body) != 0 {
		t.Fatalf("If-None-Match: %d %s", r.Status, r.Body)
	}
	var mn published
	r = portal.do("GET", fmt.Sprintf("/v1/published/%d", doc.ID), nil, "Accept-Language", "mn-Mong, zh;q=0.5")
	r.decode(t, &mn)
	if mn.Lang != "mn-Mong" || mn.WritingMode != "vertical-lr" || mn.Dir != "ltr" || mn.Title != mongolianDraft[0] {
		t.Fatalf("Mongolian version = %+v", mn)
	}
	// Bare "mn" means Cyrillic to x/text; our readers get the traditional script.
	r = portal.do("GET", fmt.Sprintf("/v1/published/%d", doc.ID), nil, "Accept-Language", "mn")
	r.decode(t, &mn)
	if mn.Lang != "mn-Mong" || mn.WritingMode != "vertical-lr" {
		t.Fatalf("Accept-Language: mn got %+v", mn)
	}

	// The feed lists both, and the document's workflow is complete.
	var feed struct {
		Items []struct {
			DocumentID int64  `json:"document_id"`
			Lang       string `json:"lang"`
			Version    int    `json:"version"`
			ETag       string `json:"etag"`
		} `json:"items"`
	}
	portal.must(http.StatusOK, "GET", "/v1/published", nil, &feed)
	if len(feed.Items) != 2 {
		t.Fatalf("feed = %+v", feed)
	}
	s.eventually("both languages published", func() bool {
		var d struct {
			Targets []struct {
				State            string `json:"state"`
				PublishedVersion int    `json:"published_version"`
			} `json:"targets"`
		}
		editor.must(http.StatusOK, "GET", fmt.Sprintf("/v1/documents/%d", doc.ID), nil, &d)
		return len(d.Targets) == 2 && d.Targets[0].State == "published" && d.Targets[1].State == "published"
	})
	run := s.tc.GetWorkflow(t.Context(), fmt.Sprintf("document:%d", doc.ID), "")
	var result struct {
		Translations []struct{ Lang, State string }
	}
	if err := run.Get(t.Context(), &result); err != nil || len(result.Translations) != 2 {
		t.Fatalf("document workflow: %v %+v", err, result)
	}
	// Each publication reached the portal's webhook, signed, exactly once
	// per webhook-id as far as the receiver is concerned.
	s.eventually("two signed webhook deliveries", func() bool { return len(hook.received()) == 2 })
	langs := map[string]bool{}
	for _, ev := range hook.received() {
		langs[ev.Lang] = true
	}
	if !langs["ug"] || !langs["mn-Mong"] {
		t.Fatalf("webhook events = %+v", hook.received())
	}

	// Every step is on record, hash-chained; the published content's hash
	// is in the chain.
	var trail struct {
		Items []struct {
			ID          int64  `json:"id"`
			Action      string `json:"action"`
			Actor       string `json:"actor"`
			Lang        string `json:"lang"`
			ContentHash string `json:"content_hash"`
		} `json:"items"`
	}
	editor.must(http.StatusOK, "GET", fmt.Sprintf("/v1/audit?document_id=%d", doc.ID), nil, &trail)
	actions := map[string]int{}
	var claimID int64
	for _, ev := range trail.Items {
		actions[ev.Lang+" "+ev.Action]++
		if ev.Action == "task.claimed" && ev.Actor == "aygul" && claimID == 0 {
			claimID = ev.ID
		}
		if ev.Action == "translation.published" && ev.ContentHash == "" {
			t.Errorf("publication without content hash: %+v", ev)
		}
	}
	if actions["ug task.rejected"] != 1 || actions["ug translation.published"] != 1 || actions["ug task.submitted"] != 2 ||
		actions["mn-Mong translation.published"] != 1 || claimID == 0 {
		t.Fatalf("audit trail = %v", actions)
	}
	var verified struct {
		OK       bool  `json:"ok"`
		Checked  int   `json:"checked"`
		BrokenAt int64 `json:"broken_at"`
	}
	editor.must(http.StatusOK, "GET", "/v1/audit/verify", nil, &verified)
	if !verified.OK || verified.Checked < len(trail.Items) {
		t.Fatalf("verify = %+v", verified)
	}
	// Someone rewrites history directly in the database; the chain shows it.
	s.exec("UPDATE audit_events SET actor = 'mallory' WHERE id = ?", claimID)
	editor.must(http.StatusOK, "GET", "/v1/audit/verify", nil, &verified)
	if verified.OK || verified.BrokenAt != claimID {
		t.Fatalf("verify after tampering = %+v, want broken at %d", verified, claimID)
	}

	// Histories of this code version; older recordings stay in testdata
	// so that their replay keeps proving the version guards.
	s.recordHistory(fmt.Sprintf("document:%d", doc.ID), "v2-document")
	s.recordHistory(fmt.Sprintf("translation:%d:ug", doc.ID), "v2-translation-ug-reject-loop-worker-restart")
	s.recordHistory(fmt.Sprintf("translation:%d:mn-Mong", doc.ID), "v2-translation-mn-mong")

	// Late actions on a finished translation are conflicts, not errors.
	if r := erkin.do("POST", fmt.Sprintf("/v1/tasks/%d/approve", sub.NextTaskID), nil); r.Status != http.StatusConflict {
		t.Fatalf("approve after publication: %d %s", r.Status, r.Body)
	}

	// Public feedback (item 30): a reader reports an error without a token;
	// an editor opens a correction; the corrected version answers it.
	reader := &user{s: s, Name: "reader"}
	var fb struct {
		ID int64 `json:"id"`
	}
	reader.must(http.StatusAccepted, "POST", fmt.Sprintf("/v1/published/%d/ug/feedback", doc.ID), map[string]any{
		"text": "ئاخىرقى جۈملىدە خاتالىق بار.", "contact": "reader@example.org",
	}, &fb)
	editor.must(http.StatusOK, "POST", fmt.Sprintf("/v1/feedback/%d/correct", fb.ID), map[string]any{"answer": "已安排更正。"}, nil)
	correction := aygul.openTask(doc.ID, "translate")
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", correction), nil, nil)
	var prefilled struct {
		Round    int `json:"round"`
		Segments []struct {
			Draft string `json:"draft"`
		} `json:"segments"`
	}
	aygul.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", correction), nil, &prefilled)
	if prefilled.Round != 3 || prefilled.Segments[1].Draft != uyghurRevised {
		t.Fatalf("correction task = %+v", prefilled)
	}
	corrected := "ئاڭلاشقا خۇش كەلدىڭىز!"
	if blocking := aygul.saveDraft(correction, []string{uyghurDraft[0], uyghurRevised, corrected}); blocking != 0 {
		t.Fatalf("correction has %d blocking issues", blocking)
	}
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/submit", correction), nil, &sub)
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", sub.NextTaskID), nil, nil)
	erkin.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/approve", sub.NextTaskID), nil, &approved)
	if approved.PublishedVersion != 2 {
		t.Fatalf("correction published %+v", approved)
	}
	portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID), nil, &ug)
	if ug.Version != 2 || !strings.HasSuffix(ug.Body, corrected) {
		t.Fatalf("corrected version = %+v", ug)
	}
	var answers struct {
		Items []struct {
			Answer            string `json:"answer"`
			CorrectionVersion int    `json:"correction_version"`
			Contact           string `json:"contact"`
		} `json:"items"`
	}
	reader.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d/ug/feedback", doc.ID), nil, &answers)
	if len(answers.Items) != 1 || answers.Items[0].Answer != "已安排更正。" || answers.Items[0].CorrectionVersion != 2 || answers.Items[0].Contact != "" {
		t.Fatalf("public answers = %+v", answers)
	}

	// Machine assist: the next notice of the court reuses the approved
	// title from the memory and shows the court's name from the termbase.
	var entry struct {
		TargetLang string `json:"target_lang"`
	}
	editor.must(http.StatusCreated, "POST", "/v1/glossary", map[string]any{
		"target_lang": "uig", "term": "乌鲁木齐市中级人民法院", "translation": "ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسى",
		"domain": "court_names", "source_ref": "法〔2021〕184号",
	}, &entry)
	if entry.TargetLang != "ug" {
		t.Fatalf("glossary entry stored for %q", entry.TargetLang)
	}
	var next createdDocument
	cms.must(http.StatusCreated, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-urumqi-2024-hearing-0422", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"kind": "hearing_notice", "title": noticeTitle, "body": "本院定于2024年4月22日公开开庭审理(2024)新01民初7号案件。\n欢迎旁听。",
		"targets": []string{"ug"},
	}, &next)
	nextTask := mehmet.openTask(next.ID, "translate")
	mehmet.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", nextTask), nil, nil)
	var assisted struct {
		Segments []struct {
			Draft       string `json:"draft"`
			Origin      string `json:"origin"`
			Suggestions []struct {
				Origin string `json:"origin"`
				Score  int    `json:"score"`
				Text   string `json:"text"`
			} `json:"suggestions"`
			Glossary []struct {
				Term, Translation string
			} `json:"glossary"`
		} `json:"segments"`
	}
	mehmet.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", nextTask), nil, &assisted)
	title := assisted.Segments[0]
	if len(title.Suggestions) != 1 || title.Suggestions[0].Origin != "tm-exact" || title.Suggestions[0].Score != 100 ||
		title.Suggestions[0].Text != uyghurDraft[0] || title.Draft != uyghurDraft[0] || title.Origin != "tm-exact" {
		t.Fatalf("title segment = %+v", title)
	}
	if len(title.Glossary) != 1 || title.Glossary[0].Term != "乌鲁木齐市中级人民法院" {
		t.Fatalf("glossary hits = %+v", title.Glossary)
	}
	// The closing sentence was approved twice; the correction comes first.
	if last := assisted.Segments[2]; len(last.Suggestions) != 2 || last.Suggestions[0].Text != corrected || last.Suggestions[1].Text != uyghurDraft[2] {
		t.Fatalf("closing sentence = %+v", last)
	}
	if len(assisted.Segments[1].Suggestions) != 0 || assisted.Segments[1].Draft != "" {
		t.Fatalf("a new sentence got %+v", assisted.Segments[1])
	}
}

// mine lists the ids of the tasks u holds.
func (u *user) mine() []int64 {
	u.s.t.Helper()
	var list taskList
	u.must(http.StatusOK, "GET", "/v1/tasks?state=mine", nil, &list)
	var ids []int64
	for _, it := range list.Items {
		ids = append(ids, it.ID)
	}
	return ids
}
