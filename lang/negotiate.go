package lang

import (
	"strings"

	"golang.org/x/text/language"
)

// maxMatchers bounds the matcher cache. Sets of available versions are
// subsets of a couple of dozen tags in practice; the bound only guards
// against a caller that feeds arbitrary sets.
const maxMatchers = 512

// matcher is an x/text Matcher together with what each of its supported
// entries stands for. x/text reports a match by index and by a tag that may
// carry a -u-rg- extension (ug-CN → "ug-u-rg-cnzzzz"); we only trust the
// index.
type matcher struct {
	m      language.Matcher
	result []string // supported index → entry of available to return
}

// Negotiate picks which available version to serve.
//
// explicit (a ?lang= value) wins when it names an available version. Else
// acceptLanguage is matched against available with x/text's matcher, which
// honours q-values (q=0 excludes a language). A match of confidence No is
// no match at all — x/text would offer Tibetan to a Dzongkha reader — so the
// result is then fallback, normally the source zh-Hans, with matched false.
//
// Bare "mn" and "kk" reach mn-Mong and kk-Arab: the matcher reads them as
// Cyrillic, so aliases that point at the same version are added. A reader of
// Cyrillic Mongolian thus gets the traditional script; the response's
// language tag says which script it is.
//
// available are tags of versions that exist; the result is always one of
// them, spelled as given. When fallback is needed but not available, or
// available is empty, Negotiate returns "" and false.
func (r *Registry) Negotiate(acceptLanguage, explicit string, available []string, fallback string) (tag string, matched bool) {
	if len(available) == 0 {
		return "", false
	}
	if explicit != "" {
		if want, err := r.Canonicalize(explicit); err == nil {
			for _, a := range available {
				if r.canonicalOrSelf(a) == want {
					return a, true
				}
			}
		}
	}
	fb := ""
	for _, a := range available {
		if a == fallback {
			fb = a
			break
		}
	}
	if strings.TrimSpace(acceptLanguage) == "" {
		return fb, false
	}
	desired, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(desired) == 0 {
		return fb, false
	}
	m := r.matcherFor(available)
	if m == nil {
		return fb, false
	}
	_, i, conf := m.m.Match(desired...)
	if conf == language.No || i < 0 || i >= len(m.result) {
		return fb, false
	}
	return m.result[i], true
}

// canonicalOrSelf canonicalizes a tag of available, leaving tags the
// registry does not know as they are so they can still be matched exactly.
func (r *Registry) canonicalOrSelf(tag string) string {
	if c, err := r.Canonicalize(tag); err == nil {
		return c
	}
	return tag
}

func (r *Registry) matcherFor(available []string) *matcher {
	key := strings.Join(available, "\x00")
	if m, ok := r.matchers.Load(key); ok {
		return m.(*matcher)
	}
	m := r.newMatcher(available)
	if m != nil && r.nMatch.Load() < maxMatchers {
		if _, loaded := r.matchers.LoadOrStore(key, m); !loaded {
			r.nMatch.Add(1) // racing stores may pass the bound by a few
		}
	}
	return m
}

func (r *Registry) newMatcher(available []string) *matcher {
	var (
		tags   []language.Tag
		result []string
		seen   = map[string]bool{}
	)
	add := func(t language.Tag, a string) {
		if s := t.String(); !seen[s] {
			seen[s] = true
			tags = append(tags, t)
			result = append(result, a)
		}
	}
	for _, a := range available {
		canon := r.canonicalOrSelf(a)
		t, err := language.Parse(canon)
		if err != nil {
			continue // not a tag at all: it can only be chosen by ?lang=
		}
		add(t, a)
	}
	// Aliases go after every real version so that a real "mn" or "kk"
	// version, should one ever exist, keeps its own entry.
	for _, a := range available {
		switch r.canonicalOrSelf(a) {
		case "mn-Mong":
			add(language.Make("mn"), a)
		case "kk-Arab":
			add(language.Make("kk"), a)
		}
	}
	if len(tags) == 0 {
		return nil
	}
	return &matcher{m: language.NewMatcher(tags), result: result}
}
