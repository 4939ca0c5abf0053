package lang

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yizhi/models"
)

func gbEncode(s string) ([]byte, error) {
	return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
}

func gb(t testing.TB, s string) []byte {
	t.Helper()
	b, err := gbEncode(s)
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// legacyErr asserts err is an EINVALID *models.Error at offset with the
// given reason, and returns its message.
func legacyErr(t *testing.T, err error, offset int, hexBytes, reason string) string {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.EINVALID {
		t.Fatalf("error = %v, want an EINVALID *models.Error", err)
	}
	d, ok := e.Details.(map[string]any)
	if !ok {
		t.Fatalf("details = %T", e.Details)
	}
	if d["offset"] != offset || (hexBytes != "" && d["bytes"] != hexBytes) || d["reason"] != reason {
		t.Fatalf("details = %v, want offset %d bytes %q reason %s", d, offset, hexBytes, reason)
	}
	if !strings.Contains(e.Message, fmt.Sprintf("byte offset %d", offset)) {
		t.Fatalf("message %q does not name offset %d", e.Message, offset)
	}
	return e.Message
}

func TestDecodeLegacyCourtText(t *testing.T) {
	for _, text := range []string{zhJudgment, zhAnnouncement, zhHearing, ugNotice, boNotice, mnNotice, kkNotice, iiNotice, koNotice,
		"𠂇𠂉 € \uFE10\u9FB4 \U0002A6D6 \u0080"} {
		body := gb(t, text)
		for _, cs := range []string{"gb18030", "GB18030", "gbk", "GBK", "gb2312", " cp936 "} {
			got, err := DecodeLegacy(cs, body)
			if err != nil || got != text {
				t.Fatalf("DecodeLegacy(%s) = %q, %v\nwant %q", cs, got, err, text)
			}
		}
	}
}

// TestDecodeLegacyGap checks every two-byte code: where x/text decodes it,
// we agree; where it gives U+FFFD (golang/go#62063), we decode the 19
// standard characters from our table and the 2,048 PUA codes only on
// request.
func TestDecodeLegacyGap(t *testing.T) {
	std, pua := 0, 0
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x40; trail <= 0xFE; trail++ {
			if trail == 0x7F {
				continue
			}
			b := []byte{byte(lead), byte(trail)}
			x, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			got, err := DecodeLegacy("gb18030", b)
			gotPUA, errPUA := DecodeLegacyWith("gb18030", b, LegacyOptions{AllowPrivateUse: true})
			if errPUA != nil {
				t.Fatalf("%X: %v", b, errPUA)
			}
			code := uint16(lead<<8 | trail)
			if string(x) != "\uFFFD" {
				if got != string(x) || gotPUA != string(x) || err != nil {
					t.Fatalf("%X: got %q %v, x/text %q", b, got, err, x)
				}
				continue
			}
			r, _ := utf8.DecodeRuneInString(gotPUA)
			if want, ok := gbStandard[code]; ok {
				std++
				if got != string(want) || err != nil || r != want {
					t.Fatalf("%X: got %q %v, want %U", b, got, err, want)
				}
				continue
			}
			pua++
			if !isPUA(r) || utf8.RuneCountInString(gotPUA) != 1 {
				t.Fatalf("%X: AllowPrivateUse gave %U", b, []rune(gotPUA))
			}
			legacyErr(t, err, 0, fmt.Sprintf("%02x%02x", lead, trail), reasonPrivateUse)
		}
	}
	if std != 19 || pua != 2048 {
		t.Errorf("gap: %d standard, %d PUA; want 19 and 2048", std, pua)
	}
}

