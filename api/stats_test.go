package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

type statsFigures struct {
	Lang                 string   `json:"lang"`
	Targeted             int      `json:"targeted"`
	Published            int      `json:"published"`
	Coverage             *float64 `json:"coverage"`
	MedianHoursToPublish *float64 `json:"median_hours_to_publish"`
	P90HoursToPublish    *float64 `json:"p90_hours_to_publish"`
	OnTimeShare          *float64 `json:"on_time_share"`
	RejectionRate        *float64 `json:"rejection_rate"`
	OpenTasks            int      `json:"open_tasks"`
	OverdueTasks         int      `json:"overdue_tasks"`
	EscalatedTasks       int      `json:"escalated_tasks"`
	Withdrawn            int      `json:"withdrawn"`
}

type statsBody struct {
	GeneratedAt time.Time      `json:"generated_at"`
	Languages   []statsFigures `json:"languages"`
	Totals      statsFigures   `json:"totals"`
}

func (f *fixture) stats(who, query string) statsBody {
	f.t.Helper()
	var out statsBody
	f.decode(f.request(who, "GET", "/v1/stats?"+query, ""), http.StatusOK, &out)
	return out
}

func (b statsBody) lang(t *testing.T, tag string) statsFigures {
	t.Helper()
	for _, l := range b.Languages {
		if l.Lang == tag {
			return l
		}
	}
	t.Fatalf("no %s in %+v", tag, b.Languages)
	return statsFigures{}
}

// publishAfter publishes a document's translation into lang the given time
// after its job was created, approved by a review task in the given state
// history: rejected rounds first, then the approval.
func (f *fixture) publishAfter(docID int64, lang string, after time.Duration, rejections int) {
	f.t.Helper()
	ctx := f.t.Context()
	jobs, err := f.store.JobsByDocument(ctx, docID)
	require.NoError(f.t, err)
	for _, j := range jobs {
		if j.Lang != lang {
			continue
		}
		for round := 1; round <= rejections; round++ {
			require.NoError(f.t, f.store.CreateTask(ctx, &models.Task{JobID: j.ID, Kind: models.TaskReview, Round: round, State: models.TaskRejected}))
		}
		review := &models.Task{JobID: j.ID, Kind: models.TaskReview, Round: rejections + 1, State: models.TaskApproved}
		require.NoError(f.t, f.store.CreateTask(ctx, review))
		_, err := f.store.Publish(ctx, &models.PublishedVersion{JobID: j.ID, ReviewTaskID: review.ID, Title: "t", Body: "b",
			ContentHash: "h" + lang, PublishedAt: j.CreatedAt.Add(after)}, nil)
		require.NoError(f.t, err)
		return
	}
	f.t.Fatalf("document %d has no %s job", docID, lang)
}

