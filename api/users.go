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

type competenceRequest struct {
	Role models.Role `json:"role"`
	Lang string      `json:"lang"`
}

// grantCompetence lets a user work in one more language, adding the role
// if needed. It is how an admin unblocks a scarce language whose only
// reviewer translated the work: the grant is explicit and audited, never a
// bypass of four-eyes. 201 when granted, 200 when the user already held it.
func (s *Server) grantCompetence(c *gin.Context) {
	id, err := pathID(c, "user")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req competenceRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	role, tag, err := s.validateCompetence(req)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	granted, err := s.store.GrantCompetence(ctx, id, role, tag, currentUser(c))
	s.forgetUsers()
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if granted {
		status = http.StatusCreated
	}
	c.JSON(status, u)
}

// revokeCompetence takes a language away; revoking one the user does not
// hold is not an error, so a retried request succeeds.
func (s *Server) revokeCompetence(c *gin.Context) {
	id, err := pathID(c, "user")
	if err != nil {
		s.fail(c, err)
		return
	}
	role, tag, err := s.validateCompetence(competenceRequest{Role: models.Role(c.Query("role")), Lang: c.Query("lang")})
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	_, err = s.store.RevokeCompetence(ctx, id, role, tag, currentUser(c))
	s.forgetUsers()
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (s *Server) validateCompetence(req competenceRequest) (models.Role, string, error) {
	var missing []string
	if req.Role == "" {
		missing = append(missing, "role")
	}
	if strings.TrimSpace(req.Lang) == "" {
		missing = append(missing, "lang")
	}
	if missing != nil {
		return "", "", missingFields(missing)
	}
	if req.Role != models.RoleTranslator && req.Role != models.RoleReviewer {
		return "", "", models.Errorf(models.EINVALID, "competence role must be translator or reviewer, not %q", req.Role)
	}
	tag, err := s.targetLanguage(req.Lang)
	if err != nil {
		return "", "", err
	}
	return req.Role, tag, nil
}
