package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startAPIProcess runs `yizhi api` as a second API replica in its own
// process, on the same database and Temporal, and returns its base URL.
func (s *system) startAPIProcess() string {
	s.t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(s.t))
	cmd := exec.Command(yizhiBin, "api")
	cmd.Env = append(os.Environ(),
		"YIZHI_DATABASE_URL="+s.dbURL,
		"YIZHI_TEMPORAL_ADDRESS="+s.temporal,
		"YIZHI_HTTP_ADDR="+addr,
		"YIZHI_CACHE_REFRESH=100ms",
		"YIZHI_LOG_LEVEL=warn",
	)
	log := logFile(s.t, "api-replica.log")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start api replica: %v", err)
	}
	s.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	base := "http://" + addr
	s.eventually("the API replica answers /readyz", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}

// get reads path from base as u.
func (u *user) get(base, path string) response {
	u.s.t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		u.s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+u.token)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		u.s.t.Fatalf("GET %s%s: %v", base, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		u.s.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// metric reads one unlabelled sample from a process's /metrics.
func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestPortalCacheAcrossProcesses: a second API process serves portal
// reads from its cache; publications the worker process writes, and a
// withdrawal made through the first API, reach it through the feed.
func TestPortalCacheAcrossProcesses(t *testing.T) {
	s := startSystem(t)
	replica := s.startAPIProcess()
	cms := s.createUser("court-cms", []string{"source"}, nil)
	editor := s.createUser("editor", []string{"editor"}, nil)
	aygul := s.createUser("aygul", []string{"translator"}, map[string][]string{"translator": {"ug"}})
	erkin := s.createUser("erkin", []string{"reviewer"}, map[string][]string{"reviewer": {"ug"}})
	portal := s.createUser("court-portal", []string{"portal"}, nil)

	var doc createdDocument
	cms.must(http.StatusCreated, "POST", "/v1/documents", map[string]any{
		"external_id": "xj-cache-1", "court": "新疆维吾尔自治区乌鲁木齐市中级人民法院", "kind": "hearing_notice",
		"title": noticeTitle, "body": noticeBody, "targets": []string{"ug"},
	}, &doc)
	path := fmt.Sprintf("/v1/published/%d?lang=ug", doc.ID)

	// Before publication the replica serves the source, and caches it.
	var pub published
	portal.get(replica, path).decode(t, &pub)
	if !pub.Fallback {
		t.Fatalf("before publication: %+v", pub)
	}
	task := aygul.openTask(doc.ID, "translate")
	aygul.must(http.StatusOK, "POST", fmt.Sprintf("/v1/tasks/%d/claim", task), nil, nil)
	publish(t, aygul, erkin, task, uyghurDraft)

	// The worker process wrote the publication; the replica learns of it
	// from the feed.
	s.eventually("the replica serves the publication", func() bool {
		portal.get(replica, path).decode(t, &pub)
		return !pub.Fallback && pub.Version == 1
	})
	hits := metric(t, replica, "yizhi_portal_cache_hits_total")
	for range 20 {
		if r := portal.get(replica, path); r.Status != http.StatusOK {
			t.Fatalf("read from the replica: %d %s", r.Status, r.Body)
		}
	}
	if got := metric(t, replica, "yizhi_portal_cache_hits_total"); got < hits+20 {
		t.Fatalf("cache hits went from %v to %v over 20 reads", hits, got)
	}

	// A withdrawal through the other API process.
	editor.must(http.StatusOK, "POST", fmt.Sprintf("/v1/documents/%d/withdraw", doc.ID), map[string]any{
		"reason": "依申请撤回", "public_reason": "This notice has been withdrawn.",
	}, nil)
	s.eventually("the replica answers 410", func() bool {
		r := portal.get(replica, path)
		return r.Status == http.StatusGone && contains(r.Body, "This notice has been withdrawn.") && !contains(r.Body, uyghurDraft[0])
	})
}
