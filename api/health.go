package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz checks the two things every request needs: the database and
// Temporal. It names which one failed, never why.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := gin.H{"database": "ok", "temporal": "ok"}
	status := http.StatusOK
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readiness: database", "err", err)
		checks["database"], status = "unavailable", http.StatusServiceUnavailable
	}
	if err := s.workflows.CheckHealth(ctx); err != nil {
		s.log.Warn("readiness: temporal", "err", err)
		checks["temporal"], status = "unavailable", http.StatusServiceUnavailable
	}
	if status != http.StatusOK {
		c.JSON(status, errorBody{Error: errorDetail{Code: "unavailable", Message: "not ready", Details: checks}})
		return
	}
	c.JSON(status, gin.H{"status": "ready", "checks": checks})
}

// listLanguages serves the registry with, per language, the MT engines
// that cover it from the source language.
func (s *Server) listLanguages(c *gin.Context) {
	langs := s.langs.All()
	for i := range langs {
		langs[i].MT = []string{}
		if s.mtEngines != nil {
			if engines := s.mtEngines(models.SourceLang, langs[i].Tag); engines != nil {
				langs[i].MT = engines
			}
		}
	}
	c.JSON(http.StatusOK, gin.H{"source": s.sourceLanguage(), "languages": langs})
}
