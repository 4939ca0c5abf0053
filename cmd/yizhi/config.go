package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Config is everything yizhi takes from its environment. LoadConfig is the
// only code that reads the environment; everything else gets a Config.
type Config struct {
	// DatabaseURL is YIZHI_DATABASE_URL as given; DatabaseDriver ("sqlite" or
	// "mysql") and DatabaseDSN (what that gorm driver opens) are split from it.
	DatabaseURL    string
	DatabaseDriver string
	DatabaseDSN    string

	TemporalAddress   string
	TemporalNamespace string
	TemporalUIURL     string

	HTTPAddr  string
	PublicURL string // no trailing slash

	BootstrapAdminToken string
	DataDir             string

	// SessionKey encrypts and authenticates the workbench's session
	// cookies; "" lets dev keep one in DataDir and api make one per process.
	SessionKey string

	LogLevel  slog.Level
	LogFormat string // logFormatText or logFormatJSON

	MaxBodyBytes    int64
	ShutdownTimeout time.Duration

	MTConfigPath string // "" = no MT engines: suggestions from TM and glossary only
	TMMinScore   int

	// TrustedProxies lists, comma-separated, the addresses and CIDR ranges
	// of proxies whose X-Forwarded-For the API believes; "" believes none.
	TrustedProxies string
	// CORSOrigins lists, comma-separated, the portal origins allowed to
	// call the portal endpoints from a browser; "*" allows any.
	CORSOrigins string
	// CacheDocuments is the portal cache's size in documents; 0 turns it
	// off. CacheRefresh is how often it follows the feed.
	CacheDocuments int
	CacheRefresh   time.Duration
	// WorkflowCache is how many workflow executions the worker keeps in
	// memory between their workflow tasks (the Temporal SDK's sticky
	// cache, one per process). It trades memory against replay: each
	// cached translation holds its goroutines and state while it waits
	// days for people, and one that was evicted replays its whole history
	// from Temporal before its next task, which costs little for a human's
	// claim but a replay per task when more workflows are busy at once
	// than the cache holds.
	WorkflowCache int
}

const (
	logFormatText = "text"
	logFormatJSON = "json"

	databaseDriverSQLite = "sqlite"
	databaseDriverMySQL  = "mysql"

	// minAdminTokenLength keeps a guessable bootstrap token out of production.
	minAdminTokenLength = 16
	// minSessionKeyLength is 256 bits as hex, or more in any other spelling.
	minSessionKeyLength = 32
)

// configVar documents one environment variable. The README's configuration
// table is rendered from configVars, and LoadConfig takes its defaults from
// it, so the two cannot drift apart.
type configVar struct {
	Name string
	// Default is what an unset (or empty) variable means. Two defaults follow
	// other variables (the description says which); Default is their value
	// when those are unset too.
	Default     string
	Description string
	// UsedBy lists the subcommands that read the variable.
	UsedBy []string
	// SetInProduction marks variables whose default suits `yizhi dev` on one
	// machine but not a deployment, so docker-compose.yml must set them.
	SetInProduction bool
}

