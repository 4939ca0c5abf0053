package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"golang.org/x/sync/errgroup"

	"yizhi/api"
	"yizhi/models"
	"yizhi/store"
)

// claimsLang is the one language every task of the bench is in, and the
// one competence every translator has.
const claimsLang = "ug"

const (
	// claimsIntakeParallel is how many intake requests are in flight; the
	// intake is setup, not what is measured.
	claimsIntakeParallel = 8
	// claimsMaxTries bounds the retries of one claim whose outcome is
	// unknown (5xx or no answer). With the same Idempotency-Key every
	// try is the same workflow Update, so a retry cannot claim twice.
	claimsMaxTries = 20
	// claimsPatience bounds one race and its checks, and claimsStall the
	// time intake may go without a single task opening. Both are safety
	// nets that turn a hang into an error, not measurements.
	claimsPatience = 5 * time.Minute
	claimsStall    = 2 * time.Minute
	// claimsCheckParallel is how many state queries the verification runs
	// at once.
	claimsCheckParallel = 8
	// claimsRelistPause is how long a translator who has tried every task
	// on the list waits before reading it again.
	claimsRelistPause = 100 * time.Millisecond
	// claimsMaxProblemsShown keeps a badly broken run's report readable.
	claimsMaxProblemsShown = 20
)

type claimsBench struct {
	translators  int
	tasks        int
	baseline     int
	phases       string
	listLimit    int
	restartAfter time.Duration
	mysql        string
	temporalBin  string
}

// runClaimsBench races translators for open tasks through the HTTP API, with
// the worker in its own process, and checks every claim against the
// workflows' own state and the read model. The baseline is one translator
// claiming tasks one after another, measured first in the same run.
func runClaimsBench(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench claims", flag.ContinueOnError)
	b := claimsBench{}
	fs.IntVar(&b.translators, "translators", 100, "translators racing, one goroutine each")
	fs.IntVar(&b.tasks, "tasks", 1000, "open translate tasks each race is for")
	fs.IntVar(&b.baseline, "baseline", 100, "tasks one translator claims one after another for the baseline")
	fs.StringVar(&b.phases, "phases", "both", "race (steady), crash (the worker is killed halfway and restarted) or both")
	fs.IntVar(&b.listLimit, "list", 100, "tasks per list request, 1 to 500 (100 is the API's default page)")
	fs.DurationVar(&b.restartAfter, "restart-after", time.Second, "how long the killed worker stays down")
	fs.StringVar(&b.mysql, "mysql", benchMySQLServer,
		"MySQL or MariaDB server, a Go DSN without a database; the bench creates yizhi_bench_claims_<pid> on it and drops it at the end")
	fs.StringVar(&b.temporalBin, "temporal", "bin/temporal", "Temporal CLI to run the dev server with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if b.translators < 1 || b.tasks < 1 || b.baseline < 1 || b.listLimit < 1 || b.listLimit > 500 || b.restartAfter < 0 {
		return errors.New("bench claims: -translators, -tasks and -baseline must be positive, -list from 1 to 500")
	}
	if b.phases != "race" && b.phases != "crash" && b.phases != "both" {
		return fmt.Errorf("bench claims: -phases is race, crash or both, not %q", b.phases)
	}
	began := time.Now()
	sys, err := startClaimsSystem(ctx, cfg, log, b)
	if sys != nil {
		defer sys.close()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "claims: %d translators race for %d open %s tasks through the HTTP API; Temporal dev server %s, "+
		"MariaDB database %s, API in process, `yizhi worker` as its own process\n",
		b.translators, b.tasks, claimsLang, sys.temporal, sys.dbName)

	err = b.run(ctx, sys, stdout)
	fmt.Fprintf(stdout, "\ntotal wall time, dev server start to checks done: %.1fs\n", time.Since(began).Seconds())
	if err != nil {
		if tail := sys.worker.logTail(20); tail != "" {
			fmt.Fprintf(stdout, "\nworker log (last lines):\n%s\n", tail)
		}
	}
	return err
}

func (b claimsBench) run(ctx context.Context, sys *claimsSystem, stdout io.Writer) error {
	solo, err := sys.createUser(ctx, "claims-solo", []models.Role{models.RoleTranslator})
	if err != nil {
		return err
	}
	translators := make([]claimsUser, b.translators)
	for i := range translators {
		if translators[i], err = sys.createUser(ctx, fmt.Sprintf("claims-translator-%03d", i+1), []models.Role{models.RoleTranslator}); err != nil {
			return err
		}
	}

	reports, err := b.runPhases(ctx, sys, stdout, solo, translators)
	// What was measured before a failure is still worth seeing.
	if len(reports) > 0 {
		printClaimsTable(stdout, reports)
	}
	if err != nil {
		return err
	}
	problems, otherAnswers := 0, 0
	for _, r := range reports {
		problems += len(r.problems)
		otherAnswers += countClaimOutcomes(r.result.attempts).other
	}
	// The worker's log goes with its temporary directory; a run that saw
	// errors shows its end while it is still there.
	if otherAnswers > 0 && problems == 0 {
		if tail := sys.worker.logTail(20); tail != "" {
			fmt.Fprintf(stdout, "\nworker log (last lines):\n%s\n", tail)
		}
	}
	if problems > 0 {
		return fmt.Errorf("bench claims: %d problems; see the report", problems)
	}
	return nil
}

