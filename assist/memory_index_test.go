package assist

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

const zh, ug = models.SourceLang, "ug"

func tmEntry(id int64, src, tgt string) models.TMEntry {
	return models.TMEntry{ID: id, SourceLang: zh, TargetLang: ug, SourceHash: models.SegmentHash(src), SourceText: src, TargetText: tgt}
}

func withContext(e models.TMEntry, prev, next string) models.TMEntry {
	e.PrevHash, e.NextHash = prev, next
	return e
}

var (
	prevHash = models.SegmentHash("原告张某与被告李某民间借贷纠纷一案。")
	nextHash = models.SegmentHash("本案现已审理终结。")
)

func TestLookupRanksContextExactFuzzy(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	const src = "驳回上诉，维持原判。"
	m.Add(
		withContext(tmEntry(1, src, "ئەرزى رەت قىلىنسۇن، ئەسلى ھۆكۈم ساقلاپ قېلىنسۇن."), prevHash, nextHash),
		tmEntry(2, src, "ئەرز رەت قىلىنىپ، ئەسلى ھۆكۈم ساقلانسۇن."),
		tmEntry(3, "驳回上诉，维持原裁定。", "ئەرزى رەت قىلىنىپ، ئەسلى كېسىم ساقلاپ قېلىنسۇن."),
		tmEntry(4, "准许原告撤回起诉。", "دەۋاگەرنىڭ دەۋاسىنى قايتۇرۇۋېلىشىغا رۇخسەت قىلىنسۇن."),
	)
	got := m.Lookup(zh, ug, src, prevHash, nextHash, 5)
	require.Len(t, got, 3)
	require.Equal(t, []int64{1, 2, 3}, []int64{got[0].EntryID, got[1].EntryID, got[2].EntryID})
	require.Equal(t, []int{ScoreContext, ScoreExact, 82}, []int{got[0].Score, got[1].Score, got[2].Score}) // 2 edits in 11
	require.Equal(t, []string{models.OriginTMContext, models.OriginTMExact, models.OriginTMFuzzy},
		[]string{got[0].Origin, got[1].Origin, got[2].Origin})
	require.Equal(t, "驳回上诉，维持原裁定。", got[2].Source)

	// Without neighbours there is no 101, and other neighbours give none.
	for _, ctx := range [][2]string{{"", ""}, {prevHash, ""}, {nextHash, prevHash}} {
		got = m.Lookup(zh, ug, src, ctx[0], ctx[1], 5)
		require.Equal(t, ScoreExact, got[0].Score, ctx)
		require.Equal(t, int64(2), got[0].EntryID, "two exact matches: the newer first")
	}
	// Whitespace around a sentence does not change it.
	require.Equal(t, ScoreExact, m.Lookup(zh, ug, "  "+src+"\n", "", "", 1)[0].Score)
	// The limit holds.
	require.Len(t, m.Lookup(zh, ug, src, prevHash, nextHash, 1), 1)
}

func TestLookupNumberOnlyDifference(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	m.Add(tmEntry(7, tmHearingZH, tmHearingUG))
	got := m.Lookup(zh, ug, qHearingZH, "", "", 5)
	require.Len(t, got, 1)
	require.Equal(t, Match{EntryID: 7, Score: 99, Origin: models.OriginTMFuzzy, Source: tmHearingZH, Text: qHearingUG}, got[0])

	// A number the target does not show costs a point: the draft keeps
	// a stale number somewhere the substitution could not reach.
	m.Add(tmEntry(8, "于2023年5月6日立案", "2023-يىلى دېلو قىلىپ تىزىملاندى"))
	got = m.Lookup(zh, ug, "于2024年7月6日立案", "", "", 5)
	require.Equal(t, 98, got[0].Score)
	require.Equal(t, "2024-يىلى دېلو قىلىپ تىزىملاندى", got[0].Text)
}

