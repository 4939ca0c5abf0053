package workflows

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"yizhi/models"
)

// TestReplayRecordedHistories replays histories recorded from real runs on a
// Temporal dev server (see e2e recordHistory). A change to a workflow that
// would break running executions fails here; guard such changes with
// workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded histories in testdata/")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflowWithOptions(Document, workflow.RegisterOptions{Name: models.WorkflowDocument})
			replayer.RegisterWorkflowWithOptions(Translation, workflow.RegisterOptions{Name: models.WorkflowTranslation})
			replayer.RegisterWorkflowWithOptions(Event, workflow.RegisterOptions{Name: models.WorkflowEvent})
			replayer.RegisterWorkflowWithOptions(WebhookDelivery, workflow.RegisterOptions{Name: models.WorkflowWebhookDelivery})
			logger := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(logger, file))
		})
	}
}
