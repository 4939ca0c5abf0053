package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestCreateTaskIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "doc", "ug")

		first := &models.Task{JobID: jobs[0].ID, Kind: models.TaskTranslate, Round: 1}
		require.NoError(t, s.CreateTask(ctx, first))
		require.NotZero(t, first.ID)
		// Defaults come from the job and the document.
		require.Equal(t, doc.ID, first.DocumentID)
		require.Equal(t, "ug", first.Lang)
		require.Equal(t, jobs[0].Deadline, first.Deadline)
		require.Equal(t, models.PriorityNormal, first.Priority)
		require.Equal(t, models.TaskOpen, first.State)

		retry := &models.Task{JobID: jobs[0].ID, Kind: models.TaskTranslate, Round: 1, Lang: "ug", DocumentID: doc.ID,
			Priority: models.PriorityUrgent, Deadline: time.Now()}
		require.NoError(t, s.CreateTask(ctx, retry))
		require.Equal(t, first, retry)
		require.EqualValues(t, 1, countRows(t, s, "tasks"))

		got, err := s.TaskByID(ctx, first.ID)
		require.NoError(t, err)
		require.Equal(t, first, got)

		review := &models.Task{JobID: jobs[0].ID, Kind: models.TaskReview, Round: 1}
		require.NoError(t, s.CreateTask(ctx, review))
		round2 := &models.Task{JobID: jobs[0].ID, Kind: models.TaskTranslate, Round: 2}
		require.NoError(t, s.CreateTask(ctx, round2))
		require.Len(t, map[int64]bool{first.ID: true, review.ID: true, round2.ID: true}, 3)

		_, err = s.TaskByID(ctx, 12345)
		requireCode(t, models.ENOTFOUND, err)
		requireCode(t, models.ENOTFOUND, s.CreateTask(ctx, &models.Task{JobID: 12345, Kind: models.TaskTranslate, Round: 1}))
		requireCode(t, models.EINVALID, s.CreateTask(ctx, &models.Task{JobID: jobs[0].ID, Kind: "proofread", Round: 1}))
	})
}

func TestListTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "list", "bo", "ug") // jobs[0] bo, jobs[1] ug
		base := time.Now().Add(time.Hour)
		mk := func(job models.TranslationJob, kind models.TaskKind, hours int) *models.Task {
			task := &models.Task{JobID: job.ID, Kind: kind, Round: 1, Deadline: base.Add(time.Duration(hours) * time.Hour)}
			require.NoError(t, s.CreateTask(ctx, task))
			return task
		}
		ugTranslate := mk(jobs[1], models.TaskTranslate, 3)
		ugReview := mk(jobs[1], models.TaskReview, 1)
		boTranslate := mk(jobs[0], models.TaskTranslate, 2)
		boReview := mk(jobs[0], models.TaskReview, 4)

		// bo's translate task is claimed by user 7.
		applied, err := s.ApplyProjection(ctx, models.Projection{
			JobID: jobs[0].ID, Revision: 1, JobState: models.JobTranslating, Round: 1,
			Task: models.TaskView{ID: boTranslate.ID, Kind: models.TaskTranslate, State: models.TaskClaimed, Round: 1,
				ClaimantID: 7, LeaseExpiresAt: time.Now().Add(models.TranslateLease)},
		})
		require.NoError(t, err)
		require.True(t, applied)

		list := func(f store.TaskFilter) []int64 {
			t.Helper()
			items, err := s.ListTasks(ctx, f)
			require.NoError(t, err)
			ids := []int64{}
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			return ids
		}

		require.Equal(t, []int64{ugTranslate.ID}, list(store.TaskFilter{TranslateLangs: []string{"ug"}}))
		require.Equal(t, []int64{ugReview.ID}, list(store.TaskFilter{ReviewLangs: []string{"ug"}}))
		// Competence is per kind: reviewing bo does not show bo translations.
		require.Equal(t, []int64{ugReview.ID, boTranslate.ID, ugTranslate.ID},
			list(store.TaskFilter{TranslateLangs: []string{"ug", "bo"}, ReviewLangs: []string{"ug"}}))
		all := store.TaskFilter{TranslateLangs: []string{"ug", "bo"}, ReviewLangs: []string{"ug", "bo"}}
		require.Equal(t, []int64{ugReview.ID, boTranslate.ID, ugTranslate.ID, boReview.ID}, list(all))

		f := all
		f.Kind = models.TaskReview
		require.Equal(t, []int64{ugReview.ID, boReview.ID}, list(f))
		f = all
		f.Lang = "bo"
		require.Equal(t, []int64{boTranslate.ID, boReview.ID}, list(f))
		f = all
		f.States = []models.TaskState{models.TaskOpen}
		require.Equal(t, []int64{ugReview.ID, ugTranslate.ID, boReview.ID}, list(f))
		f.Limit = 2
		require.Equal(t, []int64{ugReview.ID, ugTranslate.ID}, list(f))

		// "mine" ignores the language lists.
		require.Equal(t, []int64{boTranslate.ID}, list(store.TaskFilter{ClaimantID: 7}))
		require.Equal(t, []int64{boTranslate.ID}, list(store.TaskFilter{ClaimantID: 7, ReviewLangs: []string{"ug"}}))
		require.Empty(t, list(store.TaskFilter{ClaimantID: 8}))
		require.Empty(t, list(store.TaskFilter{}))
		require.Empty(t, list(store.TaskFilter{TranslateLangs: []string{"kk"}}))

		items, err := s.ListTasks(ctx, store.TaskFilter{ClaimantID: 7})
		require.NoError(t, err)
		require.Len(t, items, 1)
		it := items[0]
		require.Equal(t, doc.ExternalID, it.ExternalID)
		require.Equal(t, "判决书 list", it.Title)
		require.Equal(t, doc.Court, it.Court)
		require.Equal(t, models.KindJudgment, it.DocKind)
		require.Equal(t, models.TaskClaimed, it.State)
		require.EqualValues(t, 7, *it.ClaimantID)
		require.Equal(t, models.TaskTranslate, it.Kind)
		require.Equal(t, "bo", it.Lang)
		require.Equal(t, boTranslate.Deadline, it.Deadline)
	})
}