func TestLookupFuzzySubstitutesNumbers(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	m.Add(tmEntry(1, "被告李某于本判决生效之日起十日内偿还原告张某借款本金12,345.67元。",
		"جاۋابكار لى مەلۇم بۇ ھۆكۈم كۈچكە ئىگە بولغان كۈندىن باشلاپ 10 كۈن ئىچىدە دەۋاگەر جاڭ مەلۇم غا قەرز ئەسلى پۇلى 12,345.67 يۈەن قايتۇرسۇن."))
	got := m.Lookup(zh, ug, "被告王某于本判决生效之日起十五日内偿还原告张某借款本金3,000元。", "", "", 5)
	require.Len(t, got, 1)
	require.Equal(t, models.OriginTMFuzzy, got[0].Origin)
	require.Equal(t, 97, got[0].Score) // one character of 31 differs, numbers aside
	require.Equal(t, "جاۋابكار لى مەلۇم بۇ ھۆكۈم كۈچكە ئىگە بولغان كۈندىن باشلاپ 15 كۈن ئىچىدە دەۋاگەر جاڭ مەلۇم غا قەرز ئەسلى پۇلى 3,000 يۈەن قايتۇرسۇن.", got[0].Text)
}

func TestLookupMinScore(t *testing.T) {
	entries := []models.TMEntry{
		tmEntry(1, "原告张某与被告李某民间借贷纠纷一案", "A"), // the query
		tmEntry(2, "原告张某与被告李某买卖合同纠纷一案", "B"), // 4 of 17 differ: 76
		tmEntry(3, "原告王某与被告赵某买卖合同纠纷一案", "C"), // 6 of 17: 65
		tmEntry(4, "本判决为终审判决。", "D"),
	}
	const q = "原告张某与被告李某民间借贷纠纷一案"

	m := NewMemory(MemoryOptions{})
	m.Add(entries...)
	require.Equal(t, []int{100, 76}, scores(m.Lookup(zh, ug, q, "", "", 5)), "default threshold 70")

	m = NewMemory(MemoryOptions{MinScore: 80})
	m.Add(entries...)
	require.Equal(t, []int{100}, scores(m.Lookup(zh, ug, q, "", "", 5)))

	m = NewMemory(MemoryOptions{MinScore: 50})
	m.Add(entries...)
	require.Equal(t, []int{100, 76, 65}, scores(m.Lookup(zh, ug, q, "", "", 5)))
}

func scores(ms []Match) []int {
	var out []int
	for _, m := range ms {
		out = append(out, m.Score)
	}
	return out
}

func TestLookupOneMatchPerTarget(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	m.Add(
		tmEntry(1, "本判决为终审判决。", "بۇ ھۆكۈم ئاخىرقى ھۆكۈمدۇر."),
		tmEntry(2, "本判决为终审判决", "بۇ ھۆكۈم ئاخىرقى ھۆكۈمدۇر."), // the same target, scoring lower
		tmEntry(3, "本判决为终审判决。", "بۇ ھۆكۈم ئاخىرقى ھۆكۈم."),
	)
	got := m.Lookup(zh, ug, "本判决为终审判决。", "", "", 5)
	require.Len(t, got, 2)
	require.Equal(t, []int64{3, 1}, []int64{got[0].EntryID, got[1].EntryID})
}

func TestAddIsIdempotent(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	require.Zero(t, m.LastID())
	e := tmEntry(41, "本案现已审理终结。", "بۇ دېلو ھازىر سوتلىنىپ ئاخىرلاشتى.")
	m.Add(e, tmEntry(40, "准许原告撤回起诉。", "رۇخسەت قىلىنسۇن."))
	m.Add(e)
	e.TargetText = "changed" // a re-add with the same ID is ignored, whatever it holds
	m.Add(e)
	require.Equal(t, 2, m.Len())
	require.Equal(t, int64(41), m.LastID())
	got := m.Lookup(zh, ug, "本案现已审理终结。", "", "", 5)
	require.Len(t, got, 1)
	require.Equal(t, "بۇ دېلو ھازىر سوتلىنىپ ئاخىرلاشتى.", got[0].Text)

	// The same pair under a new ID is a new entry; its suggestion
	// carries the newest ID.
	m.Add(tmEntry(42, "本案现已审理终结。", "بۇ دېلو ھازىر سوتلىنىپ ئاخىرلاشتى."))
	require.Equal(t, 3, m.Len())
	require.Equal(t, int64(42), m.Lookup(zh, ug, "本案现已审理终结。", "", "", 5)[0].EntryID)
}

