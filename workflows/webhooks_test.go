package workflows

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// fakeReceiver stands in for the webhook activities. fail decides the
// outcome of each attempt.
type fakeReceiver struct {
	mu       sync.Mutex
	targets  []int64
	attempts []deliveryAttempt
	fail     func(attempt int32) error
	now      func() time.Time // the test environment's clock; activity info carries the wall clock
}

type deliveryAttempt struct {
	in      models.WebhookDeliveryInput
	attempt int32
	at      time.Time
	info    activity.Info
}

func (f *fakeReceiver) targetsFor(_ context.Context, eventType string) ([]int64, error) {
	return f.targets, nil
}

func (f *fakeReceiver) deliver(ctx context.Context, in models.WebhookDeliveryInput) error {
	info := activity.GetInfo(ctx)
	f.mu.Lock()
	f.attempts = append(f.attempts, deliveryAttempt{in: in, attempt: info.Attempt, at: f.now(), info: info})
	f.mu.Unlock()
	if f.fail != nil {
		return f.fail(info.Attempt)
	}
	return nil
}

func (f *fakeReceiver) delivered() []deliveryAttempt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.attempts)
}

type webhookSuite struct {
	env      *testsuite.TestWorkflowEnvironment
	receiver *fakeReceiver
	mu       sync.Mutex
	children []string // workflow IDs of the children started, in order
}

func newWebhookSuite(t *testing.T) *webhookSuite {
	var ts testsuite.WorkflowTestSuite
	ts.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(Event, workflow.RegisterOptions{Name: models.WorkflowEvent})
	env.RegisterWorkflowWithOptions(WebhookDelivery, workflow.RegisterOptions{Name: models.WorkflowWebhookDelivery})
	r := &fakeReceiver{now: env.Now}
	env.RegisterActivityWithOptions(r.targetsFor, activity.RegisterOptions{Name: models.ActivityWebhookTargets})
	env.RegisterActivityWithOptions(r.deliver, activity.RegisterOptions{Name: models.ActivityDeliverWebhook})
	s := &webhookSuite{env: env, receiver: r}
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.children = append(s.children, info.WorkflowExecution.ID)
	})
	return s
}

func (s *webhookSuite) started() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.children)
}

var publishedEvent = models.Event{
	ID: "msg_translation_7_ug_v1", Type: models.EventTranslationPublished,
	At: time.Date(2026, 3, 15, 8, 0, 0, 0, time.UTC), DocumentID: 7, Lang: "ug", Version: 1,
}

func TestEventFansOutToEachSubscription(t *testing.T) {
	s := newWebhookSuite(t)
	s.receiver.targets = []int64{3, 5, 9}
	s.env.ExecuteWorkflow(models.WorkflowEvent, models.EventInput{Event: publishedEvent})
	require.True(t, s.env.IsWorkflowCompleted())
	require.NoError(t, s.env.GetWorkflowError())

	// The children run concurrently, so their start order is not fixed.
	require.ElementsMatch(t, []string{
		"webhook:msg_translation_7_ug_v1:3", "webhook:msg_translation_7_ug_v1:5", "webhook:msg_translation_7_ug_v1:9",
	}, s.started())
	var subs []int64
	for _, a := range s.receiver.delivered() {
		require.Equal(t, publishedEvent, a.in.Event)
		subs = append(subs, a.in.SubscriptionID)
	}
	slices.Sort(subs)
	require.Equal(t, []int64{3, 5, 9}, subs)
}

// The event workflow hands off and ends; it does not wait for receivers.
func TestEventDoesNotWaitForDelivery(t *testing.T) {
	s := newWebhookSuite(t)
	s.receiver.targets = []int64{1, 2}
	s.receiver.fail = func(int32) error { return errors.New("receiver down") }
	// Let the run end with the parent, leaving the children retrying.
	s.env.SetDetachedChildWait(false)
	s.env.ExecuteWorkflow(models.WorkflowEvent, models.EventInput{Event: publishedEvent})
	require.True(t, s.env.IsWorkflowCompleted())
	require.NoError(t, s.env.GetWorkflowError())
	require.Len(t, s.started(), 2)
	require.Less(t, len(s.receiver.delivered()), 10, "the event waited for the retries")
}

func TestEventWithoutSubscribers(t *testing.T) {
	s := newWebhookSuite(t)
	s.env.ExecuteWorkflow(models.WorkflowEvent, models.EventInput{Event: publishedEvent})
	require.True(t, s.env.IsWorkflowCompleted())
	require.NoError(t, s.env.GetWorkflowError())
	require.Empty(t, s.started())
}

