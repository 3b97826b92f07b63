package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
)

// Migrate applies the migrations in fsys (the .sql files at its top level) in
// name order, each in its own transaction, and records each by name in the
// table schema_migrations, so a file added later applies once wherever it
// sorts. The kiosk and the hub each run their own set through it. Its SQL is
// portable ($N placeholders, no SQLite functions): the hub runs it on
// PostgreSQL too, through MigrateLocked. Migrations recorded as applied that
// fsys lacks (a newer release's) are left alone, and named in one warning on
// slog.Default().
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	return MigrateLocked(ctx, db, fsys, nil)
}

// A MigrateLock is taken first in each of MigrateLocked's transactions and
// held until it ends, so that several processes starting together on one
// database apply each migration once (on PostgreSQL: pg_advisory_xact_lock).
// SQLite needs none: store.OpenDB's transactions are BEGIN IMMEDIATE, one
// writer at a time.
type MigrateLock func(ctx context.Context, tx *sql.Tx) error

// MigrateLocked is Migrate with lock (nil: none).
func MigrateLocked(ctx context.Context, db *sql.DB, fsys fs.FS, lock MigrateLock) error {
	names, err := migrationNames(ctx, db, fsys, lock)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := applyMigration(ctx, db, fsys, name, lock); err != nil {
			return err
		}
	}
	return warnUnknown(ctx, db, names)
}

// warnUnknown logs, once per open, the migrations recorded as applied that
// this program does not have. They are left alone — hubs of the previous
// release keep running on a PostgreSQL database the next one has migrated —
// but a program running on a newer release's database is the first thing to
// know when something then fails (a downgrade after an upgrade).
func warnUnknown(ctx context.Context, db *sql.DB, known []string) error {
	unknown, err := unknownMigrations(ctx, db, known)
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		slog.Default().Warn("this database has migrations this program does not know (" + strings.Join(unknown, ", ") +
			"): a newer Trạm Số used it; it runs on, but if something fails, install that release again or restore the backup taken before the upgrade")
	}
	return nil
}

// unknownMigrations are the migrations recorded as applied in db that are
// not among known (sorted).
func unknownMigrations(ctx context.Context, db *sql.DB, known []string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer rows.Close()
	var unknown []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		if _, ok := slices.BinarySearch(known, name); !ok {
			unknown = append(unknown, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return unknown, nil
}

// Adopt records the migrations in fsys that applied says are already in the
// database, without running them: for a database whose schema another
// bookkeeping built before it came to Migrate.
func Adopt(ctx context.Context, db *sql.DB, fsys fs.FS, applied func(name string) bool) error {
	names, err := migrationNames(ctx, db, fsys, nil)
	if err != nil {
		return err
	}
	for _, name := range names {
		if !applied(name) {
			continue
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES ($1, $2)
			ON CONFLICT (name) DO NOTHING`, name, appliedAt()); err != nil {
			return fmt.Errorf("adopt migration %s: %w", name, err)
		}
	}
	return nil
}

// appliedAt is the time a migration is recorded, written from Go (RFC 3339,
// UTC, like every timestamp in the hub) rather than by an SQL default: the
// databases' functions for it differ. Tables made by an older Migrate keep
// their SQLite default, unused.
func appliedAt() string { return time.Now().UTC().Format(time.RFC3339) }

// migrationNames makes sure the bookkeeping table exists and lists fsys's
// migrations by name ("0001_core"), in order.
func migrationNames(ctx context.Context, db *sql.DB, fsys fs.FS, lock MigrateLock) ([]string, error) {
	// Under the lock too: two PostgreSQL sessions creating the same table at
	// once can both pass IF NOT EXISTS, and one then fails.
	err := inTx(ctx, db, lock, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return fileNames(fsys)
}

// fileNames are the migrations in fsys, by name without ".sql", sorted.
func fileNames(fsys fs.FS) ([]string, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("migrate: no .sql files") // a wrong fs.Sub, not an empty schema
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(f, ".sql")
	}
	sort.Strings(names)
	return names, nil
}

func applyMigration(ctx context.Context, db *sql.DB, fsys fs.FS, name string, lock MigrateLock) error {
	body, err := fs.ReadFile(fsys, name+".sql")
	if err != nil {
		return err
	}
	err = inTx(ctx, db, lock, func(tx *sql.Tx) error {
		var done int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&done); err != nil {
			return err
		}
		if done > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES ($1, $2)`, name, appliedAt())
		return err
	})
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return nil
}

// inTx runs fn in a transaction that holds lock (when there is one).
func inTx(ctx context.Context, db *sql.DB, lock MigrateLock, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if lock != nil {
		if err := lock(ctx, tx); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
