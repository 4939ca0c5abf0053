package lang

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestDecodeRune(t *testing.T) {
	check := func(b []byte) {
		s := string(b)
		r, n := decodeRune(s, 0)
		wr, wn := utf8.DecodeRuneInString(s)
		if r != wr || n != wn {
			t.Fatalf("decodeRune(% x) = %U, %d; utf8 says %U, %d", b, r, n, wr, wn)
		}
	}
	for a := 0; a < 256; a++ {
		check([]byte{byte(a)})
		for b := 0; b < 256; b++ {
			check([]byte{byte(a), byte(b)})
			if a >= 0xC0 {
				for c := 0; c < 256; c += 1 {
					check([]byte{byte(a), byte(b), byte(c)})
				}
			}
		}
	}
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		r      rune
		script script
		is     class
		not    class
	}{
		{'a', scLatin, cLetter | cLower, cUpper},
		{'Q', scLatin, cLetter | cUpper, cLower},
		{'7', scNone, cDigit, cLetter},
		{'中', scHan, cLetter, cPunct},
		{'。', scNone, cPunct, cLetter},
		{'ئ', scArabic, cLetter, 0},
		{'ཀ', scTibetan, cLetter, 0},
		{'\u0FB7', scTibetan, cMark, cLetter}, // subjoined ha
		{'༢', scTibetan, cDigit, cLetter},
		{'ᠮ', scMongolian, cLetter, 0},
		{'᠃', scNone, cPunct, cLetter}, // Common: shared with Phags-pa
		{'ꀕ', scYi, cLetter, cPunct},   // Lm, a letter
		{'한', scHangul, cLetter, 0},
		{'Ж', scCyrillic, cLetter | cUpper, 0},
		{' ', scNone, cSpace, 0},
		{'\u3000', scNone, cSpace, 0},
		{'\u202F', scNone, 0, cSpace}, // NNBSP is not a separator here
		{'\u200F', scNone, cFormat, 0},
		{'\u0007', scNone, cControl, 0},
		{'ა', scOther, cLetter, 0}, // Georgian
		{0x20087, scHan, cLetter, 0},
	}
	for _, tt := range tests {
		c := classOf(tt.r)
		if c.script() != tt.script || c&tt.is != tt.is || c&tt.not != 0 {
			t.Errorf("classOf(%U) = script %s, bits %b", tt.r, scriptNames[c.script()], c&^scriptMask)
		}
	}
	// The table agrees with the unicode package on every BMP rune.
	for r := rune(0); r < 0x10000; r++ {
		c := classOf(r)
		if (c&cLetter != 0) != unicode.IsLetter(r) || (c&cDigit != 0) != unicode.IsDigit(r) ||
			(c&cPunct != 0) != unicode.IsPunct(r) || (c&cUpper != 0) != unicode.In(r, unicode.Lu, unicode.Lt) {
			t.Fatalf("classOf(%U) = %b disagrees with package unicode", r, c)
		}
		if (c&cSpace != 0) != (unicode.IsSpace(r) && r != 0x202F) {
			t.Fatalf("classOf(%U): space bit %v", r, c&cSpace != 0)
		}
	}
	for r, want := range map[rune]int{'5': 5, '５': 5, '٥': 5, '۵': 5, '༥': 5, '᠕': 5, '၅': 5, '๕': 5, 0x1D7D3: 5} {
		if got, ok := digitValue(r); !ok || got != want {
			t.Errorf("digitValue(%U) = %d, %v", r, got, ok)
		}
	}
	if _, ok := digitValue('五'); ok {
		t.Error("五 is not a decimal digit")
	}
}
