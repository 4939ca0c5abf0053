package api_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/api"
	"yizhi/assist"
	"yizhi/lang"
	"yizhi/models"
	"yizhi/store/storetest"
)

const tmxType = "application/x-tmx+xml"

// courtTMX is a small TMX file as a CAT tool exports it (region subtags,
// upper-case codes, formatting codes) with a unit that has no Chinese.
const courtTMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="memoQ" creationtoolversion="9.12" o-tmf="memoQTM" datatype="unknown" segtype="sentence" adminlang="en-us" srclang="zh-CN"/>
  <body>
    <tu creationdate="20210615T083000Z">
      <prop type="x-yizhi-court">最高人民法院</prop>
      <tuv xml:lang="zh-CN"><seg>本院认为，<bpt i="1">&lt;b&gt;</bpt>上诉理由<ept i="1">&lt;/b&gt;</ept>不能成立。</seg></tuv>
      <tuv xml:lang="ug-CN"><seg>سوت قارىشىچە، ئەرز سەۋەبى تۇرغۇزۇلمايدۇ.</seg></tuv>
      <tuv xml:lang="EN-US"><seg>The court holds that the grounds of appeal are untenable.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-CN"><seg>驳回上诉，维持原判。</seg></tuv>
      <tuv xml:lang="ug-CN"><seg>ئەرزنى رەت قىلىپ، ئەسلى ھۆكۈمنى ساقلاپ قېلىش.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>No Chinese here.</seg></tuv>
    </tu>
  </body>
</tmx>
`

// generatedTMX returns a TMX document of n zh→ug units.
func generatedTMX(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<tmx version="1.4"><header srclang="zh-CN"/><body>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<tu><tuv xml:lang=\"zh-CN\"><seg>第%d条 本院认为</seg></tuv><tuv xml:lang=\"ug\"><seg>%d-ماددا سوت قارىشىچە</seg></tuv></tu>\n", i, i)
	}
	b.WriteString("</body></tmx>\n")
	return b.String()
}

func (f *fixture) tmCount() int {
	f.t.Helper()
	n := 0
	require.NoError(f.t, f.store.ExportTM(f.t.Context(), "", "", func(models.TMEntry) error { n++; return nil }))
	return n
}

type tmResult struct {
	Imported          int  `json:"imported"`
	SkippedDuplicates int  `json:"skipped_duplicates"`
	Units             int  `json:"units"`
	SkippedUnits      int  `json:"skipped_units"`
	Done              bool `json:"done"`
}

func TestTMImportAndExport(t *testing.T) {
	f := newFixture(t)
	var res tmResult
	f.decode(f.request("editor", "POST", "/v1/tm/import", courtTMX, "Content-Type", tmxType), http.StatusOK, &res)
	require.Equal(t, tmResult{Imported: 3, Units: 3, SkippedUnits: 1}, res)

	// Re-importing the same file adds nothing.
	f.decode(f.request("admin", "POST", "/v1/tm/import", courtTMX, "Content-Type", "application/xml; charset=utf-8"), http.StatusOK, &res)
	require.Equal(t, tmResult{Imported: 0, SkippedDuplicates: 3, Units: 3, SkippedUnits: 1}, res)
	require.Equal(t, 3, f.tmCount())

	resp := f.request("editor", "GET", "/v1/tm/export?target_lang=ug-CN", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/x-tmx+xml; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename=yizhi-tm-ug.tmx`, resp.Header.Get("Content-Disposition"))
	var units []assist.TMXUnit
	require.NoError(t, assist.ReadTMX(resp.Body, lang.NewRegistry().Canonicalize, func(u assist.TMXUnit) error {
		units = append(units, u)
		return nil
	}))
	require.Len(t, units, 2)
	require.Equal(t, []assist.TMXVariant{
		{Lang: "zh-Hans", Text: "本院认为，上诉理由不能成立。"},
		{Lang: "ug", Text: "سوت قارىشىچە، ئەرز سەۋەبى تۇرغۇزۇلمايدۇ."},
	}, units[0].Variants)
	require.Equal(t, "最高人民法院", units[0].Court)
	require.Equal(t, time.Date(2021, 6, 15, 8, 30, 0, 0, time.UTC), units[0].Created)

	// The export of one database is the import of another.
	exported, err := io.ReadAll(f.request("editor", "GET", "/v1/tm/export", "").Body)
	require.NoError(t, err)
	other := newFixture(t)
	other.decode(other.request("editor", "POST", "/v1/tm/import", string(exported), "Content-Type", tmxType), http.StatusOK, &res)
	require.Equal(t, tmResult{Imported: 3, Units: 3}, res)

	f.expectError(f.request("editor", "GET", "/v1/tm/export?target_lang=xx-Fake", ""), 400, models.EINVALID)
	f.expectError(f.request("editor", "GET", "/v1/tm/export?target_lang=zh", ""), 400, models.EINVALID)
}

