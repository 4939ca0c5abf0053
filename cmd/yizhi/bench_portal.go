package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"golang.org/x/sync/errgroup"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"yizhi/api"
	"yizhi/models"
	"yizhi/store"
)

// benchMySQLServer is the server `bench portal` creates its database on
// when -mysql is not given: the same default as the store tests.
const benchMySQLServer = "root:@tcp(127.0.0.1:3306)/"

// Goals of `bench portal`, at the highest connection count.
const (
	portalGoalRatio = 0.5
	portalGoalP99   = 10 * time.Millisecond
)

const (
	portalLang       = "ug"
	portalWrkThreads = 2
	// portalNginxWorkers is one nginx worker per core of the machine the
	// figures were measured on.
	portalNginxWorkers = 2
	portalNginxFile    = "published.json"
	// portalSeedBatch bounds the rows of one INSERT: a row carries two
	// texts of a few KiB, and max_allowed_packet defaults to 16 MiB.
	portalSeedBatch = 500
)

type portalBench struct {
	mysql       string
	docs        int
	duration    time.Duration
	connections []int
	cpuProfile  string
}

// runPortalBench measures what a portal sees: GET /v1/published/{id} from
// the real API on MariaDB, next to nginx serving the same bytes as a
// static file. Everything it starts (database, API, nginx) is its own.
func runPortalBench(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench portal", flag.ContinueOnError)
	b := portalBench{connections: []int{16, 64}}
	fs.StringVar(&b.mysql, "mysql", benchMySQLServer, "MySQL or MariaDB server, as a Go MySQL DSN without a database (mysql:// optional); the bench creates and drops a database of its own")
	fs.IntVar(&b.docs, "docs", 10_000, "published documents to seed")
	fs.DurationVar(&b.duration, "duration", 10*time.Second, "how long wrk runs against each server at each connection count")
	fs.StringVar(&b.cpuProfile, "cpuprofile", "", "write a CPU profile of the API during the yizhi run at 64 connections to `FILE`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if b.docs < 1 || b.duration < time.Second {
		return errors.New("bench portal: -docs must be positive and -duration at least 1s")
	}
	wrk, nginx, err := portalTools()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "yizhi-bench-portal-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	quiet := slog.New(slog.DiscardHandler)
	db, err := createBenchDatabase(ctx, b.mysql, fmt.Sprintf("yizhi_bench_portal_%d", os.Getpid()))
	if err != nil {
		return err
	}
	defer db.drop()
	st, err := store.Open(ctx, db.url, quiet)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	ids, err := seedPublished(ctx, db.dsn, b.docs)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	seeded := time.Since(start)
	token, err := createPortalUser(ctx, st)
	if err != nil {
		return err
	}

	// The API logs every read that wrk abandons as it stops; failed reads
	// show up as wrk's non-2xx count instead.
	base, stopAPI, err := startPortalAPI(ctx, cfg, quiet, st)
	if err != nil {
		return err
	}
	defer stopAPI()
	start = time.Now()
	sizes, err := warmUp(ctx, base, token, ids)
	if err != nil {
		return err
	}
	warm := time.Since(start)
	median := medianAnswer(sizes)
	sample, err := fetchPublished(ctx, base, ids[median], token)
	if err != nil {
		return err
	}
	ngx, err := startNginx(ctx, nginx, dir, sample)
	if err != nil {
		return err
	}
	defer ngx.stop()
	bareBase, stopBare, err := startBareServer(ctx, cfg, quiet, sample)
	if err != nil {
		return err
	}
	defer stopBare()
	script := filepath.Join(dir, "portal.lua")
	lua, err := wrkScript(token, ids)
	if err != nil {
		return err
	}
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "portal: GET /v1/published/{id}?lang=%s over %d published documents (seeded in %.1fs, each read once in %.1fs before measuring), MariaDB %s, %d–%d bytes of JSON per read; nginx's file is the median answer, %d bytes\n",
		portalLang, b.docs, seeded.Seconds(), warm.Seconds(), db.version, slices.Min(sizes), slices.Max(sizes), len(sample.body))
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		gogc = "100 (Go's default)"
	}
	fmt.Fprintf(stdout, "yizhi: the API handler in this process, GOMAXPROCS=%d, GOGC=%s, portal cache of %d documents (YIZHI_CACHE_DOCUMENTS); nginx: %s with %d workers serving the same bytes and headers from a file\n",
		runtime.GOMAXPROCS(0), gogc, cfg.CacheDocuments, nginxVersion(nginx), portalNginxWorkers)
	fmt.Fprintf(stdout, "bare net/http: the same bytes and headers from a handler that does nothing else, on an http.Server configured as the API's, in this process: the floor of any Go server here.\n")
	fmt.Fprintf(stdout, "wrk --latency -t%d -d%s with one script for every server: the same paths, cycling through every document id, and the same headers. Plain wrk (no script, one path) against nginx is shown for reference. wrk, nginx, yizhi and MariaDB share the %d cores of this machine.\n\n",
		portalWrkThreads, b.duration, runtime.NumCPU())

	targets := portalTargets{wrk: wrk, script: script, yizhiURL: base + "/", nginxURL: ngx.url, nginxPID: ngx.pid,
		bareURL: bareBase + "/", plainPath: fmt.Sprintf("v1/published/%d?lang=%s", ids[0], portalLang)}
	fmt.Fprintf(stdout, "| connections | yizhi req/s | nginx req/s | ratio | yizhi p50 | yizhi p99 | nginx p50 | nginx p99 | bare net/http req/s | bare net/http p99 | nginx req/s, plain wrk |\n")
	fmt.Fprintf(stdout, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	var rounds []portalRound
	for i, c := range b.connections {
		profile := ""
		if i == len(b.connections)-1 {
			profile = b.cpuProfile
		}
		r, err := targets.run(ctx, c, b.duration, profile)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "| %d | %.0f | %.0f | %.3f× | %s | %s | %s | %s | %.0f | %s | %.0f |\n", r.connections,
			r.yizhi.RequestsPerSec, r.nginx.RequestsPerSec, r.yizhi.RequestsPerSec/r.nginx.RequestsPerSec,
			formatLatency(r.yizhi.Latency[50]), formatLatency(r.yizhi.Latency[99]),
			formatLatency(r.nginx.Latency[50]), formatLatency(r.nginx.Latency[99]),
			r.bare.RequestsPerSec, formatLatency(r.bare.Latency[99]), r.nginxPlain.RequestsPerSec)
		rounds = append(rounds, r)
	}
	for _, r := range rounds {
		if r.yizhi.SocketErrors != "" {
			fmt.Fprintf(stdout, "note: yizhi at %d connections: socket errors: %s\n", r.connections, r.yizhi.SocketErrors)
		}
		if r.nginx.SocketErrors != "" {
			fmt.Fprintf(stdout, "note: nginx at %d connections: socket errors: %s\n", r.connections, r.nginx.SocketErrors)
		}
	}

	// CPU time per read does not depend on who else uses the cores, as
	// requests per second do.
	fmt.Fprintf(stdout, "\nCPU time per read, from /proc (MariaDB's includes anyone else's queries):\n\n")
	fmt.Fprintf(stdout, "| connections | yizhi (this process) | MariaDB | nginx (all processes) | bare net/http (this process) | wrk against yizhi | wrk against nginx | plain wrk against nginx |\n")
	fmt.Fprintf(stdout, "|---|---|---|---|---|---|---|---|\n")
	for _, r := range rounds {
		fmt.Fprintf(stdout, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", r.connections,
			formatCPU(r.yizhiCPU), formatCPU(r.mariadbCPU), formatCPU(r.nginxCPU), formatCPU(r.bareCPU),
			formatCPU(perRequest(0, r.yizhi.CPU, r.yizhi.Requests)), formatCPU(perRequest(0, r.nginx.CPU, r.nginx.Requests)),
			formatCPU(perRequest(0, r.nginxPlain.CPU, r.nginxPlain.Requests)))
	}

	last := rounds[len(rounds)-1]
	ratio := last.yizhi.RequestsPerSec / last.nginx.RequestsPerSec
	fmt.Fprintf(stdout, "\ngoals at %d connections:\n", last.connections)
	fmt.Fprintf(stdout, "  requests/s ≥ %.1f× nginx's: %.3f× — %s\n", portalGoalRatio, ratio, goalVerdict(ratio >= portalGoalRatio))
	fmt.Fprintf(stdout, "  p99 ≤ %s: %s — %s\n", formatLatency(portalGoalP99), formatLatency(last.yizhi.Latency[99]),
		goalVerdict(last.yizhi.Latency[99] <= portalGoalP99))
	if b.cpuProfile != "" {
		fmt.Fprintf(stdout, "\nCPU profile of the API at %d connections: %s (go tool pprof -top %s)\n", last.connections, b.cpuProfile, b.cpuProfile)
	}
	return nil
}

