package lang_test

import (
	"fmt"

	"yizhi/lang"
)

func ExampleSegment() {
	text := "（2023）新民终45号\n本院认为，上诉人的上诉请求不能成立。判决如下：\n一、驳回上诉，维持原判；\n二、二审案件受理费人民币12,345.67元，由上诉人负担。"
	for _, s := range lang.Segment("zh-Hans", text) {
		fmt.Printf("%d-%d %q\n", s.Start, s.End, s.Text)
	}
	// Output:
	// 0-25 "（2023）新民终45号\n"
	// 25-79 "本院认为，上诉人的上诉请求不能成立。"
	// 79-95 "判决如下：\n"
	// 95-132 "一、驳回上诉，维持原判；\n"
	// 132-204 "二、二审案件受理费人民币12,345.67元，由上诉人负担。"
}

func ExampleSegment_tibetan() {
	for _, s := range lang.SegmentStrings("bo", "༄༅། །ཁྲིམས་ཁང་གི་བརྡ་ཐོ། །ཐག་གཅོད་ཡིག་ཆ་འདི་ནི་མཐའ་མའི་ཐག་གཅོད་ཡིན།") {
		fmt.Println(s)
	}
	// Output:
	// ༄༅། །ཁྲིམས་ཁང་གི་བརྡ་ཐོ། །
	// ཐག་གཅོད་ཡིག་ཆ་འདི་ནི་མཐའ་མའི་ཐག་གཅོད་ཡིན།
}

func ExampleRegistry_Negotiate() {
	r := lang.NewRegistry()
	available := []string{"zh-Hans", "mn-Mong", "bo", "ug"}
	fmt.Println(r.Negotiate("mn", "", available, "zh-Hans"))
	fmt.Println(r.Negotiate("ug-CN,zh;q=0.5", "", available, "zh-Hans"))
	fmt.Println(r.Negotiate("dz", "", available, "zh-Hans"))
	fmt.Println(r.Negotiate("en", "tib", available, "zh-Hans"))
	// Output:
	// mn-Mong true
	// ug true
	// zh-Hans false
	// bo true
}

func ExampleRegistry_Canonicalize() {
	r := lang.NewRegistry()
	for _, tag := range []string{"tib", "ug_Arab_CN", "mn", "KK-cn", "chi", "mn-Cyrl"} {
		canon, err := r.Canonicalize(tag)
		fmt.Println(canon, err)
	}
	// Output:
	// bo <nil>
	// ug <nil>
	// mn-Mong <nil>
	// kk-Arab <nil>
	// zh-Hans <nil>
	//  invalid: language "mn-Cyrl" is not supported
}

func ExampleDecodeLegacy() {
	// 案号 in GB18030, then A6D9, a vertical comma that x/text decodes
	// to U+FFFD, then an invalid byte.
	text, err := lang.DecodeLegacy("gb18030", []byte("\xB0\xB8\xBA\xC5\xA6\xD9"))
	fmt.Printf("%q %v\n", text, err)
	_, err = lang.DecodeLegacy("gb18030", []byte("\xB0\xB8\xFF"))
	fmt.Println(err)
	// Output:
	// "案号︐" <nil>
	// invalid: gb18030: byte offset 2 (ff): invalid byte
}
