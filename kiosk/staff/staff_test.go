package staff

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hours"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
	"tramso/kiosk/testlog"
)

// cheap keeps the tests fast; the format and checks are the same.
var cheap = staffpin.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// openGuard opens (or reopens) a real store in dir, as a restart would.
func openGuard(t *testing.T, dir, hash string, now *time.Time) (*Guard, *store.Store) {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGuard(st.DB, hash, 2*time.Minute)
	g.Now = func() time.Time { return *now }
	return g, st
}

func TestLockoutSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hash, _ := staffpin.HashWith("432109", cheap)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

	g, st := openGuard(t, dir, hash, &now)
	for i := 1; i <= MaxTries-1; i++ {
		_, err := g.Login(ctx, "000000")
		var wrong *WrongPINError
		if !errors.As(err, &wrong) || wrong.TriesLeft != MaxTries-i {
			t.Fatalf("try %d: %v, want WrongPINError with %d left", i, err, MaxTries-i)
		}
	}
	st.Close() // restart with one try left

	g, st = openGuard(t, dir, hash, &now)
	if s := g.Status(ctx); s.TriesLeft != 1 || s.Locked {
		t.Fatalf("after restart: %+v, want 1 try left", s)
	}
	var locked *LockedError
	if _, err := g.Login(ctx, "000000"); !errors.As(err, &locked) || !locked.Until.Equal(now.Add(FirstLockout)) {
		t.Fatalf("fifth wrong PIN: %v, want locked until %v", err, now.Add(FirstLockout))
	}
	// Staff read the time on Vietnam's clock, whatever zone the machine was left in.
	if want := now.Add(FirstLockout).In(hours.Vietnam).Format("15:04") + " (Vietnam time)"; !strings.HasSuffix(locked.Error(), want) {
		t.Errorf("the lock says %q, want it to end %q", locked.Error(), want)
	}
	st.Close() // restart while locked

	g, st = openGuard(t, dir, hash, &now)
	defer st.Close()
	if _, err := g.Login(ctx, "432109"); !errors.As(err, &locked) {
		t.Fatalf("right PIN while locked after restart: %v, want LockedError", err)
	}
	if s := g.Status(ctx); !s.Locked || s.TriesLeft != 0 {
		t.Fatalf("status while locked: %+v", s)
	}
	now = now.Add(FirstLockout + time.Second)
	token, err := g.Login(ctx, "432109")
	if err != nil || token == "" {
		t.Fatalf("right PIN after the lockout: %q, %v", token, err)
	}
	if s := g.Status(ctx); s.Locked || s.TriesLeft != MaxTries {
		t.Fatalf("status after success: %+v, want unlocked with %d tries", s, MaxTries)
	}
	actions, err := store.StaffActions(ctx, st.DB, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) != MaxTries+1 || actions[0].Action != "staff mode opened" {
		t.Fatalf("audit trail %+v", actions)
	}
	for _, a := range actions {
		if strings.Contains(a.Action, "432109") || strings.Contains(a.Action, "000000") {
			t.Fatalf("a PIN reached the audit trail: %+v", a)
		}
		if at, err := time.Parse(time.RFC3339, a.At); err != nil || at.Second() != 0 {
			t.Fatalf("audit time %q is not to the minute", a.At)
		}
	}
}

func TestSessionsExpireWhenIdle(t *testing.T) {
	ctx := context.Background()
	hash, _ := staffpin.HashWith("111111", cheap)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	g, st := openGuard(t, t.TempDir(), hash, &now)
	defer st.Close()
	token, err := g.Login(ctx, "111111")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after time.Duration
		token string
		want  bool
	}{
		{time.Minute, token, true},       // used: kept alive
		{110 * time.Second, token, true}, // still within 2 min of the last use
		{0, "not-a-token", false},
		{0, "", false},
		{121 * time.Second, token, false}, // idle too long
		{0, token, false},                 // and gone for good
	}
	for i, s := range steps {
		now = now.Add(s.after)
		if got := g.Check(s.token); got != s.want {
			t.Fatalf("step %d: Check = %v, want %v", i, got, s.want)
		}
	}
	token2, _ := g.Login(ctx, "111111")
	g.Logout(ctx, token2)
	if g.Check(token2) {
		t.Fatal("token still valid after Logout")
	}
}

