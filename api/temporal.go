package api

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"yizhi/models"
)

// Workflows is what the API asks of Temporal.
type Workflows interface {
	// StartDocument starts the document's workflow, or does nothing if it
	// already runs, so a retried intake heals a failed start.
	StartDocument(ctx context.Context, in models.DocumentInput) error
	// UpdateTranslation sends a human action and waits until the workflow
	// has applied it and written the read model.
	UpdateTranslation(ctx context.Context, documentID int64, lang, update, updateID string, arg any) (models.TranslationState, error)
	// CheckHealth reports whether the Temporal frontend answers.
	CheckHealth(ctx context.Context) error
	// StartCorrection starts a new run of a published translation's
	// workflow; ECONFLICT if a run is still going.
	StartCorrection(ctx context.Context, in models.TranslationInput) error
	// EmitEvent hands a webhook event to its workflow; repeating an event
	// ID is not an error.
	EmitEvent(ctx context.Context, ev models.Event) error
	// ReviseTranslation moves a translation onto a new source version:
	// the revise Update to the running workflow, or, when ended is true,
	// to a new run started with start if none is running. ECONFLICT means
	// the workflow is between runs; ask again shortly.
	ReviseTranslation(ctx context.Context, start models.TranslationInput, rev models.ReviseInput, ended bool) error
}

// TemporalWorkflows implements Workflows with a Temporal client.
type TemporalWorkflows struct {
	Client client.Client
}

func (t TemporalWorkflows) StartDocument(ctx context.Context, in models.DocumentInput) error {
	_, err := t.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       models.DocumentWorkflowID(in.DocumentID),
		TaskQueue:                models.TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, models.WorkflowDocument, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil // finished earlier: nothing to heal
	}
	if err != nil {
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the workflow service is unavailable; retry the request", Err: err}
	}
	return nil
}

func (t TemporalWorkflows) UpdateTranslation(ctx context.Context, documentID int64, lang, update, updateID string, arg any) (models.TranslationState, error) {
	var state models.TranslationState
	handle, err := t.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   models.TranslationWorkflowID(documentID, lang),
		UpdateID:     updateID,
		UpdateName:   update,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, &state)
	}
	return state, updateError(err)
}

func (t TemporalWorkflows) StartCorrection(ctx context.Context, in models.TranslationInput) error {
	_, err := t.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       models.TranslationWorkflowID(in.DocumentID, in.Lang),
		TaskQueue:                models.TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, models.WorkflowTranslation, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return &models.Error{Code: models.ECONFLICT, Message: "a translation of this language is still running", Err: err}
	}
	if err != nil {
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the workflow service is unavailable; retry the request", Err: err}
	}
	return nil
}

func (t TemporalWorkflows) ReviseTranslation(ctx context.Context, start models.TranslationInput, rev models.ReviseInput, ended bool) error {
	id := models.TranslationWorkflowID(start.DocumentID, start.Lang)
	update := client.UpdateWorkflowOptions{
		WorkflowID:   id,
		UpdateID:     fmt.Sprintf("revise:%s:v%d", id, rev.SourceVersion),
		UpdateName:   models.UpdateRevise,
		Args:         []any{rev},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	}
	var (
		handle client.WorkflowUpdateHandle
		err    error
	)
	if ended {
		op := t.Client.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
			ID:                       id,
			TaskQueue:                models.TaskQueue,
			WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		}, models.WorkflowTranslation, start)
		handle, err = t.Client.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
			StartWorkflowOperation: op, UpdateOptions: update,
		})
	} else {
		update.UpdateID = fmt.Sprintf("revise:%s:v%d:running", id, rev.SourceVersion)
		handle, err = t.Client.UpdateWorkflow(ctx, update)
	}
	if err == nil {
		err = handle.Get(ctx, nil)
	}
	return updateError(err)
}

func (t TemporalWorkflows) EmitEvent(ctx context.Context, ev models.Event) error {
	_, err := t.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    models.EventWorkflowID(ev.ID),
		TaskQueue:             models.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, models.WorkflowEvent, models.EventInput{Event: ev})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) {
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the workflow service is unavailable", Err: err}
	}
	return nil
}

func (t TemporalWorkflows) CheckHealth(ctx context.Context) error {
	_, err := t.Client.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}

// updateError turns a validator's rejection back into the models error it
// was built from, so the HTTP status follows the workflow's judgement.
func updateError(err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		if _, known := statusOf[appErr.Type()]; known && appErr.Type() != models.EINTERNAL {
			return &models.Error{Code: appErr.Type(), Message: appErr.Message(), Err: err}
		}
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) || strings.Contains(err.Error(), "workflow execution already completed") {
		return &models.Error{Code: models.ECONFLICT, Message: "this translation is no longer running", Err: err}
	}
	var timedOut *client.WorkflowUpdateServiceTimeoutOrCanceledError
	if errors.As(err, &timedOut) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the workflow did not answer in time; retry the request", Err: err}
	}
	var unavailable *serviceerror.Unavailable
	if errors.As(err, &unavailable) {
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the workflow service is unavailable", Err: err}
	}
	return err
}