func TestLookupSupersededPairs(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	// Three translations of one sentence that differ only in the date:
	// one suggestion, from the newest; an exact lookup still finds each.
	for i, d := range []string{"2021年3月4日", "2022年5月6日", "2023年7月8日"} {
		y, md, _ := strings.Cut(d, "年")
		m.Add(tmEntry(int64(i+1), "本院于"+d+"立案。", fmt.Sprintf("بۇ سوت %s-يىلى %s دېلو قىلدى.", y, md)))
	}
	got := m.Lookup(zh, ug, "本院于2024年9月10日立案。", "", "", 5)
	require.Len(t, got, 1)
	require.Equal(t, int64(3), got[0].EntryID)
	require.Equal(t, 99, got[0].Score)

	got = m.Lookup(zh, ug, "本院于2021年3月4日立案。", "", "", 5)
	require.Equal(t, int64(1), got[0].EntryID)
	require.Equal(t, ScoreExact, got[0].Score)
}

func TestLookupEdgeCases(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	long := strings.Repeat("本院认为，当事人应当提供证据加以证明。", maxIndexedLen/18+1)
	m.Add(tmEntry(1, long, "long"), tmEntry(2, "本判决为终审判决。", "final"))
	require.Nil(t, m.Lookup(zh, "bo", "本判决为终审判决。", "", "", 5), "another language pair")
	require.Nil(t, m.Lookup(zh, ug, "本判决为终审判决。", "", "", 0))
	require.Nil(t, m.Lookup(zh, ug, "  ", "", "", 5))
	require.Nil(t, m.Lookup(zh, ug, "鿿鿿鿿", "", "", 5), "characters the memory never saw")
	// Too long for the fuzzy index, still found exactly.
	got := m.Lookup(zh, ug, long, "", "", 5)
	require.Len(t, got, 1)
	require.Equal(t, ScoreExact, got[0].Score)
	// A single character.
	m.Add(tmEntry(3, "一", "bir"))
	require.Equal(t, "bir", m.Lookup(zh, ug, "一", "", "", 5)[0].Text)
}

func TestLookupLowThresholdShortSegments(t *testing.T) {
	// At 40 a two-character segment matches one sharing no character
	// with it at all; only the length lists can find that.
	m := NewMemory(MemoryOptions{MinScore: 40})
	m.Add(tmEntry(1, "甲乙丙", "x"), tmEntry(2, "丁戊", "y"), tmEntry(3, "甲乙丙丁戊己庚", "z"))
	got := m.Lookup(zh, ug, "甲丁丙", "", "", 5)
	require.Equal(t, 67, got[0].Score) // one of three differs
	require.Equal(t, m.bruteForce(zh, ug, "甲丁丙", "", "", 5), got)
	got = m.Lookup(zh, ug, "庚辛", "", "", 5)
	require.Equal(t, m.bruteForce(zh, ug, "庚辛", "", "", 5), got)
}

func TestMemoryConcurrentAddAndLookup(t *testing.T) {
	g := newTMCorpus(3)
	m := NewMemory(MemoryOptions{})
	const n = 3000
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for lo := 0; lo < n; lo += 100 {
			var b []models.TMEntry
			for i := lo; i < lo+100; i++ {
				b = append(b, g.entry(i))
			}
			m.Add(b...)
		}
	}()
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 150 {
				src, prev, next, _ := g.query(r*1000+k, n)
				for _, mt := range m.Lookup(zh, ug, src, prev, next, 5) {
					if mt.Score < DefaultMinScore || mt.Text == "" {
						t.Errorf("bad match %+v", mt)
					}
				}
				_ = m.LastID()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, n, m.Len())
	require.Equal(t, int64(n), m.LastID())
}

// referenceMemory is Lookup by its definition, with none of the index:
// every entry scored, the best match per target text kept. Pairs that
// differ only in numbers (equal normalized sources, targets of one shape)
// are one translation: only the newest is a fuzzy match.
type referenceMemory struct {
	entries []models.TMEntry
	norms   []normSegment
	codes   [][]uint16 // its own code table: nothing shared with the index
	table   map[rune]uint16
	newest  []bool
}

func (r *referenceMemory) encode(rs []rune) []uint16 {
	out := make([]uint16, len(rs))
	for i, ru := range rs {
		c, ok := r.table[ru]
		if !ok {
			c = uint16(len(r.table) + 1)
			r.table[ru] = c
		}
		out[i] = c
	}
	return out
}

