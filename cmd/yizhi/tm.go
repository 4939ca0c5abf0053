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
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const tmUsage = `usage:
  yizhi tm import FILE [--url URL] [--token TOKEN]
        upload a TMX 1.4b file into the translation memory, all or nothing,
        with a progress bar on stderr
  yizhi tm export [--lang TAG] [--out FILE] [--url URL] [--token TOKEN]
        download the memory from Chinese into TAG (all languages without
        it) as TMX, to FILE or stdout

--url defaults to YIZHI_PUBLIC_URL and --token to YIZHI_BOOTSTRAP_ADMIN_TOKEN;
the token must belong to an admin or an editor.
`

// errTMUsage is returned after the usage has been printed.
var errTMUsage = errors.New("tm: see usage above")

// runTM is `yizhi tm`: a client of the API's TM exchange endpoints, so an
// import goes through the same validation, limits and audit as any other.
func runTM(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, tmUsage)
		return errTMUsage
	}
	switch args[0] {
	case "import":
		return tmImport(ctx, cfg, log, args[1:], stdout, stderr)
	case "export":
		return tmExport(ctx, cfg, log, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, tmUsage)
		return nil
	}
	fmt.Fprintf(stderr, "yizhi tm: unknown command %q\n\n%s", args[0], tmUsage)
	return errTMUsage
}

// tmClient holds what both subcommands share: where the API is and who
// is asking.
type tmClient struct {
	base, token string
	http        *http.Client
}

func newTMFlags(name string, cfg Config, stderr io.Writer) (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet("yizhi tm "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, tmUsage) }
	base := fs.String("url", cfg.PublicURL, "base URL of the yizhi API")
	token := fs.String("token", "", "bearer token of an admin or editor (default: YIZHI_BOOTSTRAP_ADMIN_TOKEN)")
	return fs, base, token
}

// parseInterspersed parses flags that may come before or after the
// positional arguments (`tm import FILE --url …`); package flag alone
// stops at the first positional one.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func newTMClient(cfg Config, base, token string) (*tmClient, error) {
	base, err := parseBaseURL(base)
	if err != nil {
		return nil, fmt.Errorf("--url: %w", err)
	}
	if token == "" {
		token = cfg.BootstrapAdminToken
	}
	if token == "" {
		return nil, errors.New("no token: pass --token or set YIZHI_BOOTSTRAP_ADMIN_TOKEN")
	}
	// No overall timeout: an upload of hundreds of megabytes takes as long
	// as it takes, and Ctrl-C cancels the context.
	return &tmClient{base: base, token: token, http: &http.Client{}}, nil
}

func (c *tmClient) request(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	return req, nil
}

// tmImportResult is the API's final answer (the NDJSON "done" line).
type tmImportResult struct {
	Imported          int `json:"imported"`
	SkippedDuplicates int `json:"skipped_duplicates"`
	Units             int `json:"units"`
	SkippedUnits      int `json:"skipped_units"`
}

// tmProgressLine is any line of the API's NDJSON progress stream.
type tmProgressLine struct {
	tmImportResult
	Phase   string    `json:"phase"`
	Entries int       `json:"entries"`
	Checked int       `json:"checked"`
	Done    bool      `json:"done"`
	Error   *apiError `json:"error"`
}

type apiError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

func (e *apiError) Error() string { return e.Message }

func tmImport(ctx context.Context, cfg Config, _ *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs, base, token := newTMFlags("import", cfg, stderr)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return errTMUsage
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "yizhi tm import: name one TMX file\n\n%s", tmUsage)
		return errTMUsage
	}
	client, err := newTMClient(cfg, *base, *token)
	if err != nil {
		return err
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}

	bar := newProgressBar(stderr, "tm import "+filepath.Base(files[0]), info.Size())
	defer bar.stop()
	req, err := client.request(ctx, http.MethodPost, "/v1/tm/import", &countingBody{r: f, bar: bar})
	if err != nil {
		return err
	}
	req.ContentLength = info.Size()
	req.Header.Set("Content-Type", "application/x-tmx+xml")
	req.Header.Set("Accept", "application/x-ndjson")
	resp, err := client.http.Do(req)
	if err != nil {
		return fmt.Errorf("upload %s: %w", files[0], err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return responseError(resp)
	}

	var res tmImportResult
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/x-ndjson" {
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			return fmt.Errorf("read the API's answer: %w", err)
		}
	} else if res, err = readProgress(resp.Body, bar); err != nil {
		return err
	}
	bar.finish()
	fmt.Fprintf(stdout, "imported %d entries from %s: %d units, %d duplicate entries skipped",
		res.Imported, files[0], res.Units, res.SkippedDuplicates)
	if res.SkippedUnits > 0 {
		fmt.Fprintf(stdout, ", %d units without a Chinese and a target segment skipped", res.SkippedUnits)
	}
	fmt.Fprintln(stdout)
	return nil
}

