package api

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

// Webhook field limits, from the columns of models.WebhookSubscription.
const (
	maxWebhookURLBytes         = 2048
	maxWebhookDescriptionBytes = 255
	// webhookSecretBytes is the key size: Standard Webhooks asks for 24 to
	// 64 random bytes; 32 matches the HMAC-SHA256 block of security.
	webhookSecretBytes = 32
)

type webhookRequest struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description"`
	// Active is a pointer so a PUT that leaves it out keeps the
	// subscription on, as a new one starts, rather than switching it off.
	Active *bool `json:"active"`
}

// createdWebhook is the only answer that carries the secret: the receiver
// needs it to verify signatures, and nobody sees it again.
type createdWebhook struct {
	*models.WebhookSubscription
	Secret string `json:"secret"`
}

// createWebhook subscribes a URL to events and generates its signing secret.
func (s *Server) createWebhook(c *gin.Context) {
	w, err := webhookFromBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if w.Secret, err = newWebhookSecret(); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.CreateWebhook(c.Request.Context(), w); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, createdWebhook{WebhookSubscription: w, Secret: w.Secret})
}

// webhookFromBody reads and validates the JSON of a POST or a PUT.
func webhookFromBody(c *gin.Context) (*models.WebhookSubscription, error) {
	var req webhookRequest
	if err := decodeJSON(c, &req); err != nil {
		return nil, err
	}
	var missing []string
	if strings.TrimSpace(req.URL) == "" {
		missing = append(missing, "url")
	}
	if len(req.Events) == 0 {
		missing = append(missing, "events")
	}
	if missing != nil {
		return nil, missingFields(missing)
	}
	target, err := checkWebhookURL(strings.TrimSpace(req.URL))
	if err != nil {
		return nil, err
	}
	events, err := checkEventTypes(req.Events)
	if err != nil {
		return nil, err
	}
	desc := strings.TrimSpace(req.Description)
	if len(desc) > maxWebhookDescriptionBytes {
		return nil, models.Errorf(models.EINVALID, "description is limited to %d bytes", maxWebhookDescriptionBytes)
	}
	return &models.WebhookSubscription{
		URL: target, Events: events, Description: desc, Active: req.Active == nil || *req.Active,
	}, nil
}

// checkWebhookURL accepts absolute http and https URLs without credentials:
// a password in the URL would be shown in every listing, and the signature,
// not basic auth, is how a receiver knows the sender.
func checkWebhookURL(raw string) (string, error) {
	bad := func(why string) error {
		return models.Errorf(models.EINVALID, "url %s", why).WithDetails(map[string]string{"field": "url"})
	}
	if len(raw) > maxWebhookURLBytes {
		return "", bad("is longer than 2048 bytes")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", bad("is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", bad("must be an absolute http or https URL")
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", bad("has no host")
	}
	if u.User != nil {
		return "", bad("must not carry a user name or password")
	}
	if u.Fragment != "" {
		return "", bad("must not have a #fragment; it is never sent")
	}
	return u.String(), nil
}

// checkEventTypes returns the events sorted and without repeats, or an
// error naming the unknown ones.
func checkEventTypes(events []string) ([]string, error) {
	var unknown []string
	for _, e := range events {
		if !models.ValidEventType(e) {
			unknown = append(unknown, e)
		}
	}
	if unknown != nil {
		return nil, models.Errorf(models.EINVALID, "unknown event types: %s", strings.Join(unknown, ", ")).
			WithDetails(map[string][]string{"unknown": unknown, "supported": models.EventTypes})
	}
	out := slices.Clone(events)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// newWebhookSecret returns a Standard Webhooks secret: "whsec_" and the
// base64 of random bytes.
func newWebhookSecret() (string, error) {
	key := make([]byte, webhookSecretBytes)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(key), nil
}

// listWebhooks pages through the subscriptions; secrets are never listed.
func (s *Server) listWebhooks(c *gin.Context) {
	limit, err := queryLimit(c, 100, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	after, err := decodeCursor(c.Query("cursor"))
	if err != nil {
		s.fail(c, err)
		return
	}
	subs, err := s.store.ListWebhooks(c.Request.Context(), limit, after)
	if err != nil {
		s.fail(c, err)
		return
	}
	next := ""
	if len(subs) == limit {
		next = encodeCursor(subs[len(subs)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(subs), "next_cursor": next})
}

func (s *Server) getWebhook(c *gin.Context) {
	id, err := pathID(c, "webhook")
	if err != nil {
		s.fail(c, err)
		return
	}
	w, err := s.store.WebhookByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, w)
}

// updateWebhook replaces a subscription's URL, events, active flag and
// description; the secret stays. Deliveries already being retried use the
// new URL from their next attempt.
func (s *Server) updateWebhook(c *gin.Context) {
	id, err := pathID(c, "webhook")
	if err != nil {
		s.fail(c, err)
		return
	}
	w, err := webhookFromBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	w.ID = id
	if err := s.store.UpdateWebhook(c.Request.Context(), w); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, w)
}

// deleteWebhook removes a subscription and its deliveries log; deliveries
// still being retried stop at their next attempt.
func (s *Server) deleteWebhook(c *gin.Context) {
	id, err := pathID(c, "webhook")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.DeleteWebhook(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// webhookDeliveries shows a subscription's delivery attempts, newest first.
func (s *Server) webhookDeliveries(c *gin.Context) {
	id, err := pathID(c, "webhook")
	if err != nil {
		s.fail(c, err)
		return
	}
	limit, err := queryLimit(c, 50, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	before, err := decodeCursor(c.Query("cursor"))
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if _, err := s.store.WebhookByID(ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	rows, err := s.store.WebhookDeliveries(ctx, id, limit, before)
	if err != nil {
		s.fail(c, err)
		return
	}
	next := ""
	if len(rows) == limit {
		next = encodeCursor(rows[len(rows)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(rows), "next_cursor": next})
}
