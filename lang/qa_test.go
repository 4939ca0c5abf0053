package lang

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

const zhHearingSentence = "本院定于2023年6月15日上午9时30分在本院第三法庭公开开庭审理本案。"

// Good translations of court sentences: CheckQA must find nothing. These
// also pin the length-ratio bands to real text.
func TestCheckQACleanTranslations(t *testing.T) {
	tests := []struct {
		lang   string
		src    string
		tgt    string
		tokens []string
	}{
		{"en", "本院定于2023年6月15日上午9时30分在本院第三法庭公开开庭审理（2023）新0102民初1234号原告某某公司与被告某某公司买卖合同纠纷一案。",
			"This court will hold a public hearing at 9:30 a.m. on 15 June 2023 in Courtroom No. 3 of this court in the sales contract dispute between plaintiff X Company and defendant Y Company, (2023) Xin 0102 Min Chu No. 1234.",
			[]string{"(2023) Xin 0102 Min Chu No. 1234"}},
		{"en", "二审案件受理费人民币12,345.67元，由上诉人负担。",
			"The second-instance case acceptance fee of RMB 12,345.67 shall be borne by the appellant.", nil},
		{"en", "根据《中华人民共和国民事诉讼法》第一百七十条第一款第一项之规定，判决如下：",
			"Pursuant to Article 170(1)(i) of the Civil Procedure Law of the People's Republic of China, the judgment is as follows:", nil},
		{"en", "二〇二三年五月六日", "6 May 2023", nil},
		{"en", "（2023）新民终45号", "(2023) Xin Min Zhong No. 45", []string{"(2023) Xin Min Zhong No. 45"}},
		{"fr", "二审案件受理费人民币12,345.67元，由上诉人负担。",
			"Les frais de la procédure d’appel, soit 12\u202f345,67\u00a0yuans, sont à la charge de l’appelant\u202f!", nil},
		{"de", "二审案件受理费人民币12,345.67元，由上诉人负担。",
			"Die Gerichtskosten der zweiten Instanz in Höhe von 12.345,67 RMB trägt der Berufungskläger.", nil},
		{"ru", "自公告之日起经过三十日，即视为送达。",
			"По истечении 30 дней со дня опубликования объявления документы считаются врученными.", nil},
		{"bo", "本院定于2023年6月15日上午9时30分在本院第三法庭公开开庭审理（2023）藏01民初45号原告扎西与被告次仁民间借贷纠纷一案。",
			"ཁྲིམས་ཁང་འདིས་༢༠༢༣ལོའི་ཟླ་༦ཚེས་༡༥ཉིན་སྔ་དྲོའི་ཆུ་ཚོད་༩དང་སྐར་མ་༣༠ཐོག་ཁྲིམས་ཁང་འདིའི་ཁྲིམས་ཞིབ་ཁང་ཨང་༣པར་ཞུ་གཏུགས་བྱེད་མཁན་བཀྲ་ཤིས་དང་ཞུ་གཏུགས་ཁས་ལེན་མཁན་ཚེ་རིང་གཉིས་ཀྱི་བུ་ལོན་རྩོད་གཞི（2023）藏01民初45号ལ་སྒོ་འབྱེད་ཁྲིམས་ཞིབ་བྱེད་རྒྱུ་ཡིན།", nil},
		{"ug", zhHearingSentence,
			"بۇ سوت 2023-يىلى 6-ئاينىڭ 15-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا بۇ سوتنىڭ 3-سوت زالىدا بۇ دېلونى ئوچۇق سوت قىلىدۇ.", nil},
		{"kk-Arab", zhHearingSentence,
			"سوت 2023-جىلى 6-ايدىڭ 15-كۇنى ساعات 9:30 دا وسى سوتتىڭ 3-سوت زالىندا بۇل ىستى اشىق قارايدى.", nil},
		{"mn-Mong", "本院定于2023年6月15日开庭审理本案。",
			"ᠡᠨᠡ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ 2023 ᠣᠨ\u202fᠤ 6 ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 15\u202fᠨᠤ ᠡᠳᠦᠷ ᠡᠨᠡ ᠬᠡᠷᠡᠭ\u202fᠢ ᠱᠡᠭᠦᠨ ᠬᠤᠷᠠᠯ ᠬᠢᠨ\u180eᠡ᠃", nil},
		{"ko", zhHearingSentence,
			"본 법원은 2023년 6월 15일 오전 9시 30분에 본 법원 제3법정에서 이 사건을 공개 심리한다.", nil},
		{"ko", "根据《中华人民共和国民事诉讼法》第一百七十条之规定判决。",
			"《중화인민공화국 민사소송법》 제170조의 규정에 따라 판결한다.", nil},
		{"ii", "凉山彝族自治州中级人民法院公告。", "ꆃꎭꆈꌠꊨꏦꏱꅉꐔꐥꌠꃅꄿꇬꇬꏦꈌꅉ。", nil},
		{"za", "本院定于2023年6月15日开庭审理本案。",
			"Bonj fazyen dingh youq 2023 nienz 6 nyied 15 hauh hai dingz simjleix anqgienh neix.", nil},
		{"ar", "二审案件受理费人民币12,345.67元，由上诉人负担。",
			"يتحمل المستأنف رسوم قبول القضية في الدرجة الثانية البالغة ١٢٬٣٤٥٫٦٧ يوان.", nil},
		{"ja", "二审案件受理费人民币12,345.67元，由上诉人负担。", "第二審の訴訟受理費用12,345.67元は上訴人が負担する。", nil},
		{"vi", "自公告之日起经过三十日，即视为送达。", "Sau 30 ngày kể từ ngày thông báo thì được coi là đã tống đạt.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			in := QAInput{SourceLang: "zh-Hans", TargetLang: tt.lang, AllowedTokens: tt.tokens,
				Segments: []Pair{{Index: 7, Source: tt.src, Target: tt.tgt}}}
			if issues := CheckQA(in); len(issues) != 0 {
				t.Errorf("%s: unexpected issues:\n%s", tt.lang, describe(issues))
			}
		})
	}
}

