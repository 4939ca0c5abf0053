package lang

import (
	"strings"
	"unicode/utf8"
)

// Span is one segment of a text — a sentence, headline or list item — with
// its byte offsets: text[Start:End] == Text. (It cannot be called Segment:
// that is the function that makes them.)
type Span struct {
	Text       string
	Start, End int
}

// SegmentOptions tune segmentation.
type SegmentOptions struct {
	// BreakAtSemicolon also ends a segment at the clause mark ；
	// (and at "; " and ؛ in alphabetic languages). Long Chinese judgment
	// sentences chain clauses with ；, and translation memory matches
	// better on clauses.
	BreakAtSemicolon bool
}

// Segment splits text into sentences by the rules of lang, a canonical tag
// (zh-Hans, bo, mn-Mong, ug, kk-Arab, ii, ko, za, en, or another registry
// language, which gets the generic . ! ? rules).
//
// The segments concatenate back to text exactly: the whitespace after a
// sentence belongs to it, and whitespace before the first sentence belongs
// to the first. No segment is empty. An empty text has no segments; any
// other text has at least one, so a text of whitespace only is one segment.
//
// A line break always ends a segment, because headlines, list items and
// signature lines carry no final punctuation. Other rules, by language:
//
//   - Chinese: after 。！？, after ! and ? (but not inside a URL such as
//     …/list?page=2), after …… unless continuing punctuation follows (……，). Closing quotes and brackets
//     stay with the sentence they close. A full stop "." never ends a
//     Chinese sentence, so decimals (12,345.67), list markers (1.) and case
//     numbers ((2023)京0105民初12345号) stay whole.
//   - Tibetan: after a shad ། or ༎ and the spaces after it; "། །" is one
//     break; head marks ༄༅ and the shads that follow them open a text.
//     The tsheg ་ is a syllable mark, not a break.
//   - Mongolian: after ᠃ ᠉ and ?! (also ︕ ︖); never at U+202F, which
//     joins a suffix to its word.
//   - Uyghur and Kazakh: after . ؟ ! ; the comma ، and ؛ are clause marks.
//   - Yi: after 。！？ and ".", which may be followed directly by the next
//     sentence; ꀕ is a letter.
//   - Korean: after . ! ? and 。.
//   - Zhuang, English and other cased languages: after . ! ? followed by
//     space and a capital (or an opening quote); not after abbreviations
//     (No. Art. Mr. e.g. U.S.), initials, or list markers (1. a. iv.).
//
// A terminator ends nothing until its segment has a letter or digit, so
// punctuation that opens a text (༄༅། །, ……) stays with what follows.
func Segment(lang, text string) []Span {
	return SegmentWith(lang, text, SegmentOptions{})
}

// SegmentStrings is Segment without the offsets.
func SegmentStrings(lang, text string) []string {
	segs := Segment(lang, text)
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.Text
	}
	return out
}

// SegmentWith is Segment with options.
func SegmentWith(lang, text string, opt SegmentOptions) []Span {
	if text == "" {
		return nil
	}
	s := segmenter{text: text, p: profileFor(lang), opt: opt}
	return s.run()
}

// profile is the segmentation behaviour of a language.
type profile struct {
	cjk       bool // Chinese rules: "." is no terminator, …… ends a sentence
	dot       bool // "." ends a sentence (when followed by space, see dotBreak)
	cased     bool // a new sentence starts with a capital letter
	spaceless bool // a sentence may follow "." with no space (Yi)
	tibetan   bool // "། །" and head marks
	arabic    bool // ؛ is the semicolon
}

var (
	profileZH      = profile{cjk: true}
	profileTibetan = profile{tibetan: true}
	profileMong    = profile{}
	profileArabic  = profile{dot: true, arabic: true}
	profileYi      = profile{cjk: true, dot: true, spaceless: true}
	profileUncased = profile{dot: true}
	profileCased   = profile{dot: true, cased: true}
)

