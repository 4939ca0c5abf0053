package store

import (
	"context"

	"gorm.io/gorm"

	"yizhi/models"
)

// insertBatch bounds the rows of one INSERT: a document can have thousands
// of segments, and SQLite and MySQL both limit the placeholders of one
// statement.
const insertBatch = 500

// CreateDocument inserts doc with its first source version, that version's
// segments and its translation jobs, all or nothing. A taken external_id is
// ECONFLICT.
func (s *Store) CreateDocument(ctx context.Context, doc *models.Document, src *models.SourceVersion, segs []models.Segment, jobs []models.TranslationJob) error {
	if doc.ExternalID == "" {
		return models.Errorf(models.EINVALID, "a document needs an external_id")
	}
	if doc.CurrentVersion == 0 {
		doc.CurrentVersion = 1
	}
	if src.Version == 0 {
		src.Version = doc.CurrentVersion
	}
	// IDs filled by an attempt that rolled back (a deadlock retry, or a
	// conflict) must not leak into the next attempt or to the caller.
	clearIDs := func() {
		doc.ID, src.ID = 0, 0
		for i := range segs {
			segs[i].ID = 0
		}
		for i := range jobs {
			jobs[i].ID = 0
		}
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		clearIDs()
		if err := tx.Create(doc).Error; err != nil {
			return err
		}
		src.DocumentID = doc.ID
		if err := tx.Create(src).Error; err != nil {
			return err
		}
		for i := range segs {
			segs[i].DocumentID = doc.ID
			segs[i].Version = src.Version
		}
		if len(segs) > 0 {
			if err := tx.CreateInBatches(segs, insertBatch).Error; err != nil {
				return err
			}
		}
		for i := range jobs {
			jobs[i].DocumentID = doc.ID
			if jobs[i].SourceVersion == 0 {
				jobs[i].SourceVersion = src.Version
			}
			if jobs[i].State == "" {
				jobs[i].State = models.JobPending
			}
		}
		if len(jobs) > 0 {
			if err := tx.Create(jobs).Error; err != nil {
				return err
			}
		}
		return appendAudit(tx, receivedEvent(tx, doc, src, jobs))
	})
	if err != nil {
		clearIDs()
	}
	if isUniqueViolation(err) {
		return models.Errorf(models.ECONFLICT, "a document with external_id %q already exists", doc.ExternalID)
	}
	return err
}

// DocumentByID returns document id.
func (s *Store) DocumentByID(ctx context.Context, id int64) (*models.Document, error) {
	var d models.Document
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		return nil, notFound(err, "document %d not found", id)
	}
	return &d, nil
}

// DocumentByExternalID returns the document the source system calls
// externalID.
func (s *Store) DocumentByExternalID(ctx context.Context, externalID string) (*models.Document, error) {
	var d models.Document
	if err := s.db.WithContext(ctx).Where("external_id = ?", externalID).Take(&d).Error; err != nil {
		return nil, notFound(err, "document %q not found", externalID)
	}
	return &d, nil
}

// DocumentFilter selects a page of documents. Pages are keyed by id, so a
// page stays stable while new documents arrive.
type DocumentFilter struct {
	Court, Kind string
	AfterID     int64
	Limit       int // <=0: 50; at most 500
}

// ListDocuments returns the documents matching f, by id.
func (s *Store) ListDocuments(ctx context.Context, f DocumentFilter) ([]models.Document, error) {
	q := s.db.WithContext(ctx).Where("id > ?", f.AfterID)
	if f.Court != "" {
		q = q.Where("court = ?", f.Court)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	var docs []models.Document
	if err := q.Order("id").Limit(clampLimit(f.Limit, 50, 500)).Find(&docs).Error; err != nil {
		return nil, err
	}
	return docs, nil
}

// SourceVersion returns the source text of one version of a document.
func (s *Store) SourceVersion(ctx context.Context, documentID int64, version int) (*models.SourceVersion, error) {
	var v models.SourceVersion
	err := s.db.WithContext(ctx).Where("document_id = ? AND version = ?", documentID, version).Take(&v).Error
	if err != nil {
		return nil, notFound(err, "document %d has no version %d", documentID, version)
	}
	return &v, nil
}

// Segments returns the segments of one source version, in order.
func (s *Store) Segments(ctx context.Context, documentID int64, version int) ([]models.Segment, error) {
	var segs []models.Segment
	err := s.db.WithContext(ctx).
		Where("document_id = ? AND version = ?", documentID, version).
		Order("seg_index").Find(&segs).Error
	if err != nil {
		return nil, err
	}
	return segs, nil
}

// receivedEvent records the intake: who sent the document, its source hash
// and the languages it was routed to.
func receivedEvent(tx *gorm.DB, doc *models.Document, src *models.SourceVersion, jobs []models.TranslationJob) *models.AuditEvent {
	ev := &models.AuditEvent{
		Action: AuditDocumentReceived, ActorID: doc.CreatedBy, DocumentID: doc.ID,
		Version: src.Version, ContentHash: src.ContentHash,
	}
	if doc.CreatedBy != 0 {
		var u models.User
		if tx.Select("name").Where("id = ?", doc.CreatedBy).Take(&u).Error == nil {
			ev.Actor = u.Name
		}
	}
	targets := make([]string, len(jobs))
	for i, j := range jobs {
		targets[i] = j.Lang
	}
	ev.Details = canonicalJSON(map[string]any{
		"external_id": doc.ExternalID, "court": doc.Court, "kind": doc.Kind,
		"priority": doc.Priority, "profile": doc.Profile, "targets": targets,
	})
	return ev
}
