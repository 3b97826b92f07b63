package hub

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"testing/fstest"

	"tramso/kiosk/pgtest"
	"tramso/kiosk/store"
	"tramso/kiosk/testlog"
)

// A hub database made by a hub that counted its migrations in PRAGMA
// user_version opens cleanly: what it applied is recorded, not run again (its
// CREATE TABLEs would fail), the rest is applied, its data is kept, and the
// pragma is cleared, so the next open finds nothing to do. SQLite only: no
// hub kept its state in PostgreSQL before store.Migrate.
func TestMigrateAdoptsUserVersion(t *testing.T) {
	names, err := fs.Glob(sqliteMigrations, "*.sql")
	if err != nil || len(names) < 4 {
		t.Fatalf("hub migrations %v, %v", names, err)
	}
	for _, applied := range []int{1, 2, 3} { // hubs that counted in user_version had 0001–0003
		t.Run(strconv.Itoa(applied), func(t *testing.T) {
			dir := t.TempDir()
			oldHub(t, filepath.Join(dir, DBFile), names[:applied])
			for range 2 { // the second open must find nothing to do
				h, err := Open(Options{Dir: dir, Log: testlog.Quiet()})
				if err != nil {
					t.Fatal(err)
				}
				var version, fleet int
				var recorded []string
				h.DB.QueryRow(`PRAGMA user_version`).Scan(&version)
				h.DB.QueryRow(`SELECT version FROM fleet_version WHERE id = 1`).Scan(&fleet)
				rows, err := h.DB.Query(`SELECT name FROM schema_migrations ORDER BY name`)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var n string
					rows.Scan(&n)
					recorded = append(recorded, n+".sql")
				}
				rows.Close()
				if _, err := h.DB.Exec(`UPDATE devices SET last_refusal = '' WHERE 0`); err != nil {
					t.Errorf("a later migration was not applied: %v", err)
				}
				var audit []string
				rows, err = h.DB.Query(`SELECT action FROM admin_audit`)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var a string
					rows.Scan(&a)
					audit = append(audit, a)
				}
				rows.Close()
				if wantAudit := applied >= 2; wantAudit != slices.Equal(audit, []string{"enroll_failed"}) {
					t.Errorf("audit log %v: an old wrong-code row must read enroll_failed", audit)
				}
				h.Close()
				if version != 0 || fleet != 41 || !slices.Equal(recorded, names) {
					t.Fatalf("user_version %d, fleet version %d, recorded %v; want 0, 41, %v", version, fleet, recorded, names)
				}
			}
		})
	}
}

// oldHub makes a database as a hub before store.Migrate did: each migration
// run in turn, its number kept in PRAGMA user_version, and some data.
func oldHub(t *testing.T, path string, files []string) {
	t.Helper()
	db, err := store.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for i, f := range files {
		body, err := fs.ReadFile(sqliteMigrations, f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE fleet_version SET version = 41 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if len(files) >= 2 { // the console's audit log exists: a wrong code logged in the old words
		if _, err := db.ExecContext(ctx, `INSERT INTO admin_audit(at, action) VALUES ('2026-12-01T00:00:00Z', 'enrol_failed')`); err != nil {
			t.Fatal(err)
		}
	}
}

// hubBefore makes a hub database on dialect as a hub before migration name
// left it: every migration that sorts before it applied, the rest not.
// Open(opts) brings it up to date. db is closed when the test ends.
func hubBefore(t *testing.T, dialect Dialect, name string) (db *sql.DB, opts Options) {
	t.Helper()
	opts = Options{Dir: t.TempDir(), Log: testlog.Quiet()}
	all, lock := sqliteMigrations, store.MigrateLock(nil)
	var err error
	if dialect == Postgres {
		opts.Database = pgtest.DSN(t)
		all, lock = postgresMigrations, pgMigrateLock
		db, err = sql.Open("pgx", opts.Database) // not openPostgres: it would migrate to the end
	} else {
		db, err = store.OpenDB(filepath.Join(opts.Dir, DBFile))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	names, err := fs.Glob(all, "*.sql")
	if err != nil || !slices.Contains(names, name) {
		t.Fatalf("no migration %s among %v (%v)", name, names, err)
	}
	before := fstest.MapFS{}
	for _, n := range names[:slices.Index(names, name)] {
		body, err := fs.ReadFile(all, n)
		if err != nil {
			t.Fatal(err)
		}
		before[n] = &fstest.MapFile{Data: body}
	}
	if err := store.MigrateLocked(context.Background(), db, before, lock); err != nil {
		t.Fatal(err)
	}
	return db, opts
}