// portalTargets is what a round of wrk runs reads from.
type portalTargets struct {
	wrk, script        string
	yizhiURL, nginxURL string
	nginxPID           int
	bareURL            string
	// plainPath is one document's path, for wrk without the script.
	plainPath string
}

// portalRound is one connection count: a wrk run against each server,
// and the CPU time per read of each server's processes (-1 if unknown).
// nginxPlain is nginx under wrk without the script, for reference: the
// script costs wrk a few microseconds a request, on the cores the
// servers share.
type portalRound struct {
	connections                             int
	yizhi, nginx, bare, nginxPlain          wrkResult
	yizhiCPU, mariadbCPU, nginxCPU, bareCPU time.Duration
}

// run measures yizhi, nginx and the bare net/http server, with c
// connections for d each and the same wrk script, then nginx once more
// under plain wrk. It profiles the
// yizhi run into cpuProfile if that is not "".
func (t portalTargets) run(ctx context.Context, c int, d time.Duration, cpuProfile string) (portalRound, error) {
	r := portalRound{connections: c}
	stopProfile := func() {}
	if cpuProfile != "" {
		var err error
		if stopProfile, err = startCPUProfile(cpuProfile); err != nil {
			return r, err
		}
	}
	self, mariadb := []int{os.Getpid()}, findProcessesNamed("mariadbd", "mysqld")
	selfBefore, mariadbBefore := processesCPU(self), processesCPU(mariadb)
	var err error
	r.yizhi, err = runWrk(ctx, t.wrk, c, d, t.script, t.yizhiURL)
	stopProfile()
	if err != nil {
		return r, fmt.Errorf("wrk against yizhi, %d connections: %w", c, err)
	}
	r.yizhiCPU = perRequest(selfBefore, processesCPU(self), r.yizhi.Requests)
	r.mariadbCPU = perRequest(mariadbBefore, processesCPU(mariadb), r.yizhi.Requests)

	nginx := processTree(t.nginxPID)
	nginxBefore := processesCPU(nginx)
	if r.nginx, err = runWrk(ctx, t.wrk, c, d, t.script, t.nginxURL); err != nil {
		return r, fmt.Errorf("wrk against nginx, %d connections: %w", c, err)
	}
	r.nginxCPU = perRequest(nginxBefore, processesCPU(nginx), r.nginx.Requests)

	selfBefore = processesCPU(self)
	if r.bare, err = runWrk(ctx, t.wrk, c, d, t.script, t.bareURL); err != nil {
		return r, fmt.Errorf("wrk against bare net/http, %d connections: %w", c, err)
	}
	r.bareCPU = perRequest(selfBefore, processesCPU(self), r.bare.Requests)
	if r.nginxPlain, err = runWrk(ctx, t.wrk, c, d, "", t.nginxURL+t.plainPath); err != nil {
		return r, fmt.Errorf("plain wrk against nginx, %d connections: %w", c, err)
	}
	return r, nil
}

