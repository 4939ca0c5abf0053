package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// deadline is when the translation must be published: the intake's
// deadline, or the priority's window from the start.
func (t *translation) deadline(ctx workflow.Context) time.Time {
	if !t.in.Deadline.IsZero() {
		return t.in.Deadline
	}
	w, ok := t.in.Priority.Window()
	if !ok {
		w = models.NormalWindow
	}
	return workflow.GetInfo(ctx).WorkflowStartTime.Add(w)
}

// watchDeadline runs beside the main loop: it reminds at 50% and 80% of the
// time to the deadline, and marks the translation overdue when the deadline
// passes unpublished. Publication ends it early.
func (t *translation) watchDeadline(ctx workflow.Context) {
	start := workflow.GetInfo(ctx).WorkflowStartTime
	deadline := t.deadline(ctx)
	total := deadline.Sub(start)
	for _, pct := range models.ReminderPercents {
		at := start.Add(total * time.Duration(pct) / 100)
		if !t.sleepUntil(ctx, at) {
			return
		}
		if err := t.remind(ctx, pct, deadline); err != nil {
			workflow.GetLogger(ctx).Error("deadline reminder failed", "percent", pct, "err", err)
		}
	}
	if !t.sleepUntil(ctx, deadline) {
		return
	}
	if err := t.markOverdue(ctx, deadline); err != nil {
		workflow.GetLogger(ctx).Error("marking overdue failed", "err", err)
	}
}

// sleepUntil waits for the time at, and reports false if the translation
// finished first.
func (t *translation) sleepUntil(ctx workflow.Context, at time.Time) bool {
	if d := at.Sub(workflow.Now(ctx)); d > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, d, t.ended); err != nil {
			return false
		}
	}
	return !t.ended()
}

// remind tells whoever holds the task, or the editors if nobody does.
func (t *translation) remind(ctx workflow.Context, pct int, deadline time.Time) error {
	if err := t.mu.Lock(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	if t.ended() {
		return nil
	}
	left := deadline.Sub(workflow.Now(ctx)).Round(time.Minute)
	t.notify(models.RoleEditor, t.state.Task.ClaimantID, "deadline.reminder",
		fmt.Sprintf("%s 译文已用去 %d%% 的时限，距截止还有 %s。", t.in.Lang, pct, left),
		fmt.Sprintf("%d%% of the time for the %s translation is gone; %s left until the deadline.", pct, t.in.Lang, left))
	ev := audit("deadline.reminder", 0, "")
	return t.project(ctx, nil, ev)
}

// markOverdue marks the translation and its task overdue, which puts the
// task at the top of task lists, and tells the editors and the claimant.
func (t *translation) markOverdue(ctx workflow.Context, deadline time.Time) error {
	if err := t.mu.Lock(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	if t.ended() {
		return nil
	}
	t.state.Overdue = true
	when := deadline.UTC().Format(time.RFC3339)
	t.notify(models.RoleEditor, 0, "task.overdue",
		fmt.Sprintf("%s 译文已超过截止时间 %s，尚未发布。", t.in.Lang, when),
		fmt.Sprintf("The %s translation missed its deadline of %s and is not published.", t.in.Lang, when))
	if t.state.Task.ClaimantID != 0 {
		t.notify("", t.state.Task.ClaimantID, "task.overdue",
			fmt.Sprintf("您认领的 %s 任务已逾期。", t.in.Lang),
			fmt.Sprintf("The %s task you hold is overdue.", t.in.Lang))
	}
	if err := t.project(ctx, nil, audit("task.overdue", 0, "")); err != nil {
		return err
	}
	t.emit(ctx, models.EventTaskOverdue, fmt.Sprintf("msg_task_overdue_%d_%s_v%d", t.in.DocumentID, t.in.Lang, t.in.SourceVersion),
		0, map[string]any{"task_id": t.state.Task.ID, "deadline": when, "state": string(t.state.Phase)})
	return nil
}

// escalateWhenUnclaimed waits for the task to change and, if it stays in
// the pool past the escalation time, tells the editors: in a language with
// one qualified reviewer, that reviewer may be the translator.
func (t *translation) escalateWhenUnclaimed(ctx workflow.Context, gen int, changed func() bool) error {
	after := t.in.EscalateUnclaimedAfter
	if after <= 0 {
		after = t.in.Priority.EscalateUnclaimedAfter()
	}
	if remaining := t.openSince.Add(after).Sub(workflow.Now(ctx)); remaining > 0 {
		if ok, err := workflow.AwaitWithTimeout(ctx, remaining, changed); err != nil || ok {
			return err
		}
	}
	if err := t.mu.Lock(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	if t.leaseGen != gen || t.ended() || t.state.Task.State != models.TaskOpen {
		return nil
	}
	t.state.Task.Escalated = true
	waited := workflow.Now(ctx).Sub(t.openSince).Round(time.Minute)
	t.notify(models.RoleEditor, 0, "task.escalated",
		fmt.Sprintf("%s %s 任务已 %s 无人认领。", t.in.Lang, t.state.Task.Kind, waited),
		fmt.Sprintf("The %s %s task has waited %s without a claim.", t.in.Lang, t.state.Task.Kind, waited))
	return t.project(ctx, nil, audit("task.escalated", 0, ""))
}

// notify queues a notification for the next projection, addressed to a
// user, or to everyone with role when userID is 0.
func (t *translation) notify(role models.Role, userID int64, kind, zh, en string) {
	n := models.Notification{
		Kind: kind, DocumentID: t.in.DocumentID, Lang: t.in.Lang, TaskID: t.state.Task.ID,
		UserID: userID, MessageZH: zh, MessageEN: en,
	}
	if userID == 0 {
		n.Role = role
	}
	t.pending = append(t.pending, n)
}
