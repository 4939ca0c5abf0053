package activities

import (
	"context"
	"sort"

	"go.temporal.io/sdk/activity"

	"yizhi/models"
)

// MachineAssist prepares a job for its translator: per segment it ranks the
// candidates from the translation memory, stores them with origin and score,
// and seeds the draft with the best one. Human drafts are never overwritten.
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
		prev, next := neighbourHashes(segs, i)
		cands := rankTM(s.Index, byHash[s.Hash], prev, next)
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
	return models.AssistResult{Segments: len(segs), Suggested: suggested}, nil
}

// Exact TM scores. An in-context match (same neighbours) is worth more than
// 100%, as translation tools show it.
const (
	scoreContext = 101
	scoreExact   = 100
)

// neighbourHashes returns the hashes of the segments around segs[i] within
// the body; the title (index 0) has no neighbours.
func neighbourHashes(segs []models.Segment, i int) (prev, next string) {
	if segs[i].Index == 0 {
		return "", ""
	}
	if i > 0 && segs[i-1].Index > 0 {
		prev = segs[i-1].Hash
	}
	if i+1 < len(segs) {
		next = segs[i+1].Hash
	}
	return prev, next
}

// rankTM turns exact TM entries for one segment into suggestions, best
// first, one per distinct target text.
func rankTM(index int, entries []models.TMEntry, prev, next string) []models.Suggestion {
	best := make(map[string]models.Suggestion)
	for _, e := range entries {
		s := models.Suggestion{SegmentIndex: index, Origin: models.OriginTMExact, Score: scoreExact, Text: e.TargetText, Ref: tmRef(e.ID)}
		if e.PrevHash == prev && e.NextHash == next {
			s.Origin, s.Score = models.OriginTMContext, scoreContext
		}
		if have, ok := best[s.Text]; !ok || s.Score > have.Score {
			best[s.Text] = s
		}
	}
	out := make([]models.Suggestion, 0, len(best))
	for _, s := range best {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Text < out[j].Text
	})
	return out
}
