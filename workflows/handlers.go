package workflows

import (
	"time"

	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// MaxCommentLength bounds a review comment, which travels in history.
const MaxCommentLength = 4000

// refuse builds a validator rejection. Its type is a models error code so
// the API can answer 403, 409 or 400 without parsing messages.
func refuse(code, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), code, nil)
}

// current checks that taskID is the task the workflow is waiting on.
func (t *translation) current(taskID int64) error {
	if t.finished() {
		return refuse(models.ECONFLICT, "translation is %s", t.state.Phase)
	}
	if t.state.Task.ID == 0 || t.state.Task.ID != taskID {
		return refuse(models.ECONFLICT, "task %d is not the current task of this translation", taskID)
	}
	return nil
}

// held checks that the actor holds the current task's claim and that the
// lease has not run out.
func (t *translation) held(ctx workflow.Context, a models.Actor) error {
	if t.state.Task.State != models.TaskClaimed {
		return refuse(models.ECONFLICT, "task %d is not claimed", t.state.Task.ID)
	}
	if t.state.Task.ClaimantID != a.UserID {
		return refuse(models.EFORBIDDEN, "task %d is claimed by someone else", t.state.Task.ID)
	}
	if !workflow.Now(ctx).Before(t.state.Task.LeaseExpiresAt) {
		return refuse(models.ECONFLICT, "the claim on task %d has expired", t.state.Task.ID)
	}
	return nil
}

// fourEyes refuses a reviewer who translated the round under review.
func (t *translation) fourEyes(a models.Actor) error {
	if t.state.Task.Kind == models.TaskReview && a.UserID == t.state.TranslatorID {
		return refuse(models.EFORBIDDEN, "four-eyes rule: the translator of this version cannot review it")
	}
	return nil
}

func (t *translation) validateClaim(ctx workflow.Context, in models.TaskActionInput) error {
	if err := t.current(in.TaskID); err != nil {
		return err
	}
	if !in.Actor.CanWork(t.state.Task.Kind, t.in.Lang) {
		return refuse(models.EFORBIDDEN, "no %s competence for %s", competenceRole(t.state.Task.Kind), t.in.Lang)
	}
	if err := t.fourEyes(in.Actor); err != nil {
		return err
	}
	if t.state.Task.State != models.TaskOpen {
		return refuse(models.ECONFLICT, "task %d is already claimed", in.TaskID)
	}
	return nil
}

func (t *translation) claim(ctx workflow.Context, in models.TaskActionInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	// Another Update accepted in the same workflow task may have won.
	if err := t.validateClaim(ctx, in); err != nil {
		return t.state, err
	}
	t.state.Task.State = models.TaskClaimed
	t.state.Task.ClaimantID = in.Actor.UserID
	t.state.Task.LeaseExpiresAt = workflow.Now(ctx).Add(t.state.Task.Kind.Lease())
	t.state.Task.Escalated = false
	t.leaseGen++
	return t.state, t.project(ctx, nil, actorAudit("task.claimed", in.Actor))
}

func (t *translation) validateRelease(ctx workflow.Context, in models.TaskActionInput) error {
	if err := t.current(in.TaskID); err != nil {
		return err
	}
	if t.state.Task.State != models.TaskClaimed {
		return refuse(models.ECONFLICT, "task %d is not claimed", in.TaskID)
	}
	// Editors may take a task back from someone who cannot finish it.
	if t.state.Task.ClaimantID != in.Actor.UserID && !hasRole(in.Actor, models.RoleEditor, models.RoleAdmin) {
		return refuse(models.EFORBIDDEN, "task %d is claimed by someone else", in.TaskID)
	}
	return nil
}

func (t *translation) release(ctx workflow.Context, in models.TaskActionInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateRelease(ctx, in); err != nil {
		return t.state, err
	}
	t.state.Task.State = models.TaskOpen
	t.state.Task.ClaimantID = 0
	t.state.Task.LeaseExpiresAt = time.Time{}
	t.openSince = workflow.Now(ctx)
	t.leaseGen++
	return t.state, t.project(ctx, nil, actorAudit("task.released", in.Actor))
}

func (t *translation) validateRenew(ctx workflow.Context, in models.TaskActionInput) error {
	if err := t.current(in.TaskID); err != nil {
		return err
	}
	return t.held(ctx, in.Actor)
}