func profileFor(lang string) profile {
	switch lang {
	case "zh-Hans", "zh", "ja":
		return profileZH
	case "bo":
		return profileTibetan
	case "mn-Mong":
		return profileMong
	case "ug", "kk-Arab", "ar":
		return profileArabic
	case "ii":
		return profileYi
	case "ko", "th", "lo", "my":
		return profileUncased
	case "za", "en", "fr", "ru", "es", "pt", "de", "vi", "ky":
		return profileCased
	}
	// Anything else: canonicalize through the tag's language.
	switch {
	case isArabicTurkic(lang):
		return profileArabic
	case isMongolian(lang):
		return profileMong
	}
	base := lang
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	switch strings.ToLower(base) {
	case "zh", "cmn", "zho", "chi", "ja", "jpn":
		return profileZH
	case "bo", "bod", "tib":
		return profileTibetan
	case "ii", "iii":
		return profileYi
	case "ko", "kor", "th", "lo", "my", "ar", "fa", "ur":
		return profileUncased
	}
	return profileCased
}

// term is what a character can do to a sentence.
type term uint8

const (
	tNone     term = iota
	tDot           // "." — needs a space and a plausible next sentence
	tBang          // ASCII ! ? — like tDot in cased languages, else tStrong outside URLs
	tEllipsis      // … ⋯ — a sentence end in Chinese unless more of it follows
	tSemi          // ； ; ؛ — only with BreakAtSemicolon
	tStrong        // 。！？ ᠃ ᠉ ། ؟ ။ … — always a sentence end
)

// termOf classifies r. Most runes of running text are letters far from any
// terminator, so the common ranges return first.
func termOf(r rune) term {
	if r < 0x80 {
		switch r {
		case '.':
			return tDot
		case '!', '?':
			return tBang
		case ';':
			return tSemi
		}
		return tNone
	}
	if 0x3400 <= r && r < 0xFE10 && r != 0xA4FF {
		return tNone // Han, Yi, Hangul syllables
	}
	switch r {
	case 0x3002, 0xFF01, 0xFF1F, 0xFF61, // 。！？｡
		0xFE12, 0xFE15, 0xFE16, // vertical 。！？
		0x203C, 0x2047, 0x2048, 0x2049, // ‼ ⁇ ⁈ ⁉
		0x1803, 0x1809, // Mongolian ᠃ and Manchu ᠉ full stops
		0x061F, 0x06D4, // Arabic ؟ and full stop ۔
		0x104B,                                         // Myanmar ။
		0x0F0D, 0x0F0E, 0x0F0F, 0x0F10, 0x0F11, 0x0F12: // Tibetan shads
		return tStrong
	case 0x2026, 0x22EF, 0xFE19: // … ⋯ and vertical ︙
		return tEllipsis
	case 0xFF1B, 0x061B: // ； ؛
		return tSemi
	}
	return tNone
}

func isShad(r rune) bool { return 0x0F0D <= r && r <= 0x0F12 }

// isCloser reports closing quotes and brackets, which stay with the sentence
// they close. ASCII quotes count as closing only right after a terminator.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '}',
		0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x3011, 0x3015, // ” ’ 」 』 ） 》 】 〕
		0x3009, 0x3017, 0x3019, 0xFF3D, 0xFF5D, 0x301E, 0x301F, // 〉 〗 〙 ］ ｝ 〞 〟
		0x00BB, 0x203A, // » ›
		0x0F3B, 0x0F3D, // Tibetan ༻ ༽
		0xFE18, 0xFE36, 0xFE38, 0xFE3A, 0xFE3C, 0xFE3E, 0xFE40, 0xFE42, 0xFE44: // vertical forms
		return true
	}
	return false
}

// isOpener reports opening quotes and brackets, which may start a sentence.
func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '(', '[', '{',
		0x201C, 0x2018, 0x300C, 0x300E, 0xFF08, 0x300A, 0x3010, 0x3014,
		0x3008, 0x3016, 0x3018, 0xFF3B, 0xFF5B, 0x301D,
		0x00AB, 0x2039, 0x0F3A, 0x0F3C,
		0xFE17, 0xFE35, 0xFE37, 0xFE39, 0xFE3B, 0xFE3D, 0xFE3F, 0xFE41, 0xFE43:
		return true
	}
	return false
}

