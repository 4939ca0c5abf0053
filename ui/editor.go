package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// The API's document shapes.
type (
	documentItem struct {
		ID         int64         `json:"id"`
		ExternalID string        `json:"external_id"`
		Court      string        `json:"court"`
		Kind       string        `json:"kind"`
		Priority   string        `json:"priority"`
		Profile    string        `json:"profile"`
		SourceLang string        `json:"source_lang"`
		Version    int           `json:"version"`
		Title      string        `json:"title"`
		Deadline   time.Time     `json:"deadline"`
		CreatedAt  time.Time     `json:"created_at"`
		Targets    []targetState `json:"targets"`
		Withdrawal *withdrawal   `json:"withdrawal"`
	}
	targetState struct {
		Lang             string    `json:"lang"`
		State            string    `json:"state"`
		TaskID           *int64    `json:"task_id"`
		Round            int       `json:"round"`
		Deadline         time.Time `json:"deadline"`
		Overdue          bool      `json:"overdue"`
		PublishedVersion int       `json:"published_version"`
	}
	withdrawal struct {
		At           time.Time `json:"at"`
		Reason       string    `json:"reason"`
		PublicReason string    `json:"public_reason"`
	}
	feedbackItem struct {
		ID                int64      `json:"id"`
		DocumentID        int64      `json:"document_id"`
		Lang              string     `json:"lang"`
		Version           int        `json:"version"`
		Text              string     `json:"text"`
		Contact           string     `json:"contact"`
		Status            string     `json:"status"`
		Answer            string     `json:"answer"`
		AnsweredAt        *time.Time `json:"answered_at"`
		CorrectionVersion int        `json:"correction_version"`
		CreatedAt         time.Time  `json:"created_at"`
	}
)

type documentListView struct {
	Items []documentItem
	Court string
	Kind  string
	Next  string // the next page's URL, "" on the last
}

// documentList shows documents with the state of each language.
func (u *UI) documentList(c *gin.Context) {
	q := url.Values{"limit": {"50"}}
	for _, k := range []string{"court", "kind", "cursor"} {
		if v := c.Query(k); v != "" {
			q.Set(k, v)
		}
	}
	var out struct {
		Items      []documentItem `json:"items"`
		NextCursor string         `json:"next_cursor"`
	}
	if err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodGet, Path: "/v1/documents?" + q.Encode()}, &out); err != nil {
		u.failed(c, err)
		return
	}
	v := documentListView{Items: out.Items, Court: c.Query("court"), Kind: c.Query("kind")}
	if out.NextCursor != "" {
		q.Set("cursor", out.NextCursor)
		q.Del("limit")
		v.Next = "/ui/documents?" + q.Encode()
	}
	u.render(c, http.StatusOK, "documents", "documents.title", "documents", v)
}

type documentView struct {
	Doc   documentItem
	Error string // catalogue key of a form error
}

func (u *UI) documentPage(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	var doc documentItem
	if err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodGet, Path: fmt.Sprintf("/v1/documents/%d", id)}, &doc); err != nil {
		u.failed(c, err)
		return
	}
	u.render(c, http.StatusOK, "document", "document.title", "documents", documentView{Doc: doc})
}

// withdraw takes a document down; both reasons are required, and the
// form must be confirmed.
func (u *UI) withdraw(c *gin.Context) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	reason, public := strings.TrimSpace(c.PostForm("reason")), strings.TrimSpace(c.PostForm("public_reason"))
	token := sessionOf(c).Token
	if reason == "" || public == "" || c.PostForm("confirm") != "yes" {
		var doc documentItem
		if err := u.call(c.Request.Context(), token, apiCall{Method: http.MethodGet, Path: fmt.Sprintf("/v1/documents/%d", id)}, &doc); err != nil {
			u.failed(c, err)
			return
		}
		u.render(c, http.StatusBadRequest, "document", "document.title", "documents", documentView{Doc: doc, Error: "withdraw.required"})
		return
	}
	if err := u.call(c.Request.Context(), token, apiCall{Method: http.MethodPost, Path: fmt.Sprintf("/v1/documents/%d/withdraw", id),
		Body: map[string]string{"reason": reason, "public_reason": public}}, nil); err != nil {
		u.failed(c, err)
		return
	}
	u.redirectWith(c, fmt.Sprintf("/ui/documents/%d", id), flash{Kind: "success", Key: "flash.withdrawn"})
}

