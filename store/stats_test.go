package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// statsT0 is when the first document of the stats fixture arrived.
var statsT0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

func at(hours float64) time.Time { return statsT0.Add(time.Duration(hours * float64(time.Hour))) }

const (
	xinjiang = "新疆维吾尔自治区高级人民法院"
	tibet    = "西藏自治区高级人民法院"
)

// statsDocument creates a document whose jobs were created at created and
// are due at deadline, and returns its jobs by language.
func statsDocument(t *testing.T, s *store.Store, externalID, court, kind string, created, deadline time.Time, langs ...string) map[string]models.TranslationJob {
	t.Helper()
	doc := &models.Document{
		ExternalID: externalID, Court: court, Kind: kind, Priority: models.PriorityNormal,
		SourceLang: models.SourceLang, Deadline: deadline, IntakeHash: sha(externalID), CreatedAt: created,
	}
	src := &models.SourceVersion{Title: "公告 " + externalID, Body: "本院定于开庭。", ContentHash: sha(externalID)}
	segs := []models.Segment{{Index: 0, Text: "公告", Hash: sha("公告")}}
	var jobs []models.TranslationJob
	for _, l := range langs {
		jobs = append(jobs, models.TranslationJob{Lang: l, Deadline: deadline, CreatedAt: created})
	}
	require.NoError(t, s.CreateDocument(t.Context(), doc, src, segs, jobs))
	out := map[string]models.TranslationJob{}
	for _, j := range jobs {
		out[j.Lang] = j
	}
	return out
}

// statsTask creates a task of a job in a given state.
func statsTask(t *testing.T, s *store.Store, job models.TranslationJob, kind models.TaskKind, round int, state models.TaskState, deadline time.Time, overdue, escalated bool) *models.Task {
	t.Helper()
	task := &models.Task{JobID: job.ID, Kind: kind, Round: round, State: state, Deadline: deadline,
		Overdue: overdue, Escalated: escalated}
	require.NoError(t, s.CreateTask(t.Context(), task))
	return task
}

// statsPublish publishes the next version of a job at a given time, as the
// approval of review task review.
func statsPublish(t *testing.T, s *store.Store, job models.TranslationJob, review *models.Task, published time.Time) {
	t.Helper()
	pv := publication(job, review.ID, "译文")
	pv.PublishedAt = published
	_, err := s.Publish(t.Context(), pv, nil)
	require.NoError(t, err)
}

