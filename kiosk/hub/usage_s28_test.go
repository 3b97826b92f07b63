package hub

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clockAt is a test's hub clock, moved by set.
type clockAt struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clockAt) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clockAt) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// usageAdmin starts a hub on the clock and logs a province admin in.
func usageAdmin(t *testing.T, opts Options) (*Hub, *admin, string) {
	t.Helper()
	h, srv := startTestHub(t, opts)
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	return h, a, srv.URL
}

// The usage page shows 30 days unless asked otherwise, today included, and
// says so (review s28: it showed 31 and the README said 30). Just after
// midnight on New Year's Day and on 1 March in Asia/Ho_Chi_Minh (still the
// day before in UTC), the range starts 29 days before the new day: a total
// of that first day is shown, one of the day before it is not.
func TestUsageDefaultRangeIsThirtyDays(t *testing.T) {
	zone, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	clock := &clockAt{now: time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC)} // 01/01/2027 00:30 in the province
	h, a, url := usageAdmin(t, Options{Now: clock.Now, Location: zone})
	_, token := kioskIn(t, h, "Ea Kao", "Nhà văn hóa Ea Kao")
	for _, c := range []struct {
		at                  time.Time
		from, to, dayBefore string
	}{
		{time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC), "2026-12-03", "2027-01-01", "2026-12-02"},
		{time.Date(2027, 2, 28, 17, 0, 0, 0, time.UTC), "2027-01-31", "2027-03-01", "2027-01-30"},
	} {
		clock.set(c.at)
		if code := a.login("tinh", testPassword); code != http.StatusOK { // two months on: a new session
			t.Fatalf("login: %d", code)
		}
		body := `[{"day":"` + c.dayBefore + `","metric":"sessions","count":11},{"day":"` + c.from + `","metric":"sessions","count":7},` +
			`{"day":"` + c.to + `","metric":"sessions","count":5}]`
		if code := deviceSend(t, http.MethodPost, url+"/api/device/usage", token, body); code != http.StatusOK {
			t.Fatalf("upload at %v: %d", c.at, code)
		}
		_, page := a.get("/admin/usage")
		if !strings.Contains(page, `name="from" value="`+c.from+`"`) || !strings.Contains(page, `name="to" value="`+c.to+`"`) {
			t.Errorf("at %v the default range is not %s..%s:\n%.1500s", c.at.In(zone), c.from, c.to, page)
		}
		if !regexp.MustCompile(`data-testid="usage-days">\(30 ngày\)<`).MatchString(page) {
			t.Errorf("at %v the page does not say it shows 30 days", c.at.In(zone))
		}
		if tally := regexp.MustCompile(`(?s)data-testid="usage-total".*?</ul>`).FindString(page); !strings.Contains(tally, "<strong>12</strong> <span>lượt sử dụng cả tỉnh") {
			t.Errorf("at %v the province's visits are not those of %s and %s (7 + 5):\n%s", c.at.In(zone), c.from, c.to, tally)
		}
	}
	// A range asked for says its own length.
	_, page := a.get("/admin/usage?from=2027-02-01&to=2027-03-01")
	if !strings.Contains(page, `data-testid="usage-days">(29 ngày)<`) {
		t.Errorf("February and 1 March are not 29 days")
	}
}

// kioskFreshness is the "Số liệu đến lúc" cell of the kiosk named name: the
// exact time in its tooltip, or the cell's text when it has none.
func kioskFreshness(t *testing.T, page, name string) string {
	t.Helper()
	table := regexp.MustCompile(`(?s)<table[^>]*data-testid="usage-kiosks".*?</table>`).FindString(page)
	for _, r := range regexp.MustCompile(`(?s)<tr.*?</tr>`).FindAllString(table, -1) {
		if !strings.Contains(r, ">"+name+"</a>") {
			continue
		}
		cell := regexp.MustCompile(`(?s)data-label="Số liệu đến lúc">(.*?)</td>`).FindStringSubmatch(r)
		if cell == nil {
			t.Fatalf("no freshness cell in %s", r)
		}
		if m := regexp.MustCompile(`title="([^"]*)"`).FindStringSubmatch(cell[1]); m != nil {
			return m[1]
		}
		return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(cell[1], ""))
	}
	t.Fatalf("no row for kiosk %s in:\n%s", name, table)
	return ""
}

