package activities_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"yizhi/activities"
	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
	"yizhi/workflows"
)

// The Standard Webhooks test vector (standard-webhooks spec, "Verifying
// webhooks").
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

// verifyStandardWebhook is a receiver's check, written from the spec and
// independently of activities.SignWebhook: the signed content is
// "{id}.{timestamp}.{body}", the key is the base64 after "whsec_", the
// header lists space-separated "v1,<base64>" signatures, and a timestamp
// more than five minutes off is refused against replays.
func verifyStandardWebhook(secret string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("missing webhook headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("bad timestamp %q", ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s is %s off", ts, d)
	}
	key, err := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
	if err != nil {
		return err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := mac.Sum(nil)
	for _, s := range strings.Split(sigs, " ") {
		version, sig, _ := strings.Cut(s, ",")
		got, err := base64.StdEncoding.DecodeString(sig)
		if version == "v1" && err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("no matching signature")
}

func TestSignWebhookMatchesTheSpecVector(t *testing.T) {
	sig, err := activities.SignWebhook(vectorSecret, vectorID, vectorTimestamp, []byte(vectorBody))
	require.NoError(t, err)
	require.Equal(t, vectorSignature, sig)

	h := http.Header{}
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", strconv.Itoa(vectorTimestamp))
	h.Set("webhook-signature", "v1,bm90IGl0 "+vectorSignature) // a rotated-out key's signature first
	require.NoError(t, verifyStandardWebhook(vectorSecret, h, []byte(vectorBody), time.Unix(vectorTimestamp+30, 0)))
	require.Error(t, verifyStandardWebhook(vectorSecret, h, []byte(`{"test": 2432232315}`), time.Unix(vectorTimestamp, 0)))
	require.Error(t, verifyStandardWebhook(vectorSecret, h, []byte(vectorBody), time.Unix(vectorTimestamp+3600, 0)))

	for _, bad := range []string{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!!", "whsec_"} {
		_, err := activities.SignWebhook(bad, vectorID, vectorTimestamp, []byte(vectorBody))
		require.Error(t, err, bad)
	}
}

// webhookReceiver is a real HTTP endpoint that answers each request with the next
// status of its script (the last one repeats) and keeps what it was sent.
type webhookReceiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	script   []int
	body     string // sent with every non-2xx answer
	requests []receivedRequest
}

type receivedRequest struct {
	header   http.Header
	body     []byte
	verified error
}

func newWebhookReceiver(t *testing.T, body string, script ...int) *webhookReceiver {
	r := &webhookReceiver{t: t, script: script, body: body}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		data, err := io.ReadAll(req.Body)
		require.NoError(t, err)
		r.mu.Lock()
		r.requests = append(r.requests, receivedRequest{
			header: req.Header.Clone(), body: data,
			verified: verifyStandardWebhook(vectorSecret, req.Header, data, time.Now()),
		})
		status := r.script[min(len(r.requests), len(r.script))-1]
		r.mu.Unlock()
		if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
			status = http.StatusBadRequest
		}
		w.WriteHeader(status)
		if status >= 300 {
			io.WriteString(w, r.body)
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *webhookReceiver) received() []receivedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedRequest(nil), r.requests...)
}

func subscribeWebhook(t *testing.T, s *store.Store, url string, events ...string) *models.WebhookSubscription {
	t.Helper()
	w := &models.WebhookSubscription{URL: url, Events: events, Secret: vectorSecret, Active: true}
	require.NoError(t, s.CreateWebhook(t.Context(), w))
	return w
}

// deliver runs the real WebhookDelivery workflow, with its retry policy, on
// the real activities; the test environment skips the backoff waits.
func deliverWebhook(t *testing.T, s *store.Store, in models.WebhookDeliveryInput) error {
	var ts testsuite.WorkflowTestSuite
	ts.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError + 1}))))
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.WebhookDelivery, workflow.RegisterOptions{Name: models.WorkflowWebhookDelivery})
	env.RegisterActivity(&activities.Activities{Store: s, Log: slog.New(slog.DiscardHandler)})
	env.ExecuteWorkflow(models.WorkflowWebhookDelivery, in)
	require.True(t, env.IsWorkflowCompleted())
	return env.GetWorkflowError()
}

var publishedEvent = models.Event{
	ID: "msg_translation_12_ug_v3", Type: models.EventTranslationPublished,
	At: time.Date(2026, 3, 15, 8, 30, 0, 0, time.UTC), DocumentID: 12, Lang: "ug", Version: 3,
	Data: map[string]any{"title": "开庭公告", "document_id": 999},
}

