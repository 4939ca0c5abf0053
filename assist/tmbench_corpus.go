package assist

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"yizhi/models"
)

// The benchmark memory: zh-Hans → ug pairs generated from templates of real
// court phrasing (hearing notices, civil and criminal judgments, service
// by publication, enforcement rulings), with the parties, courts, causes,
// dates, amounts, case numbers and statute articles varied. Sentences of
// one document share their parties, court and case number, as in a real
// judgment; across documents the same template recurs with other fillers,
// so the memory is mostly distinct sentences with many near duplicates,
// which is what makes fuzzy matching matter in a court TM.
//
// Targets are synthetic Uyghur: a fixed Uyghur rendering per template,
// the fillers rendered from small tables (names transliterated, numbers
// and case numbers as the source writes them). They only need to carry the
// numbers the way a real translation does, so number substitution can be
// checked; the source side is what the index is measured on.
//
// Entry i is a pure function of (seed, i), so queries can be regenerated
// without keeping a million entries in memory.

// tmCorpus generates the benchmark memory.
type tmCorpus struct {
	seed int64
}

// sentencesPerDoc is how many consecutive entries share a document.
const sentencesPerDoc = 16

func newTMCorpus(seed int64) *tmCorpus { return &tmCorpus{seed: seed} }

func (g *tmCorpus) rng(stream, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.seed)^stream*0x9e3779b97f4a7c15, i))
}

// Random streams: a document's parties; a sentence's template and wording;
// its entities; its numbers. A near duplicate redraws one of them.
const (
	streamDoc = iota + 1
	streamShape
	streamEntity
	streamNumber
	streamQuery
)

// entry returns entry i (ID i+1).
func (g *tmCorpus) entry(i int) models.TMEntry {
	src, tgt, court := g.sentence(i, 0, 0)
	doc := i / sentencesPerDoc
	var prev, next string
	if i%sentencesPerDoc > 0 {
		prev = models.ContentHash("bench", strconv.Itoa(g.int(i-1)))
	}
	if i%sentencesPerDoc < sentencesPerDoc-1 {
		next = models.ContentHash("bench", strconv.Itoa(g.int(i+1)))
	}
	return models.TMEntry{
		ID: int64(i + 1), SourceLang: models.SourceLang, TargetLang: "ug",
		SourceHash: models.SegmentHash(src), SourceText: src, TargetText: tgt,
		PrevHash: prev, NextHash: next, DocumentID: int64(doc + 1), Court: court, Kind: models.KindJudgment,
	}
}

// int keys the neighbour hashes by position; a stand-in for the
// neighbour's text that costs nothing to compute.
func (g *tmCorpus) int(i int) int { return int(g.seed)*31 + i }

// sentence renders entry i. entitySalt and numberSalt, when non-zero,
// redraw the entities or the numbers: a near duplicate of entry i.
func (g *tmCorpus) sentence(i int, entitySalt, numberSalt uint64) (zh, ug, court string) {
	doc := uint64(i / sentencesPerDoc)
	d := newDocState(g.rng(streamDoc, doc))
	shape := g.rng(streamShape, uint64(i))
	ent := g.rng(streamEntity, uint64(i)^entitySalt<<40)
	num := g.rng(streamNumber, uint64(i)^numberSalt<<40)
	if entitySalt != 0 {
		d = newDocState(g.rng(streamDoc, doc^entitySalt<<40))
	}
	t := pickTemplate(shape)
	f := filler{doc: d, ent: ent, num: num, shape: shape}
	zh, ug = f.render(t)
	return zh, ug, d.court.zh
}

// pair is a piece of text in both languages.
type pair struct{ zh, ug string }

// docState is what the sentences of one document share.
type docState struct {
	court      pair
	caseNo     pair
	plaintiff  pair
	defendant  pair
	cause      pair
	crime      pair
	judge      pair
	clerk      pair
	upperCourt pair
}

func newDocState(r *rand.Rand) docState {
	var d docState
	c := randCourt(r)
	d.court = c.name
	d.upperCourt = c.upper
	d.caseNo = randCaseNo(r, c.abbr)
	if r.IntN(3) == 0 {
		d.plaintiff = randCompany(r)
	} else {
		d.plaintiff = randPerson(r)
	}
	if r.IntN(3) == 0 {
		d.defendant = randCompany(r)
	} else {
		d.defendant = randPerson(r)
	}
	d.cause = pick(r, civilCauses)
	d.crime = pick(r, crimes)
	d.judge = randPerson(r)
	d.clerk = randPerson(r)
	return d
}

type filler struct {
	doc             docState
	ent, num, shape *rand.Rand
}

// render fills a template's slots, {name}, in both languages.
func (f *filler) render(t tmTemplate) (string, string) {
	vals := map[string]pair{}
	get := func(name string) pair {
		if v, ok := vals[name]; ok {
			return v
		}
		v := f.slot(name)
		vals[name] = v
		return v
	}
	return fill(t.zh, func(s string) string { return get(s).zh }), fill(t.ug, func(s string) string { return get(s).ug })
}

