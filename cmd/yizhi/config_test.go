package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"yizhi/assist/mt"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the configuration table in README.md")

// envOf returns a getenv that serves vars and nothing else.
func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestLoadConfigDefaults(t *testing.T) {
	got, err := LoadConfig(envOf(nil))
	if err != nil {
		t.Fatalf("LoadConfig with an empty environment: %v", err)
	}
	want := Config{
		DatabaseURL:         "sqlite:data/yizhi.db",
		DatabaseDriver:      "sqlite",
		DatabaseDSN:         "data/yizhi.db",
		TemporalAddress:     "127.0.0.1:7233",
		TemporalNamespace:   "default",
		TemporalUIURL:       "http://127.0.0.1:8233",
		HTTPAddr:            ":8080",
		PublicURL:           "http://127.0.0.1:8080",
		BootstrapAdminToken: "",
		DataDir:             "data",
		LogLevel:            slog.LevelInfo,
		LogFormat:           "text",
		MaxBodyBytes:        10 << 20,
		ShutdownTimeout:     15 * time.Second,
		TMMinScore:          70,
		CacheDocuments:      10000,
		CacheRefresh:        500 * time.Millisecond,
		WorkflowCache:       10000,
	}
	if got != want {
		t.Errorf("defaults:\n got %+v\nwant %+v", got, want)
	}
}

