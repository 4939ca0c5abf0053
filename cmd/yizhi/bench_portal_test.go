package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// wrkReport is wrk 4.1's output for a run with --latency and a script,
// including the lines it adds only when something went wrong.
const wrkReport = `Running 10s test @ http://127.0.0.1:41234/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    3.01ms  48.90ms   81.22%
    Req/Sec     6.41k   512.33     7.60k    70.50%
  Latency Distribution
     50%    4.61ms
     75%    6.20ms
     90%    8.47ms
     99%   15.03ms
  127650 requests in 10.00s, 312.55MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 12
Requests/sec:  12761.43
Transfer/sec:     31.25MB
`

func TestParseWrk(t *testing.T) {
	res, err := parseWrk(wrkReport)
	require.NoError(t, err)
	require.Equal(t, int64(127650), res.Requests)
	require.InDelta(t, 12761.43, res.RequestsPerSec, 0.001)
	require.Equal(t, map[int]time.Duration{
		50: 4610 * time.Microsecond, 75: 6200 * time.Microsecond,
		90: 8470 * time.Microsecond, 99: 15030 * time.Microsecond,
	}, res.Latency)
	require.Equal(t, "connect 0, read 0, write 0, timeout 3", res.SocketErrors)
	require.Equal(t, int64(12), res.Non2xx)
}

func TestParseWrkUnits(t *testing.T) {
	// wrk prints each figure in the unit that suits it: a fast server's
	// p50 in µs, a stalled one's p99 in seconds.
	out := strings.NewReplacer("4.61ms", "812.00us", "15.03ms", "1.20s").Replace(wrkReport)
	res, err := parseWrk(out)
	require.NoError(t, err)
	require.Equal(t, 812*time.Microsecond, res.Latency[50])
	require.Equal(t, 1200*time.Millisecond, res.Latency[99])
}

func TestParseWrkCleanRun(t *testing.T) {
	out := strings.NewReplacer("  Socket errors: connect 0, read 0, write 0, timeout 3\n", "",
		"  Non-2xx or 3xx responses: 12\n", "").Replace(wrkReport)
	res, err := parseWrk(out)
	require.NoError(t, err)
	require.Empty(t, res.SocketErrors)
	require.Zero(t, res.Non2xx)
}

func TestParseWrkRefusesAnIncompleteReport(t *testing.T) {
	for name, out := range map[string]string{
		"no requests per second":   strings.Replace(wrkReport, "Requests/sec:  12761.43\n", "", 1),
		"run without --latency":    wrkReport[:strings.Index(wrkReport, "  Latency Distribution")] + wrkReport[strings.Index(wrkReport, "  127650 requests"):],
		"no p99":                   strings.Replace(wrkReport, "     99%   15.03ms\n", "", 1),
		"a latency it cannot read": strings.Replace(wrkReport, "4.61ms", "4.61 ms", 1),
		"empty":                    "",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseWrk(out)
			require.Error(t, err)
		})
	}
}

func TestNginxConfig(t *testing.T) {
	conf, err := nginxConfig(nginxSite{
		Dir: "/tmp/bench", Root: "/tmp/bench/www", Port: 45678, Workers: 2,
		Headers: []httpHeader{
			{"Content-Type", "application/json; charset=utf-8"},
			{"ETag", `"0123456789abcdef0123456789abcdef"`},
			{"Vary", "Accept-Language"},
			{"Cache-Control", "public, max-age=60"},
		},
	})
	require.NoError(t, err)
	for _, want := range []string{
		"worker_processes 2;",
		"pid /tmp/bench/nginx.pid;",
		"error_log /tmp/bench/nginx-error.log error;",
		"access_log off;",
		"listen 127.0.0.1:45678;",
		"root /tmp/bench/www;",
		"try_files /published.json =404;",
		"default_type 'application/json; charset=utf-8';",
		"etag off;",
		`add_header ETag '"0123456789abcdef0123456789abcdef"' always;`,
		"add_header Vary 'Accept-Language' always;",
		"add_header Cache-Control 'public, max-age=60' always;",
		"client_body_temp_path /tmp/bench/client_body;",
	} {
		require.Contains(t, conf, want)
	}
	// The type is set once, as the default of an empty type map; an
	// add_header Content-Type would send it twice.
	require.NotContains(t, conf, "add_header Content-Type")
	require.Contains(t, conf, "types {}")
	require.Equal(t, strings.Count(conf, "{"), strings.Count(conf, "}"), "unbalanced braces:\n%s", conf)
}

func TestNginxConfigWithoutContentType(t *testing.T) {
	conf, err := nginxConfig(nginxSite{Dir: "/tmp/b", Root: "/tmp/b/www", Port: 1, Workers: 1})
	require.NoError(t, err)
	require.Contains(t, conf, "default_type 'application/octet-stream';")
	require.NotContains(t, conf, "etag off;", "nginx keeps its own ETag when there is none to mirror")
}

