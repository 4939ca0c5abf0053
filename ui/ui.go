// Package ui is the translators', reviewers' and editors' workbench: HTML
// pages under /ui/, rendered on the server with html/template and a little
// plain JavaScript, all embedded in the binary.
//
// The workbench holds no rules and no data of its own. Each page calls the
// JSON API in process with the signed-in user's bearer token and renders
// what it answers, so authorization, validation, four-eyes and the
// workflows stay in one place.
//
// Every text element carries the lang and dir of its language from the
// registry; traditional Mongolian is set with writing-mode: vertical-lr.
// The scripts render in fonts installed on the machine, never downloaded:
// Debian's fonts-noto-core (Noto Serif Tibetan, Noto Sans Mongolian, Noto
// Sans Yi, Noto Naskh Arabic for Uyghur and Kazakh) and fonts-noto-cjk
// (Noto Sans CJK SC, KR and JP). The interface speaks Chinese and English,
// from the catalogues in messages/.
package ui

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Options configures the workbench.
type Options struct {
	// API is the JSON API the pages call in process.
	API http.Handler
	// Languages gives every text its lang, dir and writing mode.
	Languages *lang.Registry
	// SessionKey encrypts and authenticates the session cookie. Every
	// process that serves the same users needs the same key.
	SessionKey []byte
	// SecureCookies marks cookies Secure; set it when users reach the
	// workbench over https.
	SecureCookies bool
	Log           *slog.Logger
}

// UI serves the workbench.
type UI struct {
	api     http.Handler
	langs   *lang.Registry
	sealer  *sealer
	secure  bool
	log     *slog.Logger
	locales map[string]*locale
	// catalogue is the raw messages per locale, to tell a missing key.
	catalogue map[string]map[string]string
	pages     map[string]*template.Template
	engine    *gin.Engine
	now       func() time.Time
}

// pageNames are the templates under templates/, each a full page in the
// layout.
var pageNames = []string{
	"signin", "tasks", "translate", "review", "documents", "document",
	"attention", "feedback", "stats", "error",
}

// New builds the workbench. It panics on a missing API or key, or on a
// broken embedded template: both are programming errors that every test
// run catches.
func New(opts Options) http.Handler {
	u, err := newUI(opts)
	if err != nil {
		panic(err)
	}
	return u
}

func newUI(opts Options) (*UI, error) {
	if opts.API == nil {
		return nil, errors.New("ui: Options.API is required")
	}
	if len(opts.SessionKey) == 0 {
		return nil, errors.New("ui: Options.SessionKey is required")
	}
	if opts.Languages == nil {
		opts.Languages = lang.NewRegistry()
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	locales, catalogue, err := loadLocales()
	if err != nil {
		return nil, err
	}
	u := &UI{
		api: opts.API, langs: opts.Languages, sealer: newSealer(opts.SessionKey), secure: opts.SecureCookies,
		log: opts.Log, locales: locales, catalogue: catalogue, pages: map[string]*template.Template{}, now: time.Now,
	}
	base, err := template.New("layout.html").Funcs(u.funcs()).ParseFS(templateFiles, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		u.pages[name] = t
	}
	u.engine = u.routes()
	return u, nil
}

// ServeHTTP makes the workbench an http.Handler.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.engine.ServeHTTP(w, r)
}

func (u *UI) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(u.recoverPanics, securityHeaders)
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	r.StaticFS("/ui/static", http.FS(static))

	g := r.Group("/ui", u.begin)
	g.GET("/", u.home)
	g.GET("/signin", u.signInPage)
	g.POST("/signin", u.signIn)
	g.POST("/signout", u.signOut)

	in := g.Group("", u.requireSignIn)
	in.GET("/tasks", u.taskList)
	in.POST("/tasks/:id/claim", u.claim)
	in.GET("/tasks/:id", u.taskPage)
	in.PUT("/tasks/:id/draft", u.autosave)
	in.POST("/tasks/:id/submit", u.submit)
	in.POST("/tasks/:id/release", u.release)
	in.POST("/tasks/:id/approve", u.approve)
	in.POST("/tasks/:id/reject", u.reject)

	in.GET("/documents", u.documentList)
	in.GET("/documents/:id", u.documentPage)
	in.POST("/documents/:id/withdraw", u.withdraw)
	in.GET("/attention", u.attention)
	in.GET("/feedback", u.feedbackInbox)
	in.POST("/feedback/:id/dismiss", u.dismissFeedback)
	in.POST("/feedback/:id/correct", u.correctFeedback)
	in.GET("/stats", u.stats)

	r.NoRoute(u.begin, func(c *gin.Context) {
		u.errorPage(c, http.StatusNotFound, "error.not_found", "")
	})
	return r
}