func describe(issues []Issue) string {
	var b strings.Builder
	for _, is := range issues {
		fmt.Fprintf(&b, "  #%d %s (%s): %s | %s\n", is.Segment, is.Check, is.Severity, is.MessageEN, is.MessageZH)
	}
	return b.String()
}

func checks(issues []Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Check)
	}
	return out
}

// TestCheckQAFindings: each check fires on a real fault, with its severity,
// and names what is wrong.
func TestCheckQAFindings(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		src, tgt  string
		terms     []Term
		tokens    []string
		want      []string // checks, sorted
		severity  Severity // of the first
		mentionEN string   // the English message names this
		mentionZH string
	}{
		{name: "empty", lang: "en", src: "本判决为终审判决。", tgt: " \n",
			want: []string{CheckEmpty}, severity: SeverityBlocking},
		{name: "untranslated", lang: "ug", src: "本判决为终审判决。", tgt: "本判决为终审判决。",
			want: []string{CheckUntranslated}, severity: SeverityBlocking},
		{name: "copied source", lang: "ug", src: "本判决为终审判决。", tgt: "بۇ ھۆكۈم 本判决为终审判决",
			want: []string{CheckCopiedSource}, severity: SeverityBlocking, mentionEN: "Chinese characters"},
		{name: "Mongolian in Cyrillic", lang: "mn-Mong", src: "本院定于2023年6月15日开庭审理本案。",
			tgt:  "Энэ шүүх 2023 оны 6 сарын 15-ны өдөр энэ хэргийг шүүх хуралдаанаар хэлэлцэнэ.",
			want: []string{CheckTargetScript}, severity: SeverityBlocking, mentionEN: "Cyrillic", mentionZH: "西里尔字母"},
		{name: "Uyghur in Latin", lang: "ug", src: zhHearingSentence,
			tgt:  "Bu sot 2023-yili 6-ayning 15-küni chüshtin burun saet 9:30 da 3-sot zalida ochuq sot achidu.",
			want: []string{CheckTargetScript}, severity: SeverityBlocking, mentionEN: "Latin"},
		{name: "Kazakh in Cyrillic", lang: "kk-Arab", src: zhHearingSentence,
			tgt:  "Сот 2023 жылы 6 айдың 15 күні сағат 9:30-да 3-сот залында ашық сот мәжілісін өткізеді.",
			want: []string{CheckTargetScript}, severity: SeverityBlocking, mentionEN: "Cyrillic"},
		{name: "Tibetan in Latin", lang: "bo", src: "本判决为终审判决。", tgt: "thag gcod yig cha 'di ni mtha' ma'i thag gcod yin/",
			want: []string{CheckTargetScript}, severity: SeverityBlocking, mentionEN: "Latin"},
		{name: "amount changed", lang: "en", src: "二审案件受理费人民币12,345.67元，由上诉人负担。",
			tgt:  "The second-instance case acceptance fee of RMB 12,345.76 shall be borne by the appellant.",
			want: []string{CheckNumbers}, severity: SeverityBlocking, mentionEN: "12,345.67", mentionZH: "12,345.67"},
		{name: "statute number changed", lang: "en", src: "根据《中华人民共和国民事诉讼法》第一百七十条之规定，判决如下：",
			tgt:  "Pursuant to Article 107 of the Civil Procedure Law of the People's Republic of China, the judgment is as follows:",
			want: []string{CheckNumbers}, severity: SeverityBlocking, mentionEN: "一百七十 (170)"},
		{name: "year in Chinese numerals dropped", lang: "en", src: "二〇二三年五月六日", tgt: "6 May",
			want: []string{CheckNumbers}, severity: SeverityBlocking, mentionEN: "二〇二三 (2023)"},
		{name: "month dropped", lang: "en", src: "二〇二三年五月六日", tgt: "6 June 2023",
			want: []string{CheckNumbers}, severity: SeverityBlocking, mentionEN: "五 (5)"},
		{name: "fifteen days", lang: "ug", src: "提出答辩状的期限为公告期满后的十五日内。",
			tgt:  "جاۋاب خېتى سۇنۇش مۇددىتى ئېلان مۇددىتى توشقاندىن كېيىنكى 5 كۈن ئىچىدە.",
			want: []string{CheckNumbers}, severity: SeverityBlocking, mentionEN: "十五 (15)"},
		{name: "case number missing", lang: "en", src: "（2023）新民终45号", tgt: "Civil Judgment No. 45 of 2023",
			want: []string{CheckCaseNumber}, severity: SeverityBlocking, mentionEN: "（2023）新民终45号", mentionZH: "（2023）新民终45号"},
		{name: "case number kept verbatim in Uyghur", lang: "ug", src: "（2023）新民终45号", tgt: "（2023）新民终45号 ھۆكۈمنامە",
			want: nil},
		{name: "case number with other brackets", lang: "ko", src: "（2023）新民终45号", tgt: "(2023)新民终45号 판결서",
			want: nil},
		{name: "glossary required", lang: "en", src: "河北省高级人民法院公告", tgt: "Announcement of the Hebei High Court",
			terms: []Term{{Source: "河北省高级人民法院", Target: "The High People's Court of Hebei Province"}},
			want:  []string{CheckGlossaryRequired}, severity: SeverityWarning, mentionEN: "The High People's Court of Hebei Province"},
		{name: "glossary required, case-insensitive", lang: "en", src: "河北省高级人民法院公告", tgt: "Announcement of the High People's Court of Hebei Province",
			terms: []Term{{Source: "河北省高级人民法院", Target: "The High People's Court of Hebei Province"}},
			want:  nil},
		{name: "glossary forbidden", lang: "en", src: "河北省高级人民法院公告", tgt: "Announcement of the Higher People's Court of Hebei Province",
			terms: []Term{{Source: "河北省高级人民法院", Target: "The High People's Court of Hebei Province"},
				{Source: "高级人民法院", Target: "Higher People's Court", Forbidden: true}},
			want: []string{CheckGlossaryForbidden, CheckGlossaryRequired}, severity: SeverityBlocking, mentionEN: "Higher People's Court"},
		{name: "length too short", lang: "en", src: "王某：本院受理原告李某诉你民间借贷纠纷一案，因你下落不明，向你公告送达起诉状副本。",
			tgt: "Notice to Wang.", want: []string{CheckLengthRatio}, severity: SeverityWarning},
		{name: "length too long", lang: "ko", src: "本判决为终审判决，不得上诉。",
			tgt:  strings.Repeat("이 판결은 종심판결이며 상소할수 없다. ", 5),
			want: []string{CheckLengthRatio}, severity: SeverityWarning},
		{name: "unbalanced book title marks", lang: "ko", src: "根据《中华人民共和国民事诉讼法》判决。",
			tgt:  "《중화인민공화국 민사소송법에 따라 판결한다.",
			want: []string{CheckUnbalanced}, severity: SeverityWarning, mentionEN: "《 》"},
		{name: "unbalanced Tibetan brackets", lang: "bo", src: "见附件（一）。", tgt: "ཟུར་སྦྱར་༼གཅིག་ལ་ལྟོས།",
			want: []string{CheckUnbalanced}, severity: SeverityWarning, mentionEN: "༼ ༽"},
		{name: "bidi override", lang: "ug", src: zhHearingSentence,
			tgt:  "بۇ سوت \u202E2023-يىلى 6-ئاينىڭ 15-كۈنى سائەت 9:30 دا 3-سوت زالىدا بۇ دېلونى ئوچۇق سوت قىلىدۇ.",
			want: []string{CheckControlChars}, severity: SeverityBlocking, mentionEN: "U+202E"},
		{name: "rlm and bell", lang: "ar", src: "本判决为终审判决。", tgt: "هذا الحكم\u200F نهائي\a.",
			want: []string{CheckControlChars}, severity: SeverityBlocking, mentionEN: "U+200F U+0007"},
		{name: "replacement character", lang: "en", src: "本判决为终审判决。", tgt: "This judgment is final\uFFFD.",
			want: []string{CheckControlChars}, severity: SeverityBlocking, mentionEN: "U+FFFD"},
		{name: "stray nnbsp", lang: "en", src: "本判决为终审判决。", tgt: "This judgment\u202fis final.",
			want: []string{CheckStrayNNBSP}, severity: SeverityWarning, mentionEN: "U+202F"},
		{name: "stray nnbsp in Uyghur", lang: "ug", src: "本判决为终审判决。", tgt: "بۇ ھۆكۈم\u202fئاخىرقى ھۆكۈم.",
			want: []string{CheckStrayNNBSP}, severity: SeverityWarning},
		{name: "not NFC", lang: "fr", src: "本判决为终审判决。", tgt: "Ce jugement est de\u0301finitif.",
			want: []string{CheckNotNFC}, severity: SeverityBlocking},
		{name: "Tibetan not NFC", lang: "bo", src: "本判决为终审判决。", tgt: "ཐག་གཅོད་ཡིག་ཆ་འདི་ནི་མཐའ་མའི་ཐག་གཅོད་ཡིན། \u0F43",
			want: []string{CheckNotNFC}, severity: SeverityBlocking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := CheckQA(QAInput{SourceLang: "zh-Hans", TargetLang: tt.lang, Terms: tt.terms, AllowedTokens: tt.tokens,
				Segments: []Pair{{Index: 3, Source: tt.src, Target: tt.tgt}}})
			got := checks(issues)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("checks = %v, want %v\n%s", got, tt.want, describe(issues))
			}
			if len(issues) == 0 {
				return
			}
			is := issues[0]
			if is.Severity != tt.severity || is.Segment != 3 {
				t.Errorf("issue = %+v, want severity %s on segment 3", is, tt.severity)
			}
			if is.MessageEN == "" || is.MessageZH == "" {
				t.Errorf("messages missing: %+v", is)
			}
			if tt.mentionEN != "" && !strings.Contains(is.MessageEN+is.MessageZH, tt.mentionEN) {
				t.Errorf("messages do not name %q: %s / %s", tt.mentionEN, is.MessageEN, is.MessageZH)
			}
			if tt.mentionZH != "" && !strings.Contains(is.MessageZH, tt.mentionZH) {
				t.Errorf("Chinese message does not name %q: %s", tt.mentionZH, is.MessageZH)
			}
		})
	}
}

