package lang

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yizhi/models"
)

// LegacyOptions tune DecodeLegacyWith.
type LegacyOptions struct {
	// AllowPrivateUse decodes GB18030 codes whose mapping is a Private
	// Use Area code point — the user-defined areas (AAA1–AFFE, F8A1–FEFE,
	// A140–A7A0) where offices keep home-made characters (造字) for rare
	// name characters, and about 150 more such as FE51 — to those code
	// points, as the standard maps them. By default they are an error:
	// a PUA character means something only with the font of the office
	// that made it, so a published court text would show a blank box.
	AllowPrivateUse bool
}

// DecodeLegacy decodes body from charset strictly and returns UTF-8.
//
// charset is "gb18030", "gbk" or "gb2312" (also "cp936"), any case, or
// "utf-8", which is only checked. The GB labels share one decoder, as in
// the WHATWG Encoding Standard, since files labelled GBK routinely hold
// GB18030 four-byte codes (Uyghur, Tibetan and Mongolian letters have no
// others); they differ only in the single byte 0x80, which is the euro sign
// in GBK (code page 936) and invalid in GB18030. A leading byte order mark
// is dropped.
//
// Any byte sequence that does not encode a character is an error: a
// *models.Error with code EINVALID, a message naming the byte offset, and
// Details {"offset": N, "bytes": "hex", "reason": …}. So is a literal
// EF BF BD in UTF-8 input. The result never holds a U+FFFD that the input
// did not encode as GB18030 84 31 A4 37.
//
// golang.org/x/text decodes 2,067 valid two-byte GB18030 codes to U+FFFD
// (golang/go#62063). Nineteen of them are standard characters and are
// decoded here from our own table, as GB18030-2022 maps them (and WHATWG's
// index-gb18030, ICU and glibc 2.36 decode them): the vertical punctuation
// forms A6D9–A6DF, A6EC, A6ED, A6F3 → U+FE10–FE19, the ideographs FE59 FE61
// FE66 FE67 FE6D FE7E FE90 FEA0 → U+9FB4–9FBB, and A8BC → U+1E3F ḿ (so since
// 2005). GB18030-2005 mapped the first eighteen to PUA stand-ins for exactly
// these characters, which Unicode 4.1 then encoded; their 2005 four-byte
// codes (84 31 82 36 …, 82 35 90 37 …) still decode to the same characters,
// as in WHATWG and ICU. The other 2,048 codes map to PUA code points; see
// LegacyOptions.AllowPrivateUse.
//
// x/text also decodes the four-byte 81 35 F4 37 to U+1E3F, as GB18030-2000
// did (and its encoder still writes ḿ so); since 2005 the code is the PUA
// code point U+E7C7, and it is treated as such.
func DecodeLegacy(charset string, body []byte) (string, error) {
	return DecodeLegacyWith(charset, body, LegacyOptions{})
}

// DecodeLegacyWith is DecodeLegacy with options.
func DecodeLegacyWith(charset string, body []byte, opt LegacyOptions) (string, error) {
	name := strings.ToLower(strings.TrimSpace(charset))
	switch name {
	case "utf-8", "utf8":
		return decodeUTF8(body)
	case "gb18030":
		return decodeGB(name, body, false, opt)
	case "gbk", "gb2312", "cp936", "x-gbk", "windows-936":
		return decodeGB(name, body, true, opt)
	}
	return "", models.Errorf(models.EINVALID, "unsupported charset %q: use gb18030, gbk, gb2312 or utf-8", charset).
		WithDetails(map[string]any{"charset": charset, "supported": []string{"gb18030", "gbk", "gb2312", "utf-8"}})
}

// Reasons in Details["reason"].
const (
	reasonInvalid     = "invalid"
	reasonTruncated   = "truncated"
	reasonUnassigned  = "unassigned"
	reasonPrivateUse  = "private_use"
	reasonReplacement = "replacement_character"
)

func decodeError(charset string, body []byte, off, n int, reason, msg string, extra map[string]any) error {
	if off+n > len(body) {
		n = len(body) - off
	}
	seq := body[off : off+n]
	spaced := strings.TrimSpace(fmt.Sprintf("% x", seq))
	details := map[string]any{"offset": off, "bytes": hex.EncodeToString(seq), "reason": reason, "charset": charset}
	for k, v := range extra {
		details[k] = v
	}
	return models.Errorf(models.EINVALID, "%s: byte offset %d (%s): %s", charset, off, spaced, msg).WithDetails(details)
}