func fill(tmpl string, val func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b.WriteString(tmpl[:i])
		b.WriteString(val(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}

func (f *filler) slot(name string) pair {
	d, ent, num, shape := &f.doc, f.ent, f.num, f.shape
	switch name {
	case "court":
		return d.court
	case "upper":
		return d.upperCourt
	case "caseno":
		return d.caseNo
	case "caseno2":
		return randCaseNo(num, pick(ent, courts).abbr)
	case "p":
		return d.plaintiff
	case "d":
		return d.defendant
	case "person":
		return randPerson(ent)
	case "company":
		return randCompany(ent)
	case "cause":
		return d.cause
	case "crime":
		return d.crime
	case "judge":
		return d.judge
	case "clerk":
		return d.clerk
	case "date", "date2":
		return randDate(num, shape.IntN(8) == 0)
	case "time":
		h := 9 + num.IntN(8)
		if h == 12 {
			h = 15 // courts do not sit at noon
		}
		mm := []string{"00", "30", "00", "15", "45"}[num.IntN(5)]
		if h < 12 {
			return pair{fmt.Sprintf("上午%d时%s分", h, mm), fmt.Sprintf("چۈشتىن بۇرۇن سائەت %d:%s", h, mm)}
		}
		return pair{fmt.Sprintf("下午%d时%s分", h-12, mm), fmt.Sprintf("چۈشتىن كېيىن سائەت %d:%s", h-12, mm)}
	case "amount", "amount2":
		return randAmount(num)
	case "room":
		n := 1 + num.IntN(24)
		return pair{fmt.Sprintf("第%d法庭", n), fmt.Sprintf("%d-سوت زالى", n)}
	case "law":
		return randLaw(num, ent)
	case "law2":
		return randLaw(num, ent)
	case "rate":
		v := []string{"3.85", "4.35", "3.65", "6", "15.4", "24", "4.2"}[num.IntN(7)]
		return pair{v, v}
	case "years":
		y := 1 + num.IntN(12)
		return pair{cnSmall(y), strconv.Itoa(y)}
	case "months":
		mo := 1 + num.IntN(11)
		return pair{cnSmall(mo), strconv.Itoa(mo)}
	case "days":
		v := []int{10, 15, 30, 15, 60, 7}[num.IntN(6)]
		return pair{cnSmall(v), strconv.Itoa(v)}
	case "count":
		v := 2 + num.IntN(30)
		return pair{strconv.Itoa(v), strconv.Itoa(v)}
	case "addr":
		return randAddress(ent, num)
	case "item":
		return pick(ent, stolenItems)
	case "contract":
		return pick(ent, contracts)
	case "evidence":
		return pick(ent, evidence)
	case "procedure":
		return pick(shape, procedures)
	case "ethnic":
		return pick(ent, ethnicities)
	case "gender":
		return pick(ent, []pair{{"男", "ئەر"}, {"女", "ئايال"}})
	case "title":
		return pick(ent, []pair{{"总经理", "باش دىرېكتورى"}, {"执行董事", "ئىجرائىيە دىرېكتورى"}, {"董事长", "مۇدىرىيەت رەئىسى"}})
	case "lawfirm":
		c := pick(ent, courts)
		return pair{c.city.zh + pick(ent, firmNames).zh + "律师事务所", c.city.ug + " " + pick(ent, firmNames).ug + " ئادۋوكاتلار ئىشخانىسى"}
	case "opt":
		return pick(shape, optClauses)
	case "opt2":
		return pick(shape, optClauses2)
	case "reason":
		return pick(shape, reasons)
	}
	panic("tm corpus: unknown slot " + name)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// cnSmall writes 1–99 in Chinese numerals, as judgments write terms and
// periods (三年, 十五日).
func cnSmall(v int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case v < 10:
		return digits[v]
	case v < 20:
		return "十" + digits[v%10]
	default:
		return digits[v/10] + "十" + digits[v%10]
	}
}

// cnArticle writes 1–9999 as statute references do (第一百零七条,
// 第一千二百六十条).
func cnArticle(v int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	if v < 100 {
		return cnSmall(v)
	}
	var b strings.Builder
	units := []struct {
		value int
		name  string
	}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}}
	zero := false
	started := false
	for _, u := range units {
		d := v / u.value % 10
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(digits[d] + u.name)
		started = true
	}
	return b.String()
}

func cnYear(y int) string {
	digits := []rune("〇一二三四五六七八九")
	var b strings.Builder
	for _, c := range strconv.Itoa(y) {
		b.WriteRune(digits[c-'0'])
	}
	return b.String()
}

func randDate(r *rand.Rand, chinese bool) pair {
	y, m, d := 2014+r.IntN(11), 1+r.IntN(12), 1+r.IntN(28)
	ug := fmt.Sprintf("%d-يىلى %d-ئاينىڭ %d-كۈنى", y, m, d)
	if chinese {
		return pair{cnYear(y) + "年" + cnSmall(m) + "月" + cnSmall(d) + "日", ug}
	}
	return pair{fmt.Sprintf("%d年%d月%d日", y, m, d), ug}
}

func randAmount(r *rand.Rand) pair {
	var s string
	switch r.IntN(4) {
	case 0:
		v := 1000 + r.IntN(2_000_000)
		s = groupThousands(v) + "." + fmt.Sprintf("%02d", r.IntN(100))
	case 1:
		s = strconv.Itoa((1 + r.IntN(500)) * 100)
	case 2:
		s = strconv.Itoa(50 + r.IntN(20000))
	default:
		s = groupThousands(10000 + r.IntN(900000))
	}
	return pair{s, s}
}

