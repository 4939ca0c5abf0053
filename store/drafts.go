package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

var draftKey = []clause.Column{{Name: "job_id"}, {Name: "segment_index"}}

// SaveDrafts writes the drafts of some segments of a job, replacing what
// those segments had.
func (s *Store) SaveDrafts(ctx context.Context, jobID int64, drafts []models.Draft) error {
	if len(drafts) == 0 {
		return nil
	}
	rows := draftRows(jobID, drafts)
	return s.transaction(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   draftKey,
			DoUpdates: clause.AssignmentColumns([]string{"text", "origin", "updated_by", "updated_at"}),
		}).CreateInBatches(clearDraftIDs(rows), insertBatch).Error
	})
}

// SeedDrafts writes the machine-assist drafts of the segments that have no
// draft yet. A translator may have started before assist finished, or
// assist may run again for a revision; either way their work stays.
// Drafts made for an older source version than the job's are dropped: a
// revision moved the job on while assist was running, and the revised run
// assists again.
func (s *Store) SeedDrafts(ctx context.Context, jobID int64, sourceVersion int, drafts []models.Draft) error {
	if len(drafts) == 0 {
		return nil
	}
	rows := draftRows(jobID, drafts)
	return s.transaction(ctx, func(tx *gorm.DB) error {
		job, err := lockJob(tx, jobID)
		if err != nil {
			return err
		}
		if job.SourceVersion != sourceVersion {
			return nil
		}
		return tx.Clauses(clause.OnConflict{Columns: draftKey, DoNothing: true}).
			CreateInBatches(clearDraftIDs(rows), insertBatch).Error
	})
}

