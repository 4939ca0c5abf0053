package store

import (
	"context"

	"gorm.io/gorm"

	"yizhi/models"
)

// webhookColumns are the fields a PUT replaces. The secret and the creation
// time never change after create.
var webhookColumns = []string{"url", "events", "active", "description", "updated_at"}

// CreateWebhook adds a subscription. The caller generates the secret.
func (s *Store) CreateWebhook(ctx context.Context, w *models.WebhookSubscription) error {
	if w.URL == "" || w.Secret == "" || len(w.Events) == 0 {
		return models.Errorf(models.EINVALID, "a webhook needs a url, a secret and at least one event")
	}
	w.ID = 0
	return s.db.WithContext(ctx).Create(w).Error
}

// ListWebhooks returns a page of subscriptions by id, after afterID.
func (s *Store) ListWebhooks(ctx context.Context, limit int, afterID int64) ([]models.WebhookSubscription, error) {
	var subs []models.WebhookSubscription
	err := s.db.WithContext(ctx).Where("id > ?", afterID).Order("id").
		Limit(clampLimit(limit, 100, 500)).Find(&subs).Error
	if err != nil {
		return nil, err
	}
	return subs, nil
}

// WebhookByID returns one subscription, secret included.
func (s *Store) WebhookByID(ctx context.Context, id int64) (*models.WebhookSubscription, error) {
	var w models.WebhookSubscription
	if err := s.db.WithContext(ctx).First(&w, id).Error; err != nil {
		return nil, notFound(err, "no webhook with id %d", id)
	}
	return &w, nil
}

// UpdateWebhook replaces the URL, events, active flag and description of the
// subscription with w.ID, and fills w with what is stored.
func (s *Store) UpdateWebhook(ctx context.Context, w *models.WebhookSubscription) error {
	if w.URL == "" || len(w.Events) == 0 {
		return models.Errorf(models.EINVALID, "a webhook needs a url and at least one event")
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		var have models.WebhookSubscription
		if err := tx.First(&have, w.ID).Error; err != nil {
			return notFound(err, "no webhook with id %d", w.ID)
		}
		// Select, because Updates with a struct skips zero values and
		// active=false is one.
		row := *w
		row.UpdatedAt = now()
		if err := tx.Model(&models.WebhookSubscription{ID: w.ID}).Select(webhookColumns).Updates(&row).Error; err != nil {
			return err
		}
		return tx.First(w, w.ID).Error
	})
}

// DeleteWebhook removes a subscription and its deliveries log for good.
// Deliveries still being retried find the subscription gone and stop. The
// log goes too: it is operational data about a receiver that no longer
// exists, and the audit trail, not this log, is the permanent record.
func (s *Store) DeleteWebhook(ctx context.Context, id int64) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		res := tx.Delete(&models.WebhookSubscription{}, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ENOTFOUND, "no webhook with id %d", id)
		}
		return tx.Where("subscription_id = ?", id).Delete(&models.WebhookDelivery{}).Error
	})
}

// DeactivateWebhook stops deliveries to a subscription, as when its receiver
// answers 410 Gone. It touches only the flag, so an edit made through the
// API at the same time is not overwritten. A missing subscription is not an
// error: it receives nothing either way.
func (s *Store) DeactivateWebhook(ctx context.Context, id int64) error {
	return s.db.WithContext(ctx).Model(&models.WebhookSubscription{}).Where("id = ?", id).
		Updates(map[string]any{"active": false, "updated_at": now()}).Error
}

// ActiveWebhooksFor returns the ids of the active subscriptions that ask for
// eventType, ascending. Events are a JSON list whose querying differs between
// SQLite and MySQL, and there are tens of subscriptions, not thousands, so
// the filtering happens here rather than in SQL.
func (s *Store) ActiveWebhooksFor(ctx context.Context, eventType string) ([]int64, error) {
	var subs []models.WebhookSubscription
	err := s.db.WithContext(ctx).Select("id", "events", "active").
		Where("active = ?", true).Order("id").Find(&subs).Error
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, w := range subs {
		if w.Wants(eventType) {
			ids = append(ids, w.ID)
		}
	}
	return ids, nil
}

// AddWebhookDelivery appends one attempt to the deliveries log.
func (s *Store) AddWebhookDelivery(ctx context.Context, d *models.WebhookDelivery) error {
	d.ID = 0
	if d.AttemptedAt.IsZero() {
		d.AttemptedAt = now()
	}
	return s.db.WithContext(ctx).Create(d).Error
}

// WebhookDeliveries returns a page of a subscription's deliveries log,
// newest first. beforeID is the id of the last row of the previous page (0
// for the first page); the page holds older rows only.
func (s *Store) WebhookDeliveries(ctx context.Context, subscriptionID int64, limit int, beforeID int64) ([]models.WebhookDelivery, error) {
	q := s.db.WithContext(ctx).Where("subscription_id = ?", subscriptionID)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var rows []models.WebhookDelivery
	if err := q.Order("id DESC").Limit(clampLimit(limit, 50, 500)).Find(&rows).Error; err != nil {
		return nil, err
	}
	return rows, nil
}
