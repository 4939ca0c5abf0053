package store

import (
	"bufio"
	"cmp"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// Imports of translation memories and termbases are all-or-nothing: a file
// that fails on line 900,000 leaves the database as it was. They are also
// staged: the entries are first spooled to a temporary file while the
// upload is parsed, and only a fully parsed file opens the transaction.
// Holding a transaction open for as long as a client takes to upload would
// pin a connection (on SQLite, the only one, so the whole API would wait)
// and make the transaction's length depend on the slowest network.

// Audit actions of termbase and translation memory changes. An import is
// one event, with counts, rather than one per entry: a million-pair memory
// would otherwise bury every other event of the trail.
const (
	AuditGlossaryCreated  = "glossary.created"
	AuditGlossaryUpdated  = "glossary.updated"
	AuditGlossaryDeleted  = "glossary.deleted"
	AuditGlossaryImported = "glossary.imported"
	AuditTMImported       = "tm.imported"
)

// exportBatch is how many rows an export reads per query, so an export of
// a million pairs never holds more than this many.
const exportBatch = 1000

// ImportTM adds translation memory entries, skipping those the memory
// already has: an entry is a duplicate when its language pair, source hash
// and target text match one already stored or one earlier in the same
// import, so importing the same file twice adds nothing the second time.
// SourceHash is recomputed with models.SegmentHash. It returns the number
// of entries added. The import is audited as done by actor.
//
// entries is consumed completely before the transaction begins; if it fails,
// nothing is written and its error is returned as it is.
func (s *Store) ImportTM(ctx context.Context, entries func(yield func(models.TMEntry) error) error, actor *models.User) (int, error) {
	return s.ImportTMWithProgress(ctx, entries, nil, actor)
}

// tmImportDetails is what the audit event of a TM import records.
type tmImportDetails struct {
	Entries           int        `json:"entries"` // in the file
	Imported          int        `json:"imported"`
	SkippedDuplicates int        `json:"skipped_duplicates"`
	Pairs             []langPair `json:"pairs"`
}

// ImportTMWithProgress is ImportTM that calls progress(checked, total) as
// the commit goes through the staged entries, so a caller can show that a
// long commit is moving.
func (s *Store) ImportTMWithProgress(ctx context.Context, entries func(yield func(models.TMEntry) error) error,
	progress func(checked, total int), actor *models.User) (int, error) {
	pairs := langPairs{}
	sp, err := spoolAll(ctx, "tm", func(yield func(models.TMEntry) error) error {
		return entries(func(e models.TMEntry) error {
			if e.SourceLang == "" || e.TargetLang == "" || strings.TrimSpace(e.SourceText) == "" || e.TargetText == "" {
				return models.Errorf(models.EINVALID, "a TM entry needs languages, a source and a target")
			}
			pairs.add(e.SourceLang, e.TargetLang)
			e.ID = 0
			e.SourceHash = models.SegmentHash(e.SourceText)
			if e.CreatedAt.IsZero() {
				e.CreatedAt = now()
			}
			return yield(e)
		})
	})
	if err != nil {
		return 0, err
	}
	defer sp.close()

	added := 0
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		added = 0
		checked := 0
		err := sp.batches(insertBatch, func(batch []models.TMEntry) error {
			fresh, err := newTMEntries(tx, batch)
			if err != nil {
				return err
			}
			if len(fresh) > 0 {
				if err := tx.CreateInBatches(fresh, insertBatch).Error; err != nil {
					return err
				}
			}
			added += len(fresh)
			checked += len(batch)
			if progress != nil {
				progress(checked, sp.n)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// The whole import is this one transaction, so its event commits
		// with the entries or not at all. A re-import that adds nothing is
		// still recorded: who loaded which file is the point.
		return appendAudit(tx, actorEvent(AuditTMImported, actor, tmImportDetails{
			Entries: sp.n, Imported: added, SkippedDuplicates: sp.n - added, Pairs: pairs.sorted(),
		}))
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// newTMEntries returns the entries of batch that neither the memory (as tx
// sees it, rows added earlier in the import included) nor an earlier entry
// of batch already holds.
func newTMEntries(tx *gorm.DB, batch []models.TMEntry) ([]models.TMEntry, error) {
	type pair struct{ source, target string }
	hashes := map[pair][]string{}
	for _, e := range batch {
		p := pair{e.SourceLang, e.TargetLang}
		hashes[p] = append(hashes[p], e.SourceHash)
	}
	seen := map[string]bool{}
	key := func(source, target, hash, text string) string {
		return source + "\x00" + target + "\x00" + hash + "\x00" + text
	}
	for p, hs := range hashes {
		var rows []models.TMEntry
		err := tx.Select("source_hash", "target_text").
			Where("source_lang = ? AND target_lang = ? AND source_hash IN ?", p.source, p.target, hs).
			Find(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			seen[key(p.source, p.target, r.SourceHash, r.TargetText)] = true
		}
	}
	var fresh []models.TMEntry
	for _, e := range batch {
		k := key(e.SourceLang, e.TargetLang, e.SourceHash, e.TargetText)
		if !seen[k] {
			seen[k] = true
			fresh = append(fresh, e)
		}
	}
	return fresh, nil
}

// ExportTM calls fn for every TM entry of a language pair, in id order,
// reading exportBatch rows at a time. An empty sourceLang or targetLang
// matches every language. An error from fn stops the export and is
// returned.
func (s *Store) ExportTM(ctx context.Context, sourceLang, targetLang string, fn func(models.TMEntry) error) error {
	var after int64
	for {
		q := s.db.WithContext(ctx).Where("id > ?", after)
		if sourceLang != "" {
			q = q.Where("source_lang = ?", sourceLang)
		}
		if targetLang != "" {
			q = q.Where("target_lang = ?", targetLang)
		}
		var rows []models.TMEntry
		if err := q.Order("id").Limit(exportBatch).Find(&rows).Error; err != nil {
			return err
		}
		for _, e := range rows {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(rows) < exportBatch {
			return nil
		}
		after = rows[len(rows)-1].ID
	}
}

// GlossaryEntryByID returns one termbase entry.
func (s *Store) GlossaryEntryByID(ctx context.Context, id int64) (*models.GlossaryEntry, error) {
	var e models.GlossaryEntry
	if err := s.db.WithContext(ctx).First(&e, id).Error; err != nil {
		return nil, notFound(err, "no glossary entry with id %d", id)
	}
	return &e, nil
}

// UpdateGlossaryEntry replaces every field of the entry with e.ID but its
// creation time, fills e with what is stored, and audits the fields that
// changed as actor's doing. An update that changes no field writes
// nothing, so it neither moves updated_at nor adds an empty event.
func (s *Store) UpdateGlossaryEntry(ctx context.Context, e *models.GlossaryEntry, actor *models.User) error {
	if e.SourceLang == "" || e.TargetLang == "" || e.Term == "" {
		return models.Errorf(models.EINVALID, "a glossary entry needs source_lang, target_lang and term")
	}
	if e.Status == "" {
		e.Status = models.TermApproved
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		// The lock keeps two editors' edits from both reading the same
		// "before" and auditing a change that never happened.
		var before models.GlossaryEntry
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", e.ID).Take(&before).Error
		if err != nil {
			return notFound(err, "no glossary entry with id %d", e.ID)
		}
		change := glossaryChangeOf(&before, e)
		if len(change.Before) == 0 {
			*e = before
			return nil
		}
		err = tx.Model(&models.GlossaryEntry{}).Where("id = ?", e.ID).Updates(map[string]any{
			"source_lang": e.SourceLang, "target_lang": e.TargetLang, "term": e.Term,
			"translation": e.Translation, "domain": e.Domain, "status": e.Status,
			"source_ref": e.SourceRef, "notes": e.Notes, "updated_at": now(),
		}).Error
		if err != nil {
			return err
		}
		if err := tx.First(e, e.ID).Error; err != nil {
			return err
		}
		return appendAudit(tx, glossaryEvent(AuditGlossaryUpdated, actor, e.TargetLang, change))
	})
}

// glossaryChange is what the audit event of an update records: the entry,
// and the old and new values of the fields that changed, by column name.
type glossaryChange struct {
	ID     int64             `json:"id"`
	Term   string            `json:"term"` // as it is after the update
	Before map[string]string `json:"before"`
	After  map[string]string `json:"after"`
}

func glossaryChangeOf(before, after *models.GlossaryEntry) glossaryChange {
	c := glossaryChange{ID: before.ID, Term: after.Term, Before: map[string]string{}, After: map[string]string{}}
	for _, f := range []struct{ column, old, new string }{
		{"source_lang", before.SourceLang, after.SourceLang},
		{"target_lang", before.TargetLang, after.TargetLang},
		{"term", before.Term, after.Term},
		{"translation", before.Translation, after.Translation},
		{"domain", before.Domain, after.Domain},
		{"status", before.Status, after.Status},
		{"source_ref", before.SourceRef, after.SourceRef},
		{"notes", before.Notes, after.Notes},
	} {
		if f.old != f.new {
			c.Before[f.column], c.After[f.column] = f.old, f.new
		}
	}
	return c
}

// DeleteGlossaryEntry removes a termbase entry and audits it as it was.
// Glossary hits already attached to segments keep their copy of the term:
// they record what the translator was shown.
func (s *Store) DeleteGlossaryEntry(ctx context.Context, id int64, actor *models.User) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		var e models.GlossaryEntry
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&e).Error
		if err != nil {
			return notFound(err, "no glossary entry with id %d", id)
		}
		if err := tx.Delete(&e).Error; err != nil {
			return err
		}
		return appendAudit(tx, glossaryEvent(AuditGlossaryDeleted, actor, e.TargetLang, &e))
	})
}

// glossaryEvent is the audit event of a change to one termbase entry,
// under the entry's target language so a language's changes can be found.
func glossaryEvent(action string, actor *models.User, targetLang string, details any) *models.AuditEvent {
	ev := actorEvent(action, actor, details)
	ev.Lang = targetLang
	return ev
}

// GlossarySearch is GlossaryFilter with the filters of the termbase
// management screen.
type GlossarySearch struct {
	GlossaryFilter
	Domain       string
	Status       string
	TermContains string // a substring of the Chinese term
}

// SearchGlossary returns a page of the entries matching f, by id.
func (s *Store) SearchGlossary(ctx context.Context, f GlossarySearch) ([]models.GlossaryEntry, error) {
	q := s.db.WithContext(ctx).Where("id > ?", f.AfterID)
	if f.SourceLang != "" {
		q = q.Where("source_lang = ?", f.SourceLang)
	}
	if f.TargetLang != "" {
		q = q.Where("target_lang = ?", f.TargetLang)
	}
	if f.Domain != "" {
		q = q.Where("domain = ?", f.Domain)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.TermContains != "" {
		// INSTR rather than LIKE: no wildcards to escape, and both
		// databases compare bytes here (SQLite's LIKE would fold ASCII
		// case, MySQL's utf8mb4_bin would not).
		q = q.Where("INSTR(term, ?) > 0", f.TermContains)
	}
	var entries []models.GlossaryEntry
	if err := q.Order("id").Limit(clampLimit(f.Limit, 50, 500)).Find(&entries).Error; err != nil {
		return nil, err
	}
	return entries, nil
}

// GlossaryImportResult counts what an import did to the termbase.
type GlossaryImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportGlossary merges entries into the termbase, all or nothing. An entry
// is the same as a stored one when its language pair, term and translation
// match; the file then wins for domain, status, source_ref and notes, so
// importing a revised termbase (a rendering that became forbidden) updates
// it, and importing the same file twice changes nothing. The import is one
// audit event, with the counts, as done by actor.
func (s *Store) ImportGlossary(ctx context.Context, entries func(yield func(models.GlossaryEntry) error) error,
	actor *models.User) (GlossaryImportResult, error) {
	var res GlossaryImportResult
	pairs := langPairs{}
	sp, err := spoolAll(ctx, "glossary", func(yield func(models.GlossaryEntry) error) error {
		return entries(func(e models.GlossaryEntry) error {
			if e.SourceLang == "" || e.TargetLang == "" || e.Term == "" || e.Translation == "" {
				return models.Errorf(models.EINVALID, "a glossary entry needs languages, a term and a translation")
			}
			pairs.add(e.SourceLang, e.TargetLang)
			e.ID = 0
			if e.Status == "" {
				e.Status = models.TermApproved
			}
			return yield(e)
		})
	})
	if err != nil {
		return res, err
	}
	defer sp.close()

	err = s.transaction(ctx, func(tx *gorm.DB) error {
		res = GlossaryImportResult{}
		err := sp.batches(insertBatch, func(batch []models.GlossaryEntry) error {
			return mergeGlossaryBatch(tx, batch, &res)
		})
		if err != nil {
			return err
		}
		return appendAudit(tx, actorEvent(AuditGlossaryImported, actor, glossaryImportDetails{res, pairs.sorted()}))
	})
	if err != nil {
		return GlossaryImportResult{}, err
	}
	return res, nil
}

// glossaryImportDetails is what the audit event of a TBX import records:
// the counts, and the language pairs of the file.
type glossaryImportDetails struct {
	GlossaryImportResult
	Pairs []langPair `json:"pairs"`
}

// langPair is a source and target language, as imports audit them.
type langPair struct {
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
}

// langPairs collects the language pairs an import holds.
type langPairs map[langPair]bool

func (ps langPairs) add(source, target string) { ps[langPair{source, target}] = true }

// sorted lists the pairs in a fixed order, so the same file always gives
// the same audit details.
func (ps langPairs) sorted() []langPair {
	out := make([]langPair, 0, len(ps))
	for p := range ps {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b langPair) int {
		return cmp.Or(cmp.Compare(a.SourceLang, b.SourceLang), cmp.Compare(a.TargetLang, b.TargetLang))
	})
	return out
}

func mergeGlossaryBatch(tx *gorm.DB, batch []models.GlossaryEntry, res *GlossaryImportResult) error {
	key := func(e models.GlossaryEntry) string {
		return e.SourceLang + "\x00" + e.TargetLang + "\x00" + e.Term + "\x00" + e.Translation
	}
	// A pair said twice in one batch counts once, and the later one wins,
	// as it would if it came in a later batch.
	var order []string
	latest := map[string]models.GlossaryEntry{}
	type pair struct{ source, target string }
	terms := map[pair][]string{}
	for _, e := range batch {
		k := key(e)
		if _, ok := latest[k]; !ok {
			order = append(order, k)
			p := pair{e.SourceLang, e.TargetLang}
			terms[p] = append(terms[p], e.Term)
		}
		latest[k] = e
	}
	stored := map[string][]models.GlossaryEntry{}
	for p, ts := range terms {
		var rows []models.GlossaryEntry
		err := tx.Where("source_lang = ? AND target_lang = ? AND term IN ?", p.source, p.target, ts).
			Order("id").Find(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			stored[key(r)] = append(stored[key(r)], r)
		}
	}
	var fresh []models.GlossaryEntry
	for _, k := range order {
		e := latest[k]
		have := stored[k]
		if len(have) == 0 {
			fresh = append(fresh, e)
			continue
		}
		changed := false
		for _, h := range have {
			if h.Domain == e.Domain && h.Status == e.Status && h.SourceRef == e.SourceRef && h.Notes == e.Notes {
				continue
			}
			changed = true
			err := tx.Model(&models.GlossaryEntry{}).Where("id = ?", h.ID).Updates(map[string]any{
				"domain": e.Domain, "status": e.Status, "source_ref": e.SourceRef, "notes": e.Notes, "updated_at": now(),
			}).Error
			if err != nil {
				return err
			}
		}
		if changed {
			res.Updated++
		} else {
			res.Unchanged++
		}
	}
	if len(fresh) > 0 {
		if err := tx.CreateInBatches(fresh, insertBatch).Error; err != nil {
			return err
		}
	}
	res.Created += len(fresh)
	return nil
}

// ExportGlossary calls fn for every entry of a language pair (an empty
// language matches all) ordered by term, domain and id, which is the order
// in which entries group into TBX concepts. It reads exportBatch rows at a
// time, paging by the (term, domain, id) key.
func (s *Store) ExportGlossary(ctx context.Context, sourceLang, targetLang string, fn func(models.GlossaryEntry) error) error {
	var (
		after models.GlossaryEntry
		first = true
	)
	for {
		q := s.db.WithContext(ctx).Model(&models.GlossaryEntry{})
		if sourceLang != "" {
			q = q.Where("source_lang = ?", sourceLang)
		}
		if targetLang != "" {
			q = q.Where("target_lang = ?", targetLang)
		}
		if !first {
			q = q.Where("(term > ? OR (term = ? AND (domain > ? OR (domain = ? AND id > ?))))",
				after.Term, after.Term, after.Domain, after.Domain, after.ID)
		}
		var rows []models.GlossaryEntry
		if err := q.Order("term, domain, id").Limit(exportBatch).Find(&rows).Error; err != nil {
			return err
		}
		for _, e := range rows {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(rows) < exportBatch {
			return nil
		}
		after, first = rows[len(rows)-1], false
	}
}

// spool is a temporary file of gob-encoded values: the staging area of an
// import, so a file of any size is parsed in full before the transaction
// starts, in constant memory.
type spool[T any] struct {
	f *os.File
	n int
}

// spoolAll writes every value of values to a new spool. If values fails,
// the spool is removed and the error returned as it is.
func spoolAll[T any](ctx context.Context, what string, values func(yield func(T) error) error) (*spool[T], error) {
	f, err := os.CreateTemp("", "yizhi-"+what+"-import-*")
	if err != nil {
		return nil, fmt.Errorf("store: stage %s import: %w", what, err)
	}
	sp := &spool[T]{f: f}
	w := bufio.NewWriterSize(f, 256<<10)
	enc := gob.NewEncoder(w)
	err = values(func(v T) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sp.n++
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("store: stage %s import: %w", what, err)
		}
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		sp.close()
		return nil, err
	}
	return sp, nil
}

// batches reads the spool from the start and calls fn with up to size
// values at a time. It may run more than once, when a transaction retries.
func (sp *spool[T]) batches(size int, fn func([]T) error) error {
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(sp.f, 256<<10))
	batch := make([]T, 0, size)
	for {
		var v T
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("store: read staged import: %w", err)
		}
		batch = append(batch, v)
		if len(batch) == size {
			if err := fn(batch); err != nil {
				return err
			}
			batch = make([]T, 0, size)
		}
	}
	if len(batch) > 0 {
		return fn(batch)
	}
	return nil
}

func (sp *spool[T]) close() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}
