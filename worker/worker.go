// Package worker wires workflows and activities onto the Temporal task queue.
package worker

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"yizhi/activities"
	"yizhi/models"
	"yizhi/workflows"
)

// New builds a worker for the yizhi task queue with every workflow and
// activity registered. The caller starts and stops it.
func New(c client.Client, acts *activities.Activities, opts worker.Options) worker.Worker {
	w := worker.New(c, models.TaskQueue, opts)
	Register(w, acts)
	return w
}

// Register registers the workflows under their DESIGN.md names and the
// activities under their method names.
func Register(r worker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.Document, workflow.RegisterOptions{Name: models.WorkflowDocument})
	r.RegisterWorkflowWithOptions(workflows.Translation, workflow.RegisterOptions{Name: models.WorkflowTranslation})
	r.RegisterWorkflowWithOptions(workflows.Event, workflow.RegisterOptions{Name: models.WorkflowEvent})
	r.RegisterWorkflowWithOptions(workflows.WebhookDelivery, workflow.RegisterOptions{Name: models.WorkflowWebhookDelivery})
	r.RegisterActivity(acts)
}