func formatCPU(d time.Duration) string {
	if d < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}

// processesCPU returns the CPU time pids have used so far, -1 if none of
// them could be read.
func processesCPU(pids []int) time.Duration {
	total := time.Duration(-1)
	for _, pid := range pids {
		if st, err := readProcStat(pid); err == nil {
			total = max(total, 0) + st.cpu
		}
	}
	return total
}

// perRequest divides the CPU time used between from and to by the
// requests served meanwhile; -1 when a reading is missing.
func perRequest(from, to time.Duration, requests int64) time.Duration {
	if from < 0 || to < 0 || requests <= 0 {
		return -1
	}
	return (to - from) / time.Duration(requests)
}

// procStat is what the bench reads from /proc/PID/stat.
type procStat struct {
	comm string
	ppid int
	cpu  time.Duration // user and system time
}

// userHZ is the unit of the times in /proc/PID/stat: USER_HZ, which is
// 100 on every architecture Go runs Linux on.
const userHZ = 100

func readProcStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(string(b))
}

// parseProcStat reads a /proc/PID/stat line. The command name is in
// parentheses and may itself hold spaces and parentheses, so the fields
// are counted from the last ')'.
func parseProcStat(stat string) (procStat, error) {
	open, end := strings.IndexByte(stat, '('), strings.LastIndexByte(stat, ')')
	if open < 0 || end < open {
		return procStat{}, errors.New("/proc stat: no command name")
	}
	fields := strings.Fields(stat[end+1:])
	// fields[0] is field 3 of proc(5), the state.
	if len(fields) < 13 {
		return procStat{}, errors.New("/proc stat: too few fields")
	}
	ppid, err1 := strconv.Atoi(fields[1])
	utime, err2 := strconv.ParseInt(fields[11], 10, 64)
	stime, err3 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return procStat{}, fmt.Errorf("/proc stat: %w", err)
	}
	return procStat{comm: stat[open+1 : end], ppid: ppid, cpu: time.Duration(utime+stime) * time.Second / userHZ}, nil
}

// allProcesses reads the stat of every process.
func allProcesses() map[int]procStat {
	out := map[int]procStat{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			if st, err := readProcStat(pid); err == nil {
				out[pid] = st
			}
		}
	}
	return out
}

// processTree returns pid and its children.
func processTree(pid int) []int {
	pids := []int{pid}
	for child, st := range allProcesses() {
		if st.ppid == pid {
			pids = append(pids, child)
		}
	}
	return pids
}

