package hub

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"tramso/kiosk/store"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// The hub's schema, once per dialect; it never shares a database with a
// kiosk. A migration both need has the same name in both directories
// (schema_test.go checks that they build the same tables).
var (
	sqliteMigrations, _   = fs.Sub(migrationFiles, "migrations/sqlite")
	postgresMigrations, _ = fs.Sub(migrationFiles, "migrations/postgres")
)

// migrate brings the hub's database up to date with the kiosk's runner
// (store.Migrate). On SQLite it first carries over what an older hub
// recorded its own way; on PostgreSQL it holds an advisory lock, so hubs
// starting together apply each migration once.
func migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	if d == Postgres {
		if err := store.MigrateLocked(ctx, db, postgresMigrations, pgMigrateLock); err != nil {
			return fmt.Errorf("hub %w", err)
		}
		return nil
	}
	if err := adoptUserVersion(ctx, db); err != nil {
		return fmt.Errorf("hub migrate: %w", err)
	}
	if err := store.Migrate(ctx, db, sqliteMigrations); err != nil {
		return fmt.Errorf("hub %w", err)
	}
	return nil
}

// adoptUserVersion carries a database made by a hub before this one over to
// store.Migrate's bookkeeping. Such a hub kept the number of its last applied
// migration (the NNNN_ of its name) in PRAGMA user_version (SQLite only: no
// hub ran on PostgreSQL before store.Migrate); those migrations
// are recorded as applied and the pragma is cleared, so this happens once.
func adoptUserVersion(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil || version == 0 {
		return err
	}
	err := store.Adopt(ctx, db, sqliteMigrations, func(name string) bool {
		prefix, _, _ := strings.Cut(name, "_")
		n, err := strconv.Atoi(prefix)
		return err == nil && n <= version
	})
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `PRAGMA user_version = 0`)
	return err
}
