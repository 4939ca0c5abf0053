package store_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func publication(job models.TranslationJob, reviewTaskID int64, body string) *models.PublishedVersion {
	return &models.PublishedVersion{
		JobID: job.ID, ReviewTaskID: reviewTaskID, SourceVersion: 1, SourceHash: "src",
		Title: "title " + body, Body: body, ContentHash: sha(body),
		TranslatorID: 5, ReviewerID: 6, MachineAssisted: true,
	}
}

func TestPublish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "pub", "bo", "ug")
		bo, ug := jobs[0], jobs[1]

		tm := []models.TMEntry{{SourceLang: models.SourceLang, TargetLang: "ug", SourceHash: sha("甲"), SourceText: "甲", TargetText: uyghur, ApprovedBy: 6}}
		v1, err := s.Publish(ctx, publication(ug, 101, uyghur), tm)
		require.NoError(t, err)
		require.Equal(t, 1, v1.Version)
		require.Equal(t, doc.ID, v1.DocumentID) // from the job
		require.Equal(t, "ug", v1.Lang)
		require.False(t, v1.PublishedAt.IsZero())

		// A retried publish activity gets the same row and writes nothing.
		retry, err := s.Publish(ctx, publication(ug, 101, "different"), tm)
		require.NoError(t, err)
		require.Equal(t, v1, retry)
		require.EqualValues(t, 1, countRows(t, s, "tm_entries"))

		v2, err := s.Publish(ctx, publication(ug, 102, uyghur+" 2"), nil)
		require.NoError(t, err)
		require.Equal(t, 2, v2.Version)
		b1, err := s.Publish(ctx, publication(bo, 103, tibetan), nil)
		require.NoError(t, err)
		require.Equal(t, 1, b1.Version) // numbered per language

		latest, err := s.LatestPublished(ctx, doc.ID)
		require.NoError(t, err)
		require.Equal(t, []models.PublishedVersion{*b1, *v2}, latest)

		other, _ := newDocument(t, s, "other", "ug")
		latest, err = s.LatestPublished(ctx, other.ID)
		require.NoError(t, err)
		require.Empty(t, latest)

		_, err = s.Publish(ctx, publication(ug, 0, "x"), nil)
		requireCode(t, models.EINVALID, err)
		_, err = s.Publish(ctx, publication(models.TranslationJob{ID: 9999}, 104, "x"), nil)
		requireCode(t, models.ENOTFOUND, err)
		wrong := publication(ug, 105, "x")
		wrong.Lang = "bo"
		_, err = s.Publish(ctx, wrong, nil)
		requireCode(t, models.EINVALID, err)
	})
}

func TestPublishConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, jobs := newDocument(t, s, "race", "ug")
		const n = 8
		versions := make([]int, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				pv, err := s.Publish(t.Context(), publication(jobs[0], int64(200+i), "text"), []models.TMEntry{
					{SourceLang: models.SourceLang, TargetLang: "ug", SourceHash: "h", SourceText: "s", TargetText: "t"},
				})
				errs[i] = err
				if err == nil {
					versions[i] = pv.Version
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		slices.Sort(versions)
		require.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8}, versions)
		require.EqualValues(t, n, countRows(t, s, "published_versions"))
		require.EqualValues(t, n, countRows(t, s, "tm_entries"))
	})
}

func TestPublishedFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "feed", "bo", "ug")
		old := publication(jobs[1], 1, "old")
		old.PublishedAt = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		_, err := s.Publish(ctx, old, nil)
		require.NoError(t, err)
		since := time.Now()
		var pvs []*models.PublishedVersion
		for i, job := range []models.TranslationJob{jobs[1], jobs[0], jobs[1]} {
			pv, err := s.Publish(ctx, publication(job, int64(10+i), "new"), nil)
			require.NoError(t, err)
			pvs = append(pvs, pv)
		}

		feed, err := s.PublishedFeed(ctx, store.FeedFilter{})
		require.NoError(t, err)
		require.Equal(t, []int64{1, 2, 3, 4}, feedSeqs(feed))
		require.Equal(t, old.PublishedAt, feed[0].At)

		feed, err = s.PublishedFeed(ctx, store.FeedFilter{Since: since})
		require.NoError(t, err)
		require.Len(t, feed, 3)
		first := feed[0]
		require.Equal(t, models.FeedPublished, first.Event)
		require.Equal(t, doc.ExternalID, first.ExternalID)
		require.Equal(t, doc.Court, first.Court)
		require.Equal(t, doc.Kind, first.Kind)
		require.Equal(t, "ug", first.Lang)
		require.Equal(t, 2, first.Version)
		require.Equal(t, pvs[0].Title, first.Title)
		require.Equal(t, pvs[0].ContentHash, first.ContentHash)
		require.Equal(t, pvs[0].PublishedAt, first.PublishedAt)
		require.False(t, first.Outdated)
		require.False(t, first.Withdrawn)

		feed, err = s.PublishedFeed(ctx, store.FeedFilter{Since: since, Lang: "ug"})
		require.NoError(t, err)
		require.Equal(t, []int64{2, 4}, feedSeqs(feed))
		feed, err = s.PublishedFeed(ctx, store.FeedFilter{Court: "某某法院"})
		require.NoError(t, err)
		require.Empty(t, feed)
		feed, err = s.PublishedFeed(ctx, store.FeedFilter{Court: doc.Court, Kind: models.KindJudgment, Lang: "bo"})
		require.NoError(t, err)
		require.Equal(t, []int64{3}, feedSeqs(feed))

		// Paging by cursor.
		feed, err = s.PublishedFeed(ctx, store.FeedFilter{Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []int64{1, 2}, feedSeqs(feed))
		feed, err = s.PublishedFeed(ctx, store.FeedFilter{Limit: 2, AfterSeq: feed[1].Seq})
		require.NoError(t, err)
		require.Equal(t, []int64{3, 4}, feedSeqs(feed))
		feed, err = s.PublishedFeed(ctx, store.FeedFilter{AfterSeq: 4})
		require.NoError(t, err)
		require.Empty(t, feed)
	})
}

// TestFeedNeverSkipsAnEntry pages through the feed while publications
// commit concurrently: every entry is seen exactly once, in order. With
// auto-increment ids as the cursor, a reader can pass an id whose
// transaction has not committed yet and never see it.
func TestFeedNeverSkipsAnEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		const writers, perWriter = 6, 15
		var jobs []models.TranslationJob
		for w := range writers {
			_, js := newDocument(t, s, "concurrent-"+string(rune('a'+w)), "ug")
			jobs = append(jobs, js[0])
		}
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w, job := range jobs {
			wg.Go(func() {
				for i := range perWriter {
					if _, err := s.Publish(ctx, publication(job, int64(1000*(w+1)+i), "text"), nil); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()

		var seen []int64
		var cursor int64
		reading := true
		for reading {
			select {
			case <-done:
				reading = false // one last pass below picks up the rest
			default:
			}
			for {
				page, err := s.PublishedFeed(ctx, store.FeedFilter{AfterSeq: cursor, Limit: 7})
				require.NoError(t, err)
				for _, it := range page {
					seen = append(seen, it.Seq)
					cursor = it.Seq
				}
				if len(page) < 7 {
					break
				}
			}
		}
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		want := make([]int64, writers*perWriter)
		for i := range want {
			want[i] = int64(i + 1)
		}
		require.Equal(t, want, seen)
	})
}

func feedSeqs(items []store.FeedItem) []int64 {
	seqs := []int64{}
	for _, it := range items {
		seqs = append(seqs, it.Seq)
	}
	return seqs
}
