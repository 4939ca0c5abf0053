package workflows

import (
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// Document owns one document: it starts a Translation child per target
// language and finishes when every one of them has.
func Document(ctx workflow.Context, in models.DocumentInput) (models.DocumentResult, error) {
	futures := make([]workflow.ChildWorkflowFuture, len(in.Jobs))
	for i, job := range in.Jobs {
		// Children inherit the parent's task queue, so a benchmark can run
		// the same workflows on a queue of its own.
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID: models.TranslationWorkflowID(in.DocumentID, job.Lang),
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, models.WorkflowTranslation, models.TranslationInput{
			DocumentID:    in.DocumentID,
			JobID:         job.JobID,
			Lang:          job.Lang,
			SourceVersion: in.SourceVersion,
			Priority:      in.Priority,
			Deadline:      in.Deadline,
			Profile:       in.Profile,
		})
	}
	var result models.DocumentResult
	for _, f := range futures {
		var r models.TranslationResult
		if err := f.Get(ctx, &r); err != nil {
			return result, err
		}
		result.Translations = append(result.Translations, r)
	}
	return result, nil
}
