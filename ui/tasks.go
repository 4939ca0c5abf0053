package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
)

// The API's task shapes, as the workbench reads them.
type (
	taskItem struct {
		ID             int64      `json:"id"`
		DocumentID     int64      `json:"document_id"`
		ExternalID     string     `json:"external_id"`
		Title          string     `json:"title"`
		Court          string     `json:"court"`
		DocumentKind   string     `json:"document_kind"`
		Lang           string     `json:"lang"`
		Kind           string     `json:"kind"`
		State          string     `json:"state"`
		Round          int        `json:"round"`
		Priority       string     `json:"priority"`
		Deadline       time.Time  `json:"deadline"`
		Overdue        bool       `json:"overdue"`
		Escalated      bool       `json:"escalated"`
		LeaseExpiresAt *time.Time `json:"lease_expires_at"`
	}
	taskDetail struct {
		ID             int64      `json:"id"`
		DocumentID     int64      `json:"document_id"`
		Lang           string     `json:"lang"`
		Kind           string     `json:"kind"`
		State          string     `json:"state"`
		Round          int        `json:"round"`
		Priority       string     `json:"priority"`
		Deadline       time.Time  `json:"deadline"`
		LeaseExpiresAt *time.Time `json:"lease_expires_at"`
		Segments       []segment  `json:"segments"`
		QA             []issue    `json:"qa"`
		Comments       []comment  `json:"comments"`
	}
	segment struct {
		Index             int           `json:"index"`
		Source            string        `json:"source"`
		Draft             string        `json:"draft"`
		Origin            string        `json:"origin"`
		Changed           bool          `json:"changed"`
		PreviousRoundText string        `json:"previous_round_text"`
		Suggestions       []suggestion  `json:"suggestions"`
		Glossary          []glossaryHit `json:"glossary"`
		QA                []issue       `json:"qa"`
		Comments          []comment     `json:"comments"`
	}
	suggestion struct {
		Origin string `json:"origin"`
		Score  int    `json:"score"`
		Text   string `json:"text"`
	}
	glossaryHit struct {
		Term        string `json:"term"`
		Translation string `json:"translation"`
		Status      string `json:"status"`
		SourceRef   string `json:"source_ref"`
		Start       int    `json:"start"`
		End         int    `json:"end"`
	}
	comment struct {
		Round     int       `json:"round"`
		Index     *int      `json:"index"`
		Comment   string    `json:"comment"`
		CreatedAt time.Time `json:"created_at"`
	}
	actionResult struct {
		TaskID           int64      `json:"task_id"`
		State            string     `json:"state"`
		LeaseExpiresAt   *time.Time `json:"lease_expires_at"`
		NextTaskID       int64      `json:"next_task_id"`
		PublishedVersion int        `json:"published_version"`
	}
)

// taskListView is the task list page.
type taskListView struct {
	Mine, Open []taskItem
	Lang, Kind string // the filter
	Kinds      []string
}

// taskList shows the caller's tasks and the open ones, filtered by
// language and kind, overdue first (the API's order).
func (u *UI) taskList(c *gin.Context) {
	s := sessionOf(c)
	v := taskListView{Lang: c.Query("lang"), Kind: c.Query("kind"), Kinds: []string{"translate", "review"}}
	q := url.Values{}
	if v.Lang != "" {
		q.Set("lang", v.Lang)
	}
	if v.Kind != "" {
		q.Set("kind", v.Kind)
	}
	var mine, open struct {
		Items []taskItem `json:"items"`
	}
	q.Set("state", "mine")
	if err := u.call(c.Request.Context(), s.Token, apiCall{Method: http.MethodGet, Path: "/v1/tasks?" + q.Encode()}, &mine); err != nil {
		u.failed(c, err)
		return
	}
	q.Set("state", "open")
	if err := u.call(c.Request.Context(), s.Token, apiCall{Method: http.MethodGet, Path: "/v1/tasks?" + q.Encode()}, &open); err != nil {
		u.failed(c, err)
		return
	}
	v.Mine, v.Open = mine.Items, open.Items
	u.render(c, http.StatusOK, "tasks", "tasks.title", "tasks", v)
}