func TestTMImportRefusesBadFilesWhole(t *testing.T) {
	f := newFixture(t)
	// The error is on line 2,004, long after the first batch of entries.
	good := generatedTMX(3000)
	lines := strings.Split(good, "\n")
	lines[2003] = strings.Replace(lines[2003], "</seg></tuv><tuv", "</tuv><tuv", 1)
	bad := f.expectError(f.request("editor", "POST", "/v1/tm/import", strings.Join(lines, "\n"), "Content-Type", tmxType), 400, models.EINVALID)
	require.EqualValues(t, 2004, bad.Error.Details["line"])
	require.Contains(t, bad.Error.Message, "line 2004")
	require.Zero(t, f.tmCount(), "nothing of a bad file is committed")

	lines = strings.Split(good, "\n")
	lines[1500] = strings.Replace(lines[1500], `xml:lang="ug"`, `xml:lang="tlh"`, 1)
	bad = f.expectError(f.request("editor", "POST", "/v1/tm/import", strings.Join(lines, "\n"), "Content-Type", tmxType), 400, models.EINVALID)
	require.EqualValues(t, 1501, bad.Error.Details["line"])
	require.Equal(t, "tlh", bad.Error.Details["lang"])
	require.Contains(t, bad.Error.Details["supported"], "ug")
	require.Zero(t, f.tmCount())

	long := strings.Replace(courtTMX, `<prop type="x-yizhi-court">最高人民法院</prop>`,
		`<prop type="x-yizhi-prev-hash">`+strings.Repeat("a", 65)+`</prop>`, 1)
	bad = f.expectError(f.request("editor", "POST", "/v1/tm/import", long, "Content-Type", tmxType), 400, models.EINVALID)
	require.EqualValues(t, 5, bad.Error.Details["line"])
	require.Zero(t, f.tmCount())

	f.expectError(f.request("editor", "POST", "/v1/tm/import", good, "Content-Type", "application/json"), 400, models.EINVALID)
	f.expectError(f.request("editor", "POST", "/v1/tm/import", good), 400, models.EINVALID)
	f.expectError(f.request("translator", "POST", "/v1/tm/import", good, "Content-Type", tmxType), 403, models.EFORBIDDEN)
	f.expectError(f.request("nobody", "POST", "/v1/tm/import", good, "Content-Type", tmxType), 401, models.EUNAUTHORIZED)
	f.expectError(f.request("translator", "GET", "/v1/tm/export", ""), 403, models.EFORBIDDEN)
	require.Zero(t, f.tmCount())
}

// ndjsonLine is any line of the import progress stream.
type ndjsonLine struct {
	tmResult
	Phase   string `json:"phase"`
	Bytes   int64  `json:"bytes"`
	Entries int    `json:"entries"`
	Checked int    `json:"checked"`
	Error   *struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

func readNDJSON(t *testing.T, r io.Reader) []ndjsonLine {
	t.Helper()
	var lines []ndjsonLine
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var l ndjsonLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l), sc.Text())
		lines = append(lines, l)
	}
	require.NoError(t, sc.Err())
	return lines
}

func TestTMImportProgress(t *testing.T) {
	f := newFixture(t)
	doc := generatedTMX(6500)
	resp := f.request("editor", "POST", "/v1/tm/import", doc, "Content-Type", tmxType, "Accept", "application/x-ndjson")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/x-ndjson", resp.Header.Get("Content-Type"))
	lines := readNDJSON(t, resp.Body)

	var parsing []int
	for _, l := range lines {
		if l.Phase == "parsing" {
			parsing = append(parsing, l.Units)
			require.Positive(t, l.Bytes)
			require.LessOrEqual(t, l.Bytes, int64(len(doc)))
		}
	}
	require.Equal(t, []int{1000, 2000, 3000, 4000, 5000, 6000, 6500}, parsing)
	n := len(lines)
	require.Equal(t, ndjsonLine{Phase: "committing", Entries: 6500}, lines[n-3])
	require.Equal(t, ndjsonLine{Phase: "committing", Entries: 6500, Checked: 5000}, lines[n-2])
	require.Equal(t, tmResult{Done: true, Imported: 6500, Units: 6500}, lines[n-1].tmResult)
	require.Equal(t, 6500, f.tmCount())
}

