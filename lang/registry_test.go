package lang

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"yizhi/models"
)

func TestRegistryAll(t *testing.T) {
	r := NewRegistry()
	var tags []string
	for _, l := range r.All() {
		tags = append(tags, l.Tag)
	}
	want := []string{"mn-Mong", "bo", "ug", "kk-Arab", "ko", "ii", "za",
		"en", "fr", "ru", "ar", "es", "ja", "pt", "de", "vi", "lo", "my", "th", "ky"}
	if !reflect.DeepEqual(tags, want) {
		t.Fatalf("All() tags = %v\nwant %v", tags, want)
	}
	if got := r.Supported(); !reflect.DeepEqual(got, want) {
		t.Errorf("Supported() = %v, want %v", got, want)
	}
	for i, l := range r.All() {
		if l.Minority != (i < 7) {
			t.Errorf("%s: Minority = %v", l.Tag, l.Minority)
		}
		if l.Autonym == "" || l.NameZH == "" || l.NameEN == "" || l.Script == "" {
			t.Errorf("%s: missing names or script: %+v", l.Tag, l)
		}
		if l.MT != nil {
			t.Errorf("%s: MT is filled by callers, got %v", l.Tag, l.MT)
		}
		if got, ok := r.Lookup(l.Tag); !ok || got.Tag != l.Tag {
			t.Errorf("Lookup(%s) = %v, %v", l.Tag, got, ok)
		}
	}
	// All returns a copy.
	all := r.All()
	all[0].Tag = "xx"
	if r.All()[0].Tag != "mn-Mong" {
		t.Error("All() exposes the registry's slice")
	}
}

func TestRegistryEntries(t *testing.T) {
	r := NewRegistry()
	tests := []Language{
		{Tag: "mn-Mong", Script: "Mong", Dir: "ltr", WritingMode: "vertical-lr", Autonym: "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", NameZH: "蒙古语（传统蒙古文）", NameEN: "Mongolian (traditional script)", Minority: true},
		{Tag: "bo", Script: "Tibt", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "བོད་སྐད་", NameZH: "藏语", NameEN: "Tibetan", Minority: true},
		{Tag: "ug", Script: "Arab", Dir: "rtl", WritingMode: "horizontal-tb", Autonym: "ئۇيغۇرچە", NameZH: "维吾尔语", NameEN: "Uyghur", Minority: true},
		{Tag: "kk-Arab", Script: "Arab", Dir: "rtl", WritingMode: "horizontal-tb", Autonym: "قازاق ٴتىلى", NameZH: "哈萨克语", NameEN: "Kazakh (Arabic script)", Minority: true},
		{Tag: "ko", Script: "Hang", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "조선어", NameZH: "朝鲜语", NameEN: "Korean", Minority: true},
		{Tag: "ii", Script: "Yiii", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "ꆈꌠꉙ", NameZH: "彝语", NameEN: "Yi (Nuosu)", Minority: true},
		{Tag: "za", Script: "Latn", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "Vahcuengh", NameZH: "壮语", NameEN: "Zhuang", Minority: true},
		{Tag: "en", Script: "Latn", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "English", NameZH: "英语", NameEN: "English"},
		{Tag: "ar", Script: "Arab", Dir: "rtl", WritingMode: "horizontal-tb", Autonym: "العربية", NameZH: "阿拉伯语", NameEN: "Arabic"},
		{Tag: "ru", Script: "Cyrl", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "русский", NameZH: "俄语", NameEN: "Russian"},
		{Tag: "ja", Script: "Jpan", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "日本語", NameZH: "日语", NameEN: "Japanese"},
		{Tag: "ky", Script: "Cyrl", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "кыргызча", NameZH: "柯尔克孜语", NameEN: "Kyrgyz"},
		{Tag: "zh-Hans", Script: "Hans", Dir: "ltr", WritingMode: "horizontal-tb", Autonym: "简体中文", NameZH: "简体中文", NameEN: "Simplified Chinese"},
	}
	for _, want := range tests {
		got, ok := r.Lookup(want.Tag)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("Lookup(%s) =\n %+v, %v\nwant %+v", want.Tag, got, ok, want)
		}
	}
	if _, ok := r.Lookup("mn"); ok {
		t.Error("Lookup takes canonical tags only")
	}
	if r.Source().Tag != "zh-Hans" {
		t.Errorf("Source() = %v", r.Source())
	}
}

// TestXTextNamesArePatched documents why the registry hard-codes names:
// x/text has no autonym for mn-Mong, kk-Arab and za, and calls Korean 韩语.
func TestXTextNamesArePatched(t *testing.T) {
	for _, tag := range []string{"mn-Mong", "kk-Arab", "za"} {
		if got := display.Self.Name(language.MustParse(tag)); got != "" {
			t.Logf("x/text now has an autonym for %s: %q", tag, got)
		}
	}
	if got := display.Chinese.Languages().Name(language.Korean); got != "韩语" {
		t.Logf("x/text's Chinese name for Korean is now %q", got)
	}
	r := NewRegistry()
	if l, _ := r.Lookup("ko"); l.NameZH != "朝鲜语" {
		t.Errorf("ko NameZH = %q, want 朝鲜语", l.NameZH)
	}
}

