package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"yizhi/api"
	"yizhi/models"
	"yizhi/store"
)

type publishedBody struct {
	Lang          string `json:"lang"`
	Title         string `json:"title"`
	Body          string `json:"body"`
	Version       int    `json:"version"`
	SourceVersion int    `json:"source_version"`
	Outdated      bool   `json:"outdated"`
	Fallback      bool   `json:"fallback"`
}

// publishKorean writes the next Korean version straight to the database,
// as a worker in another process does.
func (f *fixture) publishKorean(docID int64, body string) *models.PublishedVersion {
	f.t.Helper()
	ctx := context.Background()
	jobs, err := f.store.JobsByDocument(ctx, docID)
	require.NoError(f.t, err)
	for _, j := range jobs {
		if j.Lang == "ko" {
			latest, err := f.store.LatestPublished(ctx, docID)
			require.NoError(f.t, err)
			task := &models.Task{JobID: j.ID, Kind: models.TaskReview, Round: 100 + len(latest), State: models.TaskClaimed}
			for _, pv := range latest {
				task.Round += pv.Version // a fresh approving task per version
			}
			require.NoError(f.t, f.store.CreateTask(ctx, task))
			pv, err := f.store.Publish(ctx, &models.PublishedVersion{JobID: j.ID, ReviewTaskID: task.ID,
				Title: "공고", Body: body, ContentHash: models.ContentHash("ko", body)}, nil)
			require.NoError(f.t, err)
			return pv
		}
	}
	f.t.Fatal("no Korean job")
	return nil
}

func (f *fixture) readKorean(docID int64, query string) (publishedBody, *http.Response) {
	f.t.Helper()
	resp := f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko%s", docID, query), "")
	var out publishedBody
	f.decode(resp, http.StatusOK, &out)
	return out, resp
}

// TestPortalCacheFollowsTheFeed: reads are served from memory, and a
// publication, revision or withdrawal by another process reaches them
// at the next refresh.
func TestPortalCacheFollowsTheFeed(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	var other documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", `{"external_id":"yb-2024-002","court":"延边中院","kind":"announcement","title":"公告","body":"公告正文。","targets":["ko"]}`), http.StatusCreated, &other)

	f.publishKorean(doc.ID, "본원은 5월 6일에 심리한다.")
	got, resp := f.readKorean(doc.ID, "")
	require.Equal(t, 1, got.Version)
	require.Equal(t, "public, max-age=60, stale-while-revalidate=30", resp.Header.Get("Cache-Control"))
	src, _ := f.readKorean(other.ID, "")
	require.True(t, src.Fallback)

	// Another process publishes version 2 and revises the other
	// document: until the cache refreshes, it answers from memory.
	f.publishKorean(doc.ID, "본원은 5월 7일에 심리한다.")
	_, _, err := f.store.ReviseDocument(context.Background(), store.Revision{DocumentID: other.ID,
		Source:   &models.SourceVersion{Title: "公告", Body: "公告正文（修订）。", ContentHash: "v2"},
		Segments: []models.Segment{{Index: 0, Text: "公告", Hash: "a"}, {Index: 1, Text: "公告正文（修订）。", Hash: "b"}}},
		&models.User{ID: 1, Name: "cms"})
	require.NoError(t, err)
	got, _ = f.readKorean(doc.ID, "")
	require.Equal(t, 1, got.Version, "served from the cache")

	require.NoError(t, f.api.RefreshCache(context.Background()))
	got, _ = f.readKorean(doc.ID, "")
	require.Equal(t, 2, got.Version)
	require.Equal(t, "본원은 5월 7일에 심리한다.", got.Body)
	src, _ = f.readKorean(other.ID, "")
	require.Equal(t, "公告正文（修订）。", src.Body)
	require.Equal(t, 2, src.Version)

	// A withdrawal by another API replica.
	_, _, err = f.store.WithdrawDocument(context.Background(), store.Withdrawal{DocumentID: doc.ID, Reason: "r", PublicReason: "已撤回"}, &models.User{ID: 1, Name: "editor"})
	require.NoError(t, err)
	require.NoError(t, f.api.RefreshCache(context.Background()))
	resp = f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID), "")
	f.expectError(resp, http.StatusGone, models.EGONE)
	require.Equal(t, "public, max-age=300", resp.Header.Get("Cache-Control"))
}

