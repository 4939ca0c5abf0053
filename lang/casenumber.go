package lang

import (
	"strings"
)

// caseNumber is a Chinese case number such as （2023）最高法民终123号 or
// (2023)京0105民初12345号, or a document number such as 法〔2021〕184号.
type caseNumber struct {
	text       string
	start, end int    // byte offsets in the text it was found in
	year       string // "2023"
	serial     string // "123", the number before 号
}

const caseOpeners = "(（〔[【［"

func isCaseCloser(r rune) bool {
	switch r {
	case ')', '）', '〕', ']', '】', '］':
		return true
	}
	return false
}

// findCaseNumbers returns the case numbers in s: an opening bracket, a
// four-digit year, a closing bracket, the court's abbreviation and the case
// type in Han characters (digits allowed, as in 京0105民初), a serial
// number and 号.
func findCaseNumbers(s string) []caseNumber {
	var out []caseNumber
	for i := 0; i < len(s); {
		c := s[i]
		// Every opener is "(", "[" or starts with byte E3 or EF, so
		// most bytes are passed over without decoding.
		if c != '(' && c != '[' && c != 0xE3 && c != 0xEF {
			i++
			continue
		}
		r, w := decodeRune(s, i)
		if !strings.ContainsRune(caseOpeners, r) {
			i += w
			continue
		}
		if cn, ok := caseNumberAt(s, i, i+w); ok {
			out = append(out, cn)
			i = cn.end
			continue
		}
		i += w
	}
	return out
}

func caseNumberAt(s string, start, i int) (caseNumber, bool) {
	var year []byte
	for len(year) < 4 && i < len(s) {
		r, w := decodeRune(s, i)
		d, ok := asciiDigit(r)
		if !ok {
			return caseNumber{}, false
		}
		year = append(year, d)
		i += w
	}
	if len(year) != 4 || i >= len(s) {
		return caseNumber{}, false
	}
	if r, w := decodeRune(s, i); isCaseCloser(r) {
		i += w
	} else {
		return caseNumber{}, false
	}
	var serial []byte
	for n := 0; i < len(s) && n < 40; n++ {
		r, w := decodeRune(s, i)
		switch d, isDigit := asciiDigit(r); {
		case r == '号':
			if len(serial) == 0 {
				return caseNumber{}, false
			}
			i += w
			return caseNumber{
				text: s[start:i], start: start, end: i,
				year: string(year), serial: canonDecimal(string(serial)),
			}, true
		case isDigit:
			serial = append(serial, d)
		case isHan(r) || r == '字' || r == '第':
			serial = serial[:0] // 京0105民初: the digits were the court's code
		default:
			return caseNumber{}, false
		}
		i += w
	}
	return caseNumber{}, false
}

// asciiDigit accepts ASCII and full-width digits, the two that Chinese
// documents write case numbers in.
func asciiDigit(r rune) (byte, bool) {
	switch {
	case '0' <= r && r <= '9':
		return byte(r), true
	case '０' <= r && r <= '９':
		return byte('0' + r - '０'), true
	}
	return 0, false
}

func spansOf(cases []caseNumber) [][2]int {
	if len(cases) == 0 {
		return nil
	}
	out := make([][2]int, len(cases))
	for i, c := range cases {
		out[i] = [2]int{c.start, c.end}
	}
	return out
}

// flatCaseForm unifies what may differ between two spellings of the same
// case number: bracket shapes, full-width digits and spaces.
func flatCaseForm(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(caseOpeners, r):
			return '('
		case isCaseCloser(r):
			return ')'
		case isSpace(r):
			return -1
		}
		if d, ok := asciiDigit(r); ok {
			return rune(d)
		}
		return r
	}, s)
}
