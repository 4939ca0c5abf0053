package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/models"
	"yizhi/store"
)

type feedItem struct {
	DocumentID  int64     `json:"document_id"`
	ExternalID  string    `json:"external_id"`
	Lang        string    `json:"lang"`
	Version     int       `json:"version"`
	Title       string    `json:"title"`
	PublishedAt time.Time `json:"published_at"`
	ETag        string    `json:"etag"`
	Outdated    bool      `json:"outdated"`
}

// publishedFeed lists publications in the order they were written, for
// portals to pull incrementally with next_cursor.
func (s *Server) publishedFeed(c *gin.Context) {
	f := store.FeedFilter{}
	var err error
	if f.Limit, err = queryLimit(c, 50, 500); err != nil {
		s.fail(c, err)
		return
	}
	if f.AfterID, err = decodeCursor(c.Query("cursor")); err != nil {
		s.fail(c, err)
		return
	}
	if raw := c.Query("since"); raw != "" {
		if f.Since, err = time.Parse(time.RFC3339, raw); err != nil {
			s.fail(c, models.Errorf(models.EINVALID, "since %q is not an RFC 3339 time", raw))
			return
		}
	}
	if raw := c.Query("lang"); raw != "" {
		if f.Lang, err = s.targetLanguage(raw); err != nil {
			s.fail(c, err)
			return
		}
	}
	rows, err := s.store.PublishedFeed(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]feedItem, 0, len(rows))
	for _, r := range rows {
		items = append(items, feedItem{
			DocumentID: r.DocumentID, ExternalID: r.ExternalID, Lang: r.Lang, Version: r.Version,
			Title: r.Title, PublishedAt: r.PublishedAt.UTC(), ETag: etag(r.ContentHash), Outdated: r.Outdated,
		})
	}
	next := ""
	if len(rows) == f.Limit {
		next = encodeCursor(rows[len(rows)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

type publishedView struct {
	DocumentID      int64     `json:"document_id"`
	ExternalID      string    `json:"external_id"`
	Lang            string    `json:"lang"`
	Script          string    `json:"script"`
	Dir             string    `json:"dir"`
	WritingMode     string    `json:"writing_mode"`
	Title           string    `json:"title"`
	Body            string    `json:"body"`
	Version         int       `json:"version"`
	SourceVersion   int       `json:"source_version"`
	PublishedAt     time.Time `json:"published_at"`
	MachineAssisted bool      `json:"machine_assisted"`
	Engines         []string  `json:"engines"` // MT engines whose output was kept
	Outdated        bool      `json:"outdated"`
	// Fallback is true when no acceptable translation is published and the
	// source text is served instead.
	Fallback bool `json:"fallback"`
}

// getPublished serves the best published version for the reader's
// languages (?lang= wins over Accept-Language) and falls back to the source
// text. Unpublished translations are never reachable from here.
func (s *Server) getPublished(c *gin.Context) {
	id, err := pathID(c, "document")
	if err != nil {
		s.fail(c, err)
		return
	}
	explicit := c.Query("lang")
	if explicit != "" {
		if _, err := s.langs.Canonicalize(explicit); err != nil {
			s.fail(c, err)
			return
		}
	}
	ctx := c.Request.Context()
	doc, err := s.store.DocumentByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	versions, err := s.store.LatestPublished(ctx, doc.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	available := []string{doc.SourceLang}
	byLang := map[string]*models.PublishedVersion{}
	for i := range versions {
		available = append(available, versions[i].Lang)
		byLang[versions[i].Lang] = &versions[i]
	}
	tag, _ := s.langs.Negotiate(c.GetHeader("Accept-Language"), explicit, available, doc.SourceLang)

	var view publishedView
	var hash string
	if pv, ok := byLang[tag]; ok {
		view = publishedView{
			Lang: pv.Lang, Title: pv.Title, Body: pv.Body, Version: pv.Version, SourceVersion: pv.SourceVersion,
			PublishedAt: pv.PublishedAt.UTC(), MachineAssisted: pv.MachineAssisted, Outdated: pv.Outdated,
			Engines: engineList(pv.Engines),
		}
		hash = pv.ContentHash
	} else {
		src, err := s.store.SourceVersion(ctx, doc.ID, doc.CurrentVersion)
		if err != nil {
			s.fail(c, err)
			return
		}
		view = publishedView{
			Lang: doc.SourceLang, Title: src.Title, Body: src.Body, Version: src.Version, SourceVersion: src.Version,
			PublishedAt: src.CreatedAt.UTC(), Fallback: true, Engines: []string{},
		}
		hash = models.ContentHash(doc.SourceLang, src.ContentHash)
	}
	l, _ := s.langs.Lookup(view.Lang)
	view.DocumentID, view.ExternalID = doc.ID, doc.ExternalID
	view.Script, view.Dir, view.WritingMode = l.Script, l.Dir, l.WritingMode

	tagValue := etag(hash)
	c.Header("ETag", tagValue)
	c.Header("Vary", "Accept-Language")
	c.Header("Content-Language", view.Lang)
	c.Header("Cache-Control", "public, max-age=60")
	if etagMatches(c.GetHeader("If-None-Match"), tagValue) {
		c.Status(http.StatusNotModified)
		return
	}
	c.JSON(http.StatusOK, view)
}

// etag is a strong validator: the content hash identifies the exact bytes
// of title and body.
func etag(contentHash string) string {
	if len(contentHash) > 32 {
		contentHash = contentHash[:32]
	}
	return `"` + contentHash + `"`
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110 13.1.2).
func etagMatches(header, tag string) bool {
	for _, candidate := range strings.Split(header, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == "*" || candidate == tag {
			return true
		}
	}
	return false
}

func engineList(engines string) []string {
	if engines == "" {
		return []string{}
	}
	return strings.Split(engines, ",")
}
