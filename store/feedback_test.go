package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestFeedbackLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "feedback", "ug")
		f := &models.Feedback{DocumentID: doc.ID, Lang: "ug", Version: 1, Text: "第二段的案号译错了。", Contact: "reader@example.org"}
		require.NoError(t, s.CreateFeedback(ctx, f))
		require.Equal(t, models.FeedbackOpen, f.Status)
		other := &models.Feedback{DocumentID: doc.ID, Lang: "ug", Version: 1, Text: "谢谢。"}
		require.NoError(t, s.CreateFeedback(ctx, other))

		editor := &models.User{ID: 3, Name: "editor"}
		got, err := s.AnswerFeedback(ctx, f.ID, models.FeedbackCorrecting, "已安排更正。", editor, jobs[0].ID)
		require.NoError(t, err)
		require.Equal(t, models.FeedbackCorrecting, got.Status)
		_, err = s.AnswerFeedback(ctx, f.ID, models.FeedbackDismissed, "again", editor, 0)
		requireCode(t, models.ECONFLICT, err)
		_, err = s.AnswerFeedback(ctx, 9999, models.FeedbackDismissed, "x", editor, 0)
		requireCode(t, models.ENOTFOUND, err)

		open, err := s.ListFeedback(ctx, store.FeedbackFilter{Status: models.FeedbackOpen})
		require.NoError(t, err)
		require.Len(t, open, 1)
		require.Equal(t, other.ID, open[0].ID)

		require.NoError(t, s.ResolveFeedback(ctx, f.ID, 2))
		answered, err := s.ListFeedback(ctx, store.FeedbackFilter{DocumentID: doc.ID, Lang: "ug", Answered: true})
		require.NoError(t, err)
		require.Len(t, answered, 1)
		require.Equal(t, models.FeedbackResolved, answered[0].Status)
		require.Equal(t, 2, answered[0].CorrectionVersion)

		trail, err := s.AuditTrail(ctx, doc.ID)
		require.NoError(t, err)
		require.Equal(t, "feedback.correcting", trail[len(trail)-1].Action)
		v, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.True(t, v.OK)
	})
}
