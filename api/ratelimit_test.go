package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

// TestPublicReadsAreRateLimited: the endpoints that need no token stop a
// single address that keeps asking, and say when to come back.
func TestPublicReadsAreRateLimited(t *testing.T) {
	f := newFixture(t)
	for i := range 60 {
		resp := f.request("", "GET", "/v1/languages", "")
		require.Equal(t, http.StatusOK, resp.StatusCode, "request %d", i+1)
	}
	resp := f.request("", "GET", "/openapi.json", "")
	require.Equal(t, "60", resp.Header.Get("Retry-After"))
	f.expectError(resp, http.StatusTooManyRequests, models.ERATELIMITED)
	// Signed-in callers are not held back by it.
	f.decode(f.request("portal", "GET", "/v1/published", ""), http.StatusOK, nil)
}

// TestErrorsAlwaysCarryDetails keeps the error shape whole even when there
// is nothing to add.
func TestErrorsAlwaysCarryDetails(t *testing.T) {
	f := newFixture(t)
	resp := f.request("portal", "GET", "/v1/published/999", "")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var body map[string]map[string]any
	require.NoError(t, json.Unmarshal(data, &body))
	require.Contains(t, body["error"], "details", "%s", data)
	require.Equal(t, map[string]any{}, body["error"]["details"])
}
