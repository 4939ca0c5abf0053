package lang

import (
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"yizhi/models"
)

// SourceTag is the language courts write in.
const SourceTag = models.SourceLang

// Writing directions and modes, as CSS names them, so a portal can put them
// straight into dir= and writing-mode:.
const (
	DirLTR = "ltr"
	DirRTL = "rtl"

	HorizontalTB = "horizontal-tb"
	VerticalLR   = "vertical-lr"
)

// Language is one registry entry.
type Language struct {
	Tag         string   `json:"tag"`          // canonical BCP 47
	Script      string   `json:"script"`       // ISO 15924
	Dir         string   `json:"dir"`          // "ltr" | "rtl", from the tag, never from detection
	WritingMode string   `json:"writing_mode"` // "horizontal-tb" | "vertical-lr"
	Autonym     string   `json:"autonym"`
	NameZH      string   `json:"name_zh"`
	NameEN      string   `json:"name_en"`
	Minority    bool     `json:"minority"` // one of the seven ethnic languages
	MT          []string `json:"mt"`       // filled from configuration by callers
}

// minorities are the seven languages of China's ethnic-language translation
// work. Names are hard-coded: x/text has no autonym for mn-Mong, kk-Arab and
// za, calls Korean 韩语 where Chinese courts say 朝鲜语, and calls Nuosu
// 四川彝语.
var minorities = []Language{
	{Tag: "mn-Mong", Script: "Mong", Dir: DirLTR, WritingMode: VerticalLR,
		Autonym: "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", NameZH: "蒙古语（传统蒙古文）", NameEN: "Mongolian (traditional script)"},
	{Tag: "bo", Script: "Tibt", Dir: DirLTR, WritingMode: HorizontalTB,
		Autonym: "བོད་སྐད་", NameZH: "藏语", NameEN: "Tibetan"},
	{Tag: "ug", Script: "Arab", Dir: DirRTL, WritingMode: HorizontalTB,
		Autonym: "ئۇيغۇرچە", NameZH: "维吾尔语", NameEN: "Uyghur"},
	{Tag: "kk-Arab", Script: "Arab", Dir: DirRTL, WritingMode: HorizontalTB,
		Autonym: "قازاق ٴتىلى", NameZH: "哈萨克语", NameEN: "Kazakh (Arabic script)"},
	// Chinese Koreans write Hangul only, and the script check holds
	// them to it, so the script is Hang rather than Kore (Hangul + Han).
	{Tag: "ko", Script: "Hang", Dir: DirLTR, WritingMode: HorizontalTB,
		Autonym: "조선어", NameZH: "朝鲜语", NameEN: "Korean"},
	{Tag: "ii", Script: "Yiii", Dir: DirLTR, WritingMode: HorizontalTB,
		Autonym: "ꆈꌠꉙ", NameZH: "彝语", NameEN: "Yi (Nuosu)"},
	{Tag: "za", Script: "Latn", Dir: DirLTR, WritingMode: HorizontalTB,
		Autonym: "Vahcuengh", NameZH: "壮语", NameEN: "Zhuang"},
}

// foreign are the languages courts publish foreign-language versions in,
// in the order the registry lists them. Their names come from x/text.
var foreign = []string{"en", "fr", "ru", "ar", "es", "ja", "pt", "de", "vi", "lo", "my", "th", "ky"}

// Registry holds the supported languages. Make one with NewRegistry; it
// does not change afterwards and is safe for concurrent use.
type Registry struct {
	all    []Language // targets in display order
	source Language
	byTag  map[string]int // canonical tag → index in all; source is -1

	// matchers caches one x/text Matcher per set of available versions;
	// building one takes longer than matching.
	matchers sync.Map // string → *matcher
	nMatch   atomic.Int32
}

// NewRegistry returns the seven minority languages, the foreign languages
// and the source zh-Hans.
func NewRegistry() *Registry {
	r := &Registry{byTag: make(map[string]int)}
	for _, l := range minorities {
		l.Minority = true
		r.add(l)
	}
	for _, tag := range foreign {
		r.add(fromXText(tag))
	}
	r.source = fromXText(SourceTag)
	r.byTag[SourceTag] = -1
	return r
}

func (r *Registry) add(l Language) {
	r.byTag[l.Tag] = len(r.all)
	r.all = append(r.all, l)
}

