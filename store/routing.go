package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// Audit actions of routing changes.
const (
	AuditRoutingCreated = "routing.created"
	AuditRoutingUpdated = "routing.updated"
	AuditRoutingDeleted = "routing.deleted"
)

// ListRoutingRules returns every routing rule, in rule order.
func (s *Store) ListRoutingRules(ctx context.Context) ([]models.RoutingRule, error) {
	var rules []models.RoutingRule
	if err := s.db.WithContext(ctx).Order("priority, id").Find(&rules).Error; err != nil {
		return nil, err
	}
	return rules, nil
}

// RoutingRuleByID returns routing rule id.
func (s *Store) RoutingRuleByID(ctx context.Context, id int64) (*models.RoutingRule, error) {
	var r models.RoutingRule
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "no routing rule with id %d", id)
	}
	return &r, nil
}

// CreateRoutingRule inserts r and, in the same transaction, the audit event
// that says actor made it: a routing change decides which languages courts
// publish in, so it must be as traceable as the translations.
func (s *Store) CreateRoutingRule(ctx context.Context, r *models.RoutingRule, actor *models.User) error {
	if err := checkRoutingRule(r); err != nil {
		return err
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		r.ID = 0 // left over from an attempt that rolled back
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		return appendAudit(tx, actorEvent(AuditRoutingCreated, actor, r))
	})
	if err != nil {
		r.ID = 0
	}
	return err
}

// UpdateRoutingRule replaces every field of rule r.ID but its creation
// time, and audits the change.
func (s *Store) UpdateRoutingRule(ctx context.Context, r *models.RoutingRule, actor *models.User) error {
	if err := checkRoutingRule(r); err != nil {
		return err
	}
	return s.transaction(ctx, func(tx *gorm.DB) error {
		// The lock keeps two admins' edits from both reading the same
		// "before" and auditing a change that never happened.
		var before models.RoutingRule
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", r.ID).Take(&before).Error
		if err != nil {
			return notFound(err, "no routing rule with id %d", r.ID)
		}
		// A throwaway model: gorm writes the new values into the model,
		// and before must keep the old ones for the audit event.
		err = tx.Model(&models.RoutingRule{ID: r.ID}).
			Select("priority", "name", "court_contains", "kinds", "priorities", "targets", "profile", "updated_at").
			Updates(r).Error
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", r.ID).Take(r).Error; err != nil {
			return err
		}
		// Seeded rules have no creation event, so an update records what
		// it replaced as well as the result.
		ev := actorEvent(AuditRoutingUpdated, actor, struct {
			Before *models.RoutingRule `json:"before"`
			After  *models.RoutingRule `json:"after"`
		}{&before, r})
		return appendAudit(tx, ev)
	})
}

// DeleteRoutingRule removes rule id and audits the rule as it was.
func (s *Store) DeleteRoutingRule(ctx context.Context, id int64, actor *models.User) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		var r models.RoutingRule
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&r).Error
		if err != nil {
			return notFound(err, "no routing rule with id %d", id)
		}
		if err := tx.Delete(&r).Error; err != nil {
			return err
		}
		return appendAudit(tx, actorEvent(AuditRoutingDeleted, actor, &r))
	})
}

// SeedRoutingRules fills an empty routing table with defaults, and leaves
// alone a table with any rule, or one an admin has ever changed: rules an
// admin deleted stay deleted, all of them included. It reports whether it
// seeded.
func (s *Store) SeedRoutingRules(ctx context.Context, defaults []models.RoutingRule) (bool, error) {
	return seedRoutingRules(s.db.WithContext(ctx), defaults)
}

// seedRoutingRules counts and inserts in one transaction: a seed cut short
// would leave a table that is not empty and so never gets the rest, and on
// SQLite the transaction's write lock keeps two processes migrating at
// once from both seeding (on MySQL, Migrate's named lock does).
func seedRoutingRules(db *gorm.DB, defaults []models.RoutingRule) (seeded bool, err error) {
	if len(defaults) == 0 {
		return false, nil
	}
	rules := make([]models.RoutingRule, len(defaults))
	for i, d := range defaults {
		// A copy, so the caller's slices (models.DefaultRoutes) are
		// neither written to nor shared with the rows.
		d.ID = 0
		d.CourtContains = slices.Clone(d.CourtContains)
		d.Kinds = slices.Clone(d.Kinds)
		d.Priorities = slices.Clone(d.Priorities)
		d.Targets = slices.Clone(d.Targets)
		if err := checkRoutingRule(&d); err != nil {
			return false, fmt.Errorf("store: default routing rule %q: %w", d.Name, err)
		}
		rules[i] = d
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.RoutingRule{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		// The audit trail is the one record that outlives the rules, so it
		// tells an emptied table from a new one.
		err := tx.Model(&models.AuditEvent{}).
			Where("action IN ?", []string{AuditRoutingCreated, AuditRoutingUpdated, AuditRoutingDeleted}).
			Count(&n).Error
		if err != nil || n > 0 {
			return err
		}
		seeded = true
		return tx.Create(&rules).Error
	})
	if err != nil {
		return false, fmt.Errorf("store: seed routing rules: %w", err)
	}
	return seeded, nil
}

// checkRoutingRule refuses a rule that could never route anything, and
// stores empty lists as [] rather than null so a rule reads back as it
// was written.
func checkRoutingRule(r *models.RoutingRule) error {
	if r.Name == "" || len(r.CourtContains) == 0 || len(r.Targets) == 0 {
		return models.Errorf(models.EINVALID, "a routing rule needs a name, court_contains and targets")
	}
	if r.Profile == "" {
		r.Profile = models.ProfileFull
	}
	if !slices.Contains(models.Profiles, r.Profile) {
		return models.Errorf(models.EINVALID, "unknown profile %q", r.Profile)
	}
	if r.Kinds == nil {
		r.Kinds = []string{}
	}
	if r.Priorities == nil {
		r.Priorities = []models.Priority{}
	}
	return nil
}

// actorEvent is the audit event of a change a person made by hand.
func actorEvent(action string, actor *models.User, details any) *models.AuditEvent {
	ev := &models.AuditEvent{Action: action, Details: canonicalJSON(details)}
	if actor != nil {
		ev.ActorID, ev.Actor = actor.ID, actor.Name
	}
	return ev
}

// canonicalJSON encodes v the way audit details are stored: struct fields
// in declaration order, map keys sorted, and no HTML escaping, so the same
// value always gives the same bytes.
func canonicalJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// The callers pass structs of strings, numbers, times and slices,
	// which always encode.
	_ = enc.Encode(v)
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