func findProcessesNamed(names ...string) []int {
	var pids []int
	for pid, st := range allProcesses() {
		if slices.Contains(names, st.comm) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// startCPUProfile profiles this process, which is the API, while wrk
// reads from it.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func goalVerdict(met bool) string {
	if met {
		return "met"
	}
	return "missed"
}

func formatLatency(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// portalTools finds wrk and nginx, which the bench drives from outside.
func portalTools() (wrk, nginx string, err error) {
	wrk, errWrk := exec.LookPath("wrk")
	nginx, errNginx := exec.LookPath("nginx")
	if errNginx != nil {
		// Debian installs nginx under /usr/sbin, which a user's PATH
		// often lacks.
		if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
			nginx, errNginx = "/usr/sbin/nginx", nil
		}
	}
	if errWrk != nil || errNginx != nil {
		return "", "", errors.New("bench portal needs wrk and nginx on this machine; on Debian: apt-get install wrk nginx")
	}
	return wrk, nginx, nil
}

func nginxVersion(bin string) string {
	out, err := exec.Command(bin, "-v").CombinedOutput()
	if err != nil {
		return "nginx"
	}
	_, v, _ := strings.Cut(strings.TrimSpace(string(out)), "version: ")
	return v
}

// benchDatabase is a database created for one bench run.
type benchDatabase struct {
	url     string // for store.Open
	dsn     string // for gorm's MySQL driver
	version string
	drop    func()
}

// createBenchDatabase creates the database name on server (a Go MySQL
// DSN without a database) and returns how to reach and drop it. drop
// works even after ctx is cancelled, so Ctrl-C leaves nothing behind.
func createBenchDatabase(ctx context.Context, server, name string) (*benchDatabase, error) {
	cfg, err := mysql.ParseDSN(strings.TrimPrefix(server, "mysql://"))
	if err != nil {
		return nil, fmt.Errorf("-mysql: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, fmt.Errorf("-mysql: %w", err)
	}
	db := &benchDatabase{}
	if err := admin.QueryRowContext(ctx, "SELECT VERSION()").Scan(&db.version); err != nil {
		admin.Close()
		return nil, fmt.Errorf("MySQL at %s (-mysql): %w", cfg.Addr, err)
	}
	// A name is only ever reused by a later process with the same pid,
	// whose predecessor was killed before it could drop it.
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
		admin.Close()
		return nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	db.drop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
			fmt.Fprintf(os.Stderr, "bench: could not drop database %s: %v\n", name, err)
		}
		admin.Close()
	}
	dbCfg := cfg.Clone()
	dbCfg.DBName = name
	dbCfg.ParseTime = true
	dbCfg.Loc = time.UTC
	if err := dbCfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_bin")); err != nil {
		db.drop()
		return nil, err
	}
	db.dsn = dbCfg.FormatDSN()
	db.url = "mysql://" + db.dsn
	return db, nil
}