// isContinuing reports punctuation that continues a sentence: a terminator
// followed by one of these did not end it (……，, 甲、乙、丙……；).
func isContinuing(r rune) bool {
	switch r {
	case ',', ';', ':', 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, // ， 、 ； ：
		0x060C, 0x061B, // ، ؛
		0x1802, 0x1808, // Mongolian ᠂ and Manchu ᠈ commas
		0xFE10, 0xFE11, 0xFE13, 0xFE14: // vertical ， 、 ： ；
		return true
	}
	return false
}

type segmenter struct {
	text string
	p    profile
	opt  SegmentOptions
	out  []Span
}

func (s *segmenter) emit(start, end int) {
	s.out = append(s.out, Span{Text: s.text[start:end], Start: start, End: end})
}

func (s *segmenter) run() []Span {
	text := s.text
	s.out = make([]Span, 0, len(text)/80+1)
	start := 0
	content := false // the current segment has a letter or digit
	for i := 0; i < len(text); {
		r, w := decodeRune(text, i)
		if isNewline(r) {
			if content {
				end := skipSpace(text, i)
				s.emit(start, end)
				start, content, i = end, false, end
				continue
			}
			i += w
			continue
		}
		t := termOf(r)
		if t != tNone && content {
			end, ok := s.breakAfter(start, i, w, r, t)
			if ok {
				s.emit(start, end)
				start, content = end, false
			}
			// Without a break, end is past the punctuation cluster, so
			// a long run of dots or question marks is read once.
			i = end
			continue
		}
		if !content {
			content = isContent(r)
		}
		i += w
	}
	if start < len(text) {
		if n := len(s.out); n > 0 && skipSpace(text, start) == len(text) {
			// Only whitespace is left: it belongs to the last sentence.
			s.out[n-1].Text = text[s.out[n-1].Start:]
			s.out[n-1].End = len(text)
		} else {
			s.emit(start, len(text))
		}
	}
	return s.out
}

// isContent reports letters and digits: what a sentence is made of.
func isContent(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if 0x4E00 <= r && r <= 0x9FFF {
		return true
	}
	return classOf(r)&(cLetter|cDigit|cNumber) != 0
}

// skipSpace returns the index of the first non-whitespace rune at or after i.
func skipSpace(text string, i int) int {
	for i < len(text) {
		r, w := decodeRune(text, i)
		if !isSpace(r) {
			break
		}
		i += w
	}
	return i
}

