package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

type createUserRequest struct {
	Name        string              `json:"name"`
	Roles       []models.Role       `json:"roles"`
	Competences []models.Competence `json:"competences"`
}

type userResponse struct {
	*models.User
	Token string `json:"token,omitempty"`
}

// createUser makes a user and shows its token once; only the hash is kept.
func (s *Server) createUser(c *gin.Context) {
	var req createUserRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.validateUser(req)
	if err != nil {
		s.fail(c, err)
		return
	}
	token, err := NewToken()
	if err != nil {
		s.fail(c, err)
		return
	}
	u.TokenHash = HashToken(token)
	if err := s.store.CreateUser(c.Request.Context(), u); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, userResponse{User: u, Token: token})
}

func (s *Server) validateUser(req createUserRequest) (*models.User, error) {
	req.Name = strings.TrimSpace(req.Name)
	var missing []string
	if req.Name == "" {
		missing = append(missing, "name")
	}
	if len(req.Roles) == 0 {
		missing = append(missing, "roles")
	}
	if missing != nil {
		return nil, missingFields(missing)
	}
	if len([]rune(req.Name)) > 128 {
		return nil, models.Errorf(models.EINVALID, "name is longer than 128 characters")
	}
	u := &models.User{Name: req.Name}
	seen := map[models.Role]bool{}
	for _, r := range req.Roles {
		if !r.Valid() {
			return nil, models.Errorf(models.EINVALID, "unknown role %q", r).
				WithDetails(map[string][]models.Role{"roles": models.Roles})
		}
		if !seen[r] {
			seen[r] = true
			u.Roles = append(u.Roles, r)
		}
	}
	type key struct {
		role models.Role
		lang string
	}
	have := map[key]bool{}
	for _, comp := range req.Competences {
		if comp.Role != models.RoleTranslator && comp.Role != models.RoleReviewer {
			return nil, models.Errorf(models.EINVALID, "competence role must be translator or reviewer, not %q", comp.Role)
		}
		if !seen[comp.Role] {
			return nil, models.Errorf(models.EINVALID, "a %s competence needs the %s role", comp.Role, comp.Role)
		}
		tag, err := s.targetLanguage(comp.Lang)
		if err != nil {
			return nil, err
		}
		if k := (key{comp.Role, tag}); !have[k] {
			have[k] = true
			u.Competences = append(u.Competences, models.Competence{Role: comp.Role, Lang: tag})
		}
	}
	return u, nil
}

func (s *Server) listUsers(c *gin.Context) {
	users, err := s.store.ListUsers(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": users})
}
