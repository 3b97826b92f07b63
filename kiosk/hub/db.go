package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies the hub's migrations in order of their number (the
// NNNN_ prefix of the file name). The database's user_version is the number
// of the last one applied, so a migration added later with a higher number is
// applied once and the numbers need not be consecutive. The hub's schema is
// its own and never shares a file with a kiosk's.
func migrate(ctx context.Context, db *sql.DB) error {
	list, err := migrationList()
	if err != nil {
		return err
	}
	var applied int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&applied); err != nil {
		return fmt.Errorf("hub migrate: %w", err)
	}
	for _, m := range list {
		if m.number <= applied {
			continue
		}
		if err := applyMigration(ctx, db, m); err != nil {
			return fmt.Errorf("hub migration %s: %w", m.name, err)
		}
	}
	return nil
}

type migration struct {
	number int
	name   string
}

// migrationList lists the embedded migrations by number.
func migrationList() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, name := range names {
		prefix, _, _ := strings.Cut(path.Base(name), "_")
		n, err := strconv.Atoi(prefix)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("hub migration %s: the name must start with its number, e.g. 0003_", name)
		}
		list = append(list, migration{number: n, name: name})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].number < list[j].number })
	for i := 1; i < len(list); i++ {
		if list[i].number == list[i-1].number {
			return nil, fmt.Errorf("hub migrations %s and %s share a number", list[i-1].name, list[i].name)
		}
	}
	return list, nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	body, err := migrations.ReadFile(m.name)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	// PRAGMA takes no bound parameters; the number is our own integer.
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.number)); err != nil {
		return err
	}
	return tx.Commit()
}

// randomString returns n random characters of lowercase base32 (a–z, 2–7).
func randomString(n int) string {
	b := make([]byte, (n*5+7)/8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the kernel's generator does not fail on Linux
	}
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return s[:n]
}

// randomIndex returns a uniform random integer in [0, n).
func randomIndex(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err)
	}
	return int(v.Int64())
}

// hashHex is sha256 in hex: enough for high-entropy secrets (tokens, codes,
// session ids), which need no slow hash.
func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// bumpFleetVersion records that targets may have changed, inside tx.
func bumpFleetVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE fleet_version SET version = version + 1 WHERE id = 1`)
	return err
}
