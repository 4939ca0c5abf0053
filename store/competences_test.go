package store_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestGrantAndRevokeCompetence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		admin := &models.User{ID: 1, Name: "admin"}
		u := &models.User{Name: "扎西", Roles: []models.Role{models.RoleTranslator}, TokenHash: sha("zx"),
			Competences: []models.Competence{{Role: models.RoleTranslator, Lang: "bo"}}}
		require.NoError(t, s.CreateUser(ctx, u))

		// A grant adds the competence and the role it needs.
		granted, err := s.GrantCompetence(ctx, u.ID, models.RoleReviewer, "bo", admin)
		require.NoError(t, err)
		require.True(t, granted)
		got, err := s.UserByID(ctx, u.ID)
		require.NoError(t, err)
		require.Equal(t, []models.Role{models.RoleTranslator, models.RoleReviewer}, got.Roles)
		require.Equal(t, []string{"bo"}, got.Languages(models.RoleReviewer))
		require.Equal(t, []string{"bo"}, got.Languages(models.RoleTranslator))

		// Granting again, or granting what the user had, is a no-op.
		for _, role := range []models.Role{models.RoleReviewer, models.RoleTranslator} {
			granted, err = s.GrantCompetence(ctx, u.ID, role, "bo", admin)
			require.NoError(t, err)
			require.False(t, granted)
		}
		require.EqualValues(t, 2, countRows(t, s, "competences"))

		revoked, err := s.RevokeCompetence(ctx, u.ID, models.RoleReviewer, "bo", admin)
		require.NoError(t, err)
		require.True(t, revoked)
		revoked, err = s.RevokeCompetence(ctx, u.ID, models.RoleReviewer, "bo", admin)
		require.NoError(t, err)
		require.False(t, revoked)
		got, err = s.UserByID(ctx, u.ID)
		require.NoError(t, err)
		require.Empty(t, got.Languages(models.RoleReviewer))
		require.True(t, got.HasRole(models.RoleReviewer), "revoking a language keeps the role")

		_, err = s.GrantCompetence(ctx, u.ID+100, models.RoleReviewer, "bo", admin)
		requireCode(t, models.ENOTFOUND, err)
		_, err = s.RevokeCompetence(ctx, u.ID+100, models.RoleReviewer, "bo", admin)
		requireCode(t, models.ENOTFOUND, err)
		_, err = s.GrantCompetence(ctx, u.ID, models.RoleEditor, "bo", admin)
		requireCode(t, models.EINVALID, err)
		_, err = s.GrantCompetence(ctx, u.ID, models.RoleReviewer, "", admin)
		requireCode(t, models.EINVALID, err)

		// One event per change that happened, none for the no-ops.
		events, err := s.AuditTrail(ctx, 0)
		require.NoError(t, err)
		require.Len(t, events, 2)
		require.Equal(t, store.AuditCompetenceGranted, events[0].Action)
		require.Equal(t, store.AuditCompetenceRevoked, events[1].Action)
		for _, ev := range events {
			require.Equal(t, "admin", ev.Actor)
			require.Equal(t, admin.ID, ev.ActorID)
			require.Equal(t, "bo", ev.Lang)
			require.JSONEq(t, fmt.Sprintf(`{"user_id":%d,"role":"reviewer","lang":"bo"}`, u.ID), ev.Details)
		}
		v, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.True(t, v.OK)
	})
}
