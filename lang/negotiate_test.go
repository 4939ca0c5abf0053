package lang

import (
	"fmt"
	"sync"
	"testing"

	"golang.org/x/text/language"
)

func TestNegotiate(t *testing.T) {
	r := NewRegistry()
	all := []string{"zh-Hans", "mn-Mong", "bo", "ug", "kk-Arab", "ko", "ii", "za", "en", "fr", "ar"}
	tests := []struct {
		name, accept, explicit string
		available              []string
		wantTag                string
		wantMatch              bool
	}{
		{"bare mn reaches traditional Mongolian", "mn", "", []string{"zh-Hans", "mn-Mong"}, "mn-Mong", true},
		{"bare kk reaches Arabic-script Kazakh", "kk", "", []string{"zh-Hans", "kk-Arab"}, "kk-Arab", true},
		{"mn-CN", "mn-CN", "", []string{"zh-Hans", "mn-Mong"}, "mn-Mong", true},
		{"kk-CN", "kk-CN", "", []string{"zh-Hans", "kk-Arab"}, "kk-Arab", true},
		{"Cyrillic Mongolian reader gets traditional", "mn-MN", "", []string{"zh-Hans", "mn-Mong"}, "mn-Mong", true},
		{"ug-CN returns the tag, not ug-u-rg-cnzzzz", "ug-CN", "", all, "ug", true},
		{"ko-KR", "ko-KR,ko;q=0.9", "", all, "ko", true},
		{"dz must not get bo", "dz", "", []string{"zh-Hans", "bo"}, "zh-Hans", false},
		{"ar must not get kk-Arab", "ar", "", []string{"zh-Hans", "kk-Arab", "ug"}, "zh-Hans", false},
		{"fr must not get za", "fr", "", []string{"zh-Hans", "za"}, "zh-Hans", false},
		{"unrelated language falls back", "ja", "", all, "zh-Hans", false},
		{"q-values order", "fr;q=0.2, bo;q=0.9, en;q=0.5", "", all, "bo", true},
		{"q=0 excludes", "bo;q=0, en;q=0.1", "", all, "en", true},
		{"q=0 only", "bo;q=0", "", all, "zh-Hans", false},
		{"second choice when first missing", "dz, bo;q=0.5", "", []string{"zh-Hans", "bo"}, "bo", true},
		{"Chinese reader gets the source", "zh-CN,zh;q=0.9,en;q=0.8", "", all, "zh-Hans", true},
		{"explicit wins over header", "en", "bo", all, "bo", true},
		{"explicit alias", "", "tib", all, "bo", true},
		{"explicit bare mn", "", "mn", all, "mn-Mong", true},
		{"explicit unavailable falls to header", "en", "ii", []string{"zh-Hans", "en"}, "en", true},
		{"explicit invalid falls to header", "ug", "!!", all, "ug", true},
		{"explicit source", "bo", "zh-Hans", all, "zh-Hans", true},
		{"no header", "", "", all, "zh-Hans", false},
		{"malformed header", "@@@;;q=", "", all, "zh-Hans", false},
		{"wildcard", "*", "", all, "zh-Hans", false},
		{"regional English", "en-GB", "", all, "en", true},
		{"fallback not available", "ja", "", []string{"bo", "en"}, "", false},
		{"nothing available", "bo", "bo", nil, "", false},
		{"available spelled non-canonically", "ug", "", []string{"zh-Hans", "ug-CN"}, "ug-CN", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tag, matched := r.Negotiate(tt.accept, tt.explicit, tt.available, "zh-Hans")
			if tag != tt.wantTag || matched != tt.wantMatch {
				t.Errorf("Negotiate(%q, %q, %v) = %q, %v; want %q, %v",
					tt.accept, tt.explicit, tt.available, tag, matched, tt.wantTag, tt.wantMatch)
			}
		})
	}
}

// TestNegotiateXTextPitfalls shows the x/text behaviour Negotiate corrects,
// so a change in x/text shows up here first.
func TestNegotiateXTextPitfalls(t *testing.T) {
	m := language.NewMatcher([]language.Tag{language.MustParse("zh-Hans"), language.MustParse("mn-Mong"), language.MustParse("bo"), language.MustParse("ug")})
	if _, _, c := m.Match(language.MustParse("mn")); c != language.No {
		t.Logf("x/text now matches bare mn to mn-Mong with %v", c)
	}
	tag, idx, c := m.Match(language.MustParse("dz"))
	if c != language.No || idx != 2 {
		t.Logf("x/text dz → %v %d %v (was bo at No)", tag, idx, c)
	}
	tag, idx, _ = m.Match(language.MustParse("ug-CN"))
	if tag.String() == "ug" || idx != 3 {
		t.Logf("x/text ug-CN → %v %d (was ug-u-rg-cnzzzz)", tag, idx)
	}
	r := NewRegistry()
	if got, _ := r.Negotiate("dz", "", []string{"zh-Hans", "mn-Mong", "bo", "ug"}, "zh-Hans"); got != "zh-Hans" {
		t.Errorf("dz → %q", got)
	}
	if got, _ := r.Negotiate("ug-CN", "", []string{"zh-Hans", "mn-Mong", "bo", "ug"}, "zh-Hans"); got != "ug" {
		t.Errorf("ug-CN → %q", got)
	}
}

func TestNegotiateConcurrent(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				avail := []string{"zh-Hans", "bo", fmt.Sprintf("ug-x-v%d", i%20)}
				tag, _ := r.Negotiate("bo;q=0.5, ug", "", avail, "zh-Hans")
				if tag != avail[2] && tag != "bo" {
					t.Errorf("got %q from %v", tag, avail)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

// TestNegotiateCacheBound: arbitrary sets do not grow the cache without
// limit, and results stay right past the bound.
func TestNegotiateCacheBound(t *testing.T) {
	r := NewRegistry()
	for i := 0; i < maxMatchers+50; i++ {
		avail := []string{"zh-Hans", fmt.Sprintf("en-x-v%d", i)}
		if tag, ok := r.Negotiate("en", "", avail, "zh-Hans"); tag != avail[1] || !ok {
			t.Fatalf("%d: got %q, %v", i, tag, ok)
		}
	}
	n := 0
	r.matchers.Range(func(_, _ any) bool { n++; return true })
	if n > maxMatchers+8 {
		t.Errorf("cache holds %d matchers, bound is %d", n, maxMatchers)
	}
}