// TestConfigVarDefaultsMatchLoadConfig keeps the documented defaults true,
// including the two that follow other variables.
func TestConfigVarDefaultsMatchLoadConfig(t *testing.T) {
	c, err := LoadConfig(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[string]string{
		"YIZHI_DATABASE_URL":          c.DatabaseURL,
		"YIZHI_TEMPORAL_ADDRESS":      c.TemporalAddress,
		"YIZHI_TEMPORAL_NAMESPACE":    c.TemporalNamespace,
		"YIZHI_TEMPORAL_UI_URL":       c.TemporalUIURL,
		"YIZHI_HTTP_ADDR":             c.HTTPAddr,
		"YIZHI_PUBLIC_URL":            c.PublicURL,
		"YIZHI_BOOTSTRAP_ADMIN_TOKEN": c.BootstrapAdminToken,
		"YIZHI_SESSION_KEY":           c.SessionKey,
		"YIZHI_DATA_DIR":              c.DataDir,
		"YIZHI_LOG_LEVEL":             strings.ToLower(c.LogLevel.String()),
		"YIZHI_LOG_FORMAT":            c.LogFormat,
		"YIZHI_MAX_BODY_BYTES":        strconv.FormatInt(c.MaxBodyBytes, 10),
		"YIZHI_SHUTDOWN_TIMEOUT":      c.ShutdownTimeout.String(),
		"YIZHI_MT_CONFIG":             c.MTConfigPath,
		"YIZHI_TM_MIN_SCORE":          strconv.Itoa(c.TMMinScore),
		"YIZHI_TRUSTED_PROXIES":       c.TrustedProxies,
		"YIZHI_CORS_ORIGINS":          c.CORSOrigins,
		"YIZHI_CACHE_DOCUMENTS":       strconv.Itoa(c.CacheDocuments),
		"YIZHI_CACHE_REFRESH":         c.CacheRefresh.String(),
		"YIZHI_WORKFLOW_CACHE":        strconv.Itoa(c.WorkflowCache),
	}
	for _, v := range configVars {
		got, ok := loaded[v.Name]
		if !ok {
			t.Errorf("%s is in configVars but not in this test's list of loaded values", v.Name)
			continue
		}
		if got != v.Default {
			t.Errorf("%s: configVars documents default %q, LoadConfig gives %q", v.Name, v.Default, got)
		}
	}
	if len(loaded) != len(configVars) {
		t.Errorf("this test knows %d variables, configVars has %d", len(loaded), len(configVars))
	}
}

func TestLoadConfigReadsEveryDocumentedVariable(t *testing.T) {
	var read []string
	if _, err := LoadConfig(func(name string) string {
		read = append(read, name)
		return ""
	}); err != nil {
		t.Fatal(err)
	}
	for _, v := range configVars {
		if !slices.Contains(read, v.Name) {
			t.Errorf("%s is documented in configVars but LoadConfig never reads it", v.Name)
		}
		if len(v.UsedBy) == 0 {
			t.Errorf("%s: UsedBy is empty", v.Name)
		}
		for _, sub := range v.UsedBy {
			if !slices.Contains([]string{"dev", "api", "worker", "migrate"}, sub) {
				t.Errorf("%s: UsedBy names unknown subcommand %q", v.Name, sub)
			}
		}
		if !strings.HasPrefix(v.Name, "YIZHI_") {
			t.Errorf("%s does not start with YIZHI_", v.Name)
		}
	}
	for _, name := range read {
		if !strings.HasPrefix(name, "YIZHI_") {
			t.Errorf("LoadConfig reads %s, outside the YIZHI_ namespace", name)
		}
	}
}

func TestLoadConfigOverrides(t *testing.T) {
	const mysqlURL = "mysql://yizhi:s3cret@tcp(db.internal:3306)/yizhi?charset=utf8mb4&parseTime=true&loc=UTC"
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{
			name: "mysql database",
			env:  map[string]string{"YIZHI_DATABASE_URL": mysqlURL},
			check: func(t *testing.T, c Config) {
				if c.DatabaseURL != mysqlURL || c.DatabaseDriver != "mysql" ||
					c.DatabaseDSN != "yizhi:s3cret@tcp(db.internal:3306)/yizhi?charset=utf8mb4&parseTime=true&loc=UTC" {
					t.Errorf("got %q %q %q", c.DatabaseURL, c.DatabaseDriver, c.DatabaseDSN)
				}
			},
		},
		{
			name: "mysql database without charset and loc, which default to utf8mb4 and UTC",
			env:  map[string]string{"YIZHI_DATABASE_URL": "mysql://u:p@tcp(127.0.0.1:3306)/yizhi_test?parseTime=true"},
			check: func(t *testing.T, c Config) {
				if c.DatabaseDriver != "mysql" || c.DatabaseDSN != "u:p@tcp(127.0.0.1:3306)/yizhi_test?parseTime=true" {
					t.Errorf("got %q %q", c.DatabaseDriver, c.DatabaseDSN)
				}
			},
		},
		{
			name: "smaller workflow cache",
			env:  map[string]string{"YIZHI_WORKFLOW_CACHE": "2000"},
			check: func(t *testing.T, c Config) {
				if c.WorkflowCache != 2000 {
					t.Errorf("WorkflowCache %d", c.WorkflowCache)
				}
			},
		},
		{
			name: "sqlite database elsewhere",
			env:  map[string]string{"YIZHI_DATABASE_URL": "sqlite:/var/lib/yizhi/y.db"},
			check: func(t *testing.T, c Config) {
				if c.DatabaseDriver != "sqlite" || c.DatabaseDSN != "/var/lib/yizhi/y.db" {
					t.Errorf("got %q %q", c.DatabaseDriver, c.DatabaseDSN)
				}
			},
		},
		{
			name: "sqlite:// spelling",
			env:  map[string]string{"YIZHI_DATABASE_URL": "sqlite:///var/lib/yizhi/y.db"},
			check: func(t *testing.T, c Config) {
				if c.DatabaseDSN != "/var/lib/yizhi/y.db" {
					t.Errorf("DSN %q", c.DatabaseDSN)
				}
			},
		},
		{
			name: "the default database follows the data dir",
			env:  map[string]string{"YIZHI_DATA_DIR": "/srv/yizhi"},
			check: func(t *testing.T, c Config) {
				if c.DataDir != "/srv/yizhi" || c.DatabaseURL != "sqlite:/srv/yizhi/yizhi.db" || c.DatabaseDSN != "/srv/yizhi/yizhi.db" {
					t.Errorf("got dir %q url %q dsn %q", c.DataDir, c.DatabaseURL, c.DatabaseDSN)
				}
			},
		},
		{
			name: "temporal",
			env: map[string]string{
				"YIZHI_TEMPORAL_ADDRESS":   "temporal:7233",
				"YIZHI_TEMPORAL_NAMESPACE": "yizhi-prod",
				"YIZHI_TEMPORAL_UI_URL":    "https://temporal.example.org/",
			},
			check: func(t *testing.T, c Config) {
				if c.TemporalAddress != "temporal:7233" || c.TemporalNamespace != "yizhi-prod" || c.TemporalUIURL != "https://temporal.example.org" {
					t.Errorf("got %q %q %q", c.TemporalAddress, c.TemporalNamespace, c.TemporalUIURL)
				}
			},
		},
		{
			name: "the default public URL follows the HTTP port",
			env:  map[string]string{"YIZHI_HTTP_ADDR": "0.0.0.0:9090"},
			check: func(t *testing.T, c Config) {
				if c.HTTPAddr != "0.0.0.0:9090" || c.PublicURL != "http://127.0.0.1:9090" {
					t.Errorf("got %q %q", c.HTTPAddr, c.PublicURL)
				}
			},
		},
		{
			name: "explicit public URL loses its trailing slash",
			env:  map[string]string{"YIZHI_PUBLIC_URL": "https://yizhi.court.example/"},
			check: func(t *testing.T, c Config) {
				if c.PublicURL != "https://yizhi.court.example" {
					t.Errorf("got %q", c.PublicURL)
				}
			},
		},
		{
			name: "token, level, format, limits; surrounding spaces are trimmed",
			env: map[string]string{
				"YIZHI_BOOTSTRAP_ADMIN_TOKEN": " 0123456789abcdef0123 ",
				"YIZHI_LOG_LEVEL":             "DEBUG",
				"YIZHI_LOG_FORMAT":            "json",
				"YIZHI_MAX_BODY_BYTES":        "1024",
				"YIZHI_SHUTDOWN_TIMEOUT":      "1m30s",
			},
			check: func(t *testing.T, c Config) {
				if c.BootstrapAdminToken != "0123456789abcdef0123" || c.LogLevel != slog.LevelDebug || c.LogFormat != "json" ||
					c.MaxBodyBytes != 1024 || c.ShutdownTimeout != 90*time.Second {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "session key",
			env:  map[string]string{"YIZHI_SESSION_KEY": " 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "},
			check: func(t *testing.T, c Config) {
				if c.SessionKey != "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" {
					t.Errorf("session key %q", c.SessionKey)
				}
			},
		},
		{
			name: "warn and error levels",
			env:  map[string]string{"YIZHI_LOG_LEVEL": "warn"},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != slog.LevelWarn {
					t.Errorf("level %v", c.LogLevel)
				}
				c2, err := LoadConfig(envOf(map[string]string{"YIZHI_LOG_LEVEL": "error"}))
				if err != nil || c2.LogLevel != slog.LevelError {
					t.Errorf("error level: %v %v", c2.LogLevel, err)
				}
			},
		},
		{
			name: "an empty value means the default",
			env:  map[string]string{"YIZHI_HTTP_ADDR": "", "YIZHI_LOG_LEVEL": "  "},
			check: func(t *testing.T, c Config) {
				if c.HTTPAddr != ":8080" || c.LogLevel != slog.LevelInfo {
					t.Errorf("got %q %v", c.HTTPAddr, c.LogLevel)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(envOf(tt.env))
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadConfigRejectsInvalidValues(t *testing.T) {
	tests := []struct {
		name, value string
		secret      bool // the value must not appear in the error
	}{
		{"YIZHI_DATABASE_URL", "postgres://u:hunter22@db/yizhi", true},
		{"YIZHI_DATABASE_URL", "data/yizhi.db", true},
		{"YIZHI_DATABASE_URL", "sqlite:", false},
		{"YIZHI_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)/yizhi?charset=utf8mb4&loc=UTC", true},             // no parseTime
		{"YIZHI_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)/?parseTime=true", true},                           // no database
		{"YIZHI_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)/yizhi?parseTime=true&loc=Local", true},            // not UTC
		{"YIZHI_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)/yizhi?parseTime=true&charset=latin1", true},       // not utf8mb4
		{"YIZHI_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)/yizhi?parseTime=true&collation=latin1_bin", true}, // not utf8mb4
		{"YIZHI_DATABASE_URL", "mysql://u:hunter22@db:3306/yizhi", true},                                          // URL, not a Go DSN
		{"YIZHI_TEMPORAL_ADDRESS", "temporal", false},
		{"YIZHI_TEMPORAL_ADDRESS", ":7233", false},
		{"YIZHI_TEMPORAL_ADDRESS", "temporal:http", false},
		{"YIZHI_TEMPORAL_ADDRESS", "temporal:0", false},
		{"YIZHI_TEMPORAL_NAMESPACE", "my namespace", false},
		{"YIZHI_TEMPORAL_UI_URL", "127.0.0.1:8233", false},
		{"YIZHI_TEMPORAL_UI_URL", "ftp://temporal/", false},
		{"YIZHI_HTTP_ADDR", "8080", false},
		{"YIZHI_HTTP_ADDR", ":99999", false},
		{"YIZHI_PUBLIC_URL", "yizhi.example.org", false},
		{"YIZHI_PUBLIC_URL", "https://yizhi.example.org/?x=1", false},
		{"YIZHI_BOOTSTRAP_ADMIN_TOKEN", "short-token", true},
		{"YIZHI_BOOTSTRAP_ADMIN_TOKEN", "long enough but spaced", true},
		{"YIZHI_SESSION_KEY", "too-short-session-key", true},
		{"YIZHI_SESSION_KEY", "a session key that is long enough but has spaces", true},
		{"YIZHI_LOG_LEVEL", "verbose", false},
		{"YIZHI_LOG_FORMAT", "xml", false},
		{"YIZHI_MAX_BODY_BYTES", "10MiB", false},
		{"YIZHI_MAX_BODY_BYTES", "0", false},
		{"YIZHI_MAX_BODY_BYTES", "-1", false},
		{"YIZHI_SHUTDOWN_TIMEOUT", "15", false},
		{"YIZHI_SHUTDOWN_TIMEOUT", "-5s", false},
		{"YIZHI_SHUTDOWN_TIMEOUT", "0s", false},
		{"YIZHI_MT_CONFIG", "/no/such/mt.yaml", false},
		{"YIZHI_MT_CONFIG", "/", false},
		{"YIZHI_TM_MIN_SCORE", "0", false},
		{"YIZHI_TM_MIN_SCORE", "101", false},
		{"YIZHI_TM_MIN_SCORE", "high", false},
		{"YIZHI_TRUSTED_PROXIES", "10.0.0.0/8, cdn.example.org", false},
		{"YIZHI_TRUSTED_PROXIES", "10.0.0.0/33", false},
		{"YIZHI_CORS_ORIGINS", "court.example.org", false},
		{"YIZHI_CORS_ORIGINS", "https://court.example.org/portal", false},
		{"YIZHI_CACHE_DOCUMENTS", "-1", false},
		{"YIZHI_CACHE_DOCUMENTS", "many", false},
		{"YIZHI_CACHE_REFRESH", "0s", false},
		{"YIZHI_CACHE_REFRESH", "500", false},
		{"YIZHI_WORKFLOW_CACHE", "0", false},
		{"YIZHI_WORKFLOW_CACHE", "-1", false},
		{"YIZHI_WORKFLOW_CACHE", "10k", false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			c, err := LoadConfig(envOf(map[string]string{tt.name: tt.value}))
			if err == nil {
				t.Fatalf("accepted %s=%q: %+v", tt.name, tt.value, c)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.name+": ") {
				t.Errorf("error %q does not start with the variable name", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("one bad variable gave several errors: %q", msg)
			}
			if tt.secret && (strings.Contains(msg, "hunter22") || strings.Contains(msg, tt.value)) {
				t.Errorf("error %q leaks the secret value", msg)
			}
			if c != (Config{}) {
				t.Errorf("a failed load returned a partial config: %+v", c)
			}
		})
	}
}

func TestLoadConfigReportsEveryInvalidVariable(t *testing.T) {
	_, err := LoadConfig(envOf(map[string]string{
		"YIZHI_LOG_LEVEL":        "loud",
		"YIZHI_SHUTDOWN_TIMEOUT": "soon",
	}))
	if err == nil {
		t.Fatal("accepted two invalid variables")
	}
	for _, name := range []string{"YIZHI_LOG_LEVEL", "YIZHI_SHUTDOWN_TIMEOUT"} {
		if !strings.Contains(err.Error(), name+": ") {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestLocalURL(t *testing.T) {
	tests := map[string]string{
		":8080":          "http://127.0.0.1:8080",
		"0.0.0.0:80":     "http://127.0.0.1:80",
		"[::]:8080":      "http://127.0.0.1:8080",
		"10.1.2.3:8080":  "http://10.1.2.3:8080",
		"localhost:8080": "http://localhost:8080",
		"[::1]:8080":     "http://[::1]:8080",
	}
	for addr, want := range tests {
		if got := (Config{HTTPAddr: addr}).LocalURL(); got != want {
			t.Errorf("LocalURL for %q = %q, want %q", addr, got, want)
		}
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	c, err := LoadConfig(envOf(map[string]string{"YIZHI_LOG_FORMAT": "json", "YIZHI_LOG_LEVEL": "warn"}))
	if err != nil {
		t.Fatal(err)
	}
	log := c.Logger(&buf)
	log.Info("hidden")
	log.Warn("shown", "document_id", 7)
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("want exactly one JSON record, got %q: %v", buf.String(), err)
	}
	if rec["msg"] != "shown" || rec["level"] != "WARN" || rec["document_id"] != float64(7) {
		t.Errorf("record %v", rec)
	}

	buf.Reset()
	c, err = LoadConfig(envOf(map[string]string{"YIZHI_LOG_LEVEL": "debug"}))
	if err != nil {
		t.Fatal(err)
	}
	c.Logger(&buf).Debug("detail", "k", "v")
	if got := buf.String(); !strings.Contains(got, "level=DEBUG msg=detail k=v") {
		t.Errorf("text record %q", got)
	}
}

func TestConfigTableMarkdown(t *testing.T) {
	table := configTableMarkdown()
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(lines) != len(configVars)+2 {
		t.Fatalf("want a header, a rule and %d rows, got %d lines:\n%s", len(configVars), len(lines), table)
	}
	columns := strings.Count(lines[0], "|")
	for i, v := range configVars {
		row := lines[i+2]
		if !strings.HasPrefix(row, "| `"+v.Name+"` |") {
			t.Errorf("row %d is %q, want %s", i, row, v.Name)
		}
		if got := strings.Count(row, "|") - strings.Count(row, `\|`); got != columns {
			t.Errorf("row for %s has %d cell separators, the header %d", v.Name, got, columns)
		}
	}
}

// TestREADMEConfigTable keeps the README's configuration table equal to the
// one rendered from configVars. To rewrite it:
//
//	go test ./cmd/yizhi -run TestREADMEConfigTable -update-readme
func TestREADMEConfigTable(t *testing.T) {
	const begin, end = "<!-- config-table -->", "<!-- /config-table -->"
	path := filepath.Join("..", "..", "README.md")
	readme, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skip("README.md does not exist yet; this test checks its configuration table once it does")
	}
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	before, rest, ok1 := strings.Cut(text, begin)
	inside, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Skipf("README.md has no %s … %s markers yet; put them where the configuration table belongs", begin, end)
	}
	want := configTableMarkdown()
	if strings.TrimSpace(inside) == strings.TrimSpace(want) {
		return
	}
	if *updateREADME {
		if err := os.WriteFile(path, []byte(before+begin+"\n"+want+end+after), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the configuration table in %s", path)
		return
	}
	t.Errorf("README.md's configuration table differs from configVars; run\n"+
		"  go test ./cmd/yizhi -run TestREADMEConfigTable -update-readme\nor paste:\n%s", want)
}

// The example MT configuration in the repository must load as it is.
func TestExampleMTConfigLoads(t *testing.T) {
	cfg, err := mt.LoadConfig("../../examples/mt.yaml", envOf(map[string]string{"NIUTRANS_API_KEY": "k", "DEEPL_AUTH_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	engines, err := mt.NewEngines(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	router := mt.NewRouter(cfg, engines, nil)
	if got := router.Engines("zh-Hans", "mn-Mong"); !slices.Equal(got, []string{"niutrans", "hunyuan"}) {
		t.Errorf("mn-Mong engines = %v", got)
	}
	if got := router.Engines("zh-Hans", "ii"); len(got) != 0 {
		t.Errorf("Yi has engines %v; none covers it", got)
	}
}

// dev keeps one generated session key, so restarting `make run` does not
// sign the workbench's users out; a configured key wins.
func TestDevSessionKeyIsKept(t *testing.T) {
	cfg := Config{DataDir: t.TempDir()}
	first, err := devSessionKey(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < minSessionKeyLength {
		t.Fatalf("generated key has %d characters", len(first))
	}
	again, err := devSessionKey(cfg)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("second run got another key: %v", err)
	}
	if info, err := os.Stat(filepath.Join(cfg.DataDir, "session-key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	cfg.SessionKey = strings.Repeat("k", minSessionKeyLength)
	if got, _ := devSessionKey(cfg); string(got) != cfg.SessionKey {
		t.Errorf("configured key ignored: %q", got)
	}
}
