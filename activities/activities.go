// Package activities holds the Temporal activities: every side effect of a
// workflow (database writes, machine assist, publication) happens here.
package activities

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"

	"yizhi/assist"
	"yizhi/models"
)

// Store is the part of the database the activities use.
type Store interface {
	JobByID(ctx context.Context, id int64) (*models.TranslationJob, error)
	DocumentByID(ctx context.Context, id int64) (*models.Document, error)
	SourceVersion(ctx context.Context, documentID int64, version int) (*models.SourceVersion, error)
	Segments(ctx context.Context, documentID int64, version int) ([]models.Segment, error)
	TMExact(ctx context.Context, sourceLang, targetLang string, sourceHashes []string) ([]models.TMEntry, error)
	ReplaceSuggestions(ctx context.Context, jobID int64, sugs []models.Suggestion) error
	SeedDrafts(ctx context.Context, jobID int64, sourceVersion int, drafts []models.Draft) error
	ReviseJob(ctx context.Context, jobID int64, sourceVersion int, deadline time.Time) error
	Drafts(ctx context.Context, jobID int64) ([]models.Draft, error)
	CreateTask(ctx context.Context, t *models.Task) error
	ApplyProjection(ctx context.Context, p models.Projection) (bool, error)
	AddReviewComments(ctx context.Context, taskID int64, comments []models.ReviewComment) error
	Publish(ctx context.Context, pv *models.PublishedVersion, tm []models.TMEntry) (*models.PublishedVersion, error)
	GlossaryForPair(ctx context.Context, sourceLang, targetLang string) ([]models.GlossaryEntry, error)
	ReplaceGlossaryHits(ctx context.Context, jobID int64, hits []models.GlossaryHit) error
	ReplaceSegmentSuggestions(ctx context.Context, jobID int64, indexes []int, sugs []models.Suggestion) error
	TMEntriesAfter(ctx context.Context, afterID int64, limit int) ([]models.TMEntry, error)
	ResolveFeedback(ctx context.Context, id int64, version int) error
	WebhookByID(ctx context.Context, id int64) (*models.WebhookSubscription, error)
	ActiveWebhooksFor(ctx context.Context, eventType string) ([]int64, error)
	DeactivateWebhook(ctx context.Context, id int64) error
	AddWebhookDelivery(ctx context.Context, d *models.WebhookDelivery) error
}

// Activities carries the dependencies of every activity. The worker builds
// one and registers its methods.
type Activities struct {
	Store Store
	Log   *slog.Logger
	// Memory is the worker's translation-memory index, shared by every
	// activity of the process and kept current by catchUp.
	Memory *assist.Memory
	// MT is the engine chain; nil when no engine is configured.
	MT Translator

	memoryLoad sync.Mutex
}

// ApplyProjection writes a workflow's state into the read model. A stale
// revision is not an error: a newer state is already there.
func (a *Activities) ApplyProjection(ctx context.Context, p models.Projection) error {
	applied, err := a.Store.ApplyProjection(ctx, p)
	if err != nil {
		return activityError(err)
	}
	if !applied {
		a.Log.Debug("stale projection ignored", "job", p.JobID, "revision", p.Revision)
	}
	return nil
}

// OpenTask creates the task row for a new human step and returns its ID.
// A retried call returns the same task.
func (a *Activities) OpenTask(ctx context.Context, in models.OpenTaskInput) (int64, error) {
	job, err := a.Store.JobByID(ctx, in.JobID)
	if err != nil {
		return 0, activityError(err)
	}
	doc, err := a.Store.DocumentByID(ctx, job.DocumentID)
	if err != nil {
		return 0, activityError(err)
	}
	if err := notWithdrawn(doc); err != nil {
		return 0, err
	}
	t := &models.Task{
		JobID:      job.ID,
		DocumentID: job.DocumentID,
		Lang:       job.Lang,
		Kind:       in.Kind,
		Round:      in.Round,
		State:      models.TaskPending,
		Priority:   doc.Priority,
		Deadline:   job.Deadline,
	}
	if err := a.Store.CreateTask(ctx, t); err != nil {
		return 0, activityError(err)
	}
	return t.ID, nil
}

// ReviseJob moves a job onto a newer source version, carrying the drafts of
// unchanged segments over. A retry finds the job moved and does nothing.
func (a *Activities) ReviseJob(ctx context.Context, in models.ReviseJobInput) error {
	return activityError(a.Store.ReviseJob(ctx, in.JobID, in.SourceVersion, in.Deadline))
}

// notWithdrawn refuses, for good, to prepare work on a withdrawn document;
// the workflow ends the translation when it sees the refusal.
func notWithdrawn(doc *models.Document) error {
	if doc.Withdrawn() {
		return temporal.NewNonRetryableApplicationError(
			"document "+strconv.FormatInt(doc.ID, 10)+" was withdrawn", models.EGONE, nil)
	}
	return nil
}

// RecordReview stores a rejection's comments; a retry replaces them.
func (a *Activities) RecordReview(ctx context.Context, in models.ReviewInput) error {
	comments := []models.ReviewComment{{
		JobID: in.JobID, TaskID: in.TaskID, Round: in.Round, Comment: in.Comment, AuthorID: in.AuthorID,
	}}
	for _, sc := range in.SegmentComments {
		index := sc.Index
		comments = append(comments, models.ReviewComment{
			JobID: in.JobID, TaskID: in.TaskID, Round: in.Round, SegmentIndex: &index,
			Comment: sc.Comment, AuthorID: in.AuthorID,
		})
	}
	return activityError(a.Store.AddReviewComments(ctx, in.TaskID, comments))
}

// activityError marks errors that no retry can fix as non-retryable, keeping
// the models error code as the failure type.
func activityError(err error) error {
	if err == nil {
		return nil
	}
	var e *models.Error
	if errors.As(err, &e) && (e.Code == models.EINVALID || e.Code == models.ENOTFOUND || e.Code == models.EGONE) {
		return temporal.NewNonRetryableApplicationError(e.Message, e.Code, err)
	}
	return err
}

func tmRef(id int64) string { return "tm:" + strconv.FormatInt(id, 10) }
