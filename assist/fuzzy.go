package assist

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"yizhi/lang"
)

// Fuzzy scoring compares segments as translators see them: two court
// sentences that differ only in a date, an amount or a case number are the
// same sentence, and a match carries the current segment's numbers into its
// translation, as memoQ does.
//
// A segment is normalized before scoring: NFC (lang.MatchKey), full-width
// digits and Latin letters folded to ASCII, and every number token replaced
// by a placeholder rune. The score is then
//
//	round(100 × (1 − levenshtein(a, b) / max(len(a), len(b))))
//
// over the normalized rune sequences. Levenshtein on runes is the measure
// that suits Chinese: there are no word boundaries to compare words by, and
// one Han character carries about as much as a word does elsewhere.
//
// Scores run 0–99 for fuzzy matches. 100 is kept for an identical source
// (tm-exact) and 101 for an identical source between the same neighbours
// (tm-context), so a translator can trust those without reading them. A
// source that is identical only after normalization (it differs in numbers,
// or in full-width digits) scores 99 as tm-fuzzy: its target has been
// changed by machine, and someone must look at it. Each differing number
// that could not be carried into the target costs one more point, so a
// draft with a stale date never outranks one without.

// Placeholders stand for the numbers of a segment in its normalized form.
// They are private-use code points, which court text does not contain; case
// numbers get their own, so a case number never matches a plain amount.
const (
	numberMark = '\uE000'
	caseMark   = '\uE001'
)

// fuzzyCap is the highest score a match that is not exact can get.
const fuzzyCap = 99

type numKind uint8

const (
	numDigits  numKind = iota + 1 // 2023, 12,345.67
	numChinese                    // 二〇二三 (in 二〇二三年), 一百七十 (in 第一百七十条)
	numCase                       // (2023)新01民初45号
)

// numToken is one number of a segment.
type numToken struct {
	text  string // as written in the segment (NFC)
	value string // canonical decimal, or for a case number its flat form
	kind  numKind
}

// normSegment is a segment as the fuzzy matcher compares it.
type normSegment struct {
	runes []rune // normalized, with placeholders
	nums  []numToken
}

// normalizeSegment prepares a segment of language lang for fuzzy matching.
func normalizeSegment(lng, text string) normSegment {
	orig := []rune(lang.MatchKey(lng, strings.TrimSpace(text)))
	folded := make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = foldWidth(r)
	}
	var out normSegment
	out.runes = make([]rune, 0, len(folded))
	for i := 0; i < len(folded); {
		r := folded[i]
		if isCaseOpener(r) {
			if end, ok := caseNumberEnd(folded, i); ok {
				out.nums = append(out.nums, numToken{text: string(orig[i:end]), value: flatCase(folded[i:end]), kind: numCase})
				out.runes = append(out.runes, caseMark)
				i = end
				continue
			}
		}
		if isASCIIDigit(r) {
			toks, end := scanDigitRun(folded, orig, i)
			for k, t := range toks {
				if k > 0 {
					// A separator that does not group (2023.5.6, 第5,6项)
					// stays as text between the numbers it separates.
					out.runes = append(out.runes, t.sep)
				}
				out.nums = append(out.nums, t.numToken)
				out.runes = append(out.runes, numberMark)
			}
			i = end
			continue
		}
		if lang.IsChineseNumeral(r) {
			end := i
			for end < len(folded) && lang.IsChineseNumeral(folded[end]) {
				end++
			}
			var prev, next rune
			if i > 0 {
				prev = folded[i-1]
			}
			if end < len(folded) {
				next = folded[end]
			}
			if v, ok := cnNumber(folded[i:end], prev, next, hasSuffixRunes(folded[:i], "百分之")); ok {
				out.nums = append(out.nums, numToken{text: string(orig[i:end]), value: v, kind: numChinese})
				out.runes = append(out.runes, numberMark)
			} else {
				out.runes = append(out.runes, folded[i:end]...)
			}
			i = end
			continue
		}
		out.runes = append(out.runes, r)
		i++
	}
	return out
}

// numValue is the value of a number token as normalizeSegment computes
// it, from the token's text.
func numValue(kind numKind, text string) string {
	rs := []rune(text)
	for i, r := range rs {
		rs[i] = foldWidth(r)
	}
	switch kind {
	case numCase:
		return flatCase(rs)
	case numChinese:
		v, _, _ := lang.ParseChineseNumeral(rs)
		return strconv.FormatInt(v, 10)
	}
	return lang.CanonDecimal(strings.ReplaceAll(string(rs), ",", ""))
}

