package ui

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
	"yizhi/models"
)

// page is what every template gets.
type page struct {
	L       *locale
	Other   *locale // the interface language to switch to
	Switch  string  // this page's URL in the other language
	Session *session
	Flash   *flash
	Title   string // localized
	Nav     string // the active navigation item
	// Client is the catalogue subset the scripts need.
	Client map[string]string
	Data   any
}

// render writes a full page with status.
func (u *UI) render(c *gin.Context, status int, name, titleKey string, nav string, data any) {
	l := localeOf(c)
	other := u.locales["en"]
	if l.Code == "en" {
		other = u.locales["zh"]
	}
	q := c.Request.URL.Query()
	q.Set("hl", other.Code)
	p := page{
		L: l, Other: other, Switch: c.Request.URL.Path + "?" + q.Encode(),
		Session: sessionOf(c), Flash: u.takeFlash(c.Writer, c.Request),
		Title: l.T(titleKey), Nav: nav, Client: l.clientCatalogue(), Data: data,
	}
	if c.Request.Method != http.MethodGet {
		// A re-rendered form's language switch must not repeat the POST.
		p.Switch = "/ui/?hl=" + other.Code
	}
	var buf bytes.Buffer
	if err := u.pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		u.log.Error("render page", "page", name, "err", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// errorView is the error page's content.
type errorView struct {
	Key    string
	Detail string // the API's own message, in English
	Status int
}

func (u *UI) errorPage(c *gin.Context, status int, key, detail string) {
	u.render(c, status, "error", "error.title", "", errorView{Key: key, Detail: detail, Status: status})
}

// jsonError answers a script's request with a message it can show as is.
func (u *UI) jsonError(c *gin.Context, status int, key, detail string) {
	c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"message": localeOf(c).T(key), "detail": detail}})
}

// errorKeys turns the API's error statuses into what a person reads.
var errorKeys = map[int]string{
	http.StatusBadRequest:            "error.invalid",
	http.StatusForbidden:             "error.forbidden",
	http.StatusNotFound:              "error.not_found",
	http.StatusConflict:              "error.conflict",
	http.StatusGone:                  "error.gone",
	http.StatusRequestEntityTooLarge: "error.too_large",
	http.StatusUnprocessableEntity:   "error.unprocessable",
	http.StatusTooManyRequests:       "error.rate_limited",
	http.StatusServiceUnavailable:    "error.unavailable",
}

// failed shows an API failure as a page. A 401 means the token stopped
// working (revoked, or the user disabled): the session ends.
func (u *UI) failed(c *gin.Context, err error) {
	status := statusOf(err)
	if status == http.StatusUnauthorized {
		u.endSession(c)
		u.setFlash(c.Writer, flash{Kind: "warning", Key: "flash.session_ended"})
		c.Redirect(http.StatusSeeOther, "/ui/signin")
		c.Abort()
		return
	}
	key, ok := errorKeys[status]
	if !ok {
		u.log.Error("workbench request failed", "path", c.Request.URL.Path, "err", err)
		u.errorPage(c, http.StatusInternalServerError, "error.internal", "")
		return
	}
	u.errorPage(c, status, key, apiMessage(err))
}

// jsonFailed is failed for script requests.
func (u *UI) jsonFailed(c *gin.Context, err error) {
	status := statusOf(err)
	if status == http.StatusUnauthorized {
		u.endSession(c)
		u.jsonError(c, status, "error.signed_out", "")
		return
	}
	key, ok := errorKeys[status]
	if !ok {
		u.log.Error("workbench request failed", "path", c.Request.URL.Path, "err", err)
		u.jsonError(c, http.StatusInternalServerError, "error.internal", "")
		return
	}
	u.jsonError(c, status, key, apiMessage(err))
}

