package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"yizhi/models"
)

// limitBody refuses bodies over the limit before any handler reads them:
// at once when Content-Length says so, otherwise when the reader runs over.
func limitBody(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			c.Header("Connection", "close")
			tooLarge(c, limit)
			return
		}
		// Most requests are reads without a body (net/http gives them
		// NoBody); they need no limit, and portal reads are most of them.
		if c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

func tooLarge(c *gin.Context, limit int64) {
	c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, errorBody{Error: errorDetail{
		Code:    models.ETOOLARGE,
		Message: "request body is too large",
		Details: map[string]int64{"limit_bytes": limit},
	}})
}

// readBody reads the whole request body, mapping an over-limit body to
// ETOOLARGE.
func readBody(c *gin.Context) ([]byte, error) {
	data, err := io.ReadAll(c.Request.Body)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return nil, &models.Error{Code: models.ETOOLARGE, Message: "request body is too large",
			Details: map[string]int64{"limit_bytes": maxErr.Limit}}
	}
	if err != nil {
		return nil, models.Errorf(models.EINVALID, "could not read the request body")
	}
	return data, nil
}

// decodeJSON reads a JSON body strictly: it must be UTF-8 (encoding/json
// would silently turn bad bytes into U+FFFD), hold exactly one object, and
// name no unknown field.
func decodeJSON(c *gin.Context, dst any) error {
	data, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return models.Errorf(models.EINVALID, "request body is empty; expected a JSON object")
	}
	if !utf8.Valid(data) {
		return models.Errorf(models.EINVALID, "request body is not valid UTF-8").
			WithDetails(map[string]int{"offset": invalidUTF8Offset(data)})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return models.Errorf(models.EINVALID, "request body holds more than one JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return models.Errorf(models.EINVALID, "malformed JSON at byte %d", syntax.Offset).
			WithDetails(map[string]int64{"offset": syntax.Offset})
	case errors.As(err, &typeErr):
		return models.Errorf(models.EINVALID, "field %q must be %s", typeErr.Field, typeErr.Type.String()).
			WithDetails(map[string]string{"field": typeErr.Field})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return models.Errorf(models.EINVALID, "malformed JSON: unexpected end of body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return models.Errorf(models.EINVALID, "unknown field %q", field).
			WithDetails(map[string]string{"field": field})
	}
	return models.Errorf(models.EINVALID, "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// missingFields builds the EINVALID error for absent required fields.
// field is a named request value for requireFields.
type field struct{ name, value string }

// requireFields reports, all at once, the fields that are empty or blank.
func requireFields(fields ...field) error {
	var missing []string
	for _, f := range fields {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if missing != nil {
		return missingFields(missing)
	}
	return nil
}

func missingFields(names []string) error {
	return models.Errorf(models.EINVALID, "missing required fields: %s", strings.Join(names, ", ")).
		WithDetails(map[string][]string{"missing": names})
}