// runPhases runs the baseline and then the races -phases asks for, and
// returns the reports of those that finished.
func (b claimsBench) runPhases(ctx context.Context, sys *claimsSystem, stdout io.Writer, solo claimsUser, translators []claimsUser) ([]claimsPhase, error) {
	type plan struct {
		name   string
		users  []claimsUser
		tasks  int
		killAt int
	}
	plans := []plan{{"baseline", []claimsUser{solo}, b.baseline, 0}}
	if b.phases != "crash" {
		plans = append(plans, plan{"race", translators, b.tasks, 0})
	}
	if b.phases != "race" {
		plans = append(plans, plan{"crash", translators, b.tasks, max(b.tasks/2, 1)})
	}
	var reports []claimsPhase
	for _, p := range plans {
		report, err := b.phase(ctx, sys, stdout, p.name, p.users, p.tasks, p.killAt)
		if err != nil {
			return reports, err
		}
		reports = append(reports, report)
	}
	return reports, nil
}

// phase intakes a fresh set of documents, waits until each has its
// translate task open, races users for them and verifies the outcome.
// killAt > 0 kills the worker after that many successful claims and
// restarts it restartAfter later.
func (b claimsBench) phase(ctx context.Context, sys *claimsSystem, stdout io.Writer, name string, users []claimsUser, docs, killAt int) (claimsPhase, error) {
	tasks, err := sys.intake(ctx, stdout, name, docs)
	if err != nil {
		return claimsPhase{}, fmt.Errorf("%s: %w", name, err)
	}
	r := &claimRace{api: sys.api, tasks: tasks, listLimit: b.listLimit}
	var crash *crashPlan
	if killAt > 0 {
		crash = &crashPlan{at: killAt, down: b.restartAfter, worker: sys.worker}
		r.onClaim = crash.observe
	}
	raceCtx, cancel := context.WithTimeout(ctx, claimsPatience)
	defer cancel()
	if crash != nil {
		crash.arm(raceCtx, r)
	}
	result, err := r.run(raceCtx, users)
	report := claimsPhase{name: name, translators: len(users), tasks: len(tasks), result: result}
	if crash != nil {
		report.events = crash.outcome()
		err = errors.Join(err, crash.err)
		if crash.fired() {
			report.events = append(report.events, describeInFlight(result.attempts, crash.killedAt))
		}
	}
	if err != nil {
		return report, fmt.Errorf("%s: %w", name, err)
	}
	checkCtx, cancelCheck := context.WithTimeout(ctx, claimsPatience)
	defer cancelCheck()
	report.problems = append(result.oddities, verifyClaims(checkCtx, tasks, result.wins, []claimAuthority{
		{"the workflow", workflowHolder(sys.tc)},
		{"the read model", readModelHolder(sys.store)},
	})...)
	if crash != nil && !crash.fired() {
		report.problems = append(report.problems, fmt.Sprintf("the worker was never killed: the race ended before %d claims", killAt))
	}
	return report, nil
}

// claimsSystem is yizhi as deployed, on a dev server and a database of its
// own: the API in this process, the worker in another that may be killed.
type claimsSystem struct {
	temporal string
	dbName   string
	store    *store.Store
	tc       client.Client
	api      *claimsClient
	worker   *workerProcess
	admin    claimsUser
	desk     claimsUser // source and editor: intake and the document list
	intaken  int        // documents so far, all of which end with a translate task
	cleanups []func()
}