func groupThousands(v int) string {
	s := strconv.Itoa(v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func randCaseNo(r *rand.Rand, abbr string) pair {
	y := 2014 + r.IntN(11)
	kind := pick(r, []string{"民初", "民初", "民初", "民终", "刑初", "刑终", "执", "行初", "民特", "执异", "民再", "执恢"})
	serial := 1 + r.IntN(20000)
	open, close := "(", ")"
	if r.IntN(2) == 0 {
		open, close = "（", "）"
	}
	s := fmt.Sprintf("%s%d%s%s%s%d号", open, y, close, abbr, kind, serial)
	return pair{s, s}
}

type statute struct {
	name     pair
	from, to int
}

var statutes = []statute{
	{pair{"《中华人民共和国民法典》", "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ خەلق قانۇنى»"}, 100, 1260},
	{pair{"《中华人民共和国民事诉讼法》", "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ ھەق تەلەپ دەۋاسى قانۇنى»"}, 1, 291},
	{pair{"《中华人民共和国刑法》", "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ جىنايى ئىشلار قانۇنى»"}, 1, 452},
	{pair{"《中华人民共和国刑事诉讼法》", "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ جىنايى ئىشلار دەۋاسى قانۇنى»"}, 1, 308},
	{pair{"《中华人民共和国劳动合同法》", "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ ئەمگەك توختامى قانۇنى»"}, 1, 98},
	{pair{"《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》", "«ئالىي خەلق سوت مەھكىمىسىنىڭ خەلق ئارىسىدىكى قەرز دېلولىرىنى سوت قىلىشتا قانۇن قوللىنىش توغرىسىدىكى بەلگىلىمىسى»"}, 1, 32},
	{pair{"《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》", "«ئالىي خەلق سوت مەھكىمىسىنىڭ ‹ھەق تەلەپ دەۋاسى قانۇنى›نى قوللىنىش توغرىسىدىكى چۈشەندۈرۈشى»"}, 1, 550},
}

func randLaw(num, ent *rand.Rand) pair {
	s := pick(ent, statutes)
	a := s.from + num.IntN(s.to-s.from+1)
	zh := s.name.zh + "第" + cnArticle(a) + "条"
	ug := fmt.Sprintf("%sنىڭ %d-ماددىسى", s.name.ug, a)
	if num.IntN(4) == 0 {
		k := 1 + num.IntN(3)
		zh += "第" + cnSmall(k) + "款"
		ug += fmt.Sprintf(" %d-تارمىقى", k)
	}
	return pair{zh, ug}
}

var hanSurnames = []pair{
	{"张", "جاڭ"}, {"王", "ۋاڭ"}, {"李", "لى"}, {"刘", "ليۇ"}, {"陈", "چېن"}, {"杨", "ياڭ"}, {"赵", "جاۋ"},
	{"黄", "خۇاڭ"}, {"周", "جۇ"}, {"吴", "ۋۇ"}, {"徐", "شۈ"}, {"孙", "سۇن"}, {"马", "ما"}, {"胡", "خۇ"},
	{"朱", "جۇ"}, {"郭", "گو"}, {"何", "خې"}, {"罗", "لو"}, {"高", "گاۋ"}, {"林", "لىن"}, {"郑", "جېڭ"},
	{"梁", "لياڭ"}, {"谢", "شيې"}, {"宋", "سۇڭ"}, {"唐", "تاڭ"}, {"韩", "خەن"}, {"冯", "فېڭ"}, {"于", "يۈ"},
}

var hanGiven = []pair{
	{"伟", "ۋېي"}, {"芳", "فاڭ"}, {"娜", "نا"}, {"敏", "مىن"}, {"静", "جىڭ"}, {"丽", "لى"}, {"强", "چياڭ"},
	{"磊", "لېي"}, {"军", "جۈن"}, {"洋", "ياڭ"}, {"勇", "يۇڭ"}, {"艳", "يەن"}, {"杰", "جيې"}, {"娟", "جۈەن"},
	{"涛", "تاۋ"}, {"明", "مىڭ"}, {"超", "چاۋ"}, {"秀", "شيۇ"}, {"霞", "شيا"}, {"平", "پىڭ"}, {"刚", "گاڭ"},
	{"桂", "گۇي"}, {"英", "يىڭ"}, {"华", "خۇا"}, {"建", "جيەن"}, {"国", "گو"}, {"文", "ۋېن"}, {"红", "خۇڭ"},
	{"玉", "يۈ"}, {"兰", "لەن"}, {"海", "خەي"}, {"燕", "يەن"}, {"鹏", "پېڭ"}, {"辉", "خۇي"}, {"斌", "بىن"},
	{"宇", "يۈ"}, {"浩", "خاۋ"}, {"凯", "كەي"}, {"晨", "چېن"}, {"欣", "شىن"},
}

var uyghurNames = []pair{
	{"买买提", "مەمەت"}, {"吐尔逊", "تۇرسۇن"}, {"艾力", "ئەلى"}, {"阿依古丽", "ئايگۈل"}, {"热依拉", "رەيلا"},
	{"努尔", "نۇر"}, {"阿不都热合曼", "ئابدۇراخمان"}, {"艾买提", "ئەخمەت"}, {"玉素甫", "يۈسۈپ"}, {"依明", "ئىمىن"},
	{"阿卜杜拉", "ئابدۇللا"}, {"买合木提", "مەخمۇت"}, {"吾斯曼", "ئوسمان"}, {"肉孜", "روزى"}, {"卡德尔", "قادىر"},
	{"帕提古丽", "پاتىگۈل"}, {"米娜瓦尔", "مىناۋەر"}, {"祖丽胡玛尔", "زۇلخۇمار"}, {"阿力木", "ئالىم"},
	{"塔依尔", "تاھىر"}, {"巴哈古丽", "باھارگۈل"}, {"如克亚", "رۇقىيە"}, {"伊力哈木", "ئىلھام"}, {"迪丽努尔", "دىلنۇر"},
	{"吐尔洪", "تۇرغۇن"}, {"亚森", "ياسىن"}, {"热合木", "راخىم"}, {"古丽米拉", "گۈلمىرا"}, {"阿迪力", "ئادىل"},
	{"努尔麦麦提", "نۇرمەمەت"},
}

func randPerson(r *rand.Rand) pair {
	switch k := r.IntN(10); {
	case k < 3:
		a, b := pick(r, uyghurNames), pick(r, uyghurNames)
		return pair{a.zh + "·" + b.zh, a.ug + " " + b.ug}
	case k < 6:
		// Judgments published online anonymize natural persons: 张某, 王某某.
		s := pick(r, hanSurnames)
		if r.IntN(2) == 0 {
			return pair{s.zh + "某", s.ug + " مەلۇم"}
		}
		return pair{s.zh + "某某", s.ug + " مەلۇم مەلۇم"}
	default:
		s, g := pick(r, hanSurnames), pick(r, hanGiven)
		zh, ug := s.zh+g.zh, s.ug+" "+g.ug
		if r.IntN(2) == 0 {
			g2 := pick(r, hanGiven)
			zh += g2.zh
			ug += g2.ug
		}
		return pair{zh, ug}
	}
}

var shopNames = []pair{
	{"天山", "تەڭرىتاغ"}, {"丝路", "يىپەك يولى"}, {"恒通", "خېڭتۇڭ"}, {"金桥", "جىنچياۋ"}, {"华泰", "خۇاتەي"},
	{"鑫源", "شىنيۈەن"}, {"宏达", "خۇڭدا"}, {"瑞丰", "رۇيفېڭ"}, {"昆仑", "كۇئېنلۇن"}, {"博远", "بويۈەن"},
	{"嘉禾", "جياخې"}, {"顺发", "شۇنفا"}, {"雪莲", "قار لەيلىسى"}, {"绿洲", "بوستانلىق"}, {"新丰", "شىنفېڭ"},
}

var industries = []pair{
	{"商贸", "سودا"}, {"建筑工程", "قۇرۇلۇش قۇرۇلۇشى"}, {"房地产开发", "ئۆي-مۈلۈك ئېچىش"}, {"物流", "ئەشيا ئوبوروتى"},
	{"农业科技", "يېزا ئىگىلىك پەن-تېخنىكا"}, {"汽车销售", "ماشىنا سېتىش"}, {"餐饮管理", "ئاشخانا باشقۇرۇش"},
	{"小额贷款", "كىچىك قەرز"}, {"棉业", "پاختا"}, {"能源", "ئېنېرگىيە"}, {"电子商务", "تور سودىسى"},
}

func randCompany(r *rand.Rand) pair {
	c := pick(r, courts)
	s, ind := pick(r, shopNames), pick(r, industries)
	kind := pick(r, []pair{{"有限公司", "چەكلىك شىركىتى"}, {"有限责任公司", "مەسئۇلىيىتى چەكلىك شىركىتى"}, {"股份有限公司", "پاي چەكلىك شىركىتى"}})
	return pair{c.city.zh + s.zh + ind.zh + kind.zh, c.city.ug + " " + s.ug + " " + ind.ug + " " + kind.ug}
}

// courtPlace is one place with its courts.
type courtPlace struct {
	prov, city, district pair
	abbr                 string // province abbreviation and city code in case numbers: 新01
	name, upper          pair   // built by randCourt
}

var courts = func() []courtPlace {
	type city struct {
		name      pair
		code      string
		districts []pair
	}
	type prov struct {
		name   pair
		abbr   string
		cities []city
	}
	provs := []prov{
		{pair{"新疆维吾尔自治区", "شىنجاڭ ئۇيغۇر ئاپتونوم رايونى"}, "新", []city{
			{pair{"乌鲁木齐市", "ئۈرۈمچى شەھىرى"}, "01", []pair{{"天山区", "تەڭرىتاغ رايونى"}, {"沙依巴克区", "سايباغ رايونى"}, {"新市区", "يېڭىشەھەر رايونى"}, {"水磨沟区", "سۇيمۇگۇ رايونى"}}},
			{pair{"喀什地区", "قەشقەر ۋىلايىتى"}, "31", []pair{{"喀什市", "قەشقەر شەھىرى"}, {"疏附县", "كونىشەھەر ناھىيىسى"}, {"莎车县", "يەكەن ناھىيىسى"}}},
			{pair{"和田地区", "خوتەن ۋىلايىتى"}, "32", []pair{{"和田市", "خوتەن شەھىرى"}, {"墨玉县", "قاراقاش ناھىيىسى"}, {"洛浦县", "لوپ ناھىيىسى"}}},
			{pair{"伊犁哈萨克自治州", "ئىلى قازاق ئاپتونوم ئوبلاستى"}, "40", []pair{{"伊宁市", "غۇلجا شەھىرى"}, {"霍城县", "قورغاس ناھىيىسى"}}},
			{pair{"阿克苏地区", "ئاقسۇ ۋىلايىتى"}, "29", []pair{{"阿克苏市", "ئاقسۇ شەھىرى"}, {"库车市", "كۇچا شەھىرى"}}},
			{pair{"吐鲁番市", "تۇرپان شەھىرى"}, "21", []pair{{"高昌区", "قاراقوجا رايونى"}, {"鄯善县", "پىچان ناھىيىسى"}}},
		}},
		{pair{"北京市", "بېيجىڭ شەھىرى"}, "京", []city{
			{pair{"", ""}, "01", []pair{{"东城区", "دۇڭچېڭ رايونى"}, {"西城区", "شىچېڭ رايونى"}, {"朝阳区", "چاۋياڭ رايونى"}, {"海淀区", "خەيدىيەن رايونى"}}},
		}},
		{pair{"上海市", "شاڭخەي شەھىرى"}, "沪", []city{
			{pair{"", ""}, "01", []pair{{"浦东新区", "پۇدۇڭ يېڭى رايونى"}, {"黄浦区", "خۇاڭپۇ رايونى"}, {"徐汇区", "شۈخۇي رايونى"}}},
		}},
		{pair{"广东省", "گۇاڭدۇڭ ئۆلكىسى"}, "粤", []city{
			{pair{"广州市", "گۇاڭجۇ شەھىرى"}, "01", []pair{{"天河区", "تيەنخې رايونى"}, {"越秀区", "يۈەشيۇ رايونى"}}},
			{pair{"深圳市", "شېنجېن شەھىرى"}, "03", []pair{{"南山区", "نەنشەن رايونى"}, {"福田区", "فۇتيەن رايونى"}, {"宝安区", "باۋئەن رايونى"}}},
		}},
		{pair{"四川省", "سىچۈەن ئۆلكىسى"}, "川", []city{
			{pair{"成都市", "چېڭدۇ شەھىرى"}, "01", []pair{{"武侯区", "ۋۇخۇ رايونى"}, {"锦江区", "جىنجياڭ رايونى"}}},
			{pair{"凉山彝族自治州", "لياڭشەن يى ئاپتونوم ئوبلاستى"}, "34", []pair{{"西昌市", "شىچاڭ شەھىرى"}, {"昭觉县", "جاۋجۆ ناھىيىسى"}}},
		}},
		{pair{"西藏自治区", "شىزاڭ ئاپتونوم رايونى"}, "藏", []city{
			{pair{"拉萨市", "لاسا شەھىرى"}, "01", []pair{{"城关区", "چېڭگۇەن رايونى"}, {"堆龙德庆区", "دۇيلۇڭدېچىڭ رايونى"}}},
		}},
		{pair{"内蒙古自治区", "ئىچكى موڭغۇل ئاپتونوم رايونى"}, "内", []city{
			{pair{"呼和浩特市", "خۆخخوت شەھىرى"}, "01", []pair{{"新城区", "شىنچېڭ رايونى"}, {"赛罕区", "سەيخەن رايونى"}}},
		}},
		{pair{"甘肃省", "گەنسۇ ئۆلكىسى"}, "甘", []city{
			{pair{"兰州市", "لەنجۇ شەھىرى"}, "01", []pair{{"城关区", "چېڭگۇەن رايونى"}, {"七里河区", "چىلىخې رايونى"}}},
		}},
		{pair{"浙江省", "جېجياڭ ئۆلكىسى"}, "浙", []city{
			{pair{"杭州市", "خاڭجۇ شەھىرى"}, "01", []pair{{"西湖区", "شىخۇ رايونى"}, {"余杭区", "يۈخاڭ رايونى"}}},
			{pair{"宁波市", "نىڭبو شەھىرى"}, "02", []pair{{"鄞州区", "يىنجۇ رايونى"}}},
		}},
		{pair{"江苏省", "جياڭسۇ ئۆلكىسى"}, "苏", []city{
			{pair{"南京市", "نەنجىڭ شەھىرى"}, "01", []pair{{"鼓楼区", "گۇلوۋ رايونى"}, {"玄武区", "شۈەنۋۇ رايونى"}}},
			{pair{"苏州市", "سۇجۇ شەھىرى"}, "05", []pair{{"姑苏区", "گۇسۇ رايونى"}, {"吴中区", "ۋۇجۇڭ رايونى"}}},
		}},
		{pair{"河北省", "خېبېي ئۆلكىسى"}, "冀", []city{
			{pair{"石家庄市", "شىجياجۇاڭ شەھىرى"}, "01", []pair{{"长安区", "چاڭئەن رايونى"}, {"桥西区", "چياۋشى رايونى"}}},
		}},
		{pair{"青海省", "چىڭخەي ئۆلكىسى"}, "青", []city{
			{pair{"西宁市", "شىنىڭ شەھىرى"}, "01", []pair{{"城中区", "چېڭجۇڭ رايونى"}, {"城西区", "چېڭشى رايونى"}}},
		}},
	}
	var out []courtPlace
	for _, p := range provs {
		for _, c := range p.cities {
			for k, d := range c.districts {
				out = append(out, courtPlace{prov: p.name, city: c.name, district: d,
					abbr: p.abbr + c.code + fmt.Sprintf("%02d", k+2)})
			}
		}
	}
	return out
}()

// randCourt picks a court of one of three levels at a place.
func randCourt(r *rand.Rand) courtPlace {
	c := pick(r, courts)
	const people, peopleUG = "人民法院", "خەلق سوت مەھكىمىسى"
	high := pair{c.prov.zh + "高级人民法院", c.prov.ug + " ئالىي خەلق سوت مەھكىمىسى"}
	mid := pair{c.prov.zh + c.city.zh + "中级人民法院", strings.TrimSpace(c.prov.ug + " " + c.city.ug + " ئوتتۇرا خەلق سوت مەھكىمىسى")}
	if c.city.zh == "" {
		mid = pair{c.prov.zh + "第一中级人民法院", c.prov.ug + " 1-ئوتتۇرا خەلق سوت مەھكىمىسى"}
	}
	switch r.IntN(6) {
	case 0:
		c.name, c.upper = high, pair{"最高人民法院", "ئالىي خەلق سوت مەھكىمىسى"}
		c.abbr = c.abbr[:len(c.abbr)-4]
	case 1, 2:
		c.name, c.upper = mid, high
		c.abbr = c.abbr[:len(c.abbr)-2]
	default:
		c.name = pair{c.prov.zh + c.city.zh + c.district.zh + people, strings.TrimSpace(c.prov.ug+" "+c.city.ug+" "+c.district.ug) + " " + peopleUG}
		c.upper = mid
	}
	return c
}

func randAddress(ent, num *rand.Rand) pair {
	c := pick(ent, courts)
	road := pick(ent, []pair{{"解放北路", "ئازادلىق شىمالىي يولى"}, {"人民路", "خەلق يولى"}, {"友好南路", "دوستلۇق جەنۇبىي يولى"}, {"团结路", "ئىتتىپاقلىق يولى"}, {"长江路", "چاڭجياڭ يولى"}, {"北京路", "بېيجىڭ يولى"}})
	n := 1 + num.IntN(999)
	return pair{fmt.Sprintf("%s%s%s%s%d号", c.prov.zh, c.city.zh, c.district.zh, road.zh, n),
		strings.Join(strings.Fields(fmt.Sprintf("%s %s %s %s %d-نومۇر", c.prov.ug, c.city.ug, c.district.ug, road.ug, n)), " ")}
}

var civilCauses = []pair{
	{"民间借贷纠纷", "خەلق ئارىسىدىكى قەرز تالاش-تارتىشى"}, {"买卖合同纠纷", "سودا توختامى تالاش-تارتىشى"},
	{"金融借款合同纠纷", "پۇل-مۇئامىلە قەرز توختامى تالاش-تارتىشى"}, {"机动车交通事故责任纠纷", "موتورلۇق قاتناش ۋاستىسى ھادىسىسى جاۋابكارلىقى تالاش-تارتىشى"},
	{"离婚纠纷", "ئاجرىشىش تالاش-تارتىشى"}, {"劳动争议", "ئەمگەك تالاش-تارتىشى"}, {"房屋租赁合同纠纷", "ئۆي ئىجارە توختامى تالاش-تارتىشى"},
	{"建设工程施工合同纠纷", "قۇرۇلۇش ئىنشائات توختامى تالاش-تارتىشى"}, {"信用卡纠纷", "كرېدىت كارتىسى تالاش-تارتىشى"},
	{"物业服务合同纠纷", "مۈلۈك مۇلازىمىتى توختامى تالاش-تارتىشى"}, {"追索劳动报酬纠纷", "ئەمگەك ھەققى تەلەپ قىلىش تالاش-تارتىشى"},
	{"抚养费纠纷", "بېقىش خىراجىتى تالاش-تارتىشى"}, {"承揽合同纠纷", "ھۆددە توختامى تالاش-تارتىشى"}, {"生命权、身体权、健康权纠纷", "ھايات، بەدەن ۋە ساغلاملىق ھوقۇقى تالاش-تارتىشى"},
	{"侵权责任纠纷", "ھوقۇق دەخلى-تەرۇزى جاۋابكارلىقى تالاش-تارتىشى"}, {"股权转让纠纷", "پاي ھوقۇقى ئۆتكۈزۈش تالاش-تارتىشى"},
	{"不当得利纠纷", "ناتوغرا پايدا ئېلىش تالاش-تارتىشى"}, {"合伙协议纠纷", "شېرىكچىلىك كېلىشىمى تالاش-تارتىشى"},
	{"土地承包经营权纠纷", "يەر ھۆددىگە ئېلىپ تىجارەت قىلىش ھوقۇقى تالاش-تارتىشى"}, {"保证合同纠纷", "كېپىللىك توختامى تالاش-تارتىشى"},
}

var crimes = []pair{
	{"盗窃罪", "ئوغرىلىق جىنايىتى"}, {"诈骗罪", "ئالدامچىلىق جىنايىتى"}, {"故意伤害罪", "قەستەن زەخىملەندۈرۈش جىنايىتى"},
	{"危险驾驶罪", "خەتەرلىك ھەيدەش جىنايىتى"}, {"交通肇事罪", "قاتناش ھادىسىسى پەيدا قىلىش جىنايىتى"}, {"寻衅滋事罪", "جېدەل چىقىرىش جىنايىتى"},
	{"非法吸收公众存款罪", "ئاممىنىڭ ئامانىتىنى قانۇنسىز قوبۇل قىلىش جىنايىتى"}, {"抢劫罪", "بۇلاڭچىلىق جىنايىتى"},
	{"掩饰、隐瞒犯罪所得罪", "جىنايەتتىن كەلگەن پايدىنى يوشۇرۇش جىنايىتى"}, {"帮助信息网络犯罪活动罪", "ئۇچۇر تورى جىنايىتىگە ياردەم بېرىش جىنايىتى"},
}

var stolenItems = []pair{{"手机", "يانفون"}, {"电动自行车", "ئېلېكترلىك ۋېلىسىپىت"}, {"笔记本电脑", "قول كومپيۇتېرى"}, {"金项链", "ئالتۇن ھالقا"}, {"现金", "نەق پۇل"}}
var contracts = []pair{{"借款合同", "قەرز توختامى"}, {"房屋租赁合同", "ئۆي ئىجارە توختامى"}, {"买卖合同", "سودا توختامى"}, {"建设工程施工合同", "قۇرۇلۇش توختامى"}, {"劳动合同", "ئەمگەك توختامى"}}
var evidence = []pair{{"借条、银行转账记录", "قەرز خېتى، بانكا يۆتكەش خاتىرىسى"}, {"合同、收据", "توختام، تالون"}, {"证人证言、现场照片", "گۇۋاھچى گۇۋاھلىقى، نەق مەيدان سۈرىتى"}, {"鉴定意见、勘验笔录", "باھالاش پىكرى، تەكشۈرۈش خاتىرىسى"}}
var procedures = []pair{{"简易程序", "ئاددىي تەرتىپ"}, {"普通程序", "ئادەتتىكى تەرتىپ"}, {"小额诉讼程序", "كىچىك سوممىلىق دەۋا تەرتىپى"}}
var ethnicities = []pair{{"汉族", "خەنزۇ"}, {"维吾尔族", "ئۇيغۇر"}, {"哈萨克族", "قازاق"}, {"回族", "خۇيزۇ"}, {"蒙古族", "موڭغۇل"}}
var firmNames = []pair{{"天正", "تيەنجېڭ"}, {"北方", "شىمال"}, {"明德", "مىڭدې"}, {"公正", "ئادىل"}, {"丝路", "يىپەك يولى"}}

// Optional wording that judgments vary in.
var optClauses = []pair{{"", ""}, {"", ""}, {"依法", "قانۇن بويىچە "}, {"经审查，", "تەكشۈرۈش ئارقىلىق، "}, {"现已", "ھازىر "}}
var optClauses2 = []pair{{"", ""}, {"", ""}, {"，并承担相应的法律责任", "، ھەمدە تېگىشلىك قانۇنىي جاۋابكارلىقنى ئۈستىگە ئالىدۇ"}, {"，逾期不履行的，本院将依法强制执行", "، مۆھلىتىدە ئادا قىلمىسا، بۇ سوت قانۇن بويىچە مەجبۇرىي ئىجرا قىلىدۇ"}}
var reasons = []pair{{"下落不明", "ئىز-دېرىكى يوق"}, {"拒不签收", "ئىمزا قويۇپ تاپشۇرۇۋېلىشنى رەت قىلغان"}, {"无法直接送达", "بىۋاسىتە يەتكۈزگىلى بولمىغان"}}

// tmTemplate is one sentence of court phrasing in both languages. Its
// weight is how often it occurs: boilerplate closes every judgment.
type tmTemplate struct {
	zh, ug string
	weight int
}

var tmTemplates = []tmTemplate{
	{"本院定于{date}{time}在本院{room}{opt}公开开庭审理{caseno}原告{p}诉被告{d}{cause}一案。", "بۇ سوت {date} {time} دا بۇ سوتنىڭ {room}دا {opt}{caseno} دەۋاگەر {p} جاۋابكار {d} نى ئەرز قىلغان {cause} دېلوسىنى ئوچۇق سوت ئېچىپ سوتلايدۇ.", 6},
	{"{court}定于{date}{time}在{room}依法公开开庭审理上诉人{p}与被上诉人{d}{cause}一案。", "{court} {date} {time} دا {room}دا قانۇن بويىچە ئەرز قىلغۇچى {p} بىلەن ئەرز قىلىنغۇچى {d} ئوتتۇرىسىدىكى {cause} دېلوسىنى ئوچۇق سوتلايدۇ.", 4},
	{"原告{p}与被告{d}{cause}一案，本院于{date}立案后，{opt}依法适用{procedure}，公开开庭进行了审理。", "دەۋاگەر {p} بىلەن جاۋابكار {d} ئوتتۇرىسىدىكى {cause} دېلوسىنى بۇ سوت {date} دېلو قىلىپ تىزىملىغاندىن كېيىن، {opt}قانۇن بويىچە {procedure}نى قوللىنىپ ئوچۇق سوت ئېچىپ سوتلىدى.", 6},
	{"原告{p}向本院提出诉讼请求：1.判令被告{d}偿还借款本金{amount}元及利息；2.本案诉讼费用由被告承担。", "دەۋاگەر {p} بۇ سوتقا دەۋا تەلىپى سۇندى: 1. جاۋابكار {d} قەرز ئەسلى پۇلى {amount} يۈەن ۋە ئۆسۈمىنى قايتۇرسۇن؛ 2. بۇ دېلونىڭ دەۋا خىراجىتىنى جاۋابكار كۆتۈرسۇن.", 4},
	{"依照{law}、{law2}之规定，判决如下：", "{law}، {law2} دىكى بەلگىلىمىلەرگە ئاساسەن، تۆۋەندىكىدەك ھۆكۈم قىلىندى:", 6},
	{"依照{law}的规定，判决如下：", "{law} دىكى بەلگىلىمىگە ئاساسەن، تۆۋەندىكىدەك ھۆكۈم قىلىندى:", 3},
	{"驳回上诉，维持原判。", "ئەرزى رەت قىلىنىپ، ئەسلى ھۆكۈم ساقلاپ قېلىنسۇن.", 2},
	{"本判决为终审判决。", "بۇ ھۆكۈم ئاخىرقى ھۆكۈمدۇر.", 2},
	{"驳回原告{p}的诉讼请求。", "دەۋاگەر {p} نىڭ دەۋا تەلىپى رەت قىلىنسۇن.", 2},
	{"如不服本判决，可以在判决书送达之日起{days}日内，向本院递交上诉状，并按对方当事人的人数提出副本，上诉于{upper}。", "بۇ ھۆكۈمگە قايىل بولمىسا، ھۆكۈمنامە يەتكۈزۈلگەن كۈندىن باشلاپ {days} كۈن ئىچىدە بۇ سوتقا ئەرز خېتى سۇنۇپ، قارشى تەرەپ ئادەم سانىغا ئاساسەن كۆپەيتىلگەن نۇسخىسىنى تاپشۇرۇپ، {upper} غا ئەرز قىلسا بولىدۇ.", 4},
	{"案件受理费{amount}元，减半收取{amount2}元，由被告{d}负担。", "دېلو قوبۇل قىلىش ھەققى {amount} يۈەن، يېرىمى ئېلىنىپ {amount2} يۈەن، جاۋابكار {d} كۆتۈرىدۇ.", 4},
	{"被告{d}于本判决生效之日起{days}日内偿还原告{p}借款本金{amount}元及利息（以{amount2}元为基数，自{date}起按年利率{rate}%计算至实际清偿之日止）{opt2}。", "جاۋابكار {d} بۇ ھۆكۈم كۈچكە ئىگە بولغان كۈندىن باشلاپ {days} كۈن ئىچىدە دەۋاگەر {p} غا قەرز ئەسلى پۇلى {amount} يۈەن ۋە ئۆسۈمىنى قايتۇرسۇن ({amount2} يۈەننى ئاساس قىلىپ، {date} دىن باشلاپ يىللىق ئۆسۈم نىسبىتى {rate}% بويىچە ھەقىقىي تۆلەنگەن كۈنگىچە ھېسابلىنىدۇ){opt2}.", 5},
	{"{court}于{date}作出{caseno2}民事判决，{p}不服，向本院提起上诉。", "{court} {date} {caseno2} ھەق تەلەپ ھۆكۈمىنى چىقاردى، {p} قايىل بولماي، بۇ سوتقا ئەرز قىلدى.", 3},
	{"上诉人{p}因与被上诉人{d}{cause}一案，不服{court}{caseno2}民事判决，向本院提起上诉。", "ئەرز قىلغۇچى {p} ئەرز قىلىنغۇچى {d} بىلەن بولغان {cause} دېلوسىدا {court} نىڭ {caseno2} ھەق تەلەپ ھۆكۈمىگە قايىل بولماي، بۇ سوتقا ئەرز قىلدى.", 4},
	{"本院认为，当事人对自己提出的诉讼请求所依据的事实或者反驳对方诉讼请求所依据的事实，应当提供证据加以证明。", "بۇ سوت مۇنداق قارايدۇ: دەۋالاشقۇچىلار ئۆزى ئوتتۇرىغا قويغان دەۋا تەلىپىگە ئاساس قىلغان پاكىت ياكى قارشى تەرەپنىڭ دەۋا تەلىپىنى رەت قىلىشقا ئاساس قىلغان پاكىتقا دەلىل-ئىسپات بىلەن ئىسپات بېرىشى كېرەك.", 2},
	{"公诉机关指控，{date}，被告人{d}在{addr}盗窃{item}一部，价值人民币{amount}元。", "ئەيىبلىگۈچى ئورگان مۇنداق ئەيىبلىدى: {date}، جاۋابكار {d} {addr} دا بىر {item} ئوغرىلىغان، قىممىتى {amount} يۈەن.", 3},
	{"被告人{d}犯{crime}，判处有期徒刑{years}年{months}个月，并处罚金人民币{amount}元。", "جاۋابكار {d} {crime} ئۆتكۈزگەن، {years} يىل {months} ئاي مۇددەتلىك قاماق جازاسى بېرىلىپ، {amount} يۈەن جەرىمانە قويۇلسۇن.", 4},
	{"刑期从判决执行之日起计算；判决执行以前先行羁押的，羁押一日折抵刑期一日，即自{date}起至{date2}止。", "جازا مۇددىتى ھۆكۈم ئىجرا قىلىنغان كۈندىن باشلاپ ھېسابلىنىدۇ؛ ھۆكۈم ئىجرا قىلىنىشتىن ئىلگىرى قاماقتا تۇرغان بولسا، بىر كۈن قاماق بىر كۈنلۈك جازا مۇددىتىگە تەڭ ھېسابلىنىدۇ، يەنى {date} دىن {date2} گىچە.", 3},
	{"经审理查明，{date}，原告{p}与被告{d}签订《{contract}》，约定由原告向被告提供借款{amount}元，借款期限为{months}个月。", "سوتلاش ئارقىلىق ئېنىقلاندىكى، {date}، دەۋاگەر {p} بىلەن جاۋابكار {d} «{contract}» تۈزۈپ، دەۋاگەر جاۋابكارغا {amount} يۈەن قەرز بېرىدىغان، قەرز مۇددىتى {months} ئاي بولىدىغان قىلىپ كېلىشكەن.", 4},
	{"上述事实，有{evidence}及当事人陈述等证据在案佐证，本院予以确认。", "يۇقىرىقى پاكىتلارنى {evidence} ۋە دەۋالاشقۇچىلارنىڭ بايانى قاتارلىق دەلىل-ئىسپاتلار ئىسپاتلايدۇ، بۇ سوت ئېتىراپ قىلىدۇ.", 3},
	{"被告{d}经本院合法传唤，无正当理由拒不到庭参加诉讼，本院依法缺席审理。", "جاۋابكار {d} بۇ سوتنىڭ قانۇنلۇق چاقىرىقىنى تاپشۇرۇۋالغان بولسىمۇ، مۇۋاپىق سەۋەبسىز سوتقا كېلىپ دەۋاغا قاتناشمىدى، بۇ سوت قانۇن بويىچە سىرتتىن سوتلىدى.", 3},
	{"如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条之规定，加倍支付迟延履行期间的债务利息。", "ئەگەر بۇ ھۆكۈمدە بەلگىلەنگەن مۇددەت ئىچىدە پۇل تۆلەش مەجبۇرىيىتىنى ئادا قىلمىسا، «جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ ھەق تەلەپ دەۋاسى قانۇنى»نىڭ 264-ماددىسىدىكى بەلگىلىمە بويىچە كېچىكتۈرۈلگەن مۇددەتتىكى قەرز ئۆسۈمىنى ھەسسىلەپ تۆلىشى كېرەك.", 3},
	{"准许原告{p}撤回起诉。", "دەۋاگەر {p} نىڭ دەۋاسىنى قايتۇرۇۋېلىشىغا رۇخسەت قىلىنسۇن.", 2},
	{"本案现已审理终结。", "بۇ دېلو ھازىر سوتلىنىپ ئاخىرلاشتى.", 2},
	{"原告{p}，{gender}，{date}出生，{ethnic}，住{addr}。", "دەۋاگەر {p}، {gender}، {date} تۇغۇلغان، {ethnic}، {addr} دا ئولتۇرىدۇ.", 5},
	{"被告{company}，住所地{addr}。", "جاۋابكار {company}، تۇرالغۇسى {addr}.", 4},
	{"法定代表人：{person}，该公司{title}。", "قانۇنىي ۋەكىلى: {person}، بۇ شىركەتنىڭ {title}.", 3},
	{"委托诉讼代理人：{person}，{lawfirm}律师。", "ھاۋالە قىلىنغان دەۋا ۋاكالەتچىسى: {person}، {lawfirm} نىڭ ئادۋوكاتى.", 4},
	{"申请执行人{p}与被执行人{d}{cause}一案，本院作出的{caseno2}民事判决已经发生法律效力。", "ئىجرا قىلىشنى ئىلتىماس قىلغۇچى {p} بىلەن ئىجرا قىلىنغۇچى {d} ئوتتۇرىسىدىكى {cause} دېلوسىدا بۇ سوت چىقارغان {caseno2} ھەق تەلەپ ھۆكۈمى قانۇنىي كۈچكە ئىگە بولدى.", 3},
	{"{d}：本院受理原告{p}诉你{cause}一案，因你{reason}，依照{law}的规定，向你公告送达起诉状副本、应诉通知书、举证通知书及开庭传票。", "{d}: بۇ سوت دەۋاگەر {p} نىڭ سىزنى ئەرز قىلغان {cause} دېلوسىنى قوبۇل قىلدى، سىز {reason} بولغاچقا، {law} دىكى بەلگىلىمىگە ئاساسەن، سىزگە ئەرز خېتىنىڭ كۆپەيتىلگەن نۇسخىسى، دەۋاغا جاۋاب بېرىش ئۇقتۇرۇشى، دەلىل كۆرسىتىش ئۇقتۇرۇشى ۋە سوت چاقىرىق قەغىزىنى ئېلان ئارقىلىق يەتكۈزىمىز.", 3},
	{"自公告之日起经过{days}日，即视为送达。", "ئېلان قىلىنغان كۈندىن باشلاپ {days} كۈن ئۆتسە، يەتكۈزۈلدى دەپ قارىلىدۇ.", 2},
	{"提出答辩状的期限和举证的期限分别为公告期满后的{days}日和{days}日内。", "جاۋاب خېتى سۇنۇش ۋە دەلىل كۆرسىتىش مۆھلىتى ئېلان مۇددىتى توشقاندىن كېيىنكى {days} كۈن ئىچىدە.", 2},
	{"被执行人{d}应于{date}前履行{caseno2}民事判决确定的给付义务{amount}元{opt2}。", "ئىجرا قىلىنغۇچى {d} {date} دىن بۇرۇن {caseno2} ھەق تەلەپ ھۆكۈمىدە بېكىتىلگەن {amount} يۈەن تۆلەش مەجبۇرىيىتىنى ئادا قىلسۇن{opt2}.", 3},
	{"本院在执行过程中，{opt}查询了被执行人{d}名下的银行存款、车辆、不动产等财产，未发现可供执行的财产。", "بۇ سوت ئىجرا قىلىش جەريانىدا {opt}ئىجرا قىلىنغۇچى {d} نامىدىكى بانكا ئامانىتى، ماشىنا، كۆچمەس مۈلۈك قاتارلىق مال-مۈلۈكلەرنى تەكشۈردى، ئىجرا قىلغىلى بولىدىغان مال-مۈلۈك بايقالمىدى.", 3},
	{"终结本次执行程序。", "بۇ قېتىملىق ئىجرا تەرتىپى ئاخىرلاشتۇرۇلسۇن.", 1},
	{"双方当事人自愿达成如下调解协议：被告{d}于{date}前一次性支付原告{p}{amount}元。", "ئىككى تەرەپ دەۋالاشقۇچى ئۆز ئىختىيارى بىلەن تۆۋەندىكى مەسلىھەت كېلىشىمىنى تۈزدى: جاۋابكار {d} {date} دىن بۇرۇن دەۋاگەر {p} غا بىر قېتىمدا {amount} يۈەن تۆلەيدۇ.", 3},
	{"审判长{judge}", "سوت باشلىقى {judge}", 2},
	{"书记员{clerk}", "كاتىپ {clerk}", 2},
	{"{date}", "{date}", 2},
	{"{court}", "{court}", 1},
	{"{caseno}", "{caseno}", 1},
	{"{court}民事判决书{caseno}", "{court} ھەق تەلەپ ھۆكۈمنامىسى {caseno}", 2},
	{"{court}刑事判决书{caseno}", "{court} جىنايى ئىشلار ھۆكۈمنامىسى {caseno}", 1},
	{"上诉人{p}的上诉请求不能成立，应予驳回；一审判决认定事实清楚，适用法律正确，应予维持。", "ئەرز قىلغۇچى {p} نىڭ ئەرز تەلىپى ئىناۋەتسىز، رەت قىلىنىشى كېرەك؛ بىرىنچى سوت ھۆكۈمىدە پاكىت ئېنىق، قانۇن توغرا قوللىنىلغان، ساقلاپ قېلىنىشى كېرەك.", 3},
	{"二审案件受理费{amount}元，由上诉人{p}负担。", "ئىككىنچى سوت دېلو قوبۇل قىلىش ھەققى {amount} يۈەن، ئەرز قىلغۇچى {p} كۆتۈرىدۇ.", 3},
	{"被告人{d}于{date}因涉嫌{crime}被{court}刑事拘留，同年{date2}被逮捕。", "جاۋابكار {d} {date} {crime} گۇمانى بىلەن {court} تەرىپىدىن جىنايى ئىشلار بويىچە تۇتۇپ تۇرۇلدى، شۇ يىلى {date2} قولغا ئېلىندى.", 3},
	{"本院认为，被告人{d}以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成{crime}。", "بۇ سوت مۇنداق قارايدۇ: جاۋابكار {d} قانۇنسىز ئىگىلىۋېلىش مەقسىتىدە باشقىلارنىڭ مال-مۈلكىنى مەخپىي ئوغرىلىغان، سوممىسى بىر قەدەر چوڭ، ئۇنىڭ قىلمىشى {crime} نى شەكىللەندۈردى.", 3},
	{"被告{d}辩称，{opt}原告所述借款事实属实，但已偿还{amount}元，请求法院依法判决。", "جاۋابكار {d} مۇنداق ئاقلىدى: {opt}دەۋاگەر بايان قىلغان قەرز پاكىتى راست، لېكىن {amount} يۈەن قايتۇرۇلغان، سوتنىڭ قانۇن بويىچە ھۆكۈم چىقىرىشىنى تەلەپ قىلىمەن.", 3},
	{"本院于{date}受理后，依法组成合议庭，于{date2}公开开庭进行了审理，上诉人{p}、被上诉人{d}到庭参加诉讼。", "بۇ سوت {date} قوبۇل قىلغاندىن كېيىن، قانۇن بويىچە كوللېگىيە تەشكىل قىلىپ، {date2} ئوچۇق سوت ئېچىپ سوتلىدى، ئەرز قىلغۇچى {p}، ئەرز قىلىنغۇچى {d} سوتقا كېلىپ دەۋاغا قاتناشتى.", 4},
	{"原告{p}与被告{d}于{date}登记结婚，婚后生育{count}名子女。", "دەۋاگەر {p} بىلەن جاۋابكار {d} {date} نىكاھ تىزىملاتقان، توي قىلغاندىن كېيىن {count} بالىلىق بولغان.", 2},
}

var templateTotal = func() int {
	t := 0
	for _, x := range tmTemplates {
		t += x.weight
	}
	return t
}()

func pickTemplate(r *rand.Rand) tmTemplate {
	k := r.IntN(templateTotal)
	for _, t := range tmTemplates {
		if k < t.weight {
			return t
		}
		k -= t.weight
	}
	return tmTemplates[len(tmTemplates)-1]
}

// Query kinds of the benchmark, a third each.
const (
	queryRepeat = iota // a sentence the memory holds, with its neighbours half the time
	queryNear          // the same sentence with other numbers, or other parties
	queryEdited        // a sentence a translator would meet: the memory's, edited by hand
)

// query returns the k-th benchmark query, its kind, and the neighbours to
// look it up with.
func (g *tmCorpus) query(k, pairs int) (src, prev, next string, kind int) {
	r := g.rng(streamQuery, uint64(k))
	i := r.IntN(pairs)
	kind = k % 3
	switch kind {
	case queryRepeat:
		e := g.entry(i)
		src = e.SourceText
		if r.IntN(2) == 0 {
			prev, next = e.PrevHash, e.NextHash
		}
	case queryNear:
		if r.IntN(2) == 0 {
			src, _, _ = g.sentence(i, 0, 1+uint64(r.IntN(1000)))
		} else {
			src, _, _ = g.sentence(i, 1+uint64(r.IntN(1000)), 0)
		}
	case queryEdited:
		src = editSentence(r, g.entry(i).SourceText)
	}
	return src, prev, next, kind
}

// Edits a translator's new sentence makes to a remembered one.
var editInserts = []string{"依法", "经审查，", "的", "已", "全部", "及其他相关费用", "（详见附件）", "在规定期限内", "当庭"}

func editSentence(r *rand.Rand, s string) string {
	rs := []rune(s)
	ops := 1 + r.IntN(3)
	for k := 0; k < ops && len(rs) > 4; k++ {
		at := r.IntN(len(rs))
		switch r.IntN(4) {
		case 0: // delete a few characters
			n := min(1+r.IntN(4), len(rs)-at)
			rs = append(rs[:at], rs[at+n:]...)
		case 1: // insert a phrase
			ins := []rune(pick(r, editInserts))
			rs = append(rs[:at], append(ins, rs[at:]...)...)
		case 2: // replace a character
			rs[at] = pick(r, []rune("本该其与和及于在对向由为"))
		default: // drop the tail clause
			if i := strings.LastIndexAny(string(rs), "，；"); i > 0 {
				rs = append([]rune(string(rs)[:i]), '。')
			}
		}
	}
	return string(rs)
}