var configVars = []configVar{
	{
		Name:    "YIZHI_DATABASE_URL",
		Default: "sqlite:data/yizhi.db",
		Description: "Where the records live: `sqlite:PATH` (embedded, no setup; the default follows YIZHI_DATA_DIR) or " +
			"`mysql://user:pass@tcp(host:3306)/yizhi?charset=utf8mb4&parseTime=true&loc=UTC` (MySQL 8 or MariaDB 10.11; " +
			"`parseTime=true` and UTC are required).",
		UsedBy:          []string{"dev", "api", "worker", "migrate"},
		SetInProduction: true,
	},
	{
		Name:            "YIZHI_TEMPORAL_ADDRESS",
		Default:         "127.0.0.1:7233",
		Description:     "host:port of the Temporal frontend (gRPC).",
		UsedBy:          []string{"dev", "api", "worker"},
		SetInProduction: true,
	},
	{
		Name:        "YIZHI_TEMPORAL_NAMESPACE",
		Default:     "default",
		Description: "Temporal namespace for yizhi's workflows; it must exist.",
		UsedBy:      []string{"dev", "api", "worker"},
	},
	{
		Name:        "YIZHI_TEMPORAL_UI_URL",
		Default:     "http://127.0.0.1:8233",
		Description: "Temporal web UI, only printed by `dev` as a link.",
		UsedBy:      []string{"dev"},
	},
	{
		Name:            "YIZHI_HTTP_ADDR",
		Default:         ":8080",
		Description:     "Address the HTTP API listens on, `[host]:port`.",
		UsedBy:          []string{"dev", "api"},
		SetInProduction: true,
	},
	{
		Name:    "YIZHI_PUBLIC_URL",
		Default: "http://127.0.0.1:8080",
		Description: "Base URL clients reach the API at, used in printed and generated links; " +
			"the default follows the port of YIZHI_HTTP_ADDR.",
		UsedBy:          []string{"dev", "api"},
		SetInProduction: true,
	},
	{
		Name:    "YIZHI_BOOTSTRAP_ADMIN_TOKEN",
		Default: "",
		Description: fmt.Sprintf("Bearer token of the first admin, at least %d characters. "+
			"`dev` generates one under YIZHI_DATA_DIR when it is empty, and prints it.", minAdminTokenLength),
		UsedBy:          []string{"dev", "api"},
		SetInProduction: true,
	},
	{
		Name:    "YIZHI_SESSION_KEY",
		Default: "",
		Description: fmt.Sprintf("Secret, at least %d characters (e.g. `openssl rand -hex 32`), that encrypts and signs the sign-in "+
			"cookies of the workbench at `/ui/`. Every API replica needs the same one. Empty: `dev` generates one under "+
			"YIZHI_DATA_DIR and keeps it; `api` makes a random one per process, so sign-ins end when it restarts and do not "+
			"carry over to other replicas.", minSessionKeyLength),
		UsedBy:          []string{"dev", "api"},
		SetInProduction: true,
	},
	{
		Name:        "YIZHI_DATA_DIR",
		Default:     "data",
		Description: "Directory for `dev`'s local state: the SQLite database, the generated admin token, the Temporal dev server's database.",
		UsedBy:      []string{"dev"},
	},
	{
		Name:        "YIZHI_LOG_LEVEL",
		Default:     "info",
		Description: "`debug`, `info`, `warn` or `error`.",
		UsedBy:      []string{"dev", "api", "worker", "migrate"},
	},
	{
		Name:        "YIZHI_LOG_FORMAT",
		Default:     logFormatText,
		Description: "`text` (logfmt) or `json`.",
		UsedBy:      []string{"dev", "api", "worker", "migrate"},
	},
	{
		Name:        "YIZHI_MAX_BODY_BYTES",
		Default:     "10485760",
		Description: "Largest request body the API accepts, in bytes (default 10 MiB).",
		UsedBy:      []string{"dev", "api"},
	},
	{
		Name:    "YIZHI_MT_CONFIG",
		Default: "",
		Description: "YAML file naming the MT engines (NiuTrans, LibreTranslate, OpenAI-compatible, DeepL), their endpoints, keys, " +
			"language codes and the fallback order per language pair. Empty: suggestions come from the translation memory and glossary only.",
		UsedBy: []string{"dev", "api", "worker"},
	},
	{
		Name:        "YIZHI_TM_MIN_SCORE",
		Default:     "70",
		Description: "Lowest fuzzy translation-memory score (1–100) shown as a suggestion.",
		UsedBy:      []string{"dev", "worker"},
	},
	{
		Name:    "YIZHI_TRUSTED_PROXIES",
		Default: "",
		Description: "Comma-separated addresses or CIDR ranges of the reverse proxies or CDN in front of the API, whose " +
			"X-Forwarded-For names the client. Empty: the connection's address is the client, as the public feedback " +
			"rate limit needs when nothing sits in front.",
		UsedBy: []string{"dev", "api"},
	},
	{
		Name:    "YIZHI_CORS_ORIGINS",
		Default: "",
		Description: "Comma-separated origins of the portals whose web pages may call the portal endpoints " +
			"(`/v1/published…` and public feedback) from the browser, e.g. `https://www.xjcourt.gov.cn`; `*` allows any. Empty: none.",
		UsedBy: []string{"dev", "api"},
	},
	{
		Name:    "YIZHI_CACHE_DOCUMENTS",
		Default: "10000",
		Description: "How many documents the API keeps in memory for portal reads (least recently read go first). " +
			"0 turns the cache off and every read goes to the database.",
		UsedBy: []string{"dev", "api"},
	},
	{
		Name:    "YIZHI_CACHE_REFRESH",
		Default: "500ms",
		Description: "How often each API process reads the feed's head to drop cached documents that another process " +
			"published, revised or withdrew (a Go duration). Its own changes are dropped at once.",
		UsedBy: []string{"dev", "api"},
	},
	{
		Name:    "YIZHI_WORKFLOW_CACHE",
		Default: "10000",
		Description: "How many running workflows the worker keeps in memory (Temporal's sticky workflow cache; " +
			"least recently used go first). A translation waits days for people, so open workflows pile up: a smaller " +
			"cache holds less memory, and a workflow that wakes after being dropped replays its history from Temporal first.",
		UsedBy: []string{"dev", "worker"},
	},
	{
		Name:        "YIZHI_SHUTDOWN_TIMEOUT",
		Default:     "15s",
		Description: "How long a stopping process waits for in-flight requests and activities (a Go duration).",
		UsedBy:      []string{"dev", "api", "worker"},
	},
}

