package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestMigrateSeedsRoutingRulesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		rules, err := s.ListRoutingRules(ctx)
		require.NoError(t, err)
		require.Len(t, rules, len(models.DefaultRoutes))
		for i, r := range rules {
			d := models.DefaultRoutes[i]
			require.NotZero(t, r.ID)
			require.Equal(t, d.Name, r.Name)
			require.Equal(t, d.CourtContains, r.CourtContains)
			require.Equal(t, d.Targets, r.Targets)
			require.Equal(t, models.ProfileFull, r.Profile)
		}
		for _, d := range models.DefaultRoutes {
			require.Zero(t, d.ID, "seeding wrote into models.DefaultRoutes")
		}
		// The seeded table routes as the defaults do.
		for _, court := range []string{"新疆维吾尔自治区高级人民法院", "最高人民法院", "上海海事法院", "北京市朝阳区人民法院"} {
			want, _ := models.Route(models.DefaultRoutes, court, models.KindNews, models.PriorityNormal)
			got, _ := models.Route(rules, court, models.KindNews, models.PriorityNormal)
			require.Equal(t, want, got, court)
		}
		// Seeding is not audited: no person made the change.
		require.EqualValues(t, 0, countRows(t, s, "audit_events"))

		// A second migration leaves the rules alone.
		require.NoError(t, s.Migrate(ctx))
		require.EqualValues(t, len(models.DefaultRoutes), countRows(t, s, "routing_rules"))

		// An admin's deletions stick across migrations.
		admin := &models.User{ID: 1, Name: "admin"}
		for _, r := range rules {
			require.NoError(t, s.DeleteRoutingRule(ctx, r.ID, admin))
		}
		require.NoError(t, s.Migrate(ctx))
		require.EqualValues(t, 0, countRows(t, s, "routing_rules"))

		seeded, err := s.SeedRoutingRules(ctx, models.DefaultRoutes)
		require.NoError(t, err)
		require.False(t, seeded)
	})
}

func TestSeedRoutingRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		seeded, err := s.SeedRoutingRules(ctx, models.DefaultRoutes)
		require.NoError(t, err)
		require.False(t, seeded, "Migrate seeded already")

		// A table emptied behind the store's back, with no routing change
		// on record, is a new one.
		require.NoError(t, store.RawDB(s).Exec("DELETE FROM routing_rules").Error)
		seeded, err = s.SeedRoutingRules(ctx, models.DefaultRoutes[:2])
		require.NoError(t, err)
		require.True(t, seeded)
		require.EqualValues(t, 2, countRows(t, s, "routing_rules"))
	})
}

func TestRoutingRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		admin := &models.User{ID: 7, Name: "管理员"}
		rule := &models.RoutingRule{
			Priority: 5, Name: "伊犁 notices", CourtContains: []string{"伊犁哈萨克"},
			Kinds: []string{models.KindHearingNotice}, Priorities: []models.Priority{models.PriorityUrgent},
			Targets: []string{"kk-Arab", "ug"}, Profile: models.ProfileReview,
		}
		require.NoError(t, s.CreateRoutingRule(ctx, rule, admin))
		require.NotZero(t, rule.ID)

		got, err := s.RoutingRuleByID(ctx, rule.ID)
		require.NoError(t, err)
		require.Equal(t, rule, got)
		rules, err := s.ListRoutingRules(ctx)
		require.NoError(t, err)
		require.Equal(t, rule.ID, rules[0].ID, "priority 5 comes before the seeded 10")

		// Empty lists read back as empty, not null, and the profile
		// defaults to full.
		plain := &models.RoutingRule{Name: "plain", CourtContains: []string{"某地"}, Targets: []string{"en"}}
		require.NoError(t, s.CreateRoutingRule(ctx, plain, admin))
		got, err = s.RoutingRuleByID(ctx, plain.ID)
		require.NoError(t, err)
		require.Equal(t, []string{}, got.Kinds)
		require.Equal(t, []models.Priority{}, got.Priorities)
		require.Equal(t, models.ProfileFull, got.Profile)

		time.Sleep(2 * time.Millisecond) // so updated_at moves on SQLite's clock too
		update := &models.RoutingRule{
			ID: rule.ID, Priority: 100, Name: "伊犁", CourtContains: []string{"伊犁哈萨克", "塔城"},
			Targets: []string{"kk-Arab"}, Profile: models.ProfileFull,
		}
		require.NoError(t, s.UpdateRoutingRule(ctx, update, admin))
		require.Equal(t, rule.CreatedAt, update.CreatedAt)
		require.True(t, update.UpdatedAt.After(rule.UpdatedAt))
		require.Equal(t, []string{}, update.Kinds)
		got, err = s.RoutingRuleByID(ctx, rule.ID)
		require.NoError(t, err)
		require.Equal(t, update, got)

		require.NoError(t, s.DeleteRoutingRule(ctx, plain.ID, admin))
		_, err = s.RoutingRuleByID(ctx, plain.ID)
		requireCode(t, models.ENOTFOUND, err)

		// Failed changes are not audited.
		requireCode(t, models.ENOTFOUND, s.DeleteRoutingRule(ctx, plain.ID, admin))
		missing := *update
		missing.ID = 99999
		requireCode(t, models.ENOTFOUND, s.UpdateRoutingRule(ctx, &missing, admin))
		requireCode(t, models.EINVALID, s.CreateRoutingRule(ctx, &models.RoutingRule{Name: "no court", Targets: []string{"en"}}, admin))
		requireCode(t, models.EINVALID, s.CreateRoutingRule(ctx, &models.RoutingRule{Name: "x", CourtContains: []string{"x"}, Targets: []string{"en"}, Profile: "quick"}, admin))

		// Every change is one audit event by the admin, in order, and
		// the chain holds.
		events, err := s.AuditTrail(ctx, 0)
		require.NoError(t, err)
		require.Len(t, events, 4)
		for i, action := range []string{store.AuditRoutingCreated, store.AuditRoutingCreated, store.AuditRoutingUpdated, store.AuditRoutingDeleted} {
			require.Equal(t, action, events[i].Action)
			require.Equal(t, admin.ID, events[i].ActorID)
			require.Equal(t, admin.Name, events[i].Actor)
		}
		var created models.RoutingRule
		require.NoError(t, json.Unmarshal([]byte(events[0].Details), &created))
		require.Equal(t, rule.ID, created.ID)
		require.Equal(t, rule.Targets, created.Targets)
		require.NotContains(t, events[0].Details, `\u`, "details keep Chinese as is")
		var updated struct{ Before, After models.RoutingRule }
		require.NoError(t, json.Unmarshal([]byte(events[2].Details), &updated))
		require.Equal(t, "伊犁 notices", updated.Before.Name)
		require.Equal(t, models.ProfileReview, updated.Before.Profile)
		require.Equal(t, "伊犁", updated.After.Name)
		require.Equal(t, []string{"伊犁哈萨克", "塔城"}, updated.After.CourtContains)
		var deleted models.RoutingRule
		require.NoError(t, json.Unmarshal([]byte(events[3].Details), &deleted))
		require.Equal(t, "plain", deleted.Name)

		v, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.True(t, v.OK)
	})
}

func TestMigrateGivesOldDocumentsTheFullProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, _ := newDocument(t, s, "before-profiles", "ug")
		require.Equal(t, models.ProfileFull, doc.Profile, "an unset profile is full")
		// A database from before profiles existed.
		require.NoError(t, store.RawDB(s).Exec("ALTER TABLE documents DROP COLUMN profile").Error)
		require.NoError(t, s.Migrate(ctx))
		got, err := s.DocumentByID(ctx, doc.ID)
		require.NoError(t, err)
		require.Equal(t, models.ProfileFull, got.Profile)
	})
}