func TestTMImportProgressArrivesDuringTheUpload(t *testing.T) {
	f := newFixture(t)
	doc := generatedTMX(3000)
	half := strings.Index(doc, "第2500条")
	body, upload := io.Pipe()
	req, err := http.NewRequest("POST", f.srv.URL+"/v1/tm/import", body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.tokens["editor"])
	req.Header.Set("Content-Type", tmxType)
	req.Header.Set("Accept", "application/x-ndjson")
	go func() {
		upload.Write([]byte(doc[:half]))
		// The rest waits until the client has seen progress.
	}()
	type answer struct {
		resp *http.Response
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		answers <- answer{resp, err}
	}()
	var a answer
	select {
	case a = <-answers:
	case <-time.After(10 * time.Second):
		t.Fatal("no progress while the upload was still going")
	}
	require.NoError(t, a.err)
	defer a.resp.Body.Close()
	sc := bufio.NewScanner(a.resp.Body)
	require.True(t, sc.Scan())
	require.JSONEq(t, fmt.Sprintf(`{"phase":"parsing","units":1000,"bytes":%d}`, firstProgressBytes(t, sc.Bytes())), sc.Text())

	go func() {
		upload.Write([]byte(doc[half:]))
		upload.Close()
	}()
	lines := readNDJSON(t, a.resp.Body)
	require.Equal(t, tmResult{Done: true, Imported: 3000, Units: 3000}, lines[len(lines)-1].tmResult)
}

func firstProgressBytes(t *testing.T, line []byte) int64 {
	var l ndjsonLine
	require.NoError(t, json.Unmarshal(line, &l))
	return l.Bytes
}

func TestTMImportProgressReportsErrorsInTheStream(t *testing.T) {
	f := newFixture(t)
	lines := strings.Split(generatedTMX(3000), "\n")
	lines[2500] = "<tu><tuv xml:lang=\"zh\"><seg>未闭合</tuv></tu>"
	resp := f.request("editor", "POST", "/v1/tm/import", strings.Join(lines, "\n"), "Content-Type", tmxType, "Accept", "application/x-ndjson")
	require.Equal(t, http.StatusOK, resp.StatusCode, "the stream had begun")
	got := readNDJSON(t, resp.Body)
	last := got[len(got)-1]
	require.NotNil(t, last.Error)
	require.Equal(t, models.EINVALID, last.Error.Code)
	require.EqualValues(t, 2501, last.Error.Details["line"])
	require.False(t, last.Done)
	require.Zero(t, f.tmCount())

	// An error before the first progress line is an ordinary 400.
	lines[3] = "<tu><tuv xml:lang=\"zh\"><seg>未闭合</tuv></tu>"
	bad := f.expectError(f.request("editor", "POST", "/v1/tm/import", strings.Join(lines, "\n"), "Content-Type", tmxType, "Accept", "application/x-ndjson"), 400, models.EINVALID)
	require.EqualValues(t, 4, bad.Error.Details["line"])
}

