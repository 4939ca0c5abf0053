package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"yizhi/api"
	"yizhi/models"
)

// memoryTargets are the languages every document of `bench memory` is
// translated into: one Arabic-script, one Tibetan, one vertical Mongolian.
var memoryTargets = []string{"ug", "bo", "mn-Mong"}

type memoryBench struct {
	docs, concurrency int
	timeout           time.Duration
	// window, when set, bounds how long the pipeline runs after intake
	// before memory is read: machine assist runs at about 30 jobs/s on
	// 2 cores (-docs 2000), so 30,000 jobs take a quarter of an hour or
	// more.
	window      time.Duration
	temporalBin string
}

// runMemoryBench runs `yizhi dev` as users do, a process of its own on a
// Temporal dev server and SQLite of its own, pushes documents through the
// API and reads the peak resident memory the kernel recorded for it.
func runMemoryBench(ctx context.Context, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench memory", flag.ContinueOnError)
	b := memoryBench{}
	fs.IntVar(&b.docs, "docs", 10_000, "documents to submit, each into 3 languages")
	fs.IntVar(&b.concurrency, "concurrency", 8, "requests in flight while submitting")
	fs.DurationVar(&b.timeout, "timeout", 2*time.Hour, "stop and report what was measured when machine assist has not finished by then")
	fs.DurationVar(&b.window, "window", 0, "read memory this long after the last document was taken in, however many jobs are past assist by then (0: when all are)")
	fs.StringVar(&b.temporalBin, "temporal", "bin/temporal", "Temporal CLI to run the dev server with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if b.docs < 1 || b.concurrency < 1 || b.timeout <= 0 {
		return errors.New("bench memory: -docs, -concurrency and -timeout must be positive")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "yizhi-bench-memory-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	address, stopTemporal, err := startDevServer(ctx, b.temporalBin, dir)
	if err != nil {
		return err
	}
	defer stopTemporal()
	// startDevServer keeps its process to itself; the dev server is the
	// one process whose command line names this run's database file.
	temporalPID := findProcess(filepath.Join(dir, "temporal.db"))

	dev, err := startYizhiDev(ctx, exe, dir, address)
	if err != nil {
		return err
	}
	defer dev.stop()
	baseline, err := readProcMemory(dev.pid)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "memory: yizhi dev (pid %d) on SQLite, Temporal dev server %s; %d documents × %d languages (%s) through POST /v1/documents, %d in flight\n",
		dev.pid, address, b.docs, len(memoryTargets), strings.Join(memoryTargets, ", "), b.concurrency)

	// A run cut short (by -timeout or Ctrl-C) still reports what it
	// measured: on a slow machine that is the figure there is.
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	start := time.Now()
	posted, runErr := b.submit(ctx, log, dev)
	intake := time.Since(start)
	want, done := posted*len(memoryTargets), 0
	windowEnded := false
	if runErr == nil {
		log.Info("bench memory: documents submitted", "docs", posted, "took", intake.Round(time.Millisecond))
		wctx, wcancel := ctx, context.CancelFunc(func() {})
		if b.window > 0 {
			wctx, wcancel = context.WithTimeout(ctx, b.window)
		}
		done, runErr = waitPastAssist(wctx, log, dev, want, start)
		if runErr != nil && b.window > 0 && wctx.Err() != nil && ctx.Err() == nil {
			runErr, windowEnded = nil, true
		}
		wcancel()
	} else {
		runErr = fmt.Errorf("submit: %w", runErr)
	}
	wall := time.Since(start)

	peak, err := readProcMemory(dev.pid)
	if err != nil {
		return errors.Join(runErr, err)
	}
	heap := dev.goMetrics(context.Background())
	temporal, temporalErr := readProcMemory(temporalPID)

	mib := func(bytes int64) string { return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20)) }
	fmt.Fprintf(stdout, "\n| what | figure |\n|---|---|\n")
	fmt.Fprintf(stdout, "| documents submitted | %d of %d |\n", posted, b.docs)
	fmt.Fprintf(stdout, "| translation jobs past machine assist | %d of %d |\n", done, want)
	if windowEnded {
		fmt.Fprintf(stdout, "| memory read after the pipeline ran for | %s after intake (-window) |\n", b.window)
	}
	fmt.Fprintf(stdout, "| wall time, first request to last job past assist | %.1fs |\n", wall.Seconds())
	fmt.Fprintf(stdout, "| intake | %.1fs, %.1f documents/s |\n", intake.Seconds(), float64(posted)/intake.Seconds())
	fmt.Fprintf(stdout, "| machine assist throughput | %.1f jobs/s |\n", float64(done)/wall.Seconds())
	fmt.Fprintf(stdout, "| yizhi dev peak RSS (VmHWM) when ready, before any document (baseline) | %s |\n", mib(baseline.hwm))
	fmt.Fprintf(stdout, "| yizhi dev peak RSS (VmHWM) at the end | %s |\n", mib(peak.hwm))
	fmt.Fprintf(stdout, "| yizhi dev RSS (VmRSS) at the end | %s |\n", mib(peak.rss))
	if heap != "" {
		fmt.Fprintf(stdout, "| yizhi dev Go runtime at the end | %s |\n", heap)
	}
	if posted > 0 {
		fmt.Fprintf(stdout, "| peak over baseline, per document | %.1f KiB |\n", float64(peak.hwm-baseline.hwm)/1024/float64(posted))
	}
	if temporalErr == nil {
		fmt.Fprintf(stdout, "| Temporal dev server peak RSS (VmHWM), separately | %s |\n", mib(temporal.hwm))
	} else {
		fmt.Fprintf(stdout, "| Temporal dev server peak RSS (VmHWM), separately | unknown: %v |\n", temporalErr)
	}
	if runErr != nil {
		return fmt.Errorf("cut short after %s: %w", wall.Round(time.Second), runErr)
	}
	return nil
}

