package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

type auditPage struct {
	Items      []models.AuditEvent `json:"items"`
	NextCursor string              `json:"next_cursor"`
}

func (f *fixture) audit(query string) auditPage {
	f.t.Helper()
	var page auditPage
	f.decode(f.request("editor", "GET", "/v1/audit?"+query, ""), http.StatusOK, &page)
	return page
}

func actions(events []models.AuditEvent) []string {
	out := []string{}
	for _, ev := range events {
		out = append(out, ev.Action)
	}
	return out
}

func TestTermbaseAndMemoryChangesAreAuditedByAction(t *testing.T) {
	f := newFixture(t)
	var e models.GlossaryEntry
	f.decode(f.request("editor", "POST", "/v1/glossary",
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"Higher People's Court of Hebei Province"}`),
		http.StatusCreated, &e)
	path := fmt.Sprintf("/v1/glossary/%d", e.ID)
	f.decode(f.request("admin", "PUT", path,
		`{"target_lang":"en","term":"河北省高级人民法院","translation":"Higher People's Court of Hebei Province","status":"forbidden"}`),
		http.StatusOK, nil)
	f.decode(f.request("editor", "DELETE", path, ""), http.StatusNoContent, nil)
	f.decode(f.request("editor", "POST", "/v1/glossary/import", courtTBX, "Content-Type", "application/x-tbx+xml"), http.StatusOK, nil)
	f.decode(f.request("editor", "POST", "/v1/tm/import", courtTMX, "Content-Type", tmxType), http.StatusOK, nil)
	// Refused files leave no event.
	f.expectError(f.request("editor", "POST", "/v1/tm/import", strings.Replace(courtTMX, "</seg></tuv>", "</tuv>", 1),
		"Content-Type", tmxType), 400, models.EINVALID)
	f.expectError(f.request("editor", "POST", "/v1/glossary/import", strings.Replace(courtTBX, ">forbidden<", ">maybe<", 1),
		"Content-Type", "application/xml"), 400, models.EINVALID)

	glossary := f.audit("action=glossary.")
	require.Equal(t, []string{"glossary.created", "glossary.updated", "glossary.deleted", "glossary.imported"}, actions(glossary.Items))
	require.Empty(t, glossary.NextCursor)
	for i, actor := range []string{"editor", "admin", "editor", "editor"} {
		require.Equal(t, actor, glossary.Items[i].Actor)
		require.NotZero(t, glossary.Items[i].ActorID)
	}
	var change struct{ Before, After map[string]string }
	require.NoError(t, json.Unmarshal([]byte(glossary.Items[1].Details), &change))
	require.Equal(t, map[string]string{"status": "approved"}, change.Before)
	require.Equal(t, map[string]string{"status": "forbidden"}, change.After)
	var imported struct{ Created int }
	require.NoError(t, json.Unmarshal([]byte(glossary.Items[3].Details), &imported))
	require.Equal(t, 8, imported.Created)

	tm := f.audit("action=tm.imported")
	require.Len(t, tm.Items, 1)
	require.Equal(t, "editor", tm.Items[0].Actor)
	var counts struct {
		Imported          int `json:"imported"`
		SkippedDuplicates int `json:"skipped_duplicates"`
	}
	require.NoError(t, json.Unmarshal([]byte(tm.Items[0].Details), &counts))
	require.Equal(t, 3, counts.Imported)
	require.Empty(t, f.audit("action=glossary").Items, "without a dot, the name is exact")

	// Pages of two, oldest first, until the cursor runs out.
	var paged []models.AuditEvent
	query := "action=glossary.&limit=2"
	for range 3 {
		page := f.audit(query)
		paged = append(paged, page.Items...)
		if page.NextCursor == "" {
			break
		}
		query = "action=glossary.&limit=2&cursor=" + page.NextCursor
	}
	require.Equal(t, glossary.Items, paged)

	var verified struct{ OK bool }
	f.decode(f.request("editor", "GET", "/v1/audit/verify", ""), http.StatusOK, &verified)
	require.True(t, verified.OK)
}

func TestAuditDocumentTrailAndFilters(t *testing.T) {
	f := newFixture(t)
	var doc struct{ ID int64 }
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	f.decode(f.request("editor", "POST", "/v1/glossary", `{"target_lang":"en","term":"法院","translation":"court"}`),
		http.StatusCreated, nil)

	// A document's trail alone comes whole, without a cursor, as before.
	resp := f.request("editor", "GET", fmt.Sprintf("/v1/audit?document_id=%d", doc.ID), "")
	var whole map[string]json.RawMessage
	f.decode(resp, http.StatusOK, &whole)
	require.Contains(t, whole, "items")
	require.NotContains(t, whole, "next_cursor")
	var trail []models.AuditEvent
	require.NoError(t, json.Unmarshal(whole["items"], &trail))
	for _, ev := range trail {
		require.Equal(t, doc.ID, ev.DocumentID)
	}
	// The glossary change concerns no document.
	require.Empty(t, f.audit(fmt.Sprintf("document_id=%d&action=glossary.", doc.ID)).Items)
	page := f.audit(fmt.Sprintf("document_id=%d&limit=500", doc.ID))
	require.Equal(t, trail, page.Items)
	require.Empty(t, page.NextCursor)

	for _, query := range []string{
		"", "document_id=", "document_id=abc", "document_id=0", "action=", "action=Glossary.", "action=glossary..",
		"action=glossary.%25", "action=glossary._x.*", "action=" + strings.Repeat("a", 49),
		"action=glossary.&limit=0", "action=glossary.&limit=501", "action=glossary.&limit=x",
		"action=glossary.&cursor=bogus", "limit=10",
	} {
		t.Run(query, func(t *testing.T) {
			f.expectError(f.request("editor", "GET", "/v1/audit?"+query, ""), http.StatusBadRequest, models.EINVALID)
		})
	}
	f.expectError(f.request("editor", "GET", "/v1/audit?document_id=99999&action=glossary.", ""), http.StatusNotFound, models.ENOTFOUND)
	f.expectError(f.request("translator", "GET", "/v1/audit?action=glossary.", ""), http.StatusForbidden, models.EFORBIDDEN)
}
