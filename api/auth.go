package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

const userKey = "yizhi.user"

// HashToken is how tokens are stored: only their sha256 ever reaches the
// database.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a fresh random bearer token.
func NewToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "yz_" + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// authenticate resolves the bearer token to a user or answers 401.
func (s *Server) authenticate(c *gin.Context) {
	header := c.GetHeader("Authorization")
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="yizhi"`)
		s.fail(c, models.Errorf(models.EUNAUTHORIZED, "a bearer token is required"))
		return
	}
	hash := HashToken(strings.TrimSpace(token))
	u, err := s.store.UserByTokenHash(c.Request.Context(), hash)
	if models.ErrorCode(err) == models.ENOTFOUND ||
		(err == nil && subtle.ConstantTimeCompare([]byte(u.TokenHash), []byte(hash)) != 1) {
		c.Header("WWW-Authenticate", `Bearer realm="yizhi", error="invalid_token"`)
		s.fail(c, models.Errorf(models.EUNAUTHORIZED, "the bearer token is not valid"))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(userKey, u)
	c.Next()
}

// allow lets through users holding any of roles; admins pass everywhere.
func (s *Server) allow(roles ...models.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u.HasRole(models.RoleAdmin) {
			c.Next()
			return
		}
		for _, r := range roles {
			if u.HasRole(r) {
				c.Next()
				return
			}
		}
		s.fail(c, models.Errorf(models.EFORBIDDEN, "this needs one of the roles %s", joinRoles(roles)).
			WithDetails(map[string][]models.Role{"roles": roles}))
	}
}

func currentUser(c *gin.Context) *models.User {
	return c.MustGet(userKey).(*models.User)
}

func joinRoles(roles []models.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
