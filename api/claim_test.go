package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

// TestClaimOfAHeldTaskIsRefusedWithoutTheWorkflow: under contention most
// claims lose; the read model answers those, and only claims that may win
// reach the workflow.
func TestClaimOfAHeldTaskIsRefusedWithoutTheWorkflow(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents",
		`{"external_id":"claim-1","court":"新疆高院","kind":"announcement","title":"公告","body":"公告正文。","targets":["ug"]}`), http.StatusCreated, &doc)
	ctx := context.Background()
	jobs, err := f.store.JobsByDocument(ctx, doc.ID)
	require.NoError(t, err)
	task := &models.Task{JobID: jobs[0].ID, Kind: models.TaskTranslate, Round: 1}
	require.NoError(t, f.store.CreateTask(ctx, task))
	project := func(rev int64, lease time.Time) {
		_, err := f.store.ApplyProjection(ctx, models.Projection{JobID: jobs[0].ID, Revision: rev, JobState: models.JobTranslating, Round: 1,
			Task: models.TaskView{ID: task.ID, Kind: models.TaskTranslate, State: models.TaskClaimed, Round: 1, ClaimantID: 424242, LeaseExpiresAt: lease}})
		require.NoError(t, err)
	}
	path := fmt.Sprintf("/v1/tasks/%d/claim", task.ID)

	project(1, time.Now().Add(time.Hour))
	f.expectError(f.request("translator", "POST", path, ""), http.StatusConflict, models.ECONFLICT)
	require.Empty(t, f.flows.updates, "decided from the read model")

	// A lease that ran out may not have been projected yet: the workflow
	// decides.
	project(2, time.Now().Add(-time.Minute))
	f.decode(f.request("translator", "POST", path, ""), http.StatusOK, nil)
	require.Len(t, f.flows.updates, 1)
	require.Equal(t, models.UpdateClaim, f.flows.updates[0].name)
}