func TestNotConfigured(t *testing.T) {
	now := time.Now()
	g, st := openGuard(t, t.TempDir(), "", &now)
	defer st.Close()
	if _, err := g.Login(context.Background(), "123456"); !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("Login without a PIN: %v", err)
	}
	if s := g.Status(context.Background()); s.Configured {
		t.Fatalf("Status: %+v", s)
	}
}

// TestLockoutGrows: each round of wrong PINs locks for twice as long as the
// last, across restarts, up to MaxLockout; a right PIN starts again at
// FirstLockout.
func TestLockoutGrows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hash, _ := staffpin.HashWith("432109", cheap)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	round := func(want time.Duration) {
		t.Helper()
		g, st := openGuard(t, dir, hash, &now) // a restart before every round
		defer st.Close()
		var err error
		for i := 0; i < MaxTries; i++ {
			_, err = g.Login(ctx, "000000")
		}
		var locked *LockedError
		if !errors.As(err, &locked) || locked.Until.Sub(now) != want {
			t.Fatalf("lockout %v, want %v (%v)", locked.Until.Sub(now), want, err)
		}
		now = locked.Until.Add(time.Second)
	}
	for _, want := range []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute} {
		round(want)
	}
	for n := 1; n < 20; n++ {
		if LockoutAfter(n+1) < LockoutAfter(n) || LockoutAfter(n) > MaxLockout {
			t.Fatalf("LockoutAfter(%d) = %v", n, LockoutAfter(n))
		}
	}
	g, st := openGuard(t, dir, hash, &now)
	if _, err := g.Login(ctx, "432109"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	round(FirstLockout)
}

// A store that takes no writes (a full disk) or cannot be read at all (a
// damaged file) still locks PIN entry after MaxTries wrong PINs: the count
// goes on in memory, and no wrong PIN is an error (outside QA: on a full
// disk every try answered 500 and the right PIN came in after six wrong).
func TestLockoutHoldsWhenTheStoreFails(t *testing.T) {
	ctx := context.Background()
	hash, _ := staffpin.HashWith("432109", cheap)
	for name, breakStore := range map[string]func(*store.Store) error{
		"writes fail": func(st *store.Store) error {
			st.DB.SetMaxOpenConns(1)
			_, err := st.DB.Exec(`PRAGMA query_only = 1`)
			return err
		},
		"reads fail": func(st *store.Store) error {
			_, err := st.DB.Exec(`DROP TABLE staff_lockout`)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
			g, st := openGuard(t, t.TempDir(), hash, &now)
			defer st.Close()
			if err := breakStore(st); err != nil {
				t.Fatal(err)
			}
			if _, err := store.LoadStaffLockout(ctx, st.DB); name == "reads fail" && err == nil {
				t.Fatal("the store still reads: the test breaks nothing")
			}
			if err := store.SaveStaffLockout(ctx, st.DB, store.StaffLockout{Failures: 1}); err == nil {
				t.Fatal("the store still writes: the test breaks nothing")
			}
			for i := 1; i < MaxTries; i++ {
				var wrong *WrongPINError
				if _, err := g.Login(ctx, "000000"); !errors.As(err, &wrong) || wrong.TriesLeft != MaxTries-i {
					t.Fatalf("try %d: %v, want WrongPINError with %d left", i, err, MaxTries-i)
				}
			}
			var locked *LockedError
			if _, err := g.Login(ctx, "000000"); !errors.As(err, &locked) {
				t.Fatalf("wrong PIN %d: %v, want the lockout", MaxTries, err)
			}
			if _, err := g.Login(ctx, "432109"); !errors.As(err, &locked) {
				t.Fatalf("right PIN while locked: %v, want LockedError", err)
			}
			if s := g.Status(ctx); !s.Locked || s.LockedSeconds != int(FirstLockout/time.Second) {
				t.Fatalf("status: %+v", s)
			}
			now = now.Add(FirstLockout)
			if token, err := g.Login(ctx, "432109"); err != nil || token == "" {
				t.Fatalf("right PIN after the lockout: %q, %v", token, err)
			}
		})
	}
}

