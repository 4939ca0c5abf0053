package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
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

// Cache lifetimes of portal answers. The newest version may change at any
// publication, so CDNs keep it briefly and revalidate with the ETag; an
// old version never changes; a withdrawal is final.
const (
	cacheLatest    = "public, max-age=60, stale-while-revalidate=30"
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheGone      = "public, max-age=300"
)

// getPublished serves the best published version for the reader's
// languages (?lang= wins over Accept-Language) and falls back to the source
// text. ?version=N serves an older version of the chosen language, as
// courts must be able to show what was published when. Unpublished
// translations are never reachable from here.
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
	version := 0
	if raw := c.Query("version"); raw != "" {
		if version, err = strconv.Atoi(raw); err != nil || version < 1 {
			s.fail(c, models.Errorf(models.EINVALID, "version %q is not a version number", raw))
			return
		}
	}
	ctx := c.Request.Context()
	d, err := s.portalDocument(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if d.doc.Withdrawn() {
		c.Header("Cache-Control", cacheGone)
		s.fail(c, withdrawnError(&d.doc))
		return
	}
	// Portals mostly ask for a language the document has, by its tag:
	// that is what negotiation would answer, without parsing anything.
	tag := explicit
	if !slices.Contains(d.langs, tag) {
		tag, _ = s.langs.Negotiate(c.GetHeader("Accept-Language"), explicit, d.langs, d.doc.SourceLang)
	}
	if version == 0 {
		s.serveAnswer(c, s.encodedLatest(d, tag), cacheLatestHeader)
		return
	}
	view, hash, err := s.oldVersion(ctx, d, tag, version)
	if err != nil {
		c.Header("Cache-Control", "no-store")
		s.fail(c, err)
		return
	}
	body, err := json.Marshal(view)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveAnswer(c, newEncodedAnswer(tag, body, hash), cacheImmutableHeader)
}

// Header values of portal answers, as net/http keeps them. A portal read
// assigns them to the header map as they are: Header.Set would
// canonicalise each name and allocate a slice per header on the hottest
// path of the API. They are never modified: a middleware adding a value
// (CORS adds to Vary) appends, which copies a slice this full.
var (
	jsonContentType      = []string{"application/json; charset=utf-8"}
	varyAcceptLanguage   = []string{"Accept-Language"}
	cacheLatestHeader    = []string{cacheLatest}
	cacheImmutableHeader = []string{cacheImmutable}
)

// serveAnswer answers with a strong ETag, or 304 when the reader has it.
func (s *Server) serveAnswer(c *gin.Context, answer *encodedAnswer, cacheControl []string) {
	h := c.Writer.Header()
	h["Vary"] = varyAcceptLanguage
	h["Content-Language"] = answer.contentLanguage
	h["Etag"] = answer.etag
	h["Cache-Control"] = cacheControl
	if etagMatches(c.GetHeader("If-None-Match"), answer.etag[0]) {
		c.Status(http.StatusNotModified)
		return
	}
	h["Content-Type"] = jsonContentType
	// Without a length net/http streams any answer over 2 KiB in chunks,
	// which costs both sides more and leaves a CDN guessing.
	h["Content-Length"] = answer.contentLength
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(answer.body)
}

// portalDocument reads through the cache, or straight from the database
// when the cache is off.
func (s *Server) portalDocument(ctx context.Context, id int64) (*cachedDocument, error) {
	if s.portal == nil {
		return loadPortalDocument(ctx, s.store, id)
	}
	return s.portal.get(ctx, id)
}

// encodedLatest returns the answer for the newest version in lang (or for
// the source), encoding it once per cached document and language.
func (s *Server) encodedLatest(d *cachedDocument, lang string) *encodedAnswer {
	if answer := d.answer(lang); answer != nil {
		return answer
	}
	view, hash := s.latestView(d, lang)
	body, _ := json.Marshal(view) // a publishedView of strings, ints and times always encodes
	answer := newEncodedAnswer(lang, body, hash)
	d.keep(answer)
	return answer
}

// encodedAnswer is a document's JSON in one language, with the header
// values that go with it.
type encodedAnswer struct {
	lang            string
	body            []byte
	etag            []string
	contentLanguage []string
	contentLength   []string
}

func newEncodedAnswer(lang string, body []byte, contentHash string) *encodedAnswer {
	return &encodedAnswer{lang: lang, body: body, etag: []string{etag(contentHash)}, contentLanguage: []string{lang},
		contentLength: []string{strconv.Itoa(len(body))}}
}