func TestDecodeLegacyGapCodes(t *testing.T) {
	// The codes named in golang/go#62063 and their GB18030-2022 mappings.
	tests := map[string]rune{
		"A6D9": 0xFE10, "A6DA": 0xFE12, "A6DB": 0xFE11, "A6DC": 0xFE13, "A6DD": 0xFE14, "A6DE": 0xFE15, "A6DF": 0xFE16,
		"A6EC": 0xFE17, "A6ED": 0xFE18, "A6F3": 0xFE19, "A8BC": 0x1E3F,
		"FE59": 0x9FB4, "FE61": 0x9FB5, "FE66": 0x9FB6, "FE67": 0x9FB7, "FE6D": 0x9FB8, "FE7E": 0x9FB9, "FE90": 0x9FBA, "FEA0": 0x9FBB,
	}
	for h, want := range tests {
		var b []byte
		fmt.Sscanf(h, "%X", &b)
		body := append(append(gb(t, "案号"), b...), gb(t, "号")...)
		got, err := DecodeLegacy("gb18030", body)
		if err != nil || got != "案号"+string(want)+"号" {
			t.Errorf("%s: got %q %v, want %U", h, got, err, want)
		}
	}
	// PUA codes: the standard code point on request, an error naming the
	// offset otherwise.
	pua := map[string]rune{"FE51": 0xE816, "FE52": 0xE817, "FE53": 0xE818, "FE6C": 0xE831, "FE76": 0xE83B, "FE91": 0xE855,
		"AAA1": 0xE000, "AFFE": 0xE233, "F8A1": 0xE234, "FEFE": 0xE4C5, "A140": 0xE4C6, "A7A0": 0xE765, "A2AB": 0xE766, "FEA1": 0xE468}
	for h, want := range pua {
		var b []byte
		fmt.Sscanf(h, "%X", &b)
		body := append([]byte("ab"), b...)
		got, err := DecodeLegacyWith("gbk", body, LegacyOptions{AllowPrivateUse: true})
		if err != nil || got != "ab"+string(want) {
			t.Errorf("%s: got %U %v, want %U", h, []rune(got), err, want)
		}
		_, err = DecodeLegacy("gbk", body)
		msg := legacyErr(t, err, 2, strings.ToLower(h), reasonPrivateUse)
		if !strings.Contains(msg, fmt.Sprintf("U+%04X", want)) {
			t.Errorf("%s: message %q does not name U+%04X", h, msg, want)
		}
	}
	// FE51 is most likely 𠂇 U+20087; the error says so.
	_, err := DecodeLegacy("gb18030", []byte{0xFE, 0x51})
	if !strings.Contains(err.Error(), "U+20087") {
		t.Errorf("FE51 error = %v", err)
	}
}

func TestDecodeLegacyFourByte(t *testing.T) {
	// 81 35 F4 37 is U+E7C7 since GB18030-2005; x/text says U+1E3F.
	_, err := DecodeLegacy("gb18030", []byte("x\x81\x35\xF4\x37"))
	legacyErr(t, err, 1, "8135f437", reasonPrivateUse)
	got, err := DecodeLegacyWith("gb18030", []byte("x\x81\x35\xF4\x37"), LegacyOptions{AllowPrivateUse: true})
	if err != nil || got != "x\uE7C7" {
		t.Errorf("8135F437 = %U, %v", []rune(got), err)
	}
	// The 2005 four-byte codes of the vertical forms still decode, as in
	// WHATWG and ICU.
	got, err = DecodeLegacy("gb18030", []byte("\x84\x31\x82\x36\x82\x35\x90\x37"))
	if err != nil || got != "\uFE10\u9FB4" {
		t.Errorf("four-byte vertical forms = %U, %v", []rune(got), err)
	}
	// PUA reached through four-byte codes is refused too.
	for _, r := range []rune{0xE865, 0xF8FF, 0xF0000, 0x10FFFD} {
		body := append([]byte("ok"), gb(t, string(r))...)
		_, err := DecodeLegacy("gb18030", body)
		legacyErr(t, err, 2, "", reasonPrivateUse)
		got, err := DecodeLegacyWith("gb18030", body, LegacyOptions{AllowPrivateUse: true})
		if err != nil || got != "ok"+string(r) {
			t.Errorf("%U: %U, %v", r, []rune(got), err)
		}
	}
}

func TestDecodeLegacyReplacementCharacter(t *testing.T) {
	// The one valid GB18030 encoding of U+FFFD passes through.
	got, err := DecodeLegacy("gb18030", []byte("a\x84\x31\xA4\x37b"))
	if err != nil || got != "a\uFFFDb" {
		t.Errorf("literal FFFD = %q, %v", got, err)
	}
	// In UTF-8 a U+FFFD means an earlier conversion lost text.
	_, err = DecodeLegacy("utf-8", []byte("公告\xEF\xBF\xBD"))
	legacyErr(t, err, 6, "efbfbd", reasonReplacement)
}