// Context keys of a request's locale and session.
const (
	ctxLocale  = "ui.locale"
	ctxSession = "ui.session"
)

func localeOf(c *gin.Context) *locale   { return c.MustGet(ctxLocale).(*locale) }
func sessionOf(c *gin.Context) *session { return c.MustGet(ctxSession).(*session) }

// securityHeaders keep the pages, which show unpublished text, out of
// caches and frames, and allow scripts and styles from this server only.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; font-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if !strings.HasPrefix(c.Request.URL.Path, "/ui/static/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// begin picks the interface language, finds or starts the session, and
// refuses any state-changing request that is cross-site or lacks the
// session's CSRF token, before anything reaches the API.
func (u *UI) begin(c *gin.Context) {
	r := c.Request
	code, fromQuery := pickLocale(r)
	if fromQuery {
		http.SetCookie(c.Writer, &http.Cookie{
			Name: localeCookie, Value: code, Path: cookiePath, MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: u.secure, SameSite: http.SameSiteLaxMode,
		})
	}
	c.Set(ctxLocale, u.locales[code])
	// From here on r is the request the handlers see: the CSRF check may
	// parse its form, which the handlers then read.
	r = r.WithContext(withRemoteAddr(r.Context(), r.RemoteAddr))
	c.Request = r

	now := u.now()
	s := u.readSession(r, now)
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
	if s == nil {
		s = newSession(now)
		if err := u.writeSession(c.Writer, s); err != nil {
			u.log.Error("seal session", "err", err)
		}
		if !safe {
			// A form from a session that ended (or a request with no
			// session at all) cannot carry a token worth checking.
			if wantsJSON(r) {
				u.jsonError(c, http.StatusUnauthorized, "error.signed_out", "")
				return
			}
			u.redirectWith(c, "/ui/signin", flash{Kind: "warning", Key: "flash.session_ended"})
			return
		}
	}
	c.Set(ctxSession, s)

	if !safe {
		if crossSite(r) || !validCSRF(r, s) {
			u.log.Warn("refused a request without a valid CSRF token", "method", r.Method, "path", r.URL.Path,
				"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "origin", r.Header.Get("Origin"))
			if wantsJSON(r) {
				u.jsonError(c, http.StatusForbidden, "error.csrf", "")
				return
			}
			u.errorPage(c, http.StatusForbidden, "error.csrf", "")
			return
		}
	}
	c.Next()
}

// requireSignIn sends a visitor without a session to the sign-in page,
// remembering where they were going.
func (u *UI) requireSignIn(c *gin.Context) {
	if sessionOf(c).SignedIn() {
		c.Next()
		return
	}
	if c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/ui/signin?next="+urlQueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	if wantsJSON(c.Request) {
		u.jsonError(c, http.StatusUnauthorized, "error.signed_out", "")
		return
	}
	u.setFlash(c.Writer, flash{Kind: "warning", Key: "flash.session_ended"})
	c.Redirect(http.StatusSeeOther, "/ui/signin")
	c.Abort()
}

func (u *UI) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			u.log.Error("panic in workbench handler", "path", c.Request.URL.Path, "panic", v, "stack", string(debug.Stack()))
			c.AbortWithStatus(http.StatusInternalServerError)
		}
	}()
	c.Next()
}

// home sends each user to where their work is.
func (u *UI) home(c *gin.Context) {
	s := sessionOf(c)
	switch {
	case !s.SignedIn():
		c.Redirect(http.StatusSeeOther, "/ui/signin")
	case s.Tasks:
		c.Redirect(http.StatusSeeOther, "/ui/tasks")
	case s.Editor:
		c.Redirect(http.StatusSeeOther, "/ui/documents")
	default:
		c.Redirect(http.StatusSeeOther, "/ui/tasks")
	}
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}
