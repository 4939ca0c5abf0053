package assist

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
)

// The benchmarks share one generated memory of benchPairs pairs.
const benchPairs = 100_000

var (
	benchOnce    sync.Once
	benchMemory  *Memory
	benchQueries []benchQuery
)

type benchQuery struct{ src, prev, next string }

func benchSetup(b *testing.B) (*Memory, []benchQuery) {
	b.Helper()
	benchOnce.Do(func() {
		g := newTMCorpus(1)
		benchMemory = NewMemory(MemoryOptions{})
		for lo := 0; lo < benchPairs; lo += 10_000 {
			batch := make([]models.TMEntry, 0, 10_000)
			for i := lo; i < lo+10_000; i++ {
				batch = append(batch, g.entry(i))
			}
			benchMemory.Add(batch...)
		}
		for k := range 1000 {
			src, prev, next, _ := g.query(k, benchPairs)
			benchQueries = append(benchQueries, benchQuery{src, prev, next})
		}
	})
	return benchMemory, benchQueries
}

// BenchmarkMemoryLookup is a top-5 lookup on a 100,000-pair zh→ug memory
// (a third repeats, a third near duplicates, a third edited sentences).
// Besides ns/op it reports the p99 latency and the work a lookup does.
// `yizhi bench tm` runs the same at a million pairs against the brute
// force.
func BenchmarkMemoryLookup(b *testing.B) {
	benchLookup(b, false)
}

// BenchmarkBruteForceLookup is the baseline: the same scoring of every pair.
func BenchmarkBruteForceLookup(b *testing.B) {
	benchLookup(b, true)
}

func benchLookup(b *testing.B, brute bool) {
	m, qs := benchSetup(b)
	var times []time.Duration
	var verified, scanned int
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		t0 := time.Now()
		_, st := m.lookup(models.SourceLang, "ug", q.src, q.prev, q.next, benchLimit, brute)
		times = append(times, time.Since(t0))
		verified += st.verified
		scanned += st.scanned
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(verified)/float64(len(times)), "verified/op")
	b.ReportMetric(float64(scanned)/float64(len(times)), "postings/op")
}

// BenchmarkMemoryAdd is the build: ns per pair added.
func BenchmarkMemoryAdd(b *testing.B) {
	g := newTMCorpus(2)
	entries := make([]models.TMEntry, 20_000)
	for i := range entries {
		entries[i] = g.entry(i)
	}
	for b.Loop() {
		m := NewMemory(MemoryOptions{})
		for lo := 0; lo < len(entries); lo += 1000 {
			m.Add(entries[lo : lo+1000]...)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(entries)), "ns/pair")
}

func TestRunMemoryBench(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and searches a 10,000-pair memory")
	}
	var out bytes.Buffer
	res, err := RunMemoryBench(context.Background(), &out, MemoryBenchOptions{Pairs: 10_000, Queries: 90, Seed: 4})
	require.NoError(t, err)
	require.Equal(t, 10_000, res.Pairs)
	require.Equal(t, 90, res.Queries)
	require.GreaterOrEqual(t, res.Recall, 0.99)
	require.NotZero(t, res.HeapBytes)
	require.NotZero(t, res.Lookup.P99)
	require.NotZero(t, res.Brute.P99)
	for _, row := range []string{"lookup p99", "recall@5", "build", "heap after build", "brute force"} {
		require.Contains(t, out.String(), row)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = RunMemoryBench(ctx, &bytes.Buffer{}, MemoryBenchOptions{Pairs: 1000, Queries: 10})
	require.ErrorIs(t, err, context.Canceled)
}

func TestTMCorpus(t *testing.T) {
	g := newTMCorpus(9)
	require.Equal(t, g.entry(123), newTMCorpus(9).entry(123), "a pure function of seed and index")
	require.NotEqual(t, g.entry(123).SourceText, newTMCorpus(10).entry(123).SourceText)

	const n = 20_000
	raw, normalized := map[string]bool{}, map[string]bool{}
	for i := range n {
		e := g.entry(i)
		require.Equal(t, int64(i+1), e.ID)
		require.Equal(t, models.SegmentHash(e.SourceText), e.SourceHash)
		require.NotEmpty(t, e.TargetText)
		raw[e.SourceText] = true
		normalized[string(normalizeSegment(zh, e.SourceText).runes)] = true
	}
	// Mostly distinct sentences, but many that differ only in numbers.
	require.Greater(t, len(raw), n*3/4) // the rest is boilerplate: 驳回上诉，维持原判。
	require.Less(t, len(normalized), len(raw)*95/100)

	kinds := map[int]int{}
	for k := range 300 {
		src, _, _, kind := g.query(k, n)
		require.NotEmpty(t, src)
		kinds[kind]++
	}
	require.Equal(t, map[int]int{queryRepeat: 100, queryNear: 100, queryEdited: 100}, kinds)
}