// seedPublished writes docs documents, each with its source, a job and a
// published Uyghur translation, in bulk and in one transaction; going
// through workflows would take hours for no difference to the reads. It
// returns the document ids.
func seedPublished(ctx context.Context, dsn string, docs int) ([]int64, error) {
	precision := 6
	db, err := gorm.Open(gormmysql.New(gormmysql.Config{DSN: dsn, DefaultDatetimePrecision: &precision}),
		&gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		return nil, err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	rng := rand.New(rand.NewPCG(3, 4))
	now := time.Now().UTC().Truncate(time.Microsecond)
	deadline := now.Add(models.NormalWindow)
	documents := make([]models.Document, docs)
	sources := make([]models.SourceVersion, docs)
	translations := make([]models.PublishedVersion, docs)
	for d := range docs {
		title := fmt.Sprintf("（2024）新01民初%d号民事判决书", d+1)
		var body strings.Builder
		for range 6 + rng.IntN(4) {
			body.WriteString(benchSentences[rng.IntN(len(benchSentences))])
		}
		fmt.Fprintf(&body, "本案受理费人民币%d元，由被告负担。", 50+rng.IntN(5000))
		ugTitle := fmt.Sprintf("(2024) شىنجاڭ 01 ھەق تەلەپ دەسلەپكى %d-نومۇرلۇق ھۆكۈمنامە", d+1)
		var ugBody strings.Builder
		for range 6 + rng.IntN(4) {
			ugBody.WriteString(uyghurSentences[rng.IntN(len(uyghurSentences))])
			ugBody.WriteString(" ")
		}
		fmt.Fprintf(&ugBody, "بۇ دېلونىڭ دەۋا ھەققى %d يۈەن بولۇپ، جاۋابكار كۆتىرىدۇ.", 50+rng.IntN(5000))

		sourceHash := models.ContentHash(title, body.String())
		documents[d] = models.Document{
			ExternalID: fmt.Sprintf("bench-portal-%d", d+1), Court: "新疆维吾尔自治区乌鲁木齐市中级人民法院",
			Kind: models.KindJudgment, Priority: models.PriorityNormal, Profile: models.ProfileFull,
			SourceLang: models.SourceLang, CurrentVersion: 1, Deadline: deadline,
			IntakeHash: models.ContentHash("新疆维吾尔自治区乌鲁木齐市中级人民法院", models.KindJudgment, title, body.String()),
			CreatedAt:  now, UpdatedAt: now,
		}
		sources[d] = models.SourceVersion{Version: 1, Title: title, Body: body.String(), ContentHash: sourceHash, CreatedAt: now}
		translations[d] = models.PublishedVersion{
			Lang: portalLang, Version: 1, ReviewTaskID: int64(d + 1), SourceVersion: 1, SourceHash: sourceHash,
			Title: ugTitle, Body: ugBody.String(), ContentHash: models.ContentHash(ugTitle, ugBody.String()),
			MachineAssisted: true, PublishedAt: now,
		}
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(documents, portalSeedBatch).Error; err != nil {
			return err
		}
		jobs := make([]models.TranslationJob, docs)
		for d := range docs {
			sources[d].DocumentID = documents[d].ID
			jobs[d] = models.TranslationJob{
				DocumentID: documents[d].ID, Lang: portalLang, SourceVersion: 1, State: models.JobPublished,
				Round: 1, Deadline: deadline, PublishedVersion: 1, Revision: 1, CreatedAt: now, UpdatedAt: now,
			}
		}
		if err := tx.CreateInBatches(sources, portalSeedBatch).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(jobs, portalSeedBatch).Error; err != nil {
			return err
		}
		for d := range docs {
			translations[d].DocumentID, translations[d].JobID = documents[d].ID, jobs[d].ID
		}
		return tx.CreateInBatches(translations, portalSeedBatch).Error
	})
	if err != nil {
		return nil, err
	}
	// The ids the database holds, not the ones gorm inferred, are what
	// the reads will ask for.
	var ids []int64
	if err := db.WithContext(ctx).Model(&models.PublishedVersion{}).Order("document_id").Pluck("document_id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) != docs {
		return nil, fmt.Errorf("seeded %d published versions, want %d", len(ids), docs)
	}
	return ids, nil
}

// uyghurSentences are the Uyghur counterparts of benchSentences' kind of
// court text, in the Arabic script portals serve.
var uyghurSentences = []string{
	"ئەرز قىلغۇچى ئابدۇراخمان مەمەت بىلەن جاۋابكار شىنجاڭ مەلۇم قۇرۇلۇش چەكلىك شىركىتى ئوتتۇرىسىدىكى قۇرۇلۇش توختامى ماجىراسى دېلوسىنى بۇ مەھكىمە 2024-يىلى 3-ئاينىڭ 15-كۈنى دېلو قىلىپ تۇرغۇزغاندىن كېيىن، قانۇن بويىچە ئادەتتىكى تەرتىپنى قوللىنىپ، ئاشكارا سوت ئېچىپ سوتلىدى.",
	"ئەرز قىلغۇچى بۇ مەھكىمىگە تۆۋەندىكى دەۋا تەلىپىنى قويدى: جاۋابكارنىڭ قۇرۇلۇش ھەققى 1,234,567.89 يۈەن ۋە ۋاقتىدا تۆلىمىگەنلىك ئۆسۈمىنى تۆلىشىگە ھۆكۈم قىلىنسۇن.",
	"بۇ مەھكىمە مۇنداق دەپ قارايدۇ: دەۋالاشقۇچى ئۆزى ئوتتۇرىغا قويغان دەۋا تەلىپىگە ئاساس بولغان پاكىتلارنى ئىسپاتلاش ئۈچۈن دەلىل-ئىسپات كۆرسىتىشى كېرەك.",
	"«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ ھەق تەلەپ دەۋا قانۇنى»نىڭ 170-ماددىسى 1-تارمىقىنىڭ 1-تۈرىدىكى بەلگىلىمىگە ئاساسەن، تۆۋەندىكىدەك ھۆكۈم قىلىندى:",
	"يۇقىرى ئەرز رەت قىلىنىپ، ئەسلى ھۆكۈم ساقلاپ قېلىنسۇن.",
	"بۇ ھۆكۈمگە قايىل بولمىسا، ھۆكۈمنامە تاپشۇرۇۋېلىنغان كۈندىن باشلاپ 15 كۈن ئىچىدە بۇ مەھكىمىگە يۇقىرى ئەرزنامە سۇنسا بولىدۇ.",
}

// createPortalUser adds the user a portal reads as, and returns its token.
func createPortalUser(ctx context.Context, st *store.Store) (string, error) {
	token, err := api.NewToken()
	if err != nil {
		return "", err
	}
	u := &models.User{Name: "bench-portal", Roles: []models.Role{models.RolePortal}, TokenHash: api.HashToken(token)}
	if err := st.CreateUser(ctx, u); err != nil {
		return "", err
	}
	return token, nil
}

