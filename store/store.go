// Package store keeps Yizhi's record and read model in a SQL database through
// gorm. The same code and migrations serve MySQL/MariaDB in production and an
// embedded pure-Go SQLite for dev. Their differences (connection settings,
// time precision, collation, error codes) are settled in this file, so the
// rest of the package reads the same for both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"yizhi/models"
)

const (
	dialectSQLite = "sqlite"
	dialectMySQL  = "mysql"
)

// mysqlTableOptions makes string comparisons byte-exact: a general_ci
// collation would treat distinct Mongolian or Uyghur spellings (and
// differently normalized text) as equal, and three-byte utf8 would refuse
// CJK Extension B characters such as 𠀀.
const mysqlTableOptions = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

// timePrecision is the precision every stored time is truncated to. MySQL's
// datetime holds at most microseconds; truncating before writing makes a
// value read back equal to the value written on both databases, which the
// audit hash chain depends on.
const timePrecision = time.Microsecond

// Store is the database behind Yizhi.
type Store struct {
	db      *gorm.DB
	dialect string
}

// Open connects to the database named by url, which is either
// "sqlite:PATH" or "mysql://DSN" (a go-sql-driver DSN).
func Open(ctx context.Context, url string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var (
		dialector gorm.Dialector
		dialect   string
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		dsn, err := sqliteDSN(strings.TrimPrefix(url, "sqlite:"))
		if err != nil {
			return nil, err
		}
		dialector, dialect = sqlite.Open(dsn), dialectSQLite
	case strings.HasPrefix(url, "mysql://"):
		dsn, err := mysqlDSN(strings.TrimPrefix(url, "mysql://"))
		if err != nil {
			return nil, err
		}
		// gorm's default of datetime(3) would drop the microseconds we
		// keep; datetime(6) holds them.
		precision := 6
		dialector = mysql.New(mysql.Config{DSN: dsn, DefaultDatetimePrecision: &precision})
		dialect = dialectMySQL
	default:
		return nil, fmt.Errorf("store: unsupported database url %q: want sqlite:PATH or mysql://USER:PASS@tcp(HOST:PORT)/DB", redactURL(url))
	}

	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:  newGormLogger(log),
		NowFunc: now,
		// Every multi-statement write opens its own transaction; wrapping
		// each single insert in one more only costs round trips.
		SkipDefaultTransaction: true,
	})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	s := &Store{db: db, dialect: dialect}

	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if dialect == dialectSQLite {
		// SQLite allows one writer at a time. With one connection, writers
		// queue inside database/sql instead of waiting out busy_timeout
		// and failing with SQLITE_BUSY under load.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(8)
		sqlDB.SetConnMaxLifetime(5 * time.Minute)
	}
	if err := db.Callback().Create().Before("gorm:create").Register("yizhi:utc_times", normalizeTimes); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := s.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN turns a path into a glebarez/go-sqlite DSN with the pragmas we
// rely on. The pragmas are part of the DSN so that they hold on every
// connection the pool opens, not only the first.
func sqliteDSN(path string) (string, error) {
	path = strings.TrimPrefix(path, "//") // tolerate sqlite://PATH
	if path == "" {
		return "", errors.New("store: sqlite url needs a path, e.g. sqlite:data/yizhi.db")
	}
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", fmt.Errorf("store: create database directory: %w", err)
		}
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	// _txlock=immediate takes the write lock at BEGIN: a deferred
	// transaction that reads and then writes can fail with SQLITE_BUSY
	// without waiting when another process holds the lock.
	return path + sep + "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate", nil
}

// mysqlDSN forces the connection settings the store depends on: utf8mb4 so
// four-byte characters survive, parseTime and UTC so times come back as the
// UTC instants that were written.
func mysqlDSN(dsn string) (string, error) {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("store: mysql dsn: %w", err)
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	if err := cfg.Apply(mysqldriver.Charset("utf8mb4", "utf8mb4_bin")); err != nil {
		return "", fmt.Errorf("store: mysql dsn: %w", err)
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	// Times are sent and read as UTC already; the session zone makes
	// anything the server computes itself agree with them.
	cfg.Params["time_zone"] = "'+00:00'"
	// The driver otherwise prepares, executes and closes a statement for
	// every query with arguments: three round trips where one will do.
	// Interpolating is safe with utf8mb4, the only charset used here.
	cfg.InterpolateParams = true
	return cfg.FormatDSN(), nil
}

// redactURL drops a password from url so it can go into an error message.
func redactURL(url string) string {
	if at := strings.LastIndex(url, "@"); at >= 0 {
		if colon := strings.Index(url, ":"); colon >= 0 && colon < at {
			return url[:colon+1] + "***" + url[at:]
		}
	}
	return url
}

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return &models.Error{Code: models.EUNAVAILABLE, Message: "database unavailable", Err: err}
	}
	return nil
}

// Dialect returns "sqlite" or "mysql".
func (s *Store) Dialect() string { return s.dialect }

