// Package workflows holds the Temporal workflows that own the translation
// process. They are deterministic: no I/O, no wall clock, no map ranges; all
// text stays in the database and only IDs and hashes pass through history.
package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// Translation runs one document version × target language from machine
// assist through translate and review tasks to publication. Every human
// action arrives as an Update whose validator rejects what is not allowed.
func Translation(ctx workflow.Context, in models.TranslationInput) (models.TranslationResult, error) {
	t, err := newTranslation(ctx, in)
	if err != nil {
		return models.TranslationResult{}, err
	}
	return t.run(ctx)
}

type translation struct {
	in    models.TranslationInput
	state models.TranslationState
	// timers is false when replaying histories recorded before deadline
	// reminders and escalation existed; see versionTimers.
	timers bool
	// openSince is when the current task last went into the pool; the
	// escalation of unclaimed tasks counts from it.
	openSince time.Time
	// leaseGen changes whenever a claim starts, is renewed or ends, so the
	// lease timer in run restarts instead of expiring a newer lease.
	leaseGen int
	// mu serialises handlers that call activities, so read-model writes and
	// state changes happen in the order the actions were accepted.
	mu workflow.Mutex
	// pending notifications go out with the next projection.
	pending []models.Notification
	// revised is set when a newer source version supersedes this run; the
	// main loop then continues as a new run on it.
	revised *models.ReviseInput
	// synced is set once a run has moved the job's drafts onto its source
	// version (if it was revised) and projected its start.
	synced bool
}

// newTranslation validates the input and registers the query and update
// handlers before the workflow first blocks, so no early Update is lost.
func newTranslation(ctx workflow.Context, in models.TranslationInput) (*translation, error) {
	if in.DocumentID <= 0 || in.JobID <= 0 || in.Lang == "" || in.SourceVersion <= 0 {
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("invalid translation input %+v", in), models.EINVALID, nil)
	}
	t := &translation{
		in: in,
		state: models.TranslationState{
			DocumentID: in.DocumentID,
			Lang:       in.Lang,
			Phase:      models.JobAssisting,
			Revision:   in.BaseRevision,
		},
		mu: workflow.NewMutex(ctx),
	}
	if err := workflow.SetQueryHandler(ctx, models.QueryState, func() (models.TranslationState, error) {
		return t.state, nil
	}); err != nil {
		return nil, err
	}
	handlers := []struct {
		name      string
		handler   any
		validator any
	}{
		{models.UpdateClaim, t.claim, t.validateClaim},
		{models.UpdateRelease, t.release, t.validateRelease},
		{models.UpdateRenew, t.renew, t.validateRenew},
		{models.UpdateSubmit, t.submit, t.validateSubmit},
		{models.UpdateApprove, t.approve, t.validateApprove},
		{models.UpdateReject, t.reject, t.validateReject},
		{models.UpdateRevise, t.revise, t.validateRevise},
		{models.UpdateWithdraw, t.withdraw, t.validateWithdraw},
	}
	for _, h := range handlers {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler,
			workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Versions of this workflow's code, for workflow.GetVersion: a running
// translation started before a change replays the old way.
const (
	// versionTimers adds deadline reminders, overdue marking and the
	// escalation of unclaimed tasks.
	versionTimers workflow.Version = 1
	// versionEvents fires webhook events (translation.published,
	// task.overdue).
	versionEvents workflow.Version = 1
)

// emit fires a webhook event if this run's code version has events. An
// event that cannot be handed off is logged, not returned: the state
// change it reports has already happened.
func (t *translation) emit(ctx workflow.Context, kind, id string, version int, data map[string]any) {
	if workflow.GetVersion(ctx, "events", workflow.DefaultVersion, versionEvents) < versionEvents {
		return
	}
	ev := models.Event{
		ID: id, Type: kind, At: workflow.Now(ctx).UTC(),
		DocumentID: t.in.DocumentID, Lang: t.in.Lang, Version: version, Data: data,
	}
	if err := Emit(ctx, ev); err != nil {
		workflow.GetLogger(ctx).Error("webhook event not handed off", "event", id, "err", err)
	}
}

func (t *translation) run(ctx workflow.Context) (models.TranslationResult, error) {
	t.timers = workflow.GetVersion(ctx, "timers", workflow.DefaultVersion, versionTimers) >= versionTimers
	if t.timers {
		workflow.Go(ctx, t.watchDeadline)
	}
	if t.in.Revised {
		if err := t.reviseJob(ctx, t.in.SourceVersion, t.in.Deadline); err != nil {
			return models.TranslationResult{}, err
		}
	}
	started := "translation.started"
	switch {
	case t.in.Correction:
		started = "correction.started"
	case t.in.Revised:
		started = "translation.revised"
	}
	if err := t.project(ctx, nil, audit(started, 0, "")); err != nil {
		return models.TranslationResult{}, err
	}
	// The read model now shows this run; a revise Update that came with
	// its start may answer.
	t.synced = true
	if t.in.Revised && t.in.OutdatedVersion > 0 {
		t.emit(ctx, models.EventTranslationOutdated,
			fmt.Sprintf("msg_translation_outdated_%d_%s_v%d_s%d", t.in.DocumentID, t.in.Lang, t.in.OutdatedVersion, t.in.SourceVersion),
			t.in.OutdatedVersion, map[string]any{"source_version": t.in.SourceVersion})
	}
	// A correction starts from the published text, which the drafts hold.
	if !t.in.Correction {
		var assisted models.AssistResult
		err := workflow.ExecuteActivity(withAssistOptions(withActivityOptions(ctx)), models.ActivityMachineAssist,
			models.AssistInput{JobID: t.in.JobID}).Get(ctx, &assisted)
		if isGone(err) {
			return t.endWithdrawn(ctx)
		}
		if err != nil {
			return models.TranslationResult{}, err
		}
		workflow.GetLogger(ctx).Info("machine assist done",
			"segments", assisted.Segments, "suggested", assisted.Suggested)
	}

	if err := t.mu.Lock(ctx); err != nil {
		return models.TranslationResult{}, err
	}
	// A revision or withdrawal may have arrived during machine assist.
	var err error
	if !t.ended() {
		first := models.TaskTranslate
		if t.in.Profile == models.ProfileReview && !t.in.Correction {
			first = models.TaskReview
		}
		err = t.openTask(ctx, first, max(t.in.FirstRound, 1), 0, nil, audit("task.opened", 0, ""))
	}
	t.mu.Unlock()
	if isGone(err) {
		return t.endWithdrawn(ctx)
	}
	if err != nil {
		return models.TranslationResult{}, err
	}

	for !t.ended() {
		if err := t.waitForChange(ctx); err != nil {
			return models.TranslationResult{}, err
		}
	}
	// Handlers may still be returning their results to callers.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return models.TranslationResult{}, err
	}
	if t.revised != nil {
		return models.TranslationResult{}, workflow.NewContinueAsNewError(ctx, models.WorkflowTranslation, t.nextRun())
	}
	return models.TranslationResult{
		Lang:             t.in.Lang,
		State:            t.state.Phase,
		PublishedVersion: t.state.PublishedVersion,
		Rounds:           t.state.Round,
	}, nil
}

