package models

import (
	"fmt"
	"time"
)

// Webhook event types, as DESIGN.md names them. A subscription lists the
// ones it wants; the payload's "type" is one of these.
const (
	EventTranslationPublished = "translation.published"
	EventTranslationOutdated  = "translation.outdated"
	EventTranslationWithdrawn = "translation.withdrawn"
	EventTaskOverdue          = "task.overdue"
	EventFeedbackReceived     = "feedback.received"
)

// EventTypes lists every event a subscription may ask for, in the order the
// API documents them.
var EventTypes = []string{
	EventTranslationPublished, EventTranslationOutdated, EventTranslationWithdrawn,
	EventTaskOverdue, EventFeedbackReceived,
}

// ValidEventType reports whether t is a known event type.
func ValidEventType(t string) bool {
	for _, known := range EventTypes {
		if t == known {
			return true
		}
	}
	return false
}

// WebhookSubscription is a receiver of events. Secret is a Standard Webhooks
// signing secret ("whsec_" + base64 of random bytes). It is stored as is
// because signing needs the key itself, not a hash of it; the API shows it
// once, on create, and never serialises it otherwise.
type WebhookSubscription struct {
	ID          int64     `gorm:"primaryKey" json:"id"`
	URL         string    `gorm:"size:2048;not null" json:"url"`
	Events      []string  `gorm:"serializer:json;type:text" json:"events"`
	Secret      string    `gorm:"size:128;not null" json:"-"`
	Active      bool      `gorm:"not null" json:"active"`
	Description string    `gorm:"size:255;not null" json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Wants reports whether the subscription is active and asks for events of
// type t.
func (w *WebhookSubscription) Wants(t string) bool {
	if !w.Active {
		return false
	}
	for _, e := range w.Events {
		if e == t {
			return true
		}
	}
	return false
}

// WebhookDelivery is one attempt to deliver one event to one subscription:
// the deliveries log. Retries of the same event share MessageID (the
// webhook-id header) and differ in Attempt.
type WebhookDelivery struct {
	ID             int64     `gorm:"primaryKey" json:"id"`
	SubscriptionID int64     `gorm:"index;not null" json:"subscription_id"`
	MessageID      string    `gorm:"size:191;index;not null" json:"message_id"`
	EventType      string    `gorm:"size:64;not null" json:"event_type"`
	Attempt        int       `gorm:"not null" json:"attempt"`
	StatusCode     int       `gorm:"not null" json:"status_code"` // 0 when no response arrived
	Error          string    `gorm:"size:1024;not null" json:"error,omitempty"`
	Succeeded      bool      `gorm:"not null" json:"succeeded"`
	DurationMS     int       `gorm:"not null" json:"duration_ms"`
	AttemptedAt    time.Time `gorm:"not null" json:"attempted_at"`
}

// Event is what a webhook tells its receiver. It is not a table: it travels
// through workflow history, so Data holds small JSON values only (numbers
// come back as float64 after the round trip).
type Event struct {
	// ID is "msg_" plus an id the emitting workflow derives from its own
	// state, e.g. "msg_translation_12_ug_v3". It is the webhook-id header,
	// the same on every retry, so receivers can drop duplicates; and it names
	// the event workflow, so emitting twice delivers once.
	ID         string
	Type       string
	At         time.Time
	DocumentID int64
	Lang       string
	Version    int
	Data       map[string]any
}

// Workflow type names of webhook delivery.
const (
	WorkflowEvent           = "EventWorkflow"
	WorkflowWebhookDelivery = "WebhookDeliveryWorkflow"
)

// EventWorkflowID is the ID of the workflow that fans one event out to its
// subscriptions. One ID per event makes a repeated emit a no-op.
func EventWorkflowID(eventID string) string {
	return "event:" + eventID
}

// WebhookDeliveryWorkflowID is the ID of the workflow that delivers one
// event to one subscription.
func WebhookDeliveryWorkflowID(eventID string, subscriptionID int64) string {
	return fmt.Sprintf("webhook:%s:%d", eventID, subscriptionID)
}

// EventInput starts an EventWorkflow.
type EventInput struct {
	Event Event
}

// WebhookDeliveryInput starts a WebhookDeliveryWorkflow and is the input of
// the DeliverWebhook activity.
type WebhookDeliveryInput struct {
	Event          Event
	SubscriptionID int64
}

// ApplicationError types of DeliverWebhook failures that no retry can fix.
// The delivery workflow stops on them without failing: they are decisions,
// not faults.
const (
	// WebhookStopInactive: the subscription was deleted, deactivated, or no
	// longer asks for this event type.
	WebhookStopInactive = "webhook_inactive"
	// WebhookStopGone: the receiver answered 410 Gone, which the Standard
	// Webhooks spec defines as "stop sending"; the subscription is
	// deactivated.
	WebhookStopGone = "webhook_gone"
)