func TestStats(t *testing.T) {
	f := newFixture(t)
	empty := f.stats("editor", "")
	require.Empty(t, empty.Languages)
	require.NotNil(t, empty.Languages, "an empty list, not null")
	require.Zero(t, empty.Totals.Targeted)
	require.Nil(t, empty.Totals.Coverage, "no jobs: coverage is null, not 0")
	require.WithinDuration(t, time.Now(), empty.GeneratedAt, time.Minute)

	var yanbian, xinjiang struct{ ID int64 }
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &yanbian) // ko, mn-Mong
	f.decode(f.request("cms", "POST", "/v1/documents",
		`{"external_id":"xj-7","court":"新疆维吾尔自治区高级人民法院","kind":"judgment","title":"民事判决书","body":"驳回上诉，维持原判。"}`),
		http.StatusCreated, &xinjiang) // kk-Arab, ug
	f.publishAfter(yanbian.ID, "ko", 3*time.Hour, 1)
	f.publishAfter(xinjiang.ID, "ug", 5*time.Hour, 0)
	jobs, err := f.store.JobsByDocument(t.Context(), xinjiang.ID)
	require.NoError(t, err)
	require.NoError(t, f.store.CreateTask(t.Context(), &models.Task{JobID: jobs[0].ID, Kind: models.TaskTranslate, Round: 1,
		State: models.TaskOpen, Deadline: time.Now().Add(-time.Minute)}))

	all := f.stats("editor", "")
	var tags []string
	for _, l := range all.Languages {
		tags = append(tags, l.Lang)
	}
	require.Equal(t, []string{"kk-Arab", "ko", "mn-Mong", "ug"}, tags)
	ko := all.lang(t, "ko")
	require.Equal(t, 1, ko.Published)
	require.InDelta(t, 1.0, *ko.Coverage, 1e-9)
	require.InDelta(t, 3.0, *ko.MedianHoursToPublish, 1e-9)
	require.InDelta(t, 1.0, *ko.OnTimeShare, 1e-9)
	require.InDelta(t, 0.5, *ko.RejectionRate, 1e-9)
	kk := all.lang(t, "kk-Arab")
	require.Equal(t, 1, kk.OpenTasks)
	require.Equal(t, 1, kk.OverdueTasks, "past its deadline")
	require.Nil(t, kk.MedianHoursToPublish)
	require.Equal(t, 4, all.Totals.Targeted)
	require.Equal(t, 2, all.Totals.Published)
	require.InDelta(t, 0.5, *all.Totals.Coverage, 1e-9)
	require.InDelta(t, 4.0, *all.Totals.MedianHoursToPublish, 1e-9)
	require.Empty(t, all.Totals.Lang)

	// Filters narrow the jobs; a tag is canonicalized like everywhere.
	require.Len(t, f.stats("editor", "kind=judgment").Languages, 2)
	court := f.stats("editor", "court="+url.QueryEscape("吉林省延边朝鲜族自治州中级人民法院"))
	require.Len(t, court.Languages, 2)
	require.Equal(t, 2, court.Totals.Targeted)
	ug := f.stats("admin", "lang=uig")
	require.Len(t, ug.Languages, 1)
	require.Equal(t, "ug", ug.Languages[0].Lang)
	hour := time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
	require.Empty(t, f.stats("editor", "since="+url.QueryEscape(hour)).Languages)
	require.Equal(t, 4, f.stats("editor", "until="+url.QueryEscape(hour)).Totals.Targeted)

	// A withdrawn document leaves the figures and is counted apart.
	f.decode(f.request("editor", "POST", fmt.Sprintf("/v1/documents/%d/withdraw", yanbian.ID),
		`{"reason":"错误公开","public_reason":"该公告已撤回。"}`), http.StatusOK, nil)
	after := f.stats("editor", "")
	require.Equal(t, 2, after.Totals.Targeted)
	require.Equal(t, 2, after.Totals.Withdrawn)
	require.Equal(t, 1, after.lang(t, "ko").Withdrawn)
	require.Nil(t, after.lang(t, "ko").Coverage)
}

func TestStatsRefusesBadFilters(t *testing.T) {
	f := newFixture(t)
	for _, query := range []string{
		"lang=xx-Fake", "lang=zh-CN", "lang=not%20a%20tag!", "kind=gossip",
		"since=yesterday", "until=2024-13-01T00:00:00Z",
		"since=2024-05-01T00:00:00Z&until=2024-04-01T00:00:00Z",
	} {
		t.Run(query, func(t *testing.T) {
			f.expectError(f.request("editor", "GET", "/v1/stats?"+query, ""), http.StatusBadRequest, models.EINVALID)
		})
	}
	f.expectError(f.request("translator", "GET", "/v1/stats", ""), http.StatusForbidden, models.EFORBIDDEN)
	f.expectError(f.request("portal", "GET", "/v1/stats", ""), http.StatusForbidden, models.EFORBIDDEN)
	f.expectError(f.request("", "GET", "/v1/stats", ""), http.StatusUnauthorized, models.EUNAUTHORIZED)
}
