package lang

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

const benchSize = 1 << 20 // 1 MiB

// Court sentences with numbers that vary from one copy to the next, so
// the corpus is not one string repeated.
var zhTemplates = []func(i int) string{
	func(i int) string {
		return fmt.Sprintf("本院定于%d年%d月%d日上午9时30分在本院第三法庭公开开庭审理（%d）新0102民初%d号原告某某公司与被告某某公司买卖合同纠纷一案。",
			2000+i%25, 1+i%12, 1+i%28, 2000+i%25, 1+i%9999)
	},
	func(i int) string {
		return fmt.Sprintf("二审案件受理费人民币%s元，由上诉人负担。", amount(i))
	},
	func(i int) string {
		return "本院认为，根据《中华人民共和国民事诉讼法》第一百七十条第一款第一项之规定，判决如下：\n一、驳回上诉，维持原判；\n"
	},
	func(i int) string {
		return "王某：本院受理原告李某诉你民间借贷纠纷一案，因你下落不明，依照《中华人民共和国民事诉讼法》第九十五条的规定，向你公告送达起诉状副本、应诉通知书、举证通知书及开庭传票。自公告之日起经过三十日，即视为送达。"
	},
	func(i int) string {
		return "他当庭表示：“我认罪认罚。”审判长随即宣布休庭！是否上诉？"
	},
	func(i int) string {
		return fmt.Sprintf("新疆维吾尔自治区高级人民法院\n民事判决书\n（%d）新民终%d号\n\n", 2000+i%25, 1+i%999)
	},
	func(i int) string {
		return "提出答辩状的期限为公告期满后的十五日内。他犹豫了……最后签了字。\n"
	},
}

func amount(i int) string {
	return fmt.Sprintf("%d,%03d.%02d", 1+i%97, (i*37)%1000, i%100)
}

func zhCorpus(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(zhTemplates[i%len(zhTemplates)](i))
	}
	return b.String()
}

func repeatTo(s string, size int) string {
	return strings.Repeat(s, size/len(s)+1)[:size]
}

func BenchmarkSegmentZH(b *testing.B) {
	text := zhCorpus(benchSize)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(Segment("zh-Hans", text))
	}
	b.ReportMetric(float64(n), "segments")
}

// BenchmarkBaselineSplit is the naive split on 。 that Segment replaces.
func BenchmarkBaselineSplit(b *testing.B) {
	text := zhCorpus(benchSize)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(strings.Split(text, "。"))
	}
	b.ReportMetric(float64(n), "segments")
}

func BenchmarkSegmentOther(b *testing.B) {
	for _, c := range []struct{ lang, text string }{
		{"bo", boNotice}, {"ug", ugNotice}, {"mn-Mong", mnNotice}, {"en", enJudgment},
	} {
		b.Run(c.lang, func(b *testing.B) {
			text := repeatTo(c.text+" ", benchSize)
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Segment(c.lang, text)
			}
		})
	}
}

// scriptCorpus is Uyghur with the Latin, digits and case numbers a real
// translation holds.
func scriptCorpus() string {
	return repeatTo("بۇ سوت 2023-يىلى 6-ئاينىڭ 15-كۈنى سائەت 9:30 دا (2023)新民终45号 دېلونى ئوچۇق سوت قىلىدۇ. RMB 12,345.67 يۈەن. ", benchSize)
}

func BenchmarkScriptCheck(b *testing.B) {
	text := scriptCorpus()
	li := infoFor("ug")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		st := scanTarget(text, nil, li)
		if st.letters == 0 {
			b.Fatal("no letters")
		}
	}
}

// BenchmarkBaselineUnicodeIs is one unicode.Is pass, the least a script
// check could do; ScriptCheck also counts every other script, control
// characters and NNBSP in the same pass.
func BenchmarkBaselineUnicodeIs(b *testing.B) {
	text := scriptCorpus()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, r := range text {
			if unicode.Is(unicode.Arabic, r) {
				n++
			}
		}
		if n == 0 {
			b.Fatal("no letters")
		}
	}
}