type attentionView struct {
	Tasks   []taskItem    // open tasks that are overdue or escalated
	Overdue []overdueItem // translations past their deadline
}

type overdueItem struct {
	Doc    documentItem
	Target targetState
}

// attention lists what editors must act on: open tasks that are overdue or
// were escalated for sitting unclaimed, and every overdue translation.
func (u *UI) attention(c *gin.Context) {
	token := sessionOf(c).Token
	ctx := c.Request.Context()
	var tasks struct {
		Items []taskItem `json:"items"`
	}
	if err := u.call(ctx, token, apiCall{Method: http.MethodGet, Path: "/v1/tasks?state=open&limit=500"}, &tasks); err != nil {
		u.failed(c, err)
		return
	}
	var v attentionView
	for _, t := range tasks.Items {
		if t.Overdue || t.Escalated {
			v.Tasks = append(v.Tasks, t)
		}
	}
	var docs struct {
		Items []documentItem `json:"items"`
	}
	if err := u.call(ctx, token, apiCall{Method: http.MethodGet, Path: "/v1/documents?limit=500"}, &docs); err != nil {
		u.failed(c, err)
		return
	}
	for _, d := range docs.Items {
		if d.Withdrawal != nil {
			continue
		}
		for _, t := range d.Targets {
			if t.Overdue {
				v.Overdue = append(v.Overdue, overdueItem{Doc: d, Target: t})
			}
		}
	}
	u.render(c, http.StatusOK, "attention", "attention.title", "attention", v)
}

type feedbackView struct {
	Items  []feedbackItem
	Status string
	Next   string
}

// feedbackInbox lists the public's feedback, open items first.
func (u *UI) feedbackInbox(c *gin.Context) {
	status := c.DefaultQuery("status", "open")
	q := url.Values{"status": {status}}
	if cur := c.Query("cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	var out struct {
		Items      []feedbackItem `json:"items"`
		NextCursor string         `json:"next_cursor"`
	}
	if err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodGet, Path: "/v1/feedback?" + q.Encode()}, &out); err != nil {
		u.failed(c, err)
		return
	}
	v := feedbackView{Items: out.Items, Status: status}
	if out.NextCursor != "" {
		q.Set("cursor", out.NextCursor)
		v.Next = "/ui/feedback?" + q.Encode()
	}
	u.render(c, http.StatusOK, "feedback", "feedback.title", "feedback", v)
}

func (u *UI) dismissFeedback(c *gin.Context) {
	u.answerFeedback(c, "dismiss", "flash.feedback_dismissed")
}
func (u *UI) correctFeedback(c *gin.Context) {
	u.answerFeedback(c, "correct", "flash.feedback_correcting")
}

// answerFeedback dismisses with an answer (which the API requires) or
// opens a correction.
func (u *UI) answerFeedback(c *gin.Context, action, done string) {
	id, ok := taskID(c)
	if !ok {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
		return
	}
	answer := strings.TrimSpace(c.PostForm("answer"))
	if action == "dismiss" && answer == "" {
		u.redirectWith(c, "/ui/feedback", flash{Kind: "error", Key: "flash.answer_required"})
		return
	}
	err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodPost,
		Path: fmt.Sprintf("/v1/feedback/%d/%s", id, action), Body: map[string]string{"answer": answer}}, nil)
	if statusOf(err) == http.StatusConflict {
		u.redirectWith(c, "/ui/feedback", flash{Kind: "warning", Key: "flash.feedback_conflict", Args: []string{apiMessage(err)}})
		return
	}
	if err != nil {
		u.failed(c, err)
		return
	}
	u.redirectWith(c, "/ui/feedback", flash{Kind: "success", Key: done})
}

// The API's statistics for the opinion's item 27: accuracy (rejections),
// timeliness (time to publish, on-time share) and completeness (coverage).
type (
	statsResponse struct {
		GeneratedAt time.Time   `json:"generated_at"`
		Languages   []langStats `json:"languages"`
		Totals      langStats   `json:"totals"`
	}
	langStats struct {
		Lang                 string   `json:"lang"`
		Targeted             int      `json:"targeted"`
		Published            int      `json:"published"`
		Coverage             *float64 `json:"coverage"`
		MedianHoursToPublish *float64 `json:"median_hours_to_publish"`
		P90HoursToPublish    *float64 `json:"p90_hours_to_publish"`
		OnTimeShare          *float64 `json:"on_time_share"`
		RejectionRate        *float64 `json:"rejection_rate"`
		OpenTasks            int      `json:"open_tasks"`
		OverdueTasks         int      `json:"overdue_tasks"`
		EscalatedTasks       int      `json:"escalated_tasks"`
		Withdrawn            int      `json:"withdrawn"`
	}
)

