package store

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"yizhi/models"
)

// CreateUser inserts u and its competences.
func (s *Store) CreateUser(ctx context.Context, u *models.User) error {
	if u.Name == "" || u.TokenHash == "" {
		return models.Errorf(models.EINVALID, "a user needs a name and a token")
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		return createUser(tx, u)
	})
	if isUniqueViolation(err) {
		return models.Errorf(models.ECONFLICT, "user %q already exists", u.Name)
	}
	return err
}

func createUser(tx *gorm.DB, u *models.User) error {
	u.ID = 0 // left over from an attempt that rolled back
	// Competences are inserted explicitly: gorm's association upsert would
	// silently keep a stale row instead of failing.
	if err := tx.Omit(clause.Associations).Create(u).Error; err != nil {
		return err
	}
	if len(u.Competences) == 0 {
		return nil
	}
	for i := range u.Competences {
		u.Competences[i].ID, u.Competences[i].UserID = 0, u.ID
	}
	return tx.Create(&u.Competences).Error
}

// UserByTokenHash returns the enabled user holding the token with this
// hash.
func (s *Store) UserByTokenHash(ctx context.Context, tokenHash string) (*models.User, error) {
	var u models.User
	err := s.withCompetences(ctx).
		Where("token_hash = ? AND disabled = ?", tokenHash, false).
		Take(&u).Error
	if err != nil {
		return nil, notFound(err, "no user with this token")
	}
	return &u, nil
}

// UserByID returns user id.
func (s *Store) UserByID(ctx context.Context, id int64) (*models.User, error) {
	var u models.User
	if err := s.withCompetences(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, notFound(err, "user %d not found", id)
	}
	return &u, nil
}

// ListUsers returns every user, by id.
func (s *Store) ListUsers(ctx context.Context) ([]models.User, error) {
	var users []models.User
	if err := s.withCompetences(ctx).Order("id").Find(&users).Error; err != nil {
		return nil, err
	}
	return users, nil
}

func (s *Store) withCompetences(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Preload("Competences", func(db *gorm.DB) *gorm.DB {
		return db.Order("role, lang")
	})
}

// EnsureAdmin makes sure the user named name is an admin whose token has
// hash tokenHash. The api and the worker both call it at startup with the
// bootstrap token, so it must be idempotent and survive running twice at
// once. A disabled user stays disabled: an operator who disabled the
// bootstrap admin meant it.
func (s *Store) EnsureAdmin(ctx context.Context, name, tokenHash string) (*models.User, error) {
	if name == "" || tokenHash == "" {
		return nil, models.Errorf(models.EINVALID, "the admin needs a name and a token")
	}
	var id int64
	ensure := func(tx *gorm.DB) error {
		var u models.User
		err := tx.Where("name = ?", name).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			u = models.User{Name: name, Roles: []models.Role{models.RoleAdmin}, TokenHash: tokenHash}
			if err := createUser(tx, &u); err != nil {
				return err
			}
			id = u.ID
			return nil
		}
		if err != nil {
			return err
		}
		id = u.ID
		if u.TokenHash == tokenHash && u.HasRole(models.RoleAdmin) {
			return nil
		}
		roles := u.Roles
		if !slices.Contains(roles, models.RoleAdmin) {
			roles = append(roles, models.RoleAdmin)
		}
		return tx.Model(&u).Select("token_hash", "roles").
			Updates(&models.User{TokenHash: tokenHash, Roles: roles}).Error
	}
	err := s.transaction(ctx, ensure)
	if isUniqueViolation(err) {
		// Another process created the user between our read and insert;
		// the second pass finds it. A clash on the token itself is real.
		err = s.transaction(ctx, ensure)
	}
	if isUniqueViolation(err) {
		return nil, models.Errorf(models.ECONFLICT, "the admin token is already another user's")
	}
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}
