package lang

import (
	"reflect"
	"strings"
	"testing"
)

// checkSegments verifies what every segmentation must satisfy: segments
// concatenate to the text, none is empty, offsets agree with the text, and
// only a text of whitespace alone is a whitespace-only segment.
func checkSegments(t testing.TB, lang, text string, segs []Span) {
	t.Helper()
	if text == "" {
		if len(segs) != 0 {
			t.Fatalf("%s: empty text gave %d segments", lang, len(segs))
		}
		return
	}
	if len(segs) == 0 {
		t.Fatalf("%s: %q gave no segments", lang, text)
	}
	var b strings.Builder
	pos := 0
	for i, s := range segs {
		if s.Text == "" {
			t.Fatalf("%s: segment %d is empty", lang, i)
		}
		if s.Start != pos || s.End != s.Start+len(s.Text) || text[s.Start:s.End] != s.Text {
			t.Fatalf("%s: segment %d offsets [%d,%d) disagree (expected start %d) in %q", lang, i, s.Start, s.End, pos, text)
		}
		if len(segs) > 1 && strings.TrimFunc(s.Text, isSpace) == "" {
			t.Fatalf("%s: segment %d of %d is whitespace only: %q", lang, i, len(segs), s.Text)
		}
		pos = s.End
		b.WriteString(s.Text)
	}
	if b.String() != text {
		t.Fatalf("%s: segments do not concatenate to the text", lang)
	}
}

