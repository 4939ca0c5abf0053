package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
)

// Limits on public feedback: what one reader may send, and how often.
const (
	maxFeedbackRunes  = 2000
	maxContactRunes   = 200
	feedbackPerMinute = 5
	feedbackBurst     = 5
	// Public reads (answers, languages, the spec) are cheap and meant to
	// be cached by a CDN; the limit only stops a single address hammering.
	publicReadsPerMinute = 120
	publicReadsBurst     = 60
	// limiterIdle is how long an address's bucket is kept after its last
	// request; a full bucket forgotten is no loss.
	limiterIdle = 10 * time.Minute
)

// ipLimiter is a token bucket per client address.
type ipLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
	every   time.Duration
	burst   int
}

type bucket struct {
	limiter *rate.Limiter
	seen    time.Time
}

func newIPLimiter(perMinute, burst int) *ipLimiter {
	return &ipLimiter{buckets: map[string]*bucket{}, every: time.Minute / time.Duration(perMinute), burst: burst}
}

func (l *ipLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > limiterIdle {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > limiterIdle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{limiter: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	return b.limiter.AllowN(now, 1)
}

// rateLimit answers 429 with Retry-After to an address that sends more
// than l allows; the endpoints it guards need no token.
func (s *Server) rateLimit(l *ipLimiter, what string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !l.allow(c.ClientIP(), time.Now()) {
			c.Header("Retry-After", "60")
			s.fail(c, models.Errorf(models.ERATELIMITED, "too many %s from this address; try again in a minute", what))
			return
		}
		c.Next()
	}
}

type feedbackRequest struct {
	Text    string `json:"text"`
	Contact string `json:"contact"`
}

// postFeedback takes a reader's feedback on a published version. It is
// public: no token, a per-address rate limit, and size limits.
func (s *Server) postFeedback(c *gin.Context) {
	id, tag, err := s.documentLang(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req feedbackRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	text := lang.Normalize(tag, strings.TrimSpace(req.Text))
	contact := strings.TrimSpace(req.Contact)
	switch {
	case text == "":
		s.fail(c, missingFields([]string{"text"}))
		return
	case utf8.RuneCountInString(text) > maxFeedbackRunes:
		s.fail(c, models.Errorf(models.EINVALID, "text is longer than %d characters", maxFeedbackRunes))
		return
	case utf8.RuneCountInString(contact) > maxContactRunes:
		s.fail(c, models.Errorf(models.EINVALID, "contact is longer than %d characters", maxContactRunes))
		return
	}
	ctx := c.Request.Context()
	pv, err := s.publishedVersion(c, id, tag)
	if err != nil {
		s.fail(c, err)
		return
	}
	ipHash := sha256.Sum256([]byte(c.ClientIP()))
	f := &models.Feedback{
		DocumentID: id, Lang: tag, Version: pv.Version, Text: text, Contact: contact,
		RemoteHash: hex.EncodeToString(ipHash[:]),
	}
	if err := s.store.CreateFeedback(ctx, f); err != nil {
		s.fail(c, err)
		return
	}
	ev := models.Event{
		ID: fmt.Sprintf("msg_feedback_%d", f.ID), Type: models.EventFeedbackReceived, At: f.CreatedAt.UTC(),
		DocumentID: id, Lang: tag, Version: pv.Version, Data: map[string]any{"feedback_id": f.ID},
	}
	if err := s.workflows.EmitEvent(ctx, ev); err != nil {
		// The feedback is stored and the editors' inbox shows it; only the
		// notification to subscribers is lost.
		s.log.Warn("feedback event not handed off", "feedback", f.ID, "err", err)
	}
	c.JSON(http.StatusAccepted, gin.H{"id": f.ID, "status": f.Status})
}

// publishedVersion returns the newest published version of a document in
// lang, or ENOTFOUND.
func (s *Server) publishedVersion(c *gin.Context, documentID int64, tag string) (*models.PublishedVersion, error) {
	if _, err := s.liveDocument(c, documentID); err != nil {
		return nil, err
	}
	versions, err := s.store.LatestPublished(c.Request.Context(), documentID)
	if err != nil {
		return nil, err
	}
	for i := range versions {
		if versions[i].Lang == tag {
			return &versions[i], nil
		}
	}
	return nil, models.Errorf(models.ENOTFOUND, "document %d has no published %s version", documentID, tag)
}

// publicAnswer is what portals show of answered feedback: never the
// reader's contact.
type publicAnswer struct {
	ID                int64      `json:"id"`
	Version           int        `json:"version"`
	Text              string     `json:"text"`
	Status            string     `json:"status"`
	Answer            string     `json:"answer"`
	AnsweredAt        *time.Time `json:"answered_at"`
	CorrectionVersion int        `json:"correction_version,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
}

// listFeedbackAnswers shows portals the answered feedback on a document
// in one language, with the version a correction produced.
func (s *Server) listFeedbackAnswers(c *gin.Context) {
	id, tag, err := s.documentLang(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.liveDocument(c, id); err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.store.ListFeedback(c.Request.Context(), store.FeedbackFilter{DocumentID: id, Lang: tag, Answered: true, Limit: 500})
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]publicAnswer, 0, len(items))
	for _, f := range items {
		out = append(out, publicAnswer{ID: f.ID, Version: f.Version, Text: f.Text, Status: f.Status, Answer: f.Answer,
			AnsweredAt: f.AnsweredAt, CorrectionVersion: f.CorrectionVersion, CreatedAt: f.CreatedAt})
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// feedbackInbox lists feedback for editors, open items by default.
func (s *Server) feedbackInbox(c *gin.Context) {
	f := store.FeedbackFilter{Status: c.DefaultQuery("status", models.FeedbackOpen)}
	if f.Status == "all" {
		f.Status = ""
	}
	var err error
	if f.Limit, err = queryLimit(c, 50, 500); err != nil {
		s.fail(c, err)
		return
	}
	if f.AfterID, err = decodeCursor(c.Query("cursor")); err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.store.ListFeedback(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	next := ""
	if len(items) == f.Limit {
		next = encodeCursor(items[len(items)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(items), "next_cursor": next})
}

type answerRequest struct {
	Answer string `json:"answer"`
}

// documentLang parses the :id and :lang of a published document's path.
func (s *Server) documentLang(c *gin.Context) (int64, string, error) {
	id, err := pathID(c, "document")
	if err != nil {
		return 0, "", err
	}
	tag, err := s.targetLanguage(c.Param("lang"))
	return id, tag, err
}

// dismissFeedback answers without changing the translation.
func (s *Server) dismissFeedback(c *gin.Context) {
	id, err := pathID(c, "feedback")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req answerRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if strings.TrimSpace(req.Answer) == "" {
		s.fail(c, missingFields([]string{"answer"}))
		return
	}
	f, err := s.store.AnswerFeedback(c.Request.Context(), id, models.FeedbackDismissed, strings.TrimSpace(req.Answer), currentUser(c), 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// correctFeedback opens a correction: a new translate task, pre-filled
// with the published text, whose publication answers the feedback.
func (s *Server) correctFeedback(c *gin.Context) {
	id, err := pathID(c, "feedback")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req answerRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	f, err := s.store.FeedbackByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f.Status != models.FeedbackOpen {
		s.fail(c, models.Errorf(models.ECONFLICT, "feedback %d is already %s", id, f.Status))
		return
	}
	doc, err := s.liveDocument(c, f.DocumentID)
	if err != nil {
		s.fail(c, err)
		return
	}
	jobs, err := s.store.JobsByDocument(ctx, doc.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var job *models.TranslationJob
	for i := range jobs {
		if jobs[i].Lang == f.Lang {
			job = &jobs[i]
		}
	}
	if job == nil || job.State != models.JobPublished {
		s.fail(c, models.Errorf(models.ECONFLICT, "the %s translation is still in progress; answer when it is published", f.Lang))
		return
	}
	answer := strings.TrimSpace(req.Answer)
	if answer == "" {
		answer = "已安排更正，更正后的译文将另行发布。/ A correction is under way and will be published."
	}
	in := models.TranslationInput{
		DocumentID: doc.ID, JobID: job.ID, Lang: job.Lang, SourceVersion: job.SourceVersion,
		Priority: models.PriorityHigh, Deadline: time.Now().UTC().Add(models.HighWindow).Truncate(time.Millisecond),
		Correction: true, FeedbackID: f.ID, FirstRound: job.Round + 1, BaseRevision: job.Revision,
	}
	if err := s.workflows.StartCorrection(ctx, in); err != nil {
		s.fail(c, err)
		return
	}
	f, err = s.store.AnswerFeedback(ctx, id, models.FeedbackCorrecting, answer, currentUser(c), job.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// liveDocument returns a document that has not been withdrawn; a withdrawn
// one is EGONE with its public reason.
func (s *Server) liveDocument(c *gin.Context, id int64) (*models.Document, error) {
	doc, err := s.store.DocumentByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if doc.Withdrawn() {
		return nil, withdrawnError(doc)
	}
	return doc, nil
}