// foldWidth maps full-width digits and Latin letters to ASCII. Full-width
// punctuation is left alone: ，。（） are how Chinese is written, and NFKC,
// which would fold them, is wrong for the other scripts we carry.
func foldWidth(r rune) rune {
	switch {
	case '０' <= r && r <= '９':
		return '0' + r - '０'
	case 'Ａ' <= r && r <= 'Ｚ':
		return 'A' + r - 'Ａ'
	case 'ａ' <= r && r <= 'ｚ':
		return 'a' + r - 'ａ'
	}
	return r
}

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }

func isCaseOpener(r rune) bool {
	switch r {
	case '(', '（', '〔', '[', '【', '［':
		return true
	}
	return false
}

func isCaseCloser(r rune) bool {
	switch r {
	case ')', '）', '〕', ']', '】', '］':
		return true
	}
	return false
}

// caseNumberEnd reads a case number such as (2023)新01民初45号,
// （2024）最高法民终1号 or 〔2021〕184号 at rs[i] (an opening bracket): a
// four-digit year, a closing bracket, the court's abbreviation and case
// type in Han characters (digits allowed: 京0105民初), a serial and 号.
func caseNumberEnd(rs []rune, i int) (int, bool) {
	j := i + 1
	for k := 0; k < 4; k++ {
		if j >= len(rs) || !isASCIIDigit(rs[j]) {
			return 0, false
		}
		j++
	}
	if j >= len(rs) || !isCaseCloser(rs[j]) {
		return 0, false
	}
	j++
	serial := false
	for n := 0; j < len(rs) && n < 40; n, j = n+1, j+1 {
		r := rs[j]
		switch {
		case r == '号':
			return j + 1, serial
		case isASCIIDigit(r):
			serial = true
		case r == '字' || r == '第' || unicode.Is(unicode.Han, r):
			serial = false // 京0105民初: those digits were the court's code
		default:
			return 0, false
		}
	}
	return 0, false
}

