// Package mt talks to machine-translation engines in their own protocols
// (NiuTrans, LibreTranslate, OpenAI-compatible chat completions, DeepL),
// reads their configuration, and routes each language pair through a
// fallback chain of engines.
//
// MT output is only a draft for a human translator, so the Router is
// strict about what it offers: every answer is NFC-normalized and
// script-checked, and an answer in the wrong script (Cyrillic Mongolian
// for mn-Mong, the Chinese source copied back) is refused rather than
// shown. Errors say whether retrying can help (IsPermanent), so the
// machine-assist activity can hand them to Temporal's retry policy.
package mt

import (
	"context"
	"errors"
)

// Engine speaks one MT service's real protocol. Implementations are safe
// for concurrent use.
type Engine interface {
	// Name is the configured name, e.g. "niutrans", "hunyuan".
	Name() string
	// MaxBatch is how many segments one Translate call takes; 1 if the
	// engine takes one text per HTTP call.
	MaxBatch() int
	// Supports reports whether the engine has a code for both canonical
	// BCP 47 tags (as lang.Registry.Canonicalize returns them).
	Supports(source, target string) bool
	// Translate returns exactly one answer per text, in order, or an
	// error. It makes as few HTTP calls as the protocol allows.
	Translate(ctx context.Context, req Request) ([]string, error)
}

// Request is one batch for one engine.
type Request struct {
	Source, Target string // canonical BCP 47 tags
	Texts          []string
	Glossary       []Term // approved renderings; engines that take a prompt inject them
}

// Term is one approved glossary rendering.
type Term struct {
	Source, Target string
}

// Failures that retrying cannot fix. Temporal must not retry an activity
// on them (mark them non-retryable), and the Router stops asking the
// engine that returned them. Everything else an engine returns (timeouts,
// 5xx, 429, connection errors) is transient.
var (
	ErrUnsupportedPair = errors.New("mt: language pair not supported by the engine")
	ErrAuth            = errors.New("mt: engine rejected the credentials")
	ErrBadRequest      = errors.New("mt: engine rejected the request")
	// ErrQuota is a used-up character quota or balance (DeepL 456). It
	// lasts until someone pays or the month turns, far beyond any retry.
	ErrQuota = errors.New("mt: engine quota exhausted")
)

// IsPermanent reports whether err, or any error it wraps or joins, is one
// that retrying cannot fix.
func IsPermanent(err error) bool {
	return errors.Is(err, ErrUnsupportedPair) || errors.Is(err, ErrAuth) ||
		errors.Is(err, ErrBadRequest) || errors.Is(err, ErrQuota)
}

// fatalForEngine reports errors after which asking the same engine again
// in the same call is pointless: a bad key or a pair it lacks fails every
// batch alike. ErrBadRequest is not among them, because it may concern one
// text only (too long, refused by a content filter).
func fatalForEngine(err error) bool {
	return errors.Is(err, ErrUnsupportedPair) || errors.Is(err, ErrAuth) || errors.Is(err, ErrQuota)
}
