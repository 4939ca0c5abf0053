package activities

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"yizhi/models"
)

// Webhook HTTP limits.
const (
	// webhookTimeout bounds one POST, well inside the activity's 30 s
	// start-to-close, so a hung receiver costs an attempt, not a worker slot
	// until Temporal gives up on it.
	webhookTimeout = 15 * time.Second
	// maxWebhookResponse is how much of a receiver's answer the deliveries
	// log keeps: enough for an error message, too little to fill the table.
	maxWebhookResponse = 1024
	// maxWebhookRedirects bounds the same-host redirects followed.
	maxWebhookRedirects = 3
	// webhookSecretPrefix starts every Standard Webhooks signing secret.
	webhookSecretPrefix = "whsec_"
	// webhookStatusFailure is the ApplicationError type of an attempt the
	// receiver refused; it is retried.
	webhookStatusFailure = "webhook_status"
)

// webhookClient is the HTTP client of webhook deliveries. It follows only
// redirects that stay on the subscribed host and keep the POST: a receiver
// must not be able to bounce a signed event to a third party, and a 301,
// 302 or 303 would turn the POST into a bodiless GET whose 2xx would count
// as delivered.
var webhookClient = &http.Client{
	Timeout: webhookTimeout,
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > maxWebhookRedirects || req.URL.Host != via[0].URL.Host || req.Method != http.MethodPost {
			return http.ErrUseLastResponse
		}
		return nil
	},
}

// httpClient returns the client webhook deliveries use.
func (a *Activities) httpClient() *http.Client {
	return webhookClient
}

// WebhookTargets returns the ids of the active subscriptions that want
// events of eventType, ascending, so the event workflow starts its children
// in a stable order.
func (a *Activities) WebhookTargets(ctx context.Context, eventType string) ([]int64, error) {
	ids, err := a.Store.ActiveWebhooksFor(ctx, eventType)
	if err != nil {
		return nil, activityError(err)
	}
	return ids, nil
}

// DeliverWebhook makes one attempt to deliver an event to one subscription,
// signed per Standard Webhooks, and records the attempt in the deliveries
// log. A 2xx is success; a 410 deactivates the subscription and stops the
// retries; anything else is retried by Temporal with the same webhook-id.
// The subscription is read afresh each attempt, so a URL fixed through the
// API serves the retries still pending.
func (a *Activities) DeliverWebhook(ctx context.Context, in models.WebhookDeliveryInput) error {
	ev := in.Event
	sub, err := a.Store.WebhookByID(ctx, in.SubscriptionID)
	if models.ErrorCode(err) == models.ENOTFOUND || (err == nil && !sub.Wants(ev.Type)) {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("webhook %d is deleted, inactive or no longer wants %s", in.SubscriptionID, ev.Type),
			models.WebhookStopInactive, nil)
	}
	if err != nil {
		return err
	}
	body, err := webhookPayload(ev)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("event cannot be encoded", models.EINVALID, err)
	}

	started := time.Now()
	signature, err := SignWebhook(sub.Secret, ev.ID, started.Unix(), body)
	if err != nil {
		// A stored secret the API did not generate; no retry mends it.
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("webhook %d has an unusable secret", sub.ID), models.EINVALID, err)
	}
	status, snippet, postErr := a.post(ctx, sub.URL, ev.ID, started.Unix(), signature, body)

	d := &models.WebhookDelivery{
		SubscriptionID: sub.ID,
		MessageID:      ev.ID,
		EventType:      ev.Type,
		Attempt:        int(activity.GetInfo(ctx).Attempt),
		StatusCode:     status,
		Succeeded:      postErr == nil && status >= 200 && status < 300,
		DurationMS:     int(time.Since(started).Milliseconds()),
		AttemptedAt:    started,
	}
	switch {
	case postErr != nil:
		d.Error = logText(postErr.Error())
	case !d.Succeeded:
		d.Error = logText(snippet)
	}
	// A lost log row would hide an attempt, even a successful one, so a
	// failure to record fails the attempt: the retry delivers again (the
	// receiver deduplicates on webhook-id) and is recorded in its turn.
	if err := a.Store.AddWebhookDelivery(ctx, d); err != nil {
		return fmt.Errorf("record delivery of %s to webhook %d: %w", ev.ID, sub.ID, err)
	}

	switch {
	case d.Succeeded:
		return nil
	case postErr != nil:
		return postErr
	case status == http.StatusGone:
		if err := a.Store.DeactivateWebhook(ctx, sub.ID); err != nil {
			return fmt.Errorf("deactivate webhook %d after 410: %w", sub.ID, err)
		}
		a.Log.Info("webhook receiver answered 410; subscription deactivated", "webhook", sub.ID, "event", ev.ID)
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("webhook %d answered 410 Gone", sub.ID), models.WebhookStopGone, nil)
	default:
		return temporal.NewApplicationError(fmt.Sprintf("webhook %d answered %d", sub.ID, status), webhookStatusFailure)
	}
}

// post sends one signed request and returns the status and the start of the
// response body. err is set only when no response arrived.
func (a *Activities) post(ctx context.Context, url, msgID string, ts int64, signature string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "yizhi-webhooks/1")
	req.Header.Set("webhook-id", msgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", signature)
	resp, err := a.httpClient().Do(req)
	if err != nil {
		// The URL may carry a receiver's token; the error goes into
		// workflow history and the log without it.
		var uerr *neturl.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return 0, "", fmt.Errorf("POST failed: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxWebhookResponse))
	// Drain a little more so the connection can be reused, but never wait
	// on a receiver that streams forever.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	text := string(snippet)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		text = "redirect not followed (another host, or a method change): " + resp.Header.Get("Location")
	}
	return resp.StatusCode, text, nil
}

// webhookPayload is the Standard Webhooks body: type, timestamp and data.
// The event's own fields win over Data, so an emitter cannot mislabel the
// document a receiver acts on.
func webhookPayload(ev models.Event) ([]byte, error) {
	data := make(map[string]any, len(ev.Data)+3)
	for k, v := range ev.Data {
		data[k] = v
	}
	if ev.DocumentID != 0 {
		data["document_id"] = ev.DocumentID
	}
	if ev.Lang != "" {
		data["lang"] = ev.Lang
	}
	if ev.Version != 0 {
		data["version"] = ev.Version
	}
	return json.Marshal(struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}{ev.Type, ev.At.UTC().Format(time.RFC3339Nano), data})
}

// SignWebhook returns the webhook-signature header value for one message,
// per Standard Webhooks: "v1," + base64(HMAC-SHA256(key, id.timestamp.body)),
// where key is the base64 part of a "whsec_" secret.
func SignWebhook(secret, msgID string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, webhookSecretPrefix))
	if err != nil || !strings.HasPrefix(secret, webhookSecretPrefix) || len(key) == 0 {
		return "", errors.New("webhook secret is not whsec_ followed by base64")
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", msgID, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// logText fits s into the deliveries log's error column: valid UTF-8 (MySQL
// refuses anything else) and at most maxWebhookResponse bytes, cut on a
// character boundary.
func logText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxWebhookResponse {
		return s
	}
	cut := maxWebhookResponse
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
