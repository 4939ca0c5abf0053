package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

var editor = &models.User{ID: 77, Name: "editor"}

// revision builds a new source version from sentences; the first is the
// title, as at intake.
func revision(docID int64, sentences ...string) store.Revision {
	body := strings.Join(sentences[1:], "")
	r := store.Revision{DocumentID: docID, Source: &models.SourceVersion{Title: sentences[0], Body: body, ContentHash: sha(sentences[0] + body)}}
	for i, s := range sentences {
		r.Segments = append(r.Segments, models.Segment{Index: i, Text: s, Hash: sha(s)})
	}
	return r
}

const (
	title   = "（2024）最高法民终1号。"
	reasons = "本院认为，上诉理由不能成立。"
	added   = "一审判决认定事实清楚。"
)

func TestReviseDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "rev", "bo", "ug")
		v1, err := s.Publish(ctx, publication(jobs[1], 1, uyghur), nil)
		require.NoError(t, err)

		deadline := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Millisecond)
		r := revision(doc.ID, title, added, reasons)
		r.Deadline = deadline
		got, created, err := s.ReviseDocument(ctx, r, editor)
		require.NoError(t, err)
		require.True(t, created)
		require.Equal(t, 2, got.CurrentVersion)
		require.WithinDuration(t, deadline, got.Deadline, time.Millisecond)

		segs, err := s.Segments(ctx, doc.ID, 2)
		require.NoError(t, err)
		changed := []bool{}
		for _, seg := range segs {
			changed = append(changed, seg.Changed)
		}
		require.Equal(t, []bool{false, true, false}, changed)
		old, err := s.Segments(ctx, doc.ID, 1)
		require.NoError(t, err)
		require.False(t, old[1].Changed, "version 1 is left alone")

		// The published Uyghur version stays, marked outdated, and the
		// feed says so after the publication.
		latest, err := s.LatestPublished(ctx, doc.ID)
		require.NoError(t, err)
		require.Len(t, latest, 1)
		require.Equal(t, v1.Version, latest[0].Version)
		require.True(t, latest[0].Outdated)
		feed, err := s.PublishedFeed(ctx, store.FeedFilter{})
		require.NoError(t, err)
		require.Len(t, feed, 2)
		require.Equal(t, models.FeedPublished, feed[0].Event)
		require.Equal(t, models.FeedOutdated, feed[1].Event)
		require.Equal(t, "ug", feed[1].Lang)
		require.True(t, feed[0].Outdated, "every entry tells the version's current state")

		trail, err := s.AuditTrail(ctx, doc.ID)
		require.NoError(t, err)
		last := trail[len(trail)-1]
		require.Equal(t, store.AuditDocumentRevised, last.Action)
		require.Equal(t, editor.Name, last.Actor)
		require.Equal(t, 2, last.Version)
		require.Equal(t, r.Source.ContentHash, last.ContentHash)
		require.JSONEq(t, `{"changed_segments":1,"previous_version":1,"segments":3}`, last.Details)

		// The same content again is a retry: nothing new.
		again, created, err := s.ReviseDocument(ctx, revision(doc.ID, title, added, reasons), editor)
		require.NoError(t, err)
		require.False(t, created)
		require.Equal(t, 2, again.CurrentVersion)
		feed, err = s.PublishedFeed(ctx, store.FeedFilter{})
		require.NoError(t, err)
		require.Len(t, feed, 2, "outdated once")

		// A sender that edited version 1 is refused now that 2 exists.
		stale := revision(doc.ID, title, reasons)
		stale.BaseVersion = 1
		_, _, err = s.ReviseDocument(ctx, stale, editor)
		requireCode(t, models.ECONFLICT, err)
		stale.BaseVersion = 2
		third, created, err := s.ReviseDocument(ctx, stale, editor)
		require.NoError(t, err)
		require.True(t, created)
		require.Equal(t, 3, third.CurrentVersion)
		require.Equal(t, time.Duration(0), third.Deadline.Sub(got.Deadline), "no deadline given: the old one stays")

		_, _, err = s.ReviseDocument(ctx, revision(9999, title), editor)
		requireCode(t, models.ENOTFOUND, err)
		verifyChain(t, s)
	})
}

func TestReviseJobCarriesUnchangedDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "carry", "ug")
		job := jobs[0].ID
		require.NoError(t, s.SaveDrafts(ctx, job, []models.Draft{
			{SegmentIndex: 0, Text: "title-ug", Origin: models.OriginTMExact, UpdatedBy: 3},
			{SegmentIndex: 1, Text: uyghur, Origin: models.OriginHuman, UpdatedBy: 3},
		}))
		require.NoError(t, s.ReplaceSuggestions(ctx, job, []models.Suggestion{{SegmentIndex: 1, Origin: "mt:x", Score: 80, Text: "x"}}))
		// Version 2 inserts a sentence before the reasons, so the
		// reasons move from index 1 to index 2.
		_, _, err := s.ReviseDocument(ctx, revision(doc.ID, title, added, reasons), editor)
		require.NoError(t, err)

		// Assist still running on version 1 seeds nothing any more.
		deadline := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
		require.NoError(t, s.ReviseJob(ctx, job, 2, deadline))
		require.NoError(t, s.SeedDrafts(ctx, job, 1, []models.Draft{{SegmentIndex: 1, Text: "stale", Origin: "mt:x"}}))
		require.Equal(t, map[int]string{0: "title-ug", 2: uyghur}, draftTexts(t, s, job))
		drafts, err := s.Drafts(ctx, job)
		require.NoError(t, err)
		require.Equal(t, models.OriginTMExact, drafts[0].Origin, "the draft keeps where it came from")
		sugs, err := s.Suggestions(ctx, job)
		require.NoError(t, err)
		require.Empty(t, sugs, "suggestions belonged to the old indexes")
		moved, err := s.JobByID(ctx, job)
		require.NoError(t, err)
		require.Equal(t, 2, moved.SourceVersion)
		require.WithinDuration(t, deadline, moved.Deadline, time.Millisecond)

		// A retry changes nothing; the translator's old-version save is
		// refused rather than written to the wrong segments.
		require.NoError(t, s.ReviseJob(ctx, job, 2, time.Time{}))
		require.Equal(t, map[int]string{0: "title-ug", 2: uyghur}, draftTexts(t, s, job))
		err = s.SaveTaskDrafts(ctx, job, 1, []models.Draft{{SegmentIndex: 1, Text: "late"}}, nil)
		requireCode(t, models.ECONFLICT, err)
		require.NoError(t, s.SaveTaskDrafts(ctx, job, 2, []models.Draft{{SegmentIndex: 1, Text: "new sentence"}}, []models.AuditEvent{
			{Action: "suggestion.chosen", DocumentID: doc.ID, Lang: "ug"},
		}))
		require.Equal(t, map[int]string{0: "title-ug", 1: "new sentence", 2: uyghur}, draftTexts(t, s, job))
		require.Len(t, auditByAction(t, s, "suggestion.chosen"), 1)

		requireCode(t, models.ENOTFOUND, s.ReviseJob(ctx, job, 7, time.Time{}))
	})
}

