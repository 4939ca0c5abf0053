package activities_test

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"yizhi/activities"
	"yizhi/assist"
	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// notice builds a hearing notice with the given body sentences (title
// first) and one translation job per language.
func notice(t testing.TB, s *store.Store, externalID string, sentences []string, langs ...string) []models.TranslationJob {
	t.Helper()
	body := ""
	var segs []models.Segment
	for i, text := range sentences {
		if i > 0 {
			body += text
		}
		segs = append(segs, models.Segment{Index: i, Text: text, Hash: models.SegmentHash(text)})
	}
	deadline := time.Now().Add(models.HighWindow)
	doc := &models.Document{
		ExternalID: externalID, Court: "新疆维吾尔自治区乌鲁木齐市中级人民法院", Kind: models.KindHearingNotice,
		Priority: models.PriorityHigh, SourceLang: models.SourceLang, CurrentVersion: 1, Deadline: deadline,
		IntakeHash: models.ContentHash(externalID),
	}
	src := &models.SourceVersion{Version: 1, Title: sentences[0], Body: body, ContentHash: models.ContentHash(sentences[0], body)}
	var jobs []models.TranslationJob
	for _, l := range langs {
		jobs = append(jobs, models.TranslationJob{Lang: l, SourceVersion: 1, State: models.JobPending, Deadline: deadline})
	}
	require.NoError(t, s.CreateDocument(t.Context(), doc, src, segs, jobs))
	return jobs
}

func newActivities(t *testing.T, s *store.Store) (*activities.Activities, *testsuite.TestActivityEnvironment) {
	acts := &activities.Activities{Store: s, Log: slog.New(slog.DiscardHandler), Memory: assist.NewMemory(assist.MemoryOptions{})}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return acts, env
}

var (
	firstNotice = []string{"开庭公告", "本院定于2024年3月15日公开开庭审理(2023)新01民初45号案件。\n", "欢迎旁听。"}
	uyghur      = []string{"سوت ئېچىش ئېلانى", "بۇ سوت 2024-يىلى 3-ئاينىڭ 15-كۈنى (2023)新01民初45号 دېلونى ئاشكارا سوت ئاچىدۇ.", "ئاڭلاشقا خۇش كەلدىڭىز."}
)

// publish runs a job through PublishVersion with the given drafts.
func publish(t *testing.T, s *store.Store, env *testsuite.TestActivityEnvironment, job models.TranslationJob, texts []string, origin string) models.PublishResult {
	t.Helper()
	var drafts []models.Draft
	for i, text := range texts {
		drafts = append(drafts, models.Draft{SegmentIndex: i, Text: text, Origin: origin, UpdatedBy: 10})
	}
	require.NoError(t, s.SaveDrafts(t.Context(), job.ID, drafts))
	task := &models.Task{JobID: job.ID, Kind: models.TaskReview, Round: 1, State: models.TaskClaimed}
	require.NoError(t, s.CreateTask(t.Context(), task))
	v, err := env.ExecuteActivity(models.ActivityPublishVersion, models.PublishInput{JobID: job.ID, ReviewTaskID: task.ID, TranslatorID: 10, ReviewerID: 20})
	require.NoError(t, err)
	var res models.PublishResult
	require.NoError(t, v.Get(&res))
	return res
}

func TestPublishVersionAssemblesAndRemembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, env := newActivities(t, s)
		jobs := notice(t, s, "first", firstNotice, "ug")
		res := publish(t, s, env, jobs[0], uyghur, models.OriginHuman)
		require.Equal(t, 1, res.Version)

		versions, err := s.LatestPublished(t.Context(), jobs[0].DocumentID)
		require.NoError(t, err)
		pv := versions[0]
		require.Equal(t, uyghur[0], pv.Title)
		// The paragraph break of the source survives; nothing else is added.
		require.Equal(t, uyghur[1]+"\n"+uyghur[2], pv.Body)
		require.False(t, pv.MachineAssisted)
		require.Equal(t, models.ContentHash("ug", pv.Title, pv.Body), pv.ContentHash)
		require.EqualValues(t, 10, pv.TranslatorID)
		require.EqualValues(t, 20, pv.ReviewerID)

		entries, err := s.TMExact(t.Context(), models.SourceLang, "ug", []string{models.SegmentHash(firstNotice[2])})
		require.NoError(t, err)
		require.Len(t, entries, 1)
		require.Equal(t, uyghur[2], entries[0].TargetText)
		require.Equal(t, models.SegmentHash(firstNotice[1]), entries[0].PrevHash)
	})
}

