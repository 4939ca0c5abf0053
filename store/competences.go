package store

import (
	"context"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// Audit actions of competence changes.
const (
	AuditCompetenceGranted = "competence.granted"
	AuditCompetenceRevoked = "competence.revoked"
)

// competenceDetails is the audit record of a grant or a revocation.
type competenceDetails struct {
	UserID int64       `json:"user_id"`
	Role   models.Role `json:"role"`
	Lang   string      `json:"lang"`
}

// GrantCompetence lets user userID work as role (translator or reviewer) in
// lang, a canonical tag, adding the role itself if the user lacks it. The
// grant and its audit event commit together: when a scarce language's only
// reviewer is its translator, a grant is how work moves on, and four-eyes
// allows no silent way round. Granting what the user already holds changes
// nothing, records nothing, and reports false.
func (s *Store) GrantCompetence(ctx context.Context, userID int64, role models.Role, lang string, actor *models.User) (granted bool, err error) {
	if err := checkCompetence(role, lang); err != nil {
		return false, err
	}
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		granted = false
		u, err := lockUser(tx, userID)
		if err != nil {
			return err
		}
		var have int64
		err = tx.Model(&models.Competence{}).Where("user_id = ? AND role = ? AND lang = ?", userID, role, lang).Count(&have).Error
		if err != nil {
			return err
		}
		if have > 0 && u.HasRole(role) {
			return nil
		}
		if have == 0 {
			if err := tx.Create(&models.Competence{UserID: userID, Role: role, Lang: lang}).Error; err != nil {
				return err
			}
		}
		if !u.HasRole(role) {
			roles := append(slices.Clone(u.Roles), role)
			if err := tx.Model(&models.User{ID: userID}).Select("roles").Updates(&models.User{Roles: roles}).Error; err != nil {
				return err
			}
		}
		granted = true
		return appendAudit(tx, competenceEvent(AuditCompetenceGranted, actor, userID, role, lang))
	})
	if err != nil {
		return false, err
	}
	return granted, nil
}

// RevokeCompetence takes away user userID's competence as role in lang and
// audits it. The role stays: a reviewer without languages sees no tasks,
// and other competences may still need it. Revoking what the user does not
// hold changes nothing, records nothing, and reports false.
func (s *Store) RevokeCompetence(ctx context.Context, userID int64, role models.Role, lang string, actor *models.User) (revoked bool, err error) {
	if err := checkCompetence(role, lang); err != nil {
		return false, err
	}
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		revoked = false
		if _, err := lockUser(tx, userID); err != nil {
			return err
		}
		res := tx.Where("user_id = ? AND role = ? AND lang = ?", userID, role, lang).Delete(&models.Competence{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		revoked = true
		return appendAudit(tx, competenceEvent(AuditCompetenceRevoked, actor, userID, role, lang))
	})
	if err != nil {
		return false, err
	}
	return revoked, nil
}

func checkCompetence(role models.Role, lang string) error {
	if role != models.RoleTranslator && role != models.RoleReviewer {
		return models.Errorf(models.EINVALID, "competence role must be translator or reviewer, not %q", role)
	}
	if lang == "" {
		return models.Errorf(models.EINVALID, "a competence needs a language")
	}
	return nil
}

// lockUser reads user id for update, so that two grants to one user
// cannot both decide the role is missing, or both record the same grant.
func lockUser(tx *gorm.DB, id int64) (*models.User, error) {
	var u models.User
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&u).Error
	if err != nil {
		return nil, notFound(err, "user %d not found", id)
	}
	return &u, nil
}

func competenceEvent(action string, actor *models.User, userID int64, role models.Role, lang string) *models.AuditEvent {
	ev := actorEvent(action, actor, competenceDetails{UserID: userID, Role: role, Lang: lang})
	ev.Lang = lang
	return ev
}