func TestSegmentCourtTexts(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"chinese judgment", "zh-Hans", zhJudgment, []string{
			"新疆维吾尔自治区高级人民法院\n",
			"民事判决书\n",
			"（2023）新民终45号\n\n",
			"上诉人（原审原告）：乌鲁木齐某某商贸有限公司，住所地新疆维吾尔自治区乌鲁木齐市天山区。",
			"法定代表人：张某，该公司总经理。\n",
			"本院认为，根据《中华人民共和国民事诉讼法》第一百七十条第一款第一项之规定，判决如下：\n",
			"一、驳回上诉，维持原判；\n",
			"二、二审案件受理费人民币12,345.67元，由上诉人负担。\n",
			"本判决为终审判决。\n",
			"二〇二三年五月六日\n",
		}},
		{"chinese announcement", "zh-Hans", zhAnnouncement, []string{
			"公告\n",
			"王某：本院受理原告李某诉你民间借贷纠纷一案，因你下落不明，依照《中华人民共和国民事诉讼法》第九十五条的规定，向你公告送达起诉状副本、应诉通知书、举证通知书及开庭传票。",
			"自公告之日起经过三十日，即视为送达。",
			"提出答辩状的期限为公告期满后的十五日内。",
			"本案定于2023年6月15日上午9时30分在本院第三法庭开庭审理，逾期将依法缺席判决。\n",
		}},
		{"chinese hearing notice", "zh-Hans", zhHearing, []string{
			"开庭公告\n",
			"本院定于2023年6月15日上午9时30分在本院第三法庭公开开庭审理(2023)京0105民初12345号原告某某公司与被告某某公司买卖合同纠纷一案。\n",
		}},
		{"tibetan notice", "bo", boNotice, []string{
			"༄༅། །ལྷ་ས་གྲོང་ཁྱེར་བར་མའི་མི་དམངས་ཁྲིམས་ཁང་གི་བརྡ་ཐོ། །",
			"ཁྲིམས་ཁང་འདིས་༢༠༢༣ལོའི་ཟླ་༦ཚེས་༡༥ཉིན་སྔ་དྲོའི་ཆུ་ཚོད་༩དང་སྐར་མ་༣༠ཐོག་ཁྲིམས་ཞིབ་ཁང་ཨང་༣པར་གསལ་ཞིབ་བྱེད་རྒྱུ་ཡིན། ",
			"ཞུ་གཏུགས་བྱེད་མཁན་དང་ཞུ་གཏུགས་ཁས་ལེན་མཁན་གཉིས་ཀས་དུས་ཐོག་ཏུ་ཡོང་དགོས། །",
			"ཐག་གཅོད་ཡིག་ཆ་འདི་ནི་མཐའ་མའི་ཐག་གཅོད་ཡིན༎",
		}},
		{"uyghur notice", "ug", ugNotice, []string{
			"ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسى\n",
			"ئۇقتۇرۇش\n",
			"بۇ سوت 2023-يىلى 6-ئاينىڭ 15-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا 3-سوت زالىدا ئوچۇق سوت ئاچىدۇ. ",
			"دەۋاگەر ۋە جاۋابكار ۋاقتىدا كېلىشى كېرەك! ",
			"سوتقا كېلەلمىسىڭىز، قانۇن بويىچە سىرتتا ھۆكۈم چىقىرىلىدۇ؛ بۇنىڭغا قوشۇلامسىز؟",
		}},
		{"kazakh notice", "kk-Arab", kkNotice, []string{
			"ٸلە قازاق اۆتونوميالى وبلىسى ورتا دارەجەلى حالىق سوتى\n",
			"حابارلاندىرۋ\n",
			"سوت 2023-جىلى 6-ايدىڭ 15-كۇنى ساعات 9:30 دا 3-سوت زالىندا اشىق سوت ماجىلىسىن وتكىزەدى. ",
			"تالاپكەر مەن جاۋاپكەر ۋاقىتىندا كەلۋى ٴتيىس! ",
			"سىز كەلە المايسىز با، الدە كەلەسىز بە؟",
		}},
		{"mongolian notice", "mn-Mong", mnNotice, []string{
			"ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ\u202fᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠤᠨ\u202fᠤ ᠳᠡᠭᠡᠳᠦ ᠠᠷᠠᠳ\u202fᠤᠨ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ\n",
			"ᠮᠡᠳᠡᠭᠳᠡᠯ\n",
			"ᠡᠨᠡ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ 2023 ᠣᠨ\u202fᠤ 6 ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 15\u202fᠨᠤ ᠡᠳᠦᠷ ᠱᠡᠭᠦᠨ ᠬᠤᠷᠠᠯ ᠤᠨ\u202fᠤ ᠬᠤᠷᠠᠯ ᠬᠢᠨ\u180eᠡ᠃ ",
			"ᠬᠡᠷᠡᠭ ᠤᠨ\u202fᠬᠦᠮᠦᠰ ᠴᠠᠭ\u202fᠲᠤ\u202fᠢᠶᠠᠨ ᠢᠷᠡᠬᠦ ᠬᠡᠷᠡᠭᠲᠡᠢ︕ ",
			"ᠲᠠ ᠢᠷᠡᠵᠦ ᠴᠢᠳᠠᠬᠤ ᠤᠤ︖ ",
			"ᠡᠨᠡ ᠱᠡᠢᠳᠪᠦᠷᠢ ᠡᠴᠡᠰ\u202fᠦᠨ ᠱᠡᠢᠳᠪᠦᠷᠢ ᠪᠣᠯᠤᠨᠠ᠉",
		}},
		{"yi notice", "ii", iiNotice, []string{
			"ꆃꎭꆈꌠꊨꏦꏱꅉꐔꐥꌠꃅꄿꇬ\n",
			"ꇬꏦꈌꅉꀋꐨ。",
			"ꆈꌠꉙꀕꄮꀉꑭꉢ！",
			"ꃅꄿꇬꆹꀋꁧꑍ？",
			"ꂷꃅꄿ.",
			"ꊨꏦꏱ.",
		}},
		{"korean notice", "ko", koNotice, []string{
			"연변조선족자치주중급인민법원\n",
			"공고\n",
			"본 법원은 2023년 6월 15일 오전 9시 30분에 제3법정에서 원고 김모와 피고 박모 사이의 민간대출분쟁사건을 공개 심리한다. ",
			"당사자들은 제때에 출석하여야 한다! ",
			"출석할수 없습니까? ",
			"《중화인민공화국 민사소송법》 제170조에 따라 판결한다。",
		}},
		{"zhuang notice", "za", zaNotice, []string{
			"Gvangjsih Bouxcuengh Swcigih Gauhgiz Yinzminz Fazyen\n",
			"Gunghgau\n",
			"Bonj fazyen dingh youq 2023 nienz 6 nyied 15 hauh banhaet 9 diemj 30 faen hai dingz simjleix anqgienh neix. ",
			"Boux dangsaeh wnggai daengz seiz daeuj! ",
			"Mwngz ndaej daeuj mbouj? ",
			"Ciuq Daih 170 diuz Minzsaeh Suhsung Fap guh duenqdingh.",
		}},
		{"english judgment", "en", enJudgment, []string{
			"The High People's Court of Xinjiang Uygur Autonomous Region\n",
			"Civil Judgment\n",
			"(2023) Xin Min Zhong No. 45\n\n",
			"The appeal is dismissed and the original judgment is upheld. ",
			"The second-instance case acceptance fee of RMB 12,345.67 shall be borne by the appellant, Urumqi X Trading Co., Ltd. ",
			"This judgment is final. ",
			"See Art. 170 of the Civil Procedure Law of the People's Republic of China, i.e. the provision cited by Mr. Wang. ",
			"Notice is hereby given! ",
			"Will the defendant appear? ",
			"Dated 6 May 2023.\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := Segment(tt.lang, tt.text)
			checkSegments(t, tt.lang, tt.text, segs)
			got := SegmentStrings(tt.lang, tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Segment(%s):\n got %q\nwant %q", tt.lang, got, tt.want)
			}
		})
	}
}