func TestApplyProjection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "proj", "ug")
		jobID := jobs[0].ID
		translate := &models.Task{JobID: jobID, Kind: models.TaskTranslate, Round: 1}
		require.NoError(t, s.CreateTask(ctx, translate))

		lease := time.Now().Add(models.TranslateLease)
		applied, err := s.ApplyProjection(ctx, models.Projection{
			JobID: jobID, Revision: 2, JobState: models.JobTranslating, Round: 1,
			Task:  models.TaskView{ID: translate.ID, Kind: models.TaskTranslate, State: models.TaskClaimed, Round: 1, ClaimantID: 5, LeaseExpiresAt: lease},
			Audit: &models.AuditEvent{Key: "proj:2", Action: "task.claimed", DocumentID: doc.ID, Lang: "ug", ActorID: 5},
		})
		require.NoError(t, err)
		require.True(t, applied)

		job, err := s.JobByID(ctx, jobID)
		require.NoError(t, err)
		require.Equal(t, models.JobTranslating, job.State)
		require.Equal(t, translate.ID, *job.TaskID)
		require.EqualValues(t, 2, job.Revision)
		task, err := s.TaskByID(ctx, translate.ID)
		require.NoError(t, err)
		require.Equal(t, models.TaskClaimed, task.State)
		require.EqualValues(t, 5, *task.ClaimantID)
		require.True(t, lease.Truncate(time.Microsecond).Equal(*task.LeaseExpiresAt))
		require.Nil(t, task.ClosedAt)

		// A late write of an older revision changes nothing and records
		// nothing.
		applied, err = s.ApplyProjection(ctx, models.Projection{
			JobID: jobID, Revision: 1, JobState: models.JobCancelled, Round: 1,
			Task:  models.TaskView{ID: translate.ID, State: models.TaskOpen},
			Audit: &models.AuditEvent{Key: "proj:1", Action: "task.released", DocumentID: doc.ID},
		})
		require.NoError(t, err)
		require.False(t, applied)
		stale, err := s.JobByID(ctx, jobID)
		require.NoError(t, err)
		require.Equal(t, job, stale)
		staleTask, err := s.TaskByID(ctx, translate.ID)
		require.NoError(t, err)
		require.Equal(t, task, staleTask)
		// The same revision again is stale too.
		applied, err = s.ApplyProjection(ctx, models.Projection{JobID: jobID, Revision: 2, JobState: models.JobCancelled,
			Audit: &models.AuditEvent{Key: "proj:2-again", Action: "x"}})
		require.NoError(t, err)
		require.False(t, applied)
		trail, err := s.AuditTrail(ctx, doc.ID)
		require.NoError(t, err)
		require.Len(t, trail, 2) // the intake, then the projection
		require.Equal(t, "proj:2", trail[1].Key)

		// Submit: the translate task closes, a review task becomes current.
		review := &models.Task{JobID: jobID, Kind: models.TaskReview, Round: 1}
		require.NoError(t, s.CreateTask(ctx, review))
		applied, err = s.ApplyProjection(ctx, models.Projection{
			JobID: jobID, Revision: 3, JobState: models.JobReviewing, Round: 1,
			Task:        models.TaskView{ID: review.ID, Kind: models.TaskReview, State: models.TaskOpen, Round: 1},
			ClosedTasks: []models.TaskView{{ID: translate.ID, Kind: models.TaskTranslate, State: models.TaskSubmitted, Round: 1, ClaimantID: 5}},
			Audit:       &models.AuditEvent{Key: "proj:3", Action: "task.submitted", DocumentID: doc.ID},
		})
		require.NoError(t, err)
		require.True(t, applied)
		job, err = s.JobByID(ctx, jobID)
		require.NoError(t, err)
		require.Equal(t, models.JobReviewing, job.State)
		require.Equal(t, review.ID, *job.TaskID)
		submitted, err := s.TaskByID(ctx, translate.ID)
		require.NoError(t, err)
		require.Equal(t, models.TaskSubmitted, submitted.State)
		require.EqualValues(t, 5, *submitted.ClaimantID)
		require.Nil(t, submitted.LeaseExpiresAt)
		require.NotNil(t, submitted.ClosedAt)

		// Publish: no current task; a closed task keeps its first closed_at.
		time.Sleep(5 * time.Millisecond)
		applied, err = s.ApplyProjection(ctx, models.Projection{
			JobID: jobID, Revision: 4, JobState: models.JobPublished, Round: 1, PublishedVersion: 1,
			ClosedTasks: []models.TaskView{
				{ID: translate.ID, Kind: models.TaskTranslate, State: models.TaskSubmitted, Round: 1, ClaimantID: 5},
				{ID: review.ID, Kind: models.TaskReview, State: models.TaskApproved, Round: 1, ClaimantID: 6},
			},
		})
		require.NoError(t, err)
		require.True(t, applied)
		job, err = s.JobByID(ctx, jobID)
		require.NoError(t, err)
		require.Nil(t, job.TaskID)
		require.Equal(t, 1, job.PublishedVersion)
		again, err := s.TaskByID(ctx, translate.ID)
		require.NoError(t, err)
		require.Equal(t, submitted.ClosedAt, again.ClosedAt)
		require.EqualValues(t, 4, again.Revision)
		approved, err := s.TaskByID(ctx, review.ID)
		require.NoError(t, err)
		require.Equal(t, models.TaskApproved, approved.State)
		require.NotNil(t, approved.ClosedAt)

		trail, err = s.AuditTrail(ctx, doc.ID)
		require.NoError(t, err)
		require.Len(t, trail, 3)
		v, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.True(t, v.OK, v.Reason)

		_, err = s.ApplyProjection(ctx, models.Projection{JobID: 9999, Revision: 1})
		requireCode(t, models.ENOTFOUND, err)
	})
}

