// Package api is the gin HTTP API over the read model and the workflows.
// Reads come from the database; every human action is a workflow Update.
package api

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/prometheus/client_golang/prometheus"

	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
)

// DefaultMaxBodyBytes bounds request bodies unless configured otherwise.
const DefaultMaxBodyBytes = 10 << 20

// Options configures a Server.
type Options struct {
	Store        *store.Store
	Workflows    Workflows
	Languages    *lang.Registry
	Log          *slog.Logger
	MaxBodyBytes int64
	// Metrics receives the HTTP metrics; nil means a private registry.
	Metrics *prometheus.Registry
	// MTEngines names the MT engines for a language pair in fallback
	// order, from the MT configuration; nil means none are configured.
	MTEngines func(source, target string) []string
	// TrustedProxies are the addresses and CIDR ranges of proxies whose
	// X-Forwarded-For names the client; nil trusts none.
	TrustedProxies []string
	// CacheDocuments is how many documents the portal cache holds: 0
	// means DefaultCacheDocuments, a negative number turns it off. Run
	// WatchChanges, or the cache never learns of other processes' writes.
	CacheDocuments int
	// CORSOrigins are the portal origins whose pages may call the portal
	// endpoints from the browser; "*" allows any.
	CORSOrigins []string
}

// DefaultCacheDocuments is the portal cache's size when Options leave it 0.
const DefaultCacheDocuments = 10_000

// Server holds the API's dependencies.
type Server struct {
	store     *store.Store
	workflows Workflows
	langs     *lang.Registry
	log       *slog.Logger
	maxBody   int64
	metrics   *metrics
	engine    *gin.Engine
	// feedbackLimiter rate-limits the public feedback endpoint per address.
	feedbackLimiter *ipLimiter
	// publicLimiter rate-limits the other endpoints that need no token.
	publicLimiter *ipLimiter
	mtEngines     func(source, target string) []string
	// portal caches portal answers; nil when turned off.
	portal *portalCache
	// tokens caches resolved bearer tokens for a few seconds.
	tokens *expirable.LRU[[sha256.Size]byte, *models.User]
}

// New builds the server and its routes.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Languages == nil {
		opts.Languages = lang.NewRegistry()
	}
	if opts.Metrics == nil {
		opts.Metrics = prometheus.NewRegistry()
	}
	s := &Server{
		store:           opts.Store,
		workflows:       opts.Workflows,
		langs:           opts.Languages,
		log:             opts.Log,
		maxBody:         opts.MaxBodyBytes,
		metrics:         newMetrics(opts.Metrics),
		feedbackLimiter: newIPLimiter(feedbackPerMinute, feedbackBurst),
		publicLimiter:   newIPLimiter(publicReadsPerMinute, publicReadsBurst),
		mtEngines:       opts.MTEngines,
		tokens:          newTokenCache(),
	}
	if opts.CacheDocuments == 0 {
		opts.CacheDocuments = DefaultCacheDocuments
	}
	if opts.CacheDocuments > 0 {
		s.portal = newPortalCache(opts.Store, opts.CacheDocuments)
		s.portal.register(opts.Metrics)
	}
	s.engine = s.routes(opts.Metrics, opts.TrustedProxies, opts.CORSOrigins)
	return s
}

// WatchChanges keeps the portal cache true to what any process writes,
// following the feed every interval until ctx ends.
func (s *Server) WatchChanges(ctx context.Context, interval time.Duration) error {
	if s.portal == nil {
		return nil
	}
	if err := s.portal.start(ctx); err != nil {
		return err
	}
	s.portal.watch(ctx, interval, func(err error) {
		s.log.Warn("portal cache refresh failed; cache dropped", "err", err)
	})
	return nil
}

// RefreshCache catches the portal cache up with the feed once.
func (s *Server) RefreshCache(ctx context.Context) error {
	if s.portal == nil {
		return nil
	}
	return s.portal.refresh(ctx)
}

// forget drops documents this process changed from the portal cache.
func (s *Server) forget(ids ...int64) {
	if s.portal != nil {
		s.portal.invalidate(ids...)
	}
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.engine.ServeHTTP(w, r)
}

