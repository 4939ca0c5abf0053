package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"yizhi/models"
)

// CreateFeedback records a reader's feedback as an open item for editors.
// The audit trail records that it arrived and the hash of its text.
func (s *Store) CreateFeedback(ctx context.Context, f *models.Feedback) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		f.ID, f.Status = 0, models.FeedbackOpen
		if err := tx.Create(f).Error; err != nil {
			return err
		}
		return appendAudit(tx, &models.AuditEvent{
			Action: AuditFeedbackReceived, Actor: "public", DocumentID: f.DocumentID, Lang: f.Lang,
			Version: f.Version, ContentHash: models.ContentHash(f.Text),
			Details: canonicalJSON(map[string]int64{"feedback_id": f.ID}),
		})
	})
}

// AuditFeedbackReceived records a reader's feedback arriving.
const AuditFeedbackReceived = "feedback.received"

// FeedbackByID returns one feedback item.
func (s *Store) FeedbackByID(ctx context.Context, id int64) (*models.Feedback, error) {
	var f models.Feedback
	err := s.db.WithContext(ctx).Take(&f, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENOTFOUND, "no feedback with id %d", id)
	}
	return &f, err
}

// FeedbackFilter selects feedback for the editors' inbox or for portals.
type FeedbackFilter struct {
	Status     string
	DocumentID int64
	Lang       string
	Answered   bool // only items with a public answer
	AfterID    int64
	Limit      int
}

// ListFeedback returns feedback in the order it arrived.
func (s *Store) ListFeedback(ctx context.Context, f FeedbackFilter) ([]models.Feedback, error) {
	q := s.db.WithContext(ctx).Where("id > ?", f.AfterID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.DocumentID != 0 {
		q = q.Where("document_id = ?", f.DocumentID)
	}
	if f.Lang != "" {
		q = q.Where("lang = ?", f.Lang)
	}
	if f.Answered {
		q = q.Where("answered_at IS NOT NULL")
	}
	var out []models.Feedback
	err := q.Order("id").Limit(clampLimit(f.Limit, 50, 500)).Find(&out).Error
	return out, err
}

// AnswerFeedback moves an open item to status with the editor's answer,
// and appends the decision to the audit chain in the same transaction. An
// item that is no longer open is a conflict.
func (s *Store) AnswerFeedback(ctx context.Context, id int64, status, answer string, editor *models.User, jobID int64) (*models.Feedback, error) {
	var out models.Feedback
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		at := now()
		res := tx.Model(&models.Feedback{}).Where("id = ? AND status = ?", id, models.FeedbackOpen).Updates(map[string]any{
			"status": status, "answer": answer, "answered_by": editor.ID, "answered_at": at, "job_id": jobID,
		})
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Take(&out, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.Errorf(models.ENOTFOUND, "no feedback with id %d", id)
			}
			return err
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ECONFLICT, "feedback %d is already %s", id, out.Status)
		}
		return appendAudit(tx, &models.AuditEvent{
			Action: "feedback." + status, ActorID: editor.ID, Actor: editor.Name, At: at,
			DocumentID: out.DocumentID, Lang: out.Lang, Version: out.Version,
			Details: canonicalJSON(map[string]any{"feedback_id": id}),
		})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ResolveFeedback records the version a correction published.
func (s *Store) ResolveFeedback(ctx context.Context, id int64, version int) error {
	return s.db.WithContext(ctx).Model(&models.Feedback{}).
		Where("id = ? AND status IN ?", id, []string{models.FeedbackCorrecting, models.FeedbackResolved}).
		Updates(map[string]any{"status": models.FeedbackResolved, "correction_version": version}).Error
}
