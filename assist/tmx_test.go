package assist_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/unicode"

	"yizhi/assist"
	"yizhi/lang"
	"yizhi/models"
)

var registry = lang.NewRegistry()

// A TMX file as CAT tools write them: region subtags and upper case in the
// language codes, TMX 1.1's lang attribute, inline formatting codes, props.
const courtTMX = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.0" o-tmf="SDL TM8 Format"
          datatype="xml" segtype="sentence" adminlang="en-US" srclang="ZH-CN">
    <prop type="x-Recognizers">RecognizeAll</prop>
  </header>
  <body>
    <tu tuid="1" creationdate="20210615T083000Z">
      <prop type="x-yizhi-court">最高人民法院</prop>
      <prop type="x-yizhi-kind">judgment</prop>
      <prop type="x-yizhi-document">42</prop>
      <prop type="x-yizhi-approved-by">7</prop>
      <note>reviewed</note>
      <tuv xml:lang="zh-CN"><seg>本院认为，<bpt i="1">&lt;b&gt;</bpt>上诉理由<ept i="1">&lt;/b&gt;</ept>不能成立。</seg></tuv>
      <tuv xml:lang="ug-CN"><seg>سوت قارىشىچە، ئەرز سەۋەبى تۇرغۇزۇلمايدۇ.</seg></tuv>
      <tuv lang="EN-US"><seg>The court holds that the <hi type="b">grounds of appeal</hi> are untenable.<ph x="1">{\line}</ph></seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-Hans"><seg>  驳回上诉，维持原判。 </seg></tuv>
      <tuv xml:lang="bo-CN"><seg>ཞུ་གཏུག་བཀག་ནས་ཐོག་མའི་ཁྲིམས་ཐག་རྒྱུན་འཁྱོངས་བྱེད།</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>Only English here.</seg></tuv>
      <tuv xml:lang="fr"><seg>Seulement anglais et français.</seg></tuv>
    </tu>
  </body>
</tmx>
`

func readAll(t *testing.T, r io.Reader) ([]assist.TMXUnit, error) {
	t.Helper()
	var units []assist.TMXUnit
	err := assist.ReadTMX(r, registry.Canonicalize, func(u assist.TMXUnit) error {
		units = append(units, u)
		return nil
	})
	return units, err
}

func TestReadTMX(t *testing.T) {
	units, err := readAll(t, strings.NewReader(courtTMX))
	require.NoError(t, err)
	require.Len(t, units, 3)

	u := units[0]
	require.Equal(t, "1", u.ID)
	require.Equal(t, "zh-Hans", u.SrcLang, "ZH-CN in the header maps through the registry")
	require.Equal(t, []assist.TMXVariant{
		{Lang: "zh-Hans", Text: "本院认为，上诉理由不能成立。"}, // the <b> codes are not text
		{Lang: "ug", Text: "سوت قارىشىچە، ئەرز سەۋەبى تۇرغۇزۇلمايدۇ."},
		{Lang: "en", Text: "The court holds that the grounds of appeal are untenable."},
	}, u.Variants)
	require.Equal(t, "最高人民法院", u.Court)
	require.Equal(t, models.KindJudgment, u.Kind)
	require.EqualValues(t, 42, u.DocumentID)
	require.EqualValues(t, 7, u.ApprovedBy)
	require.Equal(t, time.Date(2021, 6, 15, 8, 30, 0, 0, time.UTC), u.Created)
	require.Equal(t, 9, u.Line)

	entries := u.Entries()
	require.Len(t, entries, 2)
	require.Equal(t, "ug", entries[0].TargetLang)
	require.Equal(t, "en", entries[1].TargetLang)
	for _, e := range entries {
		require.Equal(t, models.SourceLang, e.SourceLang)
		require.Equal(t, "本院认为，上诉理由不能成立。", e.SourceText)
		require.Equal(t, models.SegmentHash(e.SourceText), e.SourceHash)
		require.Equal(t, "最高人民法院", e.Court)
		require.EqualValues(t, 42, e.DocumentID)
	}

	second := units[1].Entries()
	require.Len(t, second, 1)
	require.Equal(t, "驳回上诉，维持原判。", second[0].SourceText, "trimmed")
	require.Equal(t, "bo", second[0].TargetLang)

	require.Empty(t, units[2].Entries(), "no Chinese variant: nothing to look up from")
}

func TestReadTMXNormalizesLegacyUyghur(t *testing.T) {
	// Legacy Uyghur software stored presentation forms; the memory must
	// hold letters, or no lookup would ever match it.
	shaped := "\uFEE9\uFEEE\uFEFB" // presentation forms of ھ و ﻻ
	doc := strings.Replace(courtTMX, "سوت قارىشىچە", shaped, 1)
	units, err := readAll(t, strings.NewReader(doc))
	require.NoError(t, err)
	target := units[0].Entries()[0].TargetText
	require.True(t, strings.HasPrefix(target, lang.Normalize("ug", shaped)), target)
	require.NotContains(t, target, "\uFEE9")
}

func TestReadTMXUTF16(t *testing.T) {
	// Trados exports TMX in UTF-16 with a byte-order mark.
	doc := strings.Replace(courtTMX, `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(doc)
	require.NoError(t, err)
	units, err := readAll(t, strings.NewReader(utf16))
	require.NoError(t, err)
	require.Len(t, units, 3)
	require.Equal(t, "本院认为，上诉理由不能成立。", units[0].Variants[0].Text)
}