func TestCheckQANumbersAcceptLocales(t *testing.T) {
	src := "二审案件受理费人民币12,345.67元，由上诉人负担。"
	for lang, amount := range map[string]string{
		"en": "12,345.67", "de": "12.345,67", "fr": "12\u202f345,67", "ru": "12\u00a0345,67", "es": "12345,67",
		"ar": "١٢٬٣٤٥٫٦٧", "pt": "12.345,67", "ug": "12345.67", "bo": "༡༢༣༤༥.༦༧",
	} {
		issues := CheckQA(QAInput{TargetLang: lang, Segments: []Pair{{0, src, "x " + amount + " y"}}})
		for _, is := range issues {
			if is.Check == CheckNumbers {
				t.Errorf("%s: %q rejected: %s", lang, amount, is.MessageEN)
			}
		}
	}
	// 12万元 may be written in full or in thousands, and Korean may keep 만.
	for lang, tgt := range map[string]string{"en": "compensation of RMB 120,000", "fr": "120 mille yuans", "ko": "12만 위안을 배상한다"} {
		issues := CheckQA(QAInput{TargetLang: lang, Segments: []Pair{{0, "赔偿12万元", tgt}}})
		for _, is := range issues {
			if is.Check == CheckNumbers {
				t.Errorf("%s: %q rejected: %s", lang, tgt, is.MessageEN)
			}
		}
	}
}

