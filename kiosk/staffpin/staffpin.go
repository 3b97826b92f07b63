// Package staffpin is the staff PIN: what a PIN may be, and its salted
// argon2id hash, the only form in which the config keeps it. Apart from the
// guard (package staff) so the config can check a hash without a database.
package staffpin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams cost about a quarter of a second on a small kiosk CPU: slow
// enough that a copied config file does not give the PIN away quickly (a
// short PIN still falls to a patient attacker, which is why the config file
// is readable only by the kiosk user), fast enough for staff at the screen.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Prefix starts every stored hash; the config validator checks for it.
const Prefix = "$argon2id$"

var b64 = base64.RawStdEncoding

// The most a stored hash may ask of the kiosk for each try: four times
// DefaultParams' memory. A hand-edited "m=2097152" made every try take 24 s
// and 2 GB (outside QA), two at once an out-of-memory kill.
const (
	maxMemory  = 256 * 1024
	maxTime    = 10
	maxThreads = 8
)

// PIN lengths. Six digits at the screen, with the growing lockout, cost a
// guesser years; four cost days.
const (
	MinLen = 6
	MaxLen = 8
)

// Valid checks a new PIN: 6 to 8 digits.
func Valid(pin string) error {
	if len(pin) < MinLen || len(pin) > MaxLen {
		return fmt.Errorf("a PIN has %d to %d digits, this one has %d characters", MinLen, MaxLen, len(pin))
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return errors.New("a PIN has digits only")
		}
	}
	return nil
}

// Obvious refuses a new PIN that anyone standing at the screen tries first
// (outside QA s26: `tramso staff-pin` took 123456): one digit throughout,
// a run up or down (123456, 654321), a short block repeated (121212,
// 123123, 12341234), two digits only (000001, 111222), each digit doubled
// (112233), a date (a birthday, today: 07122026, 071226), or one of a few
// patterns of a keypad. It is checked
// when a PIN is set, not by Valid: a PIN set before stays usable.
func Obvious(pin string) error {
	if why := obvious(pin); why != "" {
		return fmt.Errorf("this PIN is one of the first anyone would try (%s); choose one without a pattern", why)
	}
	return nil
}

// keypadPatterns are lines and shapes on a phone-style keypad, like the
// staff PIN pad: typed as easily as a run.
var keypadPatterns = []string{"123321", "147258", "258369", "159753", "789456"}

func obvious(pin string) string {
	step := func(d int) bool {
		for i := 1; i < len(pin); i++ {
			if int(pin[i])-int(pin[i-1]) != d {
				return false
			}
		}
		return true
	}
	switch {
	case step(0):
		return "one digit repeated"
	case step(1) || step(-1):
		return "digits in a row, like 123456 or 654321"
	}
	for n := 2; n <= len(pin)/2; n++ {
		if len(pin)%n == 0 && strings.Repeat(pin[:n], len(pin)/n) == pin {
			return "a short group of digits repeated, like 121212"
		}
	}
	switch {
	case distinct(pin) <= 2:
		return "only two different digits, like 111222"
	case doubled(pin):
		return "each digit doubled, like 112233"
	case isDate(pin):
		return "a date, like a birthday or today's"
	}
	for _, p := range keypadPatterns {
		if strings.HasPrefix(pin, p) {
			return "a pattern on the keypad"
		}
	}
	return ""
}

func distinct(pin string) int {
	seen := map[rune]bool{}
	for _, r := range pin {
		seen[r] = true
	}
	return len(seen)
}

// doubled: 112233, 99887766.
func doubled(pin string) bool {
	if len(pin)%2 != 0 {
		return false
	}
	for i := 0; i < len(pin); i += 2 {
		if pin[i] != pin[i+1] {
			return false
		}
	}
	return true
}

// isDate: a day and month as Vietnamese write them (ddmmyy, ddmmyyyy), or
// a year first (yyyymmdd).
func isDate(pin string) bool {
	for _, layout := range []string{"020106", "02012006", "20060102"} {
		if len(layout) == len(pin) {
			if t, err := time.Parse(layout, pin); err == nil && (len(pin) == 6 || t.Year() >= 1900 && t.Year() < 2100) {
				return true
			}
		}
	}
	return false
}

// Hash hashes pin with DefaultParams and a fresh salt, in the PHC string
// format "$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>".
func Hash(pin string) (string, error) { return HashWith(pin, DefaultParams) }

// HashWith hashes pin with the given parameters (tests use cheap ones).
func HashWith(pin string, p Params) (string, error) {
	if err := Valid(pin); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash PIN: %w", err)
	}
	key := argon2.IDKey([]byte(pin), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", Prefix, argon2.Version,
		p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pin matches the stored hash, comparing in
// constant time. An error means the stored hash itself is malformed.
func Verify(encoded, pin string) (bool, error) {
	p, salt, key, err := parseHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pin), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func parseHash(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("staff PIN hash is not in the $argon2id$v=19$m=…,t=…,p=…$salt$hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("staff PIN hash: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("staff PIN hash: bad parameters %q", parts[3])
	}
	if p.Memory < 8 || p.Memory > maxMemory || p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.Threads > maxThreads {
		return p, nil, nil, fmt.Errorf("staff PIN hash: parameters %q are out of range", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("staff PIN hash: bad salt")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, errors.New("staff PIN hash: bad hash")
	}
	return p, salt, key, nil
}

// Check reports what is wrong with a stored hash, or nil: the config refuses
// a bad one at start, not at the first PIN staff type.
func Check(encoded string) error {
	_, _, _, err := parseHash(encoded)
	return err
}
