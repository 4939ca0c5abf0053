package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"yizhi/activities"
	"yizhi/assist"
	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
	"yizhi/worker"
)

const benchUsage = `usage: yizhi bench <benchmark> [flags]

benchmarks:
  pipeline   documents × languages through machine assist, against a no-op
             Temporal workflow with the same number of activities
  tm         top-5 lookups in a generated translation memory (default
             1,000,000 zh→ug pairs), against a brute-force scorer
  portal     published reads from the API on MariaDB under wrk, against
             nginx serving the same bytes (needs wrk and nginx)
  memory     peak RSS of yizhi dev while documents × 3 languages go
             through the API to machine assist
  claims     100 translators race for 1,000 open tasks through the API,
             then again with the worker killed halfway; every claim is
             checked against the workflows' state; against one
             translator claiming alone
`

// runBench runs one benchmark. Each prints its figure next to a baseline
// measured in the same run on the same machine.
func runBench(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(strings.TrimSpace(benchUsage))
	}
	switch args[0] {
	case "pipeline":
		return runPipelineBench(ctx, log, args[1:], stdout)
	case "portal":
		return runPortalBench(ctx, cfg, log, args[1:], stdout)
	case "memory":
		return runMemoryBench(ctx, log, args[1:], stdout)
	case "claims":
		return runClaimsBench(ctx, cfg, log, args[1:], stdout)
	case "tm":
		fs := flag.NewFlagSet("bench tm", flag.ContinueOnError)
		opts := assist.MemoryBenchOptions{}
		fs.IntVar(&opts.Pairs, "pairs", 1_000_000, "translation memory pairs to generate")
		fs.IntVar(&opts.Queries, "queries", 2_000, "sampled queries")
		fs.Int64Var(&opts.Seed, "seed", 1, "generator seed")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		_, err := assist.RunMemoryBench(ctx, stdout, opts)
		return err
	}
	return fmt.Errorf("unknown benchmark %q\n%s", args[0], benchUsage)
}

type pipelineBench struct {
	docs, langs, segments int
	temporalBin           string
}

// runPipelineBench starts its own Temporal dev server and SQLite database,
// so it measures nothing but yizhi and Temporal, and touches no one's data.
func runPipelineBench(ctx context.Context, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench pipeline", flag.ContinueOnError)
	b := pipelineBench{}
	fs.IntVar(&b.docs, "docs", 100, "documents to start")
	fs.IntVar(&b.langs, "langs", 3, "target languages per document (1 to 7)")
	fs.IntVar(&b.segments, "segments", 20, "sentences per document")
	fs.StringVar(&b.temporalBin, "temporal", "bin/temporal", "Temporal CLI to run the dev server with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if b.langs < 1 || b.langs > len(models.MinorityLanguages) || b.docs < 1 || b.segments < 1 {
		return errors.New("bench pipeline: -docs and -segments must be positive, -langs from 1 to 7")
	}
	dir, err := os.MkdirTemp("", "yizhi-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	address, stop, err := startDevServer(ctx, b.temporalBin, dir)
	if err != nil {
		return err
	}
	defer stop()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	tc, err := client.DialContext(ctx, client.Options{HostPort: address, Logger: sdklog.NewStructuredLogger(quiet)})
	if err != nil {
		return err
	}
	defer tc.Close()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"), quiet)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "pipeline: %d documents × %d languages, %d sentences each, Temporal dev server %s, SQLite\n",
		b.docs, b.langs, b.segments, address)
	baseline, err := b.runBaseline(ctx, tc)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	yizhi, err := b.runYizhi(ctx, tc, st, log)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	fmt.Fprintf(stdout, "\n| run | time | documents/s | translations/s |\n|---|---|---|---|\n")
	for _, r := range []struct {
		name string
		d    time.Duration
	}{{"no-op workflows, same activity count (baseline)", baseline}, {"yizhi machine assist", yizhi}} {
		fmt.Fprintf(stdout, "| %s | %.2fs | %.1f | %.1f |\n", r.name, r.d.Seconds(),
			float64(b.docs)/r.d.Seconds(), float64(b.docs*b.langs)/r.d.Seconds())
	}
	fmt.Fprintf(stdout, "\nratio: %.2f× the baseline's documents per second\n", baseline.Seconds()/yizhi.Seconds())
	return nil
}

