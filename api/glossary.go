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

// Glossary field limits, from the columns of models.GlossaryEntry.
const (
	maxTermBytes      = 255
	maxSourceRefBytes = 255
	maxDomainBytes    = 64
	maxTextBytes      = 65535 // translation and notes are TEXT columns on MySQL
)

// createGlossaryEntry adds a termbase entry. Machine assist attaches it to
// the segments of documents assisted from then on.
func (s *Server) createGlossaryEntry(c *gin.Context) {
	e, err := s.glossaryEntryFromBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.CreateGlossaryEntry(c.Request.Context(), e, currentUser(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}

// glossaryEntryFromBody reads and validates the JSON of a POST or a PUT;
// a PUT replaces the whole entry, so both take the same fields.
func (s *Server) glossaryEntryFromBody(c *gin.Context) (*models.GlossaryEntry, error) {
	var req glossaryRequest
	if err := decodeJSON(c, &req); err != nil {
		return nil, err
	}
	if err := requireFields(field{"target_lang", req.TargetLang}, field{"term", req.Term}, field{"translation", req.Translation}); err != nil {
		return nil, err
	}
	target, err := s.targetLanguage(req.TargetLang)
	if err != nil {
		return nil, err
	}
	if req.SourceLang != "" {
		if src, err := s.langs.Canonicalize(req.SourceLang); err != nil || src != models.SourceLang {
			return nil, models.Errorf(models.EINVALID, "source_lang must be %s", models.SourceLang)
		}
	}
	if req.Status == "" {
		req.Status = models.TermApproved
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
	if err := checkGlossaryEntry(e); err != nil {
		return nil, err
	}
	return e, nil
}

// checkGlossaryEntry holds the rules an entry obeys however it arrives:
// through the API or in a TBX file.
func checkGlossaryEntry(e *models.GlossaryEntry) error {
	if e.Term == "" || e.Translation == "" {
		return models.Errorf(models.EINVALID, "a glossary entry needs a term and a translation")
	}
	if !contains(termStatuses, e.Status) {
		return models.Errorf(models.EINVALID, "status must be one of %s", strings.Join(termStatuses, ", "))
	}
	if len(e.Term) > maxTermBytes || len(e.SourceRef) > maxSourceRefBytes || len(e.Domain) > maxDomainBytes {
		return models.Errorf(models.EINVALID, "term and source_ref are limited to %d bytes, domain to %d",
			maxTermBytes, maxDomainBytes)
	}
	if len(e.Translation) > maxTextBytes || len(e.Notes) > maxTextBytes {
		return models.Errorf(models.EINVALID, "translation and notes are limited to %d bytes", maxTextBytes)
	}
	return nil
}

// listGlossary pages through the termbase. Filters: target_lang, domain
// and status match exactly, q is a substring of the Chinese term.
func (s *Server) listGlossary(c *gin.Context) {
	f := store.GlossarySearch{}
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
	f.Domain = strings.TrimSpace(c.Query("domain"))
	if f.Status = c.Query("status"); f.Status != "" && !contains(termStatuses, f.Status) {
		s.fail(c, models.Errorf(models.EINVALID, "status must be one of %s", strings.Join(termStatuses, ", ")))
		return
	}
	// Terms are stored NFC; a query typed in another form must still match.
	f.TermContains = lang.Normalize(models.SourceLang, strings.TrimSpace(c.Query("q")))
	entries, err := s.store.SearchGlossary(c.Request.Context(), f)
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

func (s *Server) getGlossaryEntry(c *gin.Context) {
	id, err := pathID(c, "glossary entry")
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.store.GlossaryEntryByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// updateGlossaryEntry replaces an entry: a field left out of the body is
// cleared (or, for status, back to approved), as a PUT says.
func (s *Server) updateGlossaryEntry(c *gin.Context) {
	id, err := pathID(c, "glossary entry")
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.glossaryEntryFromBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	e.ID = id
	if err := s.store.UpdateGlossaryEntry(c.Request.Context(), e, currentUser(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) deleteGlossaryEntry(c *gin.Context) {
	id, err := pathID(c, "glossary entry")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.DeleteGlossaryEntry(c.Request.Context(), id, currentUser(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
