package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
)

type taskListItem struct {
	ID             int64            `json:"id"`
	DocumentID     int64            `json:"document_id"`
	ExternalID     string           `json:"external_id"`
	Title          string           `json:"title"`
	Court          string           `json:"court"`
	DocumentKind   string           `json:"document_kind"`
	Lang           string           `json:"lang"`
	Kind           models.TaskKind  `json:"kind"`
	State          models.TaskState `json:"state"`
	Round          int              `json:"round"`
	Priority       models.Priority  `json:"priority"`
	Deadline       time.Time        `json:"deadline"`
	Overdue        bool             `json:"overdue"`
	Escalated      bool             `json:"escalated"`
	ClaimantID     *int64           `json:"claimant_id"`
	LeaseExpiresAt *time.Time       `json:"lease_expires_at"`
}

// listTasks shows open tasks in the caller's languages, or with
// state=mine the tasks the caller holds. Editors see every language.
func (s *Server) listTasks(c *gin.Context) {
	u := currentUser(c)
	f := store.TaskFilter{
		TranslateLangs: u.Languages(models.RoleTranslator),
		ReviewLangs:    u.Languages(models.RoleReviewer),
	}
	if u.HasRole(models.RoleEditor) || u.HasRole(models.RoleAdmin) {
		all := s.langs.Supported()
		f.TranslateLangs, f.ReviewLangs = all, all
	}
	switch kind := models.TaskKind(c.Query("kind")); kind {
	case "", models.TaskTranslate, models.TaskReview:
		f.Kind = kind
	default:
		s.fail(c, models.Errorf(models.EINVALID, "kind must be translate or review, not %q", kind))
		return
	}
	if raw := c.Query("lang"); raw != "" {
		tag, err := s.targetLanguage(raw)
		if err != nil {
			s.fail(c, err)
			return
		}
		f.Lang = tag
	}
	switch state := c.Query("state"); state {
	case "", string(models.TaskOpen):
		f.States = []models.TaskState{models.TaskOpen}
	case "mine":
		f.ClaimantID = u.ID
		f.States = []models.TaskState{models.TaskClaimed}
	default:
		s.fail(c, models.Errorf(models.EINVALID, "state must be open or mine, not %q", state))
		return
	}
	limit, err := queryLimit(c, 100, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	f.Limit = limit
	tasks, err := s.store.ListTasks(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := time.Now()
	items := make([]taskListItem, 0, len(tasks))
	for _, t := range tasks {
		items = append(items, taskListItem{
			ID: t.ID, DocumentID: t.DocumentID, ExternalID: t.ExternalID, Title: t.Title, Court: t.Court,
			DocumentKind: t.DocKind, Lang: t.Lang, Kind: t.Kind, State: t.State, Round: t.Round,
			Priority: t.Priority, Deadline: t.Deadline, Overdue: t.Overdue || now.After(t.Deadline), Escalated: t.Escalated,
			ClaimantID: t.ClaimantID, LeaseExpiresAt: t.LeaseExpiresAt,
		})
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type segmentView struct {
	Index   int    `json:"index"`
	Source  string `json:"source"`
	Draft   string `json:"draft"`
	Origin  string `json:"origin,omitempty"`
	Changed bool   `json:"changed"` // new or edited in a source revision
	// PreviousRoundText is the segment's text when the previous round was
	// submitted, for comparing rounds; empty on the first round.
	PreviousRoundText string                 `json:"previous_round_text"`
	Suggestions       []suggestionView       `json:"suggestions"`
	Glossary          []models.GlossaryHit   `json:"glossary"`
	QA                []lang.Issue           `json:"qa"`
	Comments          []models.ReviewComment `json:"comments"`
}

type suggestionView struct {
	Origin string `json:"origin"`
	Score  int    `json:"score"`
	Text   string `json:"text"`
}

type taskView struct {
	ID             int64                  `json:"id"`
	DocumentID     int64                  `json:"document_id"`
	Lang           string                 `json:"lang"`
	Dir            string                 `json:"dir"`
	WritingMode    string                 `json:"writing_mode"`
	Kind           models.TaskKind        `json:"kind"`
	State          models.TaskState       `json:"state"`
	Round          int                    `json:"round"`
	Priority       models.Priority        `json:"priority"`
	Deadline       time.Time              `json:"deadline"`
	ClaimantID     *int64                 `json:"claimant_id"`
	LeaseExpiresAt *time.Time             `json:"lease_expires_at"`
	Segments       []segmentView          `json:"segments"`
	QA             []lang.Issue           `json:"qa"`
	Comments       []models.ReviewComment `json:"comments"`
}

// getTask shows a task's work: its claimant and editors only, because
// drafts are unpublished text.
func (s *Server) getTask(c *gin.Context) {
	task, err := s.loadTask(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	u := currentUser(c)
	if !isClaimant(task, u) && !u.HasRole(models.RoleEditor) && !u.HasRole(models.RoleAdmin) {
		s.fail(c, models.Errorf(models.EFORBIDDEN, "only the claimant or an editor may open task %d", task.ID))
		return
	}
	w, err := s.loadWork(c, task)
	if err != nil {
		s.fail(c, err)
		return
	}
	l, _ := s.langs.Lookup(task.Lang)
	view := taskView{
		ID: task.ID, DocumentID: task.DocumentID, Lang: task.Lang, Dir: l.Dir, WritingMode: l.WritingMode,
		Kind: task.Kind, State: task.State, Round: task.Round, Priority: task.Priority, Deadline: task.Deadline,
		ClaimantID: task.ClaimantID, LeaseExpiresAt: task.LeaseExpiresAt,
		QA: w.qa(), Comments: []models.ReviewComment{},
	}
	bySegment := map[int][]models.ReviewComment{}
	for _, rc := range w.comments {
		if rc.SegmentIndex == nil {
			view.Comments = append(view.Comments, rc)
		} else {
			bySegment[*rc.SegmentIndex] = append(bySegment[*rc.SegmentIndex], rc)
		}
	}
	issues := map[int][]lang.Issue{}
	for _, is := range view.QA {
		issues[is.Segment] = append(issues[is.Segment], is)
	}
	hits := map[int][]models.GlossaryHit{}
	for _, h := range w.hits {
		hits[h.SegmentIndex] = append(hits[h.SegmentIndex], h)
	}
	sugs := map[int][]suggestionView{}
	for _, sg := range w.suggestions {
		sugs[sg.SegmentIndex] = append(sugs[sg.SegmentIndex], suggestionView{Origin: sg.Origin, Score: sg.Score, Text: sg.Text})
	}
	previous := map[int]string{}
	if task.Round > 1 {
		if previous, err = s.store.RoundDrafts(c.Request.Context(), task.JobID, task.Round-1, w.job.SourceVersion); err != nil {
			s.fail(c, err)
			return
		}
	}
	for _, seg := range w.segments {
		d := w.drafts[seg.Index]
		view.Segments = append(view.Segments, segmentView{
			Index: seg.Index, Source: seg.Text, Draft: d.Text, Origin: d.Origin, Changed: seg.Changed,
			PreviousRoundText: previous[seg.Index],
			Suggestions:       nonNil(sugs[seg.Index]), Glossary: nonNil(hits[seg.Index]),
			QA: nonNil(issues[seg.Index]), Comments: nonNil(bySegment[seg.Index]),
		})
	}
	c.JSON(http.StatusOK, view)
}

// work is everything about a job a translator or reviewer looks at.
type work struct {
	job         *models.TranslationJob
	segments    []models.Segment
	drafts      map[int]models.Draft
	suggestions []models.Suggestion
	glossary    []models.GlossaryEntry
	hits        []models.GlossaryHit
	comments    []models.ReviewComment
	sourceLang  string
}

func (s *Server) loadWork(c *gin.Context, task *models.Task) (*work, error) {
	ctx := c.Request.Context()
	job, err := s.store.JobByID(ctx, task.JobID)
	if err != nil {
		return nil, err
	}
	doc, err := s.store.DocumentByID(ctx, job.DocumentID)
	if err != nil {
		return nil, err
	}
	w := &work{job: job, drafts: map[int]models.Draft{}, sourceLang: doc.SourceLang}
	if w.segments, err = s.store.Segments(ctx, job.DocumentID, job.SourceVersion); err != nil {
		return nil, err
	}
	drafts, err := s.store.Drafts(ctx, job.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range drafts {
		w.drafts[d.SegmentIndex] = d
	}
	if w.suggestions, err = s.store.Suggestions(ctx, job.ID); err != nil {
		return nil, err
	}
	if w.glossary, err = s.store.GlossaryForPair(ctx, doc.SourceLang, job.Lang); err != nil {
		return nil, err
	}
	if w.hits, err = s.store.GlossaryHits(ctx, job.ID); err != nil {
		return nil, err
	}
	if w.comments, err = s.store.ReviewComments(ctx, job.ID); err != nil {
		return nil, err
	}
	return w, nil
}

// qa runs the QA checks over the current drafts.
func (w *work) qa() []lang.Issue {
	in := lang.QAInput{SourceLang: w.sourceLang, TargetLang: w.job.Lang}
	for _, seg := range w.segments {
		in.Segments = append(in.Segments, lang.Pair{Index: seg.Index, Source: seg.Text, Target: w.drafts[seg.Index].Text})
	}
	for _, g := range w.glossary {
		switch g.Status {
		case models.TermApproved:
			in.Terms = append(in.Terms, lang.Term{Source: g.Term, Target: g.Translation})
		case models.TermForbidden:
			in.Terms = append(in.Terms, lang.Term{Source: g.Term, Target: g.Translation, Forbidden: true})
		}
		if g.Status == models.TermApproved {
			in.AllowedTokens = append(in.AllowedTokens, g.Translation)
		}
	}
	return nonNil(lang.CheckQA(in))
}

type draftRequest struct {
	Segments []struct {
		Index *int    `json:"index"`
		Text  *string `json:"text"`
	} `json:"segments"`
}

// maxSegmentBytes bounds one segment's draft; a sentence is far shorter.
const maxSegmentBytes = 64 << 10

// saveDraft stores the claimant's drafts and answers with fresh QA. Drafts
// are never sent to the workflow: they change on every keystroke.
func (s *Server) saveDraft(c *gin.Context) {
	task, err := s.loadTask(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	// In the review profile there is no translate task: the reviewer
	// edits the machine draft.
	kind := models.TaskTranslate
	if task.Kind == models.TaskReview {
		doc, err := s.store.DocumentByID(c.Request.Context(), task.DocumentID)
		if err != nil {
			s.fail(c, err)
			return
		}
		if doc.Profile == models.ProfileReview {
			kind = models.TaskReview
		}
	}
	if err := s.requireHeld(c, task, kind); err != nil {
		s.fail(c, err)
		return
	}
	var req draftRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Segments == nil {
		s.fail(c, missingFields([]string{"segments"}))
		return
	}
	w, err := s.loadWork(c, task)
	if err != nil {
		s.fail(c, err)
		return
	}
	u := currentUser(c)
	suggested := map[int]map[string]string{}
	for _, sg := range w.suggestions {
		if suggested[sg.SegmentIndex] == nil {
			suggested[sg.SegmentIndex] = map[string]string{}
		}
		if _, ok := suggested[sg.SegmentIndex][sg.Text]; !ok {
			suggested[sg.SegmentIndex][sg.Text] = sg.Origin
		}
	}
	seen := map[int]bool{}
	drafts := make([]models.Draft, 0, len(req.Segments))
	now := time.Now().UTC()
	for i, seg := range req.Segments {
		if seg.Index == nil || seg.Text == nil {
			s.fail(c, models.Errorf(models.EINVALID, "segments[%d] needs index and text", i))
			return
		}
		idx := *seg.Index
		if idx < 0 || idx >= len(w.segments) {
			s.fail(c, models.Errorf(models.EINVALID, "segment index %d is out of range 0..%d", idx, len(w.segments)-1))
			return
		}
		if seen[idx] {
			s.fail(c, models.Errorf(models.EINVALID, "segment index %d appears twice", idx))
			return
		}
		seen[idx] = true
		if len(*seg.Text) > maxSegmentBytes {
			s.fail(c, models.Errorf(models.EINVALID, "segment %d is longer than %d bytes", idx, maxSegmentBytes))
			return
		}
		text := lang.Normalize(task.Lang, *seg.Text)
		drafts = append(drafts, models.Draft{
			SegmentIndex: idx, Text: text, UpdatedBy: u.ID, UpdatedAt: now,
			Origin: draftOrigin(text, suggested[idx], w.drafts[idx]),
		})
	}
	if err := s.store.SaveTaskDrafts(c.Request.Context(), task.JobID, w.job.SourceVersion, drafts,
		suggestionsChosen(task, w, u, drafts)); err != nil {
		s.fail(c, err)
		return
	}
	for _, d := range drafts {
		w.drafts[d.SegmentIndex] = d
	}
	issues := w.qa()
	c.JSON(http.StatusOK, gin.H{"saved": len(drafts), "qa": issues, "blocking": len(lang.Blocking(issues))})
}

// suggestionsChosen records, for the audit trail, each segment whose draft
// now is a machine suggestion it was not before: the translator chose it.
func suggestionsChosen(task *models.Task, w *work, u *models.User, drafts []models.Draft) []models.AuditEvent {
	var events []models.AuditEvent
	for _, d := range drafts {
		prev := w.drafts[d.SegmentIndex]
		if d.Origin == models.OriginHuman || strings.HasPrefix(d.Origin, "edited:") ||
			(prev.Origin == d.Origin && prev.Text == d.Text) {
			continue
		}
		events = append(events, models.AuditEvent{
			Action: "suggestion.chosen", ActorID: u.ID, Actor: u.Name,
			DocumentID: task.DocumentID, Lang: task.Lang, Version: w.job.SourceVersion,
			ContentHash: models.ContentHash(d.Text),
			Details:     fmt.Sprintf(`{"index":%d,"origin":%q,"task_id":%d}`, d.SegmentIndex, d.Origin, task.ID),
		})
	}
	return events
}

// draftOrigin keeps track of machine help: text equal to a suggestion
// carries that suggestion's origin, an edit of machine text is marked as
// post-edited, and everything else is human.
func draftOrigin(text string, suggestions map[string]string, prev models.Draft) string {
	if origin, ok := suggestions[text]; ok {
		return origin
	}
	switch {
	case prev.Origin == "" || prev.Origin == models.OriginHuman:
		return models.OriginHuman
	case strings.HasPrefix(prev.Origin, "edited:"):
		return prev.Origin
	}
	return "edited:" + prev.Origin
}

// submitTask refuses a translation with blocking QA issues (422, listing
// them) before it asks the workflow to move it to review.
func (s *Server) submitTask(c *gin.Context) {
	task, err := s.loadTask(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.requireHeld(c, task, models.TaskTranslate); err != nil {
		s.fail(c, err)
		return
	}
	w, err := s.loadWork(c, task)
	if err != nil {
		s.fail(c, err)
		return
	}
	if blocking := lang.Blocking(w.qa()); len(blocking) > 0 {
		s.fail(c, models.Errorf(models.EUNPROCESSABLE, "%d blocking QA issues must be fixed before submitting", len(blocking)).
			WithDetails(map[string][]lang.Issue{"issues": blocking}))
		return
	}
	// What is submitted now is what the next round will be compared with.
	if err := s.store.SnapshotRound(c.Request.Context(), task.JobID, task.Round, w.job.SourceVersion); err != nil {
		s.fail(c, err)
		return
	}
	s.update(c, task, models.UpdateSubmit, models.TaskActionInput{Actor: currentUser(c).Actor(), TaskID: task.ID})
}

type rejectRequest struct {
	Comment  string                  `json:"comment"`
	Segments []models.SegmentComment `json:"segments"`
}

func (s *Server) rejectTask(c *gin.Context) {
	task, err := s.loadTask(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req rejectRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if strings.TrimSpace(req.Comment) == "" {
		s.fail(c, missingFields([]string{"comment"}))
		return
	}
	s.update(c, task, models.UpdateReject, models.RejectInput{
		Actor: currentUser(c).Actor(), TaskID: task.ID, Comment: req.Comment, SegmentComments: req.Segments,
	})
}

// taskAction handles the Updates that need nothing but the actor.
func (s *Server) taskAction(update string) gin.HandlerFunc {
	return func(c *gin.Context) {
		task, err := s.loadTask(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		s.update(c, task, update, models.TaskActionInput{Actor: currentUser(c).Actor(), TaskID: task.ID})
	}
}

// claimTask refuses at once a claim on a task the read model shows held
// under a live lease, and sends the rest to the workflow, which decides
// every real race. Under contention most claims lose; answering those
// from the read model keeps them off the workflow. The read model cannot
// show a claim the workflow has not made (a claim, and the end of one, is
// projected before its Update answers), so this refuses nothing the
// workflow would grant, except the claim that races a release.
func (s *Server) claimTask(c *gin.Context) {
	task, err := s.loadTask(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor := currentUser(c).Actor()
	// Someone without the competence is told so by the workflow (403),
	// whatever the task's state.
	if actor.CanWork(task.Kind, task.Lang) && task.State == models.TaskClaimed && task.LeaseExpiresAt != nil &&
		time.Now().Before(*task.LeaseExpiresAt) && (task.ClaimantID == nil || *task.ClaimantID != actor.UserID) {
		s.fail(c, models.Errorf(models.ECONFLICT, "task %d is already claimed", task.ID))
		return
	}
	s.update(c, task, models.UpdateClaim, models.TaskActionInput{Actor: actor, TaskID: task.ID})
}

type actionResponse struct {
	TaskID           int64            `json:"task_id"`
	State            models.TaskState `json:"state"`
	LeaseExpiresAt   *time.Time       `json:"lease_expires_at,omitempty"`
	JobState         models.JobState  `json:"job_state"`
	Round            int              `json:"round"`
	NextTaskID       int64            `json:"next_task_id,omitempty"`
	PublishedVersion int              `json:"published_version,omitempty"`
}

// update sends the action to the translation's workflow and answers with
// the task's state as the workflow left it.
func (s *Server) update(c *gin.Context, task *models.Task, name string, arg any) {
	state, err := s.workflows.UpdateTranslation(c.Request.Context(), task.DocumentID, task.Lang, name,
		c.GetHeader("Idempotency-Key"), arg)
	if err != nil {
		s.fail(c, err)
		return
	}
	if state.Phase == models.JobPublished {
		// Readers of this process see the publication at once; other
		// processes follow the feed.
		s.forget(task.DocumentID)
	}
	resp := actionResponse{TaskID: task.ID, JobState: state.Phase, Round: state.Round, PublishedVersion: state.PublishedVersion}
	if state.Task.ID == task.ID {
		resp.State = state.Task.State
		if state.Task.State == models.TaskClaimed {
			lease := state.Task.LeaseExpiresAt.UTC()
			resp.LeaseExpiresAt = &lease
		}
	} else {
		resp.State = closedState(name)
		resp.NextTaskID = state.Task.ID
	}
	c.JSON(http.StatusOK, resp)
}

func closedState(update string) models.TaskState {
	switch update {
	case models.UpdateSubmit:
		return models.TaskSubmitted
	case models.UpdateApprove:
		return models.TaskApproved
	case models.UpdateReject:
		return models.TaskRejected
	}
	return models.TaskCancelled
}

func (s *Server) loadTask(c *gin.Context) (*models.Task, error) {
	id, err := pathID(c, "task")
	if err != nil {
		return nil, err
	}
	return s.store.TaskByID(c.Request.Context(), id)
}

// requireHeld checks in the read model that the caller holds a live claim
// on a task of the given kind. The workflow checks again on Updates; this
// guards the DB-only draft writes.
func (s *Server) requireHeld(c *gin.Context, task *models.Task, kind models.TaskKind) error {
	if task.Kind != kind {
		return models.Errorf(models.ECONFLICT, "task %d is a %s task", task.ID, task.Kind)
	}
	if task.State != models.TaskClaimed {
		return models.Errorf(models.ECONFLICT, "task %d is %s, not claimed", task.ID, task.State)
	}
	if !isClaimant(task, currentUser(c)) {
		return models.Errorf(models.EFORBIDDEN, "task %d is claimed by someone else", task.ID)
	}
	if task.LeaseExpiresAt == nil || !time.Now().Before(*task.LeaseExpiresAt) {
		return models.Errorf(models.ECONFLICT, "the claim on task %d has expired; claim it again", task.ID)
	}
	return nil
}

func isClaimant(t *models.Task, u *models.User) bool {
	return t.ClaimantID != nil && *t.ClaimantID == u.ID
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