func TestImportsAreExemptFromTheJSONBodyLimit(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	srv := httptest.NewServer(api.New(api.Options{Store: st, MaxBodyBytes: 4096}))
	t.Cleanup(srv.Close)
	token, err := api.NewToken()
	require.NoError(t, err)
	_, err = st.EnsureAdmin(t.Context(), "admin", api.HashToken(token))
	require.NoError(t, err)
	post := func(path, contentType, body string) *http.Response {
		req, err := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	doc := generatedTMX(500)
	require.Greater(t, len(doc), 10*4096)
	require.Equal(t, http.StatusOK, post("/v1/tm/import", tmxType, doc).StatusCode)

	tbx := strings.Repeat(" ", 8192) + courtTBX
	require.Equal(t, http.StatusOK, post("/v1/glossary/import", "application/xml", tbx).StatusCode)

	big := `{"target_lang":"en","term":"法院","translation":"court","notes":"` + strings.Repeat("x", 8192) + `"}`
	require.Equal(t, http.StatusRequestEntityTooLarge, post("/v1/glossary", "application/json", big).StatusCode)
}

const courtTBX = `<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <text>
    <body>
      <termEntry id="spc">
        <descrip type="subjectField">court names</descrip>
        <admin type="source">法〔2021〕184号</admin>
        <langSet xml:lang="zh-CN"><tig><term>最高人民法院</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>The Supreme People's Court of the People's Republic of China</term></tig></langSet>
        <langSet xml:lang="bo"><tig><term>མཐོ་ཤོས་མི་དམངས་ཁྲིམས་ཁང་</term></tig></langSet>
      </termEntry>
      <termEntry id="hebei">
        <descrip type="subjectField">court names</descrip>
        <admin type="source">法〔2021〕184号</admin>
        <langSet xml:lang="zh"><tig><term>河北省高级人民法院</term></tig></langSet>
        <langSet xml:lang="en">
          <tig><term>The High People's Court of Hebei Province</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
          <tig><term>Higher People's Court of Hebei Province</term><termNote type="administrativeStatus">forbidden</termNote>
            <note>旧译名</note></tig>
        </langSet>
      </termEntry>
      <termEntry id="sh1">
        <descrip type="subjectField">court names</descrip>
        <langSet xml:lang="zh"><tig><term>上海市第一中级人民法院</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>The First Intermediate People's Court of Shanghai Municipality</term></tig></langSet>
      </termEntry>
      <termEntry id="primary">
        <descrip type="subjectField">court names</descrip>
        <langSet xml:lang="zh"><tig><term>基层人民法院</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>Primary People's Court</term></tig></langSet>
        <langSet xml:lang="ug"><tig><term>ئاساسىي قاتلام خەلق سوت مەھكىمىسى</term></tig></langSet>
      </termEntry>
      <termEntry id="appeal">
        <descrip type="subjectField">procedure</descrip>
        <langSet xml:lang="zh"><tig><term>驳回上诉</term></tig></langSet>
        <langSet xml:lang="ug"><tig><term>ئەرزنى رەت قىلىش</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
`

type glossaryList struct {
	Items      []models.GlossaryEntry `json:"items"`
	NextCursor string                 `json:"next_cursor"`
}

// comparable drops what differs between two databases holding the same
// termbase.
func comparable(es []models.GlossaryEntry) []models.GlossaryEntry {
	out := make([]models.GlossaryEntry, len(es))
	for i, e := range es {
		e.ID, e.CreatedAt, e.UpdatedAt = 0, time.Time{}, time.Time{}
		out[i] = e
	}
	return out
}

func TestGlossaryTBXImportAndExport(t *testing.T) {
	f := newFixture(t)
	var res map[string]int
	f.decode(f.request("editor", "POST", "/v1/glossary/import", courtTBX, "Content-Type", "application/x-tbx+xml"), http.StatusOK, &res)
	require.Equal(t, map[string]int{"created": 8, "updated": 0, "unchanged": 0, "concepts": 5, "skipped_concepts": 0}, res)
	f.decode(f.request("editor", "POST", "/v1/glossary/import", courtTBX, "Content-Type", "application/xml"), http.StatusOK, &res)
	require.Equal(t, 8, res["unchanged"])

	var list glossaryList
	f.decode(f.request("editor", "GET", "/v1/glossary?target_lang=en&status=forbidden", ""), http.StatusOK, &list)
	require.Len(t, list.Items, 1)
	higher := list.Items[0]
	require.Equal(t, "Higher People's Court of Hebei Province", higher.Translation)
	require.Equal(t, "河北省高级人民法院", higher.Term)
	require.Equal(t, "法〔2021〕184号", higher.SourceRef)
	require.Equal(t, "court names", higher.Domain)
	require.Equal(t, "旧译名", higher.Notes)

	var all glossaryList
	f.decode(f.request("editor", "GET", "/v1/glossary?limit=500", ""), http.StatusOK, &all)
	require.Len(t, all.Items, 8)

	for _, format := range []string{"tbx-basic", "tbx-v3"} {
		t.Run(format, func(t *testing.T) {
			resp := f.request("editor", "GET", "/v1/glossary/export?format="+format, "")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, "application/x-tbx+xml; charset=utf-8", resp.Header.Get("Content-Type"))
			require.Equal(t, "attachment; filename=yizhi-glossary-all.tbx", resp.Header.Get("Content-Disposition"))
			exported, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			if format == "tbx-v3" {
				require.Contains(t, string(exported), `xmlns="urn:iso:std:iso:30042:ed-2"`)
			} else {
				require.Contains(t, string(exported), "<martif")
			}

			// Export, then import elsewhere: the same entries.
			other := newFixture(t)
			other.decode(other.request("editor", "POST", "/v1/glossary/import", string(exported), "Content-Type", "application/xml"), http.StatusOK, &res)
			require.Equal(t, 8, res["created"])
			var again glossaryList
			other.decode(other.request("editor", "GET", "/v1/glossary?limit=500", ""), http.StatusOK, &again)
			require.ElementsMatch(t, comparable(all.Items), comparable(again.Items))

			// And back into the database it came from: nothing changes.
			f.decode(f.request("editor", "POST", "/v1/glossary/import", string(exported), "Content-Type", "application/xml"), http.StatusOK, &res)
			require.Equal(t, map[string]int{"created": 0, "updated": 0, "unchanged": 8, "concepts": res["concepts"], "skipped_concepts": 0}, res)
		})
	}

	resp := f.request("editor", "GET", "/v1/glossary/export?target_lang=ug-CN&format=tbx-v3", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "attachment; filename=yizhi-glossary-ug.tbx", resp.Header.Get("Content-Disposition"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Contains(t, string(body), "ئەرزنى رەت قىلىش")
	require.NotContains(t, string(body), "Primary People")

	f.expectError(f.request("editor", "GET", "/v1/glossary/export?format=csv", ""), 400, models.EINVALID)
	f.expectError(f.request("editor", "GET", "/v1/glossary/export?target_lang=xx-Fake", ""), 400, models.EINVALID)
	f.expectError(f.request("translator", "GET", "/v1/glossary/export", ""), 403, models.EFORBIDDEN)
}

func TestGlossaryTBXImportRefusesBadFilesWhole(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, doc string
		line      int
	}{
		{"malformed XML", strings.Replace(courtTBX, "<term>驳回上诉</term>", "<term>驳回上诉</tig>", 1), 35},
		{"unknown status", strings.Replace(courtTBX, ">forbidden<", ">maybe<", 1), 18},
		{"unknown language", strings.Replace(courtTBX, `xml:lang="bo"`, `xml:lang="tlh"`, 1), 10},
		{"term too long", strings.Replace(courtTBX, "<term>驳回上诉</term>", "<term>"+strings.Repeat("驳", 100)+"</term>", 1), 33},
		{"not TBX", courtTMX, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := f.expectError(f.request("editor", "POST", "/v1/glossary/import", tc.doc, "Content-Type", "application/xml"), 400, models.EINVALID)
			require.EqualValues(t, tc.line, bad.Error.Details["line"], bad.Error.Message)
			require.Contains(t, bad.Error.Message, fmt.Sprintf("line %d", tc.line))
		})
	}
	var list glossaryList
	f.decode(f.request("editor", "GET", "/v1/glossary", ""), http.StatusOK, &list)
	require.Empty(t, list.Items, "nothing of a bad file is committed")
	f.expectError(f.request("editor", "POST", "/v1/glossary/import", courtTBX, "Content-Type", "text/plain"), 400, models.EINVALID)
	f.expectError(f.request("translator", "POST", "/v1/glossary/import", courtTBX, "Content-Type", "application/xml"), 403, models.EFORBIDDEN)
}

