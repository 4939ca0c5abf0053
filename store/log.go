package store

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// gormLogger sends gorm's failed statements to slog and stays quiet
// otherwise. Statements are logged with placeholders, never with their
// arguments: those are unpublished court text and token hashes.
type gormLogger struct {
	log *slog.Logger
}

func newGormLogger(log *slog.Logger) logger.Interface {
	return gormLogger{log: log}
}

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l gormLogger) Info(context.Context, string, ...any) {}

func (l gormLogger) Warn(context.Context, string, ...any) {}

func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, "gorm: "+msg, "args", args)
}

func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err == nil || expected(err) {
		return
	}
	sql, _ := fc()
	const maxSQL = 500
	if len(sql) > maxSQL {
		sql = sql[:maxSQL] + "…"
	}
	l.log.ErrorContext(ctx, "sql failed", "err", err, "sql", sql, "elapsed", time.Since(begin))
}

// ParamsFilter makes gorm render statements without their arguments.
func (l gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// expected reports errors the store turns into answers: a missing row is
// ENOTFOUND, a duplicate key is ECONFLICT or an idempotent retry, a
// deadlock is retried, and a cancelled context is the caller's decision.
func expected(err error) bool {
	return errors.Is(err, gorm.ErrRecordNotFound) ||
		isUniqueViolation(err) ||
		isDeadlock(err) ||
		errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded)
}