func TestCheckQACaseNumberTokens(t *testing.T) {
	in := QAInput{TargetLang: "en", AllowedTokens: []string{"(2023) Xin Min Zhong No. 45"},
		Segments: []Pair{
			{0, "（2023）新民终45号", "(2023) Xin Min Zhong No. 45"},
			{1, "（2023）新民终45号", "(2023) Xin Min Zhong No. 46"},
			{2, "（2023）新民终45号", "（2023）新民终45号 Civil Judgment"},
		}}
	issues := CheckQA(in)
	var segs []int
	for _, is := range issues {
		if is.Check == CheckCaseNumber {
			segs = append(segs, is.Segment)
		}
	}
	if !reflect.DeepEqual(segs, []int{1}) {
		t.Errorf("case number issues on %v, want [1]\n%s", segs, describe(issues))
	}
}

func TestCheckQANNBSPAllowed(t *testing.T) {
	for _, tt := range []struct{ lang, tgt string }{
		{"mn-Mong", "ᠠᠷᠠᠳ\u202fᠤᠨ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ"},
		{"fr", "Le tribunal\u202f: « jugement\u202f» ?"},
		{"fr", "12\u202f345 yuans"},
		{"en", "RMB 12\u202f345"},
	} {
		for _, is := range CheckQA(QAInput{TargetLang: tt.lang, Segments: []Pair{{0, "短", tt.tgt}}}) {
			if is.Check == CheckStrayNNBSP {
				t.Errorf("%s %q: %s", tt.lang, tt.tgt, is.MessageEN)
			}
		}
	}
}

