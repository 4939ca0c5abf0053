package activities

import (
	"context"
	"errors"
	"strings"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"yizhi/assist"
	"yizhi/assist/mt"
	"yizhi/models"
)

// Translator is the MT fallback chain (mt.Router); nil when no engine is
// configured.
type Translator interface {
	Translate(ctx context.Context, source, target string, texts []string, glossary []mt.Term) ([]mt.Result, error)
}

const (
	// assistBatch is how many segments machine assist finishes between
	// heartbeats: a worker that dies mid-document resumes at the last
	// finished batch, and MT engines get requests of a useful size.
	assistBatch = 50
	// tmSuggestions bounds the TM suggestions shown per segment.
	tmSuggestions = 5
	// seedFuzzyScore is the lowest fuzzy TM score that beats MT output as
	// the first draft; below it MT (if any) is the better start.
	seedFuzzyScore = 85
)

// MachineAssist prepares a job for its translator. Per segment it ranks
// the translation memory's matches (in-context 101, exact 100, fuzzy with
// the current numbers substituted), asks the MT engines for the segments
// without an exact match, stores every candidate with origin and score,
// seeds the draft with the best one, and attaches termbase hits. Human
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
	if err := notWithdrawn(doc); err != nil {
		return models.AssistResult{}, err
	}
	segs, err := a.Store.Segments(ctx, job.DocumentID, job.SourceVersion)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	if err := a.catchUp(ctx); err != nil {
		return models.AssistResult{}, activityError(err)
	}
	glossary, err := a.Store.GlossaryForPair(ctx, doc.SourceLang, job.Lang)
	if err != nil {
		return models.AssistResult{}, activityError(err)
	}
	termbase := assist.NewTermbase(glossary)

	var progress assistProgress
	if activity.HasHeartbeatDetails(ctx) {
		// A retry: the batches before progress.Done are already stored.
		_ = activity.GetHeartbeatDetails(ctx, &progress)
	}
	for start := progress.Done; start < len(segs); start += assistBatch {
		end := min(start+assistBatch, len(segs))
		batch, err := a.assistBatch(ctx, doc.SourceLang, job.Lang, segs, start, end, termbase)
		if err != nil {
			return models.AssistResult{}, err
		}
		indexes := make([]int, 0, end-start)
		for _, s := range segs[start:end] {
			indexes = append(indexes, s.Index)
		}
		if err := a.Store.ReplaceSegmentSuggestions(ctx, job.ID, indexes, batch.suggestions); err != nil {
			return models.AssistResult{}, activityError(err)
		}
		if err := a.Store.SeedDrafts(ctx, job.ID, job.SourceVersion, batch.seeds); err != nil {
			return models.AssistResult{}, activityError(err)
		}
		progress.Done = end
		progress.Suggested += batch.suggested
		progress.MT += batch.mt
		// Temporal writes every heartbeat that reaches it into the
		// workflow's state, a write as costly as the activity's completion.
		// After the last batch a retry has nothing left to skip, so a
		// document of one batch would pay that write for nothing.
		if end < len(segs) {
			activity.RecordHeartbeat(ctx, progress)
		}
	}

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
	return models.AssistResult{Segments: len(segs), Suggested: progress.Suggested, MT: progress.MT, TermHits: len(hits)}, nil
}

// assistProgress is the heartbeat: how far machine assist got.
type assistProgress struct {
	Done      int // segments finished and stored
	Suggested int
	MT        int
}

type assistedBatch struct {
	suggestions []models.Suggestion
	seeds       []models.Draft
	suggested   int
	mt          int
}

// assistBatch ranks the candidates for segs[start:end].
func (a *Activities) assistBatch(ctx context.Context, sourceLang, targetLang string, segs []models.Segment, start, end int, termbase *assist.Termbase) (assistedBatch, error) {
	var out assistedBatch
	tm := make([][]models.Suggestion, end-start)
	var needMT []int // offsets into the batch
	for i := start; i < end; i++ {
		prev, next := assist.Neighbours(segs, i)
		for _, m := range a.Memory.Lookup(sourceLang, targetLang, segs[i].Text, prev, next, tmSuggestions) {
			tm[i-start] = append(tm[i-start], models.Suggestion{
				SegmentIndex: segs[i].Index, Origin: m.Origin, Score: m.Score, Text: m.Text, Ref: tmRef(m.EntryID),
			})
		}
		if len(tm[i-start]) == 0 || tm[i-start][0].Score < assist.ScoreExact {
			needMT = append(needMT, i-start)
		}
	}

	machine := make([]mt.Result, end-start)
	if a.MT != nil && len(needMT) > 0 {
		texts := make([]string, len(needMT))
		var terms []mt.Term
		seen := map[string]bool{}
		for k, off := range needMT {
			texts[k] = segs[start+off].Text
			for _, h := range termbase.Find(texts[k]) {
				for _, e := range h.Entries {
					if e.Status == models.TermApproved && !seen[e.Term] {
						seen[e.Term] = true
						terms = append(terms, mt.Term{Source: e.Term, Target: e.Translation})
					}
				}
			}
		}
		results, err := a.MT.Translate(ctx, sourceLang, targetLang, texts, terms)
		switch {
		case err != nil && mt.IsPermanent(err):
			// No engine can do this pair: TM and glossary only, as for Yi.
			a.Log.Warn("machine translation unavailable for pair", "source", sourceLang, "target", targetLang, "err", err)
		case err != nil:
			return out, temporal.NewApplicationErrorWithCause("machine translation failed; retrying", "mt_transient", err)
		default:
			for k, off := range needMT {
				if k < len(results) {
					machine[off] = results[k]
				}
			}
		}
	}

	for i := start; i < end; i++ {
		off := i - start
		sugs := tm[off]
		if r := machine[off]; strings.TrimSpace(r.Text) != "" {
			sugs = append(sugs, models.Suggestion{SegmentIndex: segs[i].Index, Origin: models.OriginMTPrefix + r.Engine, Text: r.Text})
			out.mt++
		}
		if len(sugs) == 0 {
			continue
		}
		out.suggested++
		out.suggestions = append(out.suggestions, sugs...)
		best := sugs[0]
		if best.Score < seedFuzzyScore && machine[off].Text != "" {
			best = sugs[len(sugs)-1] // the MT suggestion
		}
		out.seeds = append(out.seeds, models.Draft{SegmentIndex: segs[i].Index, Text: best.Text, Origin: best.Origin})
	}
	return out, nil
}

// catchUp adds to the worker's memory every TM entry other workers (or an
// import) stored since it last looked. One catch-up runs at a time; the
// others find nothing left to load.
func (a *Activities) catchUp(ctx context.Context) error {
	a.memoryLoad.Lock()
	defer a.memoryLoad.Unlock()
	for {
		entries, err := a.Store.TMEntriesAfter(ctx, a.Memory.LastID(), memoryPage)
		if err != nil {
			return err
		}
		a.Memory.Add(entries...)
		if len(entries) < memoryPage {
			return nil
		}
	}
}

// memoryPage is how many TM entries one catch-up query reads.
const memoryPage = 5000

// LoadMemory fills the worker's memory from the database before it takes
// work, so the first documents already get the whole memory.
func (a *Activities) LoadMemory(ctx context.Context) error {
	if err := a.catchUp(ctx); err != nil {
		return errors.Join(errors.New("load translation memory"), err)
	}
	return nil
}
