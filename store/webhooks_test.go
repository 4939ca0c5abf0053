package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func newWebhook(t *testing.T, s *store.Store, url string, events ...string) *models.WebhookSubscription {
	t.Helper()
	w := &models.WebhookSubscription{URL: url, Events: events, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Active: true, Description: "法院门户"}
	require.NoError(t, s.CreateWebhook(t.Context(), w))
	require.NotZero(t, w.ID)
	return w
}

func TestWebhookCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		w := newWebhook(t, s, "https://portal.example.cn/hooks/yizhi", models.EventTranslationPublished, models.EventTaskOverdue)

		got, err := s.WebhookByID(ctx, w.ID)
		require.NoError(t, err)
		require.Equal(t, w, got) // times included: written as read back
		require.Equal(t, []string{models.EventTranslationPublished, models.EventTaskOverdue}, got.Events)

		// A replace may switch the subscription off: false is not skipped
		// as a zero value.
		time.Sleep(2 * time.Millisecond)
		upd := &models.WebhookSubscription{ID: w.ID, URL: "https://portal.example.cn/v2", Events: []string{models.EventFeedbackReceived}, Active: false}
		require.NoError(t, s.UpdateWebhook(ctx, upd))
		require.Equal(t, w.Secret, upd.Secret, "the secret survives a replace")
		require.True(t, upd.CreatedAt.Equal(w.CreatedAt))
		require.True(t, upd.UpdatedAt.After(w.UpdatedAt))
		require.False(t, upd.Active)
		require.Empty(t, upd.Description)
		got, err = s.WebhookByID(ctx, w.ID)
		require.NoError(t, err)
		require.Equal(t, upd, got)

		list, err := s.ListWebhooks(ctx, 0, 0)
		require.NoError(t, err)
		require.Len(t, list, 1)
		second := newWebhook(t, s, "http://10.0.0.5:8080/hook", models.EventTaskOverdue)
		list, err = s.ListWebhooks(ctx, 1, w.ID)
		require.NoError(t, err)
		require.Equal(t, []int64{second.ID}, []int64{list[0].ID})

		require.NoError(t, s.AddWebhookDelivery(ctx, &models.WebhookDelivery{SubscriptionID: w.ID, MessageID: "msg_1", EventType: models.EventTaskOverdue, Attempt: 1, StatusCode: 500}))
		require.NoError(t, s.DeleteWebhook(ctx, w.ID))
		_, err = s.WebhookByID(ctx, w.ID)
		require.Equal(t, models.ENOTFOUND, models.ErrorCode(err))
		log, err := s.WebhookDeliveries(ctx, w.ID, 0, 0)
		require.NoError(t, err)
		require.Empty(t, log, "the deliveries log goes with its subscription")
		require.Equal(t, models.ENOTFOUND, models.ErrorCode(s.DeleteWebhook(ctx, w.ID)))
		require.Equal(t, models.ENOTFOUND, models.ErrorCode(s.UpdateWebhook(ctx, upd)))

		require.Equal(t, models.EINVALID, models.ErrorCode(s.CreateWebhook(ctx, &models.WebhookSubscription{URL: "https://x", Secret: "whsec_x"})))
	})
}

func TestActiveWebhooksFor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		a := newWebhook(t, s, "https://a.example/", models.EventTranslationPublished, models.EventTranslationOutdated)
		b := newWebhook(t, s, "https://b.example/", models.EventTaskOverdue)
		c := newWebhook(t, s, "https://c.example/", models.EventTranslationPublished)
		off := newWebhook(t, s, "https://off.example/", models.EventTranslationPublished)
		require.NoError(t, s.DeactivateWebhook(ctx, off.ID))

		ids, err := s.ActiveWebhooksFor(ctx, models.EventTranslationPublished)
		require.NoError(t, err)
		require.Equal(t, []int64{a.ID, c.ID}, ids)
		ids, err = s.ActiveWebhooksFor(ctx, models.EventTaskOverdue)
		require.NoError(t, err)
		require.Equal(t, []int64{b.ID}, ids)
		ids, err = s.ActiveWebhooksFor(ctx, models.EventFeedbackReceived)
		require.NoError(t, err)
		require.Empty(t, ids)
		require.NotNil(t, ids, "an empty list, not null, in workflow history")

		got, err := s.WebhookByID(ctx, off.ID)
		require.NoError(t, err)
		require.False(t, got.Active)
		require.Equal(t, off.URL, got.URL)
		// Deactivating what is gone is not an error.
		require.NoError(t, s.DeactivateWebhook(ctx, 424242))
	})
}

func TestWebhookDeliveriesNewestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		w := newWebhook(t, s, "https://a.example/", models.EventTranslationPublished)
		other := newWebhook(t, s, "https://b.example/", models.EventTranslationPublished)
		at := time.Date(2026, 3, 15, 8, 0, 0, 123456789, time.UTC)
		for i := 1; i <= 5; i++ {
			d := &models.WebhookDelivery{
				SubscriptionID: w.ID, MessageID: "msg_translation_7_ug_v1", EventType: models.EventTranslationPublished,
				Attempt: i, StatusCode: 500, Error: "服务暂不可用", DurationMS: 12, AttemptedAt: at.Add(time.Duration(i) * time.Minute),
			}
			if i == 5 {
				d.StatusCode, d.Error, d.Succeeded = 200, "", true
			}
			require.NoError(t, s.AddWebhookDelivery(ctx, d))
		}
		require.NoError(t, s.AddWebhookDelivery(ctx, &models.WebhookDelivery{SubscriptionID: other.ID, MessageID: "msg_x", EventType: models.EventTaskOverdue, Attempt: 1}))

		page, err := s.WebhookDeliveries(ctx, w.ID, 3, 0)
		require.NoError(t, err)
		require.Len(t, page, 3)
		require.Equal(t, []int{5, 4, 3}, attempts(page))
		require.True(t, page[0].Succeeded)
		require.Equal(t, at.Add(5*time.Minute).Truncate(time.Microsecond), page[0].AttemptedAt)
		require.Equal(t, "服务暂不可用", page[1].Error)

		rest, err := s.WebhookDeliveries(ctx, w.ID, 3, page[2].ID)
		require.NoError(t, err)
		require.Equal(t, []int{2, 1}, attempts(rest))
	})
}

func attempts(rows []models.WebhookDelivery) []int {
	var out []int
	for _, r := range rows {
		out = append(out, r.Attempt)
	}
	return out
}
