package assist_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/assist"
	"yizhi/models"
)

// Court names from the SPC notice on the English names of courts
// (法〔2021〕184号), in TBX-Basic as a terminology tool exports it: the
// deprecated rendering "Higher People's Court" is marked forbidden, the
// source sits at the concept level, and one concept uses <ntig>.
const courtTBXBasic = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader>
    <fileDesc><sourceDesc><p>法〔2021〕184号</p></sourceDesc></fileDesc>
  </martifHeader>
  <text>
    <body>
      <termEntry id="spc">
        <descrip type="subjectField">court names</descrip>
        <admin type="source">法〔2021〕184号</admin>
        <langSet xml:lang="zh-CN">
          <tig><term>最高人民法院</term><termNote type="partOfSpeech">noun</termNote></tig>
        </langSet>
        <langSet xml:lang="en-US">
          <tig>
            <term>The Supreme People's Court of the People's Republic of China</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </tig>
        </langSet>
        <langSet xml:lang="ug">
          <tig><term>ئالىي خەلق سوت مەھكىمىسى</term></tig>
        </langSet>
      </termEntry>
      <termEntry id="hebei">
        <descripGrp><descrip type="subjectField">court names</descrip></descripGrp>
        <langSet xml:lang="zh">
          <tig><term>河北省高级人民法院</term></tig>
        </langSet>
        <langSet xml:lang="en">
          <admin type="source">法〔2021〕184号</admin>
          <tig>
            <term>The High People's Court of Hebei Province</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </tig>
          <tig>
            <term>Higher People's Court of Hebei Province</term>
            <termNote type="administrativeStatus">notRecommended</termNote>
            <note>"Higher" is the pre-2021 rendering; the notice replaced it.</note>
          </tig>
        </langSet>
      </termEntry>
      <termEntry id="shanghai1">
        <langSet xml:lang="zh-Hans">
          <ntig>
            <termGrp>
              <term>上海市第一中级人民法院</term>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            </termGrp>
          </ntig>
        </langSet>
        <langSet xml:lang="en">
          <ntig>
            <termGrp>
              <term>The First Intermediate People's Court of Shanghai Municipality</term>
              <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
            </termGrp>
            <admin type="source">法〔2021〕184号</admin>
          </ntig>
        </langSet>
      </termEntry>
      <termEntry id="en-only">
        <langSet xml:lang="en"><tig><term>court</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
`

// The same kind of data in TBX v3 (ISO 30042:2019), with Tibetan and Uyghur
// terms and the statuses yizhi distinguishes.
const courtTBXv3 = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="zh-Hans" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>民族语言司法术语</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <descrip type="subjectField">court names</descrip>
        <langSec xml:lang="zh">
          <termSec><term>基层人民法院</term></termSec>
        </langSec>
        <langSec xml:lang="en">
          <termSec><term>Primary People's Court</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
          <termSec><term>Basic People's Court</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
          <termSec>
            <term>Grassroots Court</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            <termNote type="x-yizhi-status">forbidden</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="bo">
          <termSec><term>གཞི་རིམ་མི་དམངས་ཁྲིམས་ཁང་</term></termSec>
        </langSec>
        <langSec xml:lang="uig">
          <termSec><term>ئاساسىي قاتلام خەلق سوت مەھكىمىسى</term></termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="c2">
        <descrip type="subjectField">procedure</descrip>
        <note>裁判文书常用语</note>
        <langSec xml:lang="zh-CN">
          <termSec><term>驳回上诉</term></termSec>
        </langSec>
        <langSec xml:lang="ug-CN">
          <termSec><term>ئەرزنى رەت قىلىش</term><admin type="source">维吾尔文司法术语规范</admin></termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
`

func readConcepts(t *testing.T, r io.Reader) ([]assist.TBXConcept, error) {
	t.Helper()
	var cs []assist.TBXConcept
	err := assist.ReadTBX(r, registry.Canonicalize, func(c assist.TBXConcept) error {
		cs = append(cs, c)
		return nil
	})
	return cs, err
}

func entriesOf(cs []assist.TBXConcept) []models.GlossaryEntry {
	var out []models.GlossaryEntry
	for _, c := range cs {
		out = append(out, c.Entries()...)
	}
	return out
}

