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
	Event       string    `json:"event"` // published, outdated or withdrawn
	At          time.Time `json:"at"`    // when the event happened
	DocumentID  int64     `json:"document_id"`
	ExternalID  string    `json:"external_id"`
	Court       string    `json:"court"`
	Kind        string    `json:"kind"`
	Lang        string    `json:"lang"`
	Version     int       `json:"version"`
	Title       string    `json:"title,omitempty"`
	PublishedAt time.Time `json:"published_at"`
	ETag        string    `json:"etag,omitempty"`
	Outdated    bool      `json:"outdated"`
	Withdrawn   bool      `json:"withdrawn"`
}

// publishedFeed lists what happened to published translations, in the
// order it happened: publications, versions outdated by a source revision,
// and withdrawals. next_cursor always marks where the page ended, so a
// portal polls with it and never sees an entry twice or misses one, even
// while other publications are committing.
func (s *Server) publishedFeed(c *gin.Context) {
	f := store.FeedFilter{Court: c.Query("court"), Kind: c.Query("kind")}
	var err error
	if f.Limit, err = queryLimit(c, 50, 500); err != nil {
		s.fail(c, err)
		return
	}
	if f.AfterSeq, err = decodeCursor(c.Query("cursor")); err != nil {
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
	if f.Kind != "" && !contains(models.Kinds, f.Kind) {
		s.fail(c, models.Errorf(models.EINVALID, "unknown kind %q", f.Kind).
			WithDetails(map[string][]string{"kinds": models.Kinds}))
		return
	}
	rows, err := s.store.PublishedFeed(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]feedItem, 0, len(rows))
	for _, r := range rows {
		item := feedItem{
			Event: r.Event, At: r.At.UTC(), DocumentID: r.DocumentID, ExternalID: r.ExternalID,
			Court: r.Court, Kind: r.Kind, Lang: r.Lang, Version: r.Version, Title: r.Title,
			PublishedAt: r.PublishedAt.UTC(), Outdated: r.Outdated, Withdrawn: r.Withdrawn,
		}
		if r.ContentHash != "" {
			item.ETag = etag(r.ContentHash)
		}
		items = append(items, item)
	}
	last := f.AfterSeq
	if len(rows) > 0 {
		last = rows[len(rows)-1].Seq
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": encodeCursor(last), "has_more": len(rows) == f.Limit})
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
	if doc.Withdrawn() {
		s.fail(c, withdrawnError(doc))
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

// withdrawnError is what portals get for a withdrawn document: 410 Gone
// with the court's public wording, never the internal reason or the text.
func withdrawnError(doc *models.Document) error {
	return models.Errorf(models.EGONE, "%s", doc.PublicReason).WithDetails(map[string]any{
		"document_id": doc.ID, "withdrawn_at": doc.WithdrawnAt.UTC(),
	})
}