func fromXText(tag string) Language {
	t := language.MustParse(tag)
	s, _ := t.Script()
	l := Language{
		Tag:         tag,
		Script:      s.String(),
		Dir:         DirLTR,
		WritingMode: HorizontalTB,
		Autonym:     display.Self.Name(t),
		NameZH:      display.Chinese.Languages().Name(t),
		NameEN:      display.English.Languages().Name(t),
	}
	if s.String() == "Arab" {
		l.Dir = DirRTL
	}
	return l
}

// All returns the target languages: the minority languages first
// (mn-Mong bo ug kk-Arab ko ii za), then the foreign ones. The source is not
// a target and is not listed. The caller may modify the result.
func (r *Registry) All() []Language {
	out := make([]Language, len(r.all))
	copy(out, r.all)
	return out
}

// Lookup returns the entry for a canonical tag, the source zh-Hans included.
// Use Canonicalize first for tags from outside.
func (r *Registry) Lookup(tag string) (Language, bool) {
	i, ok := r.byTag[tag]
	switch {
	case !ok:
		return Language{}, false
	case i < 0:
		return r.source, true
	}
	return r.all[i], true
}

// Source returns the entry of the source language, zh-Hans.
func (r *Registry) Source() Language { return r.source }

// Supported returns the canonical target tags in registry order.
func (r *Registry) Supported() []string {
	out := make([]string, len(r.all))
	for i, l := range r.all {
		out[i] = l.Tag
	}
	return out
}

// Canonicalize maps any valid spelling of a supported language to its
// canonical tag: ISO 639-2 codes (tib, bod, uig, mon, kor, iii, zha, chi,
// zho, eng …), region subtags (bo-CN, ko-KR, en-GB), redundant scripts
// (ug-Arab, za-Latn), underscores and any letter case. Bare "mn" and "kk"
// mean the traditional and Arabic scripts here, because those are the only
// ones we publish; an explicit other script (mn-Cyrl, kk-Cyrl) is refused.
//
// The error is a *models.Error with code EINVALID that names the input and
// lists the supported tags in Details["supported"].
func (r *Registry) Canonicalize(tag string) (string, error) {
	if canon, ok := r.fastCanonical(tag); ok {
		return canon, nil
	}
	raw := strings.ReplaceAll(strings.TrimSpace(tag), "_", "-")
	t, err := language.Parse(raw)
	if err != nil || raw == "" {
		return "", r.invalid("language tag %q is not well-formed BCP 47", tag)
	}
	if canon, ok := r.canonical(t); ok {
		return canon, nil
	}
	return "", r.invalid("language %q is not supported", tag)
}

// fastCanonical accepts the canonical tags themselves without parsing: they
// are by far the most common input, from our own database and clients.
func (r *Registry) fastCanonical(tag string) (string, bool) {
	if _, ok := r.byTag[tag]; ok {
		return tag, true
	}
	return "", false
}

func (r *Registry) invalid(format, tag string) error {
	supported := append(r.Supported(), SourceTag)
	return models.Errorf(models.EINVALID, format, tag).
		WithDetails(map[string]any{"supported": supported})
}

// canonical maps a parsed tag to a registry tag. Only the language, an
// explicit script and, for Chinese, the region matter; variants and
// extensions (-u-rg-…, -x-…) say nothing about which version to serve.
func (r *Registry) canonical(t language.Tag) (string, bool) {
	base, script, region := t.Raw()
	b, s := base.String(), script.String()
	explicit := s != "Zzzz"
	only := func(canon string, scripts ...string) (string, bool) {
		if !explicit {
			return canon, true
		}
		for _, ok := range scripts {
			if s == ok {
				return canon, true
			}
		}
		return "", false
	}
	switch b {
	case "mn":
		return only("mn-Mong", "Mong")
	case "kk":
		return only("kk-Arab", "Arab")
	case "bo":
		return only("bo", "Tibt")
	case "ug":
		return only("ug", "Arab")
	case "ko":
		return only("ko", "Kore", "Hang")
	case "ii":
		return only("ii", "Yiii")
	case "za":
		return only("za", "Latn")
	case "zh", "cmn":
		if explicit {
			return only(SourceTag, "Hans")
		}
		// Without a script, the region decides: zh-TW, zh-HK and
		// zh-MO are Traditional Chinese, which we do not publish.
		switch region.String() {
		case "TW", "HK", "MO":
			return "", false
		}
		return SourceTag, true
	}
	if _, ok := r.byTag[b]; !ok || b == "" {
		return "", false
	}
	// A foreign language in a script other than its usual one (sr-Latn
	// style, ru-Latn, ja-Latn) is a different publication.
	likely, _ := language.Make(b).Script()
	return only(b, likely.String())
}
