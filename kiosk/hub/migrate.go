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

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the hub's schema; it never shares a database with a kiosk.
var migrations, _ = fs.Sub(migrationFiles, "migrations")

// migrate brings the hub's database up to date with the kiosk's runner
// (store.Migrate), after carrying over what an older hub recorded its own way.
func migrate(ctx context.Context, db *sql.DB) error {
	if err := adoptUserVersion(ctx, db); err != nil {
		return fmt.Errorf("hub migrate: %w", err)
	}
	if err := store.Migrate(ctx, db, migrations); err != nil {
		return fmt.Errorf("hub %w", err)
	}
	return nil
}

// adoptUserVersion carries a database made by a hub before this one over to
// store.Migrate's bookkeeping. Such a hub kept the number of its last applied
// migration (the NNNN_ of its name) in PRAGMA user_version; those migrations
// are recorded as applied and the pragma is cleared, so this happens once.
func adoptUserVersion(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil || version == 0 {
		return err
	}
	err := store.Adopt(ctx, db, migrations, func(name string) bool {
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
