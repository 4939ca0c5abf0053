package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listNotifications shows what concerns the caller: deadline reminders,
// overdue and unclaimed tasks, newest first.
func (s *Server) listNotifications(c *gin.Context) {
	limit, err := queryLimit(c, 50, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	u := currentUser(c)
	items, err := s.store.Notifications(c.Request.Context(), u.ID, u.Roles, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(items)})
}
