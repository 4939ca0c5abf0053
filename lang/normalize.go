package lang

import (
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns text in NFC, the form yizhi stores and compares.
//
// It never applies NFKC: NFKC turns the Mongolian suffix connector U+202F
// into a space, maps Chinese full-width punctuation to ASCII and maps the
// legacy Uyghur forms of ە to the wrong letter ه.
//
// For Uyghur and Kazakh in Arabic script (lang "ug", "kk-Arab" or any alias
// of them) it first replaces Arabic presentation forms (U+FB50–FDFF,
// U+FE70–FEFF), which legacy Uyghur software stored instead of letters,
// with the letters they show; see deshape. Other languages keep their
// presentation forms, as NFC does.
func Normalize(lang, text string) string {
	if isArabicTurkic(lang) {
		text = deshape(text)
	}
	return norm.NFC.String(text)
}

// isArabicTurkic reports whether lang is Uyghur or Arabic-script Kazakh.
func isArabicTurkic(lang string) bool {
	switch lang {
	case "ug", "kk-Arab":
		return true
	case "", "zh-Hans", "bo", "mn-Mong", "ii", "ko", "za", "en":
		return false
	}
	t, err := language.Parse(strings.ReplaceAll(lang, "_", "-"))
	if err != nil {
		return false
	}
	base, script, _ := t.Raw()
	switch base.String() {
	case "ug":
		return script.String() == "Zzzz" || script.String() == "Arab"
	case "kk":
		// Bare kk is Arabic script here, as in the registry.
		return script.String() == "Zzzz" || script.String() == "Arab"
	}
	return false
}

// Presentation-form blocks. A legacy Uyghur text shaped by its editor holds
// these instead of letters.
const (
	formsALo, formsAHi = 0xFB50, 0xFDFF // Arabic Presentation Forms-A
	formsBLo, formsBHi = 0xFE70, 0xFEFF // Arabic Presentation Forms-B
)

var (
	deshapeOnce sync.Once
	deshapeA    [formsAHi - formsALo + 1]string
	deshapeB    [formsBHi - formsBLo + 1]string
)

// uyghurOverrides are the forms whose Unicode compatibility mapping is the
// wrong letter for Uyghur and Kazakh. Legacy Uyghur fonts drew ە U+06D5 (the
// vowel e) with the isolated and final forms of heh, and ھ U+06BE (the
// consonant h, which never takes the final shape of ە) with the initial and
// medial forms of heh. NFKC maps all four to ه U+0647, a letter neither
// language uses.
var uyghurOverrides = map[rune]string{
	0xFEE9: "\u06D5", // heh isolated → ە
	0xFEEA: "\u06D5", // heh final → ە
	0xFEEB: "\u06BE", // heh initial → ھ
	0xFEEC: "\u06BE", // heh medial → ھ
	// ٷ's isolated form: NFKD would go on to split the letter itself
	// into ۇ + high hamza; one level is right.
	0xFBDD: "\u0677",
}

// buildDeshape fills the tables from the Unicode compatibility mappings,
// which are exactly "this shape of that letter" (<isolated>, <initial>,
// <medial>, <final>) for the forms of ئ ۈ ۇ ۆ ې ى ڭ ۋ ژ گ ك پ چ and the rest,
// and "these letters" for ligatures such as lam-alef FEFB/FEFC → ل ا.
// Code points with no compatibility mapping (U+FEFF, the ornate
// parentheses, unassigned ones) stay as they are.
func buildDeshape() {
	fill := func(dst []string, lo rune) {
		for i := range dst {
			r := lo + rune(i)
			if s, ok := uyghurOverrides[r]; ok {
				dst[i] = s
				continue
			}
			src := string(r)
			d := norm.NFKD.String(src)
			if d == src {
				continue
			}
			// The isolated forms of the vowel signs (FE70, FE72 …)
			// decompose to SPACE + mark. In running legacy text they
			// follow a letter, so the space would split the word.
			d = strings.TrimPrefix(d, " ")
			dst[i] = d
		}
	}
	fill(deshapeA[:], formsALo)
	fill(deshapeB[:], formsBLo)
}

// deshape replaces Arabic presentation forms with base letters (in NFKD
// order; Normalize composes them afterwards).
func deshape(s string) string {
	i := firstForm(s)
	if i < 0 {
		return s
	}
	deshapeOnce.Do(buildDeshape)
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := decodeRune(s, i)
		if rep, ok := deshapeRune(r); ok {
			b.WriteString(rep)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func deshapeRune(r rune) (string, bool) {
	var rep string
	switch {
	case formsALo <= r && r <= formsAHi:
		rep = deshapeA[r-formsALo]
	case formsBLo <= r && r <= formsBHi:
		rep = deshapeB[r-formsBLo]
	}
	return rep, rep != ""
}

// firstForm returns the byte index of the first presentation form in s, or
// -1. Every such rune is encoded as EF AD..B7 or EF B9..BB, so scanning for
// the lead byte 0xEF is enough to skip ordinary text quickly.
func firstForm(s string) int {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], 0xEF)
		if j < 0 {
			return -1
		}
		i += j
		r, n := utf8.DecodeRuneInString(s[i:])
		if (formsALo <= r && r <= formsAHi) || (formsBLo <= r && r <= formsBHi) {
			return i
		}
		i += n
	}
	return -1
}

// MatchKey returns the form of text used to compare or look up terms and
// translation memory: NFC, and for traditional Mongolian without the free
// variation selectors U+180B–180D, U+180F and the vowel separator U+180E,
// which choose a glyph but not a word. Never use it for storage.
func MatchKey(lang, text string) string {
	text = Normalize(lang, text)
	if !isMongolian(lang) {
		return text
	}
	return strings.Map(func(r rune) rune {
		if 0x180B <= r && r <= 0x180F {
			return -1
		}
		return r
	}, text)
}

func isMongolian(lang string) bool {
	switch lang {
	case "mn-Mong":
		return true
	case "", "zh-Hans", "bo", "ug", "kk-Arab", "ii", "ko", "za", "en":
		return false
	}
	t, err := language.Parse(strings.ReplaceAll(lang, "_", "-"))
	if err != nil {
		return false
	}
	base, script, _ := t.Raw()
	return base.String() == "mn" && (script.String() == "Zzzz" || script.String() == "Mong")
}
