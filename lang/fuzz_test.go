package lang

import (
	"bytes"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"yizhi/models"
)

var fuzzTexts = []string{zhJudgment, zhAnnouncement, zhHearing, boNotice, ugNotice, kkNotice, mnNotice, iiNotice, koNotice, zaNotice, enJudgment,
	"", " ", "\n", "。", "……", "1. A", "e.g. The", "༄༅། །", "\u202f", "a\xffb。"}

var fuzzLangs = []string{"zh-Hans", "bo", "mn-Mong", "ug", "kk-Arab", "ii", "ko", "za", "en", "ar", "my", "ja", "ru", "xx"}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{"bo", "tib", "mn", "mn-Mong-CN", "kk_cn", "zh-Hans-CN", "en-u-rg-cnzzzz", "dz", "x-foo", "", "en-", "ZH_tw"} {
		f.Add(s)
	}
	r := NewRegistry()
	valid := append(r.Supported(), SourceTag)
	f.Fuzz(func(t *testing.T, tag string) {
		got, err := r.Canonicalize(tag)
		if err != nil {
			var e *models.Error
			if !errors.As(err, &e) || e.Code != models.EINVALID {
				t.Fatalf("Canonicalize(%q) error %v", tag, err)
			}
			return
		}
		if !containsString(valid, got) {
			t.Fatalf("Canonicalize(%q) = %q, not a registry tag", tag, got)
		}
		if again, err := r.Canonicalize(got); again != got || err != nil {
			t.Fatalf("Canonicalize is not idempotent: %q → %q → %q, %v", tag, got, again, err)
		}
	})
}

func FuzzNegotiate(f *testing.F) {
	f.Add("mn", "", uint32(0xFFFF), true)
	f.Add("dz", "", uint32(0x3), true)
	f.Add("fr;q=0.2, bo;q=0.9", "ii", uint32(0x155), false)
	f.Add("ug-CN,en;q=0", "zh", uint32(0), true)
	f.Add("*;q=0.5, x-klingon", "kk", uint32(0x80000), true)
	r := NewRegistry()
	tags := append([]string{SourceTag}, r.Supported()...)
	f.Fuzz(func(t *testing.T, accept, explicit string, mask uint32, withSource bool) {
		var avail []string
		for i, tag := range tags {
			if mask&(1<<i) != 0 {
				avail = append(avail, tag)
			}
		}
		if withSource && !containsString(avail, SourceTag) {
			avail = append(avail, SourceTag)
		}
		got, matched := r.Negotiate(accept, explicit, avail, SourceTag)
		if got == "" {
			if matched || (withSource && len(avail) > 0) {
				t.Fatalf("Negotiate(%q, %q, %v) = %q, %v", accept, explicit, avail, got, matched)
			}
			return
		}
		if !containsString(avail, got) {
			t.Fatalf("Negotiate(%q, %q, %v) = %q, not available", accept, explicit, avail, got)
		}
		if !matched && got != SourceTag {
			t.Fatalf("Negotiate(%q, %q, %v) fell back to %q, not the source", accept, explicit, avail, got)
		}
	})
}