func decodeUTF8(body []byte) (string, error) {
	if !utf8.Valid(body) {
		for i := 0; i < len(body); {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n == 1 {
				return "", decodeError("utf-8", body, i, 1, reasonInvalid, "invalid byte", nil)
			}
			i += n
		}
	}
	if i := bytes.Index(body, []byte("\uFFFD")); i >= 0 {
		return "", decodeError("utf-8", body, i, 3, reasonReplacement,
			"replacement character U+FFFD (text damaged by an earlier conversion)", nil)
	}
	return string(bytes.TrimPrefix(body, []byte("\uFEFF"))), nil
}

// Four-byte GB18030 codes, as linear indexes:
// ((b1−0x81)×10 + b2−0x30)×126 + b3−0x81)×10 + b4−0x30.
const (
	gbBMPLast     = 39419  // 84 31 A4 39 = U+FFFF; beyond it the BMP block is unassigned
	gbFFFD        = 39417  // 84 31 A4 37 = U+FFFD, the only valid encoding of it
	gbE7C7        = 7457   // 81 35 F4 37: U+E7C7 since GB18030-2005
	gbSuppFirst   = 189000 // 90 30 81 30 = U+10000
	gbSuppLast    = gbSuppFirst + 0xFFFFF
	gbChunk       = 64 << 10 // decode in chunks this size (at character boundaries)
	gbReplacement = "\uFFFD"
)

func gbLinear(b []byte) int {
	return ((int(b[0]-0x81)*10+int(b[1]-0x30))*126+int(b[2]-0x81))*10 + int(b[3]-0x30)
}

// gbStandard are the two-byte codes that x/text decodes to U+FFFD although
// they map to standard characters (GB18030-2022, WHATWG index-gb18030).
var gbStandard = map[uint16]rune{
	0xA6D9: 0xFE10, 0xA6DA: 0xFE12, 0xA6DB: 0xFE11, 0xA6DC: 0xFE13, 0xA6DD: 0xFE14,
	0xA6DE: 0xFE15, 0xA6DF: 0xFE16, 0xA6EC: 0xFE17, 0xA6ED: 0xFE18, 0xA6F3: 0xFE19,
	0xA8BC: 0x1E3F,
	0xFE59: 0x9FB4, 0xFE61: 0x9FB5, 0xFE66: 0x9FB6, 0xFE67: 0x9FB7,
	0xFE6D: 0x9FB8, 0xFE7E: 0x9FB9, 0xFE90: 0x9FBA, 0xFEA0: 0x9FBB,
}

// gbPUA are the two-byte codes that map to Private Use Area code points,
// which x/text decodes to U+FFFD: ranges of consecutive codes (in GB order,
// skipping trail byte 0x7F) and the code point of the first. Checked
// against ICU's and CPython's tables: all 2,048 agree.
var gbPUA = []struct {
	first, last uint16
	r           rune
}{
	{0xA140, 0xA1A0, 0xE4C6}, {0xA240, 0xA2A0, 0xE526}, {0xA2AB, 0xA2B0, 0xE766},
	{0xA2E4, 0xA2E4, 0xE76D}, {0xA2EF, 0xA2F0, 0xE76E}, {0xA2FD, 0xA2FE, 0xE770},
	{0xA340, 0xA39F, 0xE586}, {0xA440, 0xA4A0, 0xE5E6}, {0xA4F4, 0xA4FE, 0xE772},
	{0xA540, 0xA5A0, 0xE646}, {0xA5F7, 0xA5FE, 0xE77D}, {0xA640, 0xA6A0, 0xE6A6},
	{0xA6B9, 0xA6C0, 0xE785}, {0xA6F6, 0xA6FE, 0xE797}, {0xA740, 0xA7A0, 0xE706},
	{0xA7C2, 0xA7D0, 0xE7A0}, {0xA7F2, 0xA7FE, 0xE7AF}, {0xA896, 0xA8A0, 0xE7BC},
	{0xA8C1, 0xA8C4, 0xE7C9}, {0xA8EA, 0xA8FE, 0xE7CD}, {0xA958, 0xA958, 0xE7E2},
	{0xA95B, 0xA95B, 0xE7E3}, {0xA95D, 0xA95F, 0xE7E4}, {0xA997, 0xA9A3, 0xE7F4},
	{0xA9F0, 0xA9FE, 0xE801}, {0xAAA1, 0xAAFE, 0xE000}, {0xABA1, 0xABFE, 0xE05E},
	{0xACA1, 0xACFE, 0xE0BC}, {0xADA1, 0xADFE, 0xE11A}, {0xAEA1, 0xAEFE, 0xE178},
	{0xAFA1, 0xAFFE, 0xE1D6}, {0xD7FA, 0xD7FE, 0xE810}, {0xF8A1, 0xF8FE, 0xE234},
	{0xF9A1, 0xF9FE, 0xE292}, {0xFAA1, 0xFAFE, 0xE2F0}, {0xFBA1, 0xFBFE, 0xE34E},
	{0xFCA1, 0xFCFE, 0xE3AC}, {0xFDA1, 0xFDFE, 0xE40A}, {0xFE51, 0xFE53, 0xE816},
	{0xFE6C, 0xFE6C, 0xE831}, {0xFE76, 0xFE76, 0xE83B}, {0xFE91, 0xFE91, 0xE855},
	{0xFEA1, 0xFEFE, 0xE468},
}