func TestCheckQAUntranslatedNeedsWords(t *testing.T) {
	// A segment of only a case number, a number or punctuation may stay.
	for _, s := range []string{"（2023）新民终45号", "12,345.67", "——", "1."} {
		for _, is := range CheckQA(QAInput{TargetLang: "ug", Segments: []Pair{{0, s, s}}}) {
			t.Errorf("%q: %s", s, is.MessageEN)
		}
	}
}

func TestCheckQAUnbalancedInSourceIsNotFlagged(t *testing.T) {
	// A quotation that spans segments opens in one and closes in another.
	issues := CheckQA(QAInput{TargetLang: "en", Segments: []Pair{{0, "他说：“我同意。", "He said: “I agree."}}})
	for _, is := range issues {
		if is.Check == CheckUnbalanced {
			t.Errorf("flagged although the source is unbalanced too: %s", is.MessageEN)
		}
	}
}

func TestCheckQASortedAndBlocking(t *testing.T) {
	in := QAInput{SourceLang: "zh-Hans", TargetLang: "en",
		Segments: []Pair{
			{5, "本判决为终审判决。", ""},
			{2, "二审案件受理费人民币100元。", "The fee\u202fis RMB 10\u202e."},
			{9, "本判决为终审判决。", "This judgment is final."},
		}}
	issues := CheckQA(in)
	if !sort.SliceIsSorted(issues, func(i, j int) bool {
		if issues[i].Segment != issues[j].Segment {
			return issues[i].Segment < issues[j].Segment
		}
		return issues[i].Check < issues[j].Check
	}) {
		t.Errorf("not sorted:\n%s", describe(issues))
	}
	want := []string{CheckControlChars, CheckLengthRatio, CheckNumbers, CheckStrayNNBSP, CheckEmpty}
	if got := checks(issues); !reflect.DeepEqual(got, want) {
		t.Errorf("checks = %v, want %v\n%s", got, want, describe(issues))
	}
	b := Blocking(issues)
	if got := checks(b); !reflect.DeepEqual(got, []string{CheckControlChars, CheckNumbers, CheckEmpty}) {
		t.Errorf("Blocking = %v", got)
	}
	if Blocking(nil) != nil {
		t.Error("Blocking(nil) != nil")
	}
}