// runYizhi intakes the documents and waits until every translation has its
// first task open, which is where machine assist ends.
func (b pipelineBench) runYizhi(ctx context.Context, tc client.Client, st *store.Store, log *slog.Logger) (time.Duration, error) {
	queue := "yizhi-bench-pipeline"
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	worker.Register(w, &activities.Activities{Store: st, Log: log, Memory: assist.NewMemory(assist.MemoryOptions{})})
	if err := w.Start(); err != nil {
		return 0, err
	}
	defer w.Stop()

	inputs, err := b.intake(ctx, st)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for _, in := range inputs {
		if _, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: models.DocumentWorkflowID(in.DocumentID), TaskQueue: queue,
		}, models.WorkflowDocument, in); err != nil {
			return 0, err
		}
	}
	want := b.docs * b.langs
	for {
		n, err := st.CountJobs(ctx, models.JobTranslating)
		if err != nil {
			return 0, err
		}
		if n == want {
			return time.Since(start), nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// intake stores generated court documents the way the API does.
func (b pipelineBench) intake(ctx context.Context, st *store.Store) ([]models.DocumentInput, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	deadline := time.Now().Add(models.NormalWindow)
	var inputs []models.DocumentInput
	for d := range b.docs {
		title := fmt.Sprintf("（2024）新01民初%d号民事判决书", d+1)
		var body strings.Builder
		for range b.segments {
			body.WriteString(benchSentences[rng.IntN(len(benchSentences))])
			fmt.Fprintf(&body, "本案受理费人民币%d元。", 50+rng.IntN(5000))
		}
		segs := []models.Segment{{Version: 1, Index: 0, Text: title, Hash: models.SegmentHash(title)}}
		for _, s := range lang.SegmentStrings(models.SourceLang, body.String()) {
			segs = append(segs, models.Segment{Version: 1, Index: len(segs), Text: s, Hash: models.SegmentHash(s)})
		}
		doc := &models.Document{
			ExternalID: fmt.Sprintf("bench-%d", d), Court: "新疆维吾尔自治区乌鲁木齐市中级人民法院", Kind: models.KindJudgment,
			Priority: models.PriorityNormal, SourceLang: models.SourceLang, CurrentVersion: 1, Deadline: deadline,
			IntakeHash: models.ContentHash(title, body.String()),
		}
		src := &models.SourceVersion{Version: 1, Title: title, Body: body.String(), ContentHash: models.ContentHash(title, body.String())}
		var jobs []models.TranslationJob
		for _, l := range models.MinorityLanguages[:b.langs] {
			jobs = append(jobs, models.TranslationJob{Lang: l, SourceVersion: 1, State: models.JobPending, Deadline: deadline})
		}
		if err := st.CreateDocument(ctx, doc, src, segs, jobs); err != nil {
			return nil, err
		}
		in := models.DocumentInput{DocumentID: doc.ID, SourceVersion: 1, Priority: doc.Priority, Deadline: deadline}
		for _, j := range jobs {
			in.Jobs = append(in.Jobs, models.JobRef{JobID: j.ID, Lang: j.Lang})
		}
		inputs = append(inputs, in)
	}
	return inputs, nil
}

var benchSentences = []string{
	"原告阿不都热合曼·买买提与被告新疆某建筑有限公司建设工程施工合同纠纷一案，本院于2024年3月15日立案后，依法适用普通程序，公开开庭进行了审理。",
	"原告向本院提出诉讼请求：判令被告支付工程款人民币1,234,567.89元及逾期付款利息。",
	"本院认为，当事人对自己提出的诉讼请求所依据的事实，应当提供证据加以证明。",
	"依照《中华人民共和国民事诉讼法》第一百七十条第一款第一项之规定，判决如下：",
	"驳回上诉，维持原判。",
	"如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状。",
}

// baselineActivities is what each baseline translation runs per step of
// the real one: two projections, machine assist and opening a task.
const baselineActivities = 4

func (b pipelineBench) runBaseline(ctx context.Context, tc client.Client) (time.Duration, error) {
	queue := "yizhi-bench-baseline"
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterWorkflowWithOptions(baselineDocument, workflow.RegisterOptions{Name: "BaselineDocument"})
	w.RegisterWorkflowWithOptions(baselineTranslation, workflow.RegisterOptions{Name: "BaselineTranslation"})
	w.RegisterActivityWithOptions(func(context.Context) error { return nil }, activity.RegisterOptions{Name: "BaselineNoop"})
	if err := w.Start(); err != nil {
		return 0, err
	}
	defer w.Stop()
	start := time.Now()
	runs := make([]client.WorkflowRun, b.docs)
	for d := range runs {
		run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: fmt.Sprintf("baseline:%d", d), TaskQueue: queue,
		}, "BaselineDocument", b.langs)
		if err != nil {
			return 0, err
		}
		runs[d] = run
	}
	for _, run := range runs {
		if err := run.Get(ctx, nil); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

func baselineDocument(ctx workflow.Context, langs int) error {
	futures := make([]workflow.ChildWorkflowFuture, langs)
	for i := range futures {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID: fmt.Sprintf("%s:%d", workflow.GetInfo(ctx).WorkflowExecution.ID, i),
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, "BaselineTranslation")
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

func baselineTranslation(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	for range baselineActivities {
		if err := workflow.ExecuteActivity(ctx, "BaselineNoop").Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// startDevServer runs a Temporal dev server of its own on a free port with
// its state in dir, and returns its address and how to stop it.
func startDevServer(ctx context.Context, bin, dir string) (string, func(), error) {
	if _, err := os.Stat(bin); err != nil {
		return "", nil, fmt.Errorf("no Temporal CLI at %s; `make temporal` builds it", bin)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	logFile, err := os.Create(filepath.Join(dir, "temporal.log"))
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "server", "start-dev", "--headless", "--ip", "127.0.0.1",
		"--port", fmt.Sprint(port), "--db-filename", filepath.Join(dir, "temporal.db"), "--log-level", "error",
		// A benchmark's server is thrown away afterwards: it need not
		// survive a power cut, so it does not wait for the disk on every
		// commit.
		"--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=off",
		// Machine assist is bound by this server's CPU: it takes three
		// times what yizhi dev does. With eager activities, which the
		// worker asks for by default, the server hands an activity that a
		// workflow task schedules back in its reply to that task, instead
		// of queueing it for a poller to fetch and start; that saves it
		// about a quarter of its work. make run and the compose file's
		// Temporal enable them too (scripts/dev.sh,
		// scripts/temporal-dynamicconfig.yaml).
		"--dynamic-config-value", "system.enableActivityEagerExecution=true")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
		logFile.Close()
	}
	address := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: address, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return address, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("the Temporal dev server did not come up: %w", err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