// readProgress follows the NDJSON stream to its done or error line.
func readProgress(r io.Reader, bar *progressBar) (tmImportResult, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var line tmProgressLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return tmImportResult{}, fmt.Errorf("read the API's progress: %w", err)
		}
		switch {
		case line.Error != nil:
			return tmImportResult{}, fmt.Errorf("import refused, nothing was imported: %w", line.Error)
		case line.Done:
			return line.tmImportResult, nil
		default:
			bar.server(line.Phase, line.Units, line.Entries, line.Checked)
		}
	}
	if err := sc.Err(); err != nil {
		return tmImportResult{}, fmt.Errorf("read the API's progress: %w", err)
	}
	return tmImportResult{}, errors.New("the API's answer ended before the import finished; whether it was committed is unknown")
}

// responseError turns an error answer of the API into an error naming its
// message (which, for a bad file, names the line).
func responseError(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body struct {
		Error *apiError `json:"error"`
	}
	if json.Unmarshal(data, &body) == nil && body.Error != nil {
		return fmt.Errorf("the API answered %s: %w", resp.Status, body.Error)
	}
	return fmt.Errorf("the API answered %s", resp.Status)
}

func tmExport(ctx context.Context, cfg Config, _ *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs, base, token := newTMFlags("export", cfg, stderr)
	target := fs.String("lang", "", "target language, e.g. ug (default: every language)")
	out := fs.String("out", "", "file to write (default: stdout)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return errTMUsage
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "yizhi tm export: unexpected argument %q\n\n%s", rest[0], tmUsage)
		return errTMUsage
	}
	client, err := newTMClient(cfg, *base, *token)
	if err != nil {
		return err
	}
	path := "/v1/tm/export"
	if *target != "" {
		path += "?target_lang=" + url.QueryEscape(*target)
	}
	req, err := client.request(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	resp, err := client.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return responseError(resp)
	}

	var w io.Writer = stdout
	var tmp *os.File
	if *out != "" && *out != "-" {
		// Write beside the target and rename at the end, so a broken
		// download never leaves a half file under the name asked for.
		if tmp, err = os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*"); err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		w = tmp
	}
	bar := newProgressBar(stderr, "tm export", -1)
	defer bar.stop()
	tail := &tailWriter{}
	if _, err := io.Copy(io.MultiWriter(w, tail, bar), resp.Body); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	// The API leaves a file it could not finish unclosed.
	if !bytes.HasSuffix(bytes.TrimSpace(tail.last), []byte("</tmx>")) {
		if tmp != nil {
			return fmt.Errorf("the export broke off before the end of the file; %s was not written", *out)
		}
		return errors.New("the export broke off before the end of the file")
	}
	bar.finish()
	if tmp != nil {
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), *out); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s (%s)\n", *out, formatBytes(bar.done))
	}
	return nil
}

// tailWriter keeps the last bytes written through it.
type tailWriter struct{ last []byte }

func (t *tailWriter) Write(p []byte) (int, error) {
	t.last = append(t.last, p...)
	if len(t.last) > 64 {
		t.last = t.last[len(t.last)-64:]
	}
	return len(p), nil
}

// countingBody feeds the upload's progress to the bar as the HTTP client
// reads the file.
type countingBody struct {
	r   io.Reader
	bar *progressBar
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.bar.add(int64(n))
	return n, err
}

