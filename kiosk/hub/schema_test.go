package hub

import (
	"cmp"
	"database/sql"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"tramso/kiosk/pgtest"
	"tramso/kiosk/testlog"
)

// postgresOnlyTables are the tables only a PostgreSQL hub has: SQLite hubs
// keep blobs as files (DirBlobs).
var postgresOnlyTables = []string{"blobs", "blob_chunks"}

// TestSchemasMatch: a hub on SQLite and a hub on PostgreSQL have the same
// tables with the same columns (name, kind, NOT NULL), so a migration added to one directory only
// (migrations/sqlite, migrations/postgres) fails here. Always on both
// databases, whatever TRAMSO_HUB_TEST_DB says.
func TestSchemasMatch(t *testing.T) {
	lite, err := Open(Options{Dir: t.TempDir(), Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := Open(Options{Dir: t.TempDir(), Database: pgtest.DSN(t), Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if lite.Dialect() != SQLite || pg.Dialect() != Postgres {
		t.Fatalf("dialects %v and %v", lite.Dialect(), pg.Dialect())
	}
	want, got := sqliteColumns(t, lite.DB), postgresColumns(t, pg.DB)
	for _, name := range postgresOnlyTables {
		delete(got, name)
	}
	if len(want) < 10 {
		t.Fatalf("SQLite hub has only tables %v", slices.Sorted(maps.Keys(want)))
	}
	for _, table := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(want[table], got[table]) {
			t.Errorf("table %s: SQLite columns %v, PostgreSQL %v", table, want[table], got[table])
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("table %s is only on PostgreSQL (columns %v): add it to migrations/sqlite, or to postgresOnlyTables", table, got[table])
		}
	}
}

// sqliteColumns lists each table's columns as "name type[ not null]",
// sorted. A primary key counts as not null (PostgreSQL's always are).
func sqliteColumns(t *testing.T, db *sql.DB) map[string][]string {
	out := map[string][]string{}
	for _, table := range queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		cols := queryStrings(t, db, `SELECT name || ' ' || lower(type) ||
			CASE WHEN "notnull" OR pk > 0 THEN ' not null' ELSE '' END FROM pragma_table_info($1)`, table)
		slices.Sort(cols)
		out[table] = cols
	}
	return out
}

// pgTypes maps PostgreSQL's column types to the SQLite ones they stand for.
var pgTypes = map[string]string{"bigint": "integer", "integer": "integer", "text": "text", "bytea": "blob"}

// postgresColumns lists each table's columns in the public schema like
// sqliteColumns, and checks that every TEXT column compares bytes
// (COLLATE "C") as SQLite does; schema_migrations is store.Migrate's.
func postgresColumns(t *testing.T, db *sql.DB) map[string][]string {
	out := map[string][]string{}
	rows, err := db.Query(`SELECT table_name, column_name, data_type, is_nullable, coalesce(collation_name, '')
		FROM information_schema.columns WHERE table_schema = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col, typ, nullable, collation string
		if err := rows.Scan(&table, &col, &typ, &nullable, &collation); err != nil {
			t.Fatal(err)
		}
		if typ == "text" && collation != "C" && table != "schema_migrations" {
			t.Errorf("column %s.%s: TEXT without COLLATE \"C\" sorts by the server's locale, not as SQLite does", table, col)
		}
		desc := col + " " + cmp.Or(pgTypes[typ], typ)
		if nullable == "NO" {
			desc += " not null"
		}
		out[table] = append(out[table], desc)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, cols := range out {
		slices.Sort(cols)
	}
	return out
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHubsMigrateTogether: hubs starting at once on one new PostgreSQL
// database all open it (the advisory lock lets one migrate while the others
// wait, then find nothing to do), and each migration is recorded once.
func TestHubsMigrateTogether(t *testing.T) {
	dsn := pgtest.DSN(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			h, err := Open(Options{Dir: t.TempDir(), Database: dsn, Log: testlog.Quiet()})
			if err == nil {
				h.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("a hub starting with the others: %v", err)
		}
	}
	h, err := Open(Options{Dir: t.TempDir(), Database: dsn, Log: testlog.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	recorded := queryStrings(t, h.DB, `SELECT name FROM schema_migrations ORDER BY name`)
	files, err := fs.Glob(postgresMigrations, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("postgres migrations %v, %v", files, err)
	}
	for i, f := range files {
		files[i] = strings.TrimSuffix(f, ".sql")
	}
	var fleetRows int
	if err := h.DB.QueryRow(`SELECT count(*) FROM fleet_version`).Scan(&fleetRows); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recorded, files) || fleetRows != 1 {
		t.Fatalf("recorded %v, fleet_version rows %d; want each of %v once, one row", recorded, fleetRows, files)
	}
}

// TestDatabaseErrorsHidePassword: a hub that cannot reach its PostgreSQL
// says where it tried, never with the URL's password.
func TestDatabaseErrorsHidePassword(t *testing.T) {
	dsn := pgtest.DSN(t)
	bad := strings.Replace(dsn, "tramso@", "tramso:s3cret-pw@", 1)
	bad = strings.Replace(bad, "/t", "/nosuchdb_t", 1)
	_, err := Open(Options{Database: bad, Log: testlog.Quiet()})
	if err == nil {
		t.Fatal("a database that does not exist opened")
	}
	if strings.Contains(err.Error(), "s3cret-pw") || !strings.Contains(err.Error(), "127.0.0.1") ||
		!strings.Contains(err.Error(), "nosuchdb_t") {
		t.Fatalf("error %q: want host and database, no password", err)
	}
	if _, err := Open(Options{Database: "mysql://x", Log: testlog.Quiet()}); err == nil {
		t.Fatal("an unknown database kind was accepted")
	}
}
