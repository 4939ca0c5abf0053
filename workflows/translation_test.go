package workflows

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// fakeActivities records what the workflow asks of the outside world. It
// has the activities' method names, so the workflow calls it unchanged.
type fakeActivities struct {
	mu          sync.Mutex
	nextTask    int64
	projections []models.Projection
	reviews     []models.ReviewInput
	published   []models.PublishInput
	events      []models.Event
	assists     int
	revisedJobs []models.ReviseJobInput
	assistErr   error
}

func (f *fakeActivities) ReviseJob(_ context.Context, in models.ReviseJobInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revisedJobs = append(f.revisedJobs, in)
	return nil
}

func (f *fakeActivities) ApplyProjection(_ context.Context, p models.Projection) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.projections = append(f.projections, p)
	return nil
}

func (f *fakeActivities) MachineAssist(context.Context, models.AssistInput) (models.AssistResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.assists++
	if f.assistErr != nil {
		return models.AssistResult{}, f.assistErr
	}
	return models.AssistResult{Segments: 3, Suggested: 1}, nil
}

func (f *fakeActivities) OpenTask(context.Context, models.OpenTaskInput) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextTask++
	return f.nextTask, nil
}

func (f *fakeActivities) RecordReview(_ context.Context, in models.ReviewInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reviews = append(f.reviews, in)
	return nil
}

func (f *fakeActivities) PublishVersion(_ context.Context, in models.PublishInput) (models.PublishResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.published = append(f.published, in)
	return models.PublishResult{Version: len(f.published), ContentHash: "hash"}, nil
}

// audits lists the audit actions projected, in order.
func (f *fakeActivities) audits() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, p := range f.projections {
		if p.Audit != nil {
			out = append(out, p.Audit.Action)
		}
	}
	return out
}

var (
	translator  = models.Actor{UserID: 10, Name: "aygul", Roles: []models.Role{models.RoleTranslator}, Translates: []string{"ug"}}
	translator2 = models.Actor{UserID: 11, Name: "mehmet", Roles: []models.Role{models.RoleTranslator}, Translates: []string{"ug"}}
	reviewer    = models.Actor{UserID: 20, Name: "erkin", Roles: []models.Role{models.RoleReviewer}, Reviews: []string{"ug"}}
	// bilingual may both translate and review Uyghur: the four-eyes rule
	// must stop them reviewing their own work.
	bilingual    = models.Actor{UserID: 30, Name: "dilnur", Roles: []models.Role{models.RoleTranslator, models.RoleReviewer}, Translates: []string{"ug"}, Reviews: []string{"ug"}}
	tibetanOnly  = models.Actor{UserID: 40, Name: "tashi", Roles: []models.Role{models.RoleTranslator}, Translates: []string{"bo"}}
	translateIn  = models.TranslationInput{DocumentID: 7, JobID: 70, Lang: "ug", SourceVersion: 1, Priority: models.PriorityNormal}
	acceptNoWait = time.Minute
)

type suite struct {
	t    *testing.T
	env  *testsuite.TestWorkflowEnvironment
	acts *fakeActivities
}

func newSuite(t *testing.T) *suite {
	var ts testsuite.WorkflowTestSuite
	// The suite logs every timer at debug level; keep test output readable.
	ts.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(Translation, workflow.RegisterOptions{Name: models.WorkflowTranslation})
	env.RegisterWorkflowWithOptions(Document, workflow.RegisterOptions{Name: models.WorkflowDocument})
	acts := &fakeActivities{}
	env.RegisterActivity(acts)
	// Events are handed to the event workflow; record what would go out.
	env.RegisterWorkflowWithOptions(func(_ workflow.Context, in models.EventInput) error {
		acts.mu.Lock()
		defer acts.mu.Unlock()
		acts.events = append(acts.events, in.Event)
		return nil
	}, workflow.RegisterOptions{Name: models.WorkflowEvent})
	return &suite{t: t, env: env, acts: acts}
}