// The workflow's deadline and escalation timers mark the read model;
// marked tasks lead the lists, and the notifications land with them.
func TestOverdueAndEscalatedTasksComeFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		doc, jobs := newDocument(t, s, "marks", "ug", "kk-Arab", "bo")
		var tasks []*models.Task
		for _, j := range jobs {
			task := &models.Task{JobID: j.ID, Kind: models.TaskTranslate, Round: 1}
			require.NoError(t, s.CreateTask(ctx, task))
			tasks = append(tasks, task)
		}
		open := func(i int) models.TaskView {
			return models.TaskView{ID: tasks[i].ID, Kind: models.TaskTranslate, State: models.TaskOpen, Round: 1}
		}
		escalated := open(1)
		escalated.Escalated = true
		_, err := s.ApplyProjection(ctx, models.Projection{JobID: jobs[1].ID, Revision: 2, JobState: models.JobTranslating, Round: 1, Task: escalated,
			Notifications: []models.Notification{{Role: models.RoleEditor, Kind: "task.escalated", DocumentID: doc.ID, Lang: "kk-Arab", MessageZH: "无人认领", MessageEN: "unclaimed"}}})
		require.NoError(t, err)
		_, err = s.ApplyProjection(ctx, models.Projection{JobID: jobs[2].ID, Revision: 2, JobState: models.JobTranslating, Round: 1, Task: open(2), Overdue: true,
			Notifications: []models.Notification{{UserID: 42, Kind: "task.overdue", DocumentID: doc.ID, Lang: "bo", MessageZH: "已逾期", MessageEN: "overdue"}}})
		require.NoError(t, err)

		list, err := s.ListTasks(ctx, store.TaskFilter{TranslateLangs: []string{"ug", "kk-Arab", "bo"}, States: []models.TaskState{models.TaskOpen}})
		require.NoError(t, err)
		require.Len(t, list, 3)
		require.Equal(t, []string{"bo", "kk-Arab", "ug"}, []string{list[0].Lang, list[1].Lang, list[2].Lang})
		require.True(t, list[0].Overdue)
		require.True(t, list[1].Escalated)
		job, err := s.JobByID(ctx, jobs[2].ID)
		require.NoError(t, err)
		require.True(t, job.Overdue)

		editor, err := s.Notifications(ctx, 7, []models.Role{models.RoleEditor}, 10)
		require.NoError(t, err)
		require.Len(t, editor, 1)
		require.Equal(t, "task.escalated", editor[0].Kind)
		mine, err := s.Notifications(ctx, 42, []models.Role{models.RoleTranslator}, 10)
		require.NoError(t, err)
		require.Len(t, mine, 1)
		require.Equal(t, "overdue", mine[0].MessageEN)
	})
}
