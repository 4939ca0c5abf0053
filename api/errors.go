package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

// statusOf maps the error vocabulary onto HTTP. This is the only place
// that does.
var statusOf = map[string]int{
	models.EINVALID:       http.StatusBadRequest,
	models.EUNAUTHORIZED:  http.StatusUnauthorized,
	models.EFORBIDDEN:     http.StatusForbidden,
	models.ENOTFOUND:      http.StatusNotFound,
	models.ECONFLICT:      http.StatusConflict,
	models.EGONE:          http.StatusGone,
	models.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	models.EUNPROCESSABLE: http.StatusUnprocessableEntity,
	models.ERATELIMITED:   http.StatusTooManyRequests,
	models.EUNAVAILABLE:   http.StatusServiceUnavailable,
	models.EINTERNAL:      http.StatusInternalServerError,
}

// errorBody is the JSON shape of every 4xx and 5xx answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details"` // always present, {} when there is nothing to add
}

// MarshalJSON writes details as {} when there are none, so clients can
// rely on the shape {"error":{"code","message","details"}}.
func (d errorDetail) MarshalJSON() ([]byte, error) {
	type plain errorDetail
	if d.Details == nil {
		d.Details = struct{}{}
	}
	return json.Marshal(plain(d))
}

// fail answers with err in the error shape. Internal errors are logged with
// their cause and answered with a generic message.
func (s *Server) fail(c *gin.Context, err error) {
	code := models.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status, code = http.StatusInternalServerError, models.EINTERNAL
	}
	body := errorBody{Error: errorDetail{Code: code, Message: models.ErrorMessage(err)}}
	var e *models.Error
	if errors.As(err, &e) {
		body.Error.Details = e.Details
	}
	if status >= http.StatusInternalServerError {
		s.log.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		if code == models.EINTERNAL {
			body.Error.Message = "internal error"
			body.Error.Details = nil
		}
	}
	c.AbortWithStatusJSON(status, body)
}