func TestRepeatedSentencesCarryInOrder(t *testing.T) {
	old := []models.Segment{{Index: 0, Hash: "t"}, {Index: 1, Hash: "a"}, {Index: 2, Hash: "b"}, {Index: 3, Hash: "a"}}
	next := []models.Segment{{Index: 0, Hash: "t"}, {Index: 1, Hash: "a"}, {Index: 2, Hash: "c"}, {Index: 3, Hash: "a"}, {Index: 4, Hash: "a"}}
	require.Equal(t, []int{0, 1, -1, 3, -1}, models.MatchSegments(old, next))
}

func TestWithdrawDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "withdraw", "bo", "ug")
		bo, err := s.Publish(ctx, publication(jobs[0], 1, tibetan), nil)
		require.NoError(t, err)
		_, err = s.Publish(ctx, publication(jobs[1], 2, uyghur), nil)
		require.NoError(t, err)
		ug2, err := s.Publish(ctx, publication(jobs[1], 3, uyghur+" 2"), nil)
		require.NoError(t, err)

		w := store.Withdrawal{DocumentID: doc.ID, Reason: "当事人申请，涉及未成年人隐私", PublicReason: "该文书已依法撤回。"}
		got, already, err := s.WithdrawDocument(ctx, w, editor)
		require.NoError(t, err)
		require.False(t, already)
		require.True(t, got.Withdrawn())
		require.Equal(t, editor.ID, got.WithdrawnBy)
		require.Equal(t, w.PublicReason, got.PublicReason)

		feed, err := s.PublishedFeed(ctx, store.FeedFilter{AfterSeq: 3})
		require.NoError(t, err)
		require.Len(t, feed, 2)
		for _, it := range feed {
			require.Equal(t, models.FeedWithdrawn, it.Event)
			require.True(t, it.Withdrawn)
			require.Empty(t, it.Title, "no text of a withdrawn document in the feed")
			require.Empty(t, it.ContentHash)
		}
		require.Equal(t, "bo", feed[0].Lang)
		require.Equal(t, ug2.Version, feed[1].Version)
		all, err := s.PublishedFeed(ctx, store.FeedFilter{})
		require.NoError(t, err)
		require.True(t, all[0].Withdrawn, "old entries tell the current state too")

		trail, err := s.AuditTrail(ctx, doc.ID)
		require.NoError(t, err)
		last := trail[len(trail)-1]
		require.Equal(t, store.AuditDocumentWithdrawn, last.Action)
		require.Contains(t, last.Details, w.Reason)
		require.Contains(t, last.Details, bo.ContentHash, "the audit trail keeps what was taken down")
		require.Contains(t, last.Details, ug2.ContentHash)

		// Again: nothing new. A revision of a withdrawn document is gone.
		_, already, err = s.WithdrawDocument(ctx, w, editor)
		require.NoError(t, err)
		require.True(t, already)
		after, err := s.PublishedFeed(ctx, store.FeedFilter{})
		require.NoError(t, err)
		require.Len(t, after, 5)
		_, _, err = s.ReviseDocument(ctx, revision(doc.ID, title, added), editor)
		requireCode(t, models.EGONE, err)
		// The published rows are the record; they are not deleted.
		require.EqualValues(t, 3, countRows(t, s, "published_versions"))
		verifyChain(t, s)
	})
}

func TestIntakeIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		doc, _ := newDocument(t, s, "audited", "bo", "ug")
		trail, err := s.AuditTrail(t.Context(), doc.ID)
		require.NoError(t, err)
		require.Len(t, trail, 1)
		require.Equal(t, store.AuditDocumentReceived, trail[0].Action)
		require.Equal(t, 1, trail[0].Version)
		require.JSONEq(t, `{"court":"最高人民法院","external_id":"audited","kind":"judgment","priority":"normal","profile":"full","targets":["bo","ug"]}`, trail[0].Details)
	})
}

func verifyChain(t *testing.T, s *store.Store) {
	t.Helper()
	v, err := s.VerifyAudit(t.Context())
	require.NoError(t, err)
	require.True(t, v.OK, v.Reason)
}

func auditByAction(t *testing.T, s *store.Store, action string) []models.AuditEvent {
	t.Helper()
	var events []models.AuditEvent
	require.NoError(t, store.RawDB(s).Where("action = ?", action).Order("id").Find(&events).Error)
	return events
}
