package assist

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// norm renders a normalized segment with # for numbers and @ for case
// numbers, for readable expectations.
func norm(t *testing.T, s string) (string, []numToken) {
	t.Helper()
	n := normalizeSegment("zh-Hans", s)
	return strings.NewReplacer(string(numberMark), "#", string(caseMark), "@").Replace(string(n.runes)), n.nums
}

func TestNormalizeNumbers(t *testing.T) {
	cases := []struct {
		in, want string
		values   []string
	}{
		{"本院定于2023年5月6日公开开庭", "本院定于#年#月#日公开开庭", []string{"2023", "5", "6"}},
		// Full-width digits are the same numbers.
		{"本院定于２０２３年５月６日公开开庭", "本院定于#年#月#日公开开庭", []string{"2023", "5", "6"}},
		// Dates in Chinese numerals, as judgments are signed.
		{"二〇二三年五月六日", "#年#月#日", []string{"2023", "5", "6"}},
		{"二〇二三年十二月二十四日", "#年#月#日", []string{"2023", "12", "24"}},
		// Statute articles; a small numeral elsewhere is a word.
		{"依照《中华人民共和国民事诉讼法》第一百七十条第一款之规定", "依照《中华人民共和国民事诉讼法》第#条第#款之规定", []string{"170", "1"}},
		{"一审判决认定事实清楚", "一审判决认定事实清楚", nil},
		{"可以在判决书送达之日起十五日内上诉", "可以在判决书送达之日起#日内上诉", []string{"15"}},
		// Amounts with grouping and decimals are one number.
		{"偿还借款本金人民币12,345.67元", "偿还借款本金人民币#元", []string{"12345.67"}},
		// A dotted date is three.
		{"于2023.5.6签订", "于#.#.#签订", []string{"2023", "5", "6"}},
		// Case numbers are one token, whatever their brackets.
		{"不服(2023)新01民初45号民事判决", "不服@民事判决", []string{"(2023)新01民初45号"}},
		{"不服（2024）最高法民终1号民事判决", "不服@民事判决", []string{"(2024)最高法民终1号"}},
		{"法〔2021〕184号", "法@", []string{"(2021)184号"}},
		// A year in brackets that is not a case number stays a number.
		{"（2023）年度报告", "（#）年度报告", []string{"2023"}},
	}
	for _, c := range cases {
		got, nums := norm(t, c.in)
		require.Equal(t, c.want, got, c.in)
		var values []string
		for _, n := range nums {
			values = append(values, n.value)
		}
		require.Equal(t, c.values, values, c.in)
	}
}

func TestNormalizeDatesScoreEqual(t *testing.T) {
	a, _ := norm(t, "本院定于2023年5月6日公开开庭审理(2023)新01民初45号案件。")
	b, _ := norm(t, "本院定于2024年3月15日公开开庭审理（2024）新01民初7号案件。")
	require.Equal(t, a, b)
}

func TestNumValueMatchesNormalize(t *testing.T) {
	for _, s := range []string{"人民币12,345.67元", "二〇二三年五月六日", "第一百零七条", "（2024）最高法民终1号", "３,０００元"} {
		for _, tok := range normalizeSegment("zh-Hans", s).nums {
			require.Equal(t, tok.value, numValue(tok.kind, tok.text), tok.text)
		}
	}
}

func TestSimilarityAndMaxEditsAgree(t *testing.T) {
	for l := 1; l <= 250; l += 1 + l/50 {
		for minScore := 1; minScore <= 100; minScore++ {
			k := maxEdits(l, minScore)
			for ed := 0; ed <= l; ed++ {
				require.Equal(t, similarity(ed, l, l) >= minScore, ed <= k, "l=%d min=%d ed=%d", l, minScore, ed)
			}
		}
	}
	require.Equal(t, 70, similarity(3, 10, 9), "round half up: 70.0")
	require.Equal(t, 100, similarity(0, 5, 5))
}

func TestMyersMatchesDynamicProgramme(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	rows := make([]uint16, codeMax+1)
	for range 3000 {
		// Lengths across the one-, two- and many-word paths.
		n, m := 1+r.IntN(300), 1+r.IntN(300)
		a, b := make([]uint16, n), make([]uint16, m)
		alphabet := 2 + r.IntN(30)
		for i := range a {
			a[i] = uint16(1 + r.IntN(alphabet))
		}
		for i := range b {
			b[i] = uint16(1 + r.IntN(alphabet))
		}
		if r.IntN(3) == 0 { // a near copy, as TM matches are
			b = append([]uint16(nil), a...)
			for k := r.IntN(5); k > 0; k-- {
				b[r.IntN(len(b))] = uint16(1 + r.IntN(alphabet))
			}
		}
		var p pattern
		p.prepare(a, rows)
		want := levenshtein(a, b)
		require.Equal(t, want, p.distance(b, len(a)+len(b)), "n=%d m=%d", len(a), len(b))
		bound := r.IntN(60)
		got := p.distance(b, bound)
		if want <= bound {
			require.Equal(t, want, got)
		} else {
			require.Greater(t, got, bound)
		}
		p.release()
	}
}

