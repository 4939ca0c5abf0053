package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// An announcement with parties' names in Tibetan, Uyghur and Mongolian,
// exported by an older court system in GB18030.
const (
	announcementTitle = "西藏自治区高级人民法院公告"
	announcementBody  = "本院受理的(2024)藏民终12号案件当事人：扎西多吉（བཀྲ་ཤིས་རྡོ་རྗེ།）、阿依古丽（ئايگۈل）、巴特尔（ᠪᠠᠭᠠ\u202fᠲᠤᠷ）。\n请于2024年6月1日前到本院领取判决书。"
)

var tibetanDraft = []string{
	"བོད་རང་སྐྱོང་ལྗོངས་མཐོ་རིམ་མི་དམངས་ཁྲིམས་ཁང་གི་གསལ་བསྒྲགས།",
	"ཁྲིམས་ཁང་འདིས་ལེན་པའི་ (2024)藏民终12号 རྩོད་གཞིའི་ཁ་གཏད་པ་ནི་བཀྲ་ཤིས་རྡོ་རྗེ་དང་། ཨ་ཡི་གུ་ལི། པ་ཐེ་ཨེར་བཅས་ཡིན། ནང་མི་ཚོའི་མིང་ནི་ བཀྲ་ཤིས་རྡོ་རྗེ། ئايگۈل ᠪᠠᠭᠠ\u202fᠲᠤᠷ ཡིན།",
	"ཕྱི་ལོ་ 2024 ལོའི་ཟླ་ 6 ཚེས་ 1 ཉིན་གྱི་སྔོན་དུ་ཁྲིམས་ཁང་དུ་ཡོང་ནས་ཁྲིམས་ཐག་ཡི་གེ་ལེན་རོགས།",
}

func TestLegacyImportPublishesUnchanged(t *testing.T) {
	s := startSystem(t)
	cms := s.createUser("tibet-cms", []string{"source"}, nil)
	tashi := s.createUser("tashi", []string{"translator"}, map[string][]string{"translator": {"tib"}})
	dolma := s.createUser("dolma", []string{"reviewer"}, map[string][]string{"reviewer": {"bo-CN"}})
	portal := s.createUser("tibet-portal", []string{"portal"}, nil)

	file, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(announcementTitle + "\r\n" + announcementBody))
	if err != nil {
		t.Fatal(err)
	}
	query := url.Values{"external_id": {"xz-gy-2024-12"}, "court": {"西藏自治区高级人民法院"}, "kind": {"announcement"}}
	req, err := http.NewRequest("POST", s.api.URL+"/v1/documents/import?"+query.Encode(), bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+cms.token)
	req.Header.Set("Content-Type", "text/plain; charset=gb18030")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	var doc createdDocument
	if err := decodeBody(resp, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Targets) != 1 || doc.Targets[0].Lang != "bo" {
		t.Fatalf("routed to %+v, want bo", doc.Targets)
	}

	// Before publication the portal gets the source, exactly as sent.
	var src published
	portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d?lang=bo", doc.ID), nil, &src)
	if !src.Fallback || src.Title != announcementTitle || src.Body != announcementBody {
		t.Fatalf("source after import = %+v", src)
	}

	task := tashi.openTask(doc.ID, "translate")
	tashi.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", task), nil, nil)
	// The worker process read YIZHI_MT_CONFIG: every segment has an
	// engine suggestion, which also seeded the draft.
	var assisted struct {
		Segments []struct {
			Draft       string `json:"draft"`
			Origin      string `json:"origin"`
			Suggestions []struct {
				Origin string `json:"origin"`
				Text   string `json:"text"`
			} `json:"suggestions"`
		} `json:"segments"`
	}
	tashi.must(http.StatusOK, "GET", fmt.Sprintf("/v1/tasks/%d", task), nil, &assisted)
	for i, seg := range assisted.Segments {
		if len(seg.Suggestions) != 1 || seg.Suggestions[0].Origin != "mt:niutrans" || seg.Origin != "mt:niutrans" || seg.Draft == "" {
			t.Fatalf("segment %d = %+v", i, seg)
		}
	}
	var langs struct {
		Languages []struct {
			Tag string   `json:"tag"`
			MT  []string `json:"mt"`
		} `json:"languages"`
	}
	portal.must(http.StatusOK, "GET", "/v1/languages", nil, &langs)
	for _, l := range langs.Languages {
		if want := l.Tag == "bo"; want != (len(l.MT) == 1) {
			t.Fatalf("%s has MT %v", l.Tag, l.MT)
		}
	}
	if blocking := tashi.saveDraft(task, tibetanDraft); blocking != 0 {
		t.Fatalf("Tibetan draft has %d blocking issues", blocking)
	}
	var sub action
	tashi.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/submit", task), nil, &sub)
	dolma.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", sub.NextTaskID), nil, nil)
	dolma.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/approve", sub.NextTaskID), nil, nil)

	var bo published
	portal.must(http.StatusOK, "GET", fmt.Sprintf("/v1/published/%d", doc.ID), nil, &bo)
	// No Accept-Language: the source is what a reader with no preference gets.
	if bo.Lang != "zh-Hans" || bo.Body != announcementBody {
		t.Fatalf("no preference got %+v", bo)
	}
	r := portal.do("GET", fmt.Sprintf("/v1/published/%d", doc.ID), nil, "Accept-Language", "bo-CN, zh;q=0.3")
	r.decode(t, &bo)
	want := tibetanDraft[1] + "\n" + tibetanDraft[2]
	if bo.Lang != "bo" || bo.Title != tibetanDraft[0] || bo.Body != want || bo.WritingMode != "horizontal-tb" ||
		!bo.MachineAssisted || len(bo.Engines) != 1 || bo.Engines[0] != "niutrans" {
		t.Fatalf("Tibetan version = %+v\nwant body %q", bo, want)
	}
}