// claim takes a task from the list. Losing the race to someone else is an
// everyday event, not an error: the list says so and shows what is left.
func (u *UI) claim(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	const back = "/ui/tasks"
	err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/tasks/%d/claim", id)}, nil)
	switch statusOf(err) {
	case 0:
		if err != nil {
			u.failed(c, err)
			return
		}
		u.redirectWith(c, fmt.Sprintf("/ui/tasks/%d", id), flash{Kind: "success", Key: "flash.claimed"})
	case http.StatusConflict:
		u.redirectWith(c, back, flash{Kind: "warning", Key: "flash.claim_lost"})
	case http.StatusForbidden:
		u.redirectWith(c, back, flash{Kind: "error", Key: "flash.claim_forbidden", Args: []string{apiMessage(err)}})
	case http.StatusNotFound:
		u.redirectWith(c, back, flash{Kind: "warning", Key: "flash.task_gone"})
	default:
		u.failed(c, err)
	}
}

func taskID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

// taskView is the translate and review pages.
type taskView struct {
	Task      taskDetail
	Info      *taskItem // title, court and kind, when the caller holds the task
	Held      bool      // the caller holds it, so it can be worked on
	Language  lang.Language
	Segments  []segmentView
	Comments  []comment // on the whole translation, from earlier rounds
	Blocking  []issue   // why the last submit was refused
	Error     string    // catalogue key of a form error
	Idem      string    // makes a repeated submission the same Update
	Rejection string    // what the reviewer had typed, kept on a form error
}

type segmentView struct {
	segment
	Num        int
	SourceHTML template.HTML
	Blocking   bool
	Machine    *diffView // against the best machine suggestion
	Previous   *diffView // against the previous round
	Remark     string    // the reviewer's draft comment, kept on a form error
}

type diffView struct {
	Label   string
	HTML    template.HTML
	Changed bool
}

// loadTask reads a task and whether the caller holds it; the task list
// item adds the document's title, court and kind.
func (u *UI) loadTask(c *gin.Context, id int64) (*taskView, error) {
	s := sessionOf(c)
	var t taskDetail
	if err := u.call(c.Request.Context(), s.Token, apiCall{Method: http.MethodGet, Path: fmt.Sprintf("/v1/tasks/%d", id)}, &t); err != nil {
		return nil, err
	}
	v := &taskView{Task: t, Idem: randomToken()}
	v.Language, _ = u.langs.Lookup(t.Lang)
	var mine struct {
		Items []taskItem `json:"items"`
	}
	if err := u.call(c.Request.Context(), s.Token, apiCall{Method: http.MethodGet, Path: "/v1/tasks?state=mine&limit=500"}, &mine); err == nil {
		for i := range mine.Items {
			if mine.Items[i].ID == t.ID {
				v.Info, v.Held = &mine.Items[i], true
			}
		}
	}
	v.Comments = t.Comments
	return v, nil
}

// prepare builds the per-segment view: glossary marks in the source, and
// on the review page the differences to mark.
func (u *UI) prepare(l *locale, v *taskView) {
	unit := unitFor(v.Language.Script)
	blocking := map[int]bool{}
	for _, is := range v.Task.QA {
		if is.Severity == "blocking" {
			blocking[is.Segment] = true
		}
	}
	v.Segments = make([]segmentView, 0, len(v.Task.Segments))
	for _, seg := range v.Task.Segments {
		sv := segmentView{segment: seg, Num: seg.Index + 1, SourceHTML: markTerms(seg.Source, seg.Glossary), Blocking: blocking[seg.Index]}
		if v.Task.Kind == "review" {
			if best := bestSuggestion(seg.Suggestions); best != nil {
				ops := diffText(best.Text, seg.Draft, unit)
				sv.Machine = &diffView{Label: originLabel(l, best.Origin, best.Score), HTML: diffHTML(ops), Changed: changed(ops)}
			}
			if v.Task.Round > 1 && seg.PreviousRoundText != "" {
				ops := diffText(seg.PreviousRoundText, seg.Draft, unit)
				sv.Previous = &diffView{Label: l.T("review.round", v.Task.Round-1), HTML: diffHTML(ops), Changed: changed(ops)}
			}
		}
		v.Segments = append(v.Segments, sv)
	}
}

// bestSuggestion is the machine suggestion a reviewer compares with: the
// highest-scored one that a person did not write.
func bestSuggestion(sugs []suggestion) *suggestion {
	var best *suggestion
	for i := range sugs {
		if sugs[i].Origin == "human" {
			continue
		}
		if best == nil || sugs[i].Score > best.Score {
			best = &sugs[i]
		}
	}
	return best
}