type pairStatus struct{ Lang, Term, Translation, Status, Domain, SourceRef, Notes string }

func summarize(es []models.GlossaryEntry) []pairStatus {
	out := make([]pairStatus, len(es))
	for i, e := range es {
		out[i] = pairStatus{e.TargetLang, e.Term, e.Translation, e.Status, e.Domain, e.SourceRef, e.Notes}
	}
	return out
}

func TestReadTBXBasic(t *testing.T) {
	cs, err := readConcepts(t, strings.NewReader(courtTBXBasic))
	require.NoError(t, err)
	require.Len(t, cs, 4)
	require.Equal(t, "spc", cs[0].ID)
	require.Equal(t, 9, cs[0].Line)

	const ref = "法〔2021〕184号"
	require.Equal(t, []pairStatus{
		{"en", "最高人民法院", "The Supreme People's Court of the People's Republic of China", "approved", "court names", ref, ""},
		{"ug", "最高人民法院", "ئالىي خەلق سوت مەھكىمىسى", "approved", "court names", ref, ""},
		{"en", "河北省高级人民法院", "The High People's Court of Hebei Province", "approved", "court names", ref, ""},
		{"en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "forbidden", "court names", ref,
			`"Higher" is the pre-2021 rendering; the notice replaced it.`},
		{"en", "上海市第一中级人民法院", "The First Intermediate People's Court of Shanghai Municipality", "approved", "", ref, ""},
	}, summarize(entriesOf(cs)), "a concept without Chinese gives nothing")
}

func TestReadTBXv3(t *testing.T) {
	cs, err := readConcepts(t, strings.NewReader(courtTBXv3))
	require.NoError(t, err)
	require.Equal(t, []pairStatus{
		{"en", "基层人民法院", "Primary People's Court", "approved", "court names", "", ""},
		{"en", "基层人民法院", "Basic People's Court", "deprecated", "court names", "", ""},
		{"en", "基层人民法院", "Grassroots Court", "forbidden", "court names", "", ""},
		{"bo", "基层人民法院", "གཞི་རིམ་མི་དམངས་ཁྲིམས་ཁང་", "approved", "court names", "", ""},
		{"ug", "基层人民法院", "ئاساسىي قاتلام خەلق سوت مەھكىمىسى", "approved", "court names", "", ""},
		{"ug", "驳回上诉", "ئەرزنى رەت قىلىش", "approved", "procedure", "维吾尔文司法术语规范", "裁判文书常用语"},
	}, summarize(entriesOf(cs)))
}

func TestReadTBXErrorsNameTheLine(t *testing.T) {
	cases := []struct {
		name, doc string
		line      int
		message   string
	}{
		{"mismatched tag", strings.Replace(courtTBXv3, "<term>基层人民法院</term></termSec>", "<term>基层人民法院</term></langSec>", 1), 9, "malformed XML"},
		{"unknown language", strings.Replace(courtTBXv3, `xml:lang="bo"`, `xml:lang="tlh"`, 1), 20, `"tlh"`},
		{"no language", strings.Replace(courtTBXv3, `<langSec xml:lang="bo">`, `<langSec>`, 1), 20, "no xml:lang"},
		{"unknown status", strings.Replace(courtTBXv3, "supersededTerm-admn-sts", "maybeTerm", 1), 13, "administrativeStatus"},
		{"bad yizhi status", strings.Replace(courtTBXv3, ">forbidden<", ">banned<", 1), 17, "x-yizhi-status"},
		{"empty term", strings.Replace(courtTBXv3, "<term>驳回上诉</term>", "<term> </term>", 1), 31, "no <term>"},
		{"not TBX", "<tmx version=\"1.4\"><body/></tmx>", 1, "not a TBX file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readConcepts(t, strings.NewReader(tc.doc))
			var e *models.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, models.EINVALID, e.Code)
			require.Contains(t, e.Message, tc.message)
			require.Contains(t, e.Message, fmt.Sprintf("line %d:", tc.line))
			require.Equal(t, tc.line, e.Details.(map[string]any)["line"])
		})
	}
}

