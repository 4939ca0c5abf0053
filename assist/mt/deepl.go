package mt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// deepl speaks the DeepL API: POST {endpoint}/v2/translate with
// "Authorization: DeepL-Auth-Key KEY" and JSON {text: [...], source_lang,
// target_lang}. Up to 50 texts go in one request. 403 is a bad key, 456 a
// used-up quota, 429 and 5xx are worth retrying. The endpoint is
// https://api.deepl.com for Pro keys and https://api-free.deepl.com for
// Free keys (those ending in ":fx").
type deepl struct{ base }

// deeplMaxBytes keeps a request under DeepL's 128 KiB limit on the whole
// request, with room for the JSON around the texts.
const deeplMaxBytes = 100 << 10

type deeplRequest struct {
	Text       []string `json:"text"`
	SourceLang string   `json:"source_lang"`
	TargetLang string   `json:"target_lang"`
}

type deeplAnswer struct {
	Translations []struct {
		DetectedSourceLanguage string `json:"detected_source_language"`
		Text                   string `json:"text"`
	} `json:"translations"`
	Message string `json:"message"`
}

func (e *deepl) Translate(ctx context.Context, req Request) ([]string, error) {
	from, to, err := e.pairCodes(req)
	if err != nil {
		return nil, err
	}
	// source_lang takes no variant: ZH-HANS, EN-GB and PT-PT are target
	// codes only.
	from, _, _ = strings.Cut(from, "-")
	out := make([]string, 0, len(req.Texts))
	for _, c := range chunks(req.Texts, deeplMaxTexts, deeplMaxBytes) {
		got, err := e.call(ctx, from, to, req.Texts[c[0]:c[1]])
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func (e *deepl) call(ctx context.Context, from, to string, texts []string) ([]string, error) {
	body, err := json.Marshal(deeplRequest{Text: texts, SourceLang: from, TargetLang: to})
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", e.name, ErrBadRequest, err)
	}
	h := http.Header{}
	h.Set("Authorization", "DeepL-Auth-Key "+e.apiKey)
	status, data, err := e.post(ctx, "/v2/translate", "application/json", body, h)
	if err != nil {
		return nil, err
	}
	var ans deeplAnswer
	jsonErr := json.Unmarshal(data, &ans)
	if status != http.StatusOK {
		msg := ans.Message
		if msg == "" {
			msg = string(data)
		}
		// DeepL answers 400 "Value for 'target_lang' not supported." for
		// a language it lacks.
		if status == http.StatusBadRequest && strings.Contains(strings.ToLower(msg), "not supported") {
			return nil, fmt.Errorf("%s: HTTP 400: %s: %w", e.name, shorten(msg), ErrUnsupportedPair)
		}
		return nil, e.statusError(status, msg)
	}
	if jsonErr != nil {
		return nil, fmt.Errorf("%s: unreadable answer: %v", e.name, jsonErr)
	}
	if len(ans.Translations) != len(texts) {
		return nil, fmt.Errorf("%s: %d translations for %d texts", e.name, len(ans.Translations), len(texts))
	}
	out := make([]string, len(texts))
	for i, t := range ans.Translations {
		out[i] = t.Text
	}
	return out, nil
}
