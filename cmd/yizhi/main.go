// Command yizhi is the one binary of the system: dev, api, worker and
// migrate are its subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"yizhi/activities"
	"yizhi/api"
	"yizhi/assist"
	"yizhi/assist/mt"
	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
	"yizhi/ui"
	"yizhi/worker"
)

const usage = `usage: yizhi <command>

commands:
  dev       API and worker in one process on the embedded SQLite database
  api       the HTTP API (stateless; run as many as you like)
  worker    the Temporal worker (workflows and activities)
  migrate   create or update the database schema, then exit
  bench     performance benchmarks, each against a baseline (yizhi bench for the list)
  tm        translation memory exchange: tm import FILE.tmx, tm export --lang ug --out FILE
  healthcheck api|worker
            exit 0 if this container's API answers /healthz, or (worker)
            if the Temporal frontend answers

Configuration comes from YIZHI_* environment variables; see README.md.
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (len(args) > 1 && args[0] != "healthcheck" && args[0] != "bench" && args[0] != "tm") {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "yizhi: %v\n", err)
		return 2
	}
	log := cfg.Logger(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var cmd func(context.Context, Config, *slog.Logger, io.Writer) error
	switch args[0] {
	case "dev":
		cmd = runDev
	case "api":
		cmd = runAPI
	case "worker":
		cmd = runWorker
	case "migrate":
		cmd = runMigrate
	case "healthcheck":
		if len(args) != 2 || (args[1] != "api" && args[1] != "worker") {
			fmt.Fprint(stderr, usage)
			return 2
		}
		cmd = runAPIHealthcheck
		if args[1] == "worker" {
			cmd = runWorkerHealthcheck
		}
	case "bench":
		cmd = func(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer) error {
			return runBench(ctx, cfg, log, args[1:], stdout)
		}
	case "tm":
		err := runTM(ctx, cfg, log, args[1:], stdout, stderr)
		switch {
		case errors.Is(err, errTMUsage):
			return 2
		case err != nil:
			fmt.Fprintf(stderr, "yizhi tm: %v\n", err)
			return 1
		}
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "yizhi: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, cfg, log, stdout); err != nil {
		log.Error("yizhi "+args[0]+" failed", "err", err)
		return 1
	}
	return 0
}

func runMigrate(ctx context.Context, cfg Config, log *slog.Logger, _ io.Writer) error {
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	log.Info("database schema is up to date", "driver", st.Dialect())
	return nil
}

func runAPI(ctx context.Context, cfg Config, log *slog.Logger, _ io.Writer) error {
	svc, err := connect(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := bootstrapAdmin(ctx, svc.store, cfg.BootstrapAdminToken); err != nil {
		return err
	}
	key := []byte(cfg.SessionKey)
	if len(key) == 0 {
		log.Warn("YIZHI_SESSION_KEY is empty: workbench sign-ins last only as long as this process and only on this replica")
		random, err := api.NewToken() // 32 random bytes
		if err != nil {
			return err
		}
		key = []byte(random)
	}
	srv := newAPI(cfg, log, svc)
	go watchChanges(ctx, cfg, log, srv)
	return serveAPI(ctx, cfg, log, withWorkbench(cfg, log, srv, key))
}

func runWorker(ctx context.Context, cfg Config, log *slog.Logger, _ io.Writer) error {
	svc, err := connect(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	w, err := newWorker(ctx, cfg, svc, log)
	if err != nil {
		return err
	}
	return runTemporalWorker(ctx, log, w)
}

// services are what the long-running subcommands connect to.
type services struct {
	store    *store.Store
	temporal client.Client
	mt       *mt.Router // nil without YIZHI_MT_CONFIG
}

// connect opens the database (migrating it if asked), reads the MT
// configuration and dials Temporal.
func connect(ctx context.Context, cfg Config, log *slog.Logger, migrate bool) (*services, error) {
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	svc := &services{store: st}
	if migrate {
		err = st.Migrate(ctx)
	}
	if err == nil {
		svc.mt, err = loadMT(cfg, log)
	}
	if err == nil {
		svc.temporal, err = dialTemporal(ctx, cfg, log)
	}
	if err != nil {
		svc.Close()
		return nil, err
	}
	return svc, nil
}

func (s *services) Close() {
	if s.temporal != nil {
		s.temporal.Close()
	}
	s.store.Close()
}

// runDev is the zero-setup mode: SQLite under the data dir, schema migrated
// at start, an admin token kept between runs, API and worker together.
func runDev(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer) error {
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("YIZHI_DATA_DIR: %w", err)
	}
	svc, err := connect(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer svc.Close()
	token, err := devAdminToken(cfg)
	if err != nil {
		return err
	}
	sessionKey, err := devSessionKey(cfg)
	if err != nil {
		return err
	}
	if err := bootstrapAdmin(ctx, svc.store, token); err != nil {
		return err
	}
	w, err := newWorker(ctx, cfg, svc, log)
	if err != nil {
		return err
	}
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()

	fmt.Fprintf(stdout, `
  Yizhi is running.
    API          %s   (try %s/v1/languages)
    Workbench    %s/ui/
    Temporal UI  %s
    Database     %s
    Admin token  %s
