package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// JobByID returns translation job id.
func (s *Store) JobByID(ctx context.Context, id int64) (*models.TranslationJob, error) {
	var j models.TranslationJob
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&j).Error; err != nil {
		return nil, notFound(err, "translation job %d not found", id)
	}
	return &j, nil
}

// JobsByDocument returns a document's translation jobs, by language.
func (s *Store) JobsByDocument(ctx context.Context, documentID int64) ([]models.TranslationJob, error) {
	var jobs []models.TranslationJob
	err := s.db.WithContext(ctx).Where("document_id = ?", documentID).Order("lang").Find(&jobs).Error
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// CreateTask inserts t, or, if the job already has a task of t's kind and
// round, fills t from that row: the activity that opens a task may run
// again after a lost reply. Document, language, deadline and priority
// default to the job's and the document's.
func (s *Store) CreateTask(ctx context.Context, t *models.Task) error {
	if t.Kind != models.TaskTranslate && t.Kind != models.TaskReview {
		return models.Errorf(models.EINVALID, "unknown task kind %q", t.Kind)
	}
	if t.DocumentID == 0 || t.Lang == "" || t.Deadline.IsZero() || t.Priority == "" {
		job, err := s.JobByID(ctx, t.JobID)
		if err != nil {
			return err
		}
		if t.DocumentID == 0 {
			t.DocumentID = job.DocumentID
		}
		if t.Lang == "" {
			t.Lang = job.Lang
		}
		if t.Deadline.IsZero() {
			t.Deadline = job.Deadline
		}
		if t.Priority == "" {
			doc, err := s.DocumentByID(ctx, job.DocumentID)
			if err != nil {
				return err
			}
			t.Priority = doc.Priority
		}
	}
	if t.State == "" {
		t.State = models.TaskOpen
	}
	t.ID = 0
	err := s.db.WithContext(ctx).Create(t).Error
	if !isUniqueViolation(err) {
		return err
	}
	var existing models.Task
	err = s.db.WithContext(ctx).
		Where("job_id = ? AND kind = ? AND round = ?", t.JobID, t.Kind, t.Round).
		Take(&existing).Error
	if err != nil {
		return err
	}
	*t = existing
	return nil
}

// TaskByID returns task id.
func (s *Store) TaskByID(ctx context.Context, id int64) (*models.Task, error) {
	var t models.Task
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, notFound(err, "task %d not found", id)
	}
	return &t, nil
}

// TaskFilter selects tasks for a task list. A user sees translate tasks in
// the languages they translate and review tasks in the languages they
// review; their own claimed tasks they see whatever the language.
type TaskFilter struct {
	TranslateLangs []string // translate tasks visible in these langs
	ReviewLangs    []string // review tasks visible in these langs
	Kind           models.TaskKind
	Lang           string
	States         []models.TaskState
	ClaimantID     int64 // >0: only tasks claimed by this user (ignores lang lists)
	Limit          int   // <=0: 100; at most 500
}

// TaskListItem is a task plus what a list needs from its document.
type TaskListItem struct {
	models.Task
	ExternalID string `json:"external_id"`
	Title      string `json:"title"` // of the job's source version
	Court      string `json:"court"`
	DocKind    string `json:"doc_kind"`
}

// ListTasks returns the tasks matching f: overdue ones first, then those
// escalated for want of a claimant, then by soonest deadline.
func (s *Store) ListTasks(ctx context.Context, f TaskFilter) ([]TaskListItem, error) {
	q := s.db.WithContext(ctx).Table("tasks").
		Select("tasks.*, d.external_id, sv.title, d.court, d.kind AS doc_kind").
		Joins("JOIN translation_jobs j ON j.id = tasks.job_id").
		Joins("JOIN documents d ON d.id = j.document_id").
		Joins("JOIN source_versions sv ON sv.document_id = j.document_id AND sv.version = j.source_version")
	if f.ClaimantID > 0 {
		q = q.Where("tasks.claimant_id = ?", f.ClaimantID)
	} else {
		visible := s.db.Where("1 = 0")
		if len(f.TranslateLangs) > 0 {
			visible = visible.Or("tasks.kind = ? AND tasks.lang IN ?", models.TaskTranslate, f.TranslateLangs)
		}
		if len(f.ReviewLangs) > 0 {
			visible = visible.Or("tasks.kind = ? AND tasks.lang IN ?", models.TaskReview, f.ReviewLangs)
		}
		q = q.Where(visible)
	}
	if f.Kind != "" {
		q = q.Where("tasks.kind = ?", f.Kind)
	}
	if f.Lang != "" {
		q = q.Where("tasks.lang = ?", f.Lang)
	}
	if len(f.States) > 0 {
		q = q.Where("tasks.state IN ?", f.States)
	}
	items := []TaskListItem{}
	err := q.Order("tasks.overdue DESC, tasks.escalated DESC, tasks.deadline, tasks.id").Limit(clampLimit(f.Limit, 100, 500)).Scan(&items).Error
	if err != nil {
		return nil, err
	}
	return items, nil
}