// startClaimsSystem brings everything up. On error the returned system,
// if not nil, still has to be closed.
func startClaimsSystem(ctx context.Context, cfg Config, log *slog.Logger, b claimsBench) (*claimsSystem, error) {
	sys := &claimsSystem{}
	dir, err := os.MkdirTemp(claimsTempRoot(), "yizhi-bench-claims-")
	if err != nil {
		return nil, err
	}
	sys.cleanups = append(sys.cleanups, func() { os.RemoveAll(dir) })

	address, stopServer, err := startDevServer(ctx, b.temporalBin, dir)
	if err != nil {
		return sys, err
	}
	sys.temporal = address
	sys.cleanups = append(sys.cleanups, stopServer)

	sys.dbName = fmt.Sprintf("yizhi_bench_claims_%d", os.Getpid())
	db, err := createBenchDatabase(ctx, b.mysql, sys.dbName)
	if err != nil {
		return sys, err
	}
	sys.cleanups = append(sys.cleanups, db.drop)
	dbURL := db.url
	quiet := slog.New(slog.DiscardHandler)
	if sys.store, err = store.Open(ctx, dbURL, quiet); err != nil {
		return sys, err
	}
	sys.cleanups = append(sys.cleanups, func() { sys.store.Close() })
	if err := sys.store.Migrate(ctx); err != nil {
		return sys, err
	}
	if sys.tc, err = client.DialContext(ctx, client.Options{HostPort: address, Logger: sdklog.NewStructuredLogger(quiet)}); err != nil {
		return sys, err
	}
	sys.cleanups = append(sys.cleanups, sys.tc.Close)

	adminToken, err := api.NewToken()
	if err != nil {
		return sys, err
	}
	if err := bootstrapAdmin(ctx, sys.store, adminToken); err != nil {
		return sys, err
	}
	sys.admin = claimsUser{name: "admin", token: adminToken}

	if err := sys.startAPI(ctx, cfg, log); err != nil {
		return sys, err
	}

	bin, err := os.Executable()
	if err != nil {
		return sys, err
	}
	sys.worker = &workerProcess{bin: bin, logPath: filepath.Join(dir, "worker.log"), env: claimsWorkerEnv(os.Environ(), dbURL, address)}
	if err := sys.worker.start(); err != nil {
		return sys, fmt.Errorf("start worker: %w", err)
	}
	sys.cleanups = append(sys.cleanups, sys.worker.stop)

	sys.desk, err = sys.createUser(ctx, "claims-desk", []models.Role{models.RoleSource, models.RoleEditor})
	return sys, err
}

// claimsTempRoot is where the dev server keeps its SQLite database: in
// memory (tmpfs) where there is one, because the dev server syncs every
// write to disk, which would bound every claim by the disk rather than by
// yizhi and Temporal. A production Temporal cluster has its own database.
func claimsTempRoot() string {
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		return "/dev/shm"
	}
	return ""
}

// startAPI serves the API on a free loopback port until the system closes.
func (s *claimsSystem) startAPI(ctx context.Context, cfg Config, log *slog.Logger) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	apiCfg := cfg
	apiCfg.HTTPAddr = addr
	apiLog := log.With("component", "api")
	handler := newAPI(apiCfg, apiLog, &services{store: s.store, temporal: s.tc})
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serveAPI(serveCtx, apiCfg, apiLog, handler) }()
	s.cleanups = append(s.cleanups, func() {
		stop()
		<-done
	})
	s.api = newClaimsClient("http://" + addr)
	for deadline := time.Now().Add(10 * time.Second); ; {
		status, _, err := s.api.call(ctx, claimsUser{}, http.MethodGet, "/healthz", "", nil, nil)
		if err == nil && status == http.StatusOK {
			return nil
		}
		select {
		case err := <-done:
			return fmt.Errorf("the API stopped at start: %w", err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the API on %s did not answer /healthz: status %d, %v", addr, status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// close tears down in the reverse order of start, so the worker and the
// store let go of the database before it is dropped.
func (s *claimsSystem) close() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
}

// claimsWorkerEnv is the parent's environment with every YIZHI_ variable
// replaced, so the worker reads this bench's database and dev server
// whatever the caller has configured (an MT engine included).
func claimsWorkerEnv(parent []string, dbURL, temporal string) []string {
	env := slices.DeleteFunc(slices.Clone(parent), func(kv string) bool { return strings.HasPrefix(kv, "YIZHI_") })
	return append(env,
		"YIZHI_DATABASE_URL="+dbURL,
		"YIZHI_TEMPORAL_ADDRESS="+temporal,
		"YIZHI_TEMPORAL_NAMESPACE=default",
		"YIZHI_LOG_LEVEL=warn",
	)
}

// workerProcess is `yizhi worker` in a process of its own, as in
// production, so the bench can kill it the way a crash would.
type workerProcess struct {
	bin, logPath string
	env          []string
	cmd          *exec.Cmd
	exited       chan struct{}
}

func (w *workerProcess) start() error {
	f, err := os.OpenFile(w.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(w.bin, "worker")
	cmd.Env = w.env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(exited)
	}()
	w.cmd, w.exited = cmd, exited
	return nil
}

// running reports whether the worker is up; false after it died by itself.
func (w *workerProcess) running() bool {
	if w.cmd == nil {
		return false
	}
	select {
	case <-w.exited:
		return false
	default:
		return true
	}
}

func (w *workerProcess) pid() int {
	if w.cmd == nil {
		return 0
	}
	return w.cmd.Process.Pid
}

// kill sends SIGKILL: no activity finishes, nothing is told to the server.
func (w *workerProcess) kill() {
	if w.cmd == nil {
		return
	}
	_ = w.cmd.Process.Kill()
	<-w.exited
	w.cmd = nil
}

// stop lets the worker finish what it does, as at the end of a deployment.
func (w *workerProcess) stop() {
	if w.cmd == nil {
		return
	}
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-w.exited:
	case <-time.After(30 * time.Second):
		_ = w.cmd.Process.Kill()
		<-w.exited
	}
	w.cmd = nil
}

func (w *workerProcess) logTail(lines int) string {
	if w == nil {
		return ""
	}
	data, err := os.ReadFile(w.logPath)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(all[max(len(all)-lines, 0):], "\n")
}

// claimsUser is an API caller.
type claimsUser struct {
	id    int64
	name  string
	token string
}

// claimsClient calls the API the way many browsers would: one connection
// pool, big enough that a hundred translators never wait for a socket.
type claimsClient struct {
	base string
	http *http.Client
}

func newClaimsClient(base string) *claimsClient {
	return &claimsClient{base: base, http: &http.Client{
		Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute},
		// Longer than a claim may take while the worker is down; the
		// bench's own patience ends a true hang.
		Timeout: 2 * time.Minute,
	}}
}

