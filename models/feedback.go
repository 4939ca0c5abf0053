package models

import "time"

// Feedback states.
const (
	FeedbackOpen       = "open"       // waiting for an editor
	FeedbackDismissed  = "dismissed"  // answered without a change
	FeedbackCorrecting = "correcting" // a correction task is under way
	FeedbackResolved   = "resolved"   // the correction is published
)

// Feedback is what a reader of a published version tells the court (the
// opinion's item 30): collected, acted on and answered in public.
type Feedback struct {
	ID         int64  `gorm:"primaryKey" json:"id"`
	DocumentID int64  `gorm:"index:ix_feedback_doc;not null" json:"document_id"`
	Lang       string `gorm:"size:35;index:ix_feedback_doc;not null" json:"lang"`
	Version    int    `gorm:"not null" json:"version"` // the published version it is about
	Text       string `gorm:"type:text;not null" json:"text"`
	// Contact is for the court only; it is never shown to portals.
	Contact string `gorm:"size:255" json:"contact,omitempty"`
	// RemoteHash identifies the sender's address for abuse handling
	// without storing it.
	RemoteHash        string     `gorm:"size:64" json:"-"`
	Status            string     `gorm:"size:16;index;not null" json:"status"`
	Answer            string     `gorm:"type:text" json:"answer,omitempty"`
	AnsweredBy        int64      `json:"answered_by,omitempty"`
	AnsweredAt        *time.Time `json:"answered_at,omitempty"`
	JobID             int64      `gorm:"index" json:"-"`
	CorrectionVersion int        `json:"correction_version,omitempty"` // the version that answered it
	CreatedAt         time.Time  `json:"created_at"`
}