// seedStats builds the fixture the stats tests share. With now at T0+60h:
//
//	A  xinjiang judgment      created T0,     due T0+72h: ug first published at 10h (again at 100h),
//	                                                      after one rejection; kk-Arab at 80h (late)
//	B  xinjiang announcement  created T0+24h, due T0+28h: ug published at 26h
//	C  tibet    judgment      created T0+48h, due T0+50h: bo open and overdue, ug claimed and flagged
//	                                                      overdue, ko review open and escalated
//	D  xinjiang judgment      created T0,     withdrawn:  ug published at 5h, a task left open
func seedStats(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := t.Context()
	a := statsDocument(t, s, "stats-a", xinjiang, models.KindJudgment, at(0), at(72), "kk-Arab", "ug")
	statsTask(t, s, a["ug"], models.TaskTranslate, 1, models.TaskSubmitted, at(72), false, false)
	statsTask(t, s, a["ug"], models.TaskReview, 1, models.TaskRejected, at(72), false, false)
	statsTask(t, s, a["ug"], models.TaskTranslate, 2, models.TaskSubmitted, at(72), false, false)
	approved := statsTask(t, s, a["ug"], models.TaskReview, 2, models.TaskApproved, at(72), false, false)
	statsPublish(t, s, a["ug"], approved, at(10))
	correction := statsTask(t, s, a["ug"], models.TaskReview, 3, models.TaskApproved, at(172), false, false)
	statsPublish(t, s, a["ug"], correction, at(100))
	late := statsTask(t, s, a["kk-Arab"], models.TaskReview, 1, models.TaskApproved, at(72), false, false)
	statsPublish(t, s, a["kk-Arab"], late, at(80))

	b := statsDocument(t, s, "stats-b", xinjiang, models.KindAnnouncement, at(24), at(28), "ug")
	quick := statsTask(t, s, b["ug"], models.TaskReview, 1, models.TaskApproved, at(28), false, false)
	statsPublish(t, s, b["ug"], quick, at(26))

	c := statsDocument(t, s, "stats-c", tibet, models.KindJudgment, at(48), at(50), "bo", "ko", "ug")
	statsTask(t, s, c["bo"], models.TaskTranslate, 1, models.TaskOpen, at(50), false, false)
	statsTask(t, s, c["bo"], models.TaskReview, 1, models.TaskPending, at(50), false, false) // not offered yet
	statsTask(t, s, c["ug"], models.TaskTranslate, 1, models.TaskClaimed, at(1000), true, false)
	statsTask(t, s, c["ko"], models.TaskTranslate, 1, models.TaskSubmitted, at(1000), false, false)
	statsTask(t, s, c["ko"], models.TaskReview, 1, models.TaskOpen, at(1000), false, true)

	d := statsDocument(t, s, "stats-d", xinjiang, models.KindJudgment, at(0), at(72), "ug")
	gone := statsTask(t, s, d["ug"], models.TaskReview, 1, models.TaskApproved, at(72), false, false)
	statsPublish(t, s, d["ug"], gone, at(5))
	statsTask(t, s, d["ug"], models.TaskTranslate, 2, models.TaskOpen, at(0), true, true)
	docD, err := s.DocumentByExternalID(ctx, "stats-d")
	require.NoError(t, err)
	_, _, err = s.WithdrawDocument(ctx, store.Withdrawal{DocumentID: docD.ID, Reason: "错误公开", PublicReason: "已撤回"},
		&models.User{ID: 1, Name: "editor"})
	require.NoError(t, err)
}

// figures is LanguageStats without the pointers, so expectations read as
// plain numbers; -1 stands for a figure with nothing to take it over.
type figures struct {
	Lang                                         string
	Targeted, Published                          int
	Coverage, Median, P90, OnTimeShare, Rejected float64
	OnTime, Decided, Open, Overdue, Escalated    int
	Withdrawn                                    int
}

func figuresOf(l store.LanguageStats) figures {
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	return figures{
		Lang: l.Lang, Targeted: l.Targeted, Published: l.Published, Coverage: val(l.Coverage),
		Median: val(l.MedianHoursToPublish), P90: val(l.P90HoursToPublish), OnTime: l.OnTime,
		OnTimeShare: val(l.OnTimeShare), Decided: l.ReviewsDecided, Rejected: val(l.RejectionRate),
		Open: l.OpenTasks, Overdue: l.OverdueTasks, Escalated: l.EscalatedTasks, Withdrawn: l.Withdrawn,
	}
}

func languageFigures(st *store.Stats) []figures {
	out := make([]figures, len(st.Languages))
	for i, l := range st.Languages {
		out[i] = figuresOf(l)
	}
	return out
}

