package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func draftTexts(t *testing.T, s *store.Store, jobID int64) map[int]string {
	t.Helper()
	drafts, err := s.Drafts(t.Context(), jobID)
	require.NoError(t, err)
	texts := map[int]string{}
	for i, d := range drafts {
		if i > 0 {
			require.Less(t, drafts[i-1].SegmentIndex, d.SegmentIndex)
		}
		require.Equal(t, jobID, d.JobID)
		texts[d.SegmentIndex] = d.Text
	}
	return texts
}

func TestSaveDraftsUpserts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "drafts", "ug", "bo")
		ug, bo := jobs[0].ID, jobs[1].ID

		require.NoError(t, s.SaveDrafts(ctx, ug, []models.Draft{
			{SegmentIndex: 1, Text: "ئىككىنچى", Origin: "mt:echo", UpdatedBy: 0},
			{SegmentIndex: 0, Text: "بىرىنچى", Origin: models.OriginTMExact},
		}))
		require.NoError(t, s.SaveDrafts(ctx, bo, []models.Draft{{SegmentIndex: 0, Text: tibetan, Origin: models.OriginHuman, UpdatedBy: 3}}))

		before, err := s.Drafts(ctx, ug)
		require.NoError(t, err)
		time.Sleep(2 * time.Millisecond)
		require.NoError(t, s.SaveDrafts(ctx, ug, []models.Draft{{SegmentIndex: 1, Text: uyghur, Origin: models.OriginHuman, UpdatedBy: 9}}))

		after, err := s.Drafts(ctx, ug)
		require.NoError(t, err)
		require.Len(t, after, 2)
		require.Equal(t, before[0], after[0]) // untouched
		require.Equal(t, before[1].ID, after[1].ID)
		require.Equal(t, uyghur, after[1].Text)
		require.Equal(t, models.OriginHuman, after[1].Origin)
		require.EqualValues(t, 9, after[1].UpdatedBy)
		require.True(t, after[1].UpdatedAt.After(before[1].UpdatedAt))

		require.Equal(t, map[int]string{0: tibetan}, draftTexts(t, s, bo))
		require.NoError(t, s.SaveDrafts(ctx, ug, nil))
	})
}

func TestSeedDraftsNeverOverwrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "seed", "mn-Mong")
		job := jobs[0].ID

		// The translator started on segment 1 before assist finished.
		require.NoError(t, s.SaveDrafts(ctx, job, []models.Draft{{SegmentIndex: 1, Text: mongolian, Origin: models.OriginHuman, UpdatedBy: 4}}))
		require.NoError(t, s.SeedDrafts(ctx, job, 1, []models.Draft{
			{SegmentIndex: 0, Text: "ᠮᠠᠰᠢᠨ 0", Origin: "mt:echo"},
			{SegmentIndex: 1, Text: "ᠮᠠᠰᠢᠨ 1", Origin: "mt:echo"},
			{SegmentIndex: 2, Text: "ᠮᠠᠰᠢᠨ 2", Origin: "mt:echo"},
		}))
		require.Equal(t, map[int]string{0: "ᠮᠠᠰᠢᠨ 0", 1: mongolian, 2: "ᠮᠠᠰᠢᠨ 2"}, draftTexts(t, s, job))

		// Seeding again (a retried activity) changes nothing.
		require.NoError(t, s.SeedDrafts(ctx, job, 1, []models.Draft{{SegmentIndex: 0, Text: "again", Origin: "mt:echo"}}))
		require.Equal(t, map[int]string{0: "ᠮᠠᠰᠢᠨ 0", 1: mongolian, 2: "ᠮᠠᠰᠢᠨ 2"}, draftTexts(t, s, job))
		drafts, err := s.Drafts(ctx, job)
		require.NoError(t, err)
		require.Equal(t, models.OriginHuman, drafts[1].Origin)
		require.EqualValues(t, 4, drafts[1].UpdatedBy)
	})
}

func TestReplaceSuggestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "sugs", "ug", "bo")
		ug, bo := jobs[0].ID, jobs[1].ID

		// More rows than one INSERT carries.
		var sugs []models.Suggestion
		for i := range 1500 {
			sugs = append(sugs,
				models.Suggestion{SegmentIndex: i, Origin: "mt:echo", Score: 70, Text: fmt.Sprintf("mt %d", i)},
				models.Suggestion{SegmentIndex: i, Origin: models.OriginTMExact, Score: 100, Text: fmt.Sprintf("tm %d", i), Ref: "tm:1"},
			)
		}
		require.NoError(t, s.ReplaceSuggestions(ctx, ug, sugs))
		require.NoError(t, s.ReplaceSuggestions(ctx, bo, sugs[:2]))
		// A retried assist activity leaves one set.
		require.NoError(t, s.ReplaceSuggestions(ctx, ug, sugs))

		got, err := s.Suggestions(ctx, ug)
		require.NoError(t, err)
		require.Len(t, got, 3000)
		for i, sg := range got {
			require.Equal(t, i/2, sg.SegmentIndex)
			require.Equal(t, ug, sg.JobID)
		}
		require.Equal(t, models.OriginTMExact, got[0].Origin) // best first
		require.Equal(t, "tm:1", got[0].Ref)
		require.Equal(t, 70, got[1].Score)

		require.NoError(t, s.ReplaceSuggestions(ctx, ug, nil))
		got, err = s.Suggestions(ctx, ug)
		require.NoError(t, err)
		require.Empty(t, got)
		got, err = s.Suggestions(ctx, bo)
		require.NoError(t, err)
		require.Len(t, got, 2)
	})
}

func TestReviewComments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "review", "bo")
		job := jobs[0].ID
		review1 := &models.Task{JobID: job, Kind: models.TaskReview, Round: 1}
		review2 := &models.Task{JobID: job, Kind: models.TaskReview, Round: 2}
		require.NoError(t, s.CreateTask(ctx, review1))
		require.NoError(t, s.CreateTask(ctx, review2))

		seg := func(i int) *int { return &i }
		round1 := []models.ReviewComment{
			{SegmentIndex: seg(1), Comment: "术语不对", AuthorID: 6},
			{Comment: "整体需要修改 " + tibetan, AuthorID: 6},
		}
		require.NoError(t, s.AddReviewComments(ctx, review1.ID, round1))
		// Retried: the round's comments are replaced, not doubled.
		require.NoError(t, s.AddReviewComments(ctx, review1.ID, round1))
		require.NoError(t, s.AddReviewComments(ctx, review2.ID, []models.ReviewComment{{SegmentIndex: seg(0), Comment: "还有一处", AuthorID: 6}}))

		got, err := s.ReviewComments(ctx, job)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, 1, got[0].Round)
		require.Nil(t, got[0].SegmentIndex) // the whole-translation comment first
		require.Equal(t, "整体需要修改 "+tibetan, got[0].Comment)
		require.Equal(t, review1.ID, got[0].TaskID)
		require.Equal(t, job, got[0].JobID)
		require.Equal(t, 1, *got[1].SegmentIndex)
		require.Equal(t, 2, got[2].Round)
		require.Equal(t, review2.ID, got[2].TaskID)

		requireCode(t, models.ENOTFOUND, s.AddReviewComments(ctx, 9999, round1))
	})
}

func TestReplaceGlossaryHits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "hits", "en", "bo")
		en, bo := jobs[0].ID, jobs[1].ID
		hits := []models.GlossaryHit{
			{SegmentIndex: 2, EntryID: 9, Term: "高级人民法院", Translation: "High People's Court", Status: models.TermApproved, SourceRef: "法〔2021〕184号", Start: 9, End: 27},
			{SegmentIndex: 0, EntryID: 8, Term: "最高人民法院", Translation: "The Supreme People's Court", Status: models.TermApproved, Start: 0, End: 18},
			{SegmentIndex: 2, EntryID: 10, Term: "高级人民法院", Translation: "Higher People's Court", Status: models.TermForbidden, Start: 9, End: 27},
		}
		require.NoError(t, s.ReplaceGlossaryHits(ctx, en, hits))
		require.NoError(t, s.ReplaceGlossaryHits(ctx, bo, hits[:1]))
		require.NoError(t, s.ReplaceGlossaryHits(ctx, en, hits)) // a retried activity

		got, err := s.GlossaryHits(ctx, en)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, 0, got[0].SegmentIndex)
		require.Equal(t, "法〔2021〕184号", got[1].SourceRef)
		require.Equal(t, 27, got[1].End)
		require.Equal(t, models.TermForbidden, got[2].Status)
		got, err = s.GlossaryHits(ctx, bo)
		require.NoError(t, err)
		require.Len(t, got, 1)
	})
}

func TestReplaceSegmentSuggestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "seg-sugs", "ug")
		job := jobs[0].ID
		first := []models.Suggestion{
			{SegmentIndex: 0, Origin: models.OriginTMExact, Score: 100, Text: "a"},
			{SegmentIndex: 1, Origin: "mt:niutrans", Score: 0, Text: "b"},
		}
		require.NoError(t, s.ReplaceSegmentSuggestions(ctx, job, []int{0, 1}, first))
		// The second batch, retried: segments 2 and 3, twice.
		second := []models.Suggestion{{SegmentIndex: 2, Origin: models.OriginTMFuzzy, Score: 87, Text: "c"}}
		require.NoError(t, s.ReplaceSegmentSuggestions(ctx, job, []int{2, 3}, second))
		require.NoError(t, s.ReplaceSegmentSuggestions(ctx, job, []int{2, 3}, second))
		got, err := s.Suggestions(ctx, job)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, "c", got[2].Text)
	})
}

func TestTMEntriesAfter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		all, err := s.TMEntriesAfter(ctx, 0, 10)
		require.NoError(t, err)
		require.Empty(t, all)
		_, jobs := newDocument(t, s, "tm-after", "ug")
		task := &models.Task{JobID: jobs[0].ID, Kind: models.TaskReview, Round: 1, State: models.TaskClaimed}
		require.NoError(t, s.CreateTask(ctx, task))
		var tm []models.TMEntry
		for i := range 5 {
			text := fmt.Sprintf("第%d句。", i)
			tm = append(tm, models.TMEntry{SourceLang: models.SourceLang, TargetLang: "ug", SourceHash: models.SegmentHash(text), SourceText: text, TargetText: fmt.Sprintf("%d-جۈملە.", i)})
		}
		_, err = s.Publish(ctx, &models.PublishedVersion{JobID: jobs[0].ID, ReviewTaskID: task.ID, Title: "t", Body: "b", ContentHash: "h"}, tm)
		require.NoError(t, err)
		page, err := s.TMEntriesAfter(ctx, 0, 3)
		require.NoError(t, err)
		require.Len(t, page, 3)
		rest, err := s.TMEntriesAfter(ctx, page[2].ID, 10)
		require.NoError(t, err)
		require.Len(t, rest, 2)
		require.Equal(t, "第4句。", rest[1].SourceText)
	})
}

func TestRoundSnapshots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "rounds", "ug")
		job := jobs[0].ID
		require.NoError(t, s.SaveDrafts(ctx, job, []models.Draft{{SegmentIndex: 0, Text: "a"}, {SegmentIndex: 1, Text: uyghur}}))
		require.NoError(t, s.SnapshotRound(ctx, job, 1, 1))
		require.NoError(t, s.SaveDrafts(ctx, job, []models.Draft{{SegmentIndex: 1, Text: "changed"}}))
		// A refused submit sent again replaces the round's snapshot.
		require.NoError(t, s.SnapshotRound(ctx, job, 2, 1))
		require.NoError(t, s.SaveDrafts(ctx, job, []models.Draft{{SegmentIndex: 1, Text: "changed again"}}))
		require.NoError(t, s.SnapshotRound(ctx, job, 2, 1))

		r1, err := s.RoundDrafts(ctx, job, 1, 1)
		require.NoError(t, err)
		require.Equal(t, map[int]string{0: "a", 1: uyghur}, r1)
		r2, err := s.RoundDrafts(ctx, job, 2, 1)
		require.NoError(t, err)
		require.Equal(t, map[int]string{0: "a", 1: "changed again"}, r2)
		// After a revision, version 1's indexes mean other sentences.
		r1v2, err := s.RoundDrafts(ctx, job, 1, 2)
		require.NoError(t, err)
		require.Empty(t, r1v2)
	})
}
