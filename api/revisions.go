package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/models"
	"yizhi/store"
)

type reviseRequest struct {
	Title    string `json:"title"`
	Body     string `json:"body"`
	Deadline string `json:"deadline"`
	// BaseVersion, if set, is the version the sender edited: a request
	// based on an older version is refused, not silently applied.
	BaseVersion int `json:"base_version"`
}

// reviseDocument stores a new source version and moves every translation
// onto it. Sending the current content again stores nothing and drives the
// translations again, so a request that failed halfway is healed by its
// retry.
func (s *Server) reviseDocument(c *gin.Context) {
	id, err := pathID(c, "document")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req reviseRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := requireFields(field{"title", req.Title}, field{"body", req.Body}); err != nil {
		s.fail(c, err)
		return
	}
	if req.BaseVersion < 0 {
		s.fail(c, models.Errorf(models.EINVALID, "base_version must be a version number"))
		return
	}
	ctx := c.Request.Context()
	doc, err := s.store.DocumentByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := time.Now().UTC()
	deadline, err := revisionDeadline(req.Deadline, doc.Priority, now)
	if err != nil {
		s.fail(c, err)
		return
	}
	source, segments, err := sourceText(req.Title, req.Body, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	u := currentUser(c)
	doc, created, err := s.store.ReviseDocument(ctx, store.Revision{
		DocumentID: id, BaseVersion: req.BaseVersion, Source: source, Segments: segments, Deadline: deadline,
	}, u)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.forget(doc.ID)
	jobs, err := s.store.JobsByDocument(ctx, doc.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, job := range jobs {
		if err := s.reviseTranslation(ctx, doc, job, u.Actor()); err != nil {
			s.fail(c, err)
			return
		}
	}
	if jobs, err = s.store.JobsByDocument(ctx, doc.ID); err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, documentView(doc, source.Title, jobs, now))
}

// revisionDeadline is the request's deadline, or the priority's window
// from now: a new source is new work.
func revisionDeadline(raw string, p models.Priority, now time.Time) (time.Time, error) {
	if raw == "" {
		w, ok := p.Window()
		if !ok {
			w = models.NormalWindow
		}
		return now.Add(w).Truncate(time.Millisecond), nil
	}
	d, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, models.Errorf(models.EINVALID, "deadline %q is not an RFC 3339 time", raw)
	}
	if !d.After(now) {
		return time.Time{}, models.Errorf(models.EINVALID, "deadline %s is in the past", raw)
	}
	return d.UTC().Truncate(time.Millisecond), nil
}

// Bounds on retrying a revision whose workflow is between runs: it is
// finishing a publication, or its document workflow has not started it yet.
const (
	reviseAttempts = 40
	reviseBackoff  = 250 * time.Millisecond
)

// reviseTranslation moves one language onto the document's current
// version. A running translation gets the revise Update; one that ended
// (published) starts a new run that carries the Update. Either way the
// call returns once the drafts are on the new version.
func (s *Server) reviseTranslation(ctx context.Context, doc *models.Document, job models.TranslationJob, actor models.Actor) error {
	for attempt := 1; ; attempt++ {
		if job.SourceVersion >= doc.CurrentVersion || job.State == models.JobCancelled {
			return nil
		}
		rev := models.ReviseInput{
			Actor: actor, SourceVersion: doc.CurrentVersion, Deadline: doc.Deadline, OutdatedVersion: job.PublishedVersion,
		}
		start := models.TranslationInput{
			DocumentID: doc.ID, JobID: job.ID, Lang: job.Lang, SourceVersion: doc.CurrentVersion,
			Priority: doc.Priority, Deadline: doc.Deadline, Profile: doc.Profile,
			FirstRound: job.Round + 1, BaseRevision: job.Revision, Revised: true, OutdatedVersion: job.PublishedVersion,
		}
		err := s.workflows.ReviseTranslation(ctx, start, rev, job.State == models.JobPublished)
		if models.ErrorCode(err) != models.ECONFLICT {
			return err
		}
		if attempt == reviseAttempts {
			return &models.Error{Code: models.EUNAVAILABLE, Err: err, Message: fmt.Sprintf(
				"the %s translation could not be moved to version %d yet; retry the request", job.Lang, doc.CurrentVersion)}
		}
		select {
		case <-ctx.Done():
			return &models.Error{Code: models.EUNAVAILABLE, Message: "the request ended before the translations moved on; retry it", Err: ctx.Err()}
		case <-time.After(reviseBackoff):
		}
		next, err := s.store.JobByID(ctx, job.ID)
		if err != nil {
			return err
		}
		job = *next
	}
}