// TestSegmentRules pins each rule of LANGUAGES.md "Sentence segmentation".
func TestSegmentRules(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		// Chinese.
		{"zh full stop, exclamation, question", "zh-Hans", "驳回上诉。维持原判！是否上诉？", []string{"驳回上诉。", "维持原判！", "是否上诉？"}},
		{"zh ascii ! and ?", "zh-Hans", "是否上诉?不上诉!好", []string{"是否上诉?", "不上诉!", "好"}},
		{"zh ascii ? before a date", "zh-Hans", "是否上诉?2023年5月6日宣判。", []string{"是否上诉?", "2023年5月6日宣判。"}},
		{"zh ascii ! inside an identifier", "zh-Hans", "变量a!b与c?d=1。", []string{"变量a!b与c?d=1。"}},
		{"zh closing quote stays", "zh-Hans", "他当庭表示：“我认罪认罚。”审判长宣布休庭。", []string{"他当庭表示：“我认罪认罚。”", "审判长宣布休庭。"}},
		{"zh closing brackets stay", "zh-Hans", "（见附件。）《判决书。》「完。」『好！』【注。】下文", []string{"（见附件。）", "《判决书。》", "「完。」", "『好！』", "【注。】", "下文"}},
		{"zh mixed terminators are one break", "zh-Hans", "真的吗？！是的。", []string{"真的吗？！", "是的。"}},
		{"zh ellipsis ends a sentence", "zh-Hans", "他犹豫了……最后签了字。", []string{"他犹豫了……", "最后签了字。"}},
		{"zh ellipsis then full stop", "zh-Hans", "等等……。下一句", []string{"等等……。", "下一句"}},
		{"zh ellipsis continued by comma", "zh-Hans", "甲、乙、丙……，均已到庭。", []string{"甲、乙、丙……，均已到庭。"}},
		{"zh ellipsis continued by semicolon", "zh-Hans", "证据一……；证据二。", []string{"证据一……；证据二。"}},
		{"zh ellipsis before closing quote", "zh-Hans", "他说：“我……”随后沉默。", []string{"他说：“我……”", "随后沉默。"}},
		{"zh ascii ellipsis", "zh-Hans", "等等...下一句", []string{"等等...", "下一句"}},
		{"zh case number full-width", "zh-Hans", "（2023）最高法民终123号判决已生效。", []string{"（2023）最高法民终123号判决已生效。"}},
		{"zh case number ascii", "zh-Hans", "(2023)京0105民初12345号案件。", []string{"(2023)京0105民初12345号案件。"}},
		{"zh date", "zh-Hans", "2023年5月6日开庭。二〇二三年五月六日", []string{"2023年5月6日开庭。", "二〇二三年五月六日"}},
		{"zh statute citation", "zh-Hans", "依照《中华人民共和国民事诉讼法》第一百七十条规定。", []string{"依照《中华人民共和国民事诉讼法》第一百七十条规定。"}},
		{"zh list markers", "zh-Hans", "一、驳回上诉（一）维持原判(一)另案处理 1. 费用 1、负担", []string{"一、驳回上诉（一）维持原判(一)另案处理 1. 费用 1、负担"}},
		{"zh decimal amount", "zh-Hans", "人民币12,345.67元。", []string{"人民币12,345.67元。"}},
		{"zh url with ?", "zh-Hans", "详见http://wenshu.court.gov.cn/list?page=2&q=1。下一句", []string{"详见http://wenshu.court.gov.cn/list?page=2&q=1。", "下一句"}},
		{"zh english full stop is no break", "zh-Hans", "见No.5号文件.下一句", []string{"见No.5号文件.下一句"}},
		{"zh paragraph break", "zh-Hans", "判决如下\n\n一、驳回上诉", []string{"判决如下\n\n", "一、驳回上诉"}},
		{"zh crlf", "zh-Hans", "公告\r\n正文。\r\n", []string{"公告\r\n", "正文。\r\n"}},
		{"zh whitespace after break joins it", "zh-Hans", "第一句。  \u3000第二句。 ", []string{"第一句。  \u3000", "第二句。 "}},
		{"zh leading whitespace joins first", "zh-Hans", "\n\n  公告\n正文", []string{"\n\n  公告\n", "正文"}},
		{"zh punctuation-only start", "zh-Hans", "？？？他问。", []string{"？？？他问。"}},
		{"zh semicolon off by default", "zh-Hans", "驳回上诉；维持原判。", []string{"驳回上诉；维持原判。"}},

		// Tibetan.
		{"bo shad", "bo", "ཁྲིམས་ཁང་། ཐག་གཅོད།", []string{"ཁྲིམས་ཁང་། ", "ཐག་གཅོད།"}},
		{"bo shad space shad is one break", "bo", "བརྡ་ཐོ། །ཁྲིམས་ཁང་།", []string{"བརྡ་ཐོ། །", "ཁྲིམས་ཁང་།"}},
		{"bo nyis shad", "bo", "ཡིན༎ ཡིན།", []string{"ཡིན༎ ", "ཡིན།"}},
		{"bo head marks open a text", "bo", "༄༅། །ཁྲིམས་ཁང་། ༄༅། །བརྡ་ཐོ།", []string{"༄༅། །ཁྲིམས་ཁང་། ", "༄༅། །བརྡ་ཐོ།"}},
		{"bo tsheg is no break", "bo", "ཁྲིམས་ཁང་གི་བརྡ་ཐོ་", []string{"ཁྲིམས་ཁང་གི་བརྡ་ཐོ་"}},
		{"bo full stop is no break", "bo", "ཨང་3.5 ཡིན།", []string{"ཨང་3.5 ཡིན།"}},

		// Mongolian.
		{"mn full stop", "mn-Mong", "ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ᠃ ᠮᠡᠳᠡᠭᠳᠡᠯ᠃", []string{"ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ᠃ ", "ᠮᠡᠳᠡᠭᠳᠡᠯ᠃"}},
		{"mn manchu full stop", "mn-Mong", "ᠪᠣᠯᠤᠨᠠ᠉ᠲᠡᠢ", []string{"ᠪᠣᠯᠤᠨᠠ᠉", "ᠲᠡᠢ"}},
		{"mn vertical ? and !", "mn-Mong", "ᠤᠤ︖ ᠲᠡᠢ︕ ᠲᠡᠢ", []string{"ᠤᠤ︖ ", "ᠲᠡᠢ︕ ", "ᠲᠡᠢ"}},
		{"mn ascii ? and !", "mn-Mong", "ᠤᠤ? ᠲᠡᠢ! ᠲᠡᠢ", []string{"ᠤᠤ? ", "ᠲᠡᠢ! ", "ᠲᠡᠢ"}},
		{"mn never at nnbsp", "mn-Mong", "ᠠᠷᠠᠳ\u202fᠤᠨ ᠱᠢᠭᠦᠬᠦ\u202fᠶᠢᠨ\u202f ᠶᠠᠮᠤᠨ", []string{"ᠠᠷᠠᠳ\u202fᠤᠨ ᠱᠢᠭᠦᠬᠦ\u202fᠶᠢᠨ\u202f ᠶᠠᠮᠤᠨ"}},
		{"mn comma is no break", "mn-Mong", "ᠲᠡᠢ᠂ ᠲᠡᠢ", []string{"ᠲᠡᠢ᠂ ᠲᠡᠢ"}},

		// Uyghur and Kazakh.
		{"ug full stop, question, exclamation", "ug", "سوت ئاچىدۇ. كىم؟ كېلىڭ! بولدى", []string{"سوت ئاچىدۇ. ", "كىم؟ ", "كېلىڭ! ", "بولدى"}},
		{"ug comma and semicolon are no break", "ug", "دەۋاگەر، جاۋابكار؛ گۇۋاھچى.", []string{"دەۋاگەر، جاۋابكار؛ گۇۋاھچى."}},
		{"ug number with dot", "ug", "2023.5.6 كۈنى 12.5 يۈەن.", []string{"2023.5.6 كۈنى 12.5 يۈەن."}},
		{"ug sentence after dot may start with a number", "ug", "سوت ئاچىدۇ. 2023-يىلى", []string{"سوت ئاچىدۇ. ", "2023-يىلى"}},
		{"kk high hamza word", "kk-Arab", "كەلۋى ٴتيىس. ٴبىز", []string{"كەلۋى ٴتيىس. ", "ٴبىز"}},

		// Yi.
		{"ii chinese punctuation", "ii", "ꆈꌠ。ꉙ！ꇬ？ꃅ", []string{"ꆈꌠ。", "ꉙ！", "ꇬ？", "ꃅ"}},
		{"ii ascii full stop without space", "ii", "ꆈꌠ.ꉙ", []string{"ꆈꌠ.", "ꉙ"}},
		{"ii wu is a letter", "ii", "ꀕꀕ。ꀕ", []string{"ꀕꀕ。", "ꀕ"}},
		{"ii decimal", "ii", "ꆈ12.5ꌠ。", []string{"ꆈ12.5ꌠ。"}},

		// Korean.
		{"ko terminators", "ko", "심리한다. 출석하라! 없습니까? 판결한다。끝", []string{"심리한다. ", "출석하라! ", "없습니까? ", "판결한다。", "끝"}},
		{"ko list number after sentence", "ko", "판결한다. 2. 피고는 부담한다.", []string{"판결한다. ", "2. 피고는 부담한다."}},

		// English and Zhuang.
		{"en abbreviations", "en", "See Art. 170 and No. 45. Mr. Wang and Dr. Li attended. It ended.", []string{"See Art. 170 and No. 45. ", "Mr. Wang and Dr. Li attended. ", "It ended."}},
		{"en e.g. and i.e.", "en", "Courts, e.g. The High Court, sit. U.S. Courts differ.", []string{"Courts, e.g. The High Court, sit. ", "U.S. Courts differ."}},
		{"en initials", "en", "Judge J. Smith presided. He left.", []string{"Judge J. Smith presided. ", "He left."}},
		{"en numbers", "en", "RMB 12,345.67 is due. Pay 3.5 percent.", []string{"RMB 12,345.67 is due. ", "Pay 3.5 percent."}},
		{"en lower case after full stop", "en", "See p. 5 and the court. the end", []string{"See p. 5 and the court. the end"}},
		{"en list marker", "en", "1. The appeal is dismissed. 2. The fee is borne by the appellant.", []string{"1. The appeal is dismissed. ", "2. The fee is borne by the appellant."}},
		{"en year is no list marker", "en", "2023. The court sat.", []string{"2023. ", "The court sat."}},
		{"en dotted list marker", "en", "2.3. The court sat.", []string{"2.3. The court sat."}},
		{"en roman list marker", "en", "iv. The fee. v. The costs.", []string{"iv. The fee. ", "v. The costs."}},
		{"en quote closes sentence", "en", `He said "No." Then he left.`, []string{`He said "No." `, "Then he left."}},
		{"en opening quote starts sentence", "en", `It ended. "Next," he said.`, []string{"It ended. ", `"Next," he said.`}},
		{"en ? then lower case", "en", `Was it "fair?" he asked.`, []string{`Was it "fair?" he asked.`}},
		{"en ellipsis", "en", "He paused... Then he spoke.", []string{"He paused... ", "Then he spoke."}},
		{"en url", "en", "Visit www.court.gov.cn. Then call.", []string{"Visit www.court.gov.cn. ", "Then call."}},
		{"za like english", "za", "Bonj fazyen hai dingz. Mwngz daeuj! No. 5 gienh.", []string{"Bonj fazyen hai dingz. ", "Mwngz daeuj! ", "No. 5 gienh."}},
		{"ru cyrillic", "ru", "Суд постановил. Ст. 170 применяется. Конец", []string{"Суд постановил. ", "Ст. 170 применяется. ", "Конец"}},
		{"ar", "ar", "قضت المحكمة. هل يستأنف؟ نعم", []string{"قضت المحكمة. ", "هل يستأنف؟ ", "نعم"}},
		{"my section mark", "my", "တရားရုံး။ ဆုံးဖြတ်သည်။", []string{"တရားရုံး။ ", "ဆုံးဖြတ်သည်။"}},
		{"ja", "ja", "判決する。控訴を棄却する！", []string{"判決する。", "控訴を棄却する！"}},
		{"unknown language gets generic rules", "xx", "One. Two", []string{"One. ", "Two"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := Segment(tt.lang, tt.text)
			checkSegments(t, tt.lang, tt.text, segs)
			got := SegmentStrings(tt.lang, tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Segment(%s, %q):\n got %q\nwant %q", tt.lang, tt.text, got, tt.want)
			}
		})
	}
}

