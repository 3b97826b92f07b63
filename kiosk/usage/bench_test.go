package usage

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"tramso/kiosk/store"
)

// Benchmarks (they run only with -bench):
//
//	go test ./kiosk/usage -run '^$' -bench . -benchtime 3x
//
// BenchmarkIngest reports events/s from Submit to committed rows in a real
// SQLite file. BenchmarkInsights builds a year of heavy use (2,000,000 events)
// once per run in a temporary directory and times the staff queries over it.

func TestMain(m *testing.M) {
	code := m.Run()
	if yearDir != "" && os.Getenv(benchDirEnv) == "" {
		os.RemoveAll(yearDir)
	}
	os.Exit(code)
}

// benchDirEnv, when set, names a folder where the year fixture is kept
// between runs (built there if missing), to save its build time.
const benchDirEnv = "TRAMSO_USAGE_BENCH_DIR"

// BenchmarkIngest submits batches of 100 events (as POST /api/events does)
// as fast as the writer commits them and reports the sustained rate.
func BenchmarkIngest(b *testing.B) {
	st := openStore(b)
	l := New(st.DB, Options{Catalog: catalog, Location: vn})
	go l.Run(context.Background())
	defer l.Close() // before the store closes
	s := l.StartSession()
	batch := make([]Event, 0, MaxBatch)
	for i := range MaxBatch {
		batch = append(batch, Event{Type: StepViewed, Session: s, Tutorial: "vneid-kich-hoat", Step: 1 + i%8})
	}
	flush(b, l)
	start := l.State().Written
	b.ResetTimer()
	t0 := time.Now()
	for sent := 0; sent < b.N; sent += MaxBatch {
		// Wait for room rather than drop: this measures the writer's rate.
		for len(l.queue) > cap(l.queue)-MaxBatch {
			time.Sleep(50 * time.Microsecond)
		}
		if err := l.Submit(batch[:min(MaxBatch, b.N-sent)]); err != nil {
			b.Fatal(err)
		}
	}
	flush(b, l)
	elapsed := time.Since(t0)
	b.StopTimer()
	state := l.State()
	if state.Dropped != 0 || state.Written-start != int64(b.N) {
		b.Fatalf("state %+v after %d events", state, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
}

// BenchmarkWriteUsage is the store's batch insert alone, 1000 rows a batch.
func BenchmarkWriteUsage(b *testing.B) {
	st := openStore(b)
	rows := make([]store.UsageRow, 1000)
	for i := range rows {
		rows[i] = store.UsageRow{Minute: 29_000_000, Session: 42, Type: StepViewed, Item: "vneid-kich-hoat", Step: 1 + i%8}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += len(rows) {
		if err := store.WriteUsage(context.Background(), st.DB, rows[:min(len(rows), b.N-i)], "", 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// yearNow is "now" for the year fixture: a busy afternoon.
var yearNow = time.Date(2026, 11, 27, 16, 0, 0, 0, vn)

const yearEvents = 2_000_000

var (
	yearOnce sync.Once
	yearDir  string // raw/ holds the year of events only; kiosk/ is rolled up and pruned as a kiosk keeps it
	yearErr  error
)

func yearFixture(b *testing.B) string {
	b.Helper()
	yearOnce.Do(func() {
		if yearDir = os.Getenv(benchDirEnv); yearDir != "" {
			if _, err := os.Stat(filepath.Join(yearDir, "kiosk", store.FileName)); err == nil {
				return
			}
		} else if yearDir, yearErr = os.MkdirTemp("", "tramso-usage-bench-"); yearErr != nil {
			return
		}
		t0 := time.Now()
		yearErr = buildYear(yearDir)
		fmt.Fprintf(os.Stderr, "usage bench: built the year fixture (%d events) in %v\n", yearEvents, time.Since(t0).Round(time.Millisecond))
	})
	if yearErr != nil {
		b.Fatal(yearErr)
	}
	return yearDir
}

func buildYear(dir string) error {
	raw, kiosk := filepath.Join(dir, "raw"), filepath.Join(dir, "kiosk")
	for _, d := range []string{raw, kiosk} { // what an interrupted build left
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	st, err := store.Open(raw)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	first := midnight(yearNow).AddDate(0, 0, -364)
	perDay := yearEvents / 365
	var rows []store.UsageRow
	total := 0
	for d := 0; d < 365; d++ {
		day := first.AddDate(0, 0, d)
		quota := perDay
		if d == 364 {
			quota = yearEvents - total
		}
		for n := 0; n < quota; {
			s := fakeSession(rng, day, d == 364)
			if len(s) > quota-n {
				s = s[:quota-n]
			}
			rows = append(rows, s...)
			n += len(s)
		}
		total += quota
		if len(rows) >= 20000 || d == 364 {
			if err := store.WriteUsage(context.Background(), st.DB, rows, "", 0); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	if err := st.Close(); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(raw, store.FileName), filepath.Join(kiosk, store.FileName)); err != nil {
		return err
	}
	st, err = store.Open(kiosk)
	if err != nil {
		return err
	}
	defer st.Close()
	return maintain(context.Background(), st.DB, yearNow, vn, 180)
}

func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

var (
	benchTutorials  = []string{"vneid-kich-hoat", "qr-thanh-toan", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10", "t11", "t12"}
	benchProcedures = func() []string {
		var out []string
		for i := range 40 {
			out = append(out, fmt.Sprintf("1.%06d", 1000+i))
		}
		return out
	}()
	benchScreens = Screens
)

// fakeSession makes one resident's session on day: a lesson (often given up
// part-way), or a search and a procedure, with language, audio and staff
// calls at plausible rates, during opening hours.
func fakeSession(rng *rand.Rand, day time.Time, today bool) []store.UsageRow {
	hours := 12
	if today {
		hours = yearNow.Hour() - 7
	}
	start := minuteOf(day) + int64(7*60+rng.IntN(hours*60))
	id := int64(rng.Uint64() | 1)
	var out []store.UsageRow
	at := start
	add := func(typ, item, detail string, step int, value int64) {
		out = append(out, store.UsageRow{Minute: at, Session: id, Type: typ, Item: item, Detail: detail, Step: step, Value: value})
		if rng.IntN(3) == 0 {
			at++
		}
	}
	add(SessionStarted, "", "", 0, 0)
	add(LanguageChosen, "", []string{"vi", "vi", "vi", "vi", "vi", "vi", "rad", "rad", "mng", "en"}[rng.IntN(10)], 0, 0)
	add(ScreenViewed, "", "home", 0, 0)
	if rng.IntN(10) < 6 {
		tut := benchTutorials[min(rng.IntN(len(benchTutorials)), rng.IntN(len(benchTutorials)))]
		add(TutorialOpened, tut, "", 0, 0)
		step := 1
		for ; step <= 8; step++ {
			add(StepViewed, tut, "", step, 0)
			if step == 3 {
				if rng.IntN(3) == 0 {
					add(PracticeWrong, tut, "", step, 0)
				}
				add(PracticeRight, tut, "", step, 0)
			}
			if rng.IntN(100) < 12 {
				break
			}
		}
		if step > 8 {
			add(CheckPassed, tut, "", 1, 0)
			add(TutorialCompleted, tut, "", 0, 0)
			add(QRShown, tut, "", 0, 0)
		} else {
			add(TutorialAbandoned, tut, "", step, 0)
		}
	} else {
		proc := benchProcedures[min(rng.IntN(len(benchProcedures)), rng.IntN(len(benchProcedures)))]
		if rng.IntN(5) == 0 {
			add(Search, "", "none", 0, 0)
		}
		add(Search, proc, "results", 0, 0)
		add(ProcedureViewed, proc, "", 0, 0)
		add(ScreenViewed, "", benchScreens[rng.IntN(len(benchScreens))], 0, 0)
		if rng.IntN(2) == 0 {
			add(FlowFinished, proc, "", 0, 0)
			add(QRShown, proc, "", 0, 0)
		}
	}
	if rng.IntN(10) < 3 {
		add(AudioUsed, "", "tutorials", 0, 0)
	}
	if rng.IntN(100) < 15 {
		add(StaffCalled, "", "home", 0, 0)
	}
	add(SessionEnded, "", "", 0, (at-start)*60+int64(rng.IntN(60)))
	return out
}

// BenchmarkInsights times each staff query over the year of heavy use.
func BenchmarkInsights(b *testing.B) {
	dir := yearFixture(b)
	open := func(b *testing.B, sub string) *store.Store {
		st, err := store.Open(filepath.Join(dir, sub))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	ctx := context.Background()
	today := midnight(yearNow)
	// As a kiosk keeps it: finished days rolled up, raw events of 180 days.
	// What GET /api/staff/usage does on a running kiosk: today's live
	// totals, 30 days of daily totals.
	b.Run("staff-insights", func(b *testing.B) {
		st := open(b, "kiosk")
		l := New(st.DB, Options{Catalog: catalog, Location: vn, Now: func() time.Time { return yearNow }})
		go l.Run(ctx)
		defer l.Close() // before the store closes
		cpu := cpuTime()
		for b.Loop() {
			in := l.Insights(ctx)
			if in.State.Warning != "" || in.Periods[0].Sessions == 0 || in.Periods[2].Sessions < 30*in.Periods[0].Sessions/2 {
				b.Fatalf("%+v", in)
			}
		}
		reportMs(b, cpu)
	})
	// The same from the database alone: today counted from its raw events.
	b.Run("staff-insights-db-only", func(b *testing.B) {
		st := open(b, "kiosk")
		cpu := cpuTime()
		for b.Loop() {
			if _, err := ComputeInsights(ctx, st.DB, yearNow, catalog); err != nil {
				b.Fatal(err)
			}
		}
		reportMs(b, cpu)
	})
	b.Run("today-from-raw-events", func(b *testing.B) {
		st := open(b, "kiosk")
		cpu := cpuTime()
		for b.Loop() {
			if _, err := dayFromEvents(ctx, st.DB, today); err != nil {
				b.Fatal(err)
			}
		}
		reportMs(b, cpu)
	})
	b.Run("export-year-daily-totals", func(b *testing.B) {
		st := open(b, "kiosk")
		cpu := cpuTime()
		for b.Loop() {
			if _, err := DailyTotals(ctx, st.DB, today.AddDate(0, 0, -364), today, 5); err != nil {
				b.Fatal(err)
			}
		}
		reportMs(b, cpu)
	})
	// Worst case: no roll-up has ever run, 30 days are computed from the raw
	// year of events (a kiosk only sees this until its first maintenance).
	b.Run("staff-insights-no-rollups", func(b *testing.B) {
		st := open(b, "raw")
		cpu := cpuTime()
		for b.Loop() {
			if _, err := ComputeInsights(ctx, st.DB, yearNow, catalog); err != nil {
				b.Fatal(err)
			}
		}
		reportMs(b, cpu)
	})
	b.Run("rollup-one-day", func(b *testing.B) {
		st := open(b, "raw")
		day := today.AddDate(0, 0, -1)
		cpu := cpuTime()
		for b.Loop() {
			counted, err := dayFromEvents(ctx, st.DB, day)
			if err != nil {
				b.Fatal(err)
			}
			if err := store.ReplaceUsageDay(ctx, st.DB, counted.name, counted.totals()); err != nil {
				b.Fatal(err)
			}
		}
		reportMs(b, cpu)
		// Leave the raw database never rolled up, for the next -count.
		if _, err := st.DB.Exec(`DELETE FROM meta WHERE key = 'usage.rolled_through'; DELETE FROM usage_daily`); err != nil {
			b.Fatal(err)
		}
	})
}

// reportMs reports wall milliseconds per query, and CPU milliseconds (this
// process, user+system): on a shared, busy machine the wall time mostly
// measures waiting for a core.
func reportMs(b *testing.B, cpuStart time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64((cpuTime()-cpuStart).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