// lookupConfigVar returns the table entry for name. Asking for a name the
// table lacks is a programming error, caught by any test that loads a config.
func lookupConfigVar(name string) configVar {
	for _, v := range configVars {
		if v.Name == name {
			return v
		}
	}
	panic("configVars has no entry for " + name)
}

// LoadConfig reads the configuration through getenv (os.Getenv in
// production). An unset or empty variable takes its default; every invalid
// value is reported, each error naming its variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	// valueOr returns the trimmed value of name, or fallback when it is empty.
	valueOr := func(name, fallback string) string {
		lookupConfigVar(name) // every variable read must be documented
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return fallback
	}
	value := func(name string) string { return valueOr(name, lookupConfigVar(name).Default) }

	var errs []error
	invalid := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}

	var c Config
	c.DataDir = value("YIZHI_DATA_DIR")

	c.DatabaseURL = valueOr("YIZHI_DATABASE_URL", "sqlite:"+path.Join(c.DataDir, "yizhi.db"))
	var err error
	if c.DatabaseDriver, c.DatabaseDSN, err = parseDatabaseURL(c.DatabaseURL); err != nil {
		invalid("YIZHI_DATABASE_URL", "%v", err)
	}

	c.TemporalAddress = value("YIZHI_TEMPORAL_ADDRESS")
	if _, err := splitHostPort(c.TemporalAddress, true); err != nil {
		invalid("YIZHI_TEMPORAL_ADDRESS", "%q: %v", c.TemporalAddress, err)
	}

	c.TemporalNamespace = value("YIZHI_TEMPORAL_NAMESPACE")
	if strings.ContainsFunc(c.TemporalNamespace, isSpaceOrControl) {
		invalid("YIZHI_TEMPORAL_NAMESPACE", "%q contains whitespace", c.TemporalNamespace)
	}

	c.TemporalUIURL, err = parseBaseURL(value("YIZHI_TEMPORAL_UI_URL"))
	if err != nil {
		invalid("YIZHI_TEMPORAL_UI_URL", "%v", err)
	}

	c.HTTPAddr = value("YIZHI_HTTP_ADDR")
	if _, err := splitHostPort(c.HTTPAddr, false); err != nil {
		invalid("YIZHI_HTTP_ADDR", "%q: %v", c.HTTPAddr, err)
	} else if c.PublicURL, err = parseBaseURL(valueOr("YIZHI_PUBLIC_URL", c.LocalURL())); err != nil {
		invalid("YIZHI_PUBLIC_URL", "%v", err)
	}

	c.BootstrapAdminToken = value("YIZHI_BOOTSTRAP_ADMIN_TOKEN")
	switch {
	case c.BootstrapAdminToken == "":
	case len(c.BootstrapAdminToken) < minAdminTokenLength:
		// The token itself is a secret: never echo it.
		invalid("YIZHI_BOOTSTRAP_ADMIN_TOKEN", "must be at least %d characters, got %d", minAdminTokenLength, len(c.BootstrapAdminToken))
	case strings.ContainsFunc(c.BootstrapAdminToken, isSpaceOrControl):
		invalid("YIZHI_BOOTSTRAP_ADMIN_TOKEN", "must not contain whitespace or control characters")
	}

	c.SessionKey = value("YIZHI_SESSION_KEY")
	switch {
	case c.SessionKey == "":
	case len(c.SessionKey) < minSessionKeyLength:
		// A secret: never echo it.
		invalid("YIZHI_SESSION_KEY", "must be at least %d characters, got %d", minSessionKeyLength, len(c.SessionKey))
	case strings.ContainsFunc(c.SessionKey, isSpaceOrControl):
		invalid("YIZHI_SESSION_KEY", "must not contain whitespace or control characters")
	}

	level := value("YIZHI_LOG_LEVEL")
	switch strings.ToLower(level) {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		invalid("YIZHI_LOG_LEVEL", "%q is not one of debug, info, warn, error", level)
	}

	c.LogFormat = strings.ToLower(value("YIZHI_LOG_FORMAT"))
	if c.LogFormat != logFormatText && c.LogFormat != logFormatJSON {
		invalid("YIZHI_LOG_FORMAT", "%q is not one of text, json", c.LogFormat)
	}

	maxBody := value("YIZHI_MAX_BODY_BYTES")
	c.MaxBodyBytes, err = strconv.ParseInt(maxBody, 10, 64)
	if err != nil || c.MaxBodyBytes <= 0 {
		invalid("YIZHI_MAX_BODY_BYTES", "%q is not a positive whole number of bytes", maxBody)
	}

	timeout := value("YIZHI_SHUTDOWN_TIMEOUT")
	c.ShutdownTimeout, err = time.ParseDuration(timeout)
	if err != nil || c.ShutdownTimeout <= 0 {
		invalid("YIZHI_SHUTDOWN_TIMEOUT", "%q is not a positive Go duration such as 15s or 1m30s", timeout)
	}

	c.MTConfigPath = value("YIZHI_MT_CONFIG")
	if c.MTConfigPath != "" {
		if info, err := os.Stat(c.MTConfigPath); err != nil || info.IsDir() {
			invalid("YIZHI_MT_CONFIG", "%q is not a readable file", c.MTConfigPath)
		}
	}

	minScore := value("YIZHI_TM_MIN_SCORE")
	c.TMMinScore, err = strconv.Atoi(minScore)
	if err != nil || c.TMMinScore < 1 || c.TMMinScore > 100 {
		invalid("YIZHI_TM_MIN_SCORE", "%q is not a whole number from 1 to 100", minScore)
	}

	c.TrustedProxies = value("YIZHI_TRUSTED_PROXIES")
	for _, p := range splitList(c.TrustedProxies) {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			invalid("YIZHI_TRUSTED_PROXIES", "%q is neither an IP address nor a CIDR range", p)
		}
	}

	c.CORSOrigins = value("YIZHI_CORS_ORIGINS")
	for _, o := range splitList(c.CORSOrigins) {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "") {
			invalid("YIZHI_CORS_ORIGINS", "%q is not an origin such as https://court.example.org", o)
		}
	}

	cacheDocs := value("YIZHI_CACHE_DOCUMENTS")
	c.CacheDocuments, err = strconv.Atoi(cacheDocs)
	if err != nil || c.CacheDocuments < 0 {
		invalid("YIZHI_CACHE_DOCUMENTS", "%q is not a whole number of documents (0 turns the cache off)", cacheDocs)
	}
	refresh := value("YIZHI_CACHE_REFRESH")
	c.CacheRefresh, err = time.ParseDuration(refresh)
	if err != nil || c.CacheRefresh <= 0 {
		invalid("YIZHI_CACHE_REFRESH", "%q is not a positive Go duration such as 500ms", refresh)
	}

	workflowCache := value("YIZHI_WORKFLOW_CACHE")
	c.WorkflowCache, err = strconv.Atoi(workflowCache)
	if err != nil || c.WorkflowCache < 1 {
		invalid("YIZHI_WORKFLOW_CACHE", "%q is not a positive whole number of workflows", workflowCache)
	}

	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