func TestSegmentSemicolonOption(t *testing.T) {
	opt := SegmentOptions{BreakAtSemicolon: true}
	tests := []struct {
		lang, text string
		want       []string
	}{
		{"zh-Hans", "驳回上诉；维持原判。", []string{"驳回上诉；", "维持原判。"}},
		{"zh-Hans", "甲；”乙", []string{"甲；”", "乙"}},
		{"zh-Hans", "a&amp;b；c", []string{"a&amp;b；", "c"}},
		{"en", "The appeal is dismissed; the fee is borne by the appellant.", []string{"The appeal is dismissed; ", "the fee is borne by the appellant."}},
		{"ug", "دەۋاگەر؛ جاۋابكار", []string{"دەۋاگەر؛ ", "جاۋابكار"}},
		{"en", "a;b", []string{"a;b"}},
	}
	for _, tt := range tests {
		segs := SegmentWith(tt.lang, tt.text, opt)
		checkSegments(t, tt.lang, tt.text, segs)
		var got []string
		for _, s := range segs {
			got = append(got, s.Text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SegmentWith(%s, %q, semicolon):\n got %q\nwant %q", tt.lang, tt.text, got, tt.want)
		}
	}
}

func TestSegmentEdgeCases(t *testing.T) {
	if segs := Segment("zh-Hans", ""); segs != nil {
		t.Errorf("empty text: got %v, want nil", segs)
	}
	// A whitespace-only text is one segment, in every language.
	for _, lang := range []string{"zh-Hans", "bo", "mn-Mong", "ug", "en"} {
		for _, ws := range []string{" ", "\n\n", " \u3000\t\r\n", "\u202f"} {
			segs := Segment(lang, ws)
			if len(segs) != 1 || segs[0].Text != ws {
				t.Errorf("Segment(%s, %q) = %v, want one segment", lang, ws, segs)
			}
		}
	}
	// Trailing whitespace after the last break joins the last segment.
	got := SegmentStrings("zh-Hans", "甲。\n\n")
	if want := []string{"甲。\n\n"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Offsets are byte offsets.
	segs := Segment("zh-Hans", "甲。乙。")
	if segs[1].Start != 6 || segs[1].End != 12 {
		t.Errorf("offsets = %d..%d, want 6..12", segs[1].Start, segs[1].End)
	}
	// Invalid UTF-8 does not break the invariants.
	for _, s := range []string{"\xff。\xfe", "甲\xe3。", "a.\x80 B"} {
		checkSegments(t, "zh-Hans", s, Segment("zh-Hans", s))
		checkSegments(t, "en", s, Segment("en", s))
	}
}

// TestSegmentAliases: the segmenter also understands non-canonical tags.
func TestSegmentAliases(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"bo", "bo"}, {"bo-CN", "bo"}, {"zh", "zh"}, {"zh-CN", "zh"}, {"ug-Arab-CN", "ug"},
		{"kk", "ug"}, {"kk-CN", "ug"}, {"mn", "mn"}, {"mn-CN", "mn"}, {"ii-CN", "ii"}, {"ko-KR", "ko"}, {"en-GB", "en"},
	} {
		want := profileFor(map[string]string{"bo": "bo", "zh": "zh-Hans", "ug": "ug", "mn": "mn-Mong", "ii": "ii", "ko": "ko", "en": "en"}[tt.want])
		if got := profileFor(tt.lang); got != want {
			t.Errorf("profileFor(%q) = %+v, want %+v", tt.lang, got, want)
		}
	}
}

// TestSegmentLongPunctuationRuns: runs of punctuation that do not end a
// sentence are read once; a quadratic scan would not finish here.
func TestSegmentLongPunctuationRuns(t *testing.T) {
	n := 200000
	for _, tt := range []struct{ lang, text string }{
		{"en", "a" + strings.Repeat(".", n) + "b"},
		{"en", "a" + strings.Repeat("?", n) + "b"},
		{"zh-Hans", "甲" + strings.Repeat("？", n) + "，乙"},
		{"zh-Hans", "甲" + strings.Repeat("…", n) + "，乙"},
		{"bo", "ཀ" + strings.Repeat("། ", n) + "，"},
		{"ug", "ئا" + strings.Repeat("؟", n) + "،"},
		{"ii", "ꆈ" + strings.Repeat(".", n) + "1"},
		{"en", strings.Repeat("No. ", n)},
		{"en", strings.Repeat("a. ", n)},
	} {
		segs := Segment(tt.lang, tt.text)
		checkSegments(t, tt.lang, tt.text, segs)
	}
}
