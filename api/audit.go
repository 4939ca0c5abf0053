package api

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/gin-gonic/gin"

	"yizhi/models"
	"yizhi/store"
)

// auditActionPattern is the form of an action filter: an action name
// (task.claimed, glossary.created) or a prefix of one ending in a dot
// (glossary.). maxAuditActionBytes is the size of the action column.
var auditActionPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*\.?$`)

const maxAuditActionBytes = 48

// auditTrail lists recorded events, oldest first. document_id alone gives
// that document's whole trail in one answer, {"items"}, as it always has:
// clients read a trail whole. action (an exact name, or a prefix ending in
// "." such as glossary.) filters the whole chain, alone or with
// document_id; with it, or with limit or cursor, the answer is a page,
// {"items","next_cursor"}, like the other lists.
func (s *Server) auditTrail(c *gin.Context) {
	var f store.AuditFilter
	if raw, ok := c.GetQuery("document_id"); ok {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			s.fail(c, models.Errorf(models.EINVALID, "document_id must name a document, e.g. ?document_id=42"))
			return
		}
		f.DocumentID = id
	}
	if raw, ok := c.GetQuery("action"); ok {
		if len(raw) > maxAuditActionBytes || !auditActionPattern.MatchString(raw) {
			s.fail(c, models.Errorf(models.EINVALID,
				"action must be an action name such as glossary.created, or a prefix ending in a dot such as glossary."))
			return
		}
		f.Action = raw
	}
	if f.DocumentID == 0 && f.Action == "" {
		s.fail(c, models.Errorf(models.EINVALID, "give document_id, action or both, e.g. ?document_id=42 or ?action=glossary."))
		return
	}
	_, limited := c.GetQuery("limit")
	_, resumed := c.GetQuery("cursor")
	paged := f.Action != "" || limited || resumed
	var err error
	if f.Limit, err = queryLimit(c, 100, 500); err != nil {
		s.fail(c, err)
		return
	}
	if f.AfterID, err = decodeCursor(c.Query("cursor")); err != nil {
		s.fail(c, err)
		return
	}

	ctx := c.Request.Context()
	if f.DocumentID != 0 {
		if _, err := s.store.DocumentByID(ctx, f.DocumentID); err != nil {
			s.fail(c, err)
			return
		}
	}
	if !paged {
		events, err := s.store.AuditTrail(ctx, f.DocumentID)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"items": nonNil(events)})
		return
	}
	events, err := s.store.ListAudit(ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	next := ""
	if len(events) == f.Limit {
		next = encodeCursor(events[len(events)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(events), "next_cursor": next})
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
