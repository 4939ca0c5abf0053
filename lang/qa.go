package lang

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Severity says what an issue does to a submit.
type Severity string

const (
	SeverityBlocking Severity = "blocking" // refuses the submit
	SeverityWarning  Severity = "warning"  // shown to translator and reviewer
)

// Names of the QA checks, as they appear in Issue.Check.
const (
	CheckEmpty             = "empty"
	CheckUntranslated      = "untranslated"
	CheckCopiedSource      = "copied_source"
	CheckTargetScript      = "target_script"
	CheckNumbers           = "numbers"
	CheckCaseNumber        = "case_number"
	CheckGlossaryRequired  = "glossary_required"
	CheckGlossaryForbidden = "glossary_forbidden"
	CheckLengthRatio       = "length_ratio"
	CheckUnbalanced        = "unbalanced_brackets"
	CheckNotNFC            = "not_nfc"
	CheckControlChars      = "control_chars"
	CheckStrayNNBSP        = "stray_nnbsp"
)

// Issue is one finding of CheckQA.
type Issue struct {
	Segment   int      `json:"segment"` // Pair.Index
	Check     string   `json:"check"`
	Severity  Severity `json:"severity"`
	MessageZH string   `json:"message_zh"`
	MessageEN string   `json:"message_en"`
}

// Term is a glossary entry for the language pair. With Forbidden set,
// Target is a rendering of Source that must not be used.
type Term struct {
	Source, Target string
	Forbidden      bool
}

// Pair is one source segment and its translation.
type Pair struct {
	Index          int
	Source, Target string
}

// QAInput is everything CheckQA looks at. AllowedTokens are strings that may
// appear in any script inside the target: case numbers in their approved
// forms, proper names from the glossary, URLs.
type QAInput struct {
	SourceLang, TargetLang string
	Segments               []Pair
	Terms                  []Term
	AllowedTokens          []string
}

// Blocking returns the issues that refuse a submit.
func Blocking(issues []Issue) []Issue {
	var out []Issue
	for _, is := range issues {
		if is.Severity == SeverityBlocking {
			out = append(out, is)
		}
	}
	return out
}

// Thresholds of the script checks. A few foreign letters are normal (a
// Latin abbreviation in Uyghur, a name in Han in Korean); a fifth of the
// letters in another script is a translation in the wrong script, and
// three tenths in Han is a copy of the source.
const (
	minLettersForScript = 4
	wrongScriptShare    = 0.20
	copiedHanShare      = 0.30

	// Length ratios are judged only on sources this long (in non-space
	// characters); a short headline's translation varies too much.
	minRunesForRatio = 10
	ratioLow         = 0.5 // × the expected ratio
	ratioHigh        = 2.2
)

// density is the typical number of non-space characters a language needs
// for what Chinese says in one character, measured on court texts
// (judgment headlines, operative parts, notices). The expected length ratio
// of a pair is density[target] / density[source], and a translation passes
// between ratioLow and ratioHigh times that: for Chinese → English
// 1.4–6.2, → Korean 0.7–3.1, → Tibetan 2.0–8.8, → Yi 0.6–2.6.
var density = map[string]float64{
	"zh-Hans": 1.0, "ja": 1.3, "ko": 1.4, "ii": 1.2,
	"bo": 4.0, "mn-Mong": 4.0, "ug": 3.2, "kk-Arab": 3.2, "ar": 2.6,
	"en": 2.8, "fr": 3.2, "es": 3.1, "pt": 3.0, "de": 3.2, "ru": 3.0, "ky": 3.0,
	"vi": 3.2, "za": 3.8, "th": 3.0, "lo": 3.0, "my": 3.5,
}

var (
	qaRegistryOnce sync.Once
	qaRegistry     *Registry
)

func registry() *Registry {
	qaRegistryOnce.Do(func() { qaRegistry = NewRegistry() })
	return qaRegistry
}

// langInfo is what the checks need to know about one language.
type langInfo struct {
	tag      string
	nameZH   string
	nameEN   string
	scripts  [numScripts]bool // letters expected in this language
	main     script           // named in messages
	han      bool             // Han letters are expected
	cased    bool             // compare glossary terms case-insensitively
	mongol   bool             // NNBSP belongs here
	density  float64
	months   *[12][]string
	frenchSp bool // French puts NNBSP before ;:!? and inside « »
}