func FuzzSegment(f *testing.F) {
	for i, s := range fuzzTexts {
		f.Add(uint8(i), s, false)
	}
	f.Add(uint8(0), "驳回上诉；维持原判。", true)
	f.Fuzz(func(t *testing.T, lang uint8, text string, semicolon bool) {
		l := fuzzLangs[int(lang)%len(fuzzLangs)]
		segs := SegmentWith(l, text, SegmentOptions{BreakAtSemicolon: semicolon})
		checkSegments(t, l, text, segs)
		if !semicolon {
			if strs := SegmentStrings(l, text); len(strs) != len(segs) {
				t.Fatalf("SegmentStrings and Segment disagree")
			}
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for i, s := range fuzzTexts {
		f.Add(uint8(i), s)
	}
	f.Add(uint8(3), "\uFEE9\uFEEB\uFEFB\uFBDD\uFE70\uFEFF")
	f.Fuzz(func(t *testing.T, lang uint8, text string) {
		l := fuzzLangs[int(lang)%len(fuzzLangs)]
		got := Normalize(l, text)
		if utf8.ValidString(text) && !norm.NFC.IsNormalString(got) {
			t.Fatalf("Normalize(%s, %q) = %q is not NFC", l, text, got)
		}
		if again := Normalize(l, got); again != got {
			t.Fatalf("Normalize(%s) is not idempotent on %q", l, text)
		}
		if strings.Count(got, "\u202f") != strings.Count(text, "\u202f") {
			t.Fatalf("Normalize(%s, %q) changed U+202F", l, text)
		}
	})
}

func FuzzCheckQA(f *testing.F) {
	f.Add(uint8(0), "二审案件受理费人民币12,345.67元，由上诉人负担。", "The fee of RMB 12,345.76 is borne by the appellant.", "(2023) X No. 4", "高级人民法院")
	f.Add(uint8(3), "（2023）新民终45号", "（2023）新民终45号", "", "")
	f.Add(uint8(2), "二〇二三年五月六日第一百七十条", "Энэ шүүх\u202e\u202f", "", "法院")
	f.Add(uint8(5), "一亿二千万", "\xff\x00ꆈꌠ《", "ꆈ", "")
	f.Fuzz(func(t *testing.T, lang uint8, src, tgt, token, term string) {
		l := fuzzLangs[int(lang)%len(fuzzLangs)]
		in := QAInput{SourceLang: "zh-Hans", TargetLang: l, AllowedTokens: []string{token},
			Terms:    []Term{{Source: term, Target: token}, {Source: term, Target: tgt, Forbidden: true}},
			Segments: []Pair{{Index: 1, Source: src, Target: tgt}, {Index: 0, Source: tgt, Target: src}}}
		issues := CheckQA(in)
		if !sort.SliceIsSorted(issues, func(i, j int) bool {
			if issues[i].Segment != issues[j].Segment {
				return issues[i].Segment < issues[j].Segment
			}
			return issues[i].Check < issues[j].Check
		}) {
			t.Fatal("issues not sorted")
		}
		for _, is := range issues {
			if (is.Severity != SeverityBlocking && is.Severity != SeverityWarning) || is.Check == "" ||
				is.MessageEN == "" || is.MessageZH == "" || (is.Segment != 0 && is.Segment != 1) {
				t.Fatalf("bad issue %+v", is)
			}
		}
		for _, is := range Blocking(issues) {
			if is.Severity != SeverityBlocking {
				t.Fatal("Blocking returned a warning")
			}
		}
	})
}

var literalFFFD = []byte{0x84, 0x31, 0xA4, 0x37}

func FuzzDecodeLegacy(f *testing.F) {
	for _, s := range fuzzTexts[:11] {
		b, _ := gbEncode(s)
		f.Add(b, uint8(0))
	}
	f.Add([]byte{0xA6, 0xD9, 0xFE, 0x59, 0xA8, 0xBC, 0xFE, 0x51}, uint8(0))
	f.Add([]byte{0x84, 0x31, 0xA4, 0x37, 0x81, 0x35, 0xF4, 0x37}, uint8(1))
	f.Add([]byte("公告\xEF\xBF\xBD\xFF"), uint8(2))
	f.Add([]byte{0xAA, 0xA1, 0x80, 0xE3, 0x32, 0x9A, 0x36}, uint8(3))
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		charset := []string{"gb18030", "gbk", "utf-8", "gb2312"}[mode%4]
		allow := mode&4 != 0
		got, err := DecodeLegacyWith(charset, body, LegacyOptions{AllowPrivateUse: allow})
		if err != nil {
			var e *models.Error
			if !errors.As(err, &e) || e.Code != models.EINVALID {
				t.Fatalf("error %v", err)
			}
			d := e.Details.(map[string]any)
			off, _ := d["offset"].(int)
			seq, herr := hex.DecodeString(d["bytes"].(string))
			if off < 0 || off >= len(body) || herr != nil || len(seq) == 0 || !bytes.HasPrefix(body[off:], seq) {
				t.Fatalf("error %v: offset/bytes do not point into the body (len %d)", err, len(body))
			}
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 output %q", got)
		}
		if n := strings.Count(got, "\uFFFD"); n > 0 {
			if charset == "utf-8" || bytes.Count(body, literalFFFD) < n {
				t.Fatalf("%s: %d U+FFFD in output, body has %d literal encodings", charset, n, bytes.Count(body, literalFFFD))
			}
		}
		if !allow && charset != "utf-8" {
			for _, r := range got {
				if isPUA(r) {
					t.Fatalf("%s: PUA %U in output", charset, r)
				}
			}
		}
	})
}