// startPortalAPI serves the real API, as `yizhi api` builds it (with its
// portal cache as YIZHI_CACHE_DOCUMENTS sets it), on a free port. It has
// no Temporal client: published reads never reach Temporal.
func startPortalAPI(ctx context.Context, cfg Config, log *slog.Logger, st *store.Store) (string, func(), error) {
	h := newAPI(cfg, log, &services{store: st})
	watchCtx, stopWatching := context.WithCancel(ctx)
	go watchChanges(watchCtx, cfg, log, h)
	base, stop, err := serveLocally(ctx, cfg, log, h, "/healthz")
	if err != nil {
		stopWatching()
		return "", nil, err
	}
	return base, func() { stopWatching(); stop() }, nil
}

// serveLocally serves h through serveAPI, with the API's http.Server
// settings, on a free local port, and returns once health answers.
func serveLocally(ctx context.Context, cfg Config, log *slog.Logger, h http.Handler, health string) (string, func(), error) {
	port, err := freeLocalPort()
	if err != nil {
		return "", nil, err
	}
	cfg.HTTPAddr = fmt.Sprintf("127.0.0.1:%d", port)
	serveCtx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- serveAPI(serveCtx, cfg, log, h) }()
	stop := func() {
		cancel()
		<-errc
	}
	base := "http://" + cfg.HTTPAddr
	if err := waitHTTP(ctx, base+health, errc, 10*time.Second); err != nil {
		stop()
		return "", nil, err
	}
	return base, stop, nil
}

// startBareServer serves sample, whatever the path, from a handler that
// does nothing else, through serveAPI: the same http.Server settings as
// the API. What wrk measures against it is the cost of Go's HTTP server
// alone, which the API cannot go below.
func startBareServer(ctx context.Context, cfg Config, log *slog.Logger, sample *publishedSample) (string, func(), error) {
	header := http.Header{"Content-Length": {strconv.Itoa(len(sample.body))}}
	for _, h := range sample.headers {
		header.Set(h.Name, h.Value)
	}
	bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		maps.Copy(w.Header(), header)
		_, _ = w.Write(sample.body)
	})
	return serveLocally(ctx, cfg, log, bare, "/")
}

// warmUp reads every document once, so the figures are those of a
// portal that has been running, not of a server that has just started
// (whose portal cache, if it has one, is empty).
//
// It returns the size of each answer's body, in the order of ids.
func warmUp(ctx context.Context, base, token string, ids []int64) ([]int, error) {
	sizes := make([]int, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, id := range ids {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			sample, err := fetchPublished(gctx, base, id, token)
			if err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
			sizes[i] = len(sample.body)
			return nil
		})
	}
	return sizes, g.Wait()
}

// medianAnswer is the index of an answer of median size: nginx serves
// that one, so neither server sends more bytes on the whole.
func medianAnswer(sizes []int) int {
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return sizes[a] - sizes[b] })
	return order[len(order)/2]
}

// waitHTTP waits until url answers 200, the server behind it fails
// (errc), or patience runs out.
func waitHTTP(ctx context.Context, url string, errc <-chan error, patience time.Duration) error {
	deadline := time.Now().Add(patience)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s answered %s", url, resp.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not come up: %w", url, err)
		}
		select {
		case err := <-errc:
			return fmt.Errorf("server stopped before it answered %s: %w", url, err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freeLocalPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// publishedSample is one response of GET /v1/published/{id}, which nginx
// then serves byte for byte.
type publishedSample struct {
	body    []byte
	headers []httpHeader
}

// mirroredHeaders are the headers of a published read that nginx repeats,
// so both servers send the same payload.
var mirroredHeaders = []string{"Content-Type", "ETag", "Vary", "Content-Language", "Cache-Control"}

// portalClient keeps a connection per warm-up reader; the default client
// keeps two and would open a new one for most reads.
var portalClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

func fetchPublished(ctx context.Context, base string, id int64, token string) (*publishedSample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/published/%d?lang=%s", base, id, portalLang), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := portalClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /v1/published/%d answered %s: %s", id, resp.Status, body)
	}
	var view struct {
		Lang     string `json:"lang"`
		Fallback bool   `json:"fallback"`
	}
	if err := json.Unmarshal(body, &view); err != nil {
		return nil, fmt.Errorf("GET /v1/published/%d: %w", id, err)
	}
	if view.Lang != portalLang || view.Fallback {
		return nil, fmt.Errorf("GET /v1/published/%d served %s (fallback %t), not the seeded %s translation", id, view.Lang, view.Fallback, portalLang)
	}
	s := &publishedSample{body: body}
	for _, name := range mirroredHeaders {
		if v := resp.Header.Get(name); v != "" {
			s.headers = append(s.headers, httpHeader{Name: name, Value: v})
		}
	}
	return s, nil
}

