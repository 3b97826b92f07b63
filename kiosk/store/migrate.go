package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Migrate applies the migrations in fsys (the .sql files at its top level) in
// name order, each in its own transaction, and records each by name in the
// table schema_migrations, so a file added later applies once wherever it
// sorts. The kiosk and the hub each run their own set through it.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	names, err := migrationNames(ctx, db, fsys)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := applyMigration(ctx, db, fsys, name); err != nil {
			return err
		}
	}
	return nil
}

// Adopt records the migrations in fsys that applied says are already in the
// database, without running them: for a database whose schema another
// bookkeeping built before it came to Migrate.
func Adopt(ctx context.Context, db *sql.DB, fsys fs.FS, applied func(name string) bool) error {
	names, err := migrationNames(ctx, db, fsys)
	if err != nil {
		return err
	}
	for _, name := range names {
		if !applied(name) {
			continue
		}
		if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO schema_migrations(name) VALUES (?)`, name); err != nil {
			return fmt.Errorf("adopt migration %s: %w", name, err)
		}
	}
	return nil
}

// migrationNames makes sure the bookkeeping table exists and lists fsys's
// migrations by name ("0001_core"), in order.
func migrationNames(ctx context.Context, db *sql.DB, fsys fs.FS) ([]string, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
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

func applyMigration(ctx context.Context, db *sql.DB, fsys fs.FS, name string) error {
	body, err := fs.ReadFile(fsys, name+".sql")
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&done); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(name) VALUES (?)`, name); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return tx.Commit()
}