func TestReadTMXErrorsNameTheLine(t *testing.T) {
	cases := []struct {
		name, doc string
		line      int
		message   string
	}{
		{"mismatched tag", strings.Replace(courtTMX, "</tu>\n    <tu>", "</tuv>\n    <tu>", 1), 18, "malformed XML"},
		{"bad entity", strings.Replace(courtTMX, "驳回上诉", "驳回&上诉", 1), 20, "malformed XML"},
		{"invalid UTF-8", strings.Replace(courtTMX, "维持原判", "维持\xff原判", 1), 20, "malformed XML"},
		{"truncated", courtTMX[:strings.Index(courtTMX, "<tu>")], 19, "malformed XML"},
		{"unknown language", strings.Replace(courtTMX, `xml:lang="bo-CN"`, `xml:lang="xx-Fake"`, 1), 21, `"xx-Fake"`},
		{"Traditional Chinese", strings.Replace(courtTMX, `xml:lang="bo-CN"`, `xml:lang="zh-TW"`, 1), 21, `"zh-TW"`},
		{"no language", strings.Replace(courtTMX, `xml:lang="bo-CN"`, ``, 1), 21, "no xml:lang"},
		{"bad date", strings.Replace(courtTMX, "20210615T083000Z", "2021-06-15", 1), 9, "creationdate"},
		{"bad document prop", strings.Replace(courtTMX, ">42<", ">forty-two<", 1), 12, "whole number"},
		{"not TMX", "<?xml version=\"1.0\"?>\n<html><body/></html>", 2, "not a TMX file"},
		{"second root", courtTMX + "<tmx/>\n", 29, "second root"},
		{"empty", "", 1, "empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, strings.NewReader(tc.doc))
			var e *models.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, models.EINVALID, e.Code)
			require.Contains(t, e.Message, fmt.Sprintf("line %d:", tc.line))
			require.Contains(t, e.Message, tc.message)
			require.Equal(t, tc.line, e.Details.(map[string]any)["line"])
		})
	}
}

