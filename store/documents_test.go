package store_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestCreateDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "(2024)最高法民终1号", "bo", "ug", "en")
		require.NotZero(t, doc.ID)
		require.Equal(t, 1, doc.CurrentVersion)
		for _, j := range jobs {
			require.NotZero(t, j.ID)
			require.Equal(t, doc.ID, j.DocumentID)
			require.Equal(t, 1, j.SourceVersion)
			require.Equal(t, models.JobPending, j.State)
		}

		got, err := s.DocumentByID(ctx, doc.ID)
		require.NoError(t, err)
		require.Equal(t, doc, got)
		got, err = s.DocumentByExternalID(ctx, doc.ExternalID)
		require.NoError(t, err)
		require.Equal(t, doc, got)

		src, err := s.SourceVersion(ctx, doc.ID, 1)
		require.NoError(t, err)
		require.Equal(t, "判决书 (2024)最高法民终1号", src.Title)
		segs, err := s.Segments(ctx, doc.ID, 1)
		require.NoError(t, err)
		require.Len(t, segs, 2)
		require.Equal(t, []int{0, 1}, []int{segs[0].Index, segs[1].Index})

		gotJobs, err := s.JobsByDocument(ctx, doc.ID)
		require.NoError(t, err)
		require.Equal(t, []string{"bo", "en", "ug"}, []string{gotJobs[0].Lang, gotJobs[1].Lang, gotJobs[2].Lang})
		job, err := s.JobByID(ctx, jobs[0].ID)
		require.NoError(t, err)
		require.Equal(t, jobs[0], *job)

		_, err = s.DocumentByID(ctx, doc.ID+1)
		requireCode(t, models.ENOTFOUND, err)
		_, err = s.DocumentByExternalID(ctx, "nope")
		requireCode(t, models.ENOTFOUND, err)
		_, err = s.SourceVersion(ctx, doc.ID, 2)
		requireCode(t, models.ENOTFOUND, err)
		_, err = s.JobByID(ctx, 999)
		requireCode(t, models.ENOTFOUND, err)
	})
}

func TestCreateDocumentIsAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		newDocument(t, s, "dup", "ug")
		tables := []string{"documents", "source_versions", "segments", "translation_jobs"}
		before := map[string]int64{}
		for _, tb := range tables {
			before[tb] = countRows(t, s, tb)
		}

		doc := &models.Document{ExternalID: "dup", Court: "c", Kind: models.KindNews, Priority: models.PriorityNormal,
			SourceLang: models.SourceLang, IntakeHash: "other"}
		src := &models.SourceVersion{Title: "other", Body: "other", ContentHash: "h"}
		segs := []models.Segment{{Index: 0, Text: "x", Hash: "x"}}
		jobs := []models.TranslationJob{{Lang: "bo"}}
		requireCode(t, models.ECONFLICT, s.CreateDocument(t.Context(), doc, src, segs, jobs))
		require.Zero(t, doc.ID)
		require.Zero(t, jobs[0].ID)
		for _, tb := range tables {
			require.Equal(t, before[tb], countRows(t, s, tb), tb)
		}

		// A failure after the document row (a duplicate segment index) also
		// leaves nothing behind.
		doc.ExternalID = "fresh"
		segs = []models.Segment{{Index: 0, Text: "a", Hash: "a"}, {Index: 0, Text: "b", Hash: "b"}}
		require.Error(t, s.CreateDocument(t.Context(), doc, src, segs, jobs))
		for _, tb := range tables {
			require.Equal(t, before[tb], countRows(t, s, tb), tb)
		}
		_, err := s.DocumentByExternalID(t.Context(), "fresh")
		requireCode(t, models.ENOTFOUND, err)
	})
}

func TestCreateDocumentManySegments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// More segments than one INSERT may carry.
		const n = 2345
		segs := make([]models.Segment, n)
		for i := range segs {
			text := fmt.Sprintf("第%d句。", i)
			segs[i] = models.Segment{Index: i, Text: text, Hash: sha(text)}
		}
		doc := &models.Document{ExternalID: "long", Court: "c", Kind: models.KindLaw, Priority: models.PriorityLow,
			SourceLang: models.SourceLang, IntakeHash: "h"}
		require.NoError(t, s.CreateDocument(t.Context(), doc, &models.SourceVersion{Title: "t", Body: "b", ContentHash: "h"}, segs, nil))
		got, err := s.Segments(t.Context(), doc.ID, 1)
		require.NoError(t, err)
		require.Len(t, got, n)
		require.Equal(t, segs, got)
	})
}

func TestListDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		var ids []int64
		for i := range 7 {
			doc, _ := newDocument(t, s, fmt.Sprintf("doc-%d", i))
			ids = append(ids, doc.ID)
		}
		other := &models.Document{ExternalID: "maritime", Court: "上海海事法院", Kind: models.KindAnnouncement,
			Priority: models.PriorityNormal, SourceLang: models.SourceLang, IntakeHash: "h"}
		require.NoError(t, s.CreateDocument(ctx, other, &models.SourceVersion{Title: "t", Body: "b", ContentHash: "h"}, nil, nil))

		page, err := s.ListDocuments(ctx, store.DocumentFilter{Limit: 3})
		require.NoError(t, err)
		require.Equal(t, ids[:3], docIDs(page))
		page, err = s.ListDocuments(ctx, store.DocumentFilter{Limit: 3, AfterID: page[2].ID})
		require.NoError(t, err)
		require.Equal(t, ids[3:6], docIDs(page))

		all, err := s.ListDocuments(ctx, store.DocumentFilter{})
		require.NoError(t, err)
		require.Len(t, all, 8)

		maritime, err := s.ListDocuments(ctx, store.DocumentFilter{Court: "上海海事法院"})
		require.NoError(t, err)
		require.Equal(t, []int64{other.ID}, docIDs(maritime))
		judgments, err := s.ListDocuments(ctx, store.DocumentFilter{Kind: models.KindJudgment})
		require.NoError(t, err)
		require.Equal(t, ids, docIDs(judgments))
	})
}

func docIDs(docs []models.Document) []int64 {
	ids := []int64{}
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	return ids
}