func (t *translation) finished() bool {
	return t.state.Phase == models.JobPublished || t.state.Phase == models.JobCancelled
}

// ended reports whether this run has nothing more to do: the translation
// finished, or a revision superseded it.
func (t *translation) ended() bool {
	return t.finished() || t.revised != nil
}

// nextRun is the input of the run that continues this one on the revised
// source: rounds and the read model's revisions count on.
func (t *translation) nextRun() models.TranslationInput {
	next := t.in
	next.SourceVersion = t.revised.SourceVersion
	if !t.revised.Deadline.IsZero() {
		next.Deadline = t.revised.Deadline
	}
	next.FirstRound = t.state.Round + 1
	next.BaseRevision = t.state.Revision
	next.Revised = true
	next.Correction = false
	next.OutdatedVersion = t.revised.OutdatedVersion
	return next
}

// isGone reports an activity's refusal to work on a withdrawn document.
func isGone(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == models.EGONE
}

// endWithdrawn finishes a run whose document was withdrawn before the
// withdrawal could reach it as an Update (it had not started yet).
func (t *translation) endWithdrawn(ctx workflow.Context) (models.TranslationResult, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return models.TranslationResult{}, err
	}
	defer t.mu.Unlock()
	if !t.finished() {
		closed := t.closeTask()
		t.state.Phase = models.JobCancelled
		if err := t.project(ctx, closed, audit("translation.withdrawn", 0, "")); err != nil {
			return models.TranslationResult{}, err
		}
	}
	return models.TranslationResult{Lang: t.in.Lang, State: t.state.Phase, Rounds: t.state.Round}, nil
}

