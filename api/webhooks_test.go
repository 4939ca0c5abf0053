package api_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

type webhookJSON struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Active      bool      `json:"active"`
	Description string    `json:"description"`
	Secret      string    `json:"secret"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func TestWebhookSubscriptions(t *testing.T) {
	f := newFixture(t)
	var created webhookJSON
	f.decode(f.request("editor", "POST", "/v1/webhooks",
		`{"url":"https://portal.court.gov.cn/hooks/yizhi?src=1","events":["translation.published","task.overdue","translation.published"],"description":"维吾尔文门户"}`),
		http.StatusCreated, &created)
	require.NotZero(t, created.ID)
	require.True(t, created.Active)
	require.Equal(t, []string{"task.overdue", "translation.published"}, created.Events, "sorted, without repeats")
	require.Equal(t, "维吾尔文门户", created.Description)
	// The secret is shown once, in the Standard Webhooks form.
	key, ok := strings.CutPrefix(created.Secret, "whsec_")
	require.True(t, ok, created.Secret)
	raw, err := base64.StdEncoding.DecodeString(key)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(raw), 24)
	stored, err := f.store.WebhookByID(t.Context(), created.ID)
	require.NoError(t, err)
	require.Equal(t, created.Secret, stored.Secret)

	var second webhookJSON
	f.decode(f.request("admin", "POST", "/v1/webhooks", `{"url":"http://10.1.2.3:8080/in","events":["feedback.received"]}`), http.StatusCreated, &second)
	require.NotEqual(t, created.Secret, second.Secret)

	path := fmt.Sprintf("/v1/webhooks/%d", created.ID)
	for _, p := range []string{path, "/v1/webhooks"} {
		resp := f.request("editor", "GET", p, "")
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
		require.NotContains(t, string(data), "secret")
		require.NotContains(t, string(data), created.Secret[6:])
	}
	var list struct {
		Items      []webhookJSON `json:"items"`
		NextCursor string        `json:"next_cursor"`
	}
	f.decode(f.request("editor", "GET", "/v1/webhooks?limit=1", ""), http.StatusOK, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, created.ID, list.Items[0].ID)
	f.decode(f.request("editor", "GET", "/v1/webhooks?limit=1&cursor="+list.NextCursor, ""), http.StatusOK, &list)
	require.Equal(t, second.ID, list.Items[0].ID)

	// A PUT replaces; it can switch the subscription off and keeps the
	// secret.
	var updated webhookJSON
	f.decode(f.request("editor", "PUT", path, `{"url":"https://portal.court.gov.cn/v2","events":["translation.withdrawn"],"active":false}`),
		http.StatusOK, &updated)
	require.Equal(t, created.ID, updated.ID)
	require.False(t, updated.Active)
	require.Equal(t, []string{"translation.withdrawn"}, updated.Events)
	require.Empty(t, updated.Description)
	require.Empty(t, updated.Secret)
	require.True(t, updated.CreatedAt.Equal(created.CreatedAt))
	stored, err = f.store.WebhookByID(t.Context(), created.ID)
	require.NoError(t, err)
	require.Equal(t, created.Secret, stored.Secret)
	// Leaving active out turns it back on, as for a new subscription.
	f.decode(f.request("editor", "PUT", path, `{"url":"https://portal.court.gov.cn/v2","events":["translation.withdrawn"]}`), http.StatusOK, &updated)
	require.True(t, updated.Active)

	resp := f.request("editor", "DELETE", path, "")
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	f.expectError(f.request("editor", "GET", path, ""), 404, models.ENOTFOUND)
	f.expectError(f.request("editor", "DELETE", path, ""), 404, models.ENOTFOUND)
}

func TestWebhookBadInput(t *testing.T) {
	f := newFixture(t)
	var w webhookJSON
	f.decode(f.request("editor", "POST", "/v1/webhooks", `{"url":"https://a.example/","events":["task.overdue"]}`), http.StatusCreated, &w)
	path := fmt.Sprintf("/v1/webhooks/%d", w.ID)

	cases := []struct {
		name, body string
		check      func(apiError)
	}{
		{"malformed JSON", `{"url":`, nil},
		{"unknown field", `{"url":"https://a.example/","events":["task.overdue"],"secret":"whsec_mine"}`, func(e apiError) {
			require.Equal(t, "secret", e.Error.Details["field"])
		}},
		{"missing fields", `{"description":"x"}`, func(e apiError) {
			require.ElementsMatch(t, []any{"url", "events"}, e.Error.Details["missing"])
		}},
		{"empty events", `{"url":"https://a.example/","events":[]}`, func(e apiError) {
			require.Equal(t, []any{"events"}, e.Error.Details["missing"])
		}},
		{"unknown events", `{"url":"https://a.example/","events":["task.overdue","translation.finished","doc.created"]}`, func(e apiError) {
			require.Contains(t, e.Error.Message, "translation.finished")
			require.Equal(t, []any{"translation.finished", "doc.created"}, e.Error.Details["unknown"])
			require.Contains(t, e.Error.Details["supported"], "translation.published")
		}},
		{"relative URL", `{"url":"/hooks","events":["task.overdue"]}`, nil},
		{"no host", `{"url":"https:///hooks","events":["task.overdue"]}`, nil},
		{"ftp URL", `{"url":"ftp://a.example/","events":["task.overdue"]}`, nil},
		{"javascript URL", `{"url":"javascript:alert(1)","events":["task.overdue"]}`, nil},
		{"userinfo", `{"url":"https://user:pass@a.example/","events":["task.overdue"]}`, func(e apiError) {
			require.Equal(t, "url", e.Error.Details["field"])
		}},
		{"unparseable URL", `{"url":"https://a.example/%zz","events":["task.overdue"]}`, nil},
		{"fragment", `{"url":"https://a.example/#x","events":["task.overdue"]}`, nil},
		{"URL too long", `{"url":"https://a.example/` + strings.Repeat("a", 2100) + `","events":["task.overdue"]}`, nil},
		{"description too long", `{"url":"https://a.example/","events":["task.overdue"],"description":"` + strings.Repeat("说", 90) + `"}`, nil},
		{"events not a list", `{"url":"https://a.example/","events":"task.overdue"}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, req := range []struct{ method, path string }{{"POST", "/v1/webhooks"}, {"PUT", path}} {
				e := f.expectError(f.request("editor", req.method, req.path, tc.body), 400, models.EINVALID)
				if tc.check != nil {
					tc.check(e)
				}
			}
		})
	}
	subs, err := f.store.ListWebhooks(t.Context(), 0, 0)
	require.NoError(t, err)
	require.Len(t, subs, 1, "bad input left a subscription behind")
	require.Equal(t, "https://a.example/", subs[0].URL, "bad input changed the subscription")

	for _, p := range []string{"/v1/webhooks/999", "/v1/webhooks/abc", "/v1/webhooks/999/deliveries", "/v1/webhooks/0/deliveries"} {
		f.expectError(f.request("editor", "GET", p, ""), 404, models.ENOTFOUND)
	}
	f.expectError(f.request("editor", "PUT", "/v1/webhooks/999", `{"url":"https://a.example/","events":["task.overdue"]}`), 404, models.ENOTFOUND)
	f.expectError(f.request("editor", "DELETE", "/v1/webhooks/999", ""), 404, models.ENOTFOUND)
	f.expectError(f.request("editor", "GET", "/v1/webhooks?cursor=nope", ""), 400, models.EINVALID)
	f.expectError(f.request("editor", "GET", path+"/deliveries?limit=0", ""), 400, models.EINVALID)

	for _, who := range []string{"translator", "portal", "cms"} {
		f.expectError(f.request(who, "GET", "/v1/webhooks", ""), 403, models.EFORBIDDEN)
		f.expectError(f.request(who, "POST", "/v1/webhooks", `{"url":"https://b.example/","events":["task.overdue"]}`), 403, models.EFORBIDDEN)
		f.expectError(f.request(who, "GET", path+"/deliveries", ""), 403, models.EFORBIDDEN)
	}
	f.expectError(f.request("nobody", "GET", "/v1/webhooks", ""), 401, models.EUNAUTHORIZED)
}

