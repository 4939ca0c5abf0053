package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The interface speaks Chinese (the default) and English. Every string it
// shows is in messages/<code>.json, one flat object of key → message per
// locale, in x/text's printf syntax.
//
//go:embed messages/*.json
var messageFiles embed.FS

// locale is one interface language.
type locale struct {
	Code    string       // zh or en, as ?hl= and the cookie spell it
	Tag     language.Tag // for x/text
	HTML    string       // the lang attribute of the page
	printer *message.Printer
}

// T returns the message under key, formatted with args.
func (l *locale) T(key string, args ...any) string {
	return l.printer.Sprintf(key, args...)
}

// localeCodes lists the interface languages; the first is the default.
var localeCodes = []string{"zh", "en"}

var localeTags = map[string]language.Tag{
	"zh": language.SimplifiedChinese,
	"en": language.English,
}

var localeHTML = map[string]string{"zh": "zh-Hans", "en": "en"}

// loadLocales builds the x/text catalogue from the embedded files and one
// printer per interface language.
func loadLocales() (map[string]*locale, map[string]map[string]string, error) {
	b := catalog.NewBuilder(catalog.Fallback(localeTags[localeCodes[0]]))
	raw := map[string]map[string]string{}
	for _, code := range localeCodes {
		data, err := messageFiles.ReadFile("messages/" + code + ".json")
		if err != nil {
			return nil, nil, err
		}
		var msgs map[string]string
		if err := json.Unmarshal(data, &msgs); err != nil {
			return nil, nil, fmt.Errorf("messages/%s.json: %w", code, err)
		}
		raw[code] = msgs
		for key, msg := range msgs {
			if err := b.SetString(localeTags[code], key, msg); err != nil {
				return nil, nil, fmt.Errorf("messages/%s.json: %s: %w", code, key, err)
			}
		}
	}
	out := map[string]*locale{}
	for _, code := range localeCodes {
		out[code] = &locale{Code: code, Tag: localeTags[code], HTML: localeHTML[code],
			printer: message.NewPrinter(localeTags[code], message.Catalog(b))}
	}
	return out, raw, nil
}

// localeMatcher picks an interface language from Accept-Language for a
// visitor who has not chosen one.
var localeMatcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// pickLocale chooses the interface language: ?hl=, then the cookie a
// previous ?hl= left, then Accept-Language, then Chinese.
func pickLocale(r *http.Request) (code string, fromQuery bool) {
	if hl := r.URL.Query().Get("hl"); localeTags[hl] != (language.Tag{}) {
		return hl, true
	}
	if c, err := r.Cookie(localeCookie); err == nil && localeTags[c.Value] != (language.Tag{}) {
		return c.Value, false
	}
	if accept := r.Header.Get("Accept-Language"); accept != "" {
		tags, _, err := language.ParseAcceptLanguage(accept)
		if err == nil && len(tags) > 0 {
			_, i, conf := localeMatcher.Match(tags...)
			if conf != language.No {
				return localeCodes[i], false
			}
		}
	}
	return localeCodes[0], false
}

// clientMessages are the catalogue entries the page scripts need; they are
// handed over as JSON so that no interface string lives in JavaScript.
var clientMessages = []string{
	"js.saving", "js.saved", "js.save_failed", "js.unsaved", "js.due_in", "js.overdue_by",
	"js.no_issues", "js.days_hours", "js.hours_minutes", "js.minutes",
}

func (l *locale) clientCatalogue() map[string]string {
	out := make(map[string]string, len(clientMessages))
	for _, k := range clientMessages {
		out[k] = l.T(k)
	}
	return out
}
