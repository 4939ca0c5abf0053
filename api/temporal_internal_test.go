package api

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"yizhi/models"
)

// TestUpdateTimeoutsAskForARetry: an Update the SDK gave up waiting for
// may still be applied, so the caller is told to retry (with the same
// Idempotency-Key), never that something broke.
func TestUpdateTimeoutsAskForARetry(t *testing.T) {
	err := updateError(client.NewWorkflowUpdateServiceTimeoutOrCanceledError(errors.New("context deadline exceeded")))
	require.Equal(t, models.EUNAVAILABLE, models.ErrorCode(err))
}