// progressBar draws an upload's or download's progress on stderr: redrawn
// in place with \r on a terminal, and as a plain line every tenth of the
// way (and at each phase change) when stderr is a file or a pipe, so logs
// stay readable.
type progressBar struct {
	w     io.Writer
	label string
	total int64 // -1 when unknown
	tty   bool

	mu      sync.Mutex
	done    int64
	phase   string
	units   int
	entries int
	checked int
	decile  int
	drawn   time.Time
	ended   bool
	ticker  *time.Ticker
	quit    chan struct{}
	once    sync.Once
}

func newProgressBar(w io.Writer, label string, total int64) *progressBar {
	b := &progressBar{w: w, label: label, total: total, tty: isTerminal(w), decile: -1, quit: make(chan struct{})}
	if b.tty {
		// Redraw on a clock too, so the bar moves while the server
		// commits and no byte goes out.
		b.ticker = time.NewTicker(200 * time.Millisecond)
		go func() {
			for {
				select {
				case <-b.ticker.C:
					b.mu.Lock()
					b.draw(true)
					b.mu.Unlock()
				case <-b.quit:
					return
				}
			}
		}()
	}
	return b
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Write makes the bar an io.Writer that counts what passes through it.
func (b *progressBar) Write(p []byte) (int, error) {
	b.add(int64(len(p)))
	return len(p), nil
}

func (b *progressBar) add(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.draw(false)
}

// server records what the API reported.
func (b *progressBar) server(phase string, units, entries, checked int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	changed := phase != b.phase
	b.phase = phase
	b.units = max(b.units, units)
	b.entries, b.checked = entries, checked
	if changed && !b.tty && !b.ended {
		fmt.Fprintln(b.w, b.line())
		return
	}
	b.draw(false)
}

// draw redraws at most ten times a second on a terminal; elsewhere it
// prints a line whenever another tenth of the total has gone by.
func (b *progressBar) draw(force bool) {
	if b.ended {
		return
	}
	if b.tty {
		if !force && time.Since(b.drawn) < 100*time.Millisecond {
			return
		}
		b.drawn = time.Now()
		fmt.Fprintf(b.w, "\r%s\x1b[K", b.line())
		return
	}
	if b.total <= 0 {
		return
	}
	if d := int(b.done * 10 / b.total); d > b.decile {
		b.decile = d
		fmt.Fprintln(b.w, b.line())
	}
}

func (b *progressBar) line() string {
	var s strings.Builder
	s.WriteString(b.label)
	if b.total > 0 {
		pct := float64(b.done) * 100 / float64(b.total)
		const width = 24
		filled := int(pct / 100 * width)
		if b.tty {
			fmt.Fprintf(&s, " [%s%s]", strings.Repeat("#", filled), strings.Repeat(".", width-filled))
		}
		fmt.Fprintf(&s, " %3.0f%% %s of %s sent", pct, formatBytes(b.done), formatBytes(b.total))
	} else {
		fmt.Fprintf(&s, " %s", formatBytes(b.done))
	}
	if b.units > 0 {
		fmt.Fprintf(&s, ", %d units parsed", b.units)
	}
	switch {
	case b.phase == "committing" && b.checked > 0:
		fmt.Fprintf(&s, ", committing %d of %d entries", b.checked, b.entries)
	case b.phase == "committing":
		fmt.Fprintf(&s, ", committing %d entries", b.entries)
	}
	return s.String()
}

// finish draws the final state and ends the bar's line.
func (b *progressBar) finish() { b.end(true) }

// stop ends the bar without a final state, after an error; it is safe to
// call after finish.
func (b *progressBar) stop() { b.end(false) }

func (b *progressBar) end(final bool) {
	b.once.Do(func() {
		close(b.quit)
		if b.ticker != nil {
			b.ticker.Stop()
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.ended = true
		switch {
		case b.tty && final:
			fmt.Fprintf(b.w, "\r%s\x1b[K\n", b.line())
		case b.tty:
			fmt.Fprintln(b.w) // leave the error on a line of its own
		case final && b.total > 0 && b.decile < 10:
			fmt.Fprintln(b.w, b.line())
		}
	})
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
