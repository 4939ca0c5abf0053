package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
)

type glossaryRequest struct {
	SourceLang  string `json:"source_lang"`
	TargetLang  string `json:"target_lang"`
	Term        string `json:"term"`
	Translation string `json:"translation"`
	Domain      string `json:"domain"`
	Status      string `json:"status"`
	SourceRef   string `json:"source_ref"`
	Notes       string `json:"notes"`
}

var termStatuses = []string{models.TermApproved, models.TermForbidden, models.TermDeprecated}

// createGlossaryEntry adds a termbase entry. Machine assist attaches it to
// the segments of documents assisted from then on.
func (s *Server) createGlossaryEntry(c *gin.Context) {
	var req glossaryRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"target_lang", req.TargetLang}, {"term", req.Term}, {"translation", req.Translation},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if missing != nil {
		s.fail(c, missingFields(missing))
		return
	}
	target, err := s.targetLanguage(req.TargetLang)
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.SourceLang != "" {
		if src, err := s.langs.Canonicalize(req.SourceLang); err != nil || src != models.SourceLang {
			s.fail(c, models.Errorf(models.EINVALID, "source_lang must be %s", models.SourceLang))
			return
		}
	}
	if req.Status == "" {
		req.Status = models.TermApproved
	}
	if !contains(termStatuses, req.Status) {
		s.fail(c, models.Errorf(models.EINVALID, "status must be one of %s", strings.Join(termStatuses, ", ")))
		return
	}
	e := &models.GlossaryEntry{
		SourceLang:  models.SourceLang,
		TargetLang:  target,
		Term:        lang.Normalize(models.SourceLang, strings.TrimSpace(req.Term)),
		Translation: lang.Normalize(target, strings.TrimSpace(req.Translation)),
		Domain:      strings.TrimSpace(req.Domain),
		Status:      req.Status,
		SourceRef:   strings.TrimSpace(req.SourceRef),
		Notes:       req.Notes,
	}
	if len(e.Term) > 255 || len(e.SourceRef) > 255 || len(e.Domain) > 64 {
		s.fail(c, models.Errorf(models.EINVALID, "term and source_ref are limited to 255 bytes, domain to 64"))
		return
	}
	if err := s.store.CreateGlossaryEntry(c.Request.Context(), e); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}

func (s *Server) listGlossary(c *gin.Context) {
	f := store.GlossaryFilter{}
	var err error
	if f.Limit, err = queryLimit(c, 100, 500); err != nil {
		s.fail(c, err)
		return
	}
	if f.AfterID, err = decodeCursor(c.Query("cursor")); err != nil {
		s.fail(c, err)
		return
	}
	if raw := c.Query("target_lang"); raw != "" {
		if f.TargetLang, err = s.targetLanguage(raw); err != nil {
			s.fail(c, err)
			return
		}
		f.SourceLang = models.SourceLang
	}
	entries, err := s.store.ListGlossary(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	next := ""
	if len(entries) == f.Limit {
		next = encodeCursor(entries[len(entries)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(entries), "next_cursor": next})
}