func TestWebhookDeliveriesLog(t *testing.T) {
	f := newFixture(t)
	var w webhookJSON
	f.decode(f.request("editor", "POST", "/v1/webhooks", `{"url":"https://a.example/","events":["translation.published"]}`), http.StatusCreated, &w)
	for i := 1; i <= 3; i++ {
		d := &models.WebhookDelivery{SubscriptionID: w.ID, MessageID: "msg_translation_7_ug_v1", EventType: models.EventTranslationPublished,
			Attempt: i, StatusCode: 500, Error: "下游故障", DurationMS: 40}
		if i == 3 {
			d.StatusCode, d.Error, d.Succeeded = 204, "", true
		}
		require.NoError(t, f.store.AddWebhookDelivery(t.Context(), d))
	}
	path := fmt.Sprintf("/v1/webhooks/%d/deliveries", w.ID)
	var page struct {
		Items []struct {
			ID          int64     `json:"id"`
			MessageID   string    `json:"message_id"`
			EventType   string    `json:"event_type"`
			Attempt     int       `json:"attempt"`
			StatusCode  int       `json:"status_code"`
			Error       string    `json:"error"`
			Succeeded   bool      `json:"succeeded"`
			DurationMS  int       `json:"duration_ms"`
			AttemptedAt time.Time `json:"attempted_at"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	f.decode(f.request("editor", "GET", path+"?limit=2", ""), http.StatusOK, &page)
	require.Len(t, page.Items, 2)
	require.Equal(t, 3, page.Items[0].Attempt, "newest first")
	require.True(t, page.Items[0].Succeeded)
	require.Equal(t, 204, page.Items[0].StatusCode)
	require.Equal(t, "下游故障", page.Items[1].Error)
	require.Equal(t, "msg_translation_7_ug_v1", page.Items[1].MessageID)
	require.False(t, page.Items[1].AttemptedAt.IsZero())
	require.NotEmpty(t, page.NextCursor)
	f.decode(f.request("admin", "GET", path+"?limit=2&cursor="+page.NextCursor, ""), http.StatusOK, &page)
	require.Len(t, page.Items, 1)
	require.Equal(t, 1, page.Items[0].Attempt)
	require.Empty(t, page.NextCursor)
}