func TestReadTMXPassesCallbackAndReadErrorsThrough(t *testing.T) {
	stop := errors.New("stop")
	err := assist.ReadTMX(strings.NewReader(courtTMX), registry.Canonicalize, func(assist.TMXUnit) error { return stop })
	require.Same(t, stop, err)

	broken := errors.New("connection reset")
	half := io.MultiReader(strings.NewReader(courtTMX[:600]), iotestErrReader{broken})
	_, err = readAll(t, half)
	require.ErrorIs(t, err, broken)
	require.Equal(t, models.EINTERNAL, models.ErrorCode(err), "a broken body is not a bad file")
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// generatedTMX produces a TMX document of n units on demand and records how
// much of it has been read.
type generatedTMX struct {
	n, next  int
	buf      bytes.Buffer
	produced int64
	closed   bool
}

func (g *generatedTMX) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && !g.closed {
		switch {
		case g.next == 0:
			g.buf.WriteString(`<tmx version="1.4"><header srclang="zh-CN"/><body>` + "\n")
		case g.next <= g.n:
			fmt.Fprintf(&g.buf, "<tu><tuv xml:lang=\"zh\"><seg>第%d条</seg></tuv><tuv xml:lang=\"ug\"><seg>%d-ماددا</seg></tuv></tu>\n", g.next, g.next)
		default:
			g.buf.WriteString("</body></tmx>\n")
			g.closed = true
		}
		g.next++
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	n, _ := g.buf.Read(p)
	g.produced += int64(n)
	return n, nil
}

func TestReadTMXStreams(t *testing.T) {
	g := &generatedTMX{n: 200_000} // about 16 MB
	var seen int
	var producedAtFirst int64
	err := assist.ReadTMX(g, registry.Canonicalize, func(u assist.TMXUnit) error {
		if seen == 0 {
			producedAtFirst = g.produced
		}
		seen++
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 200_000, seen)
	require.Less(t, producedAtFirst, int64(256<<10), "the first unit must arrive before the file is read")
	require.Greater(t, g.produced, int64(10<<20))
}

func TestWriteTMXRoundTrip(t *testing.T) {
	created := time.Date(2024, 5, 6, 9, 30, 0, 0, time.UTC)
	in := []assist.TMXUnit{
		{ID: "1", SrcLang: "zh-Hans", Created: created, Court: "吉林省延边朝鲜族自治州中级人民法院", Kind: models.KindHearingNotice,
			DocumentID: 3, ApprovedBy: 5, PrevHash: models.SegmentHash("开庭公告"), NextHash: models.SegmentHash("欢迎旁听。"),
			Variants: []assist.TMXVariant{
				{Lang: "zh-Hans", Text: `本院定于2024年5月6日在"第三法庭"公开审理(2024)吉24民初7号案件 & <附件>。`},
				{Lang: "ko", Text: "본원은 2024년 5월 6일 '제3법정'에서 사건을 공개 심리한다 & <첨부>."},
			}},
		{ID: "2", SrcLang: "zh-Hans", Created: created, Variants: []assist.TMXVariant{
			{Lang: "zh-Hans", Text: "第一行\n第二行\t𠀀"},
			{Lang: "mn-Mong", Text: "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ ᠶᠢᠨ\u202fᠬᠠᠭᠤᠯᠢ"},
			{Lang: "bo", Text: "བོད་སྐད་ ཁྲིམས་ཁང་།"},
		}},
	}
	var buf bytes.Buffer
	err := assist.WriteTMX(&buf, assist.TMXHeader{CreationDate: created}, func(yield func(assist.TMXUnit) error) error {
		for _, u := range in {
			if err := yield(u); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
	out := buf.String()
	require.Contains(t, out, `<header creationtool="yizhi" creationtoolversion="1" segtype="sentence" o-tmf="yizhi" adminlang="en" srclang="zh-Hans" datatype="plaintext" creationdate="20240506T093000Z"/>`)
	require.Contains(t, out, `<prop type="x-yizhi-court">吉林省延边朝鲜族自治州中级人民法院</prop>`)
	require.Contains(t, out, `&lt;附件&gt;`)

	got, err := readAll(t, &buf)
	require.NoError(t, err)
	require.Len(t, got, len(in))
	for i := range in {
		got[i].Line = 0
		require.Equal(t, in[i], got[i])
	}
}

func TestWriteTMXLeavesAFailedExportUnclosed(t *testing.T) {
	var buf bytes.Buffer
	boom := errors.New("database went away")
	err := assist.WriteTMX(&buf, assist.TMXHeader{}, func(yield func(assist.TMXUnit) error) error {
		_ = yield(assist.TMXUnit{Variants: []assist.TMXVariant{{Lang: "zh-Hans", Text: "一"}, {Lang: "en", Text: "one"}}})
		return boom
	})
	require.Same(t, boom, err)
	require.NotContains(t, buf.String(), "</tmx>")
	_, err = readAll(t, &buf)
	require.Error(t, err)
}

func TestTMXUnitOfAndEntriesAgree(t *testing.T) {
	e := models.TMEntry{ID: 9, SourceLang: "zh-Hans", TargetLang: "ug", SourceText: "驳回上诉", TargetText: "ئەرزنى رەت قىلىش",
		SourceHash: models.SegmentHash("驳回上诉"), DocumentID: 2, Court: "新疆维吾尔自治区高级人民法院", Kind: models.KindJudgment,
		ApprovedBy: 4, PrevHash: "p", NextHash: "n", CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	back := assist.TMXUnitOf(e).Entries()
	require.Len(t, back, 1)
	e.ID = 0
	require.Equal(t, e, back[0])
}
