package assist

import (
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

// Entries from the SPC notice on English names of courts (法〔2021〕184号).
var courtNames = []models.GlossaryEntry{
	{ID: 1, Term: "最高人民法院", Translation: "The Supreme People's Court", Status: models.TermApproved, SourceRef: "法〔2021〕184号"},
	{ID: 2, Term: "人民法院", Translation: "People's Court", Status: models.TermApproved},
	{ID: 3, Term: "高级人民法院", Translation: "High People's Court", Status: models.TermApproved, SourceRef: "法〔2021〕184号"},
	{ID: 4, Term: "高级人民法院", Translation: "Higher People's Court", Status: models.TermForbidden, SourceRef: "法〔2021〕184号"},
	{ID: 5, Term: "基层人民法院", Translation: "Primary People's Court", Status: models.TermApproved},
	{ID: 6, Term: "民事诉讼法", Translation: "Civil Procedure Law", Status: models.TermApproved},
	{ID: 7, Term: "诉讼", Translation: "litigation", Status: models.TermApproved},
}

func TestTermbaseLeftmostLongest(t *testing.T) {
	tb := NewTermbase(courtNames)
	cases := []struct {
		text string
		want []string
	}{
		{"最高人民法院发布司法解释", []string{"最高人民法院"}},
		{"河北省高级人民法院", []string{"高级人民法院"}},
		{"上海市第一中级人民法院", []string{"人民法院"}},
		{"依照《中华人民共和国民事诉讼法》第一百七十条", []string{"民事诉讼法"}},
		{"当事人提起诉讼，基层人民法院受理", []string{"诉讼", "基层人民法院"}},
		{"没有术语的句子。", nil},
	}
	for _, c := range cases {
		var got []string
		for _, h := range tb.Find(c.text) {
			got = append(got, h.Term)
			require.Equal(t, h.Term, c.text[h.Start:h.End])
		}
		require.Equal(t, c.want, got, c.text)
	}
}

func TestTermbaseKeepsEveryEntryOfATerm(t *testing.T) {
	hits := NewTermbase(courtNames).Find("河北省高级人民法院")
	require.Len(t, hits, 1)
	require.Len(t, hits[0].Entries, 2)
	require.Equal(t, models.TermApproved, hits[0].Entries[0].Status)
	require.Equal(t, models.TermForbidden, hits[0].Entries[1].Status)
}

func TestRankExact(t *testing.T) {
	entries := []models.TMEntry{
		{ID: 1, TargetText: "سوت ئېچىش ئېلانى", PrevHash: "p", NextHash: "n"},
		{ID: 2, TargetText: "سوت ئېچىش ئېلانى"},
		{ID: 3, TargetText: "ئېلان"},
	}
	got := RankExact(4, entries, "p", "n")
	require.Len(t, got, 2)
	require.Equal(t, models.Suggestion{SegmentIndex: 4, Origin: models.OriginTMContext, Score: ScoreContext, Text: "سوت ئېچىش ئېلانى", Ref: "tm:1"}, got[0])
	require.Equal(t, ScoreExact, got[1].Score)

	// A title has no context, so nothing there is 101%.
	for _, s := range RankExact(0, entries, "", "") {
		require.Equal(t, ScoreExact, s.Score)
	}
}
