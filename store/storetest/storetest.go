// Package storetest opens real, migrated, throw-away databases for tests of
// any package that uses the store, so every test can run on both SQLite and
// MySQL/MariaDB.
//
// MySQL comes from YIZHI_TEST_MYSQL, a go-sql-driver DSN without a database
// name (default "root:@tcp(127.0.0.1:3306)/"). When it cannot be reached the
// MySQL tests are skipped with a message starting "mysql unavailable",
// except under CI=true, where they fail.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"yizhi/store"
)

// Dialects are the databases every store test runs on.
var Dialects = []string{"sqlite", "mysql"}

// DefaultMySQL is the server used when YIZHI_TEST_MYSQL is unset.
const DefaultMySQL = "root:@tcp(127.0.0.1:3306)/"

// Open returns a migrated store on a fresh database of the given dialect
// ("sqlite" or "mysql"), closed and dropped when the test ends.
func Open(t testing.TB, dialect string) *store.Store {
	t.Helper()
	s, _ := OpenURL(t, dialect)
	return s
}

// OpenURL is Open that also returns the database's URL, for a test that
// starts another process (a worker, the CLI) on the same database.
func OpenURL(t testing.TB, dialect string) (*store.Store, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var url string
	switch dialect {
	case "sqlite":
		url = "sqlite:" + filepath.Join(t.TempDir(), "yizhi.db")
	case "mysql":
		url = "mysql://" + createMySQLDatabase(ctx, t)
	default:
		t.Fatalf("storetest: unknown dialect %q, want one of %v", dialect, Dialects)
	}

	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := store.Open(ctx, url, log)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", dialect, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("storetest: close %s: %v", dialect, err)
		}
	})
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate %s: %v", dialect, err)
	}
	return s, url
}

// Each runs test once per dialect, as subtests named after the dialect, each
// on its own fresh store.
func Each(t *testing.T, test func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, dialect := range Dialects {
		t.Run(dialect, func(t *testing.T) {
			test(t, Open(t, dialect))
		})
	}
}

// createMySQLDatabase creates a uniquely named database, registers its
// removal, and returns a DSN for it.
func createMySQLDatabase(ctx context.Context, t testing.TB) string {
	t.Helper()
	server := os.Getenv("YIZHI_TEST_MYSQL")
	if server == "" {
		server = DefaultMySQL
	}
	cfg, err := mysql.ParseDSN(server)
	if err != nil {
		t.Fatalf("storetest: YIZHI_TEST_MYSQL: %v", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := admin.PingContext(ctx); err != nil {
		unavailable(t, fmt.Sprintf("mysql unavailable at %s (set YIZHI_TEST_MYSQL): %v", cfg.Addr, err))
	}

	name := "yizhi_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("storetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Cleanups run last-registered first: the store, opened after
		// this was registered, is closed before its database is dropped.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	// The URL may be handed to a yizhi process, whose configuration
	// insists on what store.Open would otherwise add.
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	return cfg.FormatDSN()
}

// unavailable skips a test that needs a database this machine lacks, or
// fails it on CI, where every dialect must run.
func unavailable(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
