package store

import (
	"context"
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