type httpHeader struct{ Name, Value string }

// nginxSite is what nginxConfig needs to serve one file.
type nginxSite struct {
	Dir     string // pid file, error log and temp paths
	Root    string // holds the served file; readable by nginx's workers
	Port    int
	Workers int
	// Headers go out with the file; Content-Type replaces nginx's own.
	Headers []httpHeader
}

var headerName = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// nginxConfig renders a configuration that serves every file under Root
// with s.Headers, logging errors only.
func nginxConfig(s nginxSite) (string, error) {
	if s.Port <= 0 || s.Port > 65535 {
		return "", fmt.Errorf("nginx: port %d", s.Port)
	}
	if s.Workers < 1 {
		return "", fmt.Errorf("nginx: %d workers", s.Workers)
	}
	contentType := "application/octet-stream"
	var headers strings.Builder
	for _, h := range s.Headers {
		if !headerName.MatchString(h.Name) {
			return "", fmt.Errorf("nginx: header name %q", h.Name)
		}
		if strings.ContainsFunc(h.Value, isControl) {
			return "", fmt.Errorf("nginx: header %s has a control character", h.Name)
		}
		switch strings.ToLower(h.Name) {
		case "content-type":
			contentType = h.Value
		case "etag":
			// nginx would send its own ETag for the file next to ours.
			fmt.Fprintf(&headers, "            etag off;\n            add_header ETag %s always;\n", nginxQuote(h.Value))
		default:
			fmt.Fprintf(&headers, "            add_header %s %s always;\n", h.Name, nginxQuote(h.Value))
		}
	}
	for _, p := range []string{s.Dir, s.Root} {
		if p == "" || strings.ContainsFunc(p, isSpaceOrControl) || strings.ContainsAny(p, `'"\;{}`) {
			return "", fmt.Errorf("nginx: path %q", p)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `# Written by yizhi bench portal.
worker_processes %d;
pid %s;
error_log %s error;

events {
    worker_connections 1024;
}

http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    # Go's server keeps a connection for any number of requests; nginx's
    # default of 1000 would make wrk reconnect against nginx only.
    keepalive_requests 1000000;
    open_file_cache max=16 inactive=1h;
    open_file_cache_valid 1h;
    client_body_temp_path %s;
    proxy_temp_path %s;
    fastcgi_temp_path %s;
    uwsgi_temp_path %s;
    scgi_temp_path %s;
    types {}
    default_type %s;

    server {
        listen 127.0.0.1:%d;
        # Every path answers with the one file, so wrk sends nginx the
        # very requests it sends yizhi: /v1/published/{id}?lang=...
        location / {
            root %s;
            try_files /%s =404;
%s        }
    }
}
`, s.Workers, filepath.Join(s.Dir, "nginx.pid"), filepath.Join(s.Dir, "nginx-error.log"),
		filepath.Join(s.Dir, "client_body"), filepath.Join(s.Dir, "proxy"), filepath.Join(s.Dir, "fastcgi"),
		filepath.Join(s.Dir, "uwsgi"), filepath.Join(s.Dir, "scgi"),
		nginxQuote(contentType), s.Port, s.Root, portalNginxFile, headers.String())
	return b.String(), nil
}

func isControl(r rune) bool {
	return r < ' ' || r == 0x7f
}

// nginxQuote quotes a directive argument; inside single quotes nginx
// takes a backslash as escaping the next character.
func nginxQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// nginxServer is a running nginx.
type nginxServer struct {
	url  string // its root; every path serves the file
	pid  int    // of the master process
	stop func()
}

// startNginx serves sample from dir with nginx in the foreground.
func startNginx(ctx context.Context, bin, dir string, sample *publishedSample) (*nginxServer, error) {
	root := filepath.Join(dir, "www")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	// Workers of an nginx started by root run as nobody: they must be
	// able to reach the file through the private temp dir.
	if err := os.Chmod(dir, 0o711); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(root, portalNginxFile), sample.body, 0o644); err != nil {
		return nil, err
	}
	port, err := freeLocalPort()
	if err != nil {
		return nil, err
	}
	conf, err := nginxConfig(nginxSite{Dir: dir, Root: root, Port: port, Workers: portalNginxWorkers, Headers: sample.headers})
	if err != nil {
		return nil, err
	}
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "nginx-error.log"), "-c", confPath, "-g", "daemon off;")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(done)
	}()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	errc := make(chan error, 1)
	go func() {
		<-done
		errLog, _ := os.ReadFile(filepath.Join(dir, "nginx-error.log"))
		errc <- fmt.Errorf("nginx exited (%v): %s%s", waitErr, out.String(), errLog)
	}()
	if err := waitHTTP(ctx, url, errc, 10*time.Second); err != nil {
		stop()
		return nil, err
	}
	return &nginxServer{url: url, pid: cmd.Process.Pid, stop: stop}, nil
}

