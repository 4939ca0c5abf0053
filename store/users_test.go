package store_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		u := &models.User{
			Name:      "阿依古丽",
			Roles:     []models.Role{models.RoleTranslator, models.RoleReviewer},
			TokenHash: sha("token-1"),
			Competences: []models.Competence{
				{Role: models.RoleTranslator, Lang: "ug"},
				{Role: models.RoleReviewer, Lang: "bo"},
				{Role: models.RoleTranslator, Lang: "bo"},
			},
		}
		require.NoError(t, s.CreateUser(ctx, u))
		require.NotZero(t, u.ID)
		for _, c := range u.Competences {
			require.NotZero(t, c.ID)
			require.Equal(t, u.ID, c.UserID)
		}

		got, err := s.UserByTokenHash(ctx, sha("token-1"))
		require.NoError(t, err)
		require.Equal(t, u.ID, got.ID)
		require.Equal(t, u.Roles, got.Roles)
		require.Equal(t, []string{"bo", "ug"}, got.Languages(models.RoleTranslator))
		require.Equal(t, []string{"bo"}, got.Languages(models.RoleReviewer))
		require.Equal(t, u.CreatedAt, got.CreatedAt)

		byID, err := s.UserByID(ctx, u.ID)
		require.NoError(t, err)
		require.Equal(t, got, byID)

		_, err = s.UserByTokenHash(ctx, sha("nobody"))
		requireCode(t, models.ENOTFOUND, err)
		_, err = s.UserByID(ctx, u.ID+100)
		requireCode(t, models.ENOTFOUND, err)

		// The name is unique, and a failed insert leaves no competences.
		dup := &models.User{Name: "阿依古丽", TokenHash: sha("token-2"), Competences: []models.Competence{{Role: models.RoleTranslator, Lang: "kk"}}}
		requireCode(t, models.ECONFLICT, s.CreateUser(ctx, dup))
		require.Zero(t, dup.ID)
		require.EqualValues(t, 3, countRows(t, s, "competences"))

		disabled := &models.User{Name: "离职", Roles: []models.Role{models.RoleEditor}, TokenHash: sha("token-3"), Disabled: true}
		require.NoError(t, s.CreateUser(ctx, disabled))
		_, err = s.UserByTokenHash(ctx, sha("token-3"))
		requireCode(t, models.ENOTFOUND, err)

		users, err := s.ListUsers(ctx)
		require.NoError(t, err)
		require.Len(t, users, 2)
		require.Equal(t, u.ID, users[0].ID)
		require.Len(t, users[0].Competences, 3)
		require.Equal(t, disabled.ID, users[1].ID)
		require.Empty(t, users[1].Competences)

		requireCode(t, models.EINVALID, s.CreateUser(ctx, &models.User{Name: "no token"}))
	})
}

func TestEnsureAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		a, err := s.EnsureAdmin(ctx, "admin", sha("boot-1"))
		require.NoError(t, err)
		require.True(t, a.HasRole(models.RoleAdmin))

		again, err := s.EnsureAdmin(ctx, "admin", sha("boot-1"))
		require.NoError(t, err)
		require.Equal(t, a, again)

		// A new bootstrap token replaces the old one.
		rotated, err := s.EnsureAdmin(ctx, "admin", sha("boot-2"))
		require.NoError(t, err)
		require.Equal(t, a.ID, rotated.ID)
		_, err = s.UserByTokenHash(ctx, sha("boot-1"))
		requireCode(t, models.ENOTFOUND, err)
		byToken, err := s.UserByTokenHash(ctx, sha("boot-2"))
		require.NoError(t, err)
		require.Equal(t, a.ID, byToken.ID)

		// An existing user of that name becomes an admin and keeps its roles.
		require.NoError(t, s.CreateUser(ctx, &models.User{Name: "ops", Roles: []models.Role{models.RoleEditor}, TokenHash: sha("ops")}))
		ops, err := s.EnsureAdmin(ctx, "ops", sha("ops-boot"))
		require.NoError(t, err)
		require.Equal(t, []models.Role{models.RoleEditor, models.RoleAdmin}, ops.Roles)

		// Another user's token cannot be taken over.
		_, err = s.EnsureAdmin(ctx, "admin", sha("ops-boot"))
		requireCode(t, models.ECONFLICT, err)

		users, err := s.ListUsers(ctx)
		require.NoError(t, err)
		require.Len(t, users, 2)
	})
}

func TestEnsureAdminConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// api and worker start together with the same bootstrap token.
		var wg sync.WaitGroup
		ids := make([]int64, 4)
		errs := make([]error, 4)
		for i := range ids {
			wg.Go(func() {
				u, err := s.EnsureAdmin(t.Context(), "admin", sha("boot"))
				errs[i] = err
				if err == nil {
					ids[i] = u.ID
				}
			})
		}
		wg.Wait()
		for i := range ids {
			require.NoError(t, errs[i])
			require.Equal(t, ids[0], ids[i])
		}
		require.EqualValues(t, 1, countRows(t, s, "users"))
	})
}
