package lang

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// script is the writing system of a character, reduced to the ones the QA
// checks and the segmenter tell apart.
type script uint8

const (
	scNone script = iota // Common, Inherited and everything not listed
	scLatin
	scCyrillic
	scGreek
	scArabic
	scTibetan
	scMongolian
	scHan
	scHangul
	scYi
	scHiragana
	scKatakana
	scThai
	scLao
	scMyanmar
	scOther // a script of its own that we do not name
	numScripts
)

var scriptNames = [numScripts]string{
	scNone: "Zyyy", scLatin: "Latn", scCyrillic: "Cyrl", scGreek: "Grek",
	scArabic: "Arab", scTibetan: "Tibt", scMongolian: "Mong", scHan: "Hani",
	scHangul: "Hang", scYi: "Yiii", scHiragana: "Hira", scKatakana: "Kana",
	scThai: "Thai", scLao: "Laoo", scMyanmar: "Mymr", scOther: "Zzzz",
}

// scriptNamesZH names scripts in QA messages.
var scriptNamesZH = [numScripts]string{
	scNone: "通用字符", scLatin: "拉丁字母", scCyrillic: "西里尔字母", scGreek: "希腊字母",
	scArabic: "阿拉伯字母", scTibetan: "藏文", scMongolian: "蒙古文", scHan: "汉字",
	scHangul: "朝鲜文", scYi: "彝文", scHiragana: "平假名", scKatakana: "片假名",
	scThai: "泰文", scLao: "老挝文", scMyanmar: "缅甸文", scOther: "其他文字",
}

var scriptNamesEN = [numScripts]string{
	scNone: "common", scLatin: "Latin", scCyrillic: "Cyrillic", scGreek: "Greek",
	scArabic: "Arabic", scTibetan: "Tibetan", scMongolian: "Mongolian", scHan: "Han",
	scHangul: "Hangul", scYi: "Yi", scHiragana: "Hiragana", scKatakana: "Katakana",
	scThai: "Thai", scLao: "Lao", scMyanmar: "Myanmar", scOther: "other",
}

// class packs a character's script and general-category bits into one
// table entry, so the hot loops classify a rune with one load instead of a
// dozen binary searches through unicode range tables.
type class uint16

const (
	scriptMask class = 0x1f
	cLetter    class = 1 << (4 + iota) // iota is 1 here: bits 5 to 15
	cMark
	cDigit  // Nd: has a decimal value
	cNumber // Nl, No
	cPunct
	cSymbol
	cSpace // our whitespace set; never U+202F, see isSpace
	cControl
	cFormat
	cUpper
	cLower
)

func (c class) script() script { return script(c & scriptMask) }

// countable reports whether the character belongs to a particular writing
// system: a letter, or a mark of a named script (Tibetan subjoined letters
// and Arabic vowel signs are marks). Digits, punctuation and inherited
// combining marks are neutral.
func (c class) countable() bool {
	s := c.script()
	return c&(cLetter|cMark) != 0 && s != scNone
}

var (
	bmpOnce  sync.Once
	bmpTable *[0x10000]class
)

// classOf classifies r. The BMP table is built on first use (about half a
// millisecond) rather than at init, so binaries that never run QA or
// segmentation do not pay for it.
func classOf(r rune) class {
	if r < 0x80 {
		return asciiClass[r]
	}
	if r < 0x10000 {
		bmpOnce.Do(buildBMP)
		return bmpTable[r]
	}
	return slowClass(r)
}

var asciiClass = func() (t [0x80]class) {
	for r := rune(0); r < 0x80; r++ {
		t[r] = slowClass(r)
	}
	return t
}()

var scriptTables = []struct {
	s script
	t *unicode.RangeTable
}{
	{scLatin, unicode.Latin}, {scCyrillic, unicode.Cyrillic}, {scGreek, unicode.Greek},
	{scArabic, unicode.Arabic}, {scTibetan, unicode.Tibetan}, {scMongolian, unicode.Mongolian},
	{scHan, unicode.Han}, {scHangul, unicode.Hangul}, {scYi, unicode.Yi},
	{scHiragana, unicode.Hiragana}, {scKatakana, unicode.Katakana}, {scThai, unicode.Thai},
	{scLao, unicode.Lao}, {scMyanmar, unicode.Myanmar},
}

