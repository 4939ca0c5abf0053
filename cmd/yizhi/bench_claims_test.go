package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLatencyPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, ms(i))
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", []time.Duration{ms(7)}, 99, ms(7)},
		{"p50 of 100", hundred, 50, ms(50)},
		{"p99 of 100", hundred, 99, ms(99)},
		{"p100 is the max", hundred, 100, ms(100)},
		{"p0 is the min", hundred, 0, ms(1)},
		{"p50 of three is the middle", []time.Duration{ms(1), ms(2), ms(3)}, 50, ms(2)},
		{"p99 of three rounds up to the last", []time.Duration{ms(1), ms(2), ms(3)}, 99, ms(3)},
		{"p50 of four is the second", []time.Duration{ms(1), ms(2), ms(3), ms(4)}, 50, ms(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := latencyPercentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("latencyPercentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

func TestSummarizeLatencySortsACopy(t *testing.T) {
	in := []time.Duration{30, 10, 20, 50, 40}
	got := summarizeLatency(in)
	want := latencySummary{n: 5, p50: 30, p99: 50, max: 50}
	if got != want {
		t.Errorf("summarizeLatency(%v) = %+v, want %+v", in, got, want)
	}
	if !slices.Equal(in, []time.Duration{30, 10, 20, 50, 40}) {
		t.Errorf("summarizeLatency reordered its input: %v", in)
	}
}

func TestCountClaimOutcomes(t *testing.T) {
	o := countClaimOutcomes([]claimAttempt{
		{status: http.StatusOK, latency: 10}, {status: http.StatusOK, latency: 30}, {status: http.StatusConflict, latency: 5},
		{status: http.StatusServiceUnavailable}, {status: http.StatusServiceUnavailable}, {status: 0}, {status: http.StatusForbidden},
	})
	if o.ok != 2 || o.conflict != 1 || o.other != 4 {
		t.Errorf("ok, conflict, other = %d, %d, %d; want 2, 1, 4", o.ok, o.conflict, o.other)
	}
	wantOther := map[string]int{"503": 2, "no answer": 1, "403": 1}
	if fmt.Sprint(o.otherByStatus) != fmt.Sprint(wantOther) {
		t.Errorf("otherByStatus = %v, want %v", o.otherByStatus, wantOther)
	}
	if o.okLatency.max != 30 || o.okLatency.p50 != 10 || o.conflictLatency.n != 1 {
		t.Errorf("latencies: ok %+v, conflict %+v", o.okLatency, o.conflictLatency)
	}
}

func TestDescribeInFlight(t *testing.T) {
	s := time.Second
	attempts := []claimAttempt{
		{status: http.StatusOK, sent: 1 * s, latency: 1 * s},                 // done before the kill at 5s
		{status: http.StatusOK, sent: 4 * s, latency: 30 * s},                // in flight: 29s after
		{status: http.StatusConflict, sent: 5 * s, latency: 2 * s},           // sent at the kill
		{status: http.StatusServiceUnavailable, sent: 3 * s, latency: 3 * s}, // in flight
		{status: http.StatusOK, sent: 6 * s, latency: 1 * s},                 // after the kill
	}
	want := "3 claim requests were in flight when the worker died, answered 200 × 1, 409 × 1, 503 × 1; the last 29.0s after the kill"
	if got := describeInFlight(attempts, 5*s); got != want {
		t.Errorf("describeInFlight:\n got %s\nwant %s", got, want)
	}
	if got := describeInFlight(attempts[:1], 5*s); got != "no claim request was in flight when the worker died" {
		t.Errorf("describeInFlight with nothing in flight: %s", got)
	}
}

// holders is a fake authority: who holds each task, or an error.
func holders(by map[int64]int64, failing ...int64) claimHolder {
	return func(_ context.Context, t claimsTask) (int64, error) {
		if slices.Contains(failing, t.id) {
			return 0, errors.New("query failed")
		}
		return by[t.id], nil
	}
}

func TestVerifyClaims(t *testing.T) {
	tasks := map[int64]claimsTask{1: {1, 101}, 2: {2, 102}, 3: {3, 103}}
	agreeing := map[int64]int64{1: 11, 2: 12, 3: 13}
	wins := []claimWin{{1, 11}, {2, 12}, {3, 13}}
	for _, tc := range []struct {
		name      string
		wins      []claimWin
		workflow  claimHolder
		readModel claimHolder
		want      []string
	}{
		{
			name: "all agree", wins: wins,
			workflow: holders(agreeing), readModel: holders(agreeing),
		},
		{
			name: "double claim", wins: append(slices.Clone(wins), claimWin{2, 14}),
			workflow: holders(agreeing), readModel: holders(agreeing),
			want: []string{
				"4 successful claims, want exactly 3",
				"task 2: double claim: users [12 14] all got a 200",
			},
		},
		{
			name: "lost claim: the workflow holds a task nobody got a 200 for", wins: wins[:2],
			workflow: holders(agreeing), readModel: holders(map[int64]int64{1: 11, 2: 12}),
			want: []string{
				"2 successful claims, want exactly 3",
				"task 3: nobody got a 200 for it",
				"task 3: the workflow says user 13 holds it, but no 200 said so: a lost claim",
			},
		},
		{
			name: "the workflow disagrees with the 200", wins: wins,
			workflow: holders(map[int64]int64{1: 11, 2: 19, 3: 13}), readModel: holders(agreeing),
			want: []string{"task 2: the workflow says user 19 holds it, but the 200 went to user 12"},
		},
		{
			name: "the read model lags", wins: wins,
			workflow: holders(agreeing), readModel: holders(map[int64]int64{1: 11, 2: 12}),
			want: []string{"task 3: the read model says user 0 holds it, but the 200 went to user 13"},
		},
		{
			name: "an authority cannot answer", wins: wins,
			workflow: holders(agreeing, 1), readModel: holders(agreeing),
			want: []string{"task 1: the workflow: query failed"},
		},
		{
			name: "a 200 for a task outside the race", wins: append(slices.Clone(wins), claimWin{9, 11}),
			workflow: holders(agreeing), readModel: holders(agreeing),
			want: []string{
				"task 9: user 11 got a 200 for a task outside the race",
				"4 successful claims, want exactly 3",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := verifyClaims(t.Context(), tasks, tc.wins, []claimAuthority{
				{"the workflow", tc.workflow}, {"the read model", tc.readModel},
			})
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestCrashPlanFiresOnce(t *testing.T) {
	c := &crashPlan{at: 3, trigger: make(chan struct{})}
	for n := 1; n <= 2; n++ {
		c.observe(n)
	}
	if c.fired() {
		t.Fatal("fired before the third claim")
	}
	// Claims finish concurrently, so the count may pass `at` more than
	// once or skip it; each must not close the trigger twice.
	for n := 3; n <= 6; n++ {
		c.observe(n)
	}
	if !c.fired() {
		t.Fatal("did not fire at the third claim")
	}
}

func TestClaimsWorkerEnvIsAValidWorkerConfig(t *testing.T) {
	parent := []string{"PATH=/usr/bin", "YIZHI_MT_CONFIG=/etc/mt.yaml", "YIZHI_DATABASE_URL=sqlite:other.db", "HOME=/root"}
	dbURL := "mysql://root:@tcp(127.0.0.1:3306)/yizhi_bench_claims_1?parseTime=true&loc=UTC"
	env := claimsWorkerEnv(parent, dbURL, "127.0.0.1:7999")
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := vars[k]; dup {
			t.Errorf("%s is set twice", k)
		}
		vars[k] = v
	}
	if vars["PATH"] != "/usr/bin" || vars["HOME"] != "/root" {
		t.Errorf("the parent's other variables are lost: %v", env)
	}
	if _, ok := vars["YIZHI_MT_CONFIG"]; ok {
		t.Errorf("the caller's MT configuration reaches the worker: %v", env)
	}
	cfg, err := LoadConfig(func(name string) string { return vars[name] })
	if err != nil {
		t.Fatalf("the worker would refuse its environment: %v", err)
	}
	if cfg.DatabaseURL != dbURL || cfg.TemporalAddress != "127.0.0.1:7999" || cfg.DatabaseDriver != databaseDriverMySQL {
		t.Errorf("the worker would use %s on %s (%s)", cfg.DatabaseURL, cfg.TemporalAddress, cfg.DatabaseDriver)
	}
}

// fakeTaskAPI answers the two requests a racing translator makes, with
// the contract's semantics: one winner per task, and a repeated
// Idempotency-Key answered with the first outcome. The answer to the
// winning claim of a task in lose is replaced by a 503 after the claim took
// effect, as when the API loses the workflow's reply.
type fakeTaskAPI struct {
	mu       sync.Mutex
	claimant map[int64]int64
	outcome  map[string]int
	lose     map[int64]bool
}

func (f *fakeTaskAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, _ := strconv.ParseInt(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer user-"), 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/tasks":
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		items := []map[string]int64{}
		for _, id := range slices.Sorted(maps.Keys(f.claimant)) {
			if f.claimant[id] == 0 && len(items) < limit {
				items = append(items, map[string]int64{"id": id})
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items})
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/claim"):
		id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1/tasks/"), "/claim"), 10, 64)
		key := r.Header.Get("Idempotency-Key")
		status, seen := f.outcome[key]
		if !seen {
			status = http.StatusConflict
			if f.claimant[id] == 0 {
				f.claimant[id], status = user, http.StatusOK
			}
			f.outcome[key] = status
			if status == http.StatusOK && f.lose[id] {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
		}
		w.WriteHeader(status)
		if status == http.StatusOK {
			_ = json.NewEncoder(w).Encode(map[string]any{"task_id": id, "state": "claimed"})
		}
	default:
		http.NotFound(w, r)
	}
}

func TestRaceClaimsEveryTaskOnceAndRetriesLostAnswers(t *testing.T) {
	const nTasks, nUsers = 60, 6
	fake := &fakeTaskAPI{claimant: map[int64]int64{}, outcome: map[string]int{}, lose: map[int64]bool{}}
	tasks := map[int64]claimsTask{}
	for id := int64(1); id <= nTasks; id++ {
		fake.claimant[id] = 0
		tasks[id] = claimsTask{id: id, documentID: 100 + id}
		fake.lose[id] = id%3 == 0
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var users []claimsUser
	for u := int64(1); u <= nUsers; u++ {
		users = append(users, claimsUser{id: u, name: fmt.Sprint("user ", u), token: fmt.Sprint("user-", u)})
	}
	var (
		mu      sync.Mutex
		claimed []int
	)
	r := &claimRace{api: newClaimsClient(srv.URL), tasks: tasks, listLimit: 10, onClaim: func(n int) {
		mu.Lock()
		claimed = append(claimed, n)
		mu.Unlock()
	}}

	res, err := r.run(t.Context(), users)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.wins) != nTasks {
		t.Errorf("%d wins, want %d", len(res.wins), nTasks)
	}
	if res.retries != nTasks/3 {
		t.Errorf("%d retries, want one per lost answer, %d", res.retries, nTasks/3)
	}
	holder := map[int64]int64{}
	for id, u := range fake.claimant {
		holder[id] = u
	}
	if problems := verifyClaims(t.Context(), tasks, res.wins, []claimAuthority{{"the fake API", holders(holder)}}); len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
	o := countClaimOutcomes(res.attempts)
	if o.ok != nTasks || o.other != nTasks/3 || o.ok+o.conflict+o.other != len(res.attempts) {
		t.Errorf("outcomes %+v over %d attempts", o, len(res.attempts))
	}
	// Each success is counted once, whatever order the goroutines report.
	slices.Sort(claimed)
	for i, n := range claimed {
		if n != i+1 {
			t.Fatalf("onClaim saw %v, want 1 to %d", claimed, nTasks)
		}
	}
	if len(claimed) != nTasks {
		t.Errorf("onClaim was called %d times, want %d", len(claimed), nTasks)
	}
	if res.lists == 0 || res.wall <= 0 {
		t.Errorf("lists %d, wall %v", res.lists, res.wall)
	}
}
