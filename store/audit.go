package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// genesisHash is the PrevHash of the first event.
var genesisHash = strings.Repeat("0", 64)

// auditHead is a one-row table holding the end of the audit chain. Appends
// lock this row, which serializes them on MySQL without gap locks: locking
// the newest event instead (SELECT … ORDER BY id DESC LIMIT 1 FOR UPDATE)
// can hand a waiting appender the event that was newest when it started
// waiting, forking the chain. The head also records which event must end
// the trail, so VerifyAudit notices events deleted from the end.
type auditHead struct {
	ID      int64  `gorm:"primaryKey;autoIncrement:false"`
	EventID int64  `gorm:"not null"`
	Hash    string `gorm:"size:64;not null"`
}

func (auditHead) TableName() string { return "audit_head" }

// initAuditHead creates the head row, pointing at the newest event if the
// trail already has some.
func initAuditHead(db *gorm.DB) error {
	head := auditHead{ID: 1, Hash: genesisHash}
	var last models.AuditEvent
	err := db.Order("id DESC").Limit(1).Take(&last).Error
	switch {
	case err == nil:
		head.EventID, head.Hash = last.ID, last.Hash
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("store: migrate: read audit trail: %w", err)
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&head).Error; err != nil {
		return fmt.Errorf("store: migrate: audit head: %w", err)
	}
	return nil
}

// canonicalEvent is what an audit hash covers: every field of the event
// but its id (assigned by the database) and the hashes. The fields are in
// key order and always present, so the JSON is the same wherever it is
// computed.
type canonicalEvent struct {
	Action      string `json:"action"`
	Actor       string `json:"actor"`
	ActorID     int64  `json:"actor_id"`
	At          string `json:"at"`
	ContentHash string `json:"content_hash"`
	Details     string `json:"details"`
	DocumentID  int64  `json:"document_id"`
	Key         string `json:"key"`
	Lang        string `json:"lang"`
	Version     int    `json:"version"`
}

// CanonicalAuditHash returns the hash ev must carry:
// hex(sha256(PrevHash + "\n" + canonical JSON of ev)).
func CanonicalAuditHash(ev models.AuditEvent) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// Encoding a struct of strings and integers cannot fail.
	_ = enc.Encode(canonicalEvent{
		Action:      ev.Action,
		Actor:       ev.Actor,
		ActorID:     ev.ActorID,
		At:          dbTime(ev.At).Format(time.RFC3339Nano),
		ContentHash: ev.ContentHash,
		Details:     ev.Details,
		DocumentID:  ev.DocumentID,
		Key:         ev.Key,
		Lang:        ev.Lang,
		Version:     ev.Version,
	})
	sum := sha256.New()
	sum.Write([]byte(ev.PrevHash))
	sum.Write([]byte("\n"))
	sum.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum.Sum(nil))
}

// AppendAudit appends ev to the audit chain, filling ID, At (if zero),
// PrevHash and Hash. An event whose Key is already recorded is not appended
// again; ev is filled from the recorded one. An empty Key gets a random one.
func (s *Store) AppendAudit(ctx context.Context, ev *models.AuditEvent) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		return appendAudit(tx, ev)
	})
}

func appendAudit(tx *gorm.DB, ev *models.AuditEvent) error {
	if ev.Action == "" {
		return models.Errorf(models.EINVALID, "an audit event needs an action")
	}
	if ev.Key == "" {
		ev.Key = "auto:" + rand.Text()
	}
	// Lock the head before anything else is read: on MySQL the snapshot
	// of plain reads is taken at the first one, and the key check below
	// must see the appends we may have waited for.
	var head auditHead
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = 1").Take(&head).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errors.New("store: audit chain head missing: run migrate")
	}
	if err != nil {
		return err
	}

	var existing models.AuditEvent
	err = tx.Where(clause.Eq{Column: clause.Column{Name: "key"}, Value: ev.Key}).Take(&existing).Error
	if err == nil {
		*ev = existing
		return nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}

	ev.ID = 0
	if ev.At.IsZero() {
		ev.At = now()
	}
	ev.At = dbTime(ev.At)
	ev.PrevHash = head.Hash
	ev.Hash = CanonicalAuditHash(*ev)
	if err := tx.Create(ev).Error; err != nil {
		return err
	}
	return tx.Model(&head).Updates(map[string]any{"event_id": ev.ID, "hash": ev.Hash}).Error
}