// flatCase is the form two spellings of one case number share: ASCII
// brackets and digits (the digits are folded already).
func flatCase(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		switch {
		case isCaseOpener(r):
			b.WriteByte('(')
		case isCaseCloser(r):
			b.WriteByte(')')
		case unicode.IsSpace(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

type digitTok struct {
	numToken
	sep rune // the separator before this token, when a run splits
}

// scanDigitRun reads digits with "," and "." between them at rs[i]. Chinese
// writes 12,345.67: a comma followed by exactly three digits groups, and one
// point is a decimal point. Anything else (2023.5.6, 5,6) is a list of
// separate numbers.
func scanDigitRun(rs, orig []rune, i int) ([]digitTok, int) {
	type group struct{ start, end int }
	var groups []group
	var seps []rune
	start := i
	for {
		gs := i
		for i < len(rs) && isASCIIDigit(rs[i]) {
			i++
		}
		groups = append(groups, group{gs, i})
		if i+1 < len(rs) && (rs[i] == ',' || rs[i] == '.') && isASCIIDigit(rs[i+1]) {
			seps = append(seps, rs[i])
			i++
			continue
		}
		break
	}
	dots, grouping := 0, true
	for k, s := range seps {
		if s == '.' {
			dots++
		} else if g := groups[k+1]; g.end-g.start != 3 {
			grouping = false
		}
	}
	if dots <= 1 && grouping {
		var b strings.Builder
		for k, g := range groups {
			if k > 0 && seps[k-1] == '.' {
				b.WriteByte('.')
			}
			b.WriteString(string(rs[g.start:g.end]))
		}
		return []digitTok{{numToken: numToken{text: string(orig[start:i]), value: lang.CanonDecimal(b.String()), kind: numDigits}}}, i
	}
	out := make([]digitTok, len(groups))
	for k, g := range groups {
		out[k].numToken = numToken{text: string(orig[g.start:g.end]), value: lang.CanonDecimal(string(rs[g.start:g.end])), kind: numDigits}
		if k > 0 {
			out[k].sep = seps[k-1]
		}
	}
	return out, i
}

func hasSuffixRunes(rs []rune, suffix string) bool {
	sr := []rune(suffix)
	if len(rs) < len(sr) {
		return false
	}
	for i, r := range sr {
		if rs[len(rs)-len(sr)+i] != r {
			return false
		}
	}
	return true
}

// cnNumber decides whether a run of Chinese numerals is a number, with the
// rule lang's QA uses for the numbers a translation must keep: years
// written digit by digit (二〇二三年), statute references (第一百七十条),
// dates (五月六日), percentages and values of ten or more. Small numerals
// elsewhere are words (一审, 一方, 两名被告), and changing them changes
// the sentence, so they stay text and count in the score.
func cnNumber(run []rune, prev, next rune, percent bool) (string, bool) {
	switch string(run) {
	case "千万", "万一", "万万", "一一", "百", "千", "万", "亿":
		return "", false
	}
	if len(run) == 1 && run[0] == '十' && next == '分' {
		return "", false // 十分: "very"
	}
	if u, ok := lang.ChineseUnit(run[0]); ok && u != 10 {
		return "", false // 百姓, 千方百计, 万物
	}
	v, positional, ok := lang.ParseChineseNumeral(run)
	if !ok {
		return "", false
	}
	val := strconv.FormatInt(v, 10)
	switch {
	case !positional && len(run) >= 2 && (next == '年' || strings.ContainsAny(string(run), "〇零")):
		return val, true
	case !positional && len(run) >= 2:
		return "", false // 三四天: "three or four"
	case prev == '第' && strings.ContainsRune("条款项章节编", next):
		return val, true
	case percent:
		return val, true
	case next == '月' && prev == '年' && 1 <= v && v <= 12:
		return val, true
	case next == '日' && prev == '月' && 1 <= v && v <= 31:
		return val, true
	case positional && v >= 10:
		return val, true
	}
	return "", false
}

// similarity is the score of edit distance ed between normalized
// sequences of lengths n and m: 100 × (1 − ed/max(n, m)), rounded half up
// in integers so the index and the brute-force scorer can never disagree.
func similarity(ed, n, m int) int {
	l := max(n, m)
	if l == 0 {
		return 100
	}
	return (200*(l-ed) + l) / (2 * l)
}

// maxEdits is the largest edit distance at which two sequences, the longer
// of length l, still score at least minScore (the inverse of similarity).
func maxEdits(l, minScore int) int {
	if minScore > 100 {
		return -1
	}
	return l * (201 - 2*minScore) / 200
}

// substituteNumbers carries the query's numbers into a TM target. The i-th
// number of the TM source maps to the i-th number of the query, which is
// only meaningful when both have the same numbers in the same order of
// kinds; otherwise the target is returned as it is. For each number whose
// value changed, the target's occurrences are replaced: case numbers by
// their text (bracket shapes aside), other numbers where the target writes
// the same digits or the same value (a Chinese numeral in the source is
// usually Arabic digits in the target). missing counts the changed numbers
// that the target did not show, so the caller can mark the draft down.
func substituteNumbers(target string, tm, q []numToken) (string, int) {
	if len(tm) != len(q) || len(tm) == 0 {
		return target, 0
	}
	changed := false
	for i := range tm {
		if tm[i].kind == numCase != (q[i].kind == numCase) {
			return target, 0
		}
		if tm[i].value != q[i].value {
			changed = true
		}
	}
	if !changed {
		return target, 0
	}

	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	done := make([]bool, len(tm))
	overlaps := func(s, e int) bool {
		for _, ed := range edits {
			if s < ed.end && ed.start < e {
				return true
			}
		}
		return false
	}
	// Case numbers first: they hold digits (the year, the court's code)
	// that must not be taken for the plain numbers around them.
	for i, t := range tm {
		if t.kind != numCase {
			continue
		}
		for _, form := range caseForms(t.text) {
			for off := 0; ; {
				k := strings.Index(target[off:], form)
				if k < 0 {
					break
				}
				s, e := off+k, off+k+len(form)
				off = e
				if overlaps(s, e) {
					continue
				}
				repl := form
				if t.value != q[i].value {
					repl = restyleCase(q[i].value, form)
					done[i] = true
				}
				edits = append(edits, edit{s, e, repl})
			}
		}
	}
	// Plain numbers: walk the digit runs of the target in order. The k-th
	// run with a value belongs to the k-th source number with that value
	// (a date 5月5日 has two 5s that may change differently).
	seen := map[string]int{}
	for _, run := range targetDigitRuns(target) {
		if overlaps(run.start, run.end) {
			continue
		}
		var idx []int
		for i, t := range tm {
			if t.kind != numCase && (t.text == run.text || t.value == run.value) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		k := seen[run.value]
		seen[run.value]++
		i := idx[min(k, len(idx)-1)]
		if tm[i].value == q[i].value {
			continue
		}
		repl := q[i].value
		if run.text == tm[i].text && q[i].kind == numDigits {
			repl = asciiDigits(q[i].text) // keep the writer's grouping: 12,345.67
		}
		edits = append(edits, edit{run.start, run.end, repl})
		done[i] = true
	}
	missing := 0
	for i := range tm {
		if tm[i].value != q[i].value && !done[i] {
			missing++
		}
	}
	if len(edits) == 0 {
		return target, missing
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].start < edits[b].start })
	var b strings.Builder
	b.Grow(len(target) + 16)
	last := 0
	for _, ed := range edits {
		b.WriteString(target[last:ed.start])
		b.WriteString(ed.text)
		last = ed.end
	}
	b.WriteString(target[last:])
	return b.String(), missing
}

// caseForms lists the spellings of a case number a target may use: as the
// source wrote it, with ASCII brackets, with full-width ones.
func caseForms(text string) []string {
	rs := []rune(text)
	ascii := []rune(text)
	wide := []rune(text)
	for i, r := range rs {
		r = foldWidth(r)
		ascii[i], wide[i] = r, r
		if isCaseOpener(r) {
			ascii[i], wide[i] = '(', '（'
		} else if isCaseCloser(r) {
			ascii[i], wide[i] = ')', '）'
		}
	}
	forms := []string{text}
	for _, f := range []string{string(ascii), string(wide)} {
		if f != forms[0] && (len(forms) < 2 || f != forms[1]) {
			forms = append(forms, f)
		}
	}
	return forms
}

// restyleCase writes the flat case number flat with the brackets the
// target used in like.
func restyleCase(flat, like string) string {
	open, _ := utf8.DecodeRuneInString(like)
	var close rune
	for _, r := range like {
		if isCaseCloser(r) {
			close = r
			break
		}
	}
	if open == '(' && close == ')' {
		return flat
	}
	return strings.Replace(strings.Replace(flat, "(", string(open), 1), ")", string(close), 1)
}

func asciiDigits(s string) string {
	return strings.Map(foldWidth, s)
}

type digitRun struct {
	start, end  int // bytes
	text, value string
}

// targetDigitRuns finds the numbers written in digits in a target, with
// the same grouping rule as the source side.
func targetDigitRuns(s string) []digitRun {
	var out []digitRun
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isASCIIDigit(foldWidth(r)) {
			i += w
			continue
		}
		start := i
		var digits strings.Builder
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if f := foldWidth(r); isASCIIDigit(f) {
				digits.WriteRune(f)
				i += w
				continue
			}
			if (r == ',' || r == '.') && i+1 < len(s) {
				if r2, _ := utf8.DecodeRuneInString(s[i+1:]); isASCIIDigit(foldWidth(r2)) {
					if r == '.' {
						digits.WriteByte('.')
					}
					i++
					continue
				}
			}
			break
		}
		v := digits.String()
		if strings.Count(v, ".") > 1 {
			v = strings.ReplaceAll(v, ".", "") // not a decimal; keep it unmatched by value
		}
		out = append(out, digitRun{start: start, end: i, text: s[start:i], value: lang.CanonDecimal(v)})
	}
	return out
}