// breakAfter decides whether the terminator r (of kind t, at byte i, w bytes
// long) ends the segment that began at start. If so it returns where the
// segment ends: after the run of terminators and closers and the
// whitespace that follows. If not, it returns where scanning resumes, past
// that run.
func (s *segmenter) breakAfter(start, i, w int, r rune, t term) (int, bool) {
	text, p := s.text, s.p
	switch t {
	case tDot:
		if p.cjk && !p.dot {
			// In Chinese only an ASCII "..." (an ellipsis typed on an
			// English keyboard) ends a sentence.
			if !strings.HasPrefix(text[i:], "...") {
				return i + w, false
			}
			t = tEllipsis
		} else if !p.dot {
			return i + w, false
		}
	case tSemi:
		if !s.opt.BreakAtSemicolon || (r == 0x061B && !p.arabic) {
			return i + w, false
		}
		if r == ';' && p.cjk && !p.dot {
			return i + w, false // an HTML entity or code, not a clause
		}
	case tBang:
		if p.cased {
			t = tDot // needs a following capital, but no abbreviation check
		}
	}
	// Absorb the rest of the punctuation cluster: "？！", "……。", "。”",
	// "."), and for Tibetan "། །".
	kind := t
	j := i + w
	for j < len(text) {
		r2, w2 := decodeRune(text, j)
		if isCloser(r2) {
			j += w2
			continue
		}
		if t2 := termOf(r2); t2 != tNone && t2 != tSemi {
			if t2 == tStrong || (t2 == tEllipsis && kind != tStrong) {
				kind = t2
			}
			j += w2
			continue
		}
		if p.tibetan && isSpace(r2) && !isNewline(r2) {
			k := j
			for k < len(text) {
				r3, w3 := decodeRune(text, k)
				if !isSpace(r3) || isNewline(r3) {
					break
				}
				k += w3
			}
			if k < len(text) {
				if r3, _ := decodeRune(text, k); isShad(r3) {
					j = k
					continue
				}
			}
		}
		break
	}
	if j == len(text) {
		return j, true
	}
	next, _ := decodeRune(text, j)
	switch kind {
	case tStrong, tSemi:
		if isContinuing(next) || (r == ';' && !isSpace(next)) {
			return j, false
		}
	case tEllipsis:
		if isContinuing(next) {
			return j, false
		}
		if !p.cjk && !s.followsSentence(j, false) {
			return j, false
		}
	case tBang:
		// Uncased languages: "?" and "!" end a sentence anywhere except
		// inside a URL or an identifier (…/list?page=2, a!b), where ASCII
		// surrounds them. After Chinese, "?2023年…" is a new sentence.
		if isContinuing(next) {
			return j, false
		}
		prev := byte(' ')
		if i > 0 {
			prev = text[i-1]
		}
		if prev < 0x80 && prev != ' ' && next < 0x80 && (isContent(next) || strings.ContainsRune("=&/#%_-.", next)) {
			return j, false
		}
	case tDot:
		bang := t != tDot || r != '.' // converted ! or ?
		if !s.followsSentence(j, bang) {
			return j, false
		}
		// A dot followed by more punctuation — an ellipsis, a closing
		// quote ("No.") — ends the sentence whatever the word before it.
		closed := j > i+w
		if !bang && !closed && s.abbreviation(start, i) {
			return j, false
		}
	}
	return skipSpace(text, j), true
}

// followsSentence reports whether what follows a "." (or a cased
// language's ! ?) at j looks like the start of a new sentence: the end of
// the text, a line break, or whitespace and then a plausible first
// character. Yi may start the next sentence without a space.
func (s *segmenter) followsSentence(j int, bang bool) bool {
	text, p := s.text, s.p
	r, _ := decodeRune(text, j)
	if !isSpace(r) {
		if p.spaceless {
			sc := classOf(r).script()
			return sc == scYi || sc == scHan
		}
		return false
	}
	k := j
	for k < len(text) {
		r2, w2 := decodeRune(text, k)
		if !isSpace(r2) {
			break
		}
		if isNewline(r2) {
			return true
		}
		k += w2
	}
	if k == len(text) {
		return true
	}
	next, _ := decodeRune(text, k)
	c := classOf(next)
	switch {
	case isContinuing(next):
		return false
	case p.cased && listItemAt(text, k):
		return true // "dismissed. 2. The fee", "fee. iv. The costs"
	case c&cLower != 0:
		return false // "e.g. the", "12 p. m. sharp"
	case !p.cased:
		return true
	case c&cUpper != 0, isOpener(next):
		return true
	case c&cDigit != 0:
		return bang // "No. 5" and "para. 3" go on; "Why? 3 reasons" ends
	case c&cLetter != 0:
		// A caseless script after a cased one: a Chinese name, say.
		sc := c.script()
		return sc != scLatin && sc != scCyrillic && sc != scGreek
	}
	return true
}