// submit posts the documents from b.concurrency goroutines, stops at the
// first failure, and returns how many it posted.
func (b memoryBench) submit(ctx context.Context, log *slog.Logger, dev *devProcess) (int, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.concurrency)
	var posted atomic.Int64
	progress := time.NewTicker(30 * time.Second)
	defer progress.Stop()
	for d := range b.docs {
		select {
		case <-progress.C:
			log.Info("bench memory: submitting", "posted", posted.Load(), "of", b.docs)
		default:
		}
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := dev.postDocument(gctx, memoryDocument(d)); err != nil {
				return fmt.Errorf("document %d: %w", d, err)
			}
			posted.Add(1)
			return nil
		})
	}
	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return int(posted.Load()), err
}

// memoryDocument is a short judgment, different for every d.
func memoryDocument(d int) map[string]any {
	rng := rand.New(rand.NewPCG(uint64(d), 5))
	var body strings.Builder
	for range 3 + rng.IntN(3) {
		body.WriteString(benchSentences[rng.IntN(len(benchSentences))])
	}
	fmt.Fprintf(&body, "本案受理费人民币%d元，由被告负担。", 50+rng.IntN(5000))
	return map[string]any{
		"external_id": fmt.Sprintf("bench-memory-%d", d+1),
		"court":       "新疆维吾尔自治区乌鲁木齐市中级人民法院",
		"kind":        models.KindJudgment,
		"title":       fmt.Sprintf("（2024）新01民初%d号民事判决书", d+1),
		"body":        body.String(),
		"targets":     memoryTargets,
	}
}

// waitPastAssist polls GET /v1/documents until want jobs have left
// pending and assisting, and returns how many have.
func waitPastAssist(ctx context.Context, log *slog.Logger, dev *devProcess, want int, start time.Time) (int, error) {
	var progress assistProgress
	lastLog := time.Now()
	for {
		began := time.Now()
		if err := progress.update(ctx, dev); err != nil {
			return progress.done(), err
		}
		total := progress.done()
		if total >= want {
			return total, nil
		}
		if time.Since(lastLog) >= 30*time.Second {
			m, _ := readProcMemory(dev.pid)
			log.Info("bench memory: waiting for machine assist", "past_assist", total, "of", want,
				"elapsed", time.Since(start).Round(time.Second), "rss_mib", m.rss>>20)
			lastLog = time.Now()
		}
		// The listing shares SQLite's one connection with the worker:
		// polling at most a fifth of the time leaves the worker the rest.
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(max(2*time.Second, 4*time.Since(began))):
		}
	}
}

// assistProgress follows the document list page by page. A page is known
// by the cursor that starts it, which stays valid because no document is
// added after the intake; a page whose jobs are all past machine assist
// is not read again.
type assistProgress struct {
	pages  []progressPage
	listed bool // every page has been read once
}

type progressPage struct {
	cursor   string
	done     int // jobs past machine assist
	finished bool
}

func (p *assistProgress) done() int {
	n := 0
	for _, pg := range p.pages {
		n += pg.done
	}
	return n
}

func (p *assistProgress) update(ctx context.Context, dev *devProcess) error {
	if !p.listed {
		p.pages = p.pages[:0]
		cursor := ""
		for {
			pg, next, err := dev.readPage(ctx, cursor)
			if err != nil {
				return err
			}
			p.pages = append(p.pages, pg)
			if next == "" {
				p.listed = true
				return nil
			}
			cursor = next
		}
	}
	for i, pg := range p.pages {
		if pg.finished {
			continue
		}
		var err error
		if p.pages[i], _, err = dev.readPage(ctx, pg.cursor); err != nil {
			return err
		}
	}
	return nil
}

// devProcess is a running `yizhi dev`.
type devProcess struct {
	pid    int
	base   string
	token  string
	client *http.Client
	stop   func()
}