// pattern is a query prepared for bit-parallel edit distance (Myers 1999,
// in Hyyrö's block form): one bit per query position, 64 positions a word,
// so a candidate costs len(candidate) × words word operations instead of
// len × len cells.
type pattern struct {
	n     int
	words int
	// peq[row*words+w] has bit i set where query position 64w+i holds the
	// code of that row; row 0 is for codes the query does not contain.
	peq  []uint64
	rows []uint16 // code → row, shared scratch; reset by release
	used []uint16 // codes whose rows are set
	pv   []uint64
	mv   []uint64
}

// prepare sets the pattern to q. rows must be a zeroed table with one slot
// per code.
func (p *pattern) prepare(q []uint16, rows []uint16) {
	p.n = len(q)
	p.words = (len(q) + 63) / 64
	p.rows = rows
	p.used = p.used[:0]
	nrows := 1
	for _, c := range q {
		if rows[c] == 0 {
			rows[c] = uint16(nrows)
			nrows++
			p.used = append(p.used, c)
		}
	}
	need := nrows * p.words
	if cap(p.peq) < need {
		p.peq = make([]uint64, need)
	} else {
		p.peq = p.peq[:need]
		clear(p.peq)
	}
	for i, c := range q {
		p.peq[int(rows[c])*p.words+i/64] |= 1 << (i % 64)
	}
	if cap(p.pv) < p.words {
		p.pv = make([]uint64, p.words)
		p.mv = make([]uint64, p.words)
	}
	p.pv, p.mv = p.pv[:p.words], p.mv[:p.words]
}