// gbPUALikely are the standard characters that six PUA codes stand for,
// offered in the error so an editor can fix the source (glibc even decodes
// them so).
var gbPUALikely = map[uint16]rune{
	0xFE51: 0x20087, 0xFE52: 0x20089, 0xFE53: 0x200CC,
	0xFE6C: 0x215D7, 0xFE76: 0x2298F, 0xFE91: 0x241FE,
}

// gbIndex numbers two-byte codes in GB order, skipping trail byte 0x7F.
func gbIndex(code uint16) int {
	lead, trail := int(code>>8), int(code&0xFF)
	if trail > 0x7F {
		trail--
	}
	return (lead-0x81)*190 + trail - 0x40
}

func gbPUARune(code uint16) (rune, bool) {
	lead := code >> 8
	if !(0xA1 <= lead && lead <= 0xAF || lead == 0xD7 || lead >= 0xF8) {
		return 0, false // fast path: the GB2312 Hanzi rows
	}
	for _, g := range gbPUA {
		if g.first <= code && code <= g.last {
			return g.r + rune(gbIndex(code)-gbIndex(g.first)), true
		}
	}
	return 0, false
}

// isPUA reports the Private Use Areas: U+E000–F8FF and planes 15 and 16
// (without their noncharacters).
func isPUA(r rune) bool {
	return 0xE000 <= r && r <= 0xF8FF || r >= 0xF0000 && r&0xFFFE != 0xFFFE
}

type gbDecoder struct {
	charset string
	body    []byte
	gbk     bool // 0x80 is the euro sign
	opt     LegacyOptions
	out     strings.Builder
}

func decodeGB(charset string, body []byte, gbk bool, opt LegacyOptions) (string, error) {
	d := gbDecoder{charset: charset, body: body, gbk: gbk, opt: opt}
	if err := d.run(); err != nil {
		return "", err
	}
	return strings.TrimPrefix(d.out.String(), "\uFEFF"), nil
}

// run walks body one character at a time, validating its structure itself,
// and hands runs of valid characters to x/text to map. Codes x/text gets
// wrong are written from our tables between runs. Every offset reported is
// the offset of the first byte of the bad character in body.
func (d *gbDecoder) run() error {
	body := d.body
	d.out.Grow(len(body) + len(body)/2)
	runStart, literal := 0, 0 // literal counts 84 31 A4 37 in the run
	for i := 0; i < len(body); {
		if i-runStart >= gbChunk {
			if err := d.flush(runStart, i, literal); err != nil {
				return err
			}
			runStart, literal = i, 0
		}
		c := body[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80:
			if !d.gbk {
				return decodeError(d.charset, body, i, 1, reasonInvalid, "invalid byte (0x80 is the euro sign only in GBK)", nil)
			}
			i++
			continue
		case c == 0xFF:
			return decodeError(d.charset, body, i, 1, reasonInvalid, "invalid byte", nil)
		}
		if i+1 >= len(body) {
			return decodeError(d.charset, body, i, 1, reasonTruncated, "incomplete character at end of input", nil)
		}
		c2 := body[i+1]
		if 0x30 <= c2 && c2 <= 0x39 {
			if i+3 >= len(body) {
				return decodeError(d.charset, body, i, len(body)-i, reasonTruncated, "incomplete four-byte character at end of input", nil)
			}
			c3, c4 := body[i+2], body[i+3]
			if c3 < 0x81 || c3 == 0xFF || c4 < 0x30 || c4 > 0x39 {
				return decodeError(d.charset, body, i, 4, reasonInvalid, "invalid four-byte sequence", nil)
			}
			switch lin := gbLinear(body[i : i+4]); {
			case lin == gbFFFD:
				literal++
			case lin == gbE7C7:
				if err := d.flush(runStart, i, literal); err != nil {
					return err
				}
				// GB18030-2000 encoders wrote ḿ here.
				if err := d.privateUse(i, 4, 0xE7C7, 0x1E3F); err != nil {
					return err
				}
				runStart, literal = i+4, 0
			case lin <= gbBMPLast, gbSuppFirst <= lin && lin <= gbSuppLast:
			default:
				return decodeError(d.charset, body, i, 4, reasonUnassigned, "four-byte code maps to no character", nil)
			}
			i += 4
			continue
		}
		if c2 < 0x40 || c2 == 0x7F || c2 == 0xFF {
			return decodeError(d.charset, body, i, 2, reasonInvalid, "invalid byte sequence", nil)
		}
		code := uint16(c)<<8 | uint16(c2)
		r, std := gbStandard[code]
		pua, isPUACode := rune(0), false
		if !std {
			pua, isPUACode = gbPUARune(code)
		}
		if std || isPUACode {
			if err := d.flush(runStart, i, literal); err != nil {
				return err
			}
			if std {
				d.out.WriteRune(r)
			} else if err := d.privateUse(i, 2, pua, gbPUALikely[code]); err != nil {
				return err
			}
			runStart, literal = i+2, 0
		}
		i += 2
	}
	return d.flush(runStart, len(body), literal)
}