// TestPortalReadsDuringRefreshes reads concurrently while publications
// land and the cache refreshes, for the race detector; every answer is a
// version that was published, never older than one already seen by the
// same reader after a refresh it waited for.
func TestPortalReadsDuringRefreshes(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	f.publishKorean(doc.ID, "v1")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 8)
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/published/%d?lang=ko", f.srv.URL, doc.ID), nil)
				req.Header.Set("Authorization", "Bearer "+f.tokens["portal"])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
	}
	for i := 2; i <= 20; i++ {
		f.publishKorean(doc.ID, fmt.Sprintf("v%d", i))
		require.NoError(t, f.api.RefreshCache(context.Background()))
		got, _ := f.readKorean(doc.ID, "")
		require.Equal(t, i, got.Version)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestPublishedVersions(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	v1 := f.publishKorean(doc.ID, "첫 번째 번역")
	f.publishKorean(doc.ID, "두 번째 번역")
	path := fmt.Sprintf("/v1/published/%d/versions", doc.ID)

	var history struct {
		SourceVersion int `json:"source_version"`
		Items         []struct {
			Lang     string `json:"lang"`
			Version  int    `json:"version"`
			ETag     string `json:"etag"`
			Outdated bool   `json:"outdated"`
			Current  bool   `json:"current"`
		} `json:"items"`
	}
	f.decode(f.request("portal", "GET", path, ""), http.StatusOK, &history)
	require.Len(t, history.Items, 2)
	require.Equal(t, 1, history.Items[0].Version)
	require.True(t, history.Items[0].Outdated, "a newer version exists")
	require.False(t, history.Items[0].Current)
	require.True(t, history.Items[1].Current)
	f.decode(f.request("portal", "GET", path+"?lang=ug", ""), http.StatusOK, &history)
	require.Empty(t, history.Items)
	f.expectError(f.request("portal", "GET", path+"?lang=zz-Fake", ""), 400, models.EINVALID)
	f.expectError(f.request("translator", "GET", path, ""), 403, models.EFORBIDDEN)
	f.expectError(f.request("portal", "GET", "/v1/published/999/versions", ""), 404, models.ENOTFOUND)

	// What was published when: version 1, immutable.
	old, resp := f.readKorean(doc.ID, "&version=1")
	require.Equal(t, "첫 번째 번역", old.Body)
	require.True(t, old.Outdated)
	require.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"))
	etag := resp.Header.Get("ETag")
	require.Equal(t, `"`+v1.ContentHash[:32]+`"`, etag)
	resp = f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko&version=1", doc.ID), "", "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, resp.StatusCode)
	// The source's versions are reachable the same way.
	src := f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=zh-Hans&version=1", doc.ID), "")
	var srcBody publishedBody
	f.decode(src, http.StatusOK, &srcBody)
	require.Equal(t, "开庭公告", srcBody.Title)

	f.expectError(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko&version=3", doc.ID), ""), 404, models.ENOTFOUND)
	for _, bad := range []string{"0", "-1", "x"} {
		f.expectError(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko&version=%s", doc.ID, bad), ""), 400, models.EINVALID)
	}
	f.decode(f.request("editor", "POST", fmt.Sprintf("/v1/documents/%d/withdraw", doc.ID), `{"reason":"r","public_reason":"已撤回"}`), http.StatusOK, nil)
	f.expectError(f.request("portal", "GET", path, ""), 410, models.EGONE)
	f.expectError(f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko&version=1", doc.ID), ""), 410, models.EGONE)
}

func TestPortalCORS(t *testing.T) {
	f := newFixtureWith(t, func(o *api.Options) { o.CORSOrigins = []string{"https://www.xjcourt.gov.cn"} })
	preflight := func(origin, path string) *http.Response {
		return f.request("", "OPTIONS", path, "", "Origin", origin,
			"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "Authorization, If-None-Match")
	}
	resp := preflight("https://www.xjcourt.gov.cn", "/v1/published/1")
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Equal(t, "https://www.xjcourt.gov.cn", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, resp.Header.Get("Access-Control-Allow-Headers"), "Authorization")

	resp = preflight("https://evil.example", "/v1/published/1")
	require.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	resp = preflight("https://www.xjcourt.gov.cn", "/v1/users")
	require.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), "only the portal endpoints")

	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	resp = f.request("portal", "GET", fmt.Sprintf("/v1/published/%d", doc.ID), "", "Origin", "https://www.xjcourt.gov.cn")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "https://www.xjcourt.gov.cn", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, strings.ToLower(resp.Header.Get("Access-Control-Expose-Headers")), "etag")
}

// TestFeedPagingWhilePublishing follows next_cursor while publications
// commit concurrently: every publication appears exactly once, and each
// language's versions in order.
func TestFeedPagingWhilePublishing(t *testing.T) {
	f := newFixture(t)
	const docs, perDoc = 5, 12
	var ids []int64
	for i := range docs {
		var doc documentBody
		f.decode(f.request("cms", "POST", "/v1/documents", fmt.Sprintf(
			`{"external_id":"feed-%d","court":"延边中院","kind":"announcement","title":"公告 %d","body":"公告正文。","targets":["ko"]}`, i, i)),
			http.StatusCreated, &doc)
		ids = append(ids, doc.ID)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			for i := range perDoc {
				f.publishKorean(id, fmt.Sprintf("판 %d", i))
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	type seenItem struct {
		doc     int64
		version int
	}
	var seen []seenItem
	cursor := ""
	page := func() int {
		var out struct {
			Items []struct {
				DocumentID int64 `json:"document_id"`
				Version    int   `json:"version"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		f.decode(f.request("portal", "GET", "/v1/published?limit=5&cursor="+cursor, ""), http.StatusOK, &out)
		for _, it := range out.Items {
			seen = append(seen, seenItem{it.DocumentID, it.Version})
		}
		require.NotEmpty(t, out.NextCursor)
		cursor = out.NextCursor
		return len(out.Items)
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		for page() == 5 {
		}
	}
	require.Len(t, seen, docs*perDoc)
	last := map[int64]int{}
	for _, it := range seen {
		require.Equal(t, last[it.doc]+1, it.version, "document %d: versions in order, none skipped or repeated", it.doc)
		last[it.doc] = it.version
	}
}

// A long answer still goes out with its length, not in chunks: CDNs and
// portals' HTTP clients handle a known length best.
func TestPortalAnswerHasContentLength(t *testing.T) {
	f := newFixture(t)
	var doc documentBody
	f.decode(f.request("cms", "POST", "/v1/documents", hearing), http.StatusCreated, &doc)
	f.publishKorean(doc.ID, strings.Repeat("본원은 2024년 5월 6일 제3법정에서 심리한다. ", 100))
	resp := f.request("portal", "GET", fmt.Sprintf("/v1/published/%d?lang=ko", doc.ID), "")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Greater(t, len(body), 4096)
	require.Equal(t, int64(len(body)), resp.ContentLength)
	require.Empty(t, resp.TransferEncoding)
}
