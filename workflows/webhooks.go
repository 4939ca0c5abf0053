package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// Webhook delivery is at least once: Temporal retries DeliverWebhook with
// backoff for up to three days, the Standard Webhooks retry horizon, and the
// webhook-id stays the same so receivers can drop duplicates.
const (
	webhookAttemptTimeout  = 30 * time.Second // one POST, above the HTTP client's own 15 s
	webhookRetryHorizon    = 72 * time.Hour
	webhookInitialInterval = 5 * time.Second
	webhookMaximumInterval = time.Hour
	webhookTargetsTimeout  = 30 * time.Second
)

// Emit fires an event from another workflow. It starts the event's
// EventWorkflow as an abandoned child and returns once the child has
// started, so the event survives the emitter finishing, failing or being
// cancelled. ev.ID must be derived from the emitter's state, so a replay, or
// the same fact emitted twice, starts nothing new.
func Emit(ctx workflow.Context, ev models.Event) error {
	if ev.ID == "" || !models.ValidEventType(ev.Type) {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("invalid event id %q type %q", ev.ID, ev.Type), models.EINVALID, nil)
	}
	if ev.At.IsZero() {
		ev.At = workflow.Now(ctx).UTC()
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            models.EventWorkflowID(ev.ID),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	})
	return childStarted(ctx, workflow.ExecuteChildWorkflow(cctx, models.WorkflowEvent, models.EventInput{Event: ev}))
}

// childStarted waits for a child to start. A child that already exists under
// the same ID was started by an earlier emit of the same event: the work is
// handed off either way.
func childStarted(ctx workflow.Context, f workflow.ChildWorkflowFuture) error {
	err := f.GetChildWorkflowExecution().Get(ctx, nil)
	if err != nil && temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return nil
	}
	return err
}

// Event fans one event out to its subscriptions: one WebhookDelivery child
// per subscription, so a slow or dead receiver delays nobody else. It ends
// as soon as every child has started; the children carry on abandoned.
func Event(ctx workflow.Context, in models.EventInput) error {
	ev := in.Event
	if ev.ID == "" || ev.Type == "" {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("invalid event id %q type %q", ev.ID, ev.Type), models.EINVALID, nil)
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: webhookTargetsTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
	var subs []int64
	if err := workflow.ExecuteActivity(actx, models.ActivityWebhookTargets, ev.Type).Get(ctx, &subs); err != nil {
		return err
	}
	// Start every child before waiting on any, so they start together.
	futures := make([]workflow.ChildWorkflowFuture, len(subs))
	for i, sub := range subs {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:        models.WebhookDeliveryWorkflowID(ev.ID, sub),
			ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
			// A delivery that already ran for this event and subscription
			// is not run again.
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, models.WorkflowWebhookDelivery,
			models.WebhookDeliveryInput{Event: ev, SubscriptionID: sub})
	}
	for i, f := range futures {
		if err := childStarted(ctx, f); err != nil {
			return fmt.Errorf("start delivery to webhook %d: %w", subs[i], err)
		}
	}
	workflow.GetLogger(ctx).Info("event handed off", "event", ev.ID, "type", ev.Type, "subscriptions", len(subs))
	return nil
}

// WebhookDelivery delivers one event to one subscription, retrying with
// backoff until the receiver answers 2xx, answers 410 Gone, the
// subscription goes away, or the retry horizon passes.
func WebhookDelivery(ctx workflow.Context, in models.WebhookDeliveryInput) error {
	if in.Event.ID == "" || in.SubscriptionID <= 0 {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("invalid delivery of event %q to webhook %d", in.Event.ID, in.SubscriptionID), models.EINVALID, nil)
	}
	actx := workflow.WithActivityOptions(ctx, deliveryOptions())
	err := workflow.ExecuteActivity(actx, models.ActivityDeliverWebhook, in).Get(ctx, nil)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && (appErr.Type() == models.WebhookStopInactive || appErr.Type() == models.WebhookStopGone) {
		// The subscriber said stop, or no longer exists: nothing failed,
		// and the deliveries log already shows why.
		workflow.GetLogger(ctx).Info("webhook delivery stopped",
			"event", in.Event.ID, "webhook", in.SubscriptionID, "reason", appErr.Type())
		return nil
	}
	return err
}

// deliveryOptions is the retry schedule of one delivery: 5 s, 10 s, 20 s …
// capped at an hour, for up to 72 h in all.
func deliveryOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    webhookAttemptTimeout,
		ScheduleToCloseTimeout: webhookRetryHorizon,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        webhookInitialInterval,
			BackoffCoefficient:     2,
			MaximumInterval:        webhookMaximumInterval,
			NonRetryableErrorTypes: []string{models.WebhookStopInactive, models.WebhookStopGone, models.EINVALID},
		},
	}
}
