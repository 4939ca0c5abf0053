package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

var editorActor = models.Actor{UserID: 90, Name: "editor", Roles: []models.Role{models.RoleEditor}}

// runTo executes the workflow with in and returns the input of the run it
// continued as, failing if it did not continue.
func (s *suite) continuedAs(in models.TranslationInput) models.TranslationInput {
	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.True(s.t, s.env.IsWorkflowCompleted())
	var can *workflow.ContinueAsNewError
	require.True(s.t, errors.As(s.env.GetWorkflowError(), &can), "want continue-as-new, got %v", s.env.GetWorkflowError())
	require.Equal(s.t, models.WorkflowTranslation, can.WorkflowType.Name)
	var next models.TranslationInput
	require.NoError(s.t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	return next
}

func TestRevisionSupersedesTheRunningTranslation(t *testing.T) {
	s := newSuite(t)
	s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	deadline := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	revise := s.at(2*time.Minute, models.UpdateRevise, models.ReviseInput{Actor: editorActor, SourceVersion: 2, Deadline: deadline})
	next := s.continuedAs(translateIn)

	require.NoError(t, revise.rejected)
	require.NoError(t, revise.failed)
	require.Equal(t, models.JobAssisting, revise.state.Phase)
	require.Zero(t, revise.state.Task.ID, "the claimed task is cancelled")
	require.Equal(t, []models.ReviseJobInput{{JobID: 70, SourceVersion: 2, Deadline: deadline}}, s.acts.revisedJobs)

	last := s.acts.projections[len(s.acts.projections)-1]
	require.Equal(t, "translation.superseded", last.Audit.Action)
	require.Equal(t, `{"superseded_by":2}`, last.Audit.Details)
	require.Len(t, last.ClosedTasks, 1)
	require.Equal(t, models.TaskCancelled, last.ClosedTasks[0].State)
	require.Equal(t, translator.UserID, last.ClosedTasks[0].ClaimantID)

	want := translateIn
	want.SourceVersion, want.Deadline, want.FirstRound, want.BaseRevision, want.Revised = 2, deadline, 2, last.Revision, true
	require.Equal(t, want, next)
}

func TestRevisedRunStartsOnTheNewVersion(t *testing.T) {
	s := newSuite(t)
	in := translateIn
	in.SourceVersion, in.Revised, in.OutdatedVersion, in.FirstRound, in.BaseRevision = 2, true, 1, 3, 10
	// The Update that came with the start of this run is a no-op.
	again := s.at(30*time.Second, models.UpdateRevise, models.ReviseInput{Actor: editorActor, SourceVersion: 2})
	older := s.at(40*time.Second, models.UpdateRevise, models.ReviseInput{Actor: editorActor, SourceVersion: 1})
	claim := s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	s.at(2*time.Minute, models.UpdateSubmit, act(translator, 1))
	s.at(3*time.Minute, models.UpdateClaim, act(reviewer, 2))
	s.at(4*time.Minute, models.UpdateApprove, act(reviewer, 2))
	s.env.ExecuteWorkflow(models.WorkflowTranslation, in)
	require.NoError(t, s.env.GetWorkflowError())

	require.NoError(t, again.rejected)
	require.NoError(t, again.failed)
	require.NoError(t, older.rejected)
	require.Equal(t, 3, claim.state.Round, "rounds count on across runs")
	require.Equal(t, []models.ReviseJobInput{{JobID: 70, SourceVersion: 2}}, s.acts.revisedJobs, "drafts moved once")
	require.EqualValues(t, 11, s.acts.projections[0].Revision, "the read model's revisions count on")
	require.Equal(t, "translation.revised", s.acts.audits()[0])
	require.Len(t, s.acts.events, 2)
	require.Equal(t, models.EventTranslationOutdated, s.acts.events[0].Type)
	require.Equal(t, "msg_translation_outdated_7_ug_v1_s2", s.acts.events[0].ID)
	require.Equal(t, 1, s.acts.events[0].Version)
	require.Equal(t, models.EventTranslationPublished, s.acts.events[1].Type)
	require.Equal(t, 1, s.acts.assists, "changed segments need machine assist")
}

func TestWithdrawalCancelsTheClaimedTask(t *testing.T) {
	s := newSuite(t)
	s.at(1*time.Minute, models.UpdateClaim, act(translator, 1))
	withdraw := s.at(2*time.Minute, models.UpdateWithdraw, models.WithdrawInput{Actor: editorActor})
	res := s.run()

	require.NoError(t, withdraw.rejected)
	require.NoError(t, withdraw.failed)
	require.Equal(t, models.TranslationResult{Lang: "ug", State: models.JobCancelled, Rounds: 1}, res)
	last := s.acts.projections[len(s.acts.projections)-1]
	require.Equal(t, models.JobCancelled, last.JobState)
	require.Equal(t, "translation.withdrawn", last.Audit.Action)
	require.Equal(t, editorActor.UserID, last.Audit.ActorID)
	require.Equal(t, models.TaskCancelled, last.ClosedTasks[0].State)
	require.Empty(t, s.acts.published)
}

func TestWithdrawnBeforeTheTranslationStarted(t *testing.T) {
	s := newSuite(t)
	s.acts.assistErr = temporal.NewNonRetryableApplicationError("document 7 was withdrawn", models.EGONE, nil)
	res := s.run()
	require.Equal(t, models.JobCancelled, res.State)
	require.Equal(t, []string{"translation.started", "translation.withdrawn"}, s.acts.audits())
	require.EqualValues(t, 0, s.acts.nextTask, "no task was opened")
}