func infoFor(lang string) langInfo {
	reg := registry()
	tag := lang
	if c, err := reg.Canonicalize(lang); err == nil {
		tag = c
	}
	li := langInfo{tag: tag, nameZH: tag, nameEN: tag, density: 3.0}
	var scr string
	if l, ok := reg.Lookup(tag); ok {
		li.nameZH, li.nameEN, scr = l.NameZH, l.NameEN, l.Script
	} else if t, err := language.Parse(tag); err == nil {
		s, _ := t.Script()
		scr = s.String()
	}
	switch scr {
	case "Mong":
		li.main = scMongolian
	case "Tibt":
		li.main = scTibetan
	case "Arab":
		li.main = scArabic
	case "Yiii":
		li.main = scYi
	case "Hang":
		li.main = scHangul
	case "Kore":
		li.main = scHangul
		li.scripts[scHan] = true
	case "Latn":
		li.main, li.cased = scLatin, true
	case "Cyrl":
		li.main, li.cased = scCyrillic, true
	case "Grek":
		li.main, li.cased = scGreek, true
	case "Thai":
		li.main = scThai
	case "Laoo":
		li.main = scLao
	case "Mymr":
		li.main = scMyanmar
	case "Jpan":
		li.main = scHan
		li.scripts[scHiragana], li.scripts[scKatakana] = true, true
	case "Hans", "Hant", "Hani":
		li.main = scHan
	default:
		li.main = scNone // unknown: no script check
	}
	li.scripts[li.main] = true
	li.han = li.scripts[scHan]
	li.mongol = li.main == scMongolian
	li.frenchSp = tag == "fr"
	if d, ok := density[tag]; ok {
		li.density = d
	}
	base := tag
	if i := strings.IndexByte(base, '-'); i >= 0 {
		base = base[:i]
	}
	if m, ok := monthNames[base]; ok {
		li.months = &m
	}
	return li
}

