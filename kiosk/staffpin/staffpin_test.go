package staffpin

import (
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and checks are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	hash, err := HashWith("246813", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not in the PHC argon2id format", hash)
	}
	other, _ := HashWith("246813", cheap)
	if other == hash {
		t.Fatal("two hashes of one PIN are equal: the salt is not random")
	}
	for _, tc := range []struct {
		pin  string
		want bool
	}{{"246813", true}, {"246814", false}, {"", false}, {"2468130", false}} {
		ok, err := Verify(hash, tc.pin)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pin, ok, err, tc.want)
		}
	}
}

func TestDefaultParamsHash(t *testing.T) {
	hash, err := Hash("135791")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q", hash)
	}
	if ok, err := Verify(hash, "135791"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		pin string
		ok  bool
	}{{"123456", true}, {"12345678", true}, {"1234", false}, {"12345", false}, {"123456789", false}, {"12a456", false}, {"١٢٣٤٥٦", false}, {"", false}} {
		if err := Valid(tc.pin); (err == nil) != tc.ok {
			t.Errorf("Valid(%q) = %v, want ok=%v", tc.pin, err, tc.ok)
		}
	}
}

func TestVerifyRejectsMalformedHash(t *testing.T) {
	good, _ := HashWith("123456", cheap)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":       "",
		"bcrypt":      "$2a$10$abcdefghijklmnopqrstuv",
		"version":     strings.Replace(good, "v=19", "v=16", 1),
		"params":      strings.Replace(good, "m=64,t=1,p=1", "m=x", 1),
		"huge memory": strings.Replace(good, "m=64", "m=99999999", 1),
		"2 GB a try":  strings.Replace(good, "m=64", "m=2097152", 1),
		"many passes": strings.Replace(good, "t=1", "t=11", 1),
		"threads":     strings.Replace(good, "p=1", "p=200", 1),
		"salt":        strings.Join(append(parts[:4:4], "!!", parts[5]), "$"),
		"short hash":  strings.Join(append(parts[:5:5], "AAAA"), "$"),
	} {
		if ok, err := Verify(h, "123456"); ok || err == nil {
			t.Errorf("%s: Verify = %v, %v; want an error", name, ok, err)
		}
		if Check(h) == nil {
			t.Errorf("%s: Check passes %q", name, h)
		}
	}
}

func TestCheckPassesWhatHashWrites(t *testing.T) {
	for _, p := range []Params{cheap, DefaultParams} {
		h, err := HashWith("135791", p)
		if err != nil {
			t.Fatal(err)
		}
		if err := Check(h); err != nil {
			t.Errorf("Check(%q) = %v", h, err)
		}
	}
}

// The PINs anyone tries first are refused when a PIN is set (outside QA
// s26: 123456 was taken); the PINs the tests and the README use are not.
func TestObvious(t *testing.T) {
	for _, pin := range []string{"000000", "111111", "99999999", "123456", "654321", "012345", "98765432",
		"121212", "123123", "12341234", "100100", "112233", "123321", "147258", "159753",
		// Outside QA s26: two digits only, doubled digits, dates.
		"000001", "111222", "99887766", "07122026", "071226", "19850315"} {
		if err := Obvious(pin); err == nil || !strings.Contains(err.Error(), "first anyone would try") {
			t.Errorf("Obvious(%q) = %v, want it refused", pin, err)
		}
	}
	for _, pin := range []string{"246813", "482916", "593172", "135790", "135791", "258025", "432109", "31415926", "271935"} {
		if err := Obvious(pin); err != nil {
			t.Errorf("Obvious(%q) = %v, want it taken", pin, err)
		}
	}
}
