package assist

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"yizhi/models"
)

// MemoryBenchOptions sizes `yizhi bench tm`.
type MemoryBenchOptions struct {
	Pairs   int   // zh-Hans → ug pairs in the memory; 0 means 1,000,000
	Queries int   // sampled queries; 0 means 2,000
	Seed    int64 // corpus and query seed; the same seed gives the same run
}

// Latency summarizes per-query times.
type Latency struct {
	P50, P99, Max, Mean time.Duration
}

// MemoryBenchResult is what one run measured.
type MemoryBenchResult struct {
	Pairs, Queries int
	Generate       time.Duration // generating the corpus (not part of the build)
	Build          time.Duration // Memory.Add for every pair
	HeapBytes      uint64        // live heap the built memory holds, after GC
	Lookup         Latency       // Memory.Lookup, limit 5, one query at a time
	LookupCPU      Latency       // the same lookups' thread CPU time (Linux), which preemption does not inflate
	Brute          Latency       // the brute-force scorer, same queries
	BruteWorkers   int           // brute-force queries run side by side (per-query times are each one's own)
	Recall         float64       // share of the brute force's top 5 the index also returns
	RecallByKind   [3]float64    // for repeats, near duplicates, edited sentences
	Verified       float64       // edit distances the index computed per lookup, on average
	BruteVerified  float64       // and the brute force (one per family of pairs that differ only in numbers)
	Total          time.Duration
}

const benchLimit = 5