// markTerms highlights the glossary terms in a source segment. The hits'
// offsets are bytes; overlapping or broken ones are skipped, not trusted.
func markTerms(source string, hits []glossaryHit) template.HTML {
	sorted := append([]glossaryHit(nil), hits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var b strings.Builder
	pos := 0
	for _, h := range sorted {
		if h.Start < pos || !validRange(source, h.Start, h.End) {
			continue
		}
		b.WriteString(html.EscapeString(source[pos:h.Start]))
		class := "term"
		if h.Status == "forbidden" {
			class += " forbidden"
		}
		fmt.Fprintf(&b, `<mark class="%s" title="%s">%s</mark>`, class, html.EscapeString(h.Translation), html.EscapeString(source[h.Start:h.End]))
		pos = h.End
	}
	b.WriteString(html.EscapeString(source[pos:]))
	return template.HTML(b.String()) // every piece is escaped above
}

// taskPage shows a translate task as the editing grid and a review task
// side by side with its differences.
func (u *UI) taskPage(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	v, err := u.loadTask(c, id)
	if err != nil {
		if statusOf(err) == http.StatusForbidden {
			u.errorPage(c, http.StatusForbidden, "error.not_claimant", apiMessage(err))
			return
		}
		u.failed(c, err)
		return
	}
	u.showTask(c, http.StatusOK, v)
}

func (u *UI) showTask(c *gin.Context, status int, v *taskView) {
	u.prepare(localeOf(c), v)
	if v.Task.Kind == "review" {
		u.render(c, status, "review", "review.title", "tasks", v)
		return
	}
	u.render(c, status, "translate", "translate.title", "tasks", v)
}

// draftRequest is what the page's script sends to autosave.
type draftRequest struct {
	Segments []draftSegment `json:"segments"`
	Renew    bool           `json:"renew"`
}

type draftSegment struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
}

// autosave stores drafts for the page's script and answers with fresh QA,
// in the interface language, and the lease, which it renews when asked.
func (u *UI) autosave(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.jsonError(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	var req draftRequest
	if err := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 4<<20)).Decode(&req); err != nil || req.Segments == nil {
		u.jsonError(c, http.StatusBadRequest, "error.invalid", "")
		return
	}
	token := sessionOf(c).Token
	ctx := c.Request.Context()
	var saved struct {
		Blocking int     `json:"blocking"`
		QA       []issue `json:"qa"`
	}
	if err := u.call(ctx, token, apiCall{Method: http.MethodPut, Path: fmt.Sprintf("/v1/tasks/%d/draft", id),
		Body: map[string]any{"segments": req.Segments}}, &saved); err != nil {
		u.jsonFailed(c, err)
		return
	}
	l := localeOf(c)
	out := gin.H{"blocking": saved.Blocking, "qa": localIssues(l, saved.QA)}
	if req.Renew {
		var renewed actionResult
		if err := u.call(ctx, token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/tasks/%d/renew", id)}, &renewed); err != nil {
			u.jsonFailed(c, err)
			return
		}
		if renewed.LeaseExpiresAt != nil {
			out["lease"] = renewed.LeaseExpiresAt.In(chinaTime).Format("2006-01-02 15:04")
		}
	}
	c.JSON(http.StatusOK, out)
}

type localIssue struct {
	Segment  int    `json:"segment"`
	Severity string `json:"severity"`
	Label    string `json:"label"`
	Message  string `json:"message"`
}

func localIssues(l *locale, issues []issue) []localIssue {
	out := make([]localIssue, 0, len(issues))
	for _, is := range issues {
		out = append(out, localIssue{Segment: is.Segment, Severity: is.Severity, Label: l.T("severity." + is.Severity), Message: issueText(l, is)})
	}
	return out
}