type statsView struct {
	Stats       *statsResponse
	Unavailable bool // the API has no statistics to give
	Focus       string
	Charts      []barChart
	Selected    *langStats
}

// stats draws item 27's figures per language as charts, with the numbers
// in a table beside them.
func (u *UI) stats(c *gin.Context) {
	l := localeOf(c)
	v := statsView{Focus: c.Query("lang")}
	var st statsResponse
	err := u.call(c.Request.Context(), sessionOf(c).Token, apiCall{Method: http.MethodGet, Path: "/v1/stats"}, &st)
	switch statusOf(err) {
	case 0:
		if err != nil {
			u.failed(c, err)
			return
		}
		v.Stats = &st
	case http.StatusNotFound, http.StatusNotImplemented:
		v.Unavailable = true
	default:
		u.failed(c, err)
		return
	}
	if v.Stats != nil {
		for i := range st.Languages {
			if st.Languages[i].Lang == v.Focus {
				v.Selected = &st.Languages[i]
			}
		}
		v.Charts = u.statsCharts(l, st.Languages, v.Focus)
	}
	u.render(c, http.StatusOK, "stats", "stats.title", "stats", v)
}

func (u *UI) statsCharts(l *locale, langs []langStats, focus string) []barChart {
	label := func(tag string) string {
		x, ok := u.langs.Lookup(tag)
		name := x.NameEN
		if l.Code == "zh" {
			name = x.NameZH
		}
		if !ok {
			name = tag
		}
		return name + " · " + tag
	}
	percent := func(v float64) string { return l.T("stats.percent", strconv.FormatFloat(v*100, 'f', 0, 64)) }
	hours := func(v float64) string { return durationText(l, v) }
	count := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	// Counts get whole numbers on the axis: at least 0–4.
	most := 0
	for _, s := range langs {
		most = max(most, s.OpenTasks, s.OverdueTasks, s.EscalatedTasks)
	}
	countMax := max(4, niceCeil(float64(most)))
	num := func(n int) *float64 { f := float64(n); return &f }
	rows := func(values func(s langStats) []*float64) []chartRow {
		out := make([]chartRow, 0, len(langs))
		for _, s := range langs {
			out = append(out, chartRow{Label: label(s.Lang), Values: values(s), Focus: s.Lang == focus})
		}
		return out
	}
	noData := l.T("stats.no_data")
	return []barChart{
		{ID: "chart-coverage", Title: l.T("stats.coverage"), Series: []string{l.T("stats.coverage")}, Max: 1, Label: percent, NoData: noData,
			Rows: rows(func(s langStats) []*float64 { return []*float64{s.Coverage} })},
		{ID: "chart-on-time", Title: l.T("stats.on_time"), Series: []string{l.T("stats.on_time")}, Max: 1, Label: percent, NoData: noData,
			Rows: rows(func(s langStats) []*float64 { return []*float64{s.OnTimeShare} })},
		{ID: "chart-rejection", Title: l.T("stats.rejection"), Series: []string{l.T("stats.rejection")}, Max: 1, Label: percent, NoData: noData,
			Rows: rows(func(s langStats) []*float64 { return []*float64{s.RejectionRate} })},
		{ID: "chart-time", Title: l.T("stats.time_to_publish"), Series: []string{l.T("stats.median"), l.T("stats.p90")}, Label: hours, NoData: noData,
			Rows: rows(func(s langStats) []*float64 { return []*float64{s.MedianHoursToPublish, s.P90HoursToPublish} })},
		{ID: "chart-work", Title: l.T("stats.work"), Series: []string{l.T("stats.open"), l.T("stats.overdue"), l.T("stats.escalated")}, Max: countMax, Label: count, NoData: noData,
			Rows: rows(func(s langStats) []*float64 {
				return []*float64{num(s.OpenTasks), num(s.OverdueTasks), num(s.EscalatedTasks)}
			})},
	}
}