func (t *translation) renew(ctx workflow.Context, in models.TaskActionInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateRenew(ctx, in); err != nil {
		return t.state, err
	}
	t.state.Task.LeaseExpiresAt = workflow.Now(ctx).Add(t.state.Task.Kind.Lease())
	t.leaseGen++
	return t.state, t.project(ctx, nil, actorAudit("task.renewed", in.Actor))
}

func (t *translation) validateSubmit(ctx workflow.Context, in models.TaskActionInput) error {
	if err := t.current(in.TaskID); err != nil {
		return err
	}
	if t.state.Task.Kind != models.TaskTranslate {
		return refuse(models.ECONFLICT, "task %d is a %s task; only translate tasks are submitted", in.TaskID, t.state.Task.Kind)
	}
	return t.held(ctx, in.Actor)
}

// submit hands the translation to review. Drafts are already in the
// database; the API refused the submit earlier if QA found blocking issues.
func (t *translation) submit(ctx workflow.Context, in models.TaskActionInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateSubmit(ctx, in); err != nil {
		return t.state, err
	}
	done := t.state.Task
	done.State = models.TaskSubmitted
	t.state.TranslatorID = in.Actor.UserID
	return t.state, t.openTask(ctx, models.TaskReview, t.state.Round, 0,
		[]models.TaskView{done}, actorAudit("task.submitted", in.Actor))
}

func (t *translation) validateReview(ctx workflow.Context, a models.Actor, taskID int64) error {
	if err := t.current(taskID); err != nil {
		return err
	}
	if t.state.Task.Kind != models.TaskReview {
		return refuse(models.ECONFLICT, "task %d is a %s task, not a review", taskID, t.state.Task.Kind)
	}
	if err := t.fourEyes(a); err != nil {
		return err
	}
	return t.held(ctx, a)
}

func (t *translation) validateApprove(ctx workflow.Context, in models.TaskActionInput) error {
	return t.validateReview(ctx, in.Actor, in.TaskID)
}

// approve publishes the reviewed version before it returns, so a 200 from
// the API means portals can already read it.
func (t *translation) approve(ctx workflow.Context, in models.TaskActionInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateApprove(ctx, in); err != nil {
		return t.state, err
	}
	var published models.PublishResult
	if err := workflow.ExecuteActivity(withActivityOptions(ctx), models.ActivityPublishVersion, models.PublishInput{
		JobID:        t.in.JobID,
		ReviewTaskID: t.state.Task.ID,
		TranslatorID: t.state.TranslatorID,
		ReviewerID:   in.Actor.UserID,
		FeedbackID:   t.in.FeedbackID,
	}).Get(ctx, &published); err != nil {
		return t.state, err
	}
	done := t.state.Task
	done.State = models.TaskApproved
	t.state.Task = models.TaskView{}
	t.state.Phase = models.JobPublished
	t.state.PublishedVersion = published.Version
	t.leaseGen++
	ev := actorAudit("translation.published", in.Actor)
	ev.ContentHash = published.ContentHash
	if err := t.project(ctx, []models.TaskView{done}, ev); err != nil {
		return t.state, err
	}
	t.emit(ctx, models.EventTranslationPublished,
		fmt.Sprintf("msg_translation_%d_%s_v%d", t.in.DocumentID, t.in.Lang, published.Version),
		published.Version, map[string]any{"content_hash": published.ContentHash, "source_version": t.in.SourceVersion})
	return t.state, nil
}

func (t *translation) validateReject(ctx workflow.Context, in models.RejectInput) error {
	if err := t.validateReview(ctx, in.Actor, in.TaskID); err != nil {
		return err
	}
	if strings.TrimSpace(in.Comment) == "" {
		return refuse(models.EINVALID, "a rejection needs a comment")
	}
	if len(in.Comment) > MaxCommentLength {
		return refuse(models.EINVALID, "comment is longer than %d bytes", MaxCommentLength)
	}
	for _, c := range in.SegmentComments {
		if len(c.Comment) > MaxCommentLength {
			return refuse(models.EINVALID, "comment on segment %d is longer than %d bytes", c.Index, MaxCommentLength)
		}
	}
	return nil
}

// reject records the comments and sends the round back to its translator,
// already claimed, with the drafts untouched.
func (t *translation) reject(ctx workflow.Context, in models.RejectInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateReject(ctx, in); err != nil {
		return t.state, err
	}
	if err := workflow.ExecuteActivity(withActivityOptions(ctx), models.ActivityRecordReview, models.ReviewInput{
		JobID:           t.in.JobID,
		TaskID:          t.state.Task.ID,
		Round:           t.state.Round,
		AuthorID:        in.Actor.UserID,
		Comment:         in.Comment,
		SegmentComments: in.SegmentComments,
	}).Get(ctx, nil); err != nil {
		return t.state, err
	}
	done := t.state.Task
	done.State = models.TaskRejected
	// Without a translator (the review profile), the rejected machine
	// draft goes to the translate pool and the full process takes over.
	return t.state, t.openTask(ctx, models.TaskTranslate, t.state.Round+1, t.state.TranslatorID,
		[]models.TaskView{done}, actorAudit("task.rejected", in.Actor))
}