// qaCorpus is 1 MiB (source and target together) of Chinese→Uyghur and
// Chinese→English pairs with varying numbers.
func qaCorpus(target string) []Pair {
	type tmpl func(i int) (string, string)
	ug := []tmpl{
		func(i int) (string, string) {
			y, m, d := 2000+i%25, 1+i%12, 1+i%28
			return fmt.Sprintf("本院定于%d年%d月%d日上午9时30分在本院第三法庭公开开庭审理本案。", y, m, d),
				fmt.Sprintf("بۇ سوت %d-يىلى %d-ئاينىڭ %d-كۈنى چۈشتىن بۇرۇن سائەت 9:30 دا بۇ سوتنىڭ 3-سوت زالىدا بۇ دېلونى ئوچۇق سوت قىلىدۇ.", y, m, d)
		},
		func(i int) (string, string) {
			a := amount(i)
			return fmt.Sprintf("二审案件受理费人民币%s元，由上诉人负担。", a),
				fmt.Sprintf("ئىككىنچى سوت دېلو قوبۇل قىلىش ھەققى %s يۈەن بولۇپ، ئۇنى ئەرز قىلغۇچى ئۈستىگە ئالىدۇ.", a)
		},
		func(i int) (string, string) {
			return fmt.Sprintf("（%d）新民终%d号", 2000+i%25, 1+i%999), fmt.Sprintf("（%d）新民终%d号 ھۆكۈمنامە", 2000+i%25, 1+i%999)
		},
		func(i int) (string, string) {
			return "自公告之日起经过三十日，即视为送达。", "ئېلان قىلىنغان كۈندىن باشلاپ 30 كۈن ئۆتكەندىن كېيىن يەتكۈزۈلگەن ھېسابلىنىدۇ."
		},
	}
	en := []tmpl{
		func(i int) (string, string) {
			y, m, d := 2000+i%25, 1+i%12, 1+i%28
			return fmt.Sprintf("本院定于%d年%d月%d日上午9时30分在本院第三法庭公开开庭审理本案。", y, m, d),
				fmt.Sprintf("This court will hold a public hearing of this case at 9:30 a.m. on %d/%d/%d in Courtroom No. 3.", d, m, y)
		},
		func(i int) (string, string) {
			a := amount(i)
			return fmt.Sprintf("二审案件受理费人民币%s元，由上诉人负担。", a),
				fmt.Sprintf("The second-instance case acceptance fee of RMB %s shall be borne by the appellant.", a)
		},
		func(i int) (string, string) {
			return "根据《中华人民共和国民事诉讼法》第一百七十条第一款第一项之规定，判决如下：",
				"Pursuant to Article 170(1)(i) of the Civil Procedure Law of the People's Republic of China, the judgment is as follows:"
		},
		func(i int) (string, string) {
			return "河北省高级人民法院公告", "Announcement of the High People's Court of Hebei Province"
		},
	}
	ts := ug
	if target == "en" {
		ts = en
	}
	var pairs []Pair
	size := 0
	for i := 0; size < benchSize; i++ {
		s, t := ts[i%len(ts)](i)
		pairs = append(pairs, Pair{Index: i, Source: s, Target: t})
		size += len(s) + len(t)
	}
	return pairs
}

func BenchmarkCheckQA(b *testing.B) {
	for _, target := range []string{"ug", "en"} {
		b.Run(target, func(b *testing.B) {
			pairs := qaCorpus(target)
			size := 0
			for _, p := range pairs {
				size += len(p.Source) + len(p.Target)
			}
			terms := map[string][]Term{
				"en": {
					{Source: "河北省高级人民法院", Target: "The High People's Court of Hebei Province"},
					{Source: "高级人民法院", Target: "Higher People's Court", Forbidden: true},
				},
				"ug": {
					{Source: "法院", Target: "سوت"},
					{Source: "受理费", Target: "قوبۇل قىلىش ھەققى"},
				},
			}
			in := QAInput{SourceLang: "zh-Hans", TargetLang: target, Segments: pairs, Terms: terms[target],
				AllowedTokens: []string{"RMB", "(2023) Xin Min Zhong No. 45"}}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = len(CheckQA(in))
			}
			b.ReportMetric(float64(n), "issues")
		})
	}
}

func BenchmarkNormalizeUG(b *testing.B) {
	text := repeatTo(ugNotice+"\uFEE3\uFEEA\uFEEB\uFEDC\uFBE9\uFEE4\uFEEA ", benchSize)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize("ug", text)
	}
}

func BenchmarkDecodeLegacy(b *testing.B) {
	body, err := gbEncode(zhCorpus(benchSize))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := DecodeLegacy("gb18030", body); err != nil {
			b.Fatal(err)
		}
	}
}
