package activities

import (
	"context"
	"maps"
	"slices"
	"strings"
	"unicode"

	"yizhi/assist"
	"yizhi/models"
)

// PublishVersion writes the approved drafts as an immutable published
// version and feeds the approved segment pairs into the translation memory.
// It is idempotent per review task: a retry returns the version already
// written.
func (a *Activities) PublishVersion(ctx context.Context, in models.PublishInput) (models.PublishResult, error) {
	job, err := a.Store.JobByID(ctx, in.JobID)
	if err != nil {
		return models.PublishResult{}, activityError(err)
	}
	doc, err := a.Store.DocumentByID(ctx, job.DocumentID)
	if err != nil {
		return models.PublishResult{}, activityError(err)
	}
	src, err := a.Store.SourceVersion(ctx, job.DocumentID, job.SourceVersion)
	if err != nil {
		return models.PublishResult{}, activityError(err)
	}
	segs, err := a.Store.Segments(ctx, job.DocumentID, job.SourceVersion)
	if err != nil {
		return models.PublishResult{}, activityError(err)
	}
	drafts, err := a.Store.Drafts(ctx, job.ID)
	if err != nil {
		return models.PublishResult{}, activityError(err)
	}
	targets := make(map[int]string, len(drafts))
	assisted := false
	engines := map[string]bool{}
	for _, d := range drafts {
		targets[d.SegmentIndex] = d.Text
		if d.Origin != "" && d.Origin != models.OriginHuman {
			assisted = true
		}
		if engine, ok := strings.CutPrefix(strings.TrimPrefix(d.Origin, "edited:"), models.OriginMTPrefix); ok {
			engines[engine] = true
		}
	}

	title, body := assemble(job.Lang, segs, targets)
	pv := &models.PublishedVersion{
		DocumentID:      job.DocumentID,
		Lang:            job.Lang,
		JobID:           job.ID,
		ReviewTaskID:    in.ReviewTaskID,
		SourceVersion:   job.SourceVersion,
		SourceHash:      src.ContentHash,
		Title:           title,
		Body:            body,
		ContentHash:     models.ContentHash(job.Lang, title, body),
		TranslatorID:    in.TranslatorID,
		ReviewerID:      in.ReviewerID,
		MachineAssisted: assisted,
		Engines:         strings.Join(slices.Sorted(maps.Keys(engines)), ","),
	}
	tm := memoryEntries(doc, job.Lang, segs, targets, in.ReviewerID)
	written, err := a.Store.Publish(ctx, pv, tm)
	if err != nil {
		return models.PublishResult{}, activityError(err)
	}
	if in.FeedbackID != 0 {
		// The reader's feedback is answered by this version.
		if err := a.Store.ResolveFeedback(ctx, in.FeedbackID, written.Version); err != nil {
			return models.PublishResult{}, activityError(err)
		}
	}
	// The approved pairs are in the database; the next document this
	// worker assists should find them at once.
	if err := a.catchUp(ctx); err != nil {
		a.Log.Warn("translation memory catch-up after publish", "err", err)
	}
	return models.PublishResult{Version: written.Version, ContentHash: written.ContentHash}, nil
}

// assemble joins the target segments into a title and a body. Paragraph
// breaks of the source carry over; sentences inside a paragraph are joined
// the way the target script joins them.
func assemble(lang string, segs []models.Segment, targets map[int]string) (title, body string) {
	var b strings.Builder
	for i, s := range segs {
		text := strings.TrimSpace(targets[s.Index])
		if s.Index == 0 {
			title = text
			continue
		}
		b.WriteString(text)
		trailing := s.Text[len(strings.TrimRightFunc(s.Text, unicode.IsSpace)):]
		switch {
		case strings.Contains(trailing, "\n"):
			b.WriteString(trailing)
		case i < len(segs)-1 && text != "" && spacesSentences(lang):
			b.WriteByte(' ')
		}
	}
	return title, b.String()
}

// spacesSentences reports whether a language puts a space between
// sentences. Chinese, Japanese and Yi (which uses Chinese punctuation) do
// not.
func spacesSentences(lang string) bool {
	switch {
	case strings.HasPrefix(lang, "zh"), lang == "ja", lang == "ii":
		return false
	}
	return true
}

// memoryEntries turns the approved pairs into TM entries with their
// neighbours' hashes, for in-context matches later.
func memoryEntries(doc *models.Document, lang string, segs []models.Segment, targets map[int]string, approvedBy int64) []models.TMEntry {
	var out []models.TMEntry
	for i, s := range segs {
		target := strings.TrimSpace(targets[s.Index])
		if target == "" {
			continue
		}
		prev, next := assist.Neighbours(segs, i)
		out = append(out, models.TMEntry{
			SourceLang: doc.SourceLang,
			TargetLang: lang,
			SourceHash: s.Hash,
			SourceText: s.Text,
			TargetText: target,
			PrevHash:   prev,
			NextHash:   next,
			DocumentID: doc.ID,
			Court:      doc.Court,
			Kind:       doc.Kind,
			ApprovedBy: approvedBy,
		})
	}
	return out
}