func competenceRole(k models.TaskKind) models.Role {
	if k == models.TaskReview {
		return models.RoleReviewer
	}
	return models.RoleTranslator
}

func hasRole(a models.Actor, roles ...models.Role) bool {
	for _, have := range a.Roles {
		for _, want := range roles {
			if have == want {
				return true
			}
		}
	}
	return false
}

// validateRevise accepts a newer source version. An older or equal one is
// accepted as a no-op, so a retried request, or the Update that comes with
// the start of a revised run, changes nothing.
func (t *translation) validateRevise(ctx workflow.Context, in models.ReviseInput) error {
	if in.SourceVersion <= 0 {
		return refuse(models.EINVALID, "a revision needs a source version")
	}
	if t.knowsVersion(in.SourceVersion) {
		return nil
	}
	if t.finished() {
		return refuse(models.ECONFLICT, "translation is %s", t.state.Phase)
	}
	return nil
}

func (t *translation) knowsVersion(v int) bool {
	return v <= t.in.SourceVersion || (t.revised != nil && v <= t.revised.SourceVersion)
}

// revise cancels the current task and marks the translation superseded;
// the main loop then continues as a new run on the new source version. The
// drafts of unchanged segments were carried over when the version was
// stored, so the new run starts where this one stopped.
func (t *translation) revise(ctx workflow.Context, in models.ReviseInput) (models.TranslationState, error) {
	if t.knowsVersion(in.SourceVersion) {
		// The run a revision started answers once it has moved its
		// drafts onto the new version, so the caller sees them there.
		return t.state, workflow.Await(ctx, func() bool { return t.synced })
	}
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateRevise(ctx, in); err != nil {
		return t.state, err
	}
	if t.knowsVersion(in.SourceVersion) { // a concurrent revise got here first
		return t.state, nil
	}
	// Drafts move to the new version under the lock, so no publication
	// of the old version can run in between.
	if err := t.reviseJob(ctx, in.SourceVersion, in.Deadline); err != nil {
		return t.state, err
	}
	closed := t.closeTask()
	t.state.Phase = models.JobAssisting
	t.revised = &in
	ev := actorAudit("translation.superseded", in.Actor)
	ev.Details = fmt.Sprintf(`{"superseded_by":%d}`, in.SourceVersion)
	return t.state, t.project(ctx, closed, ev)
}

// reviseJob moves the job's drafts onto a new source version: unchanged
// segments keep their text, changed ones start empty for machine assist.
func (t *translation) reviseJob(ctx workflow.Context, version int, deadline time.Time) error {
	return workflow.ExecuteActivity(withActivityOptions(ctx), models.ActivityReviseJob,
		models.ReviseJobInput{JobID: t.in.JobID, SourceVersion: version, Deadline: deadline}).Get(ctx, nil)
}

// closeTask cancels the current task, if there is one, and returns it for
// the projection that records the change.
func (t *translation) closeTask() []models.TaskView {
	t.leaseGen++
	if t.state.Task.ID == 0 {
		return nil
	}
	done := t.state.Task
	done.State = models.TaskCancelled
	t.state.Task = models.TaskView{}
	return []models.TaskView{done}
}

func (t *translation) validateWithdraw(ctx workflow.Context, in models.WithdrawInput) error {
	if t.finished() {
		return refuse(models.ECONFLICT, "translation is %s", t.state.Phase)
	}
	return nil
}

// withdraw ends the translation: the document was taken down, so whatever
// task is open or claimed is cancelled and nothing will be published.
func (t *translation) withdraw(ctx workflow.Context, in models.WithdrawInput) (models.TranslationState, error) {
	if err := t.mu.Lock(ctx); err != nil {
		return t.state, err
	}
	defer t.mu.Unlock()
	if err := t.validateWithdraw(ctx, in); err != nil {
		return t.state, err
	}
	closed := t.closeTask()
	t.state.Phase = models.JobCancelled
	return t.state, t.project(ctx, closed, actorAudit("translation.withdrawn", in.Actor))
}