func TestWebhookDeliveryRetriesWithBackoffUntilSuccess(t *testing.T) {
	s := newWebhookSuite(t)
	s.receiver.fail = func(attempt int32) error {
		if attempt < 4 {
			return temporal.NewApplicationError("receiver answered 500", "webhook_status")
		}
		return nil
	}
	s.env.ExecuteWorkflow(models.WorkflowWebhookDelivery, models.WebhookDeliveryInput{Event: publishedEvent, SubscriptionID: 3})
	require.True(t, s.env.IsWorkflowCompleted())
	require.NoError(t, s.env.GetWorkflowError())

	got := s.receiver.delivered()
	require.Len(t, got, 4)
	var gaps []time.Duration
	for i, a := range got {
		require.EqualValues(t, i+1, a.attempt)
		require.Equal(t, int64(3), a.in.SubscriptionID)
		if i > 0 {
			gaps = append(gaps, a.at.Sub(got[i-1].at).Round(time.Second))
		}
	}
	require.Equal(t, []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second}, gaps)
	info := got[0].info
	require.Equal(t, 30*time.Second, info.StartToCloseTimeout)
	require.Equal(t, 72*time.Hour, info.ScheduleToCloseTimeout)
}

// A receiver that never recovers fails the delivery workflow once retries
// run out, so it shows as failed rather than done. The test environment caps
// attempts at 10 where the server allows as many as fit in 72 h, so the
// horizon and the hourly cap are checked on the policy the activity sees.
func TestWebhookDeliveryFailsWhenRetriesRunOut(t *testing.T) {
	s := newWebhookSuite(t)
	s.receiver.fail = func(int32) error { return temporal.NewApplicationError("receiver answered 503", "webhook_status") }
	s.env.ExecuteWorkflow(models.WorkflowWebhookDelivery, models.WebhookDeliveryInput{Event: publishedEvent, SubscriptionID: 3})
	require.True(t, s.env.IsWorkflowCompleted())
	require.ErrorContains(t, s.env.GetWorkflowError(), "receiver answered 503")

	got := s.receiver.delivered()
	require.Len(t, got, 10)
	for i := 1; i < len(got); i++ {
		require.Equal(t, 5*time.Second<<(i-1), got[i].at.Sub(got[i-1].at).Round(time.Second))
	}
	require.Equal(t, 72*time.Hour, got[0].info.ScheduleToCloseTimeout)
	opts := deliveryOptions()
	require.Equal(t, time.Hour, opts.RetryPolicy.MaximumInterval)
	require.Zero(t, opts.RetryPolicy.MaximumAttempts, "the horizon, not a count, ends the retries")
	require.Subset(t, opts.RetryPolicy.NonRetryableErrorTypes, []string{models.WebhookStopGone, models.WebhookStopInactive})
}

func TestWebhookDeliveryStopsWhenTheReceiverSaysGone(t *testing.T) {
	for _, stop := range []string{models.WebhookStopGone, models.WebhookStopInactive} {
		t.Run(stop, func(t *testing.T) {
			s := newWebhookSuite(t)
			// Retryable as far as the activity says: the workflow's
			// policy alone must stop it.
			s.receiver.fail = func(int32) error { return temporal.NewApplicationError("stop", stop) }
			s.env.ExecuteWorkflow(models.WorkflowWebhookDelivery, models.WebhookDeliveryInput{Event: publishedEvent, SubscriptionID: 3})
			require.True(t, s.env.IsWorkflowCompleted())
			require.NoError(t, s.env.GetWorkflowError(), "a stop is not a failure")
			require.Len(t, s.receiver.delivered(), 1)
		})
	}
}

// eventEmitter stands for a translation workflow that fires the same event
// twice, as a retried step or a replayed handler would.
func eventEmitter(ctx workflow.Context, events []models.Event) error {
	for _, ev := range events {
		if err := Emit(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

func TestEmitStartsOneEventWorkflowPerEventID(t *testing.T) {
	s := newWebhookSuite(t)
	s.env.RegisterWorkflow(eventEmitter)
	s.receiver.targets = []int64{4}
	overdue := models.Event{ID: "msg_task_overdue_31", Type: models.EventTaskOverdue, DocumentID: 7, Lang: "ug"}
	s.env.ExecuteWorkflow(eventEmitter, []models.Event{publishedEvent, publishedEvent, overdue, publishedEvent})
	require.True(t, s.env.IsWorkflowCompleted())
	require.NoError(t, s.env.GetWorkflowError())

	require.ElementsMatch(t, []string{
		"event:msg_translation_7_ug_v1", "webhook:msg_translation_7_ug_v1:4",
		"event:msg_task_overdue_31", "webhook:msg_task_overdue_31:4",
	}, s.started())
	got := s.receiver.delivered()
	require.Len(t, got, 2)
	for _, a := range got {
		if a.in.Event.ID == overdue.ID {
			require.False(t, a.in.Event.At.IsZero(), "Emit stamps the event with workflow time")
		}
	}
}

func TestEmitRefusesABadEvent(t *testing.T) {
	s := newWebhookSuite(t)
	s.env.RegisterWorkflow(eventEmitter)
	s.env.ExecuteWorkflow(eventEmitter, []models.Event{{ID: "msg_1", Type: "translation.finished"}})
	require.True(t, s.env.IsWorkflowCompleted())
	requireRefused(t, s.env.GetWorkflowError(), models.EINVALID)
	require.Empty(t, s.started())
}