func TestDecodeLegacyErrors(t *testing.T) {
	tests := []struct {
		name, charset string
		body          []byte
		offset        int
		bytes, reason string
	}{
		{"invalid lead FF", "gb18030", []byte("ab\xFFcd"), 2, "ff", reasonInvalid},
		{"0x80 in GB18030", "gb18030", []byte("a\x80"), 1, "80", reasonInvalid},
		{"lead then space", "gbk", []byte("\xD6\xD0\xD6 "), 2, "d620", reasonInvalid},
		{"trail 7F", "gb18030", []byte("\xA1\x7F"), 0, "a17f", reasonInvalid},
		{"trail FF", "gb18030", []byte("\xA1\xFF"), 0, "a1ff", reasonInvalid},
		{"truncated two-byte", "gb18030", []byte("\xD6\xD0\xCE"), 2, "ce", reasonTruncated},
		{"truncated four-byte", "gb18030", []byte("\xD6\xD0\x81\x30\x81"), 2, "813081", reasonTruncated},
		{"bad third byte", "gb18030", []byte("\x81\x30\x20\x30"), 0, "81302030", reasonInvalid},
		{"bad fourth byte", "gb18030", []byte("\x81\x30\x81\x3A"), 0, "8130813a", reasonInvalid},
		{"unassigned BMP four-byte", "gb18030", []byte("a\x84\x31\xA5\x30"), 1, "8431a530", reasonUnassigned},
		{"between BMP and supplementary", "gb18030", []byte("\x85\x30\x81\x30"), 0, "85308130", reasonUnassigned},
		{"beyond U+10FFFF", "gb18030", []byte("\xE3\x32\x9A\x36"), 0, "e3329a36", reasonUnassigned},
		{"last four-byte", "gbk", []byte("\xFE\x39\xFE\x39"), 0, "fe39fe39", reasonUnassigned},
		{"invalid UTF-8", "utf-8", []byte("公告\xE5\x85"), 6, "e5", reasonInvalid},
		{"overlong UTF-8", "UTF8", []byte("a\xC0\xAF"), 1, "c0", reasonInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeLegacy(tt.charset, tt.body)
			if err == nil {
				t.Fatalf("got %q, want error", got)
			}
			legacyErr(t, err, tt.offset, tt.bytes, tt.reason)
		})
	}
}

// x/text's encoder still writes ḿ as 81 35 F4 37 (GB18030-2000); since
// 2005 that code is U+E7C7 and ḿ is A8BC.
func TestDecodeLegacyXTextEncodesMAcuteOldStyle(t *testing.T) {
	if b := gb(t, "ḿ"); !bytes.Equal(b, []byte{0x81, 0x35, 0xF4, 0x37}) {
		t.Logf("x/text now encodes ḿ as % X", b)
	}
	got, err := DecodeLegacy("gb18030", []byte{0xA8, 0xBC})
	if err != nil || got != "ḿ" {
		t.Errorf("A8BC = %q, %v", got, err)
	}
}

func TestDecodeLegacyEuro(t *testing.T) {
	got, err := DecodeLegacy("gbk", []byte("\x80100"))
	if err != nil || got != "€100" {
		t.Errorf("gbk 0x80 = %q, %v", got, err)
	}
}

func TestDecodeLegacyCharsets(t *testing.T) {
	got, err := DecodeLegacy("utf-8", []byte("\xEF\xBB\xBF公告"))
	if err != nil || got != "公告" {
		t.Errorf("utf-8 with BOM = %q, %v", got, err)
	}
	got, err = DecodeLegacy("gb18030", append([]byte("\x84\x31\x95\x33"), gb(t, "公告")...))
	if err != nil || got != "公告" {
		t.Errorf("gb18030 with BOM = %q, %v", got, err)
	}
	for _, cs := range []string{"big5", "latin1", "", "utf-16"} {
		_, err := DecodeLegacy(cs, []byte("a"))
		var e *models.Error
		if !errors.As(err, &e) || e.Code != models.EINVALID || !strings.Contains(e.Message, fmt.Sprintf("%q", cs)) {
			t.Errorf("charset %q: %v", cs, err)
		}
	}
	if got, err := DecodeLegacy("gb18030", nil); got != "" || err != nil {
		t.Errorf("empty = %q, %v", got, err)
	}
}

// TestDecodeLegacyChunks: offsets stay exact in long bodies, across the
// chunks the decoder hands to x/text, and a gap code at a chunk edge is
// still mapped.
func TestDecodeLegacyChunks(t *testing.T) {
	unit := gb(t, "本院认为，根据《中华人民共和国民事诉讼法》第一百七十条之规定，判决如下：ئۇقتۇرۇش། ")
	var body []byte
	for len(body) < 3*gbChunk {
		body = append(body, unit...)
	}
	text := strings.Repeat(string(mustDecode(t, unit)), len(body)/len(unit))
	got, err := DecodeLegacy("gb18030", body)
	if err != nil || got != text {
		t.Fatalf("long body: %v (equal %v)", err, got == text)
	}
	// Put a gap code right at the first chunk boundary, an ASCII pad
	// keeping characters aligned.
	for _, pos := range []int{gbChunk - 2, gbChunk - 1, gbChunk, gbChunk + 1} {
		b := bytes.Repeat([]byte("a"), pos)
		b = append(b, 0xA6, 0xD9)
		b = append(b, unit...)
		got, err := DecodeLegacy("gb18030", b)
		if err != nil || !strings.HasPrefix(got[pos:], "\uFE10") {
			t.Fatalf("gap code at %d: %v", pos, err)
		}
		// And a bad byte after it, far into the body.
		bad := append(append([]byte{}, b...), body...)
		off := len(bad)
		bad = append(bad, 0xFF)
		_, err = DecodeLegacy("gb18030", bad)
		legacyErr(t, err, off, "ff", reasonInvalid)
	}
}

func mustDecode(t testing.TB, b []byte) []byte {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