func TestMachineAssistReusesTheMemoryAndFindsTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, env := newActivities(t, s)
		first := notice(t, s, "first", firstNotice, "ug")
		publish(t, s, env, first[0], uyghur, models.OriginHuman)
		require.NoError(t, s.CreateGlossaryEntry(t.Context(), &models.GlossaryEntry{
			SourceLang: models.SourceLang, TargetLang: "ug", Term: "公开开庭", Translation: "ئاشكارا سوت ئېچىش", Status: models.TermApproved,
		}, nil))

		// The second notice repeats the title, the first sentence in a new
		// context, and the closing sentence in the same context.
		second := []string{"开庭公告", "本院定于2024年3月15日公开开庭审理(2023)新01民初45号案件。\n", "欢迎旁听。", "请携带身份证件。"}
		jobs := notice(t, s, "second", second, "ug", "bo")
		// The translator already typed the title: assist must not overwrite it.
		require.NoError(t, s.SaveDrafts(t.Context(), jobs[1].ID, []models.Draft{{SegmentIndex: 0, Text: "mine", Origin: models.OriginHuman}}))
		require.NoError(t, s.SaveDrafts(t.Context(), jobs[0].ID, []models.Draft{{SegmentIndex: 0, Text: "مېنىڭ", Origin: models.OriginHuman}}))

		v, err := env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[0].ID})
		require.NoError(t, err)
		var res models.AssistResult
		require.NoError(t, v.Get(&res))
		require.Equal(t, models.AssistResult{Segments: 4, Suggested: 3, TermHits: 1}, res)

		sugs, err := s.Suggestions(t.Context(), jobs[0].ID)
		require.NoError(t, err)
		require.Len(t, sugs, 3)
		require.Equal(t, models.Suggestion{JobID: jobs[0].ID, ID: sugs[0].ID, SegmentIndex: 0, Origin: models.OriginTMExact, Score: 100, Text: uyghur[0], Ref: sugs[0].Ref}, sugs[0])
		// Sentence 1 had the title before it and 欢迎旁听 after, both again.
		require.Equal(t, models.OriginTMContext, sugs[1].Origin)
		require.Equal(t, 101, sugs[1].Score)
		// Sentence 2 now has a different next neighbour.
		require.Equal(t, models.OriginTMExact, sugs[2].Origin)

		drafts, err := s.Drafts(t.Context(), jobs[0].ID)
		require.NoError(t, err)
		require.Len(t, drafts, 3)
		require.Equal(t, "مېنىڭ", drafts[0].Text, "a human draft was overwritten")
		require.Equal(t, uyghur[1], drafts[1].Text)
		require.Equal(t, models.OriginTMContext, drafts[1].Origin)

		hits, err := s.GlossaryHits(t.Context(), jobs[0].ID)
		require.NoError(t, err)
		require.Len(t, hits, 1)
		require.Equal(t, 1, hits[0].SegmentIndex)
		require.Equal(t, "公开开庭", second[1][hits[0].Start:hits[0].End])

		// Another language pair reuses nothing.
		v, err = env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[1].ID})
		require.NoError(t, err)
		require.NoError(t, v.Get(&res))
		require.Equal(t, models.AssistResult{Segments: 4}, res)

		// Publishing machine-seeded text records that machine help was used.
		texts := []string{uyghur[0], uyghur[1], uyghur[2], "كىملىك ئېلىپ كېلىڭ."}
		drafts2 := []models.Draft{}
		for i, text := range texts {
			origin := models.OriginHuman
			if i == 1 {
				origin = models.OriginTMContext
			}
			drafts2 = append(drafts2, models.Draft{SegmentIndex: i, Text: text, Origin: origin})
		}
		require.NoError(t, s.SaveDrafts(t.Context(), jobs[0].ID, drafts2))
		task := &models.Task{JobID: jobs[0].ID, Kind: models.TaskReview, Round: 1, State: models.TaskClaimed}
		require.NoError(t, s.CreateTask(t.Context(), task))
		_, err = env.ExecuteActivity(models.ActivityPublishVersion, models.PublishInput{JobID: jobs[0].ID, ReviewTaskID: task.ID, TranslatorID: 10, ReviewerID: 20})
		require.NoError(t, err)
		versions, err := s.LatestPublished(t.Context(), jobs[0].DocumentID)
		require.NoError(t, err)
		require.True(t, versions[0].MachineAssisted)
	})
}

