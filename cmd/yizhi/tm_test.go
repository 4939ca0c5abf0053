package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/api"
	"yizhi/assist"
	"yizhi/lang"
	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// tmServer runs the real API on a fresh SQLite store and returns its URL,
// an admin token and the store.
func tmServer(t *testing.T) (string, string, *store.Store) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	srv := httptest.NewServer(api.New(api.Options{Store: st, Log: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	token, err := api.NewToken()
	require.NoError(t, err)
	_, err = st.EnsureAdmin(t.Context(), "admin", api.HashToken(token))
	require.NoError(t, err)
	return srv.URL, token, st
}

func writeTMX(t *testing.T, units int, corrupt func(lines []string)) string {
	t.Helper()
	lines := []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<tmx version="1.4">`,
		`<header creationtool="test" o-tmf="test" adminlang="en" datatype="plaintext" segtype="sentence" srclang="zh-CN"/>`, `<body>`}
	for i := range units {
		lines = append(lines, fmt.Sprintf(`<tu><tuv xml:lang="zh-CN"><seg>（2024）新01民初%d号 本院认为</seg></tuv><tuv xml:lang="ug-CN"><seg>(2024) شىنجاڭ 01 ھەق دەسلەپكى %d-نومۇر، سوت قارىشىچە</seg></tuv></tu>`, i, i))
	}
	lines = append(lines, `</body>`, `</tmx>`, ``)
	if corrupt != nil {
		corrupt(lines)
	}
	path := filepath.Join(t.TempDir(), "xinjiang.tmx")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))
	return path
}

func tmCount(t *testing.T, st *store.Store) int {
	n := 0
	require.NoError(t, st.ExportTM(t.Context(), "", "", func(models.TMEntry) error { n++; return nil }))
	return n
}

func TestTMImportCommand(t *testing.T) {
	url, token, st := tmServer(t)
	file := writeTMX(t, 2500, nil)
	cfg := Config{PublicURL: url, BootstrapAdminToken: token}
	log := slog.New(slog.DiscardHandler)

	var stdout, stderr bytes.Buffer
	require.NoError(t, runTM(t.Context(), cfg, log, []string{"import", file}, &stdout, &stderr))
	require.Equal(t, fmt.Sprintf("imported 2500 entries from %s: 2500 units, 0 duplicate entries skipped\n", file), stdout.String())
	require.Equal(t, 2500, tmCount(t, st))

	// stderr is not a terminal here: plain lines, no \r.
	progress := stderr.String()
	require.NotContains(t, progress, "\r")
	require.Contains(t, progress, "tm import xinjiang.tmx")
	require.Contains(t, progress, " 100% ")
	require.Contains(t, progress, "units parsed")
	require.Contains(t, progress, "committing 2500 entries")
	require.Regexp(t, `(?m)^tm import xinjiang\.tmx +\d+% [\d.]+ KiB of [\d.]+ KiB sent`, progress)

	// Flags after the file; the token from --token, not the environment.
	stdout.Reset()
	stderr.Reset()
	require.NoError(t, runTM(t.Context(), Config{}, log, []string{"import", file, "--url", url, "--token", token}, &stdout, &stderr))
	require.Contains(t, stdout.String(), "imported 0 entries")
	require.Contains(t, stdout.String(), "2500 duplicate entries skipped")
	require.Equal(t, 2500, tmCount(t, st))
}

func TestTMImportCommandRefusesABadFile(t *testing.T) {
	url, token, st := tmServer(t)
	cfg := Config{PublicURL: url, BootstrapAdminToken: token}
	log := slog.New(slog.DiscardHandler)

	// Broken after the first progress lines: the error comes in the stream.
	late := writeTMX(t, 3000, func(lines []string) { lines[2504] = strings.Replace(lines[2504], "</seg>", "", 1) })
	var stdout, stderr bytes.Buffer
	err := runTM(t.Context(), cfg, log, []string{"import", late}, &stdout, &stderr)
	require.ErrorContains(t, err, "nothing was imported")
	require.ErrorContains(t, err, "line 2505")
	require.Empty(t, stdout.String())

	// Broken at once: the error is the HTTP answer.
	early := writeTMX(t, 10, func(lines []string) { lines[6] = strings.Replace(lines[6], `ug-CN`, `tlh`, 1) })
	err = runTM(t.Context(), cfg, log, []string{"import", early}, &stdout, &stderr)
	require.ErrorContains(t, err, "400 Bad Request")
	require.ErrorContains(t, err, `line 7: language "tlh" is not supported`)
	require.Zero(t, tmCount(t, st))

	err = runTM(t.Context(), Config{PublicURL: url}, log, []string{"import", early}, &stdout, &stderr)
	require.ErrorContains(t, err, "no token")
	err = runTM(t.Context(), cfg, log, []string{"import", early, "--token", "yz_wrong"}, &stdout, &stderr)
	require.ErrorContains(t, err, "401")
	err = runTM(t.Context(), cfg, log, []string{"import", filepath.Join(t.TempDir(), "missing.tmx")}, &stdout, &stderr)
	require.ErrorIs(t, err, os.ErrNotExist)

	stderr.Reset()
	require.ErrorIs(t, runTM(t.Context(), cfg, log, []string{"import"}, &stdout, &stderr), errTMUsage)
	require.Contains(t, stderr.String(), "yizhi tm import FILE")
	require.ErrorIs(t, runTM(t.Context(), cfg, log, []string{"import", "a.tmx", "b.tmx"}, &stdout, &stderr), errTMUsage)
	require.ErrorIs(t, runTM(t.Context(), cfg, log, []string{"import", "a.tmx", "--bogus"}, &stdout, &stderr), errTMUsage)
	require.ErrorIs(t, runTM(t.Context(), cfg, log, []string{"frobnicate"}, &stdout, &stderr), errTMUsage)
	require.ErrorIs(t, runTM(t.Context(), cfg, log, nil, &stdout, &stderr), errTMUsage)
}

func TestTMExportCommand(t *testing.T) {
	url, token, _ := tmServer(t)
	cfg := Config{PublicURL: url, BootstrapAdminToken: token}
	log := slog.New(slog.DiscardHandler)
	var stdout, stderr bytes.Buffer
	require.NoError(t, runTM(t.Context(), cfg, log, []string{"import", writeTMX(t, 1200, nil)}, &stdout, &stderr))

	out := filepath.Join(t.TempDir(), "ug.tmx")
	stderr.Reset()
	require.NoError(t, runTM(t.Context(), cfg, log, []string{"export", "--lang", "ug", "--out", out}, &stdout, &stderr))
	require.Contains(t, stderr.String(), "wrote "+out)
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	n := 0
	require.NoError(t, assist.ReadTMX(f, lang.NewRegistry().Canonicalize, func(u assist.TMXUnit) error {
		require.Len(t, u.Entries(), 1)
		require.Equal(t, "ug", u.Entries()[0].TargetLang)
		n++
		return nil
	}))
	require.Equal(t, 1200, n)
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left behind")

	// To stdout.
	stdout.Reset()
	require.NoError(t, runTM(t.Context(), cfg, log, []string{"export", "--lang", "bo"}, &stdout, &stderr))
	require.Contains(t, stdout.String(), "<tmx version=\"1.4\">")
	require.NotContains(t, stdout.String(), "<tu")

	err = runTM(t.Context(), cfg, log, []string{"export", "--lang", "xx-Fake", "--out", out}, &stdout, &stderr)
	require.ErrorContains(t, err, "xx-Fake")
	require.ErrorIs(t, runTM(t.Context(), cfg, log, []string{"export", "extra"}, &stdout, &stderr), errTMUsage)
}

func TestProgressBarOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	b := &progressBar{w: &buf, label: "tm import court.tmx", total: 4 << 20, tty: true, decile: -1, quit: make(chan struct{})}
	b.add(1 << 20)
	b.server("parsing", 3000, 0, 0)
	time.Sleep(120 * time.Millisecond) // redraws are throttled to ten a second
	b.add(1 << 20)
	b.server("committing", 6000, 6000, 0)
	b.finish()
	out := buf.String()
	require.True(t, strings.HasPrefix(out, "\rtm import court.tmx [######..................]  25% 1.0 MiB of 4.0 MiB sent\x1b[K"), "%q", out)
	require.True(t, strings.HasSuffix(out, "\rtm import court.tmx [############............]  50% 2.0 MiB of 4.0 MiB sent, 6000 units parsed, committing 6000 entries\x1b[K\n"), "%q", out)
	b.stop() // after finish: nothing more
	require.Equal(t, out, buf.String())
}
