package assist

import (
	"sort"
	"unicode/utf8"

	"yizhi/models"
)

// Termbase finds glossary terms in source text. Chinese has no word
// boundaries, so it scans every position for the longest term that starts
// there (leftmost-longest): in 最高人民法院 it finds that court's name, not
// the 人民法院 inside it.
type Termbase struct {
	// byFirst lists, per first rune, the distinct terms that start with
	// it, longest first.
	byFirst map[rune][]string
	entries map[string][]models.GlossaryEntry
}

// TermHit is one term found in a text, with every entry for that term
// (an approved rendering and forbidden ones may share a term). Start and
// End are byte offsets.
type TermHit struct {
	Term       string
	Start, End int
	Entries    []models.GlossaryEntry
}

// NewTermbase indexes entries. Deprecated entries are kept: translators
// should see that a rendering is on its way out.
func NewTermbase(entries []models.GlossaryEntry) *Termbase {
	tb := &Termbase{byFirst: map[rune][]string{}, entries: map[string][]models.GlossaryEntry{}}
	for _, e := range entries {
		if e.Term == "" {
			continue
		}
		if _, seen := tb.entries[e.Term]; !seen {
			r, _ := utf8.DecodeRuneInString(e.Term)
			tb.byFirst[r] = append(tb.byFirst[r], e.Term)
		}
		tb.entries[e.Term] = append(tb.entries[e.Term], e)
	}
	for r, terms := range tb.byFirst {
		sort.Slice(terms, func(i, j int) bool {
			if len(terms[i]) != len(terms[j]) {
				return len(terms[i]) > len(terms[j])
			}
			return terms[i] < terms[j]
		})
		tb.byFirst[r] = terms
	}
	return tb
}

// Find returns the non-overlapping terms in text, leftmost-longest, in
// text order.
func (tb *Termbase) Find(text string) []TermHit {
	var hits []TermHit
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		matched := false
		for _, term := range tb.byFirst[r] {
			if len(term) <= len(text)-i && text[i:i+len(term)] == term {
				hits = append(hits, TermHit{Term: term, Start: i, End: i + len(term), Entries: tb.entries[term]})
				i += len(term)
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
	return hits
}