func TestNginxConfigRefusesWhatItCannotWrite(t *testing.T) {
	ok := nginxSite{Dir: "/tmp/b", Root: "/tmp/b/www", Port: 8080, Workers: 2}
	for name, change := range map[string]func(*nginxSite){
		"header name with a space":  func(s *nginxSite) { s.Headers = []httpHeader{{"X Bad", "v"}} },
		"header value with newline": func(s *nginxSite) { s.Headers = []httpHeader{{"X-Ok", "v\nlisten 80;"}} },
		"path ending a directive":   func(s *nginxSite) { s.Root = "/tmp/b; user root" },
		"path with a space":         func(s *nginxSite) { s.Dir = "/tmp/my bench" },
		"no port":                   func(s *nginxSite) { s.Port = 0 },
		"no workers":                func(s *nginxSite) { s.Workers = 0 },
		"empty directory":           func(s *nginxSite) { s.Dir = "" },
	} {
		t.Run(name, func(t *testing.T) {
			s := ok
			change(&s)
			_, err := nginxConfig(s)
			require.Error(t, err)
		})
	}
	_, err := nginxConfig(ok)
	require.NoError(t, err)
}

func TestNginxQuote(t *testing.T) {
	require.Equal(t, `'plain'`, nginxQuote("plain"))
	require.Equal(t, `'"etag"'`, nginxQuote(`"etag"`))
	require.Equal(t, `'it\'s a \\ back'`, nginxQuote(`it's a \ back`))
}

func TestWrkScript(t *testing.T) {
	lua, err := wrkScript("yz_abc-DEF_123", []int64{7, 8, 42})
	require.NoError(t, err)
	require.Contains(t, lua, `wrk.headers["Authorization"] = "Bearer yz_abc-DEF_123"`)
	require.Contains(t, lua, "7,8,42,")
	require.Contains(t, lua, `"/v1/published/" .. ids[(offset + n) % #ids + 1] .. "?lang=ug"`)
	require.Contains(t, lua, "function request()")
	require.Contains(t, lua, "function setup(thread)")

	_, err = wrkScript(`yz_"..os.exit()..`, []int64{1})
	require.Error(t, err, "a token that could break out of the Lua string")
	_, err = wrkScript("yz_abc", nil)
	require.Error(t, err)
}

func TestParseProcStatus(t *testing.T) {
	status := "Name:\tyizhi\nVmPeak:\t 2000000 kB\nVmSize:\t 1900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\nThreads:\t12\n"
	m, err := parseProcStatus(status)
	require.NoError(t, err)
	require.Equal(t, procMemory{hwm: 123456 << 10, rss: 100000 << 10}, m)

	_, err = parseProcStatus("Name:\tzombie\nState:\tZ (zombie)\n")
	require.Error(t, err, "a process without memory lines")
	_, err = parseProcStatus("VmHWM:\t 12 MB\nVmRSS:\t 10 kB\n")
	require.Error(t, err, "a unit other than kB")
}

func TestParseProcStat(t *testing.T) {
	// A command name may hold spaces and parentheses; utime and stime are
	// fields 14 and 15, in USER_HZ ticks.
	stat := "4511 (nginx: (worker) x) S 4510 4510 4510 0 -1 4194624 1520 0 0 0 250 37 0 0 20 0 1 0 4321 12255232 1118 18446744073709551615\n"
	st, err := parseProcStat(stat)
	require.NoError(t, err)
	require.Equal(t, procStat{comm: "nginx: (worker) x", ppid: 4510, cpu: 2870 * time.Millisecond}, st)

	for _, bad := range []string{"", "4511 nginx S 1", "4511 (nginx) S 4510 4510", "4511 (nginx) S x 4510 4510 0 -1 0 0 0 0 0 250 37"} {
		_, err := parseProcStat(bad)
		require.Error(t, err, bad)
	}
}

func TestPerRequest(t *testing.T) {
	require.Equal(t, 50*time.Microsecond, perRequest(time.Second, 2*time.Second, 20_000))
	require.Equal(t, time.Duration(-1), perRequest(-1, 2*time.Second, 20_000), "a server without processes")
	require.Equal(t, time.Duration(-1), perRequest(time.Second, 2*time.Second, 0))
}

func TestMedianAnswer(t *testing.T) {
	require.Equal(t, 0, medianAnswer([]int{7}))
	require.Equal(t, 3, medianAnswer([]int{1900, 2600, 1500, 2100, 2300}))
	require.Equal(t, 1, medianAnswer([]int{5, 9, 1, 12}))
}