// outcome is what happened to one Update.
type outcome struct {
	rejected error
	failed   error
	state    models.TranslationState
}

// at schedules an Update at workflow time d and returns where its outcome
// will be recorded.
func (s *suite) at(d time.Duration, name string, arg any) *outcome {
	o := &outcome{}
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { o.rejected = err },
			OnComplete: func(r any, err error) {
				o.failed = err
				if st, ok := r.(models.TranslationState); ok {
					o.state = st
				}
			},
		}, arg)
	}, d)
	return o
}

func (s *suite) queryAt(d time.Duration) *models.TranslationState {
	st := &models.TranslationState{}
	s.env.RegisterDelayedCallback(func() {
		v, err := s.env.QueryWorkflow(models.QueryState)
		require.NoError(s.t, err)
		require.NoError(s.t, v.Get(st))
	}, d)
	return st
}

func (s *suite) run() models.TranslationResult {
	s.env.ExecuteWorkflow(models.WorkflowTranslation, translateIn)
	require.True(s.t, s.env.IsWorkflowCompleted())
	require.NoError(s.t, s.env.GetWorkflowError())
	var res models.TranslationResult
	require.NoError(s.t, s.env.GetWorkflowResult(&res))
	return res
}

func act(a models.Actor, task int64) models.TaskActionInput {
	return models.TaskActionInput{Actor: a, TaskID: task}
}

func requireRefused(t *testing.T, err error, code string) {
	t.Helper()
	require.Error(t, err)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "want an ApplicationError, got %T %v", err, err)
	require.Equal(t, code, appErr.Type(), appErr.Error())
}

func TestTranslationHappyPath(t *testing.T) {
	s := newSuite(t)
	claim := s.at(1*acceptNoWait, models.UpdateClaim, act(translator, 1))
	submit := s.at(2*acceptNoWait, models.UpdateSubmit, act(translator, 1))
	review := s.at(3*acceptNoWait, models.UpdateClaim, act(reviewer, 2))
	approve := s.at(4*acceptNoWait, models.UpdateApprove, act(reviewer, 2))

	res := s.run()
	for _, o := range []*outcome{claim, submit, review, approve} {
		require.NoError(t, o.rejected)
		require.NoError(t, o.failed)
	}
	require.Equal(t, models.TaskClaimed, claim.state.Task.State)
	require.Equal(t, translator.UserID, claim.state.Task.ClaimantID)
	require.Equal(t, models.JobReviewing, submit.state.Phase)
	require.Equal(t, models.TaskReview, submit.state.Task.Kind)
	require.Equal(t, models.JobPublished, approve.state.Phase)
	require.Equal(t, models.TranslationResult{Lang: "ug", State: models.JobPublished, PublishedVersion: 1, Rounds: 1}, res)

	require.Equal(t, []models.PublishInput{{JobID: 70, ReviewTaskID: 2, TranslatorID: translator.UserID, ReviewerID: reviewer.UserID}}, s.acts.published)
	require.Equal(t, []string{"translation.started", "task.opened", "task.claimed", "task.submitted", "task.claimed", "translation.published"}, s.acts.audits())
	// A task hand-over is one projection: the closed task and its
	// successor change together.
	for _, p := range s.acts.projections {
		for _, closed := range p.ClosedTasks {
			require.NotEqual(t, closed.ID, p.Task.ID)
		}
	}
	handover := s.acts.projections[3]
	require.Equal(t, models.TaskView{ID: 1, Kind: models.TaskTranslate, State: models.TaskSubmitted, Round: 1,
		ClaimantID: translator.UserID, LeaseExpiresAt: handover.ClosedTasks[0].LeaseExpiresAt}, handover.ClosedTasks[0])
	require.Equal(t, int64(2), handover.Task.ID)
	// Every projection carries a strictly newer revision.
	for i := 1; i < len(s.acts.projections); i++ {
		require.Greater(t, s.acts.projections[i].Revision, s.acts.projections[i-1].Revision)
	}
	require.Len(t, s.acts.events, 1)
	require.Equal(t, "msg_translation_7_ug_v1", s.acts.events[0].ID)
	require.Equal(t, models.EventTranslationPublished, s.acts.events[0].Type)
	require.Equal(t, 1, s.acts.events[0].Version)
	last := s.acts.projections[len(s.acts.projections)-1]
	require.Equal(t, models.JobPublished, last.JobState)
	require.Equal(t, []models.TaskView{{ID: 2, Kind: models.TaskReview, State: models.TaskApproved, Round: 1, ClaimantID: reviewer.UserID, LeaseExpiresAt: last.ClosedTasks[0].LeaseExpiresAt}}, last.ClosedTasks)
}