func (s *Server) routes(reg *prometheus.Registry, trustedProxies, corsOrigins []string) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Client addresses come from the connection, not from headers anyone
	// can forge, unless the connection is from a proxy the operator
	// named; the feedback rate limit depends on it.
	if err := r.SetTrustedProxies(trustedProxies); err != nil {
		s.log.Error("ignoring invalid trusted proxies", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.ContextWithFallback = true
	// Imports carry whole TMX and TBX files, far over the JSON body limit.
	// gin fixes a route's middleware when the route is added, so these
	// two, added before r.Use, run importChain (with MaxImportBytes)
	// instead of the global chain. Keep them above r.Use.
	r.POST("/v1/tm/import", s.importChain(s.importTM)...)
	r.POST("/v1/glossary/import", s.importChain(s.importGlossary)...)
	r.Use(s.recoverPanics, s.metrics.observe, portalCORS(corsOrigins), limitBody(s.maxBody))
	r.NoRoute(func(c *gin.Context) {
		s.fail(c, models.Errorf(models.ENOTFOUND, "no such endpoint: %s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Error: errorDetail{
			Code: models.EINVALID, Message: "method " + c.Request.Method + " is not allowed here"}})
	})

	public := s.rateLimit(s.publicLimiter, "requests")
	r.GET("/openapi.json", public, s.openAPI)
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(metricsHandler(reg)))

	v1 := r.Group("/v1")
	v1.GET("/languages", public, s.listLanguages)
	// Public: readers send feedback and see the answers, without a token.
	v1.POST("/published/:id/:lang/feedback", s.rateLimit(s.feedbackLimiter, "feedback messages"), s.postFeedback)
	v1.GET("/published/:id/:lang/feedback", public, s.listFeedbackAnswers)

	auth := v1.Group("", s.authenticate)
	admin := auth.Group("", s.allow(models.RoleAdmin))
	admin.POST("/users", s.createUser)
	auth.GET("/users", s.allow(models.RoleEditor), s.listUsers)
	admin.POST("/users/:id/competences", s.grantCompetence)
	admin.DELETE("/users/:id/competences", s.revokeCompetence)

	auth.GET("/routing", s.allow(models.RoleEditor), s.listRoutingRules)
	auth.GET("/routing/:id", s.allow(models.RoleEditor), s.getRoutingRule)
	admin.POST("/routing", s.createRoutingRule)
	admin.PUT("/routing/:id", s.updateRoutingRule)
	admin.DELETE("/routing/:id", s.deleteRoutingRule)

	auth.GET("/notifications", s.listNotifications)
	auth.GET("/stats", s.allow(models.RoleEditor), s.stats)

	feedback := auth.Group("/feedback", s.allow(models.RoleEditor))
	feedback.GET("", s.feedbackInbox)
	feedback.POST("/:id/dismiss", s.dismissFeedback)
	feedback.POST("/:id/correct", s.correctFeedback)

	audit := auth.Group("/audit", s.allow(models.RoleEditor))
	audit.GET("", s.auditTrail)
	audit.GET("/verify", s.verifyAudit)

	glossary := auth.Group("/glossary", s.allow(models.RoleEditor))
	glossary.GET("", s.listGlossary)
	glossary.POST("", s.createGlossaryEntry)
	glossary.GET("/export", s.exportGlossary)
	glossary.GET("/:id", s.getGlossaryEntry)
	glossary.PUT("/:id", s.updateGlossaryEntry)
	glossary.DELETE("/:id", s.deleteGlossaryEntry)

	webhooks := auth.Group("/webhooks", s.allow(models.RoleEditor))
	webhooks.GET("", s.listWebhooks)
	webhooks.POST("", s.createWebhook)
	webhooks.GET("/:id", s.getWebhook)
	webhooks.PUT("/:id", s.updateWebhook)
	webhooks.DELETE("/:id", s.deleteWebhook)
	webhooks.GET("/:id/deliveries", s.webhookDeliveries)

	tm := auth.Group("/tm", s.allow(models.RoleEditor))
	tm.GET("/export", s.exportTM)

	docs := auth.Group("/documents", s.allow(models.RoleSource, models.RoleEditor))
	docs.POST("", s.createDocument)
	docs.POST("/import", s.importDocument)
	docs.GET("", s.listDocuments)
	docs.GET("/:id", s.getDocument)
	docs.POST("/:id/revisions", s.reviseDocument)
	docs.POST("/:id/withdraw", s.allow(models.RoleEditor), s.withdrawDocument)

	tasks := auth.Group("/tasks", s.allow(models.RoleTranslator, models.RoleReviewer, models.RoleEditor))
	tasks.GET("", s.listTasks)
	tasks.GET("/:id", s.getTask)
	tasks.POST("/:id/claim", s.claimTask)
	tasks.POST("/:id/release", s.taskAction(models.UpdateRelease))
	tasks.POST("/:id/renew", s.taskAction(models.UpdateRenew))
	tasks.PUT("/:id/draft", s.saveDraft)
	tasks.POST("/:id/submit", s.submitTask)
	tasks.POST("/:id/approve", s.taskAction(models.UpdateApprove))
	tasks.POST("/:id/reject", s.rejectTask)

	published := auth.Group("/published", s.allow(models.RolePortal, models.RoleEditor))
	published.GET("", s.publishedFeed)
	published.GET("/:id", s.getPublished)
	published.GET("/:id/versions", s.listVersions)
	return r
}

// recoverPanics answers a panic with the error shape instead of a bare 500.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic in handler", "path", c.Request.URL.Path, "panic", v)
			s.fail(c, models.Errorf(models.EINTERNAL, "internal error"))
		}
	}()
	c.Next()
}

// pathID parses the :id parameter; a malformed ID cannot name anything.
func pathID(c *gin.Context, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.Errorf(models.ENOTFOUND, "no %s with id %q", what, c.Param("id"))
	}
	return id, nil
}

// portalCORS lets the listed portal origins call the portal endpoints from
// a browser: the published documents, their versions, the feed and the
// public feedback. Other endpoints are for tools and the workbench, which
// run on the API's own origin.
func portalCORS(origins []string) gin.HandlerFunc {
	if len(origins) == 0 {
		return func(c *gin.Context) { c.Next() }
	}
	cfg := cors.Config{
		AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost},
		AllowHeaders:  []string{"Authorization", "Content-Type", "Accept-Language", "If-None-Match"},
		ExposeHeaders: []string{"ETag", "Content-Language", "Retry-After"},
		MaxAge:        12 * time.Hour,
	}
	if len(origins) == 1 && origins[0] == "*" {
		cfg.AllowAllOrigins = true
	} else {
		cfg.AllowOrigins = origins
	}
	handler := cors.New(cfg)
	return func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/v1/published") {
			handler(c)
			return
		}
		c.Next()
	}
}