// The brief's example: a hearing notice remembered with one date and case
// number, looked up with another.
const (
	tmHearingZH = "本院定于2023年5月6日公开开庭审理(2023)新01民初45号案件。"
	tmHearingUG = "بۇ سوت 2023-يىلى 5-ئاينىڭ 6-كۈنى (2023)新01民初45号 دېلونى ئوچۇق سوتلايدۇ."
	qHearingZH  = "本院定于2024年3月15日公开开庭审理(2024)新01民初7号案件。"
	qHearingUG  = "بۇ سوت 2024-يىلى 3-ئاينىڭ 15-كۈنى (2024)新01民初7号 دېلونى ئوچۇق سوتلايدۇ."
)

func TestSubstituteNumbersCourtSentence(t *testing.T) {
	tm := normalizeSegment("zh-Hans", tmHearingZH).nums
	q := normalizeSegment("zh-Hans", qHearingZH).nums
	got, missing := substituteNumbers(tmHearingUG, tm, q)
	require.Equal(t, qHearingUG, got)
	require.Zero(t, missing)
}

func TestSubstituteNumbers(t *testing.T) {
	cases := []struct {
		name, tmSrc, tmTgt, qSrc, want string
		missing                        int
	}{
		{
			// A Chinese numeral in the source is digits in the target.
			name:  "statute article",
			tmSrc: "依照《中华人民共和国民事诉讼法》第一百七十条之规定",
			tmTgt: "«ھەق تەلەپ دەۋاسى قانۇنى»نىڭ 170-ماددىسىغا ئاساسەن",
			qSrc:  "依照《中华人民共和国民事诉讼法》第一百四十四条之规定",
			want:  "«ھەق تەلەپ دەۋاسى قانۇنى»نىڭ 144-ماددىسىغا ئاساسەن",
		},
		{
			// The writer's grouping is kept when the target wrote it.
			name:  "amount",
			tmSrc: "被告偿还借款本金12,345.67元",
			tmTgt: "جاۋابكار قەرز ئەسلى پۇلى 12,345.67 يۈەن قايتۇرسۇن",
			qSrc:  "被告偿还借款本金23,456.78元",
			want:  "جاۋابكار قەرز ئەسلى پۇلى 23,456.78 يۈەن قايتۇرسۇن",
		},
		{
			// Two equal numbers that change differently: by order.
			name:  "repeated value",
			tmSrc: "自2020年5月5日起",
			tmTgt: "2020-يىلى 5-ئاينىڭ 5-كۈنىدىن باشلاپ",
			qSrc:  "自2021年5月9日起",
			want:  "2021-يىلى 5-ئاينىڭ 9-كۈنىدىن باشلاپ",
		},
		{
			// The year inside a case number is not the date's year.
			name:  "case number shields its digits",
			tmSrc: "2023年不服(2023)新01民初45号判决",
			tmTgt: "2023-يىلى (2023)新01民初45号 ھۆكۈمگە قايىل بولماي",
			qSrc:  "2024年不服(2023)新01民初45号判决",
			want:  "2024-يىلى (2023)新01民初45号 ھۆكۈمگە قايىل بولماي",
		},
		{
			// The target's bracket style is kept.
			name:  "case number brackets",
			tmSrc: "不服（2023）新01民初45号判决",
			tmTgt: "(2023)新01民初45号 ھۆكۈمگە قايىل بولماي",
			qSrc:  "不服（2024）新02民终3号判决",
			want:  "(2024)新02民终3号 ھۆكۈمگە قايىل بولماي",
		},
		{
			// A number the target does not show is counted missing.
			name:    "missing",
			tmSrc:   "于2023年5月6日立案",
			tmTgt:   "2023-يىلى دېلو قىلىپ تىزىملاندى",
			qSrc:    "于2024年7月6日立案",
			want:    "2024-يىلى دېلو قىلىپ تىزىملاندى",
			missing: 1,
		},
		{
			// Different counts: no mapping, nothing changed.
			name:  "count mismatch",
			tmSrc: "于2023年5月6日立案",
			tmTgt: "2023-يىلى 5-ئاينىڭ 6-كۈنى",
			qSrc:  "于2023年立案",
			want:  "2023-يىلى 5-ئاينىڭ 6-كۈنى",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := normalizeSegment("zh-Hans", c.tmSrc).nums
			q := normalizeSegment("zh-Hans", c.qSrc).nums
			got, missing := substituteNumbers(c.tmTgt, tm, q)
			require.Equal(t, c.want, got)
			require.Equal(t, c.missing, missing)
		})
	}
}

func TestTargetShapeMasksNumbers(t *testing.T) {
	require.Equal(t, targetShape(tmHearingUG), targetShape(qHearingUG))
	require.NotEqual(t, targetShape("2023-يىلى"), targetShape("2023-ئاي"))
}

// levenshtein is the plain dynamic programme, for tests to check the
// bit-parallel version against.
func levenshtein(a, b []uint16) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
