package assist

import (
	"sort"
	"strconv"

	"yizhi/models"
)

// Exact TM scores. An in-context match (the same neighbours) is worth more
// than 100%, as translation tools show it.
const (
	ScoreContext = 101
	ScoreExact   = 100
)

// Neighbours returns the hashes of the body segments around segs[i], which
// make a TM match in-context. The title (index 0) has no neighbours.
func Neighbours(segs []models.Segment, i int) (prev, next string) {
	if segs[i].Index == 0 {
		return "", ""
	}
	if i > 0 && segs[i-1].Index > 0 {
		prev = segs[i-1].Hash
	}
	if i+1 < len(segs) {
		next = segs[i+1].Hash
	}
	return prev, next
}

// RankExact turns the TM entries whose source equals a segment into
// suggestions for it, best first: in-context matches before plain exact
// ones, one suggestion per distinct target text.
func RankExact(index int, entries []models.TMEntry, prev, next string) []models.Suggestion {
	best := make(map[string]models.Suggestion)
	for _, e := range entries {
		s := models.Suggestion{SegmentIndex: index, Origin: models.OriginTMExact, Score: ScoreExact,
			Text: e.TargetText, Ref: "tm:" + strconv.FormatInt(e.ID, 10)}
		if prev != "" || next != "" {
			if e.PrevHash == prev && e.NextHash == next {
				s.Origin, s.Score = models.OriginTMContext, ScoreContext
			}
		}
		if have, ok := best[s.Text]; !ok || s.Score > have.Score {
			best[s.Text] = s
		}
	}
	out := make([]models.Suggestion, 0, len(best))
	for _, s := range best {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Text < out[j].Text
	})
	return out
}
