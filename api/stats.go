package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/models"
	"yizhi/store"
)

// stats answers the opinion's item 27 — how accurate, timely and complete
// the disclosure is — per target language and in total: coverage, time to
// publish, the share on time, the rejection rate and the waiting tasks.
// Filters: court, kind, lang, and since/until on when the translation job
// was created. A ratio with nothing to take it over is null, not 0.
func (s *Server) stats(c *gin.Context) {
	f := store.StatsFilter{Court: strings.TrimSpace(c.Query("court")), Kind: c.Query("kind")}
	if f.Kind != "" && !contains(models.Kinds, f.Kind) {
		s.fail(c, models.Errorf(models.EINVALID, "unknown kind %q", f.Kind).
			WithDetails(map[string][]string{"kinds": models.Kinds}))
		return
	}
	if raw := c.Query("lang"); raw != "" {
		var err error
		if f.Lang, err = s.targetLanguage(raw); err != nil {
			s.fail(c, err)
			return
		}
	}
	for _, bound := range []struct {
		name string
		t    *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		raw := c.Query(bound.name)
		if raw == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			s.fail(c, models.Errorf(models.EINVALID, "%s %q is not an RFC 3339 time", bound.name, raw))
			return
		}
		*bound.t = t.UTC()
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		s.fail(c, models.Errorf(models.EINVALID, "since must be before until"))
		return
	}
	st, err := s.store.Stats(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	st.GeneratedAt = st.GeneratedAt.UTC()
	c.JSON(http.StatusOK, st)
}
