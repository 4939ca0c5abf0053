package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// feedHead is a one-row table holding the feed's last sequence number.
// An append locks it until its transaction commits, so sequence numbers
// become visible in order: a portal paging with "seq > cursor" can never
// see entry n+1 while entry n is still uncommitted and later skip it. An
// auto-increment id gives no such promise; ids are handed out at insert
// and transactions commit in any order.
type feedHead struct {
	ID  int64 `gorm:"primaryKey;autoIncrement:false"`
	Seq int64 `gorm:"not null"`
}

func (feedHead) TableName() string { return "feed_head" }

// initFeedHead creates the head row. A database from before the feed gets
// one published entry per published version, in publication order.
func initFeedHead(db *gorm.DB) error {
	var head feedHead
	err := db.Where("id = 1").Take(&head).Error
	if err == nil {
		return nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("store: migrate: feed head: %w", err)
	}
	return db.Transaction(func(tx *gorm.DB) error {
		var pvs []models.PublishedVersion
		if err := tx.Select("document_id", "lang", "version", "published_at").Order("id").Find(&pvs).Error; err != nil {
			return fmt.Errorf("store: migrate: backfill feed: %w", err)
		}
		entries := make([]models.FeedEntry, len(pvs))
		for i, pv := range pvs {
			entries[i] = models.FeedEntry{Seq: int64(i + 1), Kind: models.FeedPublished,
				DocumentID: pv.DocumentID, Lang: pv.Lang, Version: pv.Version, At: pv.PublishedAt}
		}
		if len(entries) > 0 {
			if err := tx.CreateInBatches(entries, insertBatch).Error; err != nil {
				return fmt.Errorf("store: migrate: backfill feed: %w", err)
			}
		}
		head = feedHead{ID: 1, Seq: int64(len(entries))}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&head).Error; err != nil {
			return fmt.Errorf("store: migrate: feed head: %w", err)
		}
		return nil
	})
}

// appendFeed adds entries to the feed inside tx, numbering them after the
// head. The head's row lock is held until tx ends.
func appendFeed(tx *gorm.DB, entries ...models.FeedEntry) error {
	if len(entries) == 0 {
		return nil
	}
	var head feedHead
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = 1").Take(&head).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errors.New("store: feed head missing: run migrate")
	}
	if err != nil {
		return err
	}
	at := now()
	for i := range entries {
		head.Seq++
		entries[i].ID = 0
		entries[i].Seq = head.Seq
		if entries[i].At.IsZero() {
			entries[i].At = at
		}
		entries[i].At = dbTime(entries[i].At)
	}
	if err := tx.Create(&entries).Error; err != nil {
		return err
	}
	return tx.Model(&head).Update("seq", head.Seq).Error
}

// FeedFilter selects a page of the portals' feed.
type FeedFilter struct {
	Since    time.Time // entries at or after Since, if set
	Lang     string
	Court    string
	Kind     string // the document's kind, e.g. judgment
	AfterSeq int64
	Limit    int // <=0: 50; at most 500
}

// FeedItem is one entry of the feed with what a portal needs to act on it.
// Title and ContentHash are empty for a withdrawn document: its text is
// never served again, not even its title.
type FeedItem struct {
	Seq         int64     `json:"seq"`
	Event       string    `json:"event"`
	DocumentID  int64     `json:"document_id"`
	ExternalID  string    `json:"external_id"`
	Court       string    `json:"court"`
	Kind        string    `json:"kind"`
	Lang        string    `json:"lang"`
	Version     int       `json:"version"`
	At          time.Time `json:"at"`
	Title       string    `json:"title"`
	ContentHash string    `json:"content_hash"`
	PublishedAt time.Time `json:"published_at"`
	Outdated    bool      `json:"outdated"`
	Withdrawn   bool      `json:"withdrawn"`
}

type feedRow struct {
	models.FeedEntry
	ExternalID  string
	Court       string
	DocKind     string
	Title       string
	ContentHash string
	PublishedAt time.Time
	Outdated    bool
	WithdrawnAt *time.Time
}

// PublishedFeed returns feed entries in sequence order after f.AfterSeq.
// Each carries the current state of its version (outdated, withdrawn), so
// a portal that replays an old entry still learns the truth.
func (s *Store) PublishedFeed(ctx context.Context, f FeedFilter) ([]FeedItem, error) {
	q := s.db.WithContext(ctx).Table("feed_entries e").
		Select("e.*, d.external_id, d.court, d.kind AS doc_kind, d.withdrawn_at, "+
			"p.title, p.content_hash, p.published_at, p.outdated").
		Joins("JOIN documents d ON d.id = e.document_id").
		Joins("JOIN published_versions p ON p.document_id = e.document_id AND p.lang = e.lang AND p.version = e.version").
		Where("e.seq > ? AND e.kind IN ?", f.AfterSeq, models.PortalFeedKinds)
	if !f.Since.IsZero() {
		q = q.Where("e.at >= ?", dbTime(f.Since))
	}
	if f.Lang != "" {
		q = q.Where("e.lang = ?", f.Lang)
	}
	if f.Court != "" {
		q = q.Where("d.court = ?", f.Court)
	}
	if f.Kind != "" {
		q = q.Where("d.kind = ?", f.Kind)
	}
	var rows []feedRow
	if err := q.Order("e.seq").Limit(clampLimit(f.Limit, 50, 500)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	items := make([]FeedItem, len(rows))
	for i, r := range rows {
		items[i] = FeedItem{
			Seq: r.Seq, Event: r.Kind, DocumentID: r.DocumentID, ExternalID: r.ExternalID,
			Court: r.Court, Kind: r.DocKind, Lang: r.Lang, Version: r.Version, At: r.At,
			Title: r.Title, ContentHash: r.ContentHash, PublishedAt: r.PublishedAt,
			Outdated: r.Outdated, Withdrawn: r.WithdrawnAt != nil,
		}
		if items[i].Withdrawn {
			items[i].Title, items[i].ContentHash = "", ""
		}
	}
	return items, nil
}

// FeedHead returns the sequence number of the newest feed entry.
func (s *Store) FeedHead(ctx context.Context) (int64, error) {
	var head feedHead
	err := s.db.WithContext(ctx).Where("id = 1").Take(&head).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, errors.New("store: feed head missing: run migrate")
	}
	return head.Seq, err
}

// ChangedDocuments returns the documents with feed entries after afterSeq
// up to and including upTo, at most limit of them; more reports that there
// were more.
func (s *Store) ChangedDocuments(ctx context.Context, afterSeq, upTo int64, limit int) (ids []int64, more bool, err error) {
	err = s.db.WithContext(ctx).Model(&models.FeedEntry{}).
		Where("seq > ? AND seq <= ?", afterSeq, upTo).
		Distinct("document_id").Order("document_id").Limit(limit+1).Pluck("document_id", &ids).Error
	if err != nil {
		return nil, false, err
	}
	if len(ids) > limit {
		return ids[:limit], true, nil
	}
	return ids, false, nil
}