// formDrafts reads the grid's textareas, named seg-<index>, from a form.
func formDrafts(c *gin.Context) []draftSegment {
	if err := c.Request.ParseForm(); err != nil {
		return nil
	}
	var out []draftSegment
	for name, values := range c.Request.PostForm {
		idx, ok := strings.CutPrefix(name, "seg-")
		if !ok || len(values) == 0 {
			continue
		}
		if i, err := strconv.Atoi(idx); err == nil && i >= 0 {
			out = append(out, draftSegment{Index: i, Text: values[0]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// submit saves the grid as it stands and submits it. Blocking QA issues
// come back as a 422 from the API: the page shows them, and nothing is
// submitted.
func (u *UI) submit(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	token := sessionOf(c).Token
	ctx := c.Request.Context()
	if drafts := formDrafts(c); len(drafts) > 0 {
		if err := u.call(ctx, token, apiCall{Method: http.MethodPut, Path: fmt.Sprintf("/v1/tasks/%d/draft", id),
			Body: map[string]any{"segments": drafts}}, nil); err != nil {
			u.failed(c, err)
			return
		}
	}
	var res actionResult
	err := u.call(ctx, token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/tasks/%d/submit", id),
		IdempotencyKey: idempotencyKey(c, "submit", id)}, &res)
	if statusOf(err) == http.StatusUnprocessableEntity {
		v, lerr := u.loadTask(c, id)
		if lerr != nil {
			u.failed(c, lerr)
			return
		}
		var details struct {
			Issues []issue `json:"issues"`
		}
		var e *apiError
		if errors.As(err, &e) {
			_ = json.Unmarshal(e.Details, &details)
		}
		v.Blocking = details.Issues
		u.showTask(c, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		u.failed(c, err)
		return
	}
	u.redirectWith(c, "/ui/tasks", flash{Kind: "success", Key: "flash.submitted"})
}

// idempotencyKey ties a form's Update to the form: submitting the same page
// twice (a double click, a resent POST) is one Update in the workflow.
func idempotencyKey(c *gin.Context, action string, id int64) string {
	idem := c.PostForm("idem")
	if idem == "" || len(idem) > 64 {
		return ""
	}
	return fmt.Sprintf("ui:%s:%d:%s", action, id, idem)
}

func (u *UI) release(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	if err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/tasks/%d/release", id)}, nil); err != nil {
		u.failed(c, err)
		return
	}
	u.redirectWith(c, "/ui/tasks", flash{Kind: "success", Key: "flash.released"})
}

func (u *UI) approve(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	var res actionResult
	if err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/tasks/%d/approve", id),
		IdempotencyKey: idempotencyKey(c, "approve", id)}, &res); err != nil {
		u.failed(c, err)
		return
	}
	u.redirectWith(c, "/ui/tasks", flash{Kind: "success", Key: "flash.approved", Args: []string{strconv.Itoa(res.PublishedVersion)}})
}

// reject sends the translation back with the reviewer's comment, which is
// required, and the comments on single segments (fields comment-<index>).
func (u *UI) reject(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		u.errorPage(c, http.StatusBadRequest, "error.invalid", "")
		return
	}
	overall := strings.TrimSpace(c.PostForm("comment"))
	type segmentComment struct {
		Index   int    `json:"index"`
		Comment string `json:"comment"`
	}
	remarks := map[int]string{}
	var segs []segmentComment
	for name, values := range c.Request.PostForm {
		idx, ok := strings.CutPrefix(name, "comment-")
		if !ok || len(values) == 0 || strings.TrimSpace(values[0]) == "" {
			continue
		}
		if i, err := strconv.Atoi(idx); err == nil && i >= 0 {
			segs = append(segs, segmentComment{Index: i, Comment: strings.TrimSpace(values[0])})
			remarks[i] = values[0]
		}
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].Index < segs[j].Index })
	if overall == "" {
		// Checked here too, so the reviewer's segment comments survive on
		// the page instead of an error from the API.
		v, err := u.loadTask(c, id)
		if err != nil {
			u.failed(c, err)
			return
		}
		v.Error = "review.comment_required"
		u.prepare(localeOf(c), v)
		for i := range v.Segments {
			v.Segments[i].Remark = remarks[v.Segments[i].Index]
		}
		u.render(c, http.StatusBadRequest, "review", "review.title", "tasks", v)
		return
	}
	body := map[string]any{"comment": overall}
	if segs != nil {
		body["segments"] = segs
	}
	if err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/tasks/%d/reject", id),
		Body: body, IdempotencyKey: idempotencyKey(c, "reject", id)}, nil); err != nil {
		u.failed(c, err)
		return
	}
	u.redirectWith(c, "/ui/tasks", flash{Kind: "success", Key: "flash.rejected"})
}