func TestTranslationRejectLoop(t *testing.T) {
	s := newSuite(t)
	s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	s.at(2*time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(3*time.Minute, models.UpdateClaim, act(reviewer, 2))
	noComment := s.at(4*time.Minute, models.UpdateReject, models.RejectInput{Actor: reviewer, TaskID: 2, Comment: "  "})
	reject := s.at(5*time.Minute, models.UpdateReject, models.RejectInput{
		Actor: reviewer, TaskID: 2, Comment: "案号译错了",
		SegmentComments: []models.SegmentComment{{Index: 2, Comment: "(2023)新01民初45号 must stay verbatim"}},
	})
	// The round goes back to its translator, already claimed.
	resubmit := s.at(6*time.Minute, models.UpdateSubmit, act(translator, 3))
	s.at(7*time.Minute, models.UpdateClaim, act(reviewer, 4))
	approve := s.at(8*time.Minute, models.UpdateApprove, act(reviewer, 4))

	res := s.run()
	requireRefused(t, noComment.rejected, models.EINVALID)
	require.NoError(t, reject.rejected)
	require.NoError(t, reject.failed)
	require.Equal(t, models.TaskView{ID: 3, Kind: models.TaskTranslate, State: models.TaskClaimed, Round: 2,
		ClaimantID: translator.UserID, LeaseExpiresAt: reject.state.Task.LeaseExpiresAt}, reject.state.Task)
	require.NoError(t, resubmit.rejected)
	require.NoError(t, approve.failed)
	require.Equal(t, 2, res.Rounds)
	require.Equal(t, models.JobPublished, res.State)
	require.Len(t, s.acts.reviews, 1)
	require.Equal(t, "案号译错了", s.acts.reviews[0].Comment)
	require.Equal(t, 1, s.acts.reviews[0].Round)
	require.Contains(t, s.acts.audits(), "task.rejected")
}

func TestTranslationClaimWhileClaimed(t *testing.T) {
	s := newSuite(t)
	first := s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	second := s.at(2*time.Minute, models.UpdateClaim, act(translator2, 1))
	stale := s.at(3*time.Minute, models.UpdateClaim, act(translator2, 99))
	foreign := s.at(4*time.Minute, models.UpdateSubmit, act(translator2, 1))
	s.at(5*time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(6*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(7*time.Minute, models.UpdateApprove, act(reviewer, 2))

	s.run()
	require.NoError(t, first.rejected)
	requireRefused(t, second.rejected, models.ECONFLICT)
	requireRefused(t, stale.rejected, models.ECONFLICT)
	requireRefused(t, foreign.rejected, models.EFORBIDDEN)
	// Rejected Updates leave no trace in the read model: only the
	// translator's and the reviewer's claims were recorded.
	require.Equal(t, 2, count(s.acts.audits(), "task.claimed"))
}

func TestTranslationCompetenceAndFourEyes(t *testing.T) {
	s := newSuite(t)
	noCompetence := s.at(1*time.Minute, models.UpdateClaim, act(tibetanOnly, 1))
	reviewerAsTranslator := s.at(2*time.Minute, models.UpdateClaim, act(reviewer, 1))
	s.at(3*time.Minute, models.UpdateClaim, act(bilingual, 1))
	s.at(4*time.Minute, models.UpdateSubmit, act(bilingual, 1))
	ownReview := s.at(5*time.Minute, models.UpdateClaim, act(bilingual, 2))
	translatorReviews := s.at(6*time.Minute, models.UpdateClaim, act(translator, 2))
	s.at(7*time.Minute, models.UpdateClaim, act(reviewer, 2))
	approveUnclaimed := s.at(8*time.Minute, models.UpdateApprove, act(bilingual, 2))
	s.at(9*time.Minute, models.UpdateApprove, act(reviewer, 2))

	s.run()
	requireRefused(t, noCompetence.rejected, models.EFORBIDDEN)
	requireRefused(t, reviewerAsTranslator.rejected, models.EFORBIDDEN)
	requireRefused(t, ownReview.rejected, models.EFORBIDDEN)
	require.Contains(t, ownReview.rejected.Error(), "four-eyes")
	requireRefused(t, translatorReviews.rejected, models.EFORBIDDEN)
	requireRefused(t, approveUnclaimed.rejected, models.EFORBIDDEN)
	require.Equal(t, reviewer.UserID, s.acts.published[0].ReviewerID)
	require.Equal(t, bilingual.UserID, s.acts.published[0].TranslatorID)
}

func TestTranslationLeaseExpiry(t *testing.T) {
	s := newSuite(t)
	s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	beforeExpiry := s.queryAt(models.TranslateLease)
	afterExpiry := s.queryAt(models.TranslateLease + 2*time.Minute)
	// The claim ran out, so the late submit is refused and another
	// translator may take the task.
	lateSubmit := s.at(models.TranslateLease+3*time.Minute, models.UpdateSubmit, act(translator, 1))
	reclaim := s.at(models.TranslateLease+4*time.Minute, models.UpdateClaim, act(translator2, 1))
	renew := s.at(models.TranslateLease+90*time.Minute, models.UpdateRenew, act(translator2, 1))
	// Renewed at 3h34m for 2h: still held at 5h, gone by 5h35m.
	stillHeld := s.queryAt(5 * time.Hour)
	expiredAgain := s.queryAt(5*time.Hour + 36*time.Minute)
	s.at(6*time.Hour, models.UpdateClaim, act(translator, 1))
	s.at(6*time.Hour+time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(6*time.Hour+2*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(6*time.Hour+3*time.Minute, models.UpdateApprove, act(reviewer, 2))

	s.run()
	require.Equal(t, models.TaskClaimed, beforeExpiry.Task.State)
	require.Equal(t, models.TaskOpen, afterExpiry.Task.State)
	require.Zero(t, afterExpiry.Task.ClaimantID)
	requireRefused(t, lateSubmit.rejected, models.ECONFLICT)
	require.NoError(t, reclaim.rejected)
	require.NoError(t, renew.rejected)
	require.Equal(t, translator2.UserID, stillHeld.Task.ClaimantID)
	require.Equal(t, models.TaskOpen, expiredAgain.Task.State)
	require.Equal(t, 2, count(s.acts.audits(), "task.lease_expired"))
}

func TestTranslationRelease(t *testing.T) {
	s := newSuite(t)
	s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	byOther := s.at(2*time.Minute, models.UpdateRelease, act(translator2, 1))
	release := s.at(3*time.Minute, models.UpdateRelease, act(translator, 1))
	again := s.at(4*time.Minute, models.UpdateRelease, act(translator, 1))
	s.at(5*time.Minute, models.UpdateClaim, act(translator2, 1))
	s.at(6*time.Minute, models.UpdateSubmit, act(translator2, 1))
	s.at(7*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(8*time.Minute, models.UpdateApprove, act(reviewer, 2))

	s.run()
	requireRefused(t, byOther.rejected, models.EFORBIDDEN)
	require.NoError(t, release.rejected)
	require.Equal(t, models.TaskOpen, release.state.Task.State)
	requireRefused(t, again.rejected, models.ECONFLICT)
	require.Equal(t, translator2.UserID, s.acts.published[0].TranslatorID)
}

func TestTranslationRejectsBadInput(t *testing.T) {
	s := newSuite(t)
	s.env.ExecuteWorkflow(models.WorkflowTranslation, models.TranslationInput{DocumentID: 1})
	requireRefusedWorkflow(t, s.env.GetWorkflowError())
}

func requireRefusedWorkflow(t *testing.T, err error) {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "got %v", err)
	require.Equal(t, models.EINVALID, appErr.Type())
}

func TestDocumentStartsOneTranslationPerLanguage(t *testing.T) {
	s := newSuite(t)
	s.env.OnWorkflow(models.WorkflowTranslation, mockAny, mockAny).Return(
		func(_ workflow.Context, in models.TranslationInput) (models.TranslationResult, error) {
			return models.TranslationResult{Lang: in.Lang, State: models.JobPublished, PublishedVersion: 1, Rounds: 1}, nil
		})
	s.env.ExecuteWorkflow(models.WorkflowDocument, models.DocumentInput{
		DocumentID: 7, SourceVersion: 1, Priority: models.PriorityHigh,
		Jobs: []models.JobRef{{JobID: 71, Lang: "mn-Mong"}, {JobID: 70, Lang: "ug"}},
	})
	require.NoError(t, s.env.GetWorkflowError())
	var res models.DocumentResult
	require.NoError(t, s.env.GetWorkflowResult(&res))
	require.Len(t, res.Translations, 2)
	require.Equal(t, "mn-Mong", res.Translations[0].Lang)
	require.Equal(t, "ug", res.Translations[1].Lang)
}

func count(xs []string, x string) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

var mockAny = mock.Anything

func TestTranslationDeadlineRemindersOverdueAndEscalation(t *testing.T) {
	s := newSuite(t)
	start := time.Date(2024, 3, 15, 8, 0, 0, 0, time.UTC)
	s.env.SetStartTime(start)
	in := translateIn
	in.Priority = models.PriorityHigh
	in.Deadline = start.Add(10 * time.Hour)
	in.EscalateUnclaimedAfter = time.Hour

	escalated := s.queryAt(90 * time.Minute)
	overdue := s.queryAt(10*time.Hour + time.Minute)
	claim := s.at(11*time.Hour, models.UpdateClaim, act(translator, 1))
	s.at(11*time.Hour+time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(11*time.Hour+2*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(11*time.Hour+3*time.Minute, models.UpdateApprove, act(reviewer, 2))

	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.NoError(t, s.env.GetWorkflowError())

	require.True(t, escalated.Task.Escalated)
	require.False(t, escalated.Overdue)
	require.True(t, overdue.Overdue)
	require.NoError(t, claim.rejected)
	require.False(t, claim.state.Task.Escalated, "a claim ends the escalation")

	require.Equal(t, []string{"translation.started", "task.opened", "task.escalated", "deadline.reminder", "deadline.reminder",
		"task.overdue", "task.claimed", "task.submitted", "task.claimed", "translation.published"}, s.acts.audits())
	var kinds []string
	for _, p := range s.acts.projections {
		for _, n := range p.Notifications {
			kinds = append(kinds, n.Kind+">"+string(n.Role))
			require.Equal(t, "ug", n.Lang)
			require.NotEmpty(t, n.MessageZH)
			require.NotEmpty(t, n.MessageEN)
		}
		if p.Audit != nil && p.Audit.Action == "task.overdue" {
			require.True(t, p.Overdue)
		}
	}
	require.Equal(t, []string{"task.escalated>editor", "deadline.reminder>editor", "deadline.reminder>editor", "task.overdue>editor"}, kinds)
	var events []string
	for _, ev := range s.acts.events {
		events = append(events, ev.Type)
	}
	require.Equal(t, []string{models.EventTaskOverdue, models.EventTranslationPublished}, events)
}

func TestTranslationPublishedInTimeIsNeverOverdue(t *testing.T) {
	s := newSuite(t)
	start := time.Date(2024, 3, 15, 8, 0, 0, 0, time.UTC)
	s.env.SetStartTime(start)
	in := translateIn
	in.Deadline = start.Add(4 * time.Hour)
	// Claimed at once, so nothing escalates; the reminder at 2h goes to
	// the claimant.
	s.at(time.Minute, models.UpdateClaim, act(translator, 1))
	s.at(100*time.Minute, models.UpdateRenew, act(translator, 1))
	s.at(125*time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(126*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(127*time.Minute, models.UpdateApprove, act(reviewer, 2))
	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.NoError(t, s.env.GetWorkflowError())
	require.NotContains(t, s.acts.audits(), "task.overdue")
	require.NotContains(t, s.acts.audits(), "task.escalated")
	var reminded []int64
	for _, p := range s.acts.projections {
		for _, n := range p.Notifications {
			reminded = append(reminded, n.UserID)
		}
	}
	require.Equal(t, []int64{translator.UserID}, reminded)
}

func TestTranslationReviewProfileSkipsTheTranslateTask(t *testing.T) {
	s := newSuite(t)
	in := translateIn
	in.Profile = models.ProfileReview
	claim := s.at(time.Minute, models.UpdateClaim, act(reviewer, 1))
	approve := s.at(2*time.Minute, models.UpdateApprove, act(reviewer, 1))
	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.NoError(t, s.env.GetWorkflowError())
	require.NoError(t, claim.rejected)
	require.Equal(t, models.TaskReview, claim.state.Task.Kind)
	require.NoError(t, approve.failed)
	require.Equal(t, []models.PublishInput{{JobID: 70, ReviewTaskID: 1, ReviewerID: reviewer.UserID}}, s.acts.published)
}

func TestTranslationReviewProfileRejectGoesToTranslators(t *testing.T) {
	s := newSuite(t)
	in := translateIn
	in.Profile = models.ProfileReview
	s.at(time.Minute, models.UpdateClaim, act(reviewer, 1))
	reject := s.at(2*time.Minute, models.UpdateReject, models.RejectInput{Actor: reviewer, TaskID: 1, Comment: "机器译文不可用"})
	s.at(3*time.Minute, models.UpdateClaim, act(translator, 2))
	s.at(4*time.Minute, models.UpdateSubmit, act(translator, 2))
	s.at(5*time.Minute, models.UpdateClaim, act(reviewer, 3))
	s.at(6*time.Minute, models.UpdateApprove, act(reviewer, 3))
	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.NoError(t, s.env.GetWorkflowError())
	require.Equal(t, models.TaskView{ID: 2, Kind: models.TaskTranslate, State: models.TaskOpen, Round: 2}, reject.state.Task)
	require.Equal(t, translator.UserID, s.acts.published[0].TranslatorID)
}

func TestTranslationCorrectionRun(t *testing.T) {
	s := newSuite(t)
	in := translateIn
	in.Correction, in.FeedbackID, in.FirstRound, in.BaseRevision = true, 5, 3, 20
	claim := s.at(time.Minute, models.UpdateClaim, act(translator, 1))
	s.at(2*time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(3*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(4*time.Minute, models.UpdateApprove, act(reviewer, 2))
	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.NoError(t, s.env.GetWorkflowError())
	require.Zero(t, s.acts.assists, "a correction starts from the published text, not from machine assist")
	require.Equal(t, 3, claim.state.Task.Round)
	require.EqualValues(t, 21, s.acts.projections[0].Revision, "the read model's revision counter continues")
	require.Equal(t, "correction.started", s.acts.projections[0].Audit.Action)
	require.EqualValues(t, 5, s.acts.published[0].FeedbackID)
}