// release clears the shared code table.
func (p *pattern) release() {
	for _, c := range p.used {
		p.rows[c] = 0
	}
	p.used = p.used[:0]
}

// distance returns the Levenshtein distance between the pattern and t, or
// bound+1 as soon as it is certain to exceed bound: after j of m columns
// the distance can fall by at most m−j more.
func (p *pattern) distance(t []uint16, bound int) int {
	n, m := p.n, len(t)
	if n == 0 {
		return m
	}
	if m == 0 {
		return n
	}
	if d := n - m; d > bound || -d > bound {
		return bound + 1
	}
	if p.words == 1 {
		return p.distance1(t, bound)
	}
	if p.words == 2 {
		return p.distance2(t, bound)
	}
	W := p.words
	pv, mv := p.pv, p.mv
	for w := range pv {
		pv[w], mv[w] = ^uint64(0), 0
	}
	lastBit := uint64(1) << ((n - 1) % 64)
	score := n
	for j, c := range t {
		eqs := p.peq[int(p.rows[c])*W : int(p.rows[c])*W+W]
		hin := 1 // global alignment: the top row grows by one per column
		for w := 0; w < W; w++ {
			eq, Pv, Mv := eqs[w], pv[w], mv[w]
			var hinNeg uint64
			if hin < 0 {
				hinNeg = 1
			}
			xv := eq | Mv
			eq |= hinNeg
			xh := (((eq & Pv) + Pv) ^ Pv) | eq
			ph := Mv | ^(xh | Pv)
			mh := Pv & xh
			var hout int
			top := uint64(1) << 63
			if w == W-1 {
				top = lastBit
			}
			if ph&top != 0 {
				hout = 1
			} else if mh&top != 0 {
				hout = -1
			}
			ph <<= 1
			mh <<= 1
			mh |= hinNeg
			if hin > 0 {
				ph |= 1
			}
			pv[w] = mh | ^(xv | ph)
			mv[w] = ph & xv
			hin = hout
		}
		score += hin
		if score-(m-j-1) > bound {
			return bound + 1
		}
	}
	return score
}

// distance2 is distance for patterns of 65–128 runes, with the two words
// in registers.
func (p *pattern) distance2(t []uint16, bound int) int {
	n, m := p.n, len(t)
	pv0, mv0, pv1, mv1 := ^uint64(0), uint64(0), ^uint64(0), uint64(0)
	last := uint64(1) << ((n - 1) % 64)
	score := n
	for j, c := range t {
		r := int(p.rows[c]) * 2
		eq0, eq1 := p.peq[r], p.peq[r+1]
		// Block 0, with +1 coming in at the top (global alignment).
		xv := eq0 | mv0
		xh := (((eq0 & pv0) + pv0) ^ pv0) | eq0
		ph := mv0 | ^(xh | pv0)
		mh := pv0 & xh
		hout := int(ph>>63) - int(mh>>63)
		ph = ph<<1 | 1
		mh <<= 1
		pv0 = mh | ^(xv | ph)
		mv0 = ph & xv
		// Block 1, with block 0's horizontal delta coming in.
		var hinNeg uint64
		if hout < 0 {
			hinNeg = 1
		}
		xv = eq1 | mv1
		eq1 |= hinNeg
		xh = (((eq1 & pv1) + pv1) ^ pv1) | eq1
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		if ph&last != 0 {
			score++
		} else if mh&last != 0 {
			score--
		}
		ph <<= 1
		mh = mh<<1 | hinNeg
		if hout > 0 {
			ph |= 1
		}
		pv1 = mh | ^(xv | ph)
		mv1 = ph & xv
		if score-(m-j-1) > bound {
			return bound + 1
		}
	}
	return score
}

func (p *pattern) distance1(t []uint16, bound int) int {
	n, m := p.n, len(t)
	pv, mv := ^uint64(0), uint64(0)
	last := uint64(1) << (n - 1)
	score := n
	for j, c := range t {
		eq := p.peq[p.rows[c]]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&last != 0 {
			score++
		} else if mh&last != 0 {
			score--
		}
		ph = ph<<1 | 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if score-(m-j-1) > bound {
			return bound + 1
		}
	}
	return score
}