// Logger returns the process logger, writing to w in the configured level and
// format. It is built once in main and passed down explicitly.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == logFormatJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// LocalURL is the base URL at which this machine reaches its own HTTP
// listener: an unspecified or wildcard host becomes 127.0.0.1. It is the
// default public URL, and what a container health check calls.
func (c Config) LocalURL() string {
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// parseDatabaseURL splits YIZHI_DATABASE_URL into a gorm driver name and
// that driver's DSN. Its errors never contain the URL, which may hold a
// password.
func parseDatabaseURL(raw string) (driver, dsn string, err error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		// Accept sqlite:PATH and the common sqlite://PATH spelling alike.
		dsn = strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if dsn == "" {
			return "", "", errors.New("sqlite: needs a file path, e.g. sqlite:data/yizhi.db")
		}
		return databaseDriverSQLite, dsn, nil
	case strings.HasPrefix(raw, "mysql://"):
		dsn = strings.TrimPrefix(raw, "mysql://")
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return "", "", errors.New("mysql:// must be followed by a Go MySQL DSN, e.g. mysql://user:pass@tcp(host:3306)/yizhi?charset=utf8mb4&parseTime=true&loc=UTC")
		}
		if cfg.DBName == "" {
			return "", "", errors.New("mysql:// URL names no database (…/yizhi?…)")
		}
		if !cfg.ParseTime {
			return "", "", errors.New("mysql:// URL needs parseTime=true")
		}
		if cfg.Loc != time.UTC {
			return "", "", errors.New("mysql:// URL needs loc=UTC (the default when loc is absent)")
		}
		if charset := dsnParam(dsn, "charset"); charset != "" && !strings.HasPrefix(charset, "utf8mb4") {
			return "", "", fmt.Errorf("mysql:// URL has charset=%s; yizhi needs utf8mb4", charset)
		}
		if cfg.Collation != "" && !strings.HasPrefix(cfg.Collation, "utf8mb4") {
			return "", "", fmt.Errorf("mysql:// URL has collation=%s; yizhi needs a utf8mb4 collation", cfg.Collation)
		}
		return databaseDriverMySQL, dsn, nil
	default:
		scheme, _, found := strings.Cut(raw, ":")
		if !found {
			return "", "", errors.New("has no scheme; want sqlite:PATH or mysql://DSN")
		}
		return "", "", fmt.Errorf("scheme %q is not sqlite: or mysql://", scheme)
	}
}

