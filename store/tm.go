package store

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"yizhi/models"
)

// TMExact returns the translation memory entries whose source segment has
// one of sourceHashes, grouped by hash, newest first within a hash.
func (s *Store) TMExact(ctx context.Context, sourceLang, targetLang string, sourceHashes []string) ([]models.TMEntry, error) {
	hashes := slices.Clone(sourceHashes)
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	var all []models.TMEntry
	for _, chunk := range chunks(hashes, 500) {
		var entries []models.TMEntry
		err := s.db.WithContext(ctx).
			Where("source_lang = ? AND target_lang = ? AND source_hash IN ?", sourceLang, targetLang, chunk).
			Order("source_hash, created_at DESC, id DESC").Find(&entries).Error
		if err != nil {
			return nil, err
		}
		all = append(all, entries...)
	}
	return all, nil
}

// CreateGlossaryEntry adds a termbase entry and, in the same transaction,
// the audit event that says actor added it: the termbase decides which
// renderings QA lets through, so a change to it must be as traceable as
// the translations.
func (s *Store) CreateGlossaryEntry(ctx context.Context, e *models.GlossaryEntry, actor *models.User) error {
	if e.SourceLang == "" || e.TargetLang == "" || e.Term == "" {
		return models.Errorf(models.EINVALID, "a glossary entry needs source_lang, target_lang and term")
	}
	if e.Status == "" {
		e.Status = models.TermApproved
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		e.ID = 0 // left over from an attempt that rolled back
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return appendAudit(tx, glossaryEvent(AuditGlossaryCreated, actor, e.TargetLang, e))
	})
	if err != nil {
		e.ID = 0
	}
	return err
}

// GlossaryFilter selects a page of the termbase.
type GlossaryFilter struct {
	SourceLang, TargetLang string
	Limit                  int // <=0: 50; at most 500
	AfterID                int64
}

// ListGlossary returns the entries matching f, by id.
func (s *Store) ListGlossary(ctx context.Context, f GlossaryFilter) ([]models.GlossaryEntry, error) {
	q := s.db.WithContext(ctx).Where("id > ?", f.AfterID)
	if f.SourceLang != "" {
		q = q.Where("source_lang = ?", f.SourceLang)
	}
	if f.TargetLang != "" {
		q = q.Where("target_lang = ?", f.TargetLang)
	}
	var entries []models.GlossaryEntry
	if err := q.Order("id").Limit(clampLimit(f.Limit, 50, 500)).Find(&entries).Error; err != nil {
		return nil, err
	}
	return entries, nil
}

// GlossaryForPair returns every entry of a language pair, whatever its
// status: QA needs the forbidden and deprecated terms too.
func (s *Store) GlossaryForPair(ctx context.Context, sourceLang, targetLang string) ([]models.GlossaryEntry, error) {
	var entries []models.GlossaryEntry
	err := s.db.WithContext(ctx).
		Where("source_lang = ? AND target_lang = ?", sourceLang, targetLang).
		Order("id").Find(&entries).Error
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// chunks splits ids for IN lists: both databases limit the placeholders of
// one statement.
func chunks[T any](all []T, size int) [][]T {
	return slices.Collect(slices.Chunk(all, size))
}

// TMEntriesAfter returns up to limit translation memory entries with an id
// above afterID, in id order. Workers load their in-memory index with it at
// start and catch up with what other workers published since.
func (s *Store) TMEntriesAfter(ctx context.Context, afterID int64, limit int) ([]models.TMEntry, error) {
	var entries []models.TMEntry
	err := s.db.WithContext(ctx).Where("id > ?", afterID).Order("id").Limit(limit).Find(&entries).Error
	if err != nil {
		return nil, err
	}
	return entries, nil
}