// wrkScript makes wrk send the portal's token and spread its reads over
// every id; each thread starts at a different place in the list.
func wrkScript(token string, ids []int64) (string, error) {
	if token == "" || strings.ContainsFunc(token, func(r rune) bool {
		return !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return "", errors.New("wrk script: the token must be URL-safe base64")
	}
	if len(ids) == 0 {
		return "", errors.New("wrk script: no ids")
	}
	var b strings.Builder
	b.WriteString("-- Written by yizhi bench portal.\nlocal ids = {")
	for i, id := range ids {
		if i%20 == 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteString(",")
	}
	fmt.Fprintf(&b, `
}
wrk.headers["Authorization"] = "Bearer %s"

local threads = 0
function setup(thread)
  thread:set("offset", threads * math.floor(#ids / %d))
  threads = threads + 1
end

offset = 0
local n = 0
function request()
  n = n + 1
  return wrk.format(nil, "/v1/published/" .. ids[(offset + n) %% #ids + 1] .. "?lang=%s")
end
`, token, portalWrkThreads, portalLang)
	return b.String(), nil
}

// runWrk runs wrk for d with c connections against url, through script if
// one is given, and returns what it measured.
func runWrk(ctx context.Context, bin string, c int, d time.Duration, script, url string) (wrkResult, error) {
	args := []string{"--latency", "-t" + strconv.Itoa(portalWrkThreads), "-c" + strconv.Itoa(c),
		"-d" + strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"}
	if script != "" {
		args = append(args, "-s", script)
	}
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return wrkResult{}, ctx.Err()
		}
		return wrkResult{}, fmt.Errorf("%w: %s", err, out)
	}
	res, err := parseWrk(string(out))
	if err != nil {
		return wrkResult{}, fmt.Errorf("%w in:\n%s", err, out)
	}
	res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if res.Non2xx > 0 {
		return wrkResult{}, fmt.Errorf("%d of %d responses were not 2xx or 3xx", res.Non2xx, res.Requests)
	}
	return res, nil
}

// wrkResult is what parseWrk reads from wrk's report.
type wrkResult struct {
	Requests       int64
	RequestsPerSec float64
	// Latency holds the percentiles wrk --latency prints: 50, 75, 90, 99.
	Latency map[int]time.Duration
	// SocketErrors is wrk's "connect 0, read 0, …" line when it has one.
	SocketErrors string
	Non2xx       int64
	// CPU is the time wrk itself ran; runWrk sets it.
	CPU time.Duration
}

var (
	wrkRequestsLine   = regexp.MustCompile(`^\s*(\d+) requests in `)
	wrkPercentileLine = regexp.MustCompile(`^\s*(\d+)%\s+(\S+)\s*$`)
)

// parseWrk reads requests per second, the latency distribution and any
// errors from the output of wrk --latency.
func parseWrk(out string) (wrkResult, error) {
	res := wrkResult{Latency: map[int]time.Duration{}, RequestsPerSec: -1}
	inDistribution := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "Latency Distribution" {
			inDistribution = true
			continue
		}
		if inDistribution {
			if m := wrkPercentileLine.FindStringSubmatch(line); m != nil {
				p, _ := strconv.Atoi(m[1])
				d, err := time.ParseDuration(m[2])
				if err != nil {
					return wrkResult{}, fmt.Errorf("wrk: latency %q: %w", m[2], err)
				}
				res.Latency[p] = d
				continue
			}
			inDistribution = false
		}
		switch {
		case strings.HasPrefix(trimmed, "Requests/sec:"):
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(trimmed, "Requests/sec:")), 64)
			if err != nil {
				return wrkResult{}, fmt.Errorf("wrk: %q: %w", trimmed, err)
			}
			res.RequestsPerSec = v
		case strings.HasPrefix(trimmed, "Socket errors:"):
			res.SocketErrors = strings.TrimSpace(strings.TrimPrefix(trimmed, "Socket errors:"))
		case strings.HasPrefix(trimmed, "Non-2xx or 3xx responses:"):
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(trimmed, "Non-2xx or 3xx responses:")), 10, 64)
			if err != nil {
				return wrkResult{}, fmt.Errorf("wrk: %q: %w", trimmed, err)
			}
			res.Non2xx = n
		default:
			if m := wrkRequestsLine.FindStringSubmatch(line); m != nil {
				res.Requests, _ = strconv.ParseInt(m[1], 10, 64)
			}
		}
	}
	if res.RequestsPerSec < 0 {
		return wrkResult{}, errors.New("wrk: no Requests/sec line")
	}
	for _, p := range []int{50, 99} {
		if _, ok := res.Latency[p]; !ok {
			return wrkResult{}, fmt.Errorf("wrk: no %d%% latency (was it run with --latency?)", p)
		}
	}
	return res, nil
}