// dsnParam returns a query parameter of a Go MySQL DSN; the driver keeps the
// charset to itself.
func dsnParam(dsn, name string) string {
	_, query, _ := strings.Cut(dsn[strings.LastIndex(dsn, "/")+1:], "?")
	values, err := url.ParseQuery(query)
	if err != nil {
		return ""
	}
	return values.Get(name)
}

// splitHostPort checks a host:port address and returns its port; the host
// may be left out only when needHost is false (a listen address).
func splitHostPort(addr string, needHost bool) (int, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, errors.New("want host:port")
	}
	if needHost && host == "" {
		return 0, errors.New("the host is missing")
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 || (needHost && port == 0) {
		return 0, fmt.Errorf("port %q is not a port number", portText)
	}
	return port, nil
}

// parseBaseURL accepts an absolute http(s) URL without query or fragment and
// returns it without a trailing slash, so callers can append paths.
func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http:// or https:// URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q must not carry credentials, a query or a fragment", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

func isSpaceOrControl(r rune) bool {
	return r <= ' ' || r == 0x7f
}

// configTableMarkdown renders configVars as the Markdown table the README
// embeds between <!-- config-table --> and <!-- /config-table -->.
func configTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| Variable | Default | Used by | Production | Description |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, v := range configVars {
		def := "*empty*"
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		production := ""
		if v.SetInProduction {
			production = "set it"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n",
			v.Name, markdownCell(def), strings.Join(v.UsedBy, ", "), production, markdownCell(v.Description))
	}
	return b.String()
}

// markdownCell escapes the one character that would split a table cell.
func markdownCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

// splitList splits a comma-separated variable, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
