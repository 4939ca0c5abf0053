package lang

// Court texts in each script, written for these tests: judgment
// headlines, announcements and hearing notices as the courts of the
// autonomous regions publish them. The Yi and Zhuang lines follow the
// published names of the Liangshan and Guangxi courts; they exercise
// punctuation and script rules more than style.

const (
	zhJudgment = "新疆维吾尔自治区高级人民法院\n" +
		"民事判决书\n" +
		"（2023）新民终45号\n\n" +
		"上诉人（原审原告）：乌鲁木齐某某商贸有限公司，住所地新疆维吾尔自治区乌鲁木齐市天山区。" +
		"法定代表人：张某，该公司总经理。\n" +
		"本院认为，根据《中华人民共和国民事诉讼法》第一百七十条第一款第一项之规定，判决如下：\n" +
		"一、驳回上诉，维持原判；\n" +
		"二、二审案件受理费人民币12,345.67元，由上诉人负担。\n" +
		"本判决为终审判决。\n" +
		"二〇二三年五月六日\n"

	zhAnnouncement = "公告\n" +
		"王某：本院受理原告李某诉你民间借贷纠纷一案，因你下落不明，依照《中华人民共和国民事诉讼法》第九十五条的规定，" +
		"向你公告送达起诉状副本、应诉通知书、举证通知书及开庭传票。自公告之日起经过三十日，即视为送达。" +
		"提出答辩状的期限为公告期满后的十五日内。" +
		"本案定于2023年6月15日上午9时30分在本院第三法庭开庭审理，逾期将依法缺席判决。\n"

	zhHearing = "开庭公告\n" +
		"本院定于2023年6月15日上午9时30分在本院第三法庭公开开庭审理(2023)京0105民初12345号原告某某公司与被告某某公司买卖合同纠纷一案。\n"

	boNotice = "༄༅། །ལྷ་ས་གྲོང་ཁྱེར་བར་མའི་མི་དམངས་ཁྲིམས་ཁང་གི་བརྡ་ཐོ། །" +
		"ཁྲིམས་ཁང་འདིས་༢༠༢༣ལོའི་ཟླ་༦ཚེས་༡༥ཉིན་སྔ་དྲོའི་ཆུ་ཚོད་༩དང་སྐར་མ་༣༠ཐོག་ཁྲིམས་ཞིབ་ཁང་ཨང་༣པར་གསལ་ཞིབ་བྱེད་རྒྱུ་ཡིན། " +
		"ཞུ་གཏུགས་བྱེད་མཁན་དང་ཞུ་གཏུགས་ཁས་ལེན་མཁན་གཉིས་ཀས་དུས་ཐོག་ཏུ་ཡོང་དགོས། །" +
		"ཐག་གཅོད་ཡིག་ཆ་འདི་ནི་མཐའ་མའི་ཐག་གཅོད་ཡིན༎"

	ugNotice = "ئۈرۈمچى شەھەرلىك ئوتتۇرا خەلق سوت مەھكىمىسى\n" +
		"ئۇقتۇرۇش\n" +
		"بۇ سوت 2023-يىلى 6-ئاينىڭ 15-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا 3-سوت زالىدا ئوچۇق سوت ئاچىدۇ. " +
		"دەۋاگەر ۋە جاۋابكار ۋاقتىدا كېلىشى كېرەك! " +
		"سوتقا كېلەلمىسىڭىز، قانۇن بويىچە سىرتتا ھۆكۈم چىقىرىلىدۇ؛ بۇنىڭغا قوشۇلامسىز؟"

	kkNotice = "ٸلە قازاق اۆتونوميالى وبلىسى ورتا دارەجەلى حالىق سوتى\n" +
		"حابارلاندىرۋ\n" +
		"سوت 2023-جىلى 6-ايدىڭ 15-كۇنى ساعات 9:30 دا 3-سوت زالىندا اشىق سوت ماجىلىسىن وتكىزەدى. " +
		"تالاپكەر مەن جاۋاپكەر ۋاقىتىندا كەلۋى ٴتيىس! " +
		"سىز كەلە المايسىز با، الدە كەلەسىز بە؟"

	mnNotice = "ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ\u202fᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠤᠨ\u202fᠤ ᠳᠡᠭᠡᠳᠦ ᠠᠷᠠᠳ\u202fᠤᠨ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ\n" +
		"ᠮᠡᠳᠡᠭᠳᠡᠯ\n" +
		"ᠡᠨᠡ ᠱᠢᠭᠦᠬᠦ ᠶᠠᠮᠤᠨ 2023 ᠣᠨ\u202fᠤ 6 ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 15\u202fᠨᠤ ᠡᠳᠦᠷ ᠱᠡᠭᠦᠨ ᠬᠤᠷᠠᠯ ᠤᠨ\u202fᠤ ᠬᠤᠷᠠᠯ ᠬᠢᠨ\u180eᠡ᠃ " +
		"ᠬᠡᠷᠡᠭ ᠤᠨ\u202fᠬᠦᠮᠦᠰ ᠴᠠᠭ\u202fᠲᠤ\u202fᠢᠶᠠᠨ ᠢᠷᠡᠬᠦ ᠬᠡᠷᠡᠭᠲᠡᠢ︕ " +
		"ᠲᠠ ᠢᠷᠡᠵᠦ ᠴᠢᠳᠠᠬᠤ ᠤᠤ︖ " +
		"ᠡᠨᠡ ᠱᠡᠢᠳᠪᠦᠷᠢ ᠡᠴᠡᠰ\u202fᠦᠨ ᠱᠡᠢᠳᠪᠦᠷᠢ ᠪᠣᠯᠤᠨᠠ᠉"

	iiNotice = "ꆃꎭꆈꌠꊨꏦꏱꅉꐔꐥꌠꃅꄿꇬ\n" +
		"ꇬꏦꈌꅉꀋꐨ。ꆈꌠꉙꀕꄮꀉꑭꉢ！ꃅꄿꇬꆹꀋꁧꑍ？ꂷꃅꄿ.ꊨꏦꏱ."

	koNotice = "연변조선족자치주중급인민법원\n" +
		"공고\n" +
		"본 법원은 2023년 6월 15일 오전 9시 30분에 제3법정에서 원고 김모와 피고 박모 사이의 민간대출분쟁사건을 공개 심리한다. " +
		"당사자들은 제때에 출석하여야 한다! 출석할수 없습니까? " +
		"《중화인민공화국 민사소송법》 제170조에 따라 판결한다。"

	zaNotice = "Gvangjsih Bouxcuengh Swcigih Gauhgiz Yinzminz Fazyen\n" +
		"Gunghgau\n" +
		"Bonj fazyen dingh youq 2023 nienz 6 nyied 15 hauh banhaet 9 diemj 30 faen hai dingz simjleix anqgienh neix. " +
		"Boux dangsaeh wnggai daengz seiz daeuj! Mwngz ndaej daeuj mbouj? " +
		"Ciuq Daih 170 diuz Minzsaeh Suhsung Fap guh duenqdingh."

	enJudgment = "The High People's Court of Xinjiang Uygur Autonomous Region\n" +
		"Civil Judgment\n" +
		"(2023) Xin Min Zhong No. 45\n\n" +
		"The appeal is dismissed and the original judgment is upheld. " +
		"The second-instance case acceptance fee of RMB 12,345.67 shall be borne by the appellant, Urumqi X Trading Co., Ltd. " +
		"This judgment is final. " +
		"See Art. 170 of the Civil Procedure Law of the People's Republic of China, i.e. the provision cited by Mr. Wang. " +
		"Notice is hereby given! Will the defendant appear? " +
		"Dated 6 May 2023.\n"
)