func TestDeliverWebhookRetriesUntilTheReceiverAccepts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rcv := newWebhookReceiver(t, "维护中，请稍后重试", 500, 500, 200)
		sub := subscribeWebhook(t, s, rcv.srv.URL+"/hooks/yizhi", models.EventTranslationPublished)

		require.NoError(t, deliverWebhook(t, s, models.WebhookDeliveryInput{Event: publishedEvent, SubscriptionID: sub.ID}))

		got := rcv.received()
		require.Len(t, got, 3)
		for _, r := range got {
			require.NoError(t, r.verified, "signature as a receiver checks it")
			require.Equal(t, publishedEvent.ID, r.header.Get("webhook-id"), "the same webhook-id on every attempt")
			var payload struct {
				Type      string         `json:"type"`
				Timestamp string         `json:"timestamp"`
				Data      map[string]any `json:"data"`
			}
			require.NoError(t, json.Unmarshal(r.body, &payload))
			require.Equal(t, models.EventTranslationPublished, payload.Type)
			require.Equal(t, "2026-03-15T08:30:00Z", payload.Timestamp)
			require.Equal(t, map[string]any{"document_id": 12.0, "lang": "ug", "version": 3.0, "title": "开庭公告"}, payload.Data)
		}

		log, err := s.WebhookDeliveries(t.Context(), sub.ID, 0, 0)
		require.NoError(t, err)
		require.Len(t, log, 3, "one row per attempt")
		for i, row := range log { // newest first
			attempt := 3 - i
			require.Equal(t, attempt, row.Attempt)
			require.Equal(t, publishedEvent.ID, row.MessageID)
			require.Equal(t, models.EventTranslationPublished, row.EventType)
			if attempt == 3 {
				require.True(t, row.Succeeded)
				require.Equal(t, 200, row.StatusCode)
				require.Empty(t, row.Error)
			} else {
				require.False(t, row.Succeeded)
				require.Equal(t, 500, row.StatusCode)
				require.Equal(t, "维护中，请稍后重试", row.Error)
			}
			require.False(t, row.AttemptedAt.IsZero())
		}
		after, err := s.WebhookByID(t.Context(), sub.ID)
		require.NoError(t, err)
		require.True(t, after.Active)
	})
}

func TestDeliverWebhook410DeactivatesTheSubscription(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rcv := newWebhookReceiver(t, "unsubscribed", http.StatusGone)
		sub := subscribeWebhook(t, s, rcv.srv.URL, models.EventTranslationPublished, models.EventTaskOverdue)

		require.NoError(t, deliverWebhook(t, s, models.WebhookDeliveryInput{Event: publishedEvent, SubscriptionID: sub.ID}),
			"a 410 stops the delivery without failing it")
		require.Len(t, rcv.received(), 1, "no retry after 410")
		after, err := s.WebhookByID(t.Context(), sub.ID)
		require.NoError(t, err)
		require.False(t, after.Active)
		log, err := s.WebhookDeliveries(t.Context(), sub.ID, 0, 0)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, http.StatusGone, log[0].StatusCode)

		// The next event finds the subscription off and sends nothing.
		overdue := models.Event{ID: "msg_task_overdue_31", Type: models.EventTaskOverdue, At: publishedEvent.At, DocumentID: 12, Lang: "ug"}
		require.NoError(t, deliverWebhook(t, s, models.WebhookDeliveryInput{Event: overdue, SubscriptionID: sub.ID}))
		require.Len(t, rcv.received(), 1)
		ids, err := s.ActiveWebhooksFor(t.Context(), models.EventTaskOverdue)
		require.NoError(t, err)
		require.Empty(t, ids)
	})
}