// Withdrawal reasons are short statements, not documents.
const maxReasonRunes = 2000

type withdrawRequest struct {
	Reason       string `json:"reason"`
	PublicReason string `json:"public_reason"`
}

// withdrawDocument takes a document down: portals get 410 with the public
// reason from now on, running work is cancelled, the feed shows the
// withdrawal and translation.withdrawn fires for each published language.
// A repeated request finishes what an interrupted one left undone.
func (s *Server) withdrawDocument(c *gin.Context) {
	id, err := pathID(c, "document")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req withdrawRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	req.Reason, req.PublicReason = strings.TrimSpace(req.Reason), strings.TrimSpace(req.PublicReason)
	reasons := []field{{"reason", req.Reason}, {"public_reason", req.PublicReason}}
	if err := requireFields(reasons...); err != nil {
		s.fail(c, err)
		return
	}
	for _, f := range reasons {
		if n := len([]rune(f.value)); n > maxReasonRunes {
			s.fail(c, models.Errorf(models.EINVALID, "%s is longer than %d characters", f.name, maxReasonRunes))
			return
		}
	}
	ctx := c.Request.Context()
	u := currentUser(c)
	doc, _, err := s.store.WithdrawDocument(ctx, store.Withdrawal{DocumentID: id, Reason: req.Reason, PublicReason: req.PublicReason}, u)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.forget(doc.ID)
	jobs, err := s.store.JobsByDocument(ctx, doc.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, job := range jobs {
		if err := s.withdrawTranslation(ctx, doc, job, u.Actor()); err != nil {
			s.fail(c, err)
			return
		}
	}
	src, err := s.store.SourceVersion(ctx, doc.ID, doc.CurrentVersion)
	if err != nil {
		s.fail(c, err)
		return
	}
	if jobs, err = s.store.JobsByDocument(ctx, doc.ID); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, documentView(doc, src.Title, jobs, time.Now()))
}

// withdrawTranslation cancels one language's running work and tells
// subscribers if a version of it had been published. A translation that is
// not running (finished, or not started yet: its machine assist will see
// the withdrawal) has nothing to cancel.
func (s *Server) withdrawTranslation(ctx context.Context, doc *models.Document, job models.TranslationJob, actor models.Actor) error {
	if job.State != models.JobPublished && job.State != models.JobCancelled {
		_, err := s.workflows.UpdateTranslation(ctx, doc.ID, job.Lang, models.UpdateWithdraw,
			fmt.Sprintf("withdraw:%d:%s", doc.ID, job.Lang), models.WithdrawInput{Actor: actor})
		if err != nil && models.ErrorCode(err) != models.ECONFLICT {
			return err
		}
	}
	if job.PublishedVersion == 0 {
		return nil
	}
	return s.workflows.EmitEvent(ctx, models.Event{
		ID:   fmt.Sprintf("msg_translation_withdrawn_%d_%s", doc.ID, job.Lang),
		Type: models.EventTranslationWithdrawn, At: doc.WithdrawnAt.UTC(),
		DocumentID: doc.ID, Lang: job.Lang, Version: job.PublishedVersion,
		Data: map[string]any{"public_reason": doc.PublicReason},
	})
}
