package lang

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A number the source mentions, with every value that counts as keeping it.
type numMention struct {
	text   string   // as written in the source, for messages
	values []string // canonical decimals (see canonDecimal); any one will do
	month  int      // 1–12 when the number is a month (5月), which a target may spell out
}

// canonDecimal writes digits (with at most one ".") in a canonical form:
// no leading zeros, no trailing fractional zeros, no trailing point. So
// "012,345.670" → "12345.67" once grouping is removed, and "3.00" → "3".
func canonDecimal(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

// scaled returns the canonical decimal v × 10^exp for exp ≥ 0 or v ÷ 10^-exp,
// moving the decimal point in the string so no precision is lost.
func scaled(v string, exp int) string {
	intPart, frac, _ := strings.Cut(v, ".")
	digits := intPart + frac
	point := len(intPart) + exp
	switch {
	case point <= 0:
		return canonDecimal("0." + strings.Repeat("0", -point) + digits)
	case point >= len(digits):
		return canonDecimal(digits + strings.Repeat("0", point-len(digits)))
	}
	return canonDecimal(digits[:point] + "." + digits[point:])
}

// withMultiplier returns the values that keep a number written with a
// Chinese multiplier: 12万 is 120,000, but a translation may say "120
// thousand", "0.12 million" or keep "12만". v is the full value.
func withMultiplier(written, v string) []string {
	out := []string{written, v}
	for _, e := range []int{-3, -4, -6, -8, -9} {
		s := scaled(v, e)
		if s == "0" || len(s) > 12 {
			continue
		}
		if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 3 {
			continue
		}
		out = append(out, s)
	}
	return dedupe(out)
}

func dedupe(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		dup := false
		for _, t := range ss[:i] {
			if s == t {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// Chinese numerals, including the financial capitals used for amounts in
// judgments (壹万贰仟元).
func cnDigit(r rune) (int, bool) {
	switch r {
	case '〇', '零':
		return 0, true
	case '一', '壹':
		return 1, true
	case '二', '两', '贰', '貳':
		return 2, true
	case '三', '叁', '參':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆', '陸':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

func cnUnit(r rune) (int64, bool) {
	switch r {
	case '十', '拾':
		return 10, true
	case '百', '佰':
		return 100, true
	case '千', '仟':
		return 1000, true
	case '万', '萬':
		return 10000, true
	case '亿', '億':
		return 100000000, true
	}
	return 0, false
}

func isCNNumeral(r rune) bool {
	if _, ok := cnDigit(r); ok {
		return true
	}
	_, ok := cnUnit(r)
	return ok
}

// parseCN reads a run of Chinese numerals. Digit-by-digit runs (二〇二三)
// read as written; positional ones as their value (一千二百三十四 = 1234,
// 十五 = 15, 一百零五 = 105, 三万五千 = 35000, 一亿二千万 = 120000000).
// positional reports which kind it was.
func parseCN(run []rune) (v int64, positional, ok bool) {
	for _, r := range run {
		if _, u := cnUnit(r); u {
			positional = true
			break
		}
	}
	if !positional {
		if len(run) > 18 {
			return 0, false, false
		}
		for _, r := range run {
			d, _ := cnDigit(r)
			v = v*10 + int64(d)
		}
		return v, false, true
	}
	// yi and wan count the 亿 and 万 sections, sec the part below 万,
	// num the digit waiting for its unit.
	var yi, wan, sec, num int64
	pending := false
	for _, r := range run {
		if d, isDigit := cnDigit(r); isDigit {
			if pending && d != 0 {
				return 0, true, false // 二三 inside a positional number
			}
			num, pending = int64(d), d != 0
			continue
		}
		switch u, _ := cnUnit(r); u {
		case 100000000:
			yi = wan*10000 + sec + num
			if yi == 0 {
				yi = 1
			}
			if yi > 10000000 {
				return 0, true, false
			}
			wan, sec = 0, 0
		case 10000:
			wan = sec + num
			if wan == 0 {
				wan = 1
			}
			sec = 0
		default:
			if !pending && num == 0 {
				num = 1 // 十五: a leading ten counts once
			}
			sec += num * u
		}
		num, pending = 0, false
	}
	return yi*100000000 + wan*10000 + sec + num, true, true
}

// statuteUnits follow 第…: article, paragraph, item, chapter, section, part.
const statuteUnits = "条款项章节编"

// extractSourceNumbers finds the numbers of a Chinese source text that a
// translation must keep, skipping byte ranges in skip (case numbers, which
// have a check of their own).
//
// Arabic digits always count. Chinese numerals count where they are
// numbers a translator writes in digits: years written digit by digit
// (二〇二三年), statute references (第一百七十条), dates (五月六日),
// percentages (百分之五) and values of ten or more (十五, 一千二百三十四).
// Small numerals elsewhere are words more often than numbers (一审, 一方,
// 两名被告, 三年) and are left alone; so are idioms (十分, 千万, 万一).
func extractSourceNumbers(s string, skip [][2]int) []numMention {
	var out []numMention
	inSkip := func(i int) (int, bool) {
		for _, sp := range skip {
			if sp[0] <= i && i < sp[1] {
				return sp[1], true
			}
		}
		return 0, false
	}
	var prev rune // the rune before the current position
	for i := 0; i < len(s); {
		if end, ok := inSkip(i); ok {
			prev, i = 0, end
			continue
		}
		r, w := decodeRune(s, i)
		if _, ok := digitValue(r); ok {
			m, end := scanDigits(s, i)
			out = append(out, m...)
			prev, _ = utf8.DecodeLastRuneInString(s[:end])
			i = end
			continue
		}
		if isCNNumeral(r) {
			j := i
			var run []rune
			for j < len(s) {
				r2, w2 := decodeRune(s, j)
				if !isCNNumeral(r2) {
					break
				}
				run = append(run, r2)
				j += w2
			}
			next, _ := utf8.DecodeRuneInString(s[j:])
			if m, ok := cnMention(prev, run, next, s[:i]); ok {
				out = append(out, m)
			}
			prev = run[len(run)-1]
			i = j
			continue
		}
		prev = r
		i += w
	}
	return out
}

// cnMention decides whether a run of Chinese numerals is a number to keep.
func cnMention(prev rune, run []rune, next rune, before string) (numMention, bool) {
	text := string(run)
	switch text {
	case "千万", "万一", "万万", "一一", "百", "千", "万", "亿":
		return numMention{}, false
	}
	if text == "十" && next == '分' {
		return numMention{}, false // 十分: "very"
	}
	if _, ok := cnUnit(run[0]); ok && run[0] != '十' && run[0] != '拾' {
		return numMention{}, false // 百姓, 千方百计, 万物
	}
	v, positional, ok := parseCN(run)
	if !ok {
		return numMention{}, false
	}
	val := strconv.FormatInt(v, 10)
	m := numMention{text: text, values: []string{val}}
	switch {
	case !positional && len(run) >= 2 && (next == '年' || strings.ContainsAny(text, "〇零")):
		return m, true // 二〇二三年, 一九九八年
	case !positional && len(run) >= 2:
		return numMention{}, false // 一一, 三四 (三四天: "three or four")
	case prev == '第' && strings.ContainsRune(statuteUnits, next):
		return m, true
	case strings.HasSuffix(before, "百分之"):
		return m, true
	case next == '月' && prev == '年' && 1 <= v && v <= 12:
		m.month = int(v)
		return m, true
	case next == '日' && prev == '月' && 1 <= v && v <= 31:
		return m, true
	case positional && v >= 10:
		if v >= 10000 {
			m.values = withMultiplier(val, val)
		}
		return m, true
	}
	return numMention{}, false
}

// scanDigits reads a number written in digits at s[i:] (any Unicode
// decimal digits) and returns its mentions and where it ends.
//
// Chinese writes 12,345.67; a comma followed by exactly three digits
// groups, any other comma separates (第5,6项), and a second point makes a
// dotted date (2023.5.6) whose parts are separate numbers. A following 万
// or 亿 multiplies.
func scanDigits(s string, i int) ([]numMention, int) {
	start := i
	var gbuf [8]string
	var sbuf [8]byte
	var cbuf [24]byte
	groups := gbuf[:0] // digit groups, ASCII
	seps := sbuf[:0]   // separator before groups[k+1]: ',' or '.'
	cur := cbuf[:0]
	for i < len(s) {
		r, w := decodeRune(s, i)
		if d, ok := digitValue(r); ok {
			cur = append(cur, byte('0'+d))
			i += w
			continue
		}
		if (r == ',' || r == '.') && len(cur) > 0 && i+1 < len(s) {
			if r2, _ := decodeRune(s, i+1); isDigitRune(r2) {
				groups = append(groups, string(cur))
				seps = append(seps, byte(r))
				cur = cur[:0]
				i++
				continue
			}
		}
		break
	}
	groups = append(groups, string(cur))
	text := s[start:i]
	next, _ := utf8.DecodeRuneInString(s[i:])

	dots := 0
	for _, c := range seps {
		if c == '.' {
			dots++
		}
	}
	grouping := true // every comma is followed by three digits
	for k, c := range seps {
		if c == ',' && len(groups[k+1]) != 3 {
			grouping = false
		}
	}
	if dots > 1 || !grouping {
		// Separate numbers: 2023.5.6, 5,6.
		var out []numMention
		for _, g := range groups {
			out = append(out, numMention{text: g, values: []string{canonDecimal(g)}})
		}
		return out, i
	}
	var b strings.Builder
	for k, g := range groups {
		if k > 0 && seps[k-1] == '.' {
			b.WriteByte('.')
		}
		b.WriteString(g)
	}
	val := canonDecimal(b.String())
	m := numMention{text: text, values: []string{val}}
	switch next {
	case '万', '萬':
		m.text += string(next)
		m.values = withMultiplier(val, scaled(val, 4))
	case '亿', '億':
		m.text += string(next)
		m.values = withMultiplier(val, scaled(val, 8))
	case '月':
		if v, err := strconv.Atoi(val); err == nil && 1 <= v && v <= 12 {
			m.month = v
		}
	}
	return []numMention{m}, i
}

func isDigitRune(r rune) bool {
	_, ok := digitValue(r)
	return ok
}

// targetNumbers collects every value the numbers in a translation can be
// read as. The reading depends on the locale (12,345.67 in English,
// 12.345,67 in German, 12 345,67 in French with NBSP or NNBSP, ١٢٬٣٤٥٫٦٧ in
// Arabic), so each number adds all its plausible readings; a source number
// is kept when any of them matches.
func targetNumbers(s string, add func(string)) {
	for i := 0; i < len(s); {
		r, w := decodeRune(s, i)
		if _, ok := digitValue(r); !ok {
			i += w
			continue
		}
		var gbuf [8]string
		var sbuf [8]rune
		var cbuf [24]byte
		groups, seps, cur := gbuf[:0], sbuf[:0], cbuf[:0]
		for i < len(s) {
			r, w := decodeRune(s, i)
			if d, ok := digitValue(r); ok {
				cur = append(cur, byte('0'+d))
				i += w
				continue
			}
			if isNumberSep(r) && len(cur) > 0 && i+w < len(s) {
				if r2, _ := decodeRune(s, i+w); isDigitRune(r2) {
					groups = append(groups, string(cur))
					seps = append(seps, r)
					cur = cur[:0]
					i += w
					continue
				}
			}
			break
		}
		groups = append(groups, string(cur))
		readings(groups, seps, add)
	}
}

func isNumberSep(r rune) bool {
	switch r {
	case ',', '.', '\'', ' ', 0xA0, 0x202F, 0x2009, 0x066B, 0x066C, 0x2019, 0x3001:
		return true
	}
	return false
}

func isDecimalSep(r rune) bool { return r == '.' || r == ',' || r == 0x066B }

func readings(groups []string, seps []rune, add func(string)) {
	for _, g := range groups {
		add(canonDecimal(g))
	}
	if len(groups) == 1 {
		return
	}
	all := strings.Join(groups, "")
	add(canonDecimal(all)) // every separator groups
	if last := seps[len(seps)-1]; isDecimalSep(last) {
		// The last separator is the decimal point.
		head := strings.Join(groups[:len(groups)-1], "")
		add(canonDecimal(head + "." + groups[len(groups)-1]))
	}
	// Pairs, for "5.6" inside a list, or a space-separated thousand
	// group followed by something else.
	for k := 0; k+1 < len(groups); k++ {
		if isDecimalSep(seps[k]) {
			add(canonDecimal(groups[k] + "." + groups[k+1]))
		}
		add(canonDecimal(groups[k] + groups[k+1]))
	}
}

// Month names for targets that spell months out ("6 May 2023"). Lower case;
// matched as substrings of the lower-cased target, so Russian uses stems
// (мая, май).
var monthNames = map[string][12][]string{
	"en": {{"january", "jan."}, {"february", "feb."}, {"march", "mar."}, {"april", "apr."}, {"may"}, {"june", "jun."},
		{"july", "jul."}, {"august", "aug."}, {"september", "sept.", "sep."}, {"october", "oct."}, {"november", "nov."}, {"december", "dec."}},
	"fr": {{"janvier"}, {"février", "fevrier"}, {"mars"}, {"avril"}, {"mai"}, {"juin"},
		{"juillet"}, {"août", "aout"}, {"septembre"}, {"octobre"}, {"novembre"}, {"décembre", "decembre"}},
	"es": {{"enero"}, {"febrero"}, {"marzo"}, {"abril"}, {"mayo"}, {"junio"},
		{"julio"}, {"agosto"}, {"septiembre", "setiembre"}, {"octubre"}, {"noviembre"}, {"diciembre"}},
	"pt": {{"janeiro"}, {"fevereiro"}, {"março", "marco"}, {"abril"}, {"maio"}, {"junho"},
		{"julho"}, {"agosto"}, {"setembro"}, {"outubro"}, {"novembro"}, {"dezembro"}},
	"de": {{"januar"}, {"februar"}, {"märz", "maerz"}, {"april"}, {"mai"}, {"juni"},
		{"juli"}, {"august"}, {"september"}, {"oktober"}, {"november"}, {"dezember"}},
	"ru": {{"январ"}, {"феврал"}, {"март"}, {"апрел"}, {"мая", "май"}, {"июн"},
		{"июл"}, {"август"}, {"сентябр"}, {"октябр"}, {"ноябр"}, {"декабр"}},
}

// The numeral readers, for other packages that must agree with QA on what a
// number is (the translation memory normalizes and substitutes numbers).

// IsChineseNumeral reports whether r is a Chinese digit or unit, financial
// capitals included.
func IsChineseNumeral(r rune) bool { return isCNNumeral(r) }

// ChineseUnit returns the value of a unit numeral (十 10 … 亿 10⁸).
func ChineseUnit(r rune) (int64, bool) { return cnUnit(r) }

// ParseChineseNumeral reads a run of Chinese numerals; see parseCN.
func ParseChineseNumeral(run []rune) (v int64, positional, ok bool) { return parseCN(run) }

// CanonDecimal writes a decimal in canonical form; see canonDecimal.
func CanonDecimal(s string) string { return canonDecimal(s) }