func TestGlossaryEntryCRUD(t *testing.T) {
	f := newFixture(t)
	var e models.GlossaryEntry
	f.decode(f.request("editor", "POST", "/v1/glossary",
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"Higher People's Court of Hebei Province","domain":"court names","source_ref":"法〔2021〕184号"}`),
		http.StatusCreated, &e)
	path := fmt.Sprintf("/v1/glossary/%d", e.ID)

	var got models.GlossaryEntry
	f.decode(f.request("editor", "GET", path, ""), http.StatusOK, &got)
	require.Equal(t, e.Translation, got.Translation)

	// A PUT replaces the whole entry: the fields left out are cleared.
	f.decode(f.request("editor", "PUT", path,
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"Higher People's Court of Hebei Province","status":"forbidden","notes":"旧译名"}`),
		http.StatusOK, &got)
	require.Equal(t, e.ID, got.ID)
	require.Equal(t, models.TermForbidden, got.Status)
	require.Empty(t, got.Domain)
	require.Empty(t, got.SourceRef)
	require.Equal(t, "旧译名", got.Notes)
	require.True(t, got.CreatedAt.Equal(e.CreatedAt))
	var reread models.GlossaryEntry
	f.decode(f.request("admin", "GET", path, ""), http.StatusOK, &reread)
	require.Equal(t, got, reread)

	// The same validation as a POST.
	bad := f.expectError(f.request("editor", "PUT", path, `{"target_lang":"en","term":"法院"}`), 400, models.EINVALID)
	require.Equal(t, []any{"translation"}, bad.Error.Details["missing"])
	f.expectError(f.request("editor", "PUT", path, `{"target_lang":"en","term":"法院","translation":"court","status":"maybe"}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "PUT", path, `{"target_lang":"zh-CN","term":"法院","translation":"court"}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "PUT", path, `{"target_lang":"en","term":"`+strings.Repeat("法", 90)+`","translation":"court"}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "PUT", path, `{"target_lang":"en","term":"法院","translation":"court","extra":1}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "PUT", path, `{"target_lang":"en","term":"法院","translation":"court","notes":"`+strings.Repeat("注", 22000)+`"}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "PUT", "/v1/glossary/99999", `{"target_lang":"en","term":"法院","translation":"court"}`), 404, models.ENOTFOUND)
	f.expectError(f.request("translator", "PUT", path, `{"target_lang":"en","term":"法院","translation":"court"}`), 403, models.EFORBIDDEN)

	resp := f.request("translator", "DELETE", path, "")
	f.expectError(resp, 403, models.EFORBIDDEN)
	resp = f.request("editor", "DELETE", path, "")
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	data, _ := io.ReadAll(resp.Body)
	require.Empty(t, data)
	f.expectError(f.request("editor", "GET", path, ""), 404, models.ENOTFOUND)
	f.expectError(f.request("editor", "DELETE", path, ""), 404, models.ENOTFOUND)
	f.expectError(f.request("editor", "GET", "/v1/glossary/abc", ""), 404, models.ENOTFOUND)
}

func TestGlossaryListFilters(t *testing.T) {
	f := newFixture(t)
	for _, body := range []string{
		`{"target_lang":"en","term":"最高人民法院","translation":"The Supreme People's Court of the People's Republic of China","domain":"court names"}`,
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"The High People's Court of Hebei Province","domain":"court names"}`,
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"Higher People's Court of Hebei Province","domain":"court names","status":"forbidden"}`,
		`{"target_lang":"ug","term":"高级人民法院","translation":"ئالىي خەلق سوت مەھكىمىسى","domain":"court names"}`,
		`{"target_lang":"ug","term":"驳回上诉","translation":"ئەرزنى رەت قىلىش","domain":"procedure"}`,
	} {
		f.decode(f.request("editor", "POST", "/v1/glossary", body), http.StatusCreated, nil)
	}
	terms := func(query string) []string {
		var list glossaryList
		f.decode(f.request("editor", "GET", "/v1/glossary?"+query, ""), http.StatusOK, &list)
		var out []string
		for _, e := range list.Items {
			out = append(out, e.TargetLang+":"+e.Translation)
		}
		return out
	}
	require.Equal(t, []string{"ug:ئەرزنى رەت قىلىش"}, terms("domain=procedure"))
	require.Equal(t, []string{"en:Higher People's Court of Hebei Province"}, terms("status=forbidden"))
	require.Equal(t, []string{"en:The High People's Court of Hebei Province", "en:Higher People's Court of Hebei Province", "ug:ئالىي خەلق سوت مەھكىمىسى"},
		terms("q=%E9%AB%98%E7%BA%A7")) // 高级
	require.Equal(t, []string{"ug:ئالىي خەلق سوت مەھكىمىسى"}, terms("q=%E9%AB%98%E7%BA%A7&target_lang=ug-CN"))
	require.Equal(t, []string{"en:The Supreme People's Court of the People's Republic of China"}, terms("q=%E6%9C%80%E9%AB%98&domain=court+names&status=approved"))
	require.Empty(t, terms("q=%25"))
	f.expectError(f.request("editor", "GET", "/v1/glossary?status=maybe", ""), 400, models.EINVALID)

	// The filters page like the plain list.
	var page glossaryList
	f.decode(f.request("editor", "GET", "/v1/glossary?domain=court+names&limit=2", ""), http.StatusOK, &page)
	require.Len(t, page.Items, 2)
	require.NotEmpty(t, page.NextCursor)
	f.decode(f.request("editor", "GET", "/v1/glossary?domain=court+names&limit=2&cursor="+page.NextCursor, ""), http.StatusOK, &page)
	require.Len(t, page.Items, 2)
	require.Equal(t, "ئالىي خەلق سوت مەھكىمىسى", page.Items[1].Translation)
}