// "Số liệu đến lúc" is when the hub last stored a kiosk's figures (review
// s28: it was the last upload the rate limit let through, so a refused
// upload moved it). A malformed upload, one too large and one whose every
// day the hub skips leave it; the next upload stored moves it. A kiosk
// whose only upload was refused has no figures. On SQLite, and on
// PostgreSQL with TRAMSO_HUB_TEST_DB=postgres.
func TestUsageFreshnessIsTheLastStoredUpload(t *testing.T) {
	start := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) // 10:00 in the province
	clock := &clockAt{now: start}
	h, a, url := usageAdmin(t, Options{Now: clock.Now})
	_, good := kioskIn(t, h, "Ea Kao", "Nhà văn hóa Ea Kao")
	_, refused := kioskIn(t, h, "Hòa Thắng", "Bưu điện Hòa Thắng")
	send := func(token, body string, want int) {
		t.Helper()
		if code := deviceSend(t, http.MethodPost, url+"/api/device/usage", token, body); code != want {
			t.Fatalf("upload at %v: %d, want %d", clock.Now(), code, want)
		}
	}
	freshness := func(name string) string {
		t.Helper()
		_, page := a.get("/admin/usage")
		return kioskFreshness(t, page, name)
	}

	send(good, `[{"day":"2026-12-06","metric":"sessions","count":6}]`, http.StatusOK)
	stored := h.formatExact(start)
	if got := freshness("Nhà văn hóa Ea Kao"); got != stored {
		t.Fatalf("after the first upload: %q, want %q", got, stored)
	}

	tooMany := make([]string, maxUsageRows+1)
	for i := range tooMany {
		tooMany[i] = `{"day":"2026-12-06","metric":"sessions","count":1}`
	}
	for i, refusal := range []struct {
		body string
		want int
	}{
		{`[{"day":"2026-12-06","metric":"no_such_metric","count":1}]`, http.StatusBadRequest},
		{`[{"day":"6/12/2026","metric":"sessions","count":1}]`, http.StatusBadRequest},
		{"[" + strings.Join(tooMany, ",") + "]", http.StatusRequestEntityTooLarge},
		{`[{"day":"2026-12-20","metric":"sessions","count":1}]`, http.StatusOK}, // every day in the future: skipped
	} {
		clock.set(start.Add(time.Duration(i+1) * time.Hour))
		send(good, refusal.body, refusal.want)
		if got := freshness("Nhà văn hóa Ea Kao"); got != stored {
			t.Errorf("upload %d (answered %d) stored nothing, yet the figures are said to be of %q, not %q", i, refusal.want, got, stored)
		}
	}
	send(refused, `[{"day":"2026-12-06","metric":"no_such_metric","count":1}]`, http.StatusBadRequest)
	if got := freshness("Bưu điện Hòa Thắng"); got != "chưa có số liệu" {
		t.Errorf("a kiosk whose only upload was refused: %q, want chưa có số liệu", got)
	}

	later := start.Add(6 * time.Hour)
	clock.set(later)
	send(good, `[{"day":"2026-12-06","metric":"sessions","count":6},{"day":"2026-12-20","metric":"sessions","count":1}]`, http.StatusOK)
	if got, want := freshness("Nhà văn hóa Ea Kao"), h.formatExact(later); got != want {
		t.Errorf("after an upload stored (one day of it skipped): %q, want %q", got, want)
	}
}

// A hub before 0022 kept only the last upload the rate limit let through:
// a kiosk with stored totals starts from it, one without any starts with
// none. On both databases.
func TestMigrationUsageStoredStartsFromTheLastUpload(t *testing.T) {
	for _, dialect := range []Dialect{SQLite, Postgres} {
		t.Run(dialect.String(), func(t *testing.T) {
			db, opts := hubBefore(t, dialect, "0022_usage_stored.sql")
			ctx := context.Background()
			last := time.Date(2026, 12, 7, 3, 4, 5, 0, time.UTC)
			for _, q := range []string{
				`INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES ('sent', 'x', 'a', '2026-12-01T00:00:00Z'),
					('refused', 'y', 'b', '2026-12-01T00:00:00Z'), ('silent', 'z', 'c', '2026-12-01T00:00:00Z')`,
				`INSERT INTO device_buckets(device_id, kind, tokens, last_ms) VALUES ('sent', 'usage', 3, ` + strconv.FormatInt(last.UnixMilli()+678, 10) + `),
					('refused', 'usage', 3, ` + strconv.FormatInt(last.UnixMilli(), 10) + `), ('silent', 'report', 3, ` + strconv.FormatInt(last.UnixMilli(), 10) + `)`,
				`INSERT INTO usage_totals(device_id, day, metric, count) VALUES ('sent', '2026-12-06', 'sessions', 4)`,
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			h := runTestHub(t, opts)
			got := map[string]string{}
			rows, err := h.DB.QueryContext(ctx, `SELECT id, usage_stored_at FROM devices`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, at string
				if err := rows.Scan(&id, &at); err != nil {
					t.Fatal(err)
				}
				got[id] = at
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if got["sent"] != "2026-12-07T03:04:05Z" || got["refused"] != "" || got["silent"] != "" || len(got) != 3 {
				t.Errorf("usage_stored_at after 0022: %v", got)
			}
		})
	}
}
