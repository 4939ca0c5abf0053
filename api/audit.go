package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

// auditTrail shows every recorded step of one document, oldest first.
func (s *Server) auditTrail(c *gin.Context) {
	raw := c.Query("document_id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if raw == "" || err != nil || id <= 0 {
		s.fail(c, models.Errorf(models.EINVALID, "document_id must name a document, e.g. ?document_id=42"))
		return
	}
	if _, err := s.store.DocumentByID(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	events, err := s.store.AuditTrail(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(events)})
}

// verifyAudit walks the whole hash chain and reports the first broken link.
// A broken chain is still a 200: the check itself worked.
func (s *Server) verifyAudit(c *gin.Context) {
	result, err := s.store.VerifyAudit(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, result)
}
