// Package api is the gin HTTP API over the read model and the workflows.
// Reads come from the database; every human action is a workflow Update.
package api

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
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
}

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
	mtEngines       func(source, target string) []string
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
		feedbackLimiter: newIPLimiter(),
		mtEngines:       opts.MTEngines,
	}
	s.engine = s.routes(opts.Metrics, opts.TrustedProxies)
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.engine.ServeHTTP(w, r)
}

func (s *Server) routes(reg *prometheus.Registry, trustedProxies []string) *gin.Engine {
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
	r.Use(s.recoverPanics, s.metrics.observe, limitBody(s.maxBody))
	r.NoRoute(func(c *gin.Context) {
		s.fail(c, models.Errorf(models.ENOTFOUND, "no such endpoint: %s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Error: errorDetail{
			Code: models.EINVALID, Message: "method " + c.Request.Method + " is not allowed here"}})
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(metricsHandler(reg)))

	v1 := r.Group("/v1")
	v1.GET("/languages", s.listLanguages)
	// Public: readers send feedback and see the answers, without a token.
	v1.POST("/published/:id/:lang/feedback", s.rateLimitFeedback, s.postFeedback)
	v1.GET("/published/:id/:lang/feedback", s.listFeedbackAnswers)

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
	tasks.POST("/:id/claim", s.taskAction(models.UpdateClaim))
	tasks.POST("/:id/release", s.taskAction(models.UpdateRelease))
	tasks.POST("/:id/renew", s.taskAction(models.UpdateRenew))
	tasks.PUT("/:id/draft", s.saveDraft)
	tasks.POST("/:id/submit", s.submitTask)
	tasks.POST("/:id/approve", s.taskAction(models.UpdateApprove))
	tasks.POST("/:id/reject", s.rejectTask)

	published := auth.Group("/published", s.allow(models.RolePortal, models.RoleEditor))
	published.GET("", s.publishedFeed)
	published.GET("/:id", s.getPublished)
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