func TestLanguageJSON(t *testing.T) {
	l, _ := NewRegistry().Lookup("ug")
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"tag":"ug","script":"Arab","dir":"rtl","writing_mode":"horizontal-tb","autonym":"ئۇيغۇرچە","name_zh":"维吾尔语","name_en":"Uyghur","minority":true,"mt":null}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant %s", b, want)
	}
}

func TestCanonicalize(t *testing.T) {
	r := NewRegistry()
	tests := map[string][]string{
		"bo":      {"bo", "tib", "bod", "bo-CN", "bo-Tibt", "BO", "bo_cn", "bo-Tibt-CN", "bo-IN", " bo "},
		"ug":      {"ug", "uig", "ug-CN", "ug-Arab", "ug-Arab-CN", "UG_arab_cn"},
		"mn-Mong": {"mn", "mon", "mn-CN", "mn-Mong", "mn-Mong-CN", "MN-mong", "mn-MN"},
		"kk-Arab": {"kk", "kaz", "kk-CN", "kk-Arab", "kk-Arab-CN"},
		"ko":      {"ko", "kor", "ko-KR", "ko-CN", "ko-KP", "ko-Kore", "ko-Hang"},
		"ii":      {"ii", "iii", "ii-CN", "ii-Yiii"},
		"za":      {"za", "zha", "za-CN", "za-Latn"},
		"zh-Hans": {"zh", "zh-CN", "zh-Hans", "zh-Hans-CN", "zho", "chi", "zh_CN", "cmn", "zh-SG", "zh-cmn-Hans"},
		"en":      {"en", "eng", "en-US", "en-GB", "EN-us", "en-Latn-US", "en-u-rg-cnzzzz", "en-x-court"},
		"fr":      {"fr", "fre", "fra", "fr-CA"},
		"ru":      {"ru", "rus", "ru-RU"},
		"ar":      {"ar", "ara", "ar-EG"},
		"es":      {"es", "spa", "es-419"},
		"ja":      {"ja", "jpn", "ja-JP"},
		"pt":      {"pt", "por", "pt-BR"},
		"de":      {"de", "ger", "deu", "de-1996"},
		"vi":      {"vi", "vie"},
		"lo":      {"lo", "lao"},
		"my":      {"my", "bur", "mya"},
		"th":      {"th", "tha"},
		"ky":      {"ky", "kir", "ky-KG"},
	}
	for want, inputs := range tests {
		for _, in := range inputs {
			got, err := r.Canonicalize(in)
			if err != nil || got != want {
				t.Errorf("Canonicalize(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	r := NewRegistry()
	illFormed := []string{"", "   ", "en-", "x", "123", "bo--CN", "english", "zh-Hans-", "!!"}
	unsupported := []string{"dz", "mn-Cyrl", "kk-Cyrl", "ug-Latn", "ug-Cyrl", "zh-TW", "zh-Hant", "zh-HK", "yue",
		"za-Hani", "bo-Latn", "ru-Latn", "ja-Latn", "und", "x-foo", "i-klingon", "sr", "uz-Arab", "nn"}
	for _, in := range append(illFormed, unsupported...) {
		got, err := r.Canonicalize(in)
		if err == nil {
			t.Errorf("Canonicalize(%q) = %q, want error", in, got)
			continue
		}
		var e *models.Error
		if !errors.As(err, &e) || e.Code != models.EINVALID {
			t.Errorf("Canonicalize(%q) error %v is not an EINVALID *models.Error", in, err)
			continue
		}
		if !strings.Contains(e.Message, "\""+in+"\"") && !strings.Contains(e.Message, in) {
			t.Errorf("Canonicalize(%q): message %q does not name the input", in, e.Message)
		}
		d, ok := e.Details.(map[string]any)
		if !ok {
			t.Errorf("Canonicalize(%q): details %T", in, e.Details)
			continue
		}
		sup, _ := d["supported"].([]string)
		if len(sup) != 21 || sup[0] != "mn-Mong" || sup[20] != "zh-Hans" {
			t.Errorf("Canonicalize(%q): supported = %v", in, sup)
		}
	}
	// Ill-formed and unsupported read differently.
	_, err := r.Canonicalize("en-")
	if !strings.Contains(err.Error(), "well-formed") {
		t.Errorf("ill-formed error = %v", err)
	}
	_, err = r.Canonicalize("dz")
	if !strings.Contains(err.Error(), "not supported") {
		t.Errorf("unsupported error = %v", err)
	}
}