// call sends one request as u and decodes a 2xx answer into out. The
// error is set when no full answer came back.
func (c *claimsClient) call(ctx context.Context, u claimsUser, method, path, idempotencyKey string, body, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if u.token != "" {
		req.Header.Set("Authorization", "Bearer "+u.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, data, fmt.Errorf("%s %s: decode %q: %w", method, path, data, err)
		}
	}
	return resp.StatusCode, data, nil
}

// must is call for setup requests, which have exactly one right answer.
func (c *claimsClient) must(ctx context.Context, u claimsUser, want int, method, path string, body, out any) error {
	status, data, err := c.call(ctx, u, method, path, "", body, out)
	if err != nil {
		return fmt.Errorf("%s %s as %s: %w", method, path, u.name, err)
	}
	if status != want {
		return fmt.Errorf("%s %s as %s: got %d, want %d: %s", method, path, u.name, status, want, data)
	}
	return nil
}

func (s *claimsSystem) createUser(ctx context.Context, name string, roles []models.Role) (claimsUser, error) {
	var comps []models.Competence
	if slices.Contains(roles, models.RoleTranslator) {
		comps = append(comps, models.Competence{Role: models.RoleTranslator, Lang: claimsLang})
	}
	var out struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	err := s.api.must(ctx, s.admin, http.StatusCreated, http.MethodPost, "/v1/users",
		map[string]any{"name": name, "roles": roles, "competences": comps}, &out)
	return claimsUser{id: out.ID, name: name, token: out.Token}, err
}

// claimsTask is one contested translate task.
type claimsTask struct {
	id         int64
	documentID int64
}

// intake posts n documents through the API and waits until every one has
// its translate task open, which is when machine assist is done.
func (s *claimsSystem) intake(ctx context.Context, stdout io.Writer, batch string, n int) (map[int64]claimsTask, error) {
	start := time.Now()
	docIDs := make([]int64, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(claimsIntakeParallel)
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			title := fmt.Sprintf("（2024）新01民初%d号民事判决书", s.intaken+i+1)
			body := benchSentences[i%len(benchSentences)] + benchSentences[(i+1)%len(benchSentences)]
			var out struct {
				ID int64 `json:"id"`
			}
			err := s.api.must(gctx, s.desk, http.StatusCreated, http.MethodPost, "/v1/documents", map[string]any{
				"external_id": fmt.Sprintf("claims-%s-%d", batch, i+1),
				"court":       "新疆维吾尔自治区乌鲁木齐市中级人民法院",
				"kind":        models.KindJudgment,
				"profile":     models.ProfileFull,
				"targets":     []string{claimsLang},
				"title":       title,
				"body":        body,
			}, &out)
			docIDs[i] = out.ID
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	posted := time.Since(start)
	s.intaken += n

	tasks, err := s.waitOpen(ctx, docIDs)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "%s intake: %d documents POSTed in %.1fs; every translate task open %.1fs after the first POST (%.0f documents/s)\n",
		batch, n, posted.Seconds(), time.Since(start).Seconds(), float64(n)/time.Since(start).Seconds())
	return tasks, nil
}

