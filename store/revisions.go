package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// Audit actions of a document's life outside its translations.
const (
	AuditDocumentReceived  = "document.received"
	AuditDocumentRevised   = "document.revised"
	AuditDocumentWithdrawn = "document.withdrawn"
)

// Revision is a new source version of a document, as the intake checked
// and segmented it.
type Revision struct {
	DocumentID int64
	// BaseVersion, if set, is the version the sender revised; a newer
	// current version means someone else revised it first.
	BaseVersion int
	Source      *models.SourceVersion
	Segments    []models.Segment
	Deadline    time.Time
}

// ReviseDocument stores a new source version of a document, flags the
// segments that changed, and marks every published translation outdated.
// The translations themselves move on in their workflows. Sending the
// current version's content again stores nothing and reports created
// false, so a retried request is harmless.
func (s *Store) ReviseDocument(ctx context.Context, r Revision, actor *models.User) (doc *models.Document, created bool, err error) {
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		created = false
		d, err := lockDocument(tx, r.DocumentID)
		if err != nil {
			return err
		}
		doc = d
		if d.Withdrawn() {
			return models.Errorf(models.EGONE, "document %d was withdrawn", d.ID)
		}
		var current models.SourceVersion
		if err := tx.Where("document_id = ? AND version = ?", d.ID, d.CurrentVersion).Take(&current).Error; err != nil {
			return err
		}
		if current.ContentHash == r.Source.ContentHash {
			return nil
		}
		if r.BaseVersion != 0 && r.BaseVersion != d.CurrentVersion {
			return models.Errorf(models.ECONFLICT, "document %d is at version %d, not %d", d.ID, d.CurrentVersion, r.BaseVersion).
				WithDetails(map[string]int{"version": d.CurrentVersion})
		}
		var oldSegs []models.Segment
		if err := tx.Where("document_id = ? AND version = ?", d.ID, d.CurrentVersion).Order("seg_index").Find(&oldSegs).Error; err != nil {
			return err
		}
		version := d.CurrentVersion + 1
		src := *r.Source
		src.ID, src.DocumentID, src.Version = 0, d.ID, version
		if err := tx.Create(&src).Error; err != nil {
			return err
		}
		segs := make([]models.Segment, len(r.Segments))
		changed := 0
		for i, old := range models.MatchSegments(oldSegs, r.Segments) {
			seg := r.Segments[i]
			seg.ID, seg.DocumentID, seg.Version, seg.Changed = 0, d.ID, version, old < 0
			if seg.Changed {
				changed++
			}
			segs[i] = seg
		}
		if err := tx.CreateInBatches(segs, insertBatch).Error; err != nil {
			return err
		}
		updates := map[string]any{"current_version": version, "updated_at": now()}
		if !r.Deadline.IsZero() {
			updates["deadline"] = dbTime(r.Deadline)
		}
		if err := tx.Model(&models.Document{}).Where("id = ?", d.ID).Updates(updates).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", d.ID).Take(doc).Error; err != nil {
			return err
		}

		latest, err := latestPublished(tx, d.ID)
		if err != nil {
			return err
		}
		outdated := []models.FeedEntry{{Kind: models.FeedRevised, DocumentID: d.ID, Lang: d.SourceLang, Version: version}}
		for _, pv := range latest {
			if !pv.Outdated {
				outdated = append(outdated, models.FeedEntry{Kind: models.FeedOutdated, DocumentID: d.ID, Lang: pv.Lang, Version: pv.Version})
			}
		}
		if err := tx.Model(&models.PublishedVersion{}).Where("document_id = ? AND outdated = ?", d.ID, false).
			Update("outdated", true).Error; err != nil {
			return err
		}
		if err := appendFeed(tx, outdated...); err != nil {
			return err
		}
		created = true
		return appendAudit(tx, &models.AuditEvent{
			Action: AuditDocumentRevised, ActorID: actor.ID, Actor: actor.Name,
			DocumentID: d.ID, Version: version, ContentHash: src.ContentHash,
			Details: canonicalJSON(map[string]int{"previous_version": version - 1, "segments": len(segs), "changed_segments": changed}),
		})
	})
	if err != nil {
		return nil, false, err
	}
	return doc, created, nil
}

// Withdrawal takes a document down. Reason is for the record; PublicReason
// is what portals show their readers.
type Withdrawal struct {
	DocumentID   int64
	Reason       string
	PublicReason string
}

// WithdrawDocument marks a document withdrawn, puts a withdrawal entry in
// the feed for every published language, and records the reasons and the
// hashes of the versions taken down in the audit trail. Withdrawing a
// withdrawn document changes nothing and reports already true.
func (s *Store) WithdrawDocument(ctx context.Context, w Withdrawal, actor *models.User) (doc *models.Document, already bool, err error) {
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		d, err := lockDocument(tx, w.DocumentID)
		if err != nil {
			return err
		}
		doc, already = d, d.Withdrawn()
		if already {
			return nil
		}
		at := now()
		err = tx.Model(&models.Document{}).Where("id = ?", d.ID).Updates(map[string]any{
			"withdrawn_at": at, "withdrawn_by": actor.ID, "withdrawn_reason": w.Reason,
			"public_reason": w.PublicReason, "updated_at": at,
		}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", d.ID).Take(doc).Error; err != nil {
			return err
		}
		latest, err := latestPublished(tx, d.ID)
		if err != nil {
			return err
		}
		type takenDown struct {
			Lang        string `json:"lang"`
			Version     int    `json:"version"`
			ContentHash string `json:"content_hash"`
		}
		details := struct {
			Reason       string      `json:"reason"`
			PublicReason string      `json:"public_reason"`
			Published    []takenDown `json:"published"`
		}{Reason: w.Reason, PublicReason: w.PublicReason, Published: []takenDown{}}
		var entries []models.FeedEntry
		for _, pv := range latest {
			entries = append(entries, models.FeedEntry{Kind: models.FeedWithdrawn, DocumentID: d.ID, Lang: pv.Lang, Version: pv.Version, At: at})
			details.Published = append(details.Published, takenDown{pv.Lang, pv.Version, pv.ContentHash})
		}
		if err := appendFeed(tx, entries...); err != nil {
			return err
		}
		return appendAudit(tx, &models.AuditEvent{
			Action: AuditDocumentWithdrawn, ActorID: actor.ID, Actor: actor.Name, At: at,
			DocumentID: d.ID, Version: d.CurrentVersion, Details: canonicalJSON(details),
		})
	})
	if err != nil {
		return nil, false, err
	}
	return doc, already, nil
}

// lockDocument takes the document's row lock for the rest of tx, so
// revisions and withdrawals of one document happen one after the other.
func lockDocument(tx *gorm.DB, id int64) (*models.Document, error) {
	var d models.Document
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENOTFOUND, "document %d not found", id)
	}
	return &d, err
}