// privateUse writes the PUA code point r for the character at off, or
// refuses it.
func (d *gbDecoder) privateUse(off, n int, r, likely rune) error {
	if d.opt.AllowPrivateUse {
		d.out.WriteRune(r)
		return nil
	}
	extra := map[string]any{"codepoint": fmt.Sprintf("U+%04X", r)}
	msg := fmt.Sprintf("private-use character U+%04X (it has no standard meaning; replace it with a standard character)", r)
	if likely != 0 {
		extra["likely"] = fmt.Sprintf("U+%04X %c", likely, likely)
		msg = fmt.Sprintf("private-use character U+%04X (probably %c U+%04X; replace it with that character)", r, likely, likely)
	}
	return decodeError(d.charset, d.body, off, n, reasonPrivateUse, msg, extra)
}

// flush decodes body[start:end], a run of characters already validated.
// x/text must give exactly one U+FFFD per literal 84 31 A4 37 and, unless
// allowed, no PUA; anything else is located character by character.
func (d *gbDecoder) flush(start, end, literal int) error {
	if start >= end {
		return nil
	}
	chunk := d.body[start:end]
	if ascii(chunk) {
		d.out.Write(chunk)
		return nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(chunk)
	if err != nil || bytes.Count(out, []byte(gbReplacement)) != literal || (!d.opt.AllowPrivateUse && hasPUA(out)) {
		return d.locate(start, end)
	}
	d.out.Write(out)
	return nil
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// hasPUA reports a Private Use Area character in UTF-8 text. Only lead
// bytes EE, EF (U+E000–F8FF) and F3, F4 (planes 15 and 16) can start one.
func hasPUA(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c != 0xEE && c != 0xEF && c != 0xF3 && c != 0xF4 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if isPUA(r) {
			return true
		}
		i += n
	}
	return false
}

// locate finds the character in body[start:end] that x/text decoded wrongly
// and reports it. It is the slow path, taken only on bad input.
func (d *gbDecoder) locate(start, end int) error {
	dec := simplifiedchinese.GB18030.NewDecoder()
	for i := start; i < end; {
		n := gbCharLen(d.body[i:end])
		out, err := dec.Bytes(d.body[i : i+n])
		r, _ := utf8.DecodeRune(out)
		switch {
		case err != nil, utf8.RuneCount(out) != 1:
			return decodeError(d.charset, d.body, i, n, reasonInvalid, "undecodable character", nil)
		case r == utf8.RuneError && !(n == 4 && gbLinear(d.body[i:i+4]) == gbFFFD):
			return decodeError(d.charset, d.body, i, n, reasonUnassigned, "code maps to no character", nil)
		case isPUA(r) && !d.opt.AllowPrivateUse:
			return d.privateUse(i, n, r, 0)
		}
		i += n
	}
	// Unreachable unless x/text changes; refuse rather than guess.
	return decodeError(d.charset, d.body, start, 1, reasonInvalid, "undecodable text", nil)
}

// gbCharLen is the length of the (already validated) character at b[0].
func gbCharLen(b []byte) int {
	switch {
	case b[0] < 0x81 || b[0] == 0xFF || len(b) < 2:
		return 1
	case 0x30 <= b[1] && b[1] <= 0x39 && len(b) >= 4:
		return 4
	}
	return 2
}
