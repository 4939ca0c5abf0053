package models

import (
	"errors"
	"fmt"
)

// Error codes form the project's one error vocabulary. Each layer returns
// *Error values; the HTTP layer maps a code to a status in exactly one place
// (api/errors.go) and the workflow layer carries the code as the Temporal
// ApplicationError type, so a rejection keeps its meaning across the wire.
const (
	EINVALID       = "invalid"       // malformed or missing input
	EUNAUTHORIZED  = "unauthorized"  // no or unknown credentials
	EFORBIDDEN     = "forbidden"     // authenticated but not allowed
	ENOTFOUND      = "not_found"     // no such resource
	ECONFLICT      = "conflict"      // the resource is in another state
	EGONE          = "gone"          // the resource existed and was withdrawn
	ETOOLARGE      = "too_large"     // a request body over the limit
	EUNPROCESSABLE = "unprocessable" // well-formed but refused, e.g. blocking QA issues
	ERATELIMITED   = "rate_limited"  // too many requests
	EUNAVAILABLE   = "unavailable"   // a dependency (DB, Temporal) is down
	EINTERNAL      = "internal"      // a bug or an unexpected failure
)

// Error is the error type every package returns for failures a caller can act
// on. Message is safe to show to a client; internal causes are wrapped in Err
// and never leave the process.
type Error struct {
	Code    string
	Message string
	Details any
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted client-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithDetails returns a copy of e that carries structured details for the
// client, such as the list of missing fields or blocking QA issues.
func (e *Error) WithDetails(details any) *Error {
	c := *e
	c.Details = details
	return &c
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err. Errors that are not
// *Error are internal and get a generic message so nothing leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