// One attempt at a time, through the activity environment.
func TestDeliverWebhookSingleAttempts(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	_, env := newActivities(t, s)
	attempt := func(sub int64, ev models.Event) error {
		_, err := env.ExecuteActivity(models.ActivityDeliverWebhook, models.WebhookDeliveryInput{Event: ev, SubscriptionID: sub})
		return err
	}
	requireType := func(t *testing.T, err error, typ string, retryable bool) {
		t.Helper()
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr), "%T %v", err, err)
		require.Equal(t, typ, appErr.Type())
		require.Equal(t, !retryable, appErr.NonRetryable())
	}
	lastRow := func(sub int64) models.WebhookDelivery {
		log, err := s.WebhookDeliveries(t.Context(), sub, 1, 0)
		require.NoError(t, err)
		require.Len(t, log, 1)
		return log[0]
	}

	t.Run("long answer is cut to 1 KiB", func(t *testing.T) {
		rcv := newWebhookReceiver(t, strings.Repeat("错", 2000), http.StatusServiceUnavailable)
		sub := subscribeWebhook(t, s, rcv.srv.URL, models.EventTranslationPublished)
		requireType(t, attempt(sub.ID, publishedEvent), "webhook_status", true)
		row := lastRow(sub.ID)
		require.Equal(t, http.StatusServiceUnavailable, row.StatusCode)
		require.LessOrEqual(t, len(row.Error), 1024)
		require.Greater(t, len(row.Error), 1000)
		require.True(t, utf8.ValidString(row.Error))
	})

	t.Run("redirect to another host is not followed", func(t *testing.T) {
		elsewhere := newWebhookReceiver(t, "", http.StatusOK)
		bouncer := httptest.NewServer(http.RedirectHandler(elsewhere.srv.URL+"/steal", http.StatusTemporaryRedirect))
		t.Cleanup(bouncer.Close)
		sub := subscribeWebhook(t, s, bouncer.URL, models.EventTranslationPublished)
		requireType(t, attempt(sub.ID, publishedEvent), "webhook_status", true)
		require.Empty(t, elsewhere.received())
		row := lastRow(sub.ID)
		require.Equal(t, http.StatusTemporaryRedirect, row.StatusCode)
		require.Contains(t, row.Error, "redirect not followed")
	})

	t.Run("redirect on the same host keeps the signed POST", func(t *testing.T) {
		var mu sync.Mutex
		var verified []error
		mux := http.NewServeMux()
		mux.Handle("/old", http.RedirectHandler("/new", http.StatusPermanentRedirect))
		mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			verified = append(verified, verifyStandardWebhook(vectorSecret, r.Header, body, time.Now()))
			mu.Unlock()
		})
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		sub := subscribeWebhook(t, s, srv.URL+"/old", models.EventTranslationPublished)
		require.NoError(t, attempt(sub.ID, publishedEvent))
		require.Equal(t, []error{nil}, verified)
		require.True(t, lastRow(sub.ID).Succeeded)
	})

	t.Run("receiver down", func(t *testing.T) {
		rcv := newWebhookReceiver(t, "", http.StatusOK)
		rcv.srv.Close()
		sub := subscribeWebhook(t, s, rcv.srv.URL+"/?token=s3cret", models.EventTranslationPublished)
		err := attempt(sub.ID, publishedEvent)
		require.Error(t, err)
		require.NotContains(t, err.Error(), "s3cret", "the URL stays out of workflow history")
		row := lastRow(sub.ID)
		require.Zero(t, row.StatusCode)
		require.Contains(t, row.Error, "POST failed")
		require.NotContains(t, row.Error, "s3cret")
	})

	t.Run("deleted, inactive or unsubscribed", func(t *testing.T) {
		rcv := newWebhookReceiver(t, "", http.StatusOK)
		gone := subscribeWebhook(t, s, rcv.srv.URL, models.EventTranslationPublished)
		require.NoError(t, s.DeleteWebhook(t.Context(), gone.ID))
		requireType(t, attempt(gone.ID, publishedEvent), models.WebhookStopInactive, false)

		off := subscribeWebhook(t, s, rcv.srv.URL, models.EventTranslationPublished)
		require.NoError(t, s.DeactivateWebhook(t.Context(), off.ID))
		requireType(t, attempt(off.ID, publishedEvent), models.WebhookStopInactive, false)

		other := subscribeWebhook(t, s, rcv.srv.URL, models.EventFeedbackReceived)
		requireType(t, attempt(other.ID, publishedEvent), models.WebhookStopInactive, false)
		require.Empty(t, rcv.received())
	})
}

func TestWebhookTargets(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	_, env := newActivities(t, s)
	a := subscribeWebhook(t, s, "https://a.example/", models.EventTranslationPublished)
	subscribeWebhook(t, s, "https://b.example/", models.EventTaskOverdue)
	c := subscribeWebhook(t, s, "https://c.example/", models.EventTaskOverdue, models.EventTranslationPublished)
	v, err := env.ExecuteActivity(models.ActivityWebhookTargets, models.EventTranslationPublished)
	require.NoError(t, err)
	var ids []int64
	require.NoError(t, v.Get(&ids))
	require.Equal(t, []int64{a.ID, c.ID}, ids)
}
