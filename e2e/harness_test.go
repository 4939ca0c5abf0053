// Package e2e runs the whole system: a Temporal dev server the test starts,
// MariaDB, the API in process and the worker as a separate process that the
// tests may kill.
package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	enums "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"yizhi/api"
	"yizhi/assist/mt"
	"yizhi/lang"
	"yizhi/store"
	"yizhi/store/storetest"
	"yizhi/ui"
)

// yizhiBin is the binary built once for every test in the package.
var yizhiBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "yizhi-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	yizhiBin = filepath.Join(dir, "yizhi")
	build := exec.Command("go", "build", "-o", yizhiBin, "../cmd/yizhi")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build yizhi:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// skipOrFail skips where a prerequisite is missing, except under CI, where
// a skipped end-to-end test would hide a broken pipeline.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("e2e prerequisite missing under CI: "+format, args...)
	}
	t.Skipf("e2e unavailable: "+format, args...)
}

// temporalBin finds the Temporal CLI that make builds into ./bin.
func temporalBin(t *testing.T) string {
	t.Helper()
	path := os.Getenv("YIZHI_TEMPORAL_BIN")
	if path == "" {
		path, _ = filepath.Abs("../bin/temporal")
	}
	if _, err := os.Stat(path); err != nil {
		skipOrFail(t, "no Temporal CLI at %s (run `make temporal`)", path)
	}
	return path
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// system is one running Yizhi with its own Temporal server and database.
type system struct {
	t          *testing.T
	temporal   string // host:port of the frontend
	dbURL      string
	store      *store.Store
	tc         client.Client
	api        *httptest.Server
	worker     *exec.Cmd
	workerLog  *os.File
	adminToken string
	mtConfig   string // path of the MT configuration the worker reads
}

func startSystem(t *testing.T) *system {
	t.Helper()
	bin := temporalBin(t)
	st, dbURL := storetest.OpenURL(t, "mysql")
	s := &system{t: t, store: st, dbURL: dbURL}

	// A free port can be taken by another process between freePort and
	// the server's bind; a server that dies at start gets a new one.
	for attempt := 1; ; attempt++ {
		err := s.startTemporal(bin)
		if err == nil {
			break
		}
		if attempt == 3 {
			t.Fatal(err)
		}
		t.Logf("temporal dev server, attempt %d: %v", attempt, err)
	}
	t.Cleanup(s.tc.Close)

	token, err := api.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	s.adminToken = token

	if _, err := st.EnsureAdmin(context.Background(), "admin", api.HashToken(token)); err != nil {
		t.Fatal(err)
	}
	// MT comes from a NiuTrans-speaking server, configured the way an
	// operator would: a YAML file named by YIZHI_MT_CONFIG.
	s.mtConfig = niutransConfig(t)
	mtCfg, err := mt.LoadConfig(s.mtConfig, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	engines, err := mt.NewEngines(mtCfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	router := mt.NewRouter(mtCfg, engines, nil)
	server := api.New(api.Options{
		Store: st, Workflows: api.TemporalWorkflows{Client: s.tc}, Languages: lang.NewRegistry(),
		MTEngines: router.Engines,
	})
	// The same mux as the binary's: the workbench under /ui/, the API
	// everywhere else.
	workbench := ui.New(ui.Options{API: server, Languages: lang.NewRegistry(), SessionKey: []byte(token)})
	s.api = httptest.NewServer(ui.Mount(server, workbench))
	t.Cleanup(s.api.Close)
	watch, stopWatching := context.WithCancel(context.Background())
	t.Cleanup(stopWatching)
	go func() { _ = server.WatchChanges(watch, 100*time.Millisecond) }()
	s.startWorker()
	t.Cleanup(func() { s.killWorker() })
	return s
}

// startTemporal starts a dev server on a free port and waits until it
// answers; an error means it exited or never came up.
func (s *system) startTemporal(bin string) error {
	t := s.t
	port := freePort(t)
	s.temporal = fmt.Sprintf("127.0.0.1:%d", port)
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	srv := exec.Command(bin, "server", "start-dev", "--headless", "--ip", "127.0.0.1",
		"--port", fmt.Sprint(port), "--db-filename", dbFile, "--log-level", "error",
		// As scripts/dev.sh and scripts/temporal-dynamicconfig.yaml run it.
		"--dynamic-config-value", "system.enableActivityEagerExecution=true")
	srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Logs go to files: a bytes.Buffer would be written by exec's copying
	// goroutine while the test reads it.
	srvLog := logFile(t, fmt.Sprintf("temporal-%d.log", port))
	srv.Stdout, srv.Stderr = srvLog, srvLog
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start temporal dev server: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = srv.Wait(); close(exited) }()
	stop := func() {
		_ = syscall.Kill(-srv.Process.Pid, syscall.SIGTERM)
		<-exited
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: s.temporal})
		if err == nil {
			if _, err = c.CheckHealth(ctx, &client.CheckHealthRequest{}); err == nil {
				s.tc = c
				t.Cleanup(stop)
				return nil
			}
			c.Close()
		}
		select {
		case <-exited:
			return fmt.Errorf("temporal dev server exited at start:\n%s", readFile(srvLog.Name()))
		case <-ctx.Done():
			stop()
			return fmt.Errorf("temporal dev server did not come up: %v\n%s", err, readFile(srvLog.Name()))
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// startWorker runs `yizhi worker` as its own process, as in production.
func (s *system) startWorker() {
	s.t.Helper()
	cmd := exec.Command(yizhiBin, "worker")
	cmd.Env = append(os.Environ(),
		"YIZHI_DATABASE_URL="+s.dbURL,
		"YIZHI_TEMPORAL_ADDRESS="+s.temporal,
		"YIZHI_LOG_LEVEL=warn",
		"YIZHI_MT_CONFIG="+s.mtConfig,
	)
	s.workerLog = logFile(s.t, "worker.log")
	cmd.Stdout, cmd.Stderr = s.workerLog, s.workerLog
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start worker: %v", err)
	}
	s.worker = cmd
}

// killWorker kills the worker without warning, as a crash would.
func (s *system) killWorker() {
	if s.worker == nil {
		return
	}
	_ = s.worker.Process.Kill()
	_ = s.worker.Wait()
	s.worker = nil
}

// user is an API caller with a token.
type user struct {
	s     *system
	ID    int64
	Name  string
	token string
}

func (s *system) admin() *user { return &user{s: s, Name: "admin", token: s.adminToken} }

// createUser makes a user through the API, as an admin would.
func (s *system) createUser(name string, roles []string, competences map[string][]string) *user {
	s.t.Helper()
	var comps []map[string]string
	for role, langs := range competences {
		for _, l := range langs {
			comps = append(comps, map[string]string{"role": role, "lang": l})
		}
	}
	var out struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	s.admin().must(http.StatusCreated, "POST", "/v1/users", map[string]any{
		"name": name, "roles": roles, "competences": comps,
	}, &out)
	if out.Token == "" {
		s.t.Fatalf("no token for %s", name)
	}
	return &user{s: s, ID: out.ID, Name: name, token: out.Token}
}

// response is what one request got back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorCode returns the code of an error-shaped body.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	r.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not the error shape: %s", r.Body)
	}
	return e.Error.Code
}