// SaveTaskDrafts is SaveDrafts for a person working on sourceVersion of
// the job: if a revision has moved the job on, nothing is written and the
// answer is ECONFLICT, because the segment indexes have changed meaning.
// events (suggestions chosen) go into the audit chain with the drafts.
func (s *Store) SaveTaskDrafts(ctx context.Context, jobID int64, sourceVersion int, drafts []models.Draft, events []models.AuditEvent) error {
	if len(drafts) == 0 {
		return nil
	}
	rows := draftRows(jobID, drafts)
	return s.transaction(ctx, func(tx *gorm.DB) error {
		job, err := lockJob(tx, jobID)
		if err != nil {
			return err
		}
		if job.SourceVersion != sourceVersion {
			return models.Errorf(models.ECONFLICT,
				"the source was revised to version %d while you worked on version %d; reload the task", job.SourceVersion, sourceVersion)
		}
		err = tx.Clauses(clause.OnConflict{
			Columns:   draftKey,
			DoUpdates: clause.AssignmentColumns([]string{"text", "origin", "updated_by", "updated_at"}),
		}).CreateInBatches(clearDraftIDs(rows), insertBatch).Error
		if err != nil {
			return err
		}
		for i := range events {
			if err := appendAudit(tx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReviseJob moves a job onto a newer source version. Each segment of the
// new version that the old one had word for word (matched in order, by
// hash) keeps its draft; the others start without one, for machine assist
// to seed. Suggestions and termbase hits belong to the old indexes and go.
// Moving to a version the job is already on changes nothing.
func (s *Store) ReviseJob(ctx context.Context, jobID int64, sourceVersion int, deadline time.Time) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		job, err := lockJob(tx, jobID)
		if err != nil {
			return err
		}
		if job.SourceVersion >= sourceVersion {
			return nil
		}
		var oldSegs, newSegs []models.Segment
		if err := tx.Where("document_id = ? AND version = ?", job.DocumentID, job.SourceVersion).Order("seg_index").Find(&oldSegs).Error; err != nil {
			return err
		}
		if err := tx.Where("document_id = ? AND version = ?", job.DocumentID, sourceVersion).Order("seg_index").Find(&newSegs).Error; err != nil {
			return err
		}
		if len(newSegs) == 0 {
			return models.Errorf(models.ENOTFOUND, "document %d has no source version %d", job.DocumentID, sourceVersion)
		}
		var drafts []models.Draft
		if err := tx.Where("job_id = ?", jobID).Find(&drafts).Error; err != nil {
			return err
		}
		byIndex := make(map[int]models.Draft, len(drafts))
		for _, d := range drafts {
			byIndex[d.SegmentIndex] = d
		}
		var carried []models.Draft
		for i, oldIndex := range models.MatchSegments(oldSegs, newSegs) {
			if d, ok := byIndex[oldIndex]; ok && oldIndex >= 0 {
				d.ID = 0
				d.SegmentIndex = newSegs[i].Index
				carried = append(carried, d)
			}
		}
		for _, table := range []any{&models.Draft{}, &models.Suggestion{}, &models.GlossaryHit{}} {
			if err := tx.Where("job_id = ?", jobID).Delete(table).Error; err != nil {
				return err
			}
		}
		if len(carried) > 0 {
			if err := tx.CreateInBatches(carried, insertBatch).Error; err != nil {
				return err
			}
		}
		updates := map[string]any{"source_version": sourceVersion, "updated_at": now()}
		if !deadline.IsZero() {
			updates["deadline"] = dbTime(deadline)
		}
		return tx.Model(&models.TranslationJob{}).Where("id = ?", jobID).Updates(updates).Error
	})
}

// draftRows copies drafts for insertion. The caller's slice is left alone:
// after an upsert, MySQL reports an insert id that does not belong to the
// updated rows, so the ids gorm would fill in could be wrong.
func draftRows(jobID int64, drafts []models.Draft) []models.Draft {
	ts := now()
	rows := make([]models.Draft, len(drafts))
	for i, d := range drafts {
		d.JobID = jobID
		if d.UpdatedAt.IsZero() {
			d.UpdatedAt = ts
		}
		rows[i] = d
	}
	return rows
}

func clearDraftIDs(rows []models.Draft) []models.Draft {
	for i := range rows {
		rows[i].ID = 0
	}
	return rows
}

// Drafts returns a job's drafts, by segment.
func (s *Store) Drafts(ctx context.Context, jobID int64) ([]models.Draft, error) {
	var drafts []models.Draft
	err := s.db.WithContext(ctx).Where("job_id = ?", jobID).Order("segment_index").Find(&drafts).Error
	if err != nil {
		return nil, err
	}
	return drafts, nil
}

// ReplaceSuggestions replaces all machine-assist candidates of a job, so
// that an assist activity that runs twice leaves one set.
func (s *Store) ReplaceSuggestions(ctx context.Context, jobID int64, sugs []models.Suggestion) error {
	rows := make([]models.Suggestion, len(sugs))
	for i, sg := range sugs {
		sg.JobID = jobID
		rows[i] = sg
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("job_id = ?", jobID).Delete(&models.Suggestion{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		for i := range rows {
			rows[i].ID = 0
		}
		return tx.CreateInBatches(rows, insertBatch).Error
	})
}

// Suggestions returns a job's candidates by segment, best first.
func (s *Store) Suggestions(ctx context.Context, jobID int64) ([]models.Suggestion, error) {
	var sugs []models.Suggestion
	err := s.db.WithContext(ctx).Where("job_id = ?", jobID).
		Order("segment_index, score DESC, id").Find(&sugs).Error
	if err != nil {
		return nil, err
	}
	return sugs, nil
}

// AddReviewComments records the comments of a rejected review task. It
// replaces the task's earlier comments, so a retried activity adds nothing
// twice. The job comes from the task, and so does the round when a comment
// lacks it.
func (s *Store) AddReviewComments(ctx context.Context, taskID int64, comments []models.ReviewComment) error {
	task, err := s.TaskByID(ctx, taskID)
	if err != nil {
		return err
	}
	ts := now()
	rows := make([]models.ReviewComment, len(comments))
	for i, c := range comments {
		c.TaskID, c.JobID = taskID, task.JobID
		if c.Round == 0 {
			c.Round = task.Round
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = ts
		}
		rows[i] = c
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		// job_id is there for its index: on MySQL a delete that scans
		// locks every row it reads.
		err := tx.Where("job_id = ? AND task_id = ?", task.JobID, taskID).Delete(&models.ReviewComment{}).Error
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		for i := range rows {
			rows[i].ID = 0
		}
		return tx.Create(rows).Error
	})
}

// ReviewComments returns a job's review comments by round, the comment on
// the whole translation before those on segments.
func (s *Store) ReviewComments(ctx context.Context, jobID int64) ([]models.ReviewComment, error) {
	var comments []models.ReviewComment
	err := s.db.WithContext(ctx).Where("job_id = ?", jobID).
		Order("round, segment_index, id").Find(&comments).Error
	if err != nil {
		return nil, err
	}
	return comments, nil
}

// ReplaceGlossaryHits replaces the termbase hits machine assist found for a
// job, so a rerun leaves one set.
func (s *Store) ReplaceGlossaryHits(ctx context.Context, jobID int64, hits []models.GlossaryHit) error {
	rows := make([]models.GlossaryHit, len(hits))
	for i, h := range hits {
		h.ID, h.JobID = 0, jobID
		rows[i] = h
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("job_id = ?", jobID).Delete(&models.GlossaryHit{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, insertBatch).Error
	})
}

// GlossaryHits returns a job's termbase hits by segment, in text order.
func (s *Store) GlossaryHits(ctx context.Context, jobID int64) ([]models.GlossaryHit, error) {
	var hits []models.GlossaryHit
	err := s.db.WithContext(ctx).Where("job_id = ?", jobID).
		Order("segment_index, start, id").Find(&hits).Error
	if err != nil {
		return nil, err
	}
	return hits, nil
}

// ReplaceSegmentSuggestions replaces the candidates of some segments of a
// job. Machine assist writes a long document batch by batch, so a worker
// that dies mid-document resumes without redoing or duplicating the
// batches it finished.
func (s *Store) ReplaceSegmentSuggestions(ctx context.Context, jobID int64, indexes []int, sugs []models.Suggestion) error {
	rows := make([]models.Suggestion, len(sugs))
	for i, sg := range sugs {
		sg.ID, sg.JobID = 0, jobID
		rows[i] = sg
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		for _, chunk := range chunks(indexes, 500) {
			if err := tx.Where("job_id = ? AND segment_index IN ?", jobID, chunk).Delete(&models.Suggestion{}).Error; err != nil {
				return err
			}
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, insertBatch).Error
	})
}

// SnapshotRound records the job's drafts as submitted in round, replacing
// an earlier snapshot of that round (a submit that was refused and sent
// again).
func (s *Store) SnapshotRound(ctx context.Context, jobID int64, round, sourceVersion int) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("job_id = ? AND round = ?", jobID, round).Delete(&models.RoundDraft{}).Error; err != nil {
			return err
		}
		var drafts []models.Draft
		if err := tx.Where("job_id = ?", jobID).Order("segment_index").Find(&drafts).Error; err != nil {
			return err
		}
		if len(drafts) == 0 {
			return nil
		}
		rows := make([]models.RoundDraft, len(drafts))
		for i, d := range drafts {
			rows[i] = models.RoundDraft{JobID: jobID, Round: round, SegmentIndex: d.SegmentIndex, SourceVersion: sourceVersion, Text: d.Text}
		}
		return tx.CreateInBatches(rows, insertBatch).Error
	})
}

// RoundDrafts returns the texts a round was submitted with, by segment,
// if it was submitted on sourceVersion; after a revision the indexes of an
// older round mean other sentences, so nothing is returned.
func (s *Store) RoundDrafts(ctx context.Context, jobID int64, round, sourceVersion int) (map[int]string, error) {
	var rows []models.RoundDraft
	err := s.db.WithContext(ctx).Where("job_id = ? AND round = ? AND source_version = ?", jobID, round, sourceVersion).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[int]string, len(rows))
	for _, r := range rows {
		out[r.SegmentIndex] = r.Text
	}
	return out, nil
}