// ApplyProjection writes a workflow's read-model state in one transaction.
// Each row only takes the write if it carries a newer revision than the row
// has, so a projection that arrives late (an activity retried after a newer
// one finished) changes nothing. The audit event is appended only with a
// job update that landed, so a stale retry never records an action twice.
func (s *Store) ApplyProjection(ctx context.Context, p models.Projection) (applied bool, err error) {
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		applied = false
		res := tx.Model(&models.TranslationJob{}).
			Where("id = ? AND revision < ?", p.JobID, p.Revision).
			Updates(map[string]any{
				"state":             p.JobState,
				"round":             p.Round,
				"published_version": p.PublishedVersion,
				"task_id":           nullID(p.Task.ID),
				"overdue":           p.Overdue,
				"revision":          p.Revision,
				"updated_at":        now(),
			})
		if res.Error != nil {
			return res.Error
		}
		applied = res.RowsAffected > 0

		if p.Task.ID != 0 {
			if err := projectTask(tx, p.Task, p.Overdue, p.Revision); err != nil {
				return err
			}
		}
		for _, t := range p.ClosedTasks {
			if err := projectTask(tx, t, false, p.Revision); err != nil {
				return err
			}
		}

		if !applied {
			var n int64
			if err := tx.Model(&models.TranslationJob{}).Where("id = ?", p.JobID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return models.Errorf(models.ENOTFOUND, "translation job %d not found", p.JobID)
			}
			return nil
		}
		if len(p.Notifications) > 0 {
			rows := make([]models.Notification, len(p.Notifications))
			for i, n := range p.Notifications {
				n.ID = 0
				rows[i] = n
			}
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
		}
		if p.Audit != nil {
			return appendAudit(tx, p.Audit)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return applied, nil
}

func projectTask(tx *gorm.DB, t models.TaskView, overdue bool, revision int64) error {
	ts := now()
	closedAt := any(nil)
	if t.State.Closed() {
		// A closed task is projected again with every later revision of
		// its job; the first close is when it happened.
		closedAt = gorm.Expr("COALESCE(closed_at, ?)", ts)
	}
	return tx.Model(&models.Task{}).
		Where("id = ? AND revision < ?", t.ID, revision).
		Updates(map[string]any{
			"state":            t.State,
			"claimant_id":      nullID(t.ClaimantID),
			"lease_expires_at": nullTime(t.LeaseExpiresAt),
			"closed_at":        closedAt,
			"escalated":        t.Escalated && !t.State.Closed(),
			"overdue":          overdue && !t.State.Closed(),
			"revision":         revision,
			"updated_at":       ts,
		}).Error
}

// lockJob takes the job's row lock for the rest of tx on MySQL (SQLite has
// one writer anyway), so that writes derived from the job's rows serialize.
func lockJob(tx *gorm.DB, jobID int64) (*models.TranslationJob, error) {
	var j models.TranslationJob
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", jobID).Take(&j).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENOTFOUND, "translation job %d not found", jobID)
	}
	return &j, err
}

// CountJobs counts translation jobs in a state.
func (s *Store) CountJobs(ctx context.Context, state models.JobState) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&models.TranslationJob{}).Where("state = ?", state).Count(&n).Error
	return int(n), err
}

// Notifications returns what concerns a user: addressed to them, or to a
// role they hold; newest first.
func (s *Store) Notifications(ctx context.Context, userID int64, roles []models.Role, limit int) ([]models.Notification, error) {
	var out []models.Notification
	q := s.db.WithContext(ctx).Where("user_id = ?", userID)
	if len(roles) > 0 {
		q = q.Or("user_id = 0 AND role IN ?", roles)
	}
	err := q.Order("id DESC").Limit(clampLimit(limit, 50, 500)).Find(&out).Error
	return out, err
}
