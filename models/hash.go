package models

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ContentHash is the hex sha256 of parts joined by a NUL byte, so ("ab","c")
// and ("a","bc") differ. It identifies texts in workflow history and in the
// read model without carrying the texts themselves.
func ContentHash(parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SegmentHash keys a segment in the translation memory: whitespace around a
// sentence does not change what it says.
func SegmentHash(text string) string {
	return ContentHash(strings.TrimSpace(text))
}

// MatchSegments pairs the segments of a new source version with those of
// the old one they repeat word for word: out[i] is the old index of
// newSegs[i], or -1 for a changed segment. Repeated sentences pair in
// order, so a sentence said twice keeps both translations.
func MatchSegments(oldSegs, newSegs []Segment) []int {
	byHash := make(map[string][]int, len(oldSegs))
	for _, s := range oldSegs {
		byHash[s.Hash] = append(byHash[s.Hash], s.Index)
	}
	out := make([]int, len(newSegs))
	for i, s := range newSegs {
		out[i] = -1
		if q := byHash[s.Hash]; len(q) > 0 {
			out[i], byHash[s.Hash] = q[0], q[1:]
		}
	}
	return out
}
