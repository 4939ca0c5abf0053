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
