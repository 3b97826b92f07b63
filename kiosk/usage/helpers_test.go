package usage

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/store"
)

// vn is the kiosks' time zone (no daylight saving), fixed so tests do not
// depend on the machine's.
var vn = time.FixedZone("ICT", 7*3600)

// testCatalog is a small content catalogue.
type testCatalog struct{ tutorials, procedures map[string]string }

func (c testCatalog) Tutorial(id string) (string, bool)  { t, ok := c.tutorials[id]; return t, ok }
func (c testCatalog) Procedure(id string) (string, bool) { t, ok := c.procedures[id]; return t, ok }

var catalog = testCatalog{
	tutorials:  map[string]string{"vneid-kich-hoat": "Kích hoạt VNeID", "qr-thanh-toan": "Thanh toán bằng mã QR"},
	procedures: map[string]string{"1.001193": "Đăng ký khai sinh", "1.000894": "Đăng ký kết hôn"},
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openStore opens a real kiosk database in a temporary directory.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newTestLog(t testing.TB, db *sql.DB, clk *clock, opts Options) *Log {
	t.Helper()
	opts.Catalog = catalog
	opts.Location = vn
	opts.Now = clk.Now
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return New(db, opts)
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func flush(t testing.TB, l *Log) {
	t.Helper()
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func submit(t testing.TB, l *Log, events ...Event) {
	t.Helper()
	if err := l.Submit(events); err != nil {
		t.Fatalf("submit %+v: %v", events, err)
	}
}