// startYizhiDev runs exe as `yizhi dev` with its state under dir and
// waits until it is ready.
func startYizhiDev(ctx context.Context, exe, dir, temporalAddress string) (*devProcess, error) {
	port, err := freeLocalPort()
	if err != nil {
		return nil, err
	}
	token, err := api.NewToken()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "yizhi-dev.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "dev")
	// Only the variables set here: a YIZHI_DATABASE_URL in the caller's
	// environment must not point the bench at real data.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "YIZHI_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd.Env = append(cmd.Env,
		"YIZHI_DATA_DIR="+filepath.Join(dir, "data"),
		"YIZHI_TEMPORAL_ADDRESS="+temporalAddress,
		"YIZHI_HTTP_ADDR="+addr,
		"YIZHI_BOOTSTRAP_ADMIN_TOKEN="+token,
		"YIZHI_LOG_LEVEL=warn",
		"YIZHI_SHUTDOWN_TIMEOUT=5s",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start yizhi dev: %w", err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		logFile.Close()
		close(done)
	}()
	dev := &devProcess{
		pid: cmd.Process.Pid, base: "http://" + addr, token: token,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	}
	dev.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	errc := make(chan error, 1)
	go func() {
		<-done
		errc <- fmt.Errorf("yizhi dev exited (%v); its log:\n%s", waitErr, logTail(logPath, 4096))
	}()
	// readyz answers 200 once the database and Temporal both do, and
	// runDev serves only after its worker has started.
	if err := waitHTTP(ctx, dev.base+"/readyz", errc, 2*time.Minute); err != nil {
		dev.stop()
		return nil, err
	}
	return dev, nil
}

func logTail(path string, n int64) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if int64(len(b)) > n {
		b = b[int64(len(b))-n:]
	}
	return string(b)
}

func (d *devProcess) do(ctx context.Context, method, path string, body any, out any, want int) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+d.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("%s %s answered %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (d *devProcess) postDocument(ctx context.Context, doc map[string]any) error {
	return d.do(ctx, http.MethodPost, "/v1/documents", doc, nil, http.StatusCreated)
}

// readPage reads the page of the document list that cursor starts ("" for
// the first) and counts its jobs past machine assist. It returns the
// cursor of the next page, "" after the last.
func (d *devProcess) readPage(ctx context.Context, cursor string) (progressPage, string, error) {
	var page struct {
		Items []struct {
			Targets []struct {
				State models.JobState `json:"state"`
			} `json:"targets"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	q := url.Values{"limit": {"500"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if err := d.do(ctx, http.MethodGet, "/v1/documents?"+q.Encode(), nil, &page, http.StatusOK); err != nil {
		return progressPage{}, "", err
	}
	pg, jobs := progressPage{cursor: cursor}, 0
	for _, it := range page.Items {
		for _, t := range it.Targets {
			jobs++
			if t.State != models.JobPending && t.State != models.JobAssisting {
				pg.done++
			}
		}
	}
	pg.finished = jobs > 0 && pg.done == jobs
	return pg, page.NextCursor, nil
}

// goMetrics summarizes the Go runtime figures of the process's /metrics.
func (d *devProcess) goMetrics(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/metrics", nil)
	if err != nil {
		return ""
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	values := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			values[name] = v
		}
	}
	if _, ok := values["go_memstats_heap_inuse_bytes"]; !ok {
		return ""
	}
	return fmt.Sprintf("heap in use %.1f MiB, runtime total (Sys) %.1f MiB, %d goroutines",
		values["go_memstats_heap_inuse_bytes"]/(1<<20), values["go_memstats_sys_bytes"]/(1<<20), int(values["go_goroutines"]))
}

// procMemory is the resident memory of a process, from /proc.
type procMemory struct {
	hwm, rss int64 // bytes: the peak (VmHWM) and the current (VmRSS)
}

func readProcMemory(pid int) (procMemory, error) {
	if pid <= 0 {
		return procMemory{}, errors.New("process not found")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMemory{}, err
	}
	return parseProcStatus(string(b))
}

// parseProcStatus reads VmHWM and VmRSS from a /proc/PID/status.
func parseProcStatus(status string) (procMemory, error) {
	var m procMemory
	for line := range strings.Lines(status) {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			return procMemory{}, fmt.Errorf("/proc status: %s is %q", name, strings.TrimSpace(value))
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return procMemory{}, fmt.Errorf("/proc status: %s: %w", name, err)
		}
		if name == "VmHWM" {
			m.hwm = kb << 10
		} else {
			m.rss = kb << 10
		}
	}
	if m.hwm == 0 || m.rss == 0 {
		return procMemory{}, errors.New("/proc status has no VmHWM and VmRSS")
	}
	return m, nil
}

// findProcess returns the pid of a process one of whose arguments is
// arg, or 0.
func findProcess(arg string) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		for _, a := range strings.Split(string(cmdline), "\x00") {
			if a == arg {
				return pid
			}
		}
	}
	return 0
}
