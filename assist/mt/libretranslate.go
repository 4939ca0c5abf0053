package mt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// libreTranslate speaks the LibreTranslate API: POST {endpoint}/translate
// with JSON {q, source, target, format, api_key}. q may be an array, and
// then translatedText is an array in the same order, so a batch is one
// call. Errors are {"error": "..."} with an HTTP status.
type libreTranslate struct{ base }

type libreRequest struct {
	Q      any    `json:"q"` // a string, or an array for a batch
	Source string `json:"source"`
	Target string `json:"target"`
	Format string `json:"format"`
	APIKey string `json:"api_key,omitempty"`
}

type libreAnswer struct {
	TranslatedText json.RawMessage `json:"translatedText"`
	Error          string          `json:"error"`
}

func (e *libreTranslate) Translate(ctx context.Context, req Request) ([]string, error) {
	from, to, err := e.pairCodes(req)
	if err != nil {
		return nil, err
	}
	if len(req.Texts) == 0 {
		return nil, nil
	}
	// A single text goes as a plain string, which every LibreTranslate
	// version accepts; arrays need 1.3 or later.
	var q any = req.Texts
	if len(req.Texts) == 1 {
		q = req.Texts[0]
	}
	body, err := json.Marshal(libreRequest{Q: q, Source: from, Target: to, Format: "text", APIKey: e.apiKey})
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", e.name, ErrBadRequest, err)
	}
	status, data, err := e.post(ctx, "/translate", "application/json", body, nil)
	if err != nil {
		return nil, err
	}
	var ans libreAnswer
	jsonErr := json.Unmarshal(data, &ans)
	if status != http.StatusOK {
		msg := ans.Error
		if msg == "" {
			msg = string(data)
		}
		// LibreTranslate refuses a language it has no model for with
		// 400 "<code> is not supported"; that is the pair, not the text.
		if status == http.StatusBadRequest && strings.Contains(strings.ToLower(msg), "not supported") {
			return nil, fmt.Errorf("%s: HTTP 400: %s: %w", e.name, shorten(msg), ErrUnsupportedPair)
		}
		return nil, e.statusError(status, msg)
	}
	if jsonErr != nil {
		return nil, fmt.Errorf("%s: unreadable answer: %v", e.name, jsonErr)
	}
	if ans.Error != "" {
		return nil, fmt.Errorf("%s: %s", e.name, shorten(ans.Error))
	}
	if len(req.Texts) == 1 {
		var s string
		if err := json.Unmarshal(ans.TranslatedText, &s); err == nil {
			return []string{s}, nil
		}
	}
	var out []string
	if err := json.Unmarshal(ans.TranslatedText, &out); err != nil {
		return nil, fmt.Errorf("%s: translatedText is neither a string nor an array of strings: %s", e.name, shorten(string(ans.TranslatedText)))
	}
	if len(out) != len(req.Texts) {
		return nil, fmt.Errorf("%s: %d translations for %d texts", e.name, len(out), len(req.Texts))
	}
	return out, nil
}
