package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/store"
	"tramso/kiosk/usage"
)

func TestUsageExport(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// 10:00 in the kiosk's own zone (schedule.timezone, Asia/Ho_Chi_Minh by
	// default), whatever zone the test machine is in.
	kioskZone := config.Default()
	minute := time.Date(2026, 11, 20, 10, 0, 0, 0, kioskZone.Location()).Unix() / 60
	rows := []store.UsageRow{
		{Minute: minute, Session: 11, Type: usage.SessionStarted},
		{Minute: minute, Session: 22, Type: usage.SessionStarted},
		{Minute: minute, Session: 11, Type: usage.StaffCalled, Detail: "home"},
	}
	if err := store.WriteUsage(context.Background(), st.DB, rows, "", 0); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("usage:\n  export_threshold: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCLI(t, "usage", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json", "--data", dir, "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []usage.Total
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not the JSON payload: %v\n%s", err, out)
	}
	// The assisted session (1) is below the threshold (2): left out.
	want := []usage.Total{
		{Day: "2026-11-20", Metric: "sessions", Count: 2},
		{Day: "2026-11-20", Metric: "sessions_by_hour", Key: "10", Count: 2},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v, want %+v", got, want)
	}

	code, out, errOut = runCLI(t, "usage", "export", "--from", "2026-11-20", "--to", "2026-11-20", "--data", dir, "--config", cfg)
	if code != 0 || out != "day,metric,key,step,count,seconds\n2026-11-20,sessions,,0,2,0\n2026-11-20,sessions_by_hour,10,0,2,0\n" {
		t.Fatalf("csv: exit %d\n%s%s", code, out, errOut)
	}

	for _, args := range [][]string{
		{"usage"},
		{"usage", "import"},
		{"usage", "export", "--from", "20/11/2026", "--to", "2026-11-30"},
		{"usage", "export", "--from", "2026-11-30", "--to", "2026-11-01"},
		{"usage", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xml"},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || !strings.Contains(errOut, "usage") {
			t.Errorf("tramso %s: exit %d, %q; want exit 2", strings.Join(args, " "), code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "usage", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--data", t.TempDir(), "--config", cfg); code != 1 || !strings.Contains(errOut, "no kiosk database") {
		t.Errorf("empty data dir: exit %d, %q", code, errOut)
	}
}

// TestNewerMigrationsWarnInTheLogsOwnFormat: a kiosk on a database a newer
// release migrated warns once, in the text format of its own lines
// (level=WARN msg=…), not the log package's (outside QA s23, N5: the warning
// went through an unset slog default).
func TestNewerMigrationsWarnInTheLogsOwnFormat(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.Exec(`INSERT INTO schema_migrations(name, applied_at) VALUES ('9999_from_a_newer_release', '2027-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := startTramso(t, "tramso serve", "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--config", cfg)
	p.await(t, "serving", regexp.MustCompile(`serving on http://`), 0)
	var warnings []string
	for _, line := range strings.Split(p.out.String(), "\n") {
		if strings.Contains(line, "migrations this program does not know") {
			warnings = append(warnings, line)
		}
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "time=") ||
		!strings.Contains(warnings[0], `level=WARN msg="this database has migrations this program does not know (9999_from_a_newer_release)`) {
		t.Fatalf("warnings %q in:\n%s", warnings, p.out.String())
	}
}