// abbreviation reports whether the "." at i closes an abbreviation, an
// initial or a list marker rather than a sentence.
func (s *segmenter) abbreviation(start, i int) bool {
	text := s.text
	// The word before the dot, dots inside it included ("e.g", "U.S").
	ws := i
	dots := false
	for ws > start && i-ws < 40 {
		r, w := utf8.DecodeLastRuneInString(text[start:ws])
		if r == '.' {
			dots = true
		} else if !isContent(r) || classOf(r)&cDigit != 0 {
			break
		}
		ws -= w
	}
	word := text[ws:i]
	if word != "" {
		if dots && strings.Trim(word, ".") == word && shortParts(word) {
			return true // e.g. i.e. U.S. P.R.C. Ph.D, but not court.gov.cn
		}
		if utf8.RuneCountInString(word) == 1 && classOf(firstRune(word))&cLetter != 0 {
			return true // an initial (J. Smith) or a list letter (a.)
		}
		if abbreviations[word] {
			return true
		}
	}
	// A list marker alone at the start of the segment: "1." "2.3." "iv.".
	lead := strings.TrimLeft(text[start:i], " \t\u3000\u00a0")
	return isListMarker(lead)
}

// shortParts reports whether every dot-separated part of word has at most
// two letters, as in abbreviations and unlike domain names.
func shortParts(word string) bool {
	for _, part := range strings.Split(word, ".") {
		if utf8.RuneCountInString(part) > 2 {
			return false
		}
	}
	return true
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// listItemAt reports whether text[k:] starts with a list marker ("2.",
// "iv.", "b.") followed by whitespace and a capital letter.
func listItemAt(text string, k int) bool {
	end := k
	for end < len(text) && end-k <= 6 && text[end] != '.' {
		end++
	}
	if end >= len(text) || text[end] != '.' || !isListMarker(text[k:end]) {
		return false
	}
	j := end + 1
	if j >= len(text) || !isSpace(rune(text[j])) {
		return false
	}
	j = skipSpace(text, j)
	if j >= len(text) {
		return false
	}
	r, _ := decodeRune(text, j)
	return classOf(r)&cUpper != 0
}

func isListMarker(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	// 1, 12, 2.3: numbers of at most three digits, so that a year
	// ("in 2023. The") still ends its sentence.
	digits, run := true, 0
	for i := 0; i < len(s) && digits; i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			run++
			digits = run <= 3
		case c == '.' && run > 0:
			run = 0
		default:
			digits = false
		}
	}
	if digits && run > 0 {
		return true
	}
	// Roman numerals up to xxxix, in one case: not words like "civil".
	return len(s) <= 4 && (strings.Trim(s, "ivx") == "" || strings.Trim(s, "IVX") == "")
}

// abbreviations that end with a dot but not a sentence in court texts,
// legal citations and names, in the cased languages we publish. Case
// matters: "no." in "the answer is no." ends a sentence, "No." does not.
// Ltd., Inc. and Corp. are left out on purpose: they end company names,
// and a party's name often ends a sentence.
var abbreviations = map[string]bool{
	// English
	"No": true, "Nos": true, "Art": true, "Arts": true, "art": true, "Para": true, "para": true,
	"Paras": true, "paras": true, "Sec": true, "sec": true, "Secs": true, "Ch": true, "ch": true,
	"Vol": true, "vol": true, "pp": true, "vs": true, "Mr": true, "Mrs": true, "Ms": true,
	"Dr": true, "Prof": true, "St": true, "Jr": true, "Sr": true,
	"Co": true, "Messrs": true, "Hon": true, "Gov": true, "Govt": true,
	"Dept": true, "cf": true, "viz": true, "al": true, "approx": true, "Fig": true,
	"Ref": true, "Reg": true, "Regs": true, "Cl": true, "Jan": true, "Feb": true,
	"Mar": true, "Apr": true, "Jun": true, "Jul": true, "Aug": true, "Sep": true,
	"Sept": true, "Oct": true, "Nov": true, "Dec": true,
	// French, Spanish, Portuguese, German
	"Mme": true, "Mlle": true, "Me": true, "MM": true, "Sra": true, "Srta": true,
	"núm": true, "Núm": true, "n": true, "Nr": true, "Abs": true, "Dra": true,
	// Russian, Kyrgyz
	"ст": true, "Ст": true, "гг": true, "им": true, "см": true, "руб": true,
	"коп": true, "тыс": true, "млн": true, "млрд": true, "ул": true, "д": true,
	// Zhuang and pinyin transcriptions of case numbers: "Hauh." is
	// spelled out, so nothing to add.
}
