package staff

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/store"
)

// cheap keeps the tests fast; the format and checks are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	hash, err := HashPINWith("2468", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not in the PHC argon2id format", hash)
	}
	other, _ := HashPINWith("2468", cheap)
	if other == hash {
		t.Fatal("two hashes of one PIN are equal: the salt is not random")
	}
	for _, tc := range []struct {
		pin  string
		want bool
	}{{"2468", true}, {"2469", false}, {"", false}, {"24680", false}} {
		ok, err := VerifyPIN(hash, tc.pin)
		if err != nil || ok != tc.want {
			t.Errorf("VerifyPIN(%q) = %v, %v; want %v", tc.pin, ok, err, tc.want)
		}
	}
}

func TestDefaultParamsHash(t *testing.T) {
	hash, err := HashPIN("13579")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q", hash)
	}
	if ok, err := VerifyPIN(hash, "13579"); !ok || err != nil {
		t.Fatalf("VerifyPIN = %v, %v", ok, err)
	}
}

func TestValidPIN(t *testing.T) {
	for _, tc := range []struct {
		pin string
		ok  bool
	}{{"1234", true}, {"12345678", true}, {"123", false}, {"123456789", false}, {"12a4", false}, {"١٢٣٤", false}, {"", false}} {
		if err := ValidPIN(tc.pin); (err == nil) != tc.ok {
			t.Errorf("ValidPIN(%q) = %v, want ok=%v", tc.pin, err, tc.ok)
		}
	}
}

func TestVerifyRejectsMalformedHash(t *testing.T) {
	good, _ := HashPINWith("1234", cheap)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":       "",
		"bcrypt":      "$2a$10$abcdefghijklmnopqrstuv",
		"version":     strings.Replace(good, "v=19", "v=16", 1),
		"params":      strings.Replace(good, "m=64,t=1,p=1", "m=x", 1),
		"huge memory": strings.Replace(good, "m=64", "m=99999999", 1),
		"salt":        strings.Join(append(parts[:4:4], "!!", parts[5]), "$"),
		"short hash":  strings.Join(append(parts[:5:5], "AAAA"), "$"),
	} {
		if ok, err := VerifyPIN(h, "1234"); ok || err == nil {
			t.Errorf("%s: VerifyPIN = %v, %v; want an error", name, ok, err)
		}
	}
}

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
	hash, _ := HashPINWith("4321", cheap)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

	g, st := openGuard(t, dir, hash, &now)
	for i := 1; i <= MaxTries-1; i++ {
		_, err := g.Login(ctx, "0000")
		var wrong *WrongPINError
		if !errors.As(err, &wrong) || wrong.TriesLeft != MaxTries-i {
			t.Fatalf("try %d: %v, want WrongPINError with %d left", i, err, MaxTries-i)
		}
	}
	st.Close() // restart with one try left

	g, st = openGuard(t, dir, hash, &now)
	if s, _ := g.Status(ctx); s.TriesLeft != 1 || s.Locked {
		t.Fatalf("after restart: %+v, want 1 try left", s)
	}
	var locked *LockedError
	if _, err := g.Login(ctx, "0000"); !errors.As(err, &locked) || !locked.Until.Equal(now.Add(Lockout)) {
		t.Fatalf("fifth wrong PIN: %v, want locked until %v", err, now.Add(Lockout))
	}
	st.Close() // restart while locked

	g, st = openGuard(t, dir, hash, &now)
	defer st.Close()
	if _, err := g.Login(ctx, "4321"); !errors.As(err, &locked) {
		t.Fatalf("right PIN while locked after restart: %v, want LockedError", err)
	}
	if s, _ := g.Status(ctx); !s.Locked || s.TriesLeft != 0 {
		t.Fatalf("status while locked: %+v", s)
	}
	now = now.Add(Lockout + time.Second)
	token, err := g.Login(ctx, "4321")
	if err != nil || token == "" {
		t.Fatalf("right PIN after the lockout: %q, %v", token, err)
	}
	if s, _ := g.Status(ctx); s.Locked || s.TriesLeft != MaxTries {
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
		if strings.Contains(a.Action, "4321") || strings.Contains(a.Action, "0000") {
			t.Fatalf("a PIN reached the audit trail: %+v", a)
		}
		if at, err := time.Parse(time.RFC3339, a.At); err != nil || at.Second() != 0 {
			t.Fatalf("audit time %q is not to the minute", a.At)
		}
	}
}

func TestSessionsExpireWhenIdle(t *testing.T) {
	ctx := context.Background()
	hash, _ := HashPINWith("1111", cheap)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	g, st := openGuard(t, t.TempDir(), hash, &now)
	defer st.Close()
	token, err := g.Login(ctx, "1111")
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
	token2, _ := g.Login(ctx, "1111")
	g.Logout(ctx, token2)
	if g.Check(token2) {
		t.Fatal("token still valid after Logout")
	}
}

func TestNotConfigured(t *testing.T) {
	now := time.Now()
	g, st := openGuard(t, t.TempDir(), "", &now)
	defer st.Close()
	if _, err := g.Login(context.Background(), "1234"); !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("Login without a PIN: %v", err)
	}
	if s, err := g.Status(context.Background()); err != nil || s.Configured {
		t.Fatalf("Status: %+v, %v", s, err)
	}
}