func (s *Server) latestView(d *cachedDocument, lang string) (publishedView, string) {
	var view publishedView
	var hash string
	if pv, ok := d.latest[lang]; ok {
		view, hash = versionView(pv), pv.ContentHash
	} else {
		src := d.source
		view = publishedView{
			Lang: d.doc.SourceLang, Title: src.Title, Body: src.Body, Version: src.Version, SourceVersion: src.Version,
			PublishedAt: src.CreatedAt.UTC(), Fallback: true, Engines: []string{},
		}
		hash = models.ContentHash(d.doc.SourceLang, src.ContentHash)
	}
	s.describe(&view, &d.doc)
	return view, hash
}

// oldVersion is version n of lang: a published translation, or a source
// version when lang is the source language.
func (s *Server) oldVersion(ctx context.Context, d *cachedDocument, lang string, n int) (publishedView, string, error) {
	var view publishedView
	var hash string
	if lang == d.doc.SourceLang {
		src, err := s.store.SourceVersion(ctx, d.doc.ID, n)
		if err != nil {
			return view, "", err
		}
		view = publishedView{
			Lang: lang, Title: src.Title, Body: src.Body, Version: src.Version, SourceVersion: src.Version,
			PublishedAt: src.CreatedAt.UTC(), Fallback: true, Engines: []string{}, Outdated: n < d.doc.CurrentVersion,
		}
		hash = models.ContentHash(lang, src.ContentHash)
	} else {
		pv, err := s.store.PublishedVersionOf(ctx, d.doc.ID, lang, n)
		if err != nil {
			return view, "", err
		}
		latest := d.latest[lang]
		view, hash = versionView(pv), pv.ContentHash
		view.Outdated = pv.Outdated || (latest != nil && latest.Version > n)
	}
	s.describe(&view, &d.doc)
	return view, hash, nil
}

func versionView(pv *models.PublishedVersion) publishedView {
	return publishedView{
		Lang: pv.Lang, Title: pv.Title, Body: pv.Body, Version: pv.Version, SourceVersion: pv.SourceVersion,
		PublishedAt: pv.PublishedAt.UTC(), MachineAssisted: pv.MachineAssisted, Outdated: pv.Outdated,
		Engines: engineList(pv.Engines),
	}
}

// describe adds what the reader's page needs to set the text: document
// ids, script, direction and writing mode.
func (s *Server) describe(view *publishedView, doc *models.Document) {
	l, _ := s.langs.Lookup(view.Lang)
	view.DocumentID, view.ExternalID = doc.ID, doc.ExternalID
	view.Script, view.Dir, view.WritingMode = l.Script, l.Dir, l.WritingMode
}

type versionItem struct {
	Lang            string    `json:"lang"`
	Version         int       `json:"version"`
	SourceVersion   int       `json:"source_version"`
	PublishedAt     time.Time `json:"published_at"`
	ETag            string    `json:"etag"`
	MachineAssisted bool      `json:"machine_assisted"`
	Outdated        bool      `json:"outdated"`
	// Current is the version served without ?version=.
	Current bool `json:"current"`
}

// listVersions is a document's publication history, per language, oldest
// first; ?lang= narrows it to one language.
func (s *Server) listVersions(c *gin.Context) {
	id, err := pathID(c, "document")
	if err != nil {
		s.fail(c, err)
		return
	}
	lang := ""
	if raw := c.Query("lang"); raw != "" {
		if lang, err = s.targetLanguage(raw); err != nil {
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
	history, err := s.store.PublishedHistory(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	newest := map[string]int{}
	for _, pv := range history {
		newest[pv.Lang] = max(newest[pv.Lang], pv.Version)
	}
	items := make([]versionItem, 0, len(history))
	for _, pv := range history {
		if lang != "" && pv.Lang != lang {
			continue
		}
		items = append(items, versionItem{
			Lang: pv.Lang, Version: pv.Version, SourceVersion: pv.SourceVersion, PublishedAt: pv.PublishedAt.UTC(),
			ETag: etag(pv.ContentHash), MachineAssisted: pv.MachineAssisted,
			Outdated: pv.Outdated || pv.Version < newest[pv.Lang], Current: pv.Version == newest[pv.Lang],
		})
	}
	c.Header("Cache-Control", cacheLatest)
	c.JSON(http.StatusOK, gin.H{"document_id": doc.ID, "external_id": doc.ExternalID, "source_version": doc.CurrentVersion, "items": items})
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