// AuditTrail returns a document's audit events, oldest first.
func (s *Store) AuditTrail(ctx context.Context, documentID int64) ([]models.AuditEvent, error) {
	var events []models.AuditEvent
	err := s.db.WithContext(ctx).Where("document_id = ?", documentID).Order("id").Find(&events).Error
	if err != nil {
		return nil, err
	}
	return events, nil
}

// AuditVerification is the result of checking the audit chain.
type AuditVerification struct {
	OK       bool   `json:"ok"`
	Checked  int    `json:"checked"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// VerifyAudit walks the whole chain, recomputing every hash and link, and
// reports the first event that does not hold.
func (s *Store) VerifyAudit(ctx context.Context) (AuditVerification, error) {
	var v AuditVerification
	// The head is read first, and the walk stops at the event it names:
	// events appended during the walk are checked next time instead of
	// looking like a mismatch with a head read later.
	var head auditHead
	if err := s.db.WithContext(ctx).Where("id = 1").Take(&head).Error; err != nil {
		return v, fmt.Errorf("store: read audit head: %w", err)
	}

	const batch = 500
	prev, lastID := genesisHash, int64(0)
	for {
		var events []models.AuditEvent
		err := s.db.WithContext(ctx).Where("id > ? AND id <= ?", lastID, head.EventID).
			Order("id").Limit(batch).Find(&events).Error
		if err != nil {
			return v, err
		}
		for _, ev := range events {
			switch {
			case ev.PrevHash != prev:
				v.BrokenAt, v.Reason = ev.ID, "prev_hash does not match the hash of the event before it"
			case CanonicalAuditHash(ev) != ev.Hash:
				v.BrokenAt, v.Reason = ev.ID, "hash does not match the event's content"
			}
			if v.BrokenAt != 0 {
				return v, nil
			}
			prev, lastID = ev.Hash, ev.ID
			v.Checked++
		}
		if len(events) < batch {
			break
		}
	}
	if lastID != head.EventID || prev != head.Hash {
		v.BrokenAt = head.EventID
		v.Reason = fmt.Sprintf("the trail ends at event %d but the chain head is event %d: events are missing", lastID, head.EventID)
		return v, nil
	}
	v.OK = true
	return v, nil
}

// AuditFilter selects a page of the audit trail.
type AuditFilter struct {
	DocumentID int64 // 0: events of any document, or of none
	// Action is an action name, or a prefix ending in "." ("glossary.")
	// that matches every action under it; "" matches every action.
	Action  string
	AfterID int64
	Limit   int // <=0: 100; at most 500
}

// ListAudit returns the events matching f, oldest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]models.AuditEvent, error) {
	q := s.db.WithContext(ctx).Where("id > ?", f.AfterID)
	if f.DocumentID != 0 {
		q = q.Where("document_id = ?", f.DocumentID)
	}
	if prefix, ok := strings.CutSuffix(f.Action, "."); ok {
		// A range rather than LIKE: action names hold underscores, which
		// LIKE would take as wildcards, and the action index serves a
		// range. "/" is the byte after "."; both databases compare these
		// columns bytewise (SQLite's BINARY, MySQL's utf8mb4_bin).
		q = q.Where("action >= ? AND action < ?", f.Action, prefix+"/")
	} else if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	var events []models.AuditEvent
	if err := q.Order("id").Limit(clampLimit(f.Limit, 100, 500)).Find(&events).Error; err != nil {
		return nil, err
	}
	return events, nil
}