var categoryTables = []struct {
	c class
	t *unicode.RangeTable
}{
	{cLetter, unicode.L}, {cMark, unicode.M}, {cDigit, unicode.Nd},
	{cNumber, unicode.Nl}, {cNumber, unicode.No}, {cPunct, unicode.P},
	{cSymbol, unicode.S}, {cControl, unicode.Cc}, {cFormat, unicode.Cf},
	{cUpper, unicode.Lu}, {cUpper, unicode.Lt}, {cLower, unicode.Ll},
}

func buildBMP() {
	t := new([0x10000]class)
	for _, st := range scriptTables {
		eachBMP(st.t, func(r rune) { t[r] = t[r]&^scriptMask | class(st.s) })
	}
	// Letters of scripts we do not name still count as "some other
	// script", so a Georgian or Devanagari answer is caught too.
	eachBMP(unicode.L, func(r rune) {
		if t[r]&scriptMask == 0 && !unicode.Is(unicode.Common, r) {
			t[r] |= class(scOther)
		}
	})
	for _, ct := range categoryTables {
		eachBMP(ct.t, func(r rune) { t[r] |= ct.c })
	}
	for r := range t {
		if isSpace(rune(r)) {
			t[r] |= cSpace
		}
	}
	bmpTable = t
}

func eachBMP(rt *unicode.RangeTable, fn func(rune)) {
	for _, r16 := range rt.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			fn(r)
		}
	}
}

func slowClass(r rune) class {
	var c class
	for _, st := range scriptTables {
		if unicode.Is(st.t, r) {
			c = class(st.s)
			break
		}
	}
	for _, ct := range categoryTables {
		if unicode.Is(ct.t, r) {
			c |= ct.c
		}
	}
	if c&scriptMask == 0 && c&cLetter != 0 && !unicode.Is(unicode.Common, r) {
		c |= class(scOther)
	}
	if isSpace(r) {
		c |= cSpace
	}
	return c
}

// isSpace is the whitespace that separates words and sentences. It is
// unicode.IsSpace without U+202F NARROW NO-BREAK SPACE: in traditional
// Mongolian, NNBSP joins a suffix to its stem inside one word, so it must
// never split or end anything. U+180E MONGOLIAN VOWEL SEPARATOR is not
// White_Space in current Unicode and belongs to the word too.
func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x205F, 0x3000:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

// isNewline reports line and paragraph separators; each ends a segment.
func isNewline(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isHan is a fast check for CJK ideographs, the bulk of Chinese text.
func isHan(r rune) bool {
	if 0x4E00 <= r && r <= 0x9FFF {
		return true
	}
	return r >= 0x2E80 && classOf(r).script() == scHan
}

// digitValue returns the decimal value of a Unicode decimal digit (Nd):
// ASCII, full-width, Arabic-Indic, Tibetan, Mongolian and the rest. Every
// Nd range in Unicode is a run of ten code points in order from zero.
func digitValue(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 || classOf(r)&cDigit == 0 {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with fast paths for the
// two- and three-byte sequences that Chinese, Arabic-script, Tibetan,
// Mongolian, Yi and Hangul text is made of. It returns exactly what utf8
// does, invalid input included (TestDecodeRune checks every sequence).
func decodeRune(s string, i int) (rune, int) {
	c0 := s[i]
	if c0 < utf8.RuneSelf {
		return rune(c0), 1
	}
	if i+2 < len(s) && 0xE0 <= c0 && c0 <= 0xEF {
		c1, c2 := s[i+1], s[i+2]
		lo, hi := byte(0x80), byte(0xBF)
		switch c0 {
		case 0xE0:
			lo = 0xA0 // no overlong forms
		case 0xED:
			hi = 0x9F // no surrogates
		}
		if lo <= c1 && c1 <= hi && c2&0xC0 == 0x80 {
			return rune(c0&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	} else if i+1 < len(s) && 0xC2 <= c0 && c0 <= 0xDF {
		if c1 := s[i+1]; c1&0xC0 == 0x80 {
			return rune(c0&0x1F)<<6 | rune(c1&0x3F), 2
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}