func (u *user) do(method, path string, body any, headers ...string) response {
	u.s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			u.s.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u.s.api.URL+path, rd)
	if err != nil {
		u.s.t.Fatal(err)
	}
	if u.token != "" {
		req.Header.Set("Authorization", "Bearer "+u.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{Timeout: 2 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		u.s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		u.s.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// must does a request that has to answer want, decoding the body into out.
func (u *user) must(want int, method, path string, body any, out any) response {
	u.s.t.Helper()
	r := u.do(method, path, body)
	if r.Status != want {
		u.s.t.Fatalf("%s %s as %s: got %d, want %d: %s", method, path, u.Name, r.Status, want, r.Body)
	}
	if out != nil {
		r.decode(u.s.t, out)
	}
	return r
}

// eventually polls cond until it holds, failing after a generous bound.
// The bound is a safety net, not a performance assertion.
func (s *system) eventually(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("gave up waiting for %s; worker log:\n%s", what, readFile(s.workerLog.Name()))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func contains(body []byte, texts ...string) bool {
	for _, t := range texts {
		if strings.Contains(string(body), t) {
			return true
		}
	}
	return false
}

func logFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(t.TempDir(), name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func decodeBody(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}

// recordHistory saves a workflow's history as JSON for the replay tests in
// workflows/testdata, when YIZHI_RECORD_HISTORIES names that directory:
//
//	YIZHI_RECORD_HISTORIES=$PWD/workflows/testdata go test ./e2e
func (s *system) recordHistory(workflowID, name string) {
	s.t.Helper()
	s.recordRun(workflowID, "", name)
}

// recordDir is where histories are recorded, "" when they are not.
func (s *system) recordDir() string { return os.Getenv("YIZHI_RECORD_HISTORIES") }

// recordRun saves one run's history; runID "" is the current run.
func (s *system) recordRun(workflowID, runID, name string) {
	s.t.Helper()
	dir := s.recordDir()
	if dir == "" {
		return
	}
	var events []*historypb.HistoryEvent
	iter := s.tc.GetWorkflowHistory(context.Background(), workflowID, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			s.t.Fatalf("history of %s: %v", workflowID, err)
		}
		events = append(events, ev)
	}
	data, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&historypb.History{Events: events})
	if err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), data, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// niutransConfig starts a server that answers like NiuTrans, for Tibetan
// only (to=ti), and writes an MT configuration that points at it.
func niutransConfig(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/NiuTransServer/translation" || r.ParseForm() != nil {
			http.NotFound(w, r)
			return
		}
		if r.Form.Get("to") != "ti" {
			_ = json.NewEncoder(w).Encode(map[string]string{"error_code": "13007", "error_msg": "unsupported language"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"tgt_text": niutransTibetan(r.Form.Get("src_text"))})
	}))
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "mt.yaml")
	config := "engines:\n  - name: niutrans\n    kind: niutrans\n    endpoint: " + srv.URL + "\n    api_key: e2e\nroutes:\n  \"zh-Hans>bo\": [niutrans]\n  \"*\": []\n"
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// niutransTibetan is the engine's Tibetan: a fixed sentence that keeps the
// source's numbers, as a real engine would.
func niutransTibetan(src string) string {
	return "ཁྲིམས་ཁང་གིས་གསལ་བསྒྲགས་འདི་སྤེལ། " + strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, src)
}

// exec runs SQL on the system's database directly, behind the API's back.
func (s *system) exec(query string, args ...any) {
	s.t.Helper()
	db, err := sql.Open("mysql", strings.TrimPrefix(s.dbURL, "mysql://"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
}
