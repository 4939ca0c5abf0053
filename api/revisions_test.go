package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

// markPublished moves a job's read model to published, as the workflow's
// last projection would.
func (f *fixture) markPublished(docID int64, lang string, version int) models.TranslationJob {
	f.t.Helper()
	jobs, err := f.store.JobsByDocument(context.Background(), docID)
	require.NoError(f.t, err)
	for _, j := range jobs {
		if j.Lang == lang {
			_, err := f.store.ApplyProjection(context.Background(), models.Projection{
				JobID: j.ID, Revision: 5, JobState: models.JobPublished, Round: 2, PublishedVersion: version,
			})
			require.NoError(f.t, err)
			got, err := f.store.JobByID(context.Background(), j.ID)
			require.NoError(f.t, err)
			return *got
		}
	}
	f.t.Fatalf("document %d has no %s job", docID, lang)
	return models.TranslationJob{}
}

type documentBody struct {
	ID         int64
	Version    int
	Title      string
	Targets    []struct{ Lang string }
	Withdrawal *struct {
		Reason       string `json:"reason"`
		PublicReason string `json:"public_reason"`
	}
}

func TestReviseDocument(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	seedPublished(t, f.store, doc.ID, "ko")
	ko := f.markPublished(doc.ID, "ko", 1)
	path := fmt.Sprintf("/v1/documents/%d/revisions", doc.ID)
	revised := `{"title":"开庭公告（更正）","body":"本院定于2024年5月7日在第三法庭公开审理(2024)吉24民初7号案件。欢迎旁听。"}`

	f.expectError(f.request("portal", "POST", path, revised), 403, models.EFORBIDDEN)
	f.expectError(f.request("translator", "POST", path, revised), 403, models.EFORBIDDEN)
	f.expectError(f.request("cms", "POST", "/v1/documents/9999/revisions", revised), 404, models.ENOTFOUND)
	e := f.expectError(f.request("cms", "POST", path, `{"title":" "}`), 400, models.EINVALID)
	require.ElementsMatch(t, []any{"title", "body"}, e.Error.Details["missing"])
	f.expectError(f.request("cms", "POST", path, `{"title":"t","body":"b","deadline":"2020-01-01T00:00:00Z"}`), 400, models.EINVALID)
	f.expectError(f.request("cms", "POST", path, `{"title":"t","body":"b","deadline":"tomorrow"}`), 400, models.EINVALID)
	require.Empty(t, f.flows.revisions, "refused requests drive nothing")

	var got documentBody
	f.decode(f.request("cms", "POST", path, revised), http.StatusCreated, &got)
	require.Equal(t, 2, got.Version)
	require.Equal(t, "开庭公告（更正）", got.Title)

	// The published Korean translation starts a new run; the running
	// Mongolian one gets the Update.
	require.Len(t, f.flows.revisions, 2)
	byLang := map[string]revision{}
	for _, r := range f.flows.revisions {
		byLang[r.start.Lang] = r
	}
	k := byLang["ko"]
	require.True(t, k.ended)
	require.Equal(t, 2, k.rev.SourceVersion)
	require.Equal(t, 1, k.rev.OutdatedVersion)
	require.Equal(t, models.TranslationInput{
		DocumentID: doc.ID, JobID: ko.ID, Lang: "ko", SourceVersion: 2, Priority: models.PriorityNormal,
		Deadline: k.start.Deadline, Profile: models.ProfileFull, FirstRound: 3, BaseRevision: 5, Revised: true, OutdatedVersion: 1,
	}, k.start)
	require.WithinDuration(t, time.Now().Add(models.NormalWindow), k.start.Deadline, time.Minute)
	require.False(t, byLang["mn-Mong"].ended)

	// Portals still get the Korean version, marked outdated.
	var pub struct{ Outdated bool }
	f.decode(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID), ""), http.StatusOK, &pub)
	require.True(t, pub.Outdated)
	var feed struct {
		Items []struct {
			Event    string
			Lang     string
			Outdated bool
		}
		NextCursor string `json:"next_cursor"`
	}
	f.decode(f.request("portal", "GET", "/v1/published", ""), http.StatusOK, &feed)
	require.Len(t, feed.Items, 2)
	require.Equal(t, models.FeedOutdated, feed.Items[1].Event)

	// The changed sentence is flagged for the translator.
	segs, err := f.store.Segments(context.Background(), doc.ID, 2)
	require.NoError(t, err)
	require.True(t, segs[0].Changed, "the title says 更正 now")
	require.True(t, segs[1].Changed)
	require.False(t, segs[2].Changed, "欢迎旁听。 is the same sentence")

	// A retry of the same content creates nothing and drives again.
	f.decode(f.request("cms", "POST", path, revised), http.StatusOK, &got)
	require.Equal(t, 2, got.Version)
	require.Len(t, f.flows.revisions, 4)
	// An edit of version 1 arriving now is refused.
	f.expectError(f.request("cms", "POST", path, `{"title":"t","body":"b","base_version":1}`), 409, models.ECONFLICT)
}