// A heartbeat that reaches Temporal costs a write of the workflow's state,
// so machine assist sends one only while batches remain for a retry to
// skip: none for a document of one batch.
func TestMachineAssistHeartbeatsOnlyBetweenBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, env := newActivities(t, s)
		var mu sync.Mutex
		var sent []int // progress.Done of each heartbeat that reached the server
		env.SetOnActivityHeartbeatListener(func(_ *activity.Info, details converter.EncodedValues) {
			var progress struct{ Done int }
			require.NoError(t, details.Get(&progress))
			mu.Lock()
			defer mu.Unlock()
			sent = append(sent, progress.Done)
		})

		short := notice(t, s, "short", []string{"开庭公告", "本院定于2024年3月15日公开开庭审理。", "欢迎旁听。"}, "ug")
		_, err := env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: short[0].ID})
		require.NoError(t, err)
		require.Empty(t, sent, "a one-batch document heartbeated")

		long := []string{"开庭公告"}
		for i := range 120 {
			long = append(long, fmt.Sprintf("(2024)新01民初%d号案件定于2024年3月15日公开开庭审理。", i+1))
		}
		jobs := notice(t, s, "long", long, "ug")
		_, err = env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[0].ID})
		require.NoError(t, err)
		// The SDK sends the first heartbeat at once and holds later ones
		// back; what reached the server is the first batch's progress.
		require.Equal(t, []int{50}, sent)
	})
}

func TestOpenTaskIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, env := newActivities(t, s)
		jobs := notice(t, s, "tasks", firstNotice, "mn-Mong")
		in := models.OpenTaskInput{JobID: jobs[0].ID, Kind: models.TaskTranslate, Round: 1}
		var ids [2]int64
		for i := range ids {
			v, err := env.ExecuteActivity(models.ActivityOpenTask, in)
			require.NoError(t, err)
			require.NoError(t, v.Get(&ids[i]))
		}
		require.Equal(t, ids[0], ids[1])
		task, err := s.TaskByID(t.Context(), ids[0])
		require.NoError(t, err)
		require.Equal(t, models.PriorityHigh, task.Priority)
		require.Equal(t, "mn-Mong", task.Lang)
		// Not offered until the workflow projects it: a claim before that
		// would reach a workflow that does not know the task yet.
		require.Equal(t, models.TaskPending, task.State)

		_, err = env.ExecuteActivity(models.ActivityOpenTask, models.OpenTaskInput{JobID: 99999, Kind: models.TaskTranslate, Round: 1})
		require.Error(t, err, "a missing job is not retried")
	})
}

// Two workers share a database: what one publishes, the other's memory
// finds at its next machine assist.
func TestWorkersCatchUpFromTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, one := newActivities(t, s)
		other, two := newActivities(t, s)
		first := notice(t, s, "published-by-one", firstNotice, "ug")
		publish(t, s, one, first[0], uyghur, models.OriginHuman)
		require.Zero(t, other.Memory.Len(), "the second worker has not looked yet")

		jobs := notice(t, s, "assisted-by-two", firstNotice, "ug")
		v, err := two.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[0].ID})
		require.NoError(t, err)
		var res models.AssistResult
		require.NoError(t, v.Get(&res))
		require.Equal(t, 3, res.Suggested)
		require.Equal(t, 3, other.Memory.Len())
	})
}
