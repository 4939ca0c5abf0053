package ui

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// diffOp is one run of a diff: text both sides share, or text only the old
// or only the new side has.
type diffOp struct {
	Kind byte // '=', '-', '+'
	Text string
}

// maxDiffCells bounds the LCS table; a sentence is far below it. Longer
// inputs are shown as one deletion and one insertion.
const maxDiffCells = 4_000_000

// diffUnit is what a diff compares: words, Tibetan syllables, or
// characters.
type diffUnit int

const (
	byCharacter diffUnit = iota // Chinese, Japanese, Yi, Thai…: no spaces between words
	byWord                      // Arabic script, Mongolian, Latin, Cyrillic, Hangul
	bySyllable                  // Tibetan: syllables end at the tsheg
)

// unitFor chooses the diff unit of a script (ISO 15924, from the registry).
// Mongolian separates words with spaces, so words read better than the
// characters of its connected script.
func unitFor(script string) diffUnit {
	switch script {
	case "Arab", "Latn", "Cyrl", "Hang", "Kore", "Grek", "Mong":
		return byWord
	case "Tibt":
		return bySyllable
	}
	return byCharacter
}

// diffText compares old and new in units that suit the language, then
// folds the small common pieces left between changes into them, so that a
// rewritten passage reads as one change rather than as confetti.
func diffText(old, new string, unit diffUnit) []diffOp {
	split := clusters
	switch unit {
	case byWord:
		split = words
	case bySyllable:
		split = syllables
	}
	a, b := split(old), split(new)
	// Trim the common ends first: most edits touch a small part.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	add := func(kind byte, text string) {
		if text == "" {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].Kind == kind {
			ops[n-1].Text += text
			return
		}
		ops = append(ops, diffOp{Kind: kind, Text: text})
	}
	add('=', strings.Join(a[:pre], ""))
	for _, op := range lcsDiff(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		add(op.Kind, op.Text)
	}
	add('=', strings.Join(a[len(a)-suf:], ""))
	return cleanup(ops)
}

// cleanup absorbs a common piece into the changes around it when it is
// whitespace, or at most half as long as the change on either side, and
// then shows each run of changes as one deletion and one insertion.
func cleanup(ops []diffOp) []diffOp {
	for {
		ops = regroup(ops)
		folded := false
		for i := 1; i < len(ops)-1; i++ {
			if ops[i].Kind != '=' {
				continue
			}
			n := utf8.RuneCountInString(ops[i].Text)
			before, after := changeSize(ops, i, -1), changeSize(ops, i, 1)
			if before == 0 || after == 0 {
				continue
			}
			if strings.TrimSpace(ops[i].Text) == "" || (2*n <= before && 2*n <= after) {
				text := ops[i].Text
				ops = append(ops[:i], append([]diffOp{{'-', text}, {'+', text}}, ops[i+1:]...)...)
				folded = true
				break
			}
		}
		if !folded {
			return ops
		}
	}
}

// changeSize is the larger of the deleted and inserted rune counts of the
// run of changes next to ops[i], in direction dir.
func changeSize(ops []diffOp, i, dir int) int {
	del, ins := 0, 0
	for j := i + dir; j >= 0 && j < len(ops) && ops[j].Kind != '='; j += dir {
		if ops[j].Kind == '-' {
			del += utf8.RuneCountInString(ops[j].Text)
		} else {
			ins += utf8.RuneCountInString(ops[j].Text)
		}
	}
	return max(del, ins)
}

// regroup merges neighbouring common pieces, and turns each run of changes
// into one deletion followed by one insertion.
func regroup(ops []diffOp) []diffOp {
	var out []diffOp
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, diffOp{'-', del.String()})
			del.Reset()
		}
		if ins.Len() > 0 {
			out = append(out, diffOp{'+', ins.String()})
			ins.Reset()
		}
	}
	for _, op := range ops {
		switch op.Kind {
		case '-':
			del.WriteString(op.Text)
		case '+':
			ins.WriteString(op.Text)
		default:
			flush()
			if n := len(out); n > 0 && out[n-1].Kind == '=' {
				out[n-1].Text += op.Text
			} else if op.Text != "" {
				out = append(out, op)
			}
		}
	}
	flush()
	return out
}

// lcsDiff is the textbook longest-common-subsequence diff, deletions before
// insertions within a change.
func lcsDiff(a, b []string) []diffOp {
	n, m := len(a), len(b)
	if n == 0 || m == 0 || n*m > maxDiffCells {
		return []diffOp{{'-', strings.Join(a, "")}, {'+', strings.Join(b, "")}}
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var ops []diffOp
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			ops = append(ops, diffOp{'-', del.String()})
			del.Reset()
		}
		if ins.Len() > 0 {
			ops = append(ops, diffOp{'+', ins.String()})
			ins.Reset()
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			flush()
			ops = append(ops, diffOp{'=', a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			del.WriteString(a[i])
			i++
		default:
			ins.WriteString(b[j])
			j++
		}
	}
	for ; i < n; i++ {
		del.WriteString(a[i])
	}
	for ; j < m; j++ {
		ins.WriteString(b[j])
	}
	flush()
	return ops
}

// words splits into words, each with the spaces before it, so that the
// pieces join back to the input and a changed word carries its own space.
// U+202F, the Mongolian suffix connector, is not a word break
// (LANGUAGES.md), though Unicode calls it a space.
func words(s string) []string {
	var out []string
	start := 0
	prevSpace := false
	for i, r := range s {
		space := unicode.IsSpace(r) && r != '\u202f'
		if i > start && space && !prevSpace {
			out = append(out, s[start:i])
			start = i
		}
		prevSpace = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// syllables splits Tibetan after each tsheg or shad (and the spaces after
// it), the syllable being the unit a reader sees.
func syllables(s string) []string {
	var out []string
	start := 0
	afterMark := false
	for i, r := range s {
		mark := r == '\u0f0b' || r == '\u0f0c' || (r >= '\u0f0d' && r <= '\u0f12') || unicode.IsSpace(r)
		if i > start && afterMark && !mark {
			out = append(out, s[start:i])
			start = i
		}
		afterMark = mark
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// clusters splits into characters, each with the combining marks, joiners
// and Mongolian variation selectors after it, so that a diff never cuts a
// Tibetan stack or a vowel sign from its letter.
func clusters(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if i > start && !attaches(r) {
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func attaches(r rune) bool {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
		return true
	case r == '\u200c' || r == '\u200d': // ZWNJ, ZWJ
		return true
	case r >= '\u180b' && r <= '\u180f': // Mongolian FVS1–3, MVS, FVS4
		return true
	}
	return false
}

// diffHTML renders a diff with <del> and <ins>; the caller puts it in an
// element that carries the text's lang and dir.
func diffHTML(ops []diffOp) template.HTML {
	var b strings.Builder
	for _, op := range ops {
		text := html.EscapeString(op.Text)
		switch op.Kind {
		case '-':
			b.WriteString("<del>" + text + "</del>")
		case '+':
			b.WriteString("<ins>" + text + "</ins>")
		default:
			b.WriteString(text)
		}
	}
	return template.HTML(b.String()) // every piece is escaped above
}

// changed reports whether a diff has any deletion or insertion.
func changed(ops []diffOp) bool {
	for _, op := range ops {
		if op.Kind != '=' {
			return true
		}
	}
	return false
}

// validRange reports whether [start, end) are byte offsets on rune
// boundaries of s.
func validRange(s string, start, end int) bool {
	return start >= 0 && start < end && end <= len(s) &&
		utf8.RuneStart(s[start]) && (end == len(s) || utf8.RuneStart(s[end]))
}