// waitForChange blocks until a handler changes the task or, while the task is
// claimed, until its lease runs out; an expired lease returns the task to
// the pool.
func (t *translation) waitForChange(ctx workflow.Context) error {
	gen := t.leaseGen
	changed := func() bool { return t.leaseGen != gen || t.ended() }
	if t.state.Task.State != models.TaskClaimed {
		if !t.timers || t.state.Task.Escalated {
			return workflow.Await(ctx, changed)
		}
		return t.escalateWhenUnclaimed(ctx, gen, changed)
	}
	remaining := t.state.Task.LeaseExpiresAt.Sub(workflow.Now(ctx))
	if remaining > 0 {
		if ok, err := workflow.AwaitWithTimeout(ctx, remaining, changed); err != nil || ok {
			return err
		}
	}
	if err := t.mu.Lock(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	// A renew or release may have won the race for the lock.
	if t.leaseGen != gen || t.state.Task.State != models.TaskClaimed {
		return nil
	}
	expired := t.state.Task.ClaimantID
	t.state.Task.State = models.TaskOpen
	t.state.Task.ClaimantID = 0
	t.state.Task.LeaseExpiresAt = time.Time{}
	t.openSince = workflow.Now(ctx)
	t.leaseGen++
	return t.project(ctx, nil, audit("task.lease_expired", expired, ""))
}

// openTask creates the next task row and makes it current. A claimant > 0
// receives the task already claimed, as a rejected round goes straight
// back to its translator. closed lists the task this one follows; both
// change in one projection, so the read model never shows two live tasks
// or none.
func (t *translation) openTask(ctx workflow.Context, kind models.TaskKind, round int, claimant int64, closed []models.TaskView, ev *models.AuditEvent) error {
	var id int64
	if err := workflow.ExecuteActivity(withActivityOptions(ctx), models.ActivityOpenTask,
		models.OpenTaskInput{JobID: t.in.JobID, Kind: kind, Round: round}).Get(ctx, &id); err != nil {
		return err
	}
	t.state.Round = round
	t.state.Task = models.TaskView{ID: id, Kind: kind, State: models.TaskOpen, Round: round}
	t.openSince = workflow.Now(ctx)
	if claimant > 0 {
		t.state.Task.State = models.TaskClaimed
		t.state.Task.ClaimantID = claimant
		t.state.Task.LeaseExpiresAt = workflow.Now(ctx).Add(kind.Lease())
	}
	t.state.Phase = models.JobTranslating
	if kind == models.TaskReview {
		t.state.Phase = models.JobReviewing
	}
	t.leaseGen++
	return t.project(ctx, closed, ev)
}

// project writes the current state to the read model under a new revision.
// closed lists tasks that ended with this change.
func (t *translation) project(ctx workflow.Context, closed []models.TaskView, ev *models.AuditEvent) error {
	t.state.Revision++
	p := models.Projection{
		JobID:            t.in.JobID,
		Revision:         t.state.Revision,
		JobState:         t.state.Phase,
		Round:            t.state.Round,
		PublishedVersion: t.state.PublishedVersion,
		Task:             t.state.Task,
		ClosedTasks:      closed,
		Overdue:          t.state.Overdue,
		Notifications:    t.pending,
	}
	t.pending = nil
	if ev != nil {
		ev.Key = fmt.Sprintf("job:%d:rev:%d", t.in.JobID, t.state.Revision)
		ev.At = workflow.Now(ctx).UTC()
		ev.DocumentID = t.in.DocumentID
		ev.Lang = t.in.Lang
		if ev.Version == 0 {
			ev.Version = t.in.SourceVersion
		}
		if t.state.Task.ID != 0 {
			ev.Details = fmt.Sprintf(`{"round":%d,"task_id":%d}`, t.state.Round, t.state.Task.ID)
		}
		p.Audit = ev
	}
	return workflow.ExecuteActivity(withActivityOptions(ctx), models.ActivityApplyProjection, p).Get(ctx, nil)
}

func audit(action string, actorID int64, contentHash string) *models.AuditEvent {
	return &models.AuditEvent{Action: action, ActorID: actorID, ContentHash: contentHash}
}

func actorAudit(action string, a models.Actor) *models.AuditEvent {
	return &models.AuditEvent{Action: action, ActorID: a.UserID, Actor: a.Name}
}

const (
	projectionTimeout = 30 * time.Second
	assistTimeout     = 10 * time.Minute
	assistHeartbeat   = 30 * time.Second
)

// withActivityOptions is applied at each call rather than once in run,
// because update handlers receive their own context.
func withActivityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: projectionTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        30 * time.Second,
			NonRetryableErrorTypes: []string{models.EINVALID, models.ENOTFOUND},
		},
	})
}

func withAssistOptions(ctx workflow.Context) workflow.Context {
	opts := workflow.GetActivityOptions(ctx)
	opts.StartToCloseTimeout = assistTimeout
	opts.HeartbeatTimeout = assistHeartbeat
	return workflow.WithActivityOptions(ctx, opts)
}
