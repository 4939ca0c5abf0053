package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"yizhi/models"
)

// Publish writes pv as the next published version of its document and
// language, with the approved segment pairs tm, and returns it; pv is filled
// from the row too. An approval publishes once: if pv.ReviewTaskID was
// already published, that version is returned and nothing is written.
//
// Concurrent publishes of one document and language serialize on the row
// lock of their job (there is one job per document and language); the
// unique (document_id, lang, version) index guarantees no number is handed
// out twice even if that ever stops being true.
func (s *Store) Publish(ctx context.Context, pv *models.PublishedVersion, tm []models.TMEntry) (*models.PublishedVersion, error) {
	if pv.ReviewTaskID == 0 {
		return nil, models.Errorf(models.EINVALID, "a publication needs the approving review task")
	}
	out, err := s.publish(ctx, *pv, tm)
	if err != nil {
		return nil, err
	}
	*pv = *out
	return out, nil
}

func (s *Store) publish(ctx context.Context, pv models.PublishedVersion, tm []models.TMEntry) (*models.PublishedVersion, error) {
	var out *models.PublishedVersion
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		// The lock comes first: on MySQL the snapshot of the reads below
		// is taken at the first plain read, and it must include the
		// publish we may have waited for.
		job, err := lockJob(tx, pv.JobID)
		if err != nil {
			return err
		}
		var existing models.PublishedVersion
		err = tx.Where("review_task_id = ?", pv.ReviewTaskID).Take(&existing).Error
		if err == nil {
			out = &existing
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}

		row := pv
		row.ID = 0
		if row.DocumentID == 0 {
			row.DocumentID = job.DocumentID
		}
		if row.Lang == "" {
			row.Lang = job.Lang
		}
		if row.DocumentID != job.DocumentID || row.Lang != job.Lang {
			return models.Errorf(models.EINVALID, "job %d translates document %d into %s, not document %d into %s",
				job.ID, job.DocumentID, job.Lang, row.DocumentID, row.Lang)
		}
		var latest int
		err = tx.Model(&models.PublishedVersion{}).
			Where("document_id = ? AND lang = ?", row.DocumentID, row.Lang).
			Select("COALESCE(MAX(version), 0)").Row().Scan(&latest)
		if err != nil {
			return err
		}
		row.Version = latest + 1
		if row.PublishedAt.IsZero() {
			row.PublishedAt = now()
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		err = appendFeed(tx, models.FeedEntry{Kind: models.FeedPublished, DocumentID: row.DocumentID,
			Lang: row.Lang, Version: row.Version, At: row.PublishedAt})
		if err != nil {
			return err
		}

		if len(tm) > 0 {
			entries := make([]models.TMEntry, len(tm))
			for i, e := range tm {
				e.ID = 0
				if e.DocumentID == 0 {
					e.DocumentID = row.DocumentID
				}
				if e.CreatedAt.IsZero() {
					e.CreatedAt = row.PublishedAt
				}
				entries[i] = e
			}
			if err := tx.CreateInBatches(entries, insertBatch).Error; err != nil {
				return err
			}
		}
		out = &row
		return nil
	})
	return out, err
}

// LatestPublished returns the newest published version of a document in
// each language, by language.
func (s *Store) LatestPublished(ctx context.Context, documentID int64) ([]models.PublishedVersion, error) {
	return latestPublished(s.db.WithContext(ctx), documentID)
}

// latestPublished is LatestPublished inside a transaction.
func latestPublished(db *gorm.DB, documentID int64) ([]models.PublishedVersion, error) {
	var pvs []models.PublishedVersion
	err := db.Table("published_versions p").
		Where("p.document_id = ?", documentID).
		Where("p.version = (SELECT MAX(q.version) FROM published_versions q WHERE q.document_id = p.document_id AND q.lang = p.lang)").
		Order("p.lang").Find(&pvs).Error
	if err != nil {
		return nil, err
	}
	return pvs, nil
}

// PublishedHistory lists every published version of a document, oldest
// first per language, without the text.
func (s *Store) PublishedHistory(ctx context.Context, documentID int64) ([]models.PublishedVersion, error) {
	var pvs []models.PublishedVersion
	err := s.db.WithContext(ctx).Omit("body").Where("document_id = ?", documentID).
		Order("lang").Order("version").Find(&pvs).Error
	return pvs, err
}

// PublishedVersionOf returns one published version of a document in a
// language, text included.
func (s *Store) PublishedVersionOf(ctx context.Context, documentID int64, lang string, version int) (*models.PublishedVersion, error) {
	var pv models.PublishedVersion
	err := s.db.WithContext(ctx).Where("document_id = ? AND lang = ? AND version = ?", documentID, lang, version).Take(&pv).Error
	if err != nil {
		return nil, notFound(err, "document %d has no published %s version %d", documentID, lang, version)
	}
	return &pv, nil
}