func apiMessage(err error) string {
	var e *apiError
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// endSession forgets the token and starts an anonymous session.
func (u *UI) endSession(c *gin.Context) {
	s := newSession(u.now())
	if err := u.writeSession(c.Writer, s); err != nil {
		u.log.Error("seal session", "err", err)
	}
	c.Set(ctxSession, s)
}

// redirectWith sends the browser on with a message for the next page.
func (u *UI) redirectWith(c *gin.Context, to string, f flash) {
	u.setFlash(c.Writer, f)
	c.Redirect(http.StatusSeeOther, to)
	c.Abort()
}

// chinaTime is the courts' time zone, UTC+8 all year round.
var chinaTime = time.FixedZone("UTC+8", 8*3600)

func (u *UI) funcs() template.FuncMap {
	return template.FuncMap{
		// attrs gives an element the lang and dir of a language tag.
		"attrs": func(tag string) template.HTMLAttr {
			l, ok := u.langs.Lookup(tag)
			if !ok {
				return template.HTMLAttr(`lang="` + template.HTMLEscapeString(tag) + `" dir="auto"`)
			}
			return template.HTMLAttr(`lang="` + l.Tag + `" dir="` + l.Dir + `"`)
		},
		// wm is the writing-mode class of a language's text blocks.
		"wm": func(tag string) string {
			l, _ := u.langs.Lookup(tag)
			if l.WritingMode == lang.VerticalLR {
				return "wm-vertical"
			}
			return "wm-horizontal"
		},
		"langName": func(l *locale, tag string) string {
			x, ok := u.langs.Lookup(tag)
			switch {
			case !ok:
				return tag
			case l.Code == "zh":
				return x.NameZH
			}
			return x.NameEN
		},
		"autonym": func(tag string) string {
			x, _ := u.langs.Lookup(tag)
			return x.Autonym
		},
		"languages": func() []lang.Language { return u.langs.All() },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(chinaTime).Format("2006-01-02 15:04")
		},
		"whenp": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(chinaTime).Format("2006-01-02 15:04")
		},
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"countdown": func(l *locale, t time.Time) string { return countdown(l, t, u.now()) },
		"past":      func(t time.Time) bool { return !t.IsZero() && u.now().After(t) },
		"add":       func(a, b int) int { return a + b },
		"origin":    originLabel,
		"issueText": issueText,
		"ratio":     ratioText,
		"hours":     hoursText,
		// keyed names a value of the API's vocabulary (a state, a kind),
		// or shows it as it is if the catalogue does not know it yet.
		"keyed": func(l *locale, prefix, value string) string {
			if _, ok := u.catalogue[l.Code][prefix+value]; !ok {
				return value
			}
			return l.T(prefix + value)
		},
		"kinds": func() []string { return models.Kinds },
		"feedbackStates": func() []string {
			return []string{models.FeedbackOpen, models.FeedbackCorrecting, models.FeedbackDismissed, models.FeedbackResolved, "all"}
		},
		// dict passes several values to a sub-template.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict needs key and value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict keys are strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

// countdown says how long until a deadline, or how long it is overdue.
func countdown(l *locale, deadline, now time.Time) string {
	d := deadline.Sub(now)
	key := "time.due_in"
	if d < 0 {
		key, d = "time.overdue_by", -d
	}
	d = d.Round(time.Minute)
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var span string
	switch {
	case days > 0:
		span = l.T("time.days_hours", days, hours)
	case hours > 0:
		span = l.T("time.hours_minutes", hours, minutes)
	default:
		span = l.T("time.minutes", minutes)
	}
	return l.T(key, span)
}

// originLabel names where a suggestion or a draft came from: TM 101%,
// TM 87%, the MT engine's name, or a person.
func originLabel(l *locale, origin string, score int) string {
	base, edited := strings.CutPrefix(origin, "edited:")
	var label string
	switch {
	case (base == "tm-context" || base == "tm-exact" || base == "tm-fuzzy") && score > 0:
		label = l.T("origin.tm", score)
	case base == "tm-context" || base == "tm-exact" || base == "tm-fuzzy":
		label = l.T("origin.tm_plain")
	case strings.HasPrefix(base, "mt:"):
		label = l.T("origin.mt", strings.TrimPrefix(base, "mt:"))
	case base == "human", base == "":
		label = l.T("origin.human")
	default:
		label = base
	}
	if edited {
		return l.T("origin.edited", label)
	}
	return label
}

// issue is a QA finding as the API sends it.
type issue struct {
	Segment   int    `json:"segment"`
	Check     string `json:"check"`
	Severity  string `json:"severity"`
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
}

func issueText(l *locale, is issue) string {
	if l.Code == "zh" {
		return is.MessageZH
	}
	return is.MessageEN
}

// ratioText writes a share of 0..1 as a percentage.
func ratioText(l *locale, v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return l.T("stats.no_data")
	}
	return l.T("stats.percent", fmt.Sprintf("%.1f", *v*100))
}

func hoursText(l *locale, v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return l.T("stats.no_data")
	}
	return durationText(l, *v)
}

// durationText writes a duration given in hours in the unit that reads
// best: seconds, minutes or hours.
func durationText(l *locale, hours float64) string {
	switch {
	case hours == 0:
		return "0"
	case hours < 1.0/60:
		return l.T("stats.seconds", fmt.Sprintf("%.0f", hours*3600))
	case hours < 1:
		return l.T("stats.minutes", fmt.Sprintf("%.0f", hours*60))
	case hours < 10:
		return l.T("stats.hours", fmt.Sprintf("%.1f", hours))
	}
	return l.T("stats.hours", fmt.Sprintf("%.0f", hours))
}

// urlQueryEscape escapes a value for a query string.
func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext accepts only a path inside the workbench as a place to return
// to, so the sign-in page cannot be made to send anyone elsewhere.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/ui/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		if u, err := url.Parse(next); err == nil && u.Host == "" && u.Scheme == "" {
			return next
		}
	}
	return "/ui/"
}
