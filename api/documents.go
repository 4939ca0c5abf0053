package api

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
)

// Field limits, chosen to fit the database columns with room to spare.
const (
	maxExternalID = 191
	maxCourt      = 191
	maxTitleRunes = 1000
)

type createDocumentRequest struct {
	ExternalID string   `json:"external_id"`
	Court      string   `json:"court"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	SourceLang string   `json:"source_lang"`
	Priority   string   `json:"priority"`
	Targets    []string `json:"targets"`
	Profile    string   `json:"profile"`
	Deadline   string   `json:"deadline"`
}

type targetState struct {
	Lang             string          `json:"lang"`
	State            models.JobState `json:"state"`
	TaskID           *int64          `json:"task_id"`
	Round            int             `json:"round"`
	Deadline         time.Time       `json:"deadline"`
	Overdue          bool            `json:"overdue"`
	PublishedVersion int             `json:"published_version"`
}

type documentResponse struct {
	ID         int64           `json:"id"`
	ExternalID string          `json:"external_id"`
	Court      string          `json:"court"`
	Kind       string          `json:"kind"`
	Priority   models.Priority `json:"priority"`
	Profile    string          `json:"profile"`
	SourceLang string          `json:"source_lang"`
	Version    int             `json:"version"`
	Title      string          `json:"title"`
	Deadline   time.Time       `json:"deadline"`
	CreatedAt  time.Time       `json:"created_at"`
	Targets    []targetState   `json:"targets"`
	Withdrawal *withdrawalView `json:"withdrawal,omitempty"`
}

// withdrawalView shows editors and source systems why a document was taken
// down; portals only ever see the public reason.
type withdrawalView struct {
	At           time.Time `json:"at"`
	By           int64     `json:"by"`
	Reason       string    `json:"reason"`
	PublicReason string    `json:"public_reason"`
}

// createDocument is the intake. A repeated request with the same
// external_id and content answers 200 with the same document (and makes
// sure its workflow runs); different content under that id is a 409.
func (s *Server) createDocument(c *gin.Context) {
	var req createDocumentRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	s.intake(c, req)
}

// intake validates a request, stores the document and starts its
// workflow. JSON intake and legacy imports share it.
func (s *Server) intake(c *gin.Context, req createDocumentRequest) {
	ctx := c.Request.Context()
	// Read per request, so an admin's routing change applies to the next
	// document without a restart, on every API replica.
	rules, err := s.store.ListRoutingRules(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	intake, err := s.validateIntake(req, rules, time.Now().UTC())
	if err != nil {
		s.fail(c, err)
		return
	}
	intake.doc.CreatedBy = currentUser(c).ID
	status := http.StatusCreated
	doc, err := s.store.DocumentByExternalID(ctx, intake.doc.ExternalID)
	switch models.ErrorCode(err) {
	case models.ENOTFOUND:
		err = s.store.CreateDocument(ctx, intake.doc, intake.source, intake.segments, intake.jobs)
		if models.ErrorCode(err) == models.ECONFLICT {
			// Another request with this external_id won the race.
			doc, err = s.store.DocumentByExternalID(ctx, intake.doc.ExternalID)
			status = http.StatusOK
		} else {
			doc = intake.doc
		}
	case "":
		status = http.StatusOK
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if status == http.StatusOK && doc.IntakeHash != intake.doc.IntakeHash {
		s.fail(c, models.Errorf(models.ECONFLICT,
			"external_id %q already names a document with different content", doc.ExternalID).
			WithDetails(map[string]int64{"id": doc.ID}))
		return
	}
	jobs, err := s.store.JobsByDocument(ctx, doc.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	in := models.DocumentInput{DocumentID: doc.ID, SourceVersion: doc.CurrentVersion, Priority: doc.Priority, Deadline: doc.Deadline, Profile: doc.Profile}
	for _, j := range jobs {
		in.Jobs = append(in.Jobs, models.JobRef{JobID: j.ID, Lang: j.Lang})
	}
	if err := s.workflows.StartDocument(ctx, in); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, gin.H{"id": doc.ID, "external_id": doc.ExternalID, "version": doc.CurrentVersion,
		"profile": doc.Profile, "targets": targetStates(jobs, time.Now())})
}

type intake struct {
	doc      *models.Document
	source   *models.SourceVersion
	segments []models.Segment
	jobs     []models.TranslationJob
}

// validateIntake checks the whole request before anything is written, and
// reports every missing field at once. rules route a request that names no
// targets or no profile.
func (s *Server) validateIntake(req createDocumentRequest, rules []models.RoutingRule, now time.Time) (*intake, error) {
	if err := requireFields(field{"external_id", req.ExternalID}, field{"court", req.Court}, field{"kind", req.Kind},
		field{"title", req.Title}, field{"body", req.Body}); err != nil {
		return nil, err
	}
	externalID, court := strings.TrimSpace(req.ExternalID), strings.TrimSpace(req.Court)
	if len(externalID) > maxExternalID {
		return nil, models.Errorf(models.EINVALID, "external_id is longer than %d bytes", maxExternalID)
	}
	if len(court) > maxCourt {
		return nil, models.Errorf(models.EINVALID, "court is longer than %d bytes", maxCourt)
	}
	if !contains(models.Kinds, req.Kind) {
		return nil, models.Errorf(models.EINVALID, "unknown kind %q", req.Kind).
			WithDetails(map[string][]string{"kinds": models.Kinds})
	}
	priority := models.Priority(req.Priority)
	if priority == "" {
		priority = models.PriorityNormal
	}
	window, ok := priority.Window()
	if !ok {
		return nil, models.Errorf(models.EINVALID, "unknown priority %q", req.Priority).
			WithDetails(map[string][]string{"priorities": {"urgent", "high", "normal", "low"}})
	}
	if req.SourceLang != "" {
		tag, err := s.langs.Canonicalize(req.SourceLang)
		if err != nil {
			return nil, err
		}
		if tag != models.SourceLang {
			return nil, models.Errorf(models.EINVALID, "source_lang %q is not supported; sources are in %s", req.SourceLang, models.SourceLang)
		}
	}
	deadline := now.Add(window)
	if req.Deadline != "" {
		d, err := time.Parse(time.RFC3339, req.Deadline)
		if err != nil {
			return nil, models.Errorf(models.EINVALID, "deadline %q is not an RFC 3339 time", req.Deadline)
		}
		if !d.After(now) {
			return nil, models.Errorf(models.EINVALID, "deadline %s is in the past", req.Deadline)
		}
		deadline = d.UTC()
	}
	if req.Profile != "" && !contains(models.Profiles, req.Profile) {
		return nil, models.Errorf(models.EINVALID, "unknown profile %q", req.Profile).
			WithDetails(map[string][]string{"profiles": models.Profiles})
	}
	routed, profile := models.Route(rules, court, req.Kind, priority)
	if req.Profile != "" {
		profile = models.IntakeProfile(req.Kind, req.Profile)
	}
	targets, err := s.intakeTargets(req, court, routed)
	if err != nil {
		return nil, err
	}

	source, segments, err := sourceText(req.Title, req.Body, 1)
	if err != nil {
		return nil, err
	}
	title, body := source.Title, source.Body
	in := &intake{
		doc: &models.Document{
			ExternalID:     externalID,
			Court:          court,
			Kind:           req.Kind,
			Priority:       priority,
			Profile:        profile,
			SourceLang:     models.SourceLang,
			CurrentVersion: 1,
			Deadline:       deadline.Truncate(time.Millisecond),
			IntakeHash:     models.ContentHash(court, req.Kind, title, body),
		},
		source:   source,
		segments: segments,
	}
	for _, t := range targets {
		in.jobs = append(in.jobs, models.TranslationJob{Lang: t, SourceVersion: 1, State: models.JobPending, Deadline: in.doc.Deadline})
	}
	return in, nil
}

// sourceText normalizes a source title and body (NFC, never NFKC) and cuts
// them into segments: the title is segment 0, the body's sentences follow.
func sourceText(rawTitle, rawBody string, version int) (*models.SourceVersion, []models.Segment, error) {
	title := lang.Normalize(models.SourceLang, strings.TrimSpace(rawTitle))
	body := lang.Normalize(models.SourceLang, rawBody)
	if len([]rune(title)) > maxTitleRunes {
		return nil, nil, models.Errorf(models.EINVALID, "title is longer than %d characters", maxTitleRunes)
	}
	src := &models.SourceVersion{Version: version, Title: title, Body: body, ContentHash: models.ContentHash(title, body)}
	segs := []models.Segment{{Version: version, Index: 0, Text: title, Hash: models.SegmentHash(title)}}
	for _, seg := range lang.SegmentStrings(models.SourceLang, body) {
		if strings.TrimSpace(seg) == "" {
			continue
		}
		segs = append(segs, models.Segment{Version: version, Index: len(segs), Text: seg, Hash: models.SegmentHash(seg)})
	}
	return src, segs, nil
}

// intakeTargets canonicalizes the requested targets, or takes the routed
// ones when the request names none.
func (s *Server) intakeTargets(req createDocumentRequest, court string, routed []string) ([]string, error) {
	var targets []string
	if req.Targets == nil {
		targets = routed
		if len(targets) == 0 {
			return nil, models.Errorf(models.EINVALID,
				"no routing rule names target languages for court %q; name them in targets", court).
				WithDetails(map[string][]string{"supported": s.langs.Supported()})
		}
		return targets, nil
	}
	seen := map[string]bool{}
	for _, raw := range req.Targets {
		tag, err := s.targetLanguage(raw)
		if err != nil {
			return nil, err
		}
		if !seen[tag] {
			seen[tag] = true
			targets = append(targets, tag)
		}
	}
	if len(targets) == 0 {
		return nil, models.Errorf(models.EINVALID, "targets is empty; name at least one language or leave it out to route by court").
			WithDetails(map[string][]string{"supported": s.langs.Supported()})
	}
	sort.Strings(targets)
	return targets, nil
}

// targetLanguage canonicalizes a tag that must name a target language.
func (s *Server) targetLanguage(raw string) (string, error) {
	tag, err := s.langs.Canonicalize(raw)
	if err != nil {
		return "", err
	}
	if tag == models.SourceLang {
		return "", models.Errorf(models.EINVALID, "%q is the source language, not a target", raw).
			WithDetails(map[string][]string{"supported": s.langs.Supported()})
	}
	return tag, nil
}

func (s *Server) sourceLanguage() lang.Language {
	l, _ := s.langs.Lookup(models.SourceLang)
	return l
}

func (s *Server) getDocument(c *gin.Context) {
	id, err := pathID(c, "document")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	doc, err := s.store.DocumentByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	src, err := s.store.SourceVersion(ctx, doc.ID, doc.CurrentVersion)
	if err != nil {
		s.fail(c, err)
		return
	}
	jobs, err := s.store.JobsByDocument(ctx, doc.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, documentView(doc, src.Title, jobs, time.Now()))
}

func (s *Server) listDocuments(c *gin.Context) {
	limit, err := queryLimit(c, 50, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	after, err := decodeCursor(c.Query("cursor"))
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	docs, err := s.store.ListDocuments(ctx, store.DocumentFilter{
		Court: c.Query("court"), Kind: c.Query("kind"), AfterID: after, Limit: limit,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]documentResponse, 0, len(docs))
	now := time.Now()
	for i := range docs {
		jobs, err := s.store.JobsByDocument(ctx, docs[i].ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		src, err := s.store.SourceVersion(ctx, docs[i].ID, docs[i].CurrentVersion)
		if err != nil {
			s.fail(c, err)
			return
		}
		items = append(items, documentView(&docs[i], src.Title, jobs, now))
	}
	next := ""
	if len(docs) == limit {
		next = encodeCursor(docs[len(docs)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

func documentView(doc *models.Document, title string, jobs []models.TranslationJob, now time.Time) documentResponse {
	v := documentResponse{
		ID: doc.ID, ExternalID: doc.ExternalID, Court: doc.Court, Kind: doc.Kind,
		Priority: doc.Priority, Profile: doc.Profile, SourceLang: doc.SourceLang, Version: doc.CurrentVersion,
		Title: title, Deadline: doc.Deadline, CreatedAt: doc.CreatedAt,
		Targets: targetStates(jobs, now),
	}
	if doc.Withdrawn() {
		v.Withdrawal = &withdrawalView{At: doc.WithdrawnAt.UTC(), By: doc.WithdrawnBy, Reason: doc.WithdrawnReason, PublicReason: doc.PublicReason}
	}
	return v
}

func targetStates(jobs []models.TranslationJob, now time.Time) []targetState {
	out := make([]targetState, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, targetState{
			Lang: j.Lang, State: j.State, TaskID: j.TaskID, Round: j.Round, Deadline: j.Deadline,
			Overdue:          j.Overdue || (j.State != models.JobPublished && j.State != models.JobCancelled && now.After(j.Deadline)),
			PublishedVersion: j.PublishedVersion,
		})
	}
	return out
}

// Cursors are opaque to clients so their encoding can change.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(cursor string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		if n, ok := strings.CutPrefix(string(raw), "id:"); ok {
			if id, err := strconv.ParseInt(n, 10, 64); err == nil && id >= 0 {
				return id, nil
			}
		}
	}
	return 0, models.Errorf(models.EINVALID, "cursor %q is not one this API issued", cursor)
}

func queryLimit(c *gin.Context, def, max int) (int, error) {
	raw := c.Query("limit")
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > max {
		return 0, models.Errorf(models.EINVALID, "limit must be a whole number from 1 to %d", max)
	}
	return n, nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