// Migrate creates the tables of models.AllModels, and the audit chain head,
// or brings them up to date. A database without routing rules gets
// models.DefaultRoutes.
func (s *Store) Migrate(ctx context.Context) error {
	tables := append(models.AllModels(), &auditHead{}, &feedHead{})
	if s.dialect == dialectSQLite {
		if err := s.db.WithContext(ctx).AutoMigrate(tables...); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if err := initAuditHead(s.db.WithContext(ctx)); err != nil {
			return err
		}
		if err := initFeedHead(s.db.WithContext(ctx)); err != nil {
			return err
		}
		_, err := seedRoutingRules(s.db.WithContext(ctx), models.DefaultRoutes)
		return err
	}

	// api and worker both migrate at startup. A named lock keeps two
	// processes from racing to create the same table; it is held by the
	// connection, so everything runs on one.
	return s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		conn = conn.Session(&gorm.Session{}) // a fresh statement per call, on the same connection
		var got sql.NullInt64
		if err := conn.Raw("SELECT GET_LOCK(LEFT(CONCAT('yizhi_migrate:', DATABASE()), 64), 120)").Row().Scan(&got); err != nil {
			return fmt.Errorf("store: migrate lock: %w", err)
		}
		if got.Int64 != 1 {
			return errors.New("store: migrate: timed out waiting for another migration")
		}
		defer conn.Exec("SELECT RELEASE_LOCK(LEFT(CONCAT('yizhi_migrate:', DATABASE()), 64))")

		if err := conn.Set("gorm:table_options", mysqlTableOptions).AutoMigrate(tables...); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if err := convertMySQLTables(conn); err != nil {
			return err
		}
		if err := initAuditHead(conn); err != nil {
			return err
		}
		if err := initFeedHead(conn); err != nil {
			return err
		}
		_, err := seedRoutingRules(conn, models.DefaultRoutes)
		return err
	})
}

// convertMySQLTables fixes tables created before the store set its table
// options, or by hand: AutoMigrate only applies options to new tables.
func convertMySQLTables(db *gorm.DB) error {
	var tables []struct {
		Name      string `gorm:"column:TABLE_NAME"`
		Engine    string `gorm:"column:ENGINE"`
		Collation string `gorm:"column:TABLE_COLLATION"`
	}
	err := db.Raw("SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'").Scan(&tables).Error
	if err != nil {
		return fmt.Errorf("store: migrate: list tables: %w", err)
	}
	ours := map[string]bool{}
	for _, m := range append(models.AllModels(), &auditHead{}) {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(m); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		ours[stmt.Schema.Table] = true
	}
	for _, t := range tables {
		if !ours[t.Name] || (strings.EqualFold(t.Engine, "InnoDB") && t.Collation == "utf8mb4_bin") {
			continue
		}
		q := fmt.Sprintf("ALTER TABLE `%s` ENGINE=InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", t.Name)
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("store: migrate: convert %s to utf8mb4_bin: %w", t.Name, err)
		}
	}
	return nil
}

// transaction runs fn in a transaction and retries it when MySQL picked it
// as a deadlock victim; InnoDB has already rolled it back, so running it
// again from the start is safe.
func (s *Store) transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	const attempts = 5
	var err error
	for i := range attempts {
		err = s.db.WithContext(ctx).Transaction(fn)
		if err == nil || !isDeadlock(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(i+1) * 5 * time.Millisecond)
	}
	return err
}

// now is the store's clock, truncated so that a time written is the time
// read back.
func now() time.Time { return dbTime(time.Now()) }

// dbTime returns t as stored: UTC, at the precision both databases hold.
// SQLite compares times as text, so every stored time must also use the
// same zone for ranges and ordering to work.
func dbTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(timePrecision)
}

// nullTime maps the zero time to NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return dbTime(t)
}

// nullID maps the zero id to NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	timePtrType = reflect.TypeFor[*time.Time]()
)

// normalizeTimes rewrites the times of every row being inserted to dbTime,
// in the caller's structs too, so a struct passed to a Create method
// compares equal to the row read back later.
func normalizeTimes(db *gorm.DB) {
	if db.Error != nil || db.Statement.Schema == nil {
		return
	}
	var fields []*schema.Field
	for _, f := range db.Statement.Schema.Fields {
		if f.FieldType == timeType || f.FieldType == timePtrType {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return
	}
	ctx := db.Statement.Context
	fix := func(row reflect.Value) {
		row = reflect.Indirect(row)
		if !row.IsValid() || !row.CanAddr() {
			return
		}
		for _, f := range fields {
			v, zero := f.ValueOf(ctx, row)
			if zero {
				continue
			}
			switch t := v.(type) {
			case time.Time:
				_ = f.Set(ctx, row, dbTime(t))
			case *time.Time:
				if t != nil {
					*t = dbTime(*t)
				}
			}
		}
	}
	rv := db.Statement.ReflectValue
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range rv.Len() {
			fix(rv.Index(i))
		}
	case reflect.Struct:
		fix(rv)
	}
}

// notFound turns gorm's missing-row error into ENOTFOUND.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Errorf(models.ENOTFOUND, format, args...)
	}
	return err
}

// isUniqueViolation reports whether err is a duplicate key, as MySQL (1062)
// or SQLite (UNIQUE constraint failed) say it.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	var my *mysqldriver.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1062
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isDeadlock reports whether MySQL rolled the transaction back to break a
// deadlock (1213).
func isDeadlock(err error) bool {
	var my *mysqldriver.MySQLError
	return errors.As(err, &my) && my.Number == 1213
}

// clampLimit applies a list's default and maximum page size.
func clampLimit(limit, def, max int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, max)
}