// RunMemoryBench generates a zh→ug memory, builds the index, and compares
// Lookup with the brute-force scorer on sampled queries: latency and
// recall@5. It prints a table to w.
func RunMemoryBench(ctx context.Context, w io.Writer, opts MemoryBenchOptions) (MemoryBenchResult, error) {
	if opts.Pairs <= 0 {
		opts.Pairs = 1_000_000
	}
	if opts.Queries <= 0 {
		opts.Queries = 2_000
	}
	start := time.Now()
	res := MemoryBenchResult{Pairs: opts.Pairs, Queries: opts.Queries}
	g := newTMCorpus(opts.Seed)
	const lang = "ug"

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	// Generate on one goroutine while the other adds: the build time is
	// the time spent in Add alone.
	fmt.Fprintf(w, "generating and indexing %d zh-Hans→ug pairs (seed %d)…\n", opts.Pairs, opts.Seed)
	mem := NewMemory(MemoryOptions{})
	const batch = 10_000
	batches := make(chan []models.TMEntry, 2)
	genCtx, stopGen := context.WithCancel(ctx)
	defer stopGen()
	var genTime time.Duration
	go func() {
		defer close(batches)
		t0 := time.Now()
		for lo := 0; lo < opts.Pairs; lo += batch {
			b := make([]models.TMEntry, 0, batch)
			for i := lo; i < min(lo+batch, opts.Pairs); i++ {
				b = append(b, g.entry(i))
			}
			select {
			case batches <- b:
			case <-genCtx.Done():
				return
			}
		}
		genTime = time.Since(t0)
	}()
	for b := range batches {
		t0 := time.Now()
		mem.Add(b...)
		res.Build += time.Since(t0)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Generate = genTime
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > before.HeapAlloc {
		res.HeapBytes = after.HeapAlloc - before.HeapAlloc
	}

	type query struct {
		src, prev, next string
		kind            int
	}
	qs := make([]query, opts.Queries)
	for k := range qs {
		q := &qs[k]
		q.src, q.prev, q.next, q.kind = g.query(k, opts.Pairs)
	}

	// One lookup first, so pooled scratch memory is not charged to the
	// first query.
	mem.Lookup(models.SourceLang, lang, qs[0].src, "", "", benchLimit)
	fmt.Fprintf(w, "index lookups: %d queries…\n", len(qs))
	got := make([][]Match, len(qs))
	times := make([]time.Duration, len(qs))
	cpu := make([]time.Duration, 0, len(qs))
	verified := 0
	runtime.LockOSThread() // so the thread's CPU clock is this goroutine's
	for k, q := range qs {
		if k%256 == 0 && ctx.Err() != nil {
			runtime.UnlockOSThread()
			return res, ctx.Err()
		}
		c0, cpuOK := threadCPU()
		t0 := time.Now()
		ms, st := mem.lookup(models.SourceLang, lang, q.src, q.prev, q.next, benchLimit, false)
		times[k] = time.Since(t0)
		if c1, ok := threadCPU(); ok && cpuOK {
			cpu = append(cpu, c1-c0)
		}
		got[k] = ms
		verified += st.verified
	}
	runtime.UnlockOSThread()
	res.Lookup = summarize(times)
	res.LookupCPU = summarize(cpu)
	res.Verified = float64(verified) / float64(len(qs))

	// The brute force takes some 35 ms a query at a million pairs, a
	// minute for 2,000 on one core; the queries run side by side on every
	// core, each timed on its own.
	res.BruteWorkers = runtime.GOMAXPROCS(0)
	fmt.Fprintf(w, "brute-force baseline: %d queries on %d cores…\n", len(qs), res.BruteWorkers)
	want := make([][]Match, len(qs))
	btimes := make([]time.Duration, len(qs))
	bverified := make([]int, len(qs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range res.BruteWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				q := qs[k]
				t0 := time.Now()
				var st lookupStats
				want[k], st = mem.lookup(models.SourceLang, lang, q.src, q.prev, q.next, benchLimit, true)
				btimes[k] = time.Since(t0)
				bverified[k] = st.verified
			}
		}()
	}
	for k := range qs {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Brute = summarize(btimes)
	sum := 0
	for _, v := range bverified {
		sum += v
	}
	res.BruteVerified = float64(sum) / float64(len(qs))

	var hit, total [3]int
	for k, q := range qs {
		h, t := recallCounts(got[k], want[k])
		hit[q.kind] += h
		total[q.kind] += t
	}
	allHit, allTotal := 0, 0
	for kind := range hit {
		res.RecallByKind[kind] = ratio(hit[kind], total[kind])
		allHit += hit[kind]
		allTotal += total[kind]
	}
	res.Recall = ratio(allHit, allTotal)
	res.Total = time.Since(start)
	printMemoryBench(w, res)
	return res, nil
}

// recallCounts is how many of the brute force's matches the index returned,
// by entry, and how many there were.
func recallCounts(got, want []Match) (hit, total int) {
	for _, wm := range want {
		total++
		for _, gm := range got {
			if gm.EntryID == wm.EntryID {
				hit++
				break
			}
		}
	}
	return hit, total
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func summarize(ts []time.Duration) Latency {
	if len(ts) == 0 {
		return Latency{}
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	var sum time.Duration
	for _, t := range s {
		sum += t
	}
	at := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.5) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return Latency{P50: at(0.50), P99: at(0.99), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}

func printMemoryBench(w io.Writer, r MemoryBenchResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }
	x := func(base, fig time.Duration) string {
		if fig <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f×", float64(base)/float64(fig))
	}
	fmt.Fprintf(w, "\ntranslation memory, %d zh-Hans→ug pairs, %d queries, top %d\n", r.Pairs, r.Queries, benchLimit)
	fmt.Fprintln(tw, "figure\tindex\tbrute force\tspeed-up\t")
	fmt.Fprintf(tw, "lookup p50\t%s\t%s\t%s\t\n", ms(r.Lookup.P50), ms(r.Brute.P50), x(r.Brute.P50, r.Lookup.P50))
	fmt.Fprintf(tw, "lookup p99 (≤ 5 ms)\t%s\t%s\t%s\t\n", ms(r.Lookup.P99), ms(r.Brute.P99), x(r.Brute.P99, r.Lookup.P99))
	fmt.Fprintf(tw, "lookup max\t%s\t%s\t%s\t\n", ms(r.Lookup.Max), ms(r.Brute.Max), x(r.Brute.Max, r.Lookup.Max))
	fmt.Fprintf(tw, "lookup mean\t%s\t%s\t%s\t\n", ms(r.Lookup.Mean), ms(r.Brute.Mean), x(r.Brute.Mean, r.Lookup.Mean))
	if r.LookupCPU.Max > 0 {
		fmt.Fprintf(tw, "lookup CPU p50 / p99 / max\t%s / %s / %s\t\t\t\n", ms(r.LookupCPU.P50), ms(r.LookupCPU.P99), ms(r.LookupCPU.Max))
	}
	fmt.Fprintf(tw, "edit distances per lookup\t%.0f\t%.0f\t%.0f×\t\n", r.Verified, r.BruteVerified, r.BruteVerified/max(r.Verified, 1))
	fmt.Fprintf(tw, "recall@5 (≥ 0.99)\t%.4f\t1\t\t\n", r.Recall)
	fmt.Fprintf(tw, "  repeats / near dups / edited\t%.4f / %.4f / %.4f\t\t\t\n", r.RecallByKind[0], r.RecallByKind[1], r.RecallByKind[2])
	fmt.Fprintf(tw, "build (≤ 60 s)\t%.1f s\t\t\t\n", r.Build.Seconds())
	fmt.Fprintf(tw, "heap after build (≤ 1 GiB)\t%.0f MiB\t\t\t\n", float64(r.HeapBytes)/(1<<20))
	tw.Flush()
	fmt.Fprintf(w, "corpus generation %.1f s (overlapped with the build); brute force ran %d queries side by side; total %.1f s\n",
		r.Generate.Seconds(), r.BruteWorkers, r.Total.Seconds())
}