// On a disk the kernel made read-only the lockout still locks, counted in
// memory, and says so once, not at every PIN.
func TestLockoutOnAReadOnlyDisk(t *testing.T) {
	ctx := context.Background()
	dir := testdisk.Mount(t, "8m")
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	testdisk.RemountReadOnly(t, dir)
	if st, err = store.OpenOrReadOnly(dir); err != nil || !st.ReadOnly {
		t.Fatalf("open read-only: %v", err)
	}
	defer st.Close()
	var logs testlog.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))

	hash, _ := staffpin.HashWith("432109", cheap)
	g := NewGuard(st.DB, hash, 2*time.Minute)
	for range MaxTries {
		g.Login(ctx, "000000")
	}
	var locked *LockedError
	if _, err := g.Login(ctx, "432109"); !errors.As(err, &locked) {
		t.Fatalf("right PIN after %d wrong ones: %v, want LockedError", MaxTries, err)
	}
	if n := strings.Count(logs.String(), "counted in memory only"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs.String())
	}
}

// A store that cannot be read (an older database on a read-only disk, with
// no lockout column) is said once, not at every status poll of the staff
// panel's front page.
func TestUnreadableLockoutSaidOnce(t *testing.T) {
	ctx := context.Background()
	hash, _ := staffpin.HashWith("432109", cheap)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	g, st := openGuard(t, t.TempDir(), hash, &now)
	defer st.Close()
	if _, err := st.DB.Exec(`ALTER TABLE staff_lockout DROP COLUMN lockouts`); err != nil {
		t.Fatal(err)
	}
	var logs testlog.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	for range 5 {
		if s := g.Status(ctx); s.Locked || s.TriesLeft != MaxTries {
			t.Fatalf("status: %+v", s)
		}
	}
	g.Login(ctx, "000000")
	if s := g.Status(ctx); s.TriesLeft != MaxTries-1 {
		t.Errorf("after a wrong PIN: %+v, want the try counted in memory", s)
	}
	// Once for the reads, once for the saves, whatever the number of polls.
	if r, w := strings.Count(logs.String(), "read staff lockout"), strings.Count(logs.String(), "save staff lockout"); r != 1 || w != 1 {
		t.Errorf("%d warnings of reads, %d of saves, want 1 each:\n%s", r, w, logs.String())
	}
}

// TestParallelTriesOneAtATime sends a burst of tries at once, as a page on
// another site did with wrong PINs (outside QA s25): with argon2id's 64 MiB,
// only one is checked at a time, those that cannot wait their turn are
// refused as busy rather than queued, the pad's status still answers at
// once, and the check's memory goes back to the system afterwards. The
// right PIN, so that no lockout cuts the burst short.
func TestParallelTriesOneAtATime(t *testing.T) {
	ctx := context.Background()
	slow := staffpin.Params{Memory: 64 << 10, Time: 8, Threads: 1, SaltLen: 16, KeyLen: 32} // about a second a check
	hash, err := staffpin.HashWith("432109", slow)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	g, st := openGuard(t, t.TempDir(), hash, &now)
	defer st.Close()

	const tries = 12
	errs := make(chan error, tries)
	for range tries {
		go func() { _, err := g.Login(ctx, "432109"); errs <- err }()
	}
	time.Sleep(100 * time.Millisecond) // a check is under way
	start := time.Now()
	g.Status(ctx)
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("the pad's status waited %v for a PIN check", d)
	}
	var busy, in int
	for range tries {
		switch err := <-errs; {
		case err == nil:
			in++
		case errors.Is(err, ErrBusy):
			busy++
		default:
			t.Errorf("the right PIN answered %v", err)
		}
	}
	if busy == 0 || in == 0 {
		t.Errorf("%d tries at once: %d logged in, %d refused as busy; want some of each", tries, in, busy)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if kept := m.HeapSys - m.HeapReleased; kept > 32<<20 {
		t.Errorf("after the checks the heap keeps %d MiB from the system; a check's 64 MiB should have gone back", kept>>20)
	}
}