// waitOpen waits until every document has its translate task open and
// returns those tasks. The document list (the editors' view) names each
// language's current task.
func (s *claimsSystem) waitOpen(ctx context.Context, docIDs []int64) (map[int64]claimsTask, error) {
	seen, progressed := -1, time.Now()
	for {
		// Counting jobs is cheap; listing every document is not.
		n, err := s.store.CountJobs(ctx, models.JobTranslating)
		if err != nil {
			return nil, err
		}
		if n > seen {
			seen, progressed = n, time.Now()
		}
		if n >= s.intaken {
			tasks, pending, err := s.openTasks(ctx, docIDs)
			if err != nil {
				return nil, err
			}
			if pending == 0 {
				return tasks, nil
			}
		}
		if !s.worker.running() {
			return nil, errors.New("the worker exited")
		}
		if time.Since(progressed) > claimsStall {
			return nil, fmt.Errorf("no translate task opened for %s (%d of %d jobs translating)", claimsStall, n, s.intaken)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *claimsSystem) openTasks(ctx context.Context, docIDs []int64) (tasks map[int64]claimsTask, pending int, err error) {
	want := make(map[int64]bool, len(docIDs))
	for _, id := range docIDs {
		want[id] = true
	}
	tasks = make(map[int64]claimsTask, len(docIDs))
	for cursor := ""; ; {
		var page struct {
			Items []struct {
				ID      int64 `json:"id"`
				Targets []struct {
					Lang   string          `json:"lang"`
					State  models.JobState `json:"state"`
					TaskID *int64          `json:"task_id"`
				} `json:"targets"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := s.api.must(ctx, s.desk, http.StatusOK, http.MethodGet, "/v1/documents?limit=500&cursor="+cursor, nil, &page); err != nil {
			return nil, 0, err
		}
		for _, d := range page.Items {
			if !want[d.ID] {
				continue
			}
			for _, t := range d.Targets {
				if t.Lang == claimsLang && t.State == models.JobTranslating && t.TaskID != nil {
					tasks[*t.TaskID] = claimsTask{id: *t.TaskID, documentID: d.ID}
				}
			}
		}
		if page.NextCursor == "" {
			return tasks, len(docIDs) - len(tasks), nil
		}
		cursor = page.NextCursor
	}
}

// claimRace is one contest: every user lists open tasks and claims random
// ones until no task of the set is open.
type claimRace struct {
	api       *claimsClient
	tasks     map[int64]claimsTask
	listLimit int
	// onClaim is told the number of successful claims after each one.
	onClaim func(n int)

	start  time.Time
	mu     sync.Mutex
	result claimRaceResult
	err    error
}

// claimRaceResult is everything the translators saw.
type claimRaceResult struct {
	attempts []claimAttempt // every claim request, retries included
	wins     []claimWin     // one per 200
	retries  int            // claim requests re-sent after a 5xx or no answer
	lists    int
	// longest is the longest claim from its first request to its final
	// answer, retries included.
	longest  time.Duration
	wall     time.Duration
	oddities []string // 200s whose body says something else than a claim
}

// claimAttempt is one claim request; status 0 means no answer came.
type claimAttempt struct {
	status  int
	sent    time.Duration // since the race started
	latency time.Duration
}

type claimWin struct {
	taskID, userID int64
}

func (r *claimRace) run(ctx context.Context, users []claimsUser) (claimRaceResult, error) {
	r.start = time.Now()
	var wg sync.WaitGroup
	for i, u := range users {
		rng := rand.New(rand.NewPCG(uint64(i+1), uint64(len(r.tasks))))
		wg.Go(func() {
			if err := r.translate(ctx, u, rng); err != nil {
				r.mu.Lock()
				r.err = errors.Join(r.err, err)
				r.mu.Unlock()
			}
		})
	}
	wg.Wait()
	r.result.wall = time.Since(r.start)
	return r.result, r.err
}

// translate is one translator: look at the open tasks, try a random one,
// and again, until none of the race's tasks is open.
func (r *claimRace) translate(ctx context.Context, u claimsUser, rng *rand.Rand) error {
	// A task lost to someone else stays theirs for the whole lease, so it
	// is not tried again, though the list may show it open until the
	// winner's projection is written.
	lost := map[int64]bool{}
	path := fmt.Sprintf("/v1/tasks?kind=translate&lang=%s&limit=%d", claimsLang, r.listLimit)
	for {
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if err := r.api.must(ctx, u, http.StatusOK, http.MethodGet, path, nil, &list); err != nil {
			return err
		}
		r.mu.Lock()
		r.result.lists++
		r.mu.Unlock()
		contested := false
		var candidates []int64
		for _, t := range list.Items {
			if _, ok := r.tasks[t.ID]; !ok {
				continue
			}
			contested = true
			if !lost[t.ID] {
				candidates = append(candidates, t.ID)
			}
		}
		if !contested {
			return nil
		}
		if len(candidates) == 0 {
			// Only tasks whose winners' claims are still being written
			// are left; a person would look again a moment later.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(claimsRelistPause):
			}
			continue
		}
		id := candidates[rng.IntN(len(candidates))]
		status, err := r.claim(ctx, u, id)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			lost[id] = true
		}
	}
}

// claim claims task id for u and returns the final status. A 5xx or a
// lost answer leaves the outcome unknown, so the claim is sent again with
// the same Idempotency-Key, which the API passes on as the Update ID: the
// workflow answers a repeat with the first outcome instead of running it
// twice.
func (r *claimRace) claim(ctx context.Context, u claimsUser, id int64) (int, error) {
	key := fmt.Sprintf("bench-claims-%d-%d", u.id, id)
	path := fmt.Sprintf("/v1/tasks/%d/claim", id)
	first := time.Now()
	for try := 0; ; try++ {
		var out struct {
			TaskID int64            `json:"task_id"`
			State  models.TaskState `json:"state"`
		}
		sent := time.Now()
		status, _, err := r.api.call(ctx, u, http.MethodPost, path, key, nil, &out)
		latency := time.Since(sent)
		if ctx.Err() != nil {
			return 0, fmt.Errorf("claim of task %d by %s: %w", id, u.name, ctx.Err())
		}
		if err != nil {
			status = 0
		}
		final := status != 0 && status < http.StatusInternalServerError
		n := r.record(u, id, claimAttempt{status: status, sent: sent.Sub(r.start), latency: latency}, try > 0, final, time.Since(first))
		if status == http.StatusOK && (out.TaskID != id || out.State != models.TaskClaimed) {
			r.mu.Lock()
			r.result.oddities = append(r.result.oddities,
				fmt.Sprintf("task %d: the 200 to user %d says task %d is %q", id, u.id, out.TaskID, out.State))
			r.mu.Unlock()
		}
		if n > 0 && r.onClaim != nil {
			r.onClaim(n)
		}
		if final {
			return status, nil
		}
		if try+1 == claimsMaxTries {
			return 0, fmt.Errorf("claim of task %d by %s: no final answer after %d tries (last: status %d, %v)", id, u.name, claimsMaxTries, status, err)
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("claim of task %d by %s: %w", id, u.name, ctx.Err())
		case <-time.After(min(100*time.Millisecond<<try, 2*time.Second)):
		}
	}
}

// record keeps one attempt and returns the number of successful claims so
// far if this attempt was one, else 0.
func (r *claimRace) record(u claimsUser, id int64, a claimAttempt, retry, final bool, elapsed time.Duration) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.result.attempts = append(r.result.attempts, a)
	if retry {
		r.result.retries++
	}
	if final {
		r.result.longest = max(r.result.longest, elapsed)
	}
	if a.status != http.StatusOK {
		return 0
	}
	r.result.wins = append(r.result.wins, claimWin{taskID: id, userID: u.id})
	return len(r.result.wins)
}

// crashPlan kills the worker once `at` claims have succeeded and starts a
// new one `down` later, while the race goes on.
type crashPlan struct {
	at     int
	down   time.Duration
	worker *workerProcess

	trigger   chan struct{}
	done      chan struct{}
	triggered sync.Once
	killedAt  time.Duration // since the race started
	events    []string
	err       error
}

func (c *crashPlan) observe(n int) {
	if n >= c.at {
		c.triggered.Do(func() { close(c.trigger) })
	}
}

// arm starts the goroutine that waits for the trigger; it must be called
// before the race starts.
func (c *crashPlan) arm(ctx context.Context, r *claimRace) {
	c.trigger, c.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(c.done)
		select {
		case <-c.trigger:
		case <-ctx.Done():
			return
		}
		since := func() float64 { return time.Since(r.start).Seconds() }
		pid := c.worker.pid()
		c.worker.kill()
		c.killedAt = time.Since(r.start)
		c.events = append(c.events, fmt.Sprintf("worker (pid %d) killed with SIGKILL at %.2fs, after %d successful claims", pid, c.killedAt.Seconds(), c.at))
		select {
		case <-time.After(c.down):
		case <-ctx.Done():
			c.err = ctx.Err()
			return
		}
		if c.err = c.worker.start(); c.err != nil {
			c.err = fmt.Errorf("restart worker: %w", c.err)
			return
		}
		c.events = append(c.events, fmt.Sprintf("new worker (pid %d) started at %.2fs", c.worker.pid(), since()))
	}()
}

// outcome waits for the crash goroutine and returns what it did. A race
// that ends before the trigger leaves it waiting on its context, which
// phase cancels; outcome must not wait for that here.
func (c *crashPlan) outcome() []string {
	if c.fired() {
		<-c.done
	}
	return c.events
}

func (c *crashPlan) fired() bool {
	select {
	case <-c.trigger:
		return true
	default:
		return false
	}
}

// claimAuthority is one place that knows who holds a task.
type claimAuthority struct {
	name   string
	holder claimHolder
}

// claimHolder returns the user holding task t, or 0 when nobody does.
type claimHolder func(ctx context.Context, t claimsTask) (int64, error)

// workflowHolder asks the translation workflow itself, which is the
// authority over claims.
func workflowHolder(tc client.Client) claimHolder {
	return func(ctx context.Context, t claimsTask) (int64, error) {
		v, err := tc.QueryWorkflow(ctx, models.TranslationWorkflowID(t.documentID, claimsLang), "", models.QueryState)
		if err != nil {
			return 0, err
		}
		var st models.TranslationState
		if err := v.Get(&st); err != nil {
			return 0, err
		}
		if st.Task.ID != t.id {
			return 0, fmt.Errorf("its current task is %d", st.Task.ID)
		}
		if st.Task.State != models.TaskClaimed {
			return 0, nil
		}
		return st.Task.ClaimantID, nil
	}
}

// readModelHolder reads the tasks table, which lists show.
func readModelHolder(st *store.Store) claimHolder {
	return func(ctx context.Context, t claimsTask) (int64, error) {
		task, err := st.TaskByID(ctx, t.id)
		if err != nil {
			return 0, err
		}
		if task.State != models.TaskClaimed || task.ClaimantID == nil {
			return 0, nil
		}
		return *task.ClaimantID, nil
	}
}

// verifyClaims checks a race: every task got exactly one 200, and each
// authority names the user who got it as the holder. A task that nobody
// got a 200 for must have no holder either, or a claim was lost on its way
// back. It returns the problems found, by task.
func verifyClaims(ctx context.Context, tasks map[int64]claimsTask, wins []claimWin, authorities []claimAuthority) []string {
	winners := map[int64][]int64{}
	var problems []string
	for _, w := range wins {
		if _, ok := tasks[w.taskID]; !ok {
			problems = append(problems, fmt.Sprintf("task %d: user %d got a 200 for a task outside the race", w.taskID, w.userID))
			continue
		}
		winners[w.taskID] = append(winners[w.taskID], w.userID)
	}
	if len(wins) != len(tasks) {
		problems = append(problems, fmt.Sprintf("%d successful claims, want exactly %d", len(wins), len(tasks)))
	}

	type finding struct {
		task int64
		text string
	}
	var (
		mu       sync.Mutex
		findings []finding
		wg       sync.WaitGroup
	)
	report := func(task int64, format string, args ...any) {
		mu.Lock()
		findings = append(findings, finding{task, fmt.Sprintf("task %d: ", task) + fmt.Sprintf(format, args...)})
		mu.Unlock()
	}
	queue := make(chan claimsTask)
	for range claimsCheckParallel {
		wg.Go(func() {
			for t := range queue {
				got := winners[t.id]
				var want int64
				switch len(got) {
				case 0:
					report(t.id, "nobody got a 200 for it")
				case 1:
					want = got[0]
				default:
					report(t.id, "double claim: users %v all got a 200", got)
					continue
				}
				for _, a := range authorities {
					holder, err := a.holder(ctx, t)
					switch {
					case err != nil:
						report(t.id, "%s: %v", a.name, err)
					case holder != want && want == 0:
						report(t.id, "%s says user %d holds it, but no 200 said so: a lost claim", a.name, holder)
					case holder != want:
						report(t.id, "%s says user %d holds it, but the 200 went to user %d", a.name, holder, want)
					}
				}
			}
		})
	}
	for _, id := range slices.Sorted(maps.Keys(tasks)) {
		queue <- tasks[id]
	}
	close(queue)
	wg.Wait()
	slices.SortStableFunc(findings, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.task, b.task), strings.Compare(a.text, b.text))
	})
	for _, f := range findings {
		problems = append(problems, f.text)
	}
	return problems
}

// latencySummary summarises a set of durations.
type latencySummary struct {
	n             int
	p50, p99, max time.Duration
}

func summarizeLatency(ds []time.Duration) latencySummary {
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	s := latencySummary{n: len(sorted), p50: latencyPercentile(sorted, 50), p99: latencyPercentile(sorted, 99)}
	if len(sorted) > 0 {
		s.max = sorted[len(sorted)-1]
	}
	return s
}

// latencyPercentile is the nearest-rank latencyPercentile of sorted durations: the
// smallest value that at least p% of them do not exceed. 0 for none.
func latencyPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted)) * p / 100))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// claimsPhase is one race as printed.
type claimsPhase struct {
	name        string
	translators int
	tasks       int
	result      claimRaceResult
	events      []string
	problems    []string
}

// claimOutcomes counts the claim requests of a race by how they ended.
type claimOutcomes struct {
	ok, conflict, other int
	otherByStatus       map[string]int
	okLatency           latencySummary
	conflictLatency     latencySummary
}

func countClaimOutcomes(attempts []claimAttempt) claimOutcomes {
	o := claimOutcomes{otherByStatus: map[string]int{}}
	var ok, conflict []time.Duration
	for _, a := range attempts {
		switch a.status {
		case http.StatusOK:
			o.ok++
			ok = append(ok, a.latency)
		case http.StatusConflict:
			o.conflict++
			conflict = append(conflict, a.latency)
		default:
			o.other++
			o.otherByStatus[statusLabel(a.status)]++
		}
	}
	o.okLatency, o.conflictLatency = summarizeLatency(ok), summarizeLatency(conflict)
	return o
}

func statusLabel(status int) string {
	if status == 0 {
		return "no answer"
	}
	return fmt.Sprint(status)
}

// describeInFlight tells what became of the claim requests that were
// waiting for an answer when the worker died at `at`: each must still get
// a final answer, and how long the last one took shows the recovery time.
func describeInFlight(attempts []claimAttempt, at time.Duration) string {
	byStatus := map[string]int{}
	var n int
	var last time.Duration
	for _, a := range attempts {
		if a.sent <= at && a.sent+a.latency >= at {
			n++
			byStatus[statusLabel(a.status)]++
			last = max(last, a.sent+a.latency-at)
		}
	}
	if n == 0 {
		return "no claim request was in flight when the worker died"
	}
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(byStatus)) {
		parts = append(parts, fmt.Sprintf("%s × %d", status, byStatus[status]))
	}
	return fmt.Sprintf("%d claim requests were in flight when the worker died, answered %s; the last %.1fs after the kill",
		n, strings.Join(parts, ", "), last.Seconds())
}

func printClaimsTable(w io.Writer, reports []claimsPhase) {
	labels := map[string]string{
		"baseline": "baseline: one translator, one claim after another",
		"race":     "translators race",
		"crash":    "translators race, worker killed and restarted",
	}
	base := countClaimOutcomes(reports[0].result.attempts).okLatency
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	// A run without conflicts has no conflict latency, not a zero one.
	msOf := func(l latencySummary, d time.Duration) string {
		if l.n == 0 {
			return "–"
		}
		return ms(d)
	}
	ratio := func(d, b time.Duration) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f×", float64(d)/float64(b))
	}
	fmt.Fprintf(w, "\nclaim latency is per HTTP request; the ratios divide the 200s' by the baseline's\n\n")
	fmt.Fprintf(w, "| run | translators | tasks | 200 | 409 | other | retries | 200 p50 | 200 p99 | 200 max | 409 p50 | 409 p99 | p50 ÷ baseline | p99 ÷ baseline | claims/s | wall |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range reports {
		o := countClaimOutcomes(r.result.attempts)
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %.0f | %.2fs |\n",
			labels[r.name], r.translators, r.tasks, o.ok, o.conflict, o.other, r.result.retries,
			ms(o.okLatency.p50), ms(o.okLatency.p99), ms(o.okLatency.max),
			msOf(o.conflictLatency, o.conflictLatency.p50), msOf(o.conflictLatency, o.conflictLatency.p99),
			ratio(o.okLatency.p50, base.p50), ratio(o.okLatency.p99, base.p99),
			float64(o.ok)/r.result.wall.Seconds(), r.result.wall.Seconds())
	}
	for _, r := range reports {
		o := countClaimOutcomes(r.result.attempts)
		fmt.Fprintf(w, "\n%s: %d task lists read; longest claim, retries included: %s\n", labels[r.name], r.result.lists, ms(r.result.longest))
		if o.other > 0 {
			var parts []string
			for _, status := range slices.Sorted(maps.Keys(o.otherByStatus)) {
				parts = append(parts, fmt.Sprintf("%s × %d", status, o.otherByStatus[status]))
			}
			fmt.Fprintf(w, "  other answers: %s\n", strings.Join(parts, ", "))
		}
		for _, e := range r.events {
			fmt.Fprintf(w, "  %s\n", e)
		}
		if len(r.problems) == 0 {
			fmt.Fprintf(w, "  verified: each of the %d tasks got exactly one 200, and the workflow's state and the read model both name its translator\n", r.tasks)
			continue
		}
		fmt.Fprintf(w, "  FAILED: %d problems\n", len(r.problems))
		for i, p := range r.problems {
			if i == claimsMaxProblemsShown {
				fmt.Fprintf(w, "    … and %d more\n", len(r.problems)-i)
				break
			}
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
}