func newReferenceMemory(entries []models.TMEntry) *referenceMemory {
	r := &referenceMemory{entries: entries, table: map[rune]uint16{}}
	newest := map[string]int64{}
	keys := make([]string, len(entries))
	for i, e := range entries {
		n := normalizeSegment(zh, e.SourceText)
		r.norms = append(r.norms, n)
		r.codes = append(r.codes, r.encode(n.runes))
		keys[i] = string(n.runes) + "\x00" + targetShape(e.TargetText)
		newest[keys[i]] = max(newest[keys[i]], e.ID)
	}
	for i, e := range entries {
		r.newest = append(r.newest, newest[keys[i]] == e.ID)
	}
	return r
}

func (r *referenceMemory) lookup(minScore int, source, prev, next string, limit int) []Match {
	raw := strings.TrimSpace(source)
	q := normalizeSegment(zh, raw)
	// The bit-parallel distance, checked against the plain dynamic
	// programme in TestMyersMatchesDynamicProgramme.
	var pat pattern
	pat.prepare(r.encode(q.runes), make([]uint16, codeMax+1))
	best := map[string]Match{}
	for i, e := range r.entries {
		src := strings.TrimSpace(e.SourceText)
		var mt Match
		switch {
		case src == raw:
			mt = Match{EntryID: e.ID, Score: ScoreExact, Origin: models.OriginTMExact, Source: src, Text: e.TargetText}
			if (prev != "" || next != "") && e.PrevHash == prev && e.NextHash == next {
				mt.Score, mt.Origin = ScoreContext, models.OriginTMContext
			}
		case r.newest[i]:
			x := r.norms[i]
			ed := pat.distance(r.codes[i], len(q.runes)+len(x.runes))
			text, missing := substituteNumbers(e.TargetText, x.nums, q.nums)
			mt = Match{EntryID: e.ID, Score: min(similarity(ed, len(q.runes), len(x.runes)), fuzzyCap) - missing,
				Origin: models.OriginTMFuzzy, Source: src, Text: text, ed: ed}
		default:
			continue
		}
		if mt.Score < minScore {
			continue
		}
		if have, ok := best[mt.Text]; !ok || better(&mt, &have) {
			best[mt.Text] = mt
		}
	}
	var out []Match
	for _, mt := range best {
		out = append(out, mt)
	}
	sort.Slice(out, func(i, j int) bool { return better(&out[i], &out[j]) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func TestLookupMatchesReference(t *testing.T) {
	g := newTMCorpus(11)
	const n = 2500
	var entries []models.TMEntry
	for i := range n {
		entries = append(entries, g.entry(i))
	}
	m := NewMemory(MemoryOptions{})
	m.Add(entries...)
	ref := newReferenceMemory(entries)
	for k := range 120 {
		src, prev, next, _ := g.query(k, n)
		want := ref.lookup(DefaultMinScore, src, prev, next, 5)
		got := m.Lookup(zh, ug, src, prev, next, 5)
		require.Equal(t, describe(want), describe(got), "query %d: %s", k, src)
		require.Equal(t, describe(want), describe(m.bruteForce(zh, ug, src, prev, next, 5)))
	}
}

func describe(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%d %s %d %s", m.Score, m.Origin, m.EntryID, m.Text))
	}
	return out
}

// The index against the brute-force scorer on a generated memory: the
// recall the benchmark measures at a million pairs, asserted at 20,000.
func TestLookupRecallAgainstBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20,000-pair memory")
	}
	g := newTMCorpus(5)
	const n = 20_000
	m := NewMemory(MemoryOptions{})
	for lo := 0; lo < n; lo += 5000 {
		var b []models.TMEntry
		for i := lo; i < lo+5000; i++ {
			b = append(b, g.entry(i))
		}
		m.Add(b...)
	}
	hit, total := 0, 0
	for k := range 300 {
		src, prev, next, _ := g.query(k, n)
		h, tt := recallCounts(m.Lookup(zh, ug, src, prev, next, 5), m.bruteForce(zh, ug, src, prev, next, 5))
		hit += h
		total += tt
	}
	require.Greater(t, total, 1000, "the queries have matches to find")
	require.GreaterOrEqual(t, float64(hit)/float64(total), 0.99)
}