// CheckQA runs every check on every pair and returns the issues sorted by
// segment, then check. See LANGUAGES.md, "QA checks".
//
// Blocking: empty, untranslated, copied_source, target_script, numbers,
// case_number, glossary_forbidden, control_chars, not_nfc.
// Warning: glossary_required, length_ratio, unbalanced_brackets,
// stray_nnbsp.
func CheckQA(in QAInput) []Issue {
	srcLang := in.SourceLang
	if srcLang == "" {
		srcLang = SourceTag
	}
	q := qa{src: infoFor(srcLang), tgt: infoFor(in.TargetLang), tokens: nonEmpty(in.AllowedTokens)}
	q.prepareTerms(in.Terms)
	var issues []Issue
	for _, p := range in.Segments {
		issues = q.pair(issues, p)
	}
	sort.SliceStable(issues, func(i, j int) bool {
		if issues[i].Segment != issues[j].Segment {
			return issues[i].Segment < issues[j].Segment
		}
		return issues[i].Check < issues[j].Check
	})
	return issues
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

type glossEntry struct {
	source  string   // match key in the source language
	display string   // as the glossary writes it
	targets []string // approved renderings, as written
	keys    []string // their match keys in the target language
}

type forbidden struct {
	source, target, key, display string
}

type qa struct {
	src, tgt langInfo
	tokens   []string
	required []glossEntry
	banned   []forbidden
	readings map[string]bool // reused between pairs
}

func (q *qa) key(li langInfo, s string) string {
	k := MatchKey(li.tag, s)
	if li.cased {
		k = strings.ToLower(k)
	}
	return k
}

// textKey is key for a segment whose NFC status is known, skipping the
// normalization passes that would change nothing.
func (q *qa) textKey(li langInfo, s string, nfc bool) string {
	switch {
	case !nfc, li.mongol && hasMongolianSelectors(s), isArabicTurkic(li.tag) && firstForm(s) >= 0:
		return q.key(li, s)
	case li.cased:
		return strings.ToLower(s)
	}
	return s
}

func hasMongolianSelectors(s string) bool {
	// U+180B–180F are E1 A0 8B–8F in UTF-8.
	for i := strings.Index(s, "\xE1\xA0"); i >= 0 && i+2 < len(s); {
		if c := s[i+2]; 0x8B <= c && c <= 0x8F {
			return true
		}
		j := strings.Index(s[i+2:], "\xE1\xA0")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

func (q *qa) prepareTerms(terms []Term) {
	idx := map[string]int{}
	for _, t := range terms {
		if strings.TrimSpace(t.Target) == "" {
			continue
		}
		if t.Forbidden {
			// Without a source term, the rendering is wrong anywhere.
			f := forbidden{display: t.Source, target: t.Target, key: q.key(q.tgt, strings.TrimSpace(t.Target))}
			if strings.TrimSpace(t.Source) != "" {
				f.source = q.key(q.src, strings.TrimSpace(t.Source))
			}
			q.banned = append(q.banned, f)
			continue
		}
		if strings.TrimSpace(t.Source) == "" {
			continue
		}
		sk := q.key(q.src, strings.TrimSpace(t.Source))
		i, ok := idx[sk]
		if !ok {
			i = len(q.required)
			idx[sk] = i
			q.required = append(q.required, glossEntry{source: sk, display: t.Source})
		}
		q.required[i].targets = append(q.required[i].targets, t.Target)
		q.required[i].keys = append(q.required[i].keys, q.key(q.tgt, strings.TrimSpace(t.Target)))
	}
}

func issue(seg int, check string, sev Severity, zh, en string) Issue {
	return Issue{Segment: seg, Check: check, Severity: sev, MessageZH: zh, MessageEN: en}
}

func trimSpace(s string) string { return strings.TrimFunc(s, isSpace) }

func (q *qa) pair(issues []Issue, p Pair) []Issue {
	src, tgt := p.Source, p.Target
	seg := p.Index
	if trimSpace(tgt) == "" {
		if trimSpace(src) != "" {
			issues = append(issues, issue(seg, CheckEmpty, SeverityBlocking,
				"译文为空。", "The translation is empty."))
		}
		return issues
	}

	// Hygiene of the target text itself. Whether each side is NFC is
	// asked once: the untranslated and glossary checks need it too.
	srcNFC := norm.NFC.IsNormalString(src)
	tgtNFC := norm.NFC.IsNormalString(tgt)
	if !utf8.ValidString(tgt) {
		issues = append(issues, issue(seg, CheckControlChars, SeverityBlocking,
			"译文含有无效的 UTF-8 字节。", "The target contains invalid UTF-8 bytes."))
	} else if !tgtNFC {
		issues = append(issues, issue(seg, CheckNotNFC, SeverityBlocking,
			"译文不是 Unicode NFC 规范形式，请规范化后再保存。",
			"The target is not in Unicode NFC; normalize it before saving."))
	}

	cases := findCaseNumbers(src)
	allowed := q.allowedSpans(tgt, src, cases)
	ts := scanTarget(tgt, allowed, q.tgt)
	if len(ts.controls) > 0 {
		list := strings.Join(ts.controls, " ")
		issues = append(issues, issue(seg, CheckControlChars, SeverityBlocking,
			"译文含有控制字符或双向控制符 "+list+"，请删除。",
			"The target contains control or bidi control characters "+list+"; remove them."))
	}
	if ts.nnbsp && !q.tgt.mongol {
		issues = append(issues, issue(seg, CheckStrayNNBSP, SeverityWarning,
			"译文含有窄不换行空格 U+202F，它只用于蒙古文词缀连接。",
			"The target contains a narrow no-break space U+202F, which belongs only in Mongolian suffixes."))
	}

	// Was it translated at all?
	srcTrim, tgtTrim := trimSpace(src), trimSpace(tgt)
	same := srcTrim == tgtTrim
	if !same && !(srcNFC && tgtNFC) {
		same = norm.NFC.String(srcTrim) == norm.NFC.String(tgtTrim)
	}
	untranslated := false
	if same && hasLettersOutside(src, spansOf(cases)) {
		untranslated = true
		issues = append(issues, issue(seg, CheckUntranslated, SeverityBlocking,
			"译文与原文相同，尚未翻译。",
			"The target is identical to the source; it has not been translated."))
	}
	if !untranslated && ts.letters >= minLettersForScript {
		if !q.tgt.han && ts.han >= minLettersForScript && float64(ts.han) >= copiedHanShare*float64(ts.letters) {
			pct := 100 * ts.han / ts.letters
			issues = append(issues, issue(seg, CheckCopiedSource, SeverityBlocking,
				fmt.Sprintf("译文中 %d%% 的字是汉字，疑似照抄原文。", pct),
				fmt.Sprintf("%d%% of the letters in the target are Chinese characters; the source appears to be copied.", pct)))
		}
		if q.tgt.main != scNone && ts.wrong >= 3 && float64(ts.wrong) >= wrongScriptShare*float64(ts.letters) {
			pct := 100 * ts.wrong / ts.letters
			issues = append(issues, issue(seg, CheckTargetScript, SeverityBlocking,
				fmt.Sprintf("译文中 %d%% 的字母是%s，%s应使用%s。", pct, scriptNamesZH[ts.wrongScript], q.tgt.nameZH, scriptNamesZH[q.tgt.main]),
				fmt.Sprintf("%d%% of the letters in the target are %s; %s is written in %s script.", pct, scriptNamesEN[ts.wrongScript], q.tgt.nameEN, scriptNamesEN[q.tgt.main])))
		}
	}

	issues = q.checkNumbers(issues, seg, src, tgt, cases)
	issues = q.checkCaseNumbers(issues, seg, src, tgt, cases)
	issues = q.checkGlossary(issues, seg, src, tgt, srcNFC, tgtNFC)

	if !untranslated {
		srcRunes := countNonSpace(src, spansOf(cases))
		if srcRunes >= minRunesForRatio && q.src.density > 0 {
			expected := q.tgt.density / q.src.density
			ratio := float64(ts.runes) / float64(srcRunes)
			lo, hi := expected*ratioLow, expected*ratioHigh
			if ratio < lo || ratio > hi {
				issues = append(issues, issue(seg, CheckLengthRatio, SeverityWarning,
					fmt.Sprintf("译文长度是原文的 %.1f 倍，超出%s译文的通常范围（%.1f–%.1f 倍），请检查是否漏译或多译。", ratio, q.tgt.nameZH, lo, hi),
					fmt.Sprintf("The target is %.1f times as long as the source, outside the usual %.1f–%.1f for %s; check for omissions or additions.", ratio, lo, hi, q.tgt.nameEN)))
			}
		}
	}

	if bad := unbalanced(tgt); bad != "" && unbalanced(src) == "" {
		issues = append(issues, issue(seg, CheckUnbalanced, SeverityWarning,
			"译文中的括号或引号 "+bad+" 不成对。",
			"The brackets or quotes "+bad+" in the target are unbalanced."))
	}
	return issues
}

// allowedSpans are byte ranges of the target that may be in any script:
// the allowed tokens, the source's case numbers and approved glossary
// renderings, wherever they occur.
func (q *qa) allowedSpans(tgt, src string, cases []caseNumber) [][2]int {
	var spans [][2]int
	mark := func(tok string) {
		for off := 0; off < len(tgt); {
			j := strings.Index(tgt[off:], tok)
			if j < 0 {
				break
			}
			spans = append(spans, [2]int{off + j, off + j + len(tok)})
			off += j + len(tok)
		}
	}
	for _, t := range q.tokens {
		mark(t)
	}
	for _, c := range cases {
		mark(c.text)
	}
	// Case numbers in the target in any spelling ((2023) for （2023）) are
	// case numbers too; whether they are the right ones is checked apart.
	for _, c := range findCaseNumbers(tgt) {
		spans = append(spans, [2]int{c.start, c.end})
	}
	for _, g := range q.required {
		for _, t := range g.targets {
			mark(t)
		}
	}
	if len(spans) > 1 {
		slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	}
	return spans
}

// targetStats is what one pass over the target finds.
type targetStats struct {
	letters     int // letters of any named script outside allowed spans
	han         int // of which Han, where Han is not expected
	wrong       int // of which another script that is not expected
	wrongScript script
	runes       int // non-space characters outside allowed spans, for the length ratio
	nnbsp       bool
	controls    []string // U+XXXX of control characters, at most a few
}

func scanTarget(s string, allowed [][2]int, li langInfo) targetStats {
	var st targetStats
	var perScript [numScripts]int
	span := 0
	prevDigit := false
	for i := 0; i < len(s); {
		r, w := decodeRune(s, i)
		c := classOf(r)
		switch {
		case r == 0x202F:
			if !nnbspOK(s, i, w, prevDigit, li) {
				st.nnbsp = true
			}
		case c&(cControl|cFormat) != 0 || r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF:
			if badControl(r, w) && len(st.controls) < 5 {
				u := fmt.Sprintf("U+%04X", r)
				if !containsString(st.controls, u) {
					st.controls = append(st.controls, u)
				}
			}
		}
		prevDigit = c&cDigit != 0
		for span < len(allowed) && allowed[span][1] <= i {
			span++
		}
		inAllowed := span < len(allowed) && allowed[span][0] <= i
		if !inAllowed && c&cSpace == 0 {
			st.runes++
		}
		if !inAllowed && c.countable() {
			st.letters++
			sc := c.script()
			switch {
			case li.scripts[sc]:
			case sc == scHan:
				st.han++
			default:
				st.wrong++
				perScript[sc]++
			}
		}
		i += w
	}
	for sc, n := range perScript {
		if n > perScript[st.wrongScript] {
			st.wrongScript = script(sc)
		}
	}
	return st
}

func containsString(ss []string, s string) bool {
	for _, t := range ss {
		if t == s {
			return true
		}
	}
	return false
}

// badControl reports characters no published translation should hold:
// C0/C1 controls other than tab and line breaks, the bidi embedding,
// override and isolate controls and marks (the direction comes from the
// language tag, and a stray RLO can make a number read backwards), a BOM
// inside text, U+FFFD left by a broken conversion, and noncharacters.
// Joiners (ZWJ, ZWNJ), the zero-width space Tibetan uses for line breaks
// and the Mongolian vowel separator are part of the writing.
func badControl(r rune, w int) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || (0x7F <= r && r <= 0x9F):
		return true
	case r == 0x200E || r == 0x200F || r == 0x061C:
		return true
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return true
	case r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
		return true
	case r == utf8.RuneError:
		// A real U+FFFD; an invalid byte (w == 1) has its own issue.
		return w > 1
	}
	return false
}

// nnbspOK reports uses of U+202F that are right outside Mongolian: as a
// digit group separator (CLDR's French and others), and French spacing
// before ; : ! ? and inside « ».
func nnbspOK(s string, i, w int, prevDigit bool, li langInfo) bool {
	next, _ := utf8.DecodeRuneInString(s[i+w:])
	if prevDigit && isDigitRune(next) {
		return true
	}
	if li.frenchSp {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if strings.ContainsRune(";:!?»%", next) || prev == '«' {
			return true
		}
	}
	return false
}

// countNonSpace counts the characters of s that are not whitespace and
// not inside skip.
func countNonSpace(s string, skip [][2]int) int {
	n := 0
	for i := 0; i < len(s); {
		if j, ok := inSpans(skip, i); ok {
			i = j
			continue
		}
		r, w := decodeRune(s, i)
		if !isSpace(r) {
			n++
		}
		i += w
	}
	return n
}

// hasLettersOutside reports whether s has a letter outside the byte ranges
// skip: a source of only numbers, punctuation and a case number may well be
// copied unchanged.
func hasLettersOutside(s string, skip [][2]int) bool {
	for i := 0; i < len(s); {
		if j, ok := inSpans(skip, i); ok {
			i = j
			continue
		}
		r, w := decodeRune(s, i)
		if classOf(r).countable() {
			return true
		}
		i += w
	}
	return false
}

func inSpans(spans [][2]int, i int) (int, bool) {
	for _, sp := range spans {
		if sp[0] <= i && i < sp[1] {
			return sp[1], true
		}
	}
	return 0, false
}

func (q *qa) checkNumbers(issues []Issue, seg int, src, tgt string, cases []caseNumber) []Issue {
	mentions := extractSourceNumbers(src, spansOf(cases))
	if len(mentions) == 0 {
		return issues
	}
	if q.readings == nil {
		q.readings = make(map[string]bool)
	}
	clear(q.readings)
	targetNumbers(tgt, func(v string) { q.readings[v] = true })
	if q.tgt.han || q.tgt.main == scHangul {
		// Japanese and Korean may keep Chinese numerals.
		for _, m := range extractSourceNumbers(tgt, nil) {
			for _, v := range m.values {
				q.readings[v] = true
			}
		}
	}
	var lower string
	var reported []string
	for _, m := range mentions {
		if q.keeps(m) || containsString(reported, m.text) {
			continue
		}
		if m.month > 0 && q.tgt.months != nil {
			if lower == "" {
				lower = strings.ToLower(tgt)
			}
			if containsAny(lower, q.tgt.months[m.month-1]) {
				continue
			}
		}
		reported = append(reported, m.text)
		issues = append(issues, issue(seg, CheckNumbers, SeverityBlocking,
			fmt.Sprintf("原文中的数字“%s”（%s）在译文中缺失。", m.text, m.values[0]),
			fmt.Sprintf("The number %s (%s) from the source is missing in the target.", m.text, m.values[0])))
	}
	return issues
}

func (q *qa) keeps(m numMention) bool {
	for _, v := range m.values {
		if q.readings[v] {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func (q *qa) checkCaseNumbers(issues []Issue, seg int, src, tgt string, cases []caseNumber) []Issue {
	if len(cases) == 0 {
		return issues
	}
	var flat string // the target with brackets, digits and spaces unified
	var reported []string
	for _, c := range cases {
		if strings.Contains(tgt, c.text) || containsString(reported, c.text) {
			continue
		}
		if flat == "" {
			flat = flatCaseForm(tgt)
		}
		if strings.Contains(flat, flatCaseForm(c.text)) || q.tokenForm(tgt, c) {
			continue
		}
		reported = append(reported, c.text)
		issues = append(issues, issue(seg, CheckCaseNumber, SeverityBlocking,
			fmt.Sprintf("原文中的案号“%s”在译文中缺失，应原样保留或使用规定的译法。", c.text),
			fmt.Sprintf("The case number %s is missing from the target; keep it verbatim or in its approved form.", c.text)))
	}
	return issues
}

// tokenForm reports whether an allowed token that renders case number c
// (it holds the same year and serial number, as "(2023) Xin Min Zhong No.
// 45" does) appears in the target.
func (q *qa) tokenForm(tgt string, c caseNumber) bool {
	for _, t := range q.tokens {
		if !strings.Contains(tgt, t) {
			continue
		}
		var nums []string
		targetNumbers(t, func(v string) { nums = append(nums, v) })
		if containsString(nums, c.year) && containsString(nums, c.serial) {
			return true
		}
	}
	return false
}

func (q *qa) checkGlossary(issues []Issue, seg int, src, tgt string, srcNFC, tgtNFC bool) []Issue {
	if len(q.required) == 0 && len(q.banned) == 0 {
		return issues
	}
	srcKey, tgtKey := q.textKey(q.src, src, srcNFC), q.textKey(q.tgt, tgt, tgtNFC)
	for _, g := range q.required {
		if !strings.Contains(srcKey, g.source) || containsAny(tgtKey, g.keys) {
			continue
		}
		want := strings.Join(g.targets, "”或“")
		issues = append(issues, issue(seg, CheckGlossaryRequired, SeverityWarning,
			fmt.Sprintf("术语“%s”应译为“%s”，译文中未出现。", g.display, want),
			fmt.Sprintf("The term %s should be rendered as \"%s\", which the target does not contain.", g.display, strings.Join(g.targets, `" or "`))))
	}
	for _, f := range q.banned {
		if !strings.Contains(tgtKey, f.key) || (f.source != "" && !strings.Contains(srcKey, f.source)) {
			continue
		}
		issues = append(issues, issue(seg, CheckGlossaryForbidden, SeverityBlocking,
			fmt.Sprintf("译文使用了禁用译法“%s”（原文术语“%s”）。", f.target, f.display),
			fmt.Sprintf("The target uses the forbidden rendering %q of the term %s.", f.target, f.display)))
	}
	return issues
}

// bracketPairs are checked for balance. ASCII straight quotes can only be
// counted, so an odd number of them is unbalanced too.
var bracketPairs = [][2]rune{
	{'（', '）'}, {'(', ')'}, {'《', '》'}, {'〈', '〉'}, {'「', '」'}, {'『', '』'},
	{'【', '】'}, {'〔', '〕'}, {'[', ']'}, {'“', '”'}, {'«', '»'},
	{'༺', '༻'}, {'༼', '༽'}, {'﹁', '﹂'}, {'﹃', '﹄'}, {'︵', '︶'}, {'︽', '︾'},
}

// maybeBracket is a quick filter for the runes of bracketPairs; most
// runes of running text are letters and skip the pair loop.
func maybeBracket(r rune) bool {
	switch {
	case r < 0x80:
		return r == '(' || r == ')' || r == '[' || r == ']'
	case r < 0x3008:
		return r == '“' || r == '”' || r == '«' || r == '»' || (0x0F3A <= r && r <= 0x0F3D)
	case r <= 0x3015:
		return true
	}
	return 0xFE35 <= r && r <= 0xFE44 || r == '（' || r == '）'
}

// unbalanced returns the first bracket pair whose marks do not nest in s,
// as "（ ）", or "".
func unbalanced(s string) string {
	var depth [32]int
	quotes := 0
	for _, r := range s {
		if r == '"' {
			quotes++
			continue
		}
		if !maybeBracket(r) {
			continue
		}
		for k, p := range bracketPairs {
			switch r {
			case p[0]:
				depth[k]++
			case p[1]:
				depth[k]--
				if depth[k] < 0 {
					return string(p[0]) + " " + string(p[1])
				}
			}
		}
	}
	for k, p := range bracketPairs {
		if depth[k] != 0 {
			return string(p[0]) + " " + string(p[1])
		}
	}
	if quotes%2 != 0 {
		return `" "`
	}
	return ""
}