func TestWithdrawDocument(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	seedPublished(t, f.store, doc.ID, "ko")
	f.markPublished(doc.ID, "ko", 1)
	path := fmt.Sprintf("/v1/documents/%d/withdraw", doc.ID)
	body := `{"reason":"涉及未成年人隐私，依当事人申请撤回","public_reason":"该公告已撤回。/ This notice has been withdrawn."}`

	f.expectError(f.request("cms", "POST", path, body), 403, models.EFORBIDDEN)
	e := f.expectError(f.request("editor", "POST", path, `{}`), 400, models.EINVALID)
	require.ElementsMatch(t, []any{"reason", "public_reason"}, e.Error.Details["missing"])
	f.expectError(f.request("editor", "POST", path, `{"reason":"x","public_reason":"`+strings.Repeat("撤", 2001)+`"}`), 400, models.EINVALID)
	f.expectError(f.request("editor", "POST", "/v1/documents/9999/withdraw", body), 404, models.ENOTFOUND)

	var got documentBody
	f.decode(f.request("editor", "POST", path, body), http.StatusOK, &got)
	require.NotNil(t, got.Withdrawal)
	require.Equal(t, "涉及未成年人隐私，依当事人申请撤回", got.Withdrawal.Reason)

	// Running work (Mongolian) is cancelled; the published language
	// (Korean) tells its subscribers.
	require.Len(t, f.flows.updates, 1)
	require.Equal(t, models.UpdateWithdraw, f.flows.updates[0].name)
	require.Equal(t, "mn-Mong", f.flows.updates[0].lang)
	require.Len(t, f.flows.events, 1)
	require.Equal(t, models.EventTranslationWithdrawn, f.flows.events[0].Type)
	require.Equal(t, "ko", f.flows.events[0].Lang)

	// Portals get 410 with the public wording, never the text or the
	// internal reason.
	for _, p := range []string{
		fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID),
		fmt.Sprintf("/v1/published/%d", doc.ID),
	} {
		resp := f.request("portal", "GET", p, "")
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusGone, resp.StatusCode)
		require.Contains(t, string(data), "This notice has been withdrawn.")
		require.NotContains(t, string(data), "개정 공고")
		require.NotContains(t, string(data), "未成年人")
	}
	f.expectError(f.request("", "POST", fmt.Sprintf("/v1/published/%d/ko/feedback", doc.ID), `{"text":"x"}`), 410, models.EGONE)
	f.expectError(f.request("cms", "POST", fmt.Sprintf("/v1/documents/%d/revisions", doc.ID), `{"title":"t","body":"b"}`), 410, models.EGONE)

	var feed struct {
		Items []map[string]any
	}
	f.decode(f.request("portal", "GET", "/v1/published", ""), http.StatusOK, &feed)
	require.Len(t, feed.Items, 2)
	last := feed.Items[1]
	require.Equal(t, "withdrawn", last["event"])
	require.Equal(t, true, last["withdrawn"])
	require.NotContains(t, last, "title")

	// The reason stays in the audit trail.
	resp := f.request("editor", "GET", fmt.Sprintf("/v1/audit?document_id=%d", doc.ID), "")
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Contains(t, string(data), "document.withdrawn")
	require.Contains(t, string(data), "未成年人隐私")

	// Again: nothing changes, the Updates and events are sent again for
	// whatever an interrupted request left undone.
	f.decode(f.request("editor", "POST", path, body), http.StatusOK, &got)
	f.decode(f.request("portal", "GET", "/v1/published", ""), http.StatusOK, &feed)
	require.Len(t, feed.Items, 2)
}