`, cfg.PublicURL, cfg.PublicURL, cfg.PublicURL, cfg.TemporalUIURL, cfg.DatabaseURL, token)
	if svc.mt == nil {
		fmt.Fprintf(stdout, "    MT engines   none configured (YIZHI_MT_CONFIG): suggestions come from the translation memory and glossary only\n")
	} else {
		fmt.Fprintf(stdout, "    MT engines   from %s\n", cfg.MTConfigPath)
		for _, l := range lang.NewRegistry().All() {
			if engines := svc.mt.Engines(models.SourceLang, l.Tag); len(engines) > 0 {
				fmt.Fprintf(stdout, "                 %-8s %s\n", l.Tag, strings.Join(engines, " → "))
			}
		}
	}
	fmt.Fprintf(stdout, "\n  Press Ctrl-C to stop.\n\n")
	srv := newAPI(cfg, log, svc)
	go watchChanges(ctx, cfg, log, srv)
	return serveAPI(ctx, cfg, log, withWorkbench(cfg, log, srv, sessionKey))
}

// withWorkbench serves the workbench under /ui/ beside the API; it calls
// the API in process, with the signed-in user's token.
func withWorkbench(cfg Config, log *slog.Logger, srv *api.Server, sessionKey []byte) http.Handler {
	return ui.Mount(srv, ui.New(ui.Options{
		API: srv, Languages: lang.NewRegistry(), SessionKey: sessionKey,
		SecureCookies: strings.HasPrefix(cfg.PublicURL, "https://"), Log: log.With("component", "ui"),
	}))
}

func runAPIHealthcheck(ctx context.Context, cfg Config, _ *slog.Logger, _ io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.LocalURL()+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %s", resp.Status)
	}
	return nil
}

// runWorkerHealthcheck checks what a worker cannot work without: the
// Temporal frontend of its namespace.
func runWorkerHealthcheck(ctx context.Context, cfg Config, log *slog.Logger, _ io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{
		HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
		Logger: sdklog.NewStructuredLogger(log),
	})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}

func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.Store, error) {
	if cfg.DatabaseDriver == "sqlite" {
		if err := os.MkdirAll(filepath.Dir(cfg.DatabaseDSN), 0o755); err != nil {
			return nil, fmt.Errorf("YIZHI_DATABASE_URL: %w", err)
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return nil, fmt.Errorf("open database (YIZHI_DATABASE_URL): %w", err)
	}
	return st, nil
}

// dialTemporal connects to the frontend, retrying for a while so that the
// services of a fresh deployment may start in any order.
func dialTemporal(ctx context.Context, cfg Config, log *slog.Logger) (client.Client, error) {
	const patience = 60 * time.Second
	deadline := time.Now().Add(patience)
	for {
		c, err := client.DialContext(ctx, client.Options{
			HostPort:  cfg.TemporalAddress,
			Namespace: cfg.TemporalNamespace,
			Logger:    sdklog.NewStructuredLogger(log.With("component", "temporal")),
		})
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("connect to Temporal at %s (YIZHI_TEMPORAL_ADDRESS): %w", cfg.TemporalAddress, err)
		}
		log.Warn("waiting for Temporal", "address", cfg.TemporalAddress, "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func newAPI(cfg Config, log *slog.Logger, svc *services) *api.Server {
	opts := api.Options{
		Store:        svc.store,
		Workflows:    api.TemporalWorkflows{Client: svc.temporal},
		Languages:    lang.NewRegistry(),
		Log:          log,
		MaxBodyBytes: cfg.MaxBodyBytes,
		// Validated by LoadConfig.
		TrustedProxies: splitList(cfg.TrustedProxies),
		CORSOrigins:    splitList(cfg.CORSOrigins),
		CacheDocuments: cfg.CacheDocuments,
	}
	if cfg.CacheDocuments == 0 {
		opts.CacheDocuments = -1 // off
	}
	if svc.mt != nil {
		opts.MTEngines = svc.mt.Engines
	}
	return api.New(opts)
}

// newWorker builds the worker with its translation memory loaded, so the
// first document it assists already sees every approved pair.
func newWorker(ctx context.Context, cfg Config, svc *services, log *slog.Logger) (sdkworker.Worker, error) {
	acts := &activities.Activities{
		Store:  svc.store,
		Log:    log.With("component", "activities"),
		Memory: assist.NewMemory(assist.MemoryOptions{MinScore: cfg.TMMinScore}),
	}
	if svc.mt != nil {
		acts.MT = svc.mt
	}
	start := time.Now()
	if err := acts.LoadMemory(ctx); err != nil {
		return nil, err
	}
	log.Info("translation memory loaded", "entries", acts.Memory.Len(), "took", time.Since(start).Round(time.Millisecond))
	// The cache is shared by every worker in the process and sized when
	// the first one is built, so this comes before worker.New.
	sdkworker.SetStickyWorkflowCacheSize(cfg.WorkflowCache)
	return worker.New(svc.temporal, acts, sdkworker.Options{WorkerStopTimeout: cfg.ShutdownTimeout}), nil
}

// loadMT reads the MT configuration; nil without one.
func loadMT(cfg Config, log *slog.Logger) (*mt.Router, error) {
	if cfg.MTConfigPath == "" {
		return nil, nil
	}
	mtCfg, err := mt.LoadConfig(cfg.MTConfigPath, os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("YIZHI_MT_CONFIG: %w", err)
	}
	engines, err := mt.NewEngines(mtCfg, &http.Client{})
	if err != nil {
		return nil, fmt.Errorf("YIZHI_MT_CONFIG: %w", err)
	}
	return mt.NewRouter(mtCfg, engines, log.With("component", "mt")), nil
}

func runTemporalWorker(ctx context.Context, log *slog.Logger, w sdkworker.Worker) error {
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	log.Info("worker started")
	<-ctx.Done()
	w.Stop()
	log.Info("worker stopped")
	return nil
}

// watchChanges keeps the API's portal cache in step with publications,
// revisions and withdrawals written by any process, until ctx ends.
func watchChanges(ctx context.Context, cfg Config, log *slog.Logger, srv *api.Server) {
	if err := srv.WatchChanges(ctx, cfg.CacheRefresh); err != nil && ctx.Err() == nil {
		log.Error("portal cache cannot follow the feed; turn it off with YIZHI_CACHE_DOCUMENTS=0", "err", err)
	}
}

// serveAPI serves until ctx ends, then drains requests for up to the
// shutdown timeout.
func serveAPI(ctx context.Context, cfg Config, log *slog.Logger, h http.Handler) error {
	srv := &http.Server{
		Addr:              cfg.HTTPAddr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("API listening", "addr", cfg.HTTPAddr)
	select {
	case err := <-errc:
		return fmt.Errorf("YIZHI_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("API stopped")
	return nil
}

// bootstrapAdmin makes the configured token an admin's, so the first user
// can be created through the API.
func bootstrapAdmin(ctx context.Context, st *store.Store, token string) error {
	if token == "" {
		return nil
	}
	_, err := st.EnsureAdmin(ctx, "admin", api.HashToken(token))
	return err
}

// devSessionKey keeps dev's workbench session key in the data dir, so a
// restart of `make run` does not sign everyone out.
func devSessionKey(cfg Config) ([]byte, error) {
	if cfg.SessionKey != "" {
		return []byte(cfg.SessionKey), nil
	}
	path := filepath.Join(cfg.DataDir, "session-key")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= minSessionKeyLength {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	key, err := api.NewToken() // 32 random bytes
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep the dev session key: %w", err)
	}
	return []byte(key), nil
}

// devAdminToken keeps dev's admin token in the data dir, so a second
// `make run` prints the same token as the first.
func devAdminToken(cfg Config) (string, error) {
	if cfg.BootstrapAdminToken != "" {
		return cfg.BootstrapAdminToken, nil
	}
	path := filepath.Join(cfg.DataDir, "admin-token")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	token, err := api.NewToken()
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep the dev admin token: %w", err)
	}
	return token, nil
}
