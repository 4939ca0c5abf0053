package ui

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// maxTokenBytes bounds what the sign-in form accepts; tokens are ~46 bytes.
const maxTokenBytes = 512

type signInView struct {
	Next  string
	Error string // catalogue key
}

func (u *UI) signInPage(c *gin.Context) {
	if sessionOf(c).SignedIn() {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	u.render(c, http.StatusOK, "signin", "signin.title", "", signInView{Next: safeNext(c.Query("next"))})
}

// signIn checks the token against the API (a call every role may make)
// and, if it is good, starts a session holding it. The CSRF token is
// renewed, so one issued before sign-in is worth nothing after it.
func (u *UI) signIn(c *gin.Context) {
	token := strings.TrimSpace(c.PostForm("token"))
	next := safeNext(c.PostForm("next"))
	if token == "" || len(token) > maxTokenBytes {
		u.render(c, http.StatusBadRequest, "signin", "signin.title", "", signInView{Next: next, Error: "signin.empty"})
		return
	}
	ctx := c.Request.Context()
	err := u.call(ctx, token, apiCall{Method: http.MethodGet, Path: "/v1/notifications?limit=1"}, nil)
	switch statusOf(err) {
	case 0:
		if err != nil {
			u.failed(c, err)
			return
		}
	case http.StatusUnauthorized:
		u.render(c, http.StatusUnauthorized, "signin", "signin.title", "", signInView{Next: next, Error: "signin.invalid"})
		return
	default:
		u.failed(c, err)
		return
	}
	s := newSession(u.now())
	s.Token = token
	s.Tasks = u.may(ctx, token, "/v1/tasks?limit=1")
	s.Editor = u.may(ctx, token, "/v1/feedback?limit=1")
	if err := u.writeSession(c.Writer, s); err != nil {
		u.failed(c, err)
		return
	}
	c.Set(ctxSession, s)
	if next == "/ui/" {
		u.home(c)
		return
	}
	c.Redirect(http.StatusSeeOther, next)
}

// may reports whether the token may read path; it decides which pages the
// navigation offers.
func (u *UI) may(ctx context.Context, token, path string) bool {
	return u.call(ctx, token, apiCall{Method: http.MethodGet, Path: path}, nil) == nil
}

func (u *UI) signOut(c *gin.Context) {
	u.endSession(c)
	u.redirectWith(c, "/ui/signin", flash{Kind: "success", Key: "flash.signed_out"})
}
