package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// Two tests' databases are separate: what one writes the other cannot see.
func TestDatabasesAreSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := DSN(t), DSN(t)
	if a == b {
		t.Fatalf("same database twice: %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, `CREATE TABLE x (v text); INSERT INTO x VALUES ('ê đê')`); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := ca.QueryRow(ctx, `SELECT v FROM x`).Scan(&v); err != nil || v != "ê đê" {
		t.Fatalf("read back %q, %v", v, err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	if _, err := cb.Exec(ctx, `SELECT v FROM x`); err == nil {
		t.Fatal("table of one database visible in another")
	}
}