func TestCheckQAMongolianGlossaryIgnoresVariationSelectors(t *testing.T) {
	in := QAInput{TargetLang: "mn-Mong",
		Terms:    []Term{{Source: "法院", Target: "ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ"}},
		Segments: []Pair{{0, "法院公告", "ᠱᠢᠭᠦᠬᠦ ᠶ᠋ᠠᠮᠤᠨ\u202fᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ"}}}
	for _, is := range CheckQA(in) {
		t.Errorf("%s: %s", is.Check, is.MessageEN)
	}
}

func ExampleCheckQA() {
	issues := CheckQA(QAInput{
		SourceLang: "zh-Hans",
		TargetLang: "en",
		Segments: []Pair{{
			Index:  0,
			Source: "二审案件受理费人民币12,345.67元，由上诉人负担。",
			Target: "The second-instance case acceptance fee of RMB 12,345.76 shall be borne by the appellant.",
		}},
	})
	for _, is := range Blocking(issues) {
		fmt.Println(is.Check, is.MessageEN)
	}
	// Output:
	// numbers The number 12,345.67 (12345.67) from the source is missing in the target.
}

func TestCheckQAInvalidUTF8ReportedOnce(t *testing.T) {
	issues := CheckQA(QAInput{TargetLang: "en", Segments: []Pair{{0, "本判决为终审判决。", "This judgment\xff is final."}}})
	if got := checks(issues); !reflect.DeepEqual(got, []string{CheckControlChars}) {
		t.Errorf("checks = %v\n%s", got, describe(issues))
	}
}

func TestCheckQAGlossaryVariants(t *testing.T) {
	terms := []Term{
		{Source: "高级人民法院", Target: "High People's Court"},
		{Source: "高级人民法院", Target: "Higher People's Court", Forbidden: true},
		{Source: "最高人民法院", Target: "Supreme People's Court"},
		{Source: "最高人民法院", Target: "SPC"},
		{Source: " ", Target: "Intermediate Court", Forbidden: true},
	}
	tests := []struct {
		src, tgt string
		want     []string
	}{
		{"最高人民法院公告", "Announcement of the SPC", nil},
		{"最高人民法院公告", "Announcement of the Supreme People's Court", nil},
		{"最高人民法院公告", "Announcement of the Supreme Court", []string{CheckGlossaryRequired}},
		{"本院公告", "Announcement of this Intermediate Court", []string{CheckGlossaryForbidden}},
		{"高级人民法院", "the higher people's court", []string{CheckGlossaryForbidden, CheckGlossaryRequired}},
	}
	for _, tt := range tests {
		issues := CheckQA(QAInput{TargetLang: "en", Terms: terms, Segments: []Pair{{0, tt.src, tt.tgt}}})
		if got := checks(issues); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s → %s: checks = %v, want %v\n%s", tt.src, tt.tgt, got, tt.want, describe(issues))
		}
	}
}

func TestCheckQALengthBands(t *testing.T) {
	// The bands follow density: a Korean or Yi translation is about as
	// long as the Chinese, a Tibetan one four times as long.
	src := "本院认为，上诉人的上诉请求不能成立，应予驳回。"
	for _, tt := range []struct {
		lang  string
		runes int
		warn  bool
	}{
		{"ko", 30, false}, {"ko", 120, true}, {"ii", 20, false}, {"ii", 6, true},
		{"bo", 90, false}, {"bo", 20, true}, {"en", 60, false}, {"en", 12, true},
	} {
		letter := map[string]string{"ko": "판", "ii": "ꆈ", "bo": "ཀ", "en": "a"}[tt.lang]
		tgt := strings.Repeat(letter, tt.runes)
		issues := CheckQA(QAInput{TargetLang: tt.lang, Segments: []Pair{{0, src, tgt}}})
		got := false
		for _, is := range issues {
			got = got || is.Check == CheckLengthRatio
		}
		if got != tt.warn {
			t.Errorf("%s with %d characters: length warning %v, want %v\n%s", tt.lang, tt.runes, got, tt.warn, describe(issues))
		}
	}
}
