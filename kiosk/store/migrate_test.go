package store

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// Migrate runs a set's files once each, in name order, whatever order they
// arrive in; a file added later applies on the next run; Adopt records
// without running.
func TestMigrateRunsEachFileOnce(t *testing.T) {
	db, err := OpenDB(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	set := fstest.MapFS{
		"0002_b.sql": {Data: []byte(`INSERT INTO log VALUES ('b');`)},
		"0001_a.sql": {Data: []byte(`CREATE TABLE log (step TEXT); INSERT INTO log VALUES ('a');`)},
	}
	for range 2 {
		if err := Migrate(ctx, db, set); err != nil {
			t.Fatal(err)
		}
	}
	set["0003_c.sql"] = &fstest.MapFile{Data: []byte(`INSERT INTO log VALUES ('c');`)}
	set["0004_d.sql"] = &fstest.MapFile{Data: []byte(`INSERT INTO log VALUES ('d');`)}
	if err := Adopt(ctx, db, set, func(name string) bool { return name == "0004_d" }); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, set); err != nil {
		t.Fatal(err)
	}
	var steps string
	db.QueryRow(`SELECT group_concat(step, '') FROM log`).Scan(&steps)
	if steps != "abc" {
		t.Errorf("ran %q, want abc: each file once, in order, the adopted one never", steps)
	}
	if err := Migrate(ctx, db, fstest.MapFS{"migrations/0001_a.sql": {}}); err == nil || !strings.Contains(err.Error(), "no .sql files") {
		t.Errorf("a set with its files one folder down: %v", err)
	}
}

// TestMigrateWarnsOfNewerMigrations is the upgrade tester's finding 5: a
// database a newer release migrated opens (its migrations are left alone),
// with one warning that names them and says what to do if something fails;
// a database with nothing unknown opens without a word.
func TestMigrateWarnsOfNewerMigrations(t *testing.T) {
	var logged bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	path := filepath.Join(t.TempDir(), "m.db")
	db, err := OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	set := fstest.MapFS{"0001_a.sql": {Data: []byte(`CREATE TABLE log (step TEXT);`)}}
	if err := Migrate(ctx, db, set); err != nil {
		t.Fatal(err)
	}
	if logged.Len() != 0 {
		t.Fatalf("logged with no unknown migration: %s", logged.String())
	}
	// What a newer release leaves behind: its migrations, recorded.
	for _, name := range []string{"0017_x", "0018_y"} {
		if _, err := db.Exec(`INSERT INTO schema_migrations(name, applied_at) VALUES ($1, '2027-01-01T00:00:00Z')`, name); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if db, err = OpenDB(path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(ctx, db, set); err != nil {
		t.Fatalf("a newer release's database: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") ||
		!strings.Contains(lines[0], "this database has migrations this program does not know (0017_x, 0018_y): a newer Trạm Số used it") ||
		!strings.Contains(lines[0], "restore the backup taken before the upgrade") {
		t.Fatalf("the warning: %q", logged.String())
	}
}