// glossary is what a termbase holds, ordered as store.ExportGlossary
// yields it: by term, then domain, then id.
var glossary = []models.GlossaryEntry{
	{ID: 4, TargetLang: "en", Term: "上海市第一中级人民法院", Translation: "The First Intermediate People's Court of Shanghai Municipality", Domain: "court names", Status: "approved", SourceRef: "法〔2021〕184号"},
	{ID: 1, TargetLang: "en", Term: "最高人民法院", Translation: "The Supreme People's Court of the People's Republic of China", Domain: "court names", Status: "approved", SourceRef: "法〔2021〕184号"},
	{ID: 6, TargetLang: "ug", Term: "最高人民法院", Translation: "ئالىي خەلق سوت مەھكىمىسى", Domain: "court names", Status: "approved"},
	{ID: 7, TargetLang: "bo", Term: "最高人民法院", Translation: "མཐོ་ཤོས་མི་དམངས་ཁྲིམས་ཁང་", Domain: "court names", Status: "approved"},
	{ID: 2, TargetLang: "en", Term: "河北省高级人民法院", Translation: "The High People's Court of Hebei Province", Domain: "court names", Status: "approved", SourceRef: "法〔2021〕184号"},
	{ID: 3, TargetLang: "en", Term: "河北省高级人民法院", Translation: "Higher People's Court of Hebei Province", Domain: "court names", Status: "forbidden", SourceRef: "法〔2021〕184号",
		Notes: "旧译名，已停用。\nSee the notice, item 2 & <annex>."},
	{ID: 5, TargetLang: "en", Term: "基层人民法院", Translation: "Primary People's Court", Domain: "court names", Status: "approved"},
	{ID: 8, TargetLang: "en", Term: "基层人民法院", Translation: "Basic People's Court", Domain: "court names", Status: "deprecated"},
	{ID: 9, TargetLang: "en", Term: "法院", Translation: "court", Domain: "", Status: "approved"},
	{ID: 10, TargetLang: "en", Term: "法院", Translation: "tribunal", Domain: "maritime", Status: "deprecated"},
}

func TestWriteTBXRoundTrip(t *testing.T) {
	for _, format := range []assist.TBXFormat{assist.TBXBasic, assist.TBXv3} {
		t.Run(string(format), func(t *testing.T) {
			in := slices.Clone(glossary)
			slices.SortStableFunc(in, func(a, b models.GlossaryEntry) int {
				return strings.Compare(a.Term+"\x00"+a.Domain, b.Term+"\x00"+b.Domain)
			})
			for i := range in {
				in[i].SourceLang = models.SourceLang
			}
			var buf bytes.Buffer
			err := assist.WriteTBX(&buf, format, assist.GlossaryConcepts(func(yield func(models.GlossaryEntry) error) error {
				for _, e := range in {
					if err := yield(e); err != nil {
						return err
					}
				}
				return nil
			}))
			require.NoError(t, err)
			out := buf.String()
			if format == assist.TBXv3 {
				require.Contains(t, out, `<tbx type="TBX-Basic" style="dca"`)
				require.Contains(t, out, "<conceptEntry")
				require.NotContains(t, out, "<termEntry")
			} else {
				require.Contains(t, out, `<martif type="TBX-Basic"`)
				require.Contains(t, out, "<termEntry")
			}
			// A forbidden rendering reads as deprecated in any tool.
			require.Contains(t, out, "<term>Higher People&#39;s Court of Hebei Province</term>\n            <termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>\n            <termNote type=\"x-yizhi-status\">forbidden</termNote>")

			cs, err := readConcepts(t, &buf)
			require.NoError(t, err)
			// 最高人民法院 is one concept in three languages; 法院 is two
			// concepts, one per domain.
			require.Len(t, cs, 6)
			got := entriesOf(cs)
			for _, e := range got {
				require.Equal(t, models.SourceLang, e.SourceLang)
			}
			require.ElementsMatch(t, summarize(in), summarize(got))
		})
	}
}

func TestWriteTBXRefusesUnknownFormat(t *testing.T) {
	err := assist.WriteTBX(io.Discard, "csv", func(func(assist.TBXConcept) error) error { return nil })
	require.Equal(t, models.EINVALID, models.ErrorCode(err))
}
