package hub

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"tramso/kiosk/store"
)

// Dialect is the kind of database a hub keeps its state in. The hub's SQL is
// written once for both; the few places that must differ (migrations, locks,
// blob storage, JSON access) ask Hub.Dialect. What one text for both takes
// (the suite runs on both: TRAMSO_HUB_TEST_DB=postgres):
//   - placeholders $1, $2… (SQLite binds them by number), never ?;
//   - ON CONFLICT (columns) DO …, with the conflict target PostgreSQL needs;
//     no INSERT OR …, IFNULL, datetime(), group_concat, PRAGMA;
//   - a name for every derived table (FROM (SELECT …) AS x);
//   - Go values of the column's kind: PostgreSQL converts no int to text, so
//     format numbers in Go for text (noteStatuses) and cast numbers in a
//     VALUES list (statusValues), which PostgreSQL otherwise types text;
//     booleans are compared to booleans, and a comparison selected scans
//     into a Go bool;
//   - text a client sent unchecked through storable: PostgreSQL's TEXT takes
//     no NUL byte and nothing that is not UTF-8;
//   - rows written in a fixed order (writeLive), since on PostgreSQL several
//     hubs write at once and opposite orders deadlock.
//
// Timestamps are TEXT (RFC 3339, UTC) in both, and PostgreSQL's TEXT columns
// are COLLATE "C", so comparisons and ORDER BY agree byte for byte.
type Dialect int

const (
	SQLite   Dialect = iota // one file, hub.db in Options.Dir: one hub
	Postgres                // a PostgreSQL database: any number of hubs
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Dialect says which database the hub runs on.
func (h *Hub) Dialect() Dialect { return h.dialect }

// IsPostgresURL says whether Options.Database names a PostgreSQL database.
func IsPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// PostgreSQL connection pool: enough for the hub's writers, live-state
// flushes and admin pages at once, few enough that 2–3 hubs stay well under
// the server's default max_connections (100).
const (
	pgMaxOpen     = 16
	pgMaxIdle     = 4
	pgMaxIdleTime = 5 * time.Minute
	pgMaxLifetime = 30 * time.Minute // reconnects now and then: to a promoted standby after failover
)

// openDatabase opens opts' database and brings its schema up to date.
func openDatabase(opts Options) (*sql.DB, Dialect, error) {
	switch {
	case opts.Database == "":
		if opts.Dir == "" {
			return nil, SQLite, errors.New("no data directory")
		}
		if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
			return nil, SQLite, fmt.Errorf("create data directory: %w", err)
		}
		db, err := openDB(filepath.Join(opts.Dir, DBFile))
		return db, SQLite, err
	case IsPostgresURL(opts.Database):
		db, err := openPostgres(opts.Database)
		return db, Postgres, err
	default:
		return nil, SQLite, fmt.Errorf("database %q: want empty (SQLite in the data directory) or a postgres:// URL", DescribeDatabase(opts.Database))
	}
}

// openPostgres connects to a PostgreSQL database (pgx) and migrates it.
func openPostgres(dsn string) (*sql.DB, error) {
	where := DescribeDatabase(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL %s: %s", where, scrub(err, dsn))
	}
	db.SetMaxOpenConns(pgMaxOpen)
	db.SetMaxIdleConns(pgMaxIdle)
	db.SetConnMaxIdleTime(pgMaxIdleTime)
	db.SetConnMaxLifetime(pgMaxLifetime)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL %s: %s", where, scrub(err, dsn))
	}
	if err := migrate(ctx, db, Postgres); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// DescribeDatabase names a database for logs and errors without its
// password: "host:port/dbname" for a URL, "sqlite" for the default.
func DescribeDatabase(dsn string) string {
	if dsn == "" {
		return "sqlite"
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "(not a URL)"
	}
	host := u.Host
	if host == "" {
		host = cmp.Or(u.Query().Get("host"), "localhost") // a socket directory, as in ?host=/run/postgresql
	}
	return u.Scheme + "://" + host + "/" + strings.TrimPrefix(u.Path, "/")
}

// scrub is err's text with dsn's password, should the driver quote it, masked.
func scrub(err error, dsn string) string {
	msg := err.Error()
	u, perr := url.Parse(dsn)
	if perr != nil {
		return msg
	}
	pws := []string{u.Query().Get("password")}
	if u.User != nil {
		pw, _ := u.User.Password()
		pws = append(pws, pw)
	}
	for _, pw := range pws {
		if pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
			msg = strings.ReplaceAll(msg, url.QueryEscape(pw), "xxxxx")
		}
	}
	return msg
}

// storable is text a client sent as it can be kept in either database:
// PostgreSQL's TEXT holds neither NUL bytes nor bytes that are not UTF-8
// (SQLite keeps both), so they become U+FFFD. For the few strings stored
// unchecked, such as the user name a failed login gave (the audit log keeps it).
func storable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// pgMigrateLock is held by each of a PostgreSQL hub's migration
// transactions: hubs starting together on one database migrate it once. The
// key is arbitrary but fixed ("tramso hub migrate").
func pgMigrateLock(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7236911)`)
	return err
}

var _ store.MigrateLock = pgMigrateLock
