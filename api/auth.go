package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/hashicorp/golang-lru/v2/expirable"

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
	u, err := s.userByToken(c, sha256.Sum256([]byte(strings.TrimSpace(token))))
	if models.ErrorCode(err) == models.ENOTFOUND {
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

// tokenTTL is how long a resolved token is believed without asking the
// database again. Portals read all day with one token; without this every
// cached read would still cost a query. A user disabled or changed in
// another API process is seen within this time; this process forgets at
// once (forgetUsers).
const tokenTTL = 10 * time.Second

// newTokenCache keys resolved users by the token's digest, not its hex
// form: a portal read then costs one SHA-256 and no allocation to
// authenticate.
func newTokenCache() *expirable.LRU[[sha256.Size]byte, *models.User] {
	return expirable.NewLRU[[sha256.Size]byte, *models.User](10_000, nil, tokenTTL)
}

// userByToken resolves a token by its digest, from memory when it can.
// Only users found are kept, so an unknown token always reaches the
// database. The hash the database returns is compared in constant time:
// a lookup by index is not proof the stored hash is the one asked for.
func (s *Server) userByToken(c *gin.Context, digest [sha256.Size]byte) (*models.User, error) {
	if u, ok := s.tokens.Get(digest); ok {
		return u, nil
	}
	hash := hex.EncodeToString(digest[:])
	u, err := s.store.UserByTokenHash(c.Request.Context(), hash)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(u.TokenHash), []byte(hash)) != 1 {
		return nil, models.Errorf(models.ENOTFOUND, "no such token")
	}
	s.tokens.Add(digest, u)
	return u, nil
}

// forgetUsers drops every resolved token after a change to users or
// their competences, so this process applies it to the next request.
func (s *Server) forgetUsers() { s.tokens.Purge() }
