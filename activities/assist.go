package activities

import (
	"context"

	"go.temporal.io/sdk/activity"

	"yizhi/assist"
	"yizhi/models"
)

// MachineAssist prepares a job for its translator: per segment it ranks the
// candidates from the translation memory, stores them with origin and score,
// seeds the draft with the best one, and attaches the termbase hits. Human
// drafts are never overwritten.
func (a *Activities) MachineAssist(ctx context.Context, in models.AssistInput) (models.AssistResult, error) {
	job, err := a.Store.JobByID(ctx, in.JobID)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	doc, err := a.Store.DocumentByID(ctx, job.DocumentID)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	segs, err := a.Store.Segments(ctx, job.DocumentID, job.SourceVersion)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	activity.RecordHeartbeat(ctx, "segments loaded")

	hashes := make([]string, len(segs))
	for i, s := range segs {
		hashes[i] = s.Hash
	}
	entries, err := a.Store.TMExact(ctx, doc.SourceLang, job.Lang, hashes)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	byHash := make(map[string][]models.TMEntry)
	for _, e := range entries {
		byHash[e.SourceHash] = append(byHash[e.SourceHash], e)
	}

	var sugs []models.Suggestion
	var seeds []models.Draft
	suggested := 0
	for i, s := range segs {
		prev, next := assist.Neighbours(segs, i)
		cands := assist.RankExact(s.Index, byHash[s.Hash], prev, next)
		if len(cands) == 0 {
			continue
		}
		suggested++
		sugs = append(sugs, cands...)
		seeds = append(seeds, models.Draft{SegmentIndex: s.Index, Text: cands[0].Text, Origin: cands[0].Origin})
	}
	if err := a.Store.ReplaceSuggestions(ctx, job.ID, sugs); err != nil {
		return models.AssistResult{}, activityError(err)
	}
	if err := a.Store.SeedDrafts(ctx, job.ID, seeds); err != nil {
		return models.AssistResult{}, activityError(err)
	}

	glossary, err := a.Store.GlossaryForPair(ctx, doc.SourceLang, job.Lang)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	termbase := assist.NewTermbase(glossary)
	var hits []models.GlossaryHit
	for _, s := range segs {
		for _, h := range termbase.Find(s.Text) {
			for _, e := range h.Entries {
				hits = append(hits, models.GlossaryHit{
					SegmentIndex: s.Index, EntryID: e.ID, Term: e.Term, Translation: e.Translation,
					Status: e.Status, SourceRef: e.SourceRef, Start: h.Start, End: h.End,
				})
			}
		}
	}
	if err := a.Store.ReplaceGlossaryHits(ctx, job.ID, hits); err != nil {
		return models.AssistResult{}, activityError(err)
	}
	return models.AssistResult{Segments: len(segs), Suggested: suggested, TermHits: len(hits)}, nil
}