func TestStats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seedStats(t, s)
		now := at(60)
		st, err := s.Stats(t.Context(), store.StatsFilter{Now: now})
		require.NoError(t, err)
		require.Equal(t, now, st.GeneratedAt)
		require.Equal(t, []figures{
			{Lang: "bo", Targeted: 1, Coverage: 0, Median: -1, P90: -1, OnTimeShare: -1, Rejected: -1, Open: 1, Overdue: 1},
			{Lang: "kk-Arab", Targeted: 1, Published: 1, Coverage: 1, Median: 80, P90: 80, OnTimeShare: 0,
				Decided: 1, Rejected: 0},
			{Lang: "ko", Targeted: 1, Coverage: 0, Median: -1, P90: -1, OnTimeShare: -1, Rejected: -1, Open: 1, Escalated: 1},
			// The withdrawn document's job, publication and open task
			// count only as withdrawn; the second publication of A is not
			// its first.
			{Lang: "ug", Targeted: 3, Published: 2, Coverage: 2.0 / 3, Median: 6, P90: 9.2, OnTime: 2, OnTimeShare: 1,
				Decided: 4, Rejected: 0.25, Open: 1, Overdue: 1, Withdrawn: 1},
		}, languageFigures(st))
		require.Equal(t, figures{Targeted: 6, Published: 3, Coverage: 0.5, Median: 10, P90: 66, OnTime: 2, OnTimeShare: 2.0 / 3,
			Decided: 5, Rejected: 0.2, Open: 3, Overdue: 2, Escalated: 1, Withdrawn: 1}, figuresOf(st.Totals))
	})
}

func TestStatsFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seedStats(t, s)
		stats := func(f store.StatsFilter) *store.Stats {
			t.Helper()
			f.Now = at(60)
			st, err := s.Stats(t.Context(), f)
			require.NoError(t, err)
			return st
		}
		langs := func(st *store.Stats) map[string]figures {
			out := map[string]figures{}
			for _, f := range languageFigures(st) {
				out[f.Lang] = f
			}
			return out
		}

		byCourt := langs(stats(store.StatsFilter{Court: xinjiang}))
		require.Len(t, byCourt, 2)
		require.Equal(t, 2, byCourt["ug"].Targeted)
		require.Equal(t, 2, byCourt["ug"].Published)
		require.Equal(t, 1, byCourt["ug"].Withdrawn)
		require.Equal(t, 1, byCourt["kk-Arab"].Targeted)

		byKind := stats(store.StatsFilter{Kind: models.KindAnnouncement})
		require.Equal(t, []figures{{Lang: "ug", Targeted: 1, Published: 1, Coverage: 1, Median: 2, P90: 2, OnTime: 1,
			OnTimeShare: 1, Decided: 1, Rejected: 0}}, languageFigures(byKind))

		ug := stats(store.StatsFilter{Lang: "ug"})
		require.Len(t, ug.Languages, 1)
		require.Equal(t, figuresOf(ug.Languages[0]).Targeted, figuresOf(ug.Totals).Targeted)
		require.Empty(t, ug.Totals.Lang)

		// Since and Until bound the jobs' creation, half-open.
		since := langs(stats(store.StatsFilter{Since: at(24)}))
		require.Equal(t, 2, since["ug"].Targeted) // B and C
		require.Equal(t, 2.0, since["ug"].Median)
		require.NotContains(t, since, "kk-Arab")
		until := langs(stats(store.StatsFilter{Until: at(24)}))
		require.Equal(t, 1, until["ug"].Targeted) // A; D is withdrawn
		require.Equal(t, 1, until["ug"].Withdrawn)
		require.Equal(t, 10.0, until["ug"].Median)
		require.NotContains(t, until, "bo")
		window := stats(store.StatsFilter{Since: at(24), Until: at(48)})
		require.Equal(t, []string{"ug"}, []string{window.Languages[0].Lang})
		require.Len(t, window.Languages, 1)

		// A language asked for is listed even with nothing in it.
		empty := stats(store.StatsFilter{Lang: "ii"})
		require.Equal(t, []figures{{Lang: "ii", Coverage: -1, Median: -1, P90: -1, OnTimeShare: -1, Rejected: -1}}, languageFigures(empty))
		require.Nil(t, empty.Totals.Coverage)

		// Overdue follows the clock: before C's deadline only the flagged
		// task is overdue.
		early, err := s.Stats(t.Context(), store.StatsFilter{Now: at(49)})
		require.NoError(t, err)
		require.Equal(t, 1, early.Totals.OverdueTasks)
	})
}
