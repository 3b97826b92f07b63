package resume

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		p   Point
		gen int64
		day int
	}{
		{Point{0, 1}, 1, 20000},
		{Point{7, 3}, 1, 20419},
		{Point{MaxLesson, MaxStep}, 127, 255},
		{Point{42, 17}, 128, 0},
		{Point{3, 64}, 9_000_000_001, 123456},
	}
	for _, c := range cases {
		code, err := Encode(c.p, c.gen, c.day)
		if err != nil {
			t.Fatalf("Encode(%v): %v", c.p, err)
		}
		if len(code) != CodeLen || strings.ContainsAny(code, "ILOU") {
			t.Errorf("Encode(%v) = %q: want %d unambiguous characters", c.p, code, CodeLen)
		}
		got, err := Decode(code, c.gen, c.day)
		if err != nil || got != c.p {
			t.Errorf("Decode(%q) = %v, %v; want %v", code, got, err, c.p)
		}
	}
}

func TestEncodeRange(t *testing.T) {
	for _, p := range []Point{{-1, 1}, {MaxLesson + 1, 1}, {0, 0}, {0, MaxStep + 1}} {
		if _, err := Encode(p, 1, 1); err == nil {
			t.Errorf("Encode(%v) succeeded; want an out-of-range error", p)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	const gen, day = 5, 20419
	code, _ := Encode(Point{Lesson: 4, Step: 6}, gen, day)
	swapped := []byte(code)
	for i := 0; i+1 < len(swapped); i++ {
		if swapped[i] != swapped[i+1] {
			swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
			break
		}
	}
	changed := []byte(code)
	changed[3] = alphabet[(strings.IndexByte(alphabet, changed[3])+1)%32]
	cases := []struct {
		name  string
		code  string
		gen   int64
		today int
		want  error
	}{
		{"as made", code, gen, day, nil},
		{"lower case with dash and spaces", " " + strings.ToLower(Format(code)) + " ", gen, day, nil},
		{"last valid day", code, gen, day + ValidDays, nil},
		{"neighbour's clock a day ahead", code, gen, day - 1, nil},
		{"one day too old", code, gen, day + ValidDays + 1, ErrExpired},
		{"months old", code, gen, day + 100, ErrExpired},
		{"other content version", code, gen + 1, day, ErrOtherVersion},
		{"expired beats version", code, gen + 1, day + 30, ErrExpired},
		{"one character wrong", string(changed), gen, day, ErrTypo},
		{"two neighbours swapped", string(swapped), gen, day, ErrTypo},
		{"too short", code[:7], gen, day, ErrMalformed},
		{"too long", code + "2", gen, day, ErrMalformed},
		{"not in alphabet", code[:7] + "U", gen, day, ErrMalformed},
		{"empty", "", gen, day, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Decode(c.code, c.gen, c.today)
			if !errors.Is(err, c.want) {
				t.Fatalf("Decode(%q) error = %v; want %v", c.code, err, c.want)
			}
			if c.want == nil && got != (Point{Lesson: 4, Step: 6}) {
				t.Errorf("Decode(%q) = %v", c.code, got)
			}
		})
	}
}

// Every single wrong character and every swap of two different neighbours is
// caught, for many codes: the CRC guarantees it, this checks the guarantee.
func TestAllSingleTyposDetected(t *testing.T) {
	const gen = 3
	for lesson := 0; lesson < 40; lesson++ {
		for step := 1; step <= 12; step += 5 {
			day := 20000 + lesson
			code, _ := Encode(Point{lesson, step}, gen, day)
			for i := range CodeLen {
				for _, r := range alphabet {
					if byte(r) == code[i] {
						continue
					}
					typo := code[:i] + string(r) + code[i+1:]
					if _, err := Decode(typo, gen, day); !errors.Is(err, ErrTypo) {
						t.Fatalf("%q typed as %q: error %v; want ErrTypo", code, typo, err)
					}
				}
				if i+1 < CodeLen && code[i] != code[i+1] {
					typo := code[:i] + string(code[i+1]) + string(code[i]) + code[i+2:]
					if _, err := Decode(typo, gen, day); !errors.Is(err, ErrTypo) {
						t.Fatalf("%q typed as %q: error %v; want ErrTypo", code, typo, err)
					}
				}
			}
		}
	}
}

func TestReadAloudFriendly(t *testing.T) {
	// O, I and L are read as 0, 1 and 1, so a resident who writes them still gets in.
	code, _ := Encode(Point{1, 2}, 1, 20000)
	typed := strings.NewReplacer("0", "o", "1", "l").Replace(code)
	if got := Normalize(typed); got != code {
		t.Errorf("Normalize(%q) = %q; want %q", typed, got, code)
	}
	if f := Format(code); len(f) != 9 || f[4] != '-' {
		t.Errorf("Format(%q) = %q; want two groups of four", code, f)
	}
}

func TestNeighbouringCodesLookDifferent(t *testing.T) {
	a, _ := Encode(Point{1, 2}, 1, 20000)
	b, _ := Encode(Point{1, 3}, 1, 20000)
	same := 0
	for i := range CodeLen {
		if a[i] == b[i] {
			same++
		}
	}
	if same > 3 {
		t.Errorf("codes for steps 2 and 3 share %d of %d characters: %s %s", same, CodeLen, a, b)
	}
}

func TestDayIsVietnamDay(t *testing.T) {
	// 17:30 UTC is already the next day in Vietnam.
	a := time.Date(2026, 11, 27, 16, 59, 0, 0, time.UTC)
	b := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
	if Day(b)-Day(a) != 1 {
		t.Errorf("Day(%v)=%d, Day(%v)=%d; want the day to change at 17:00 UTC", a, Day(a), b, Day(b))
	}
	if got := LastDay(a).Format("02/01/2006"); got != "11/12/2026" {
		t.Errorf("LastDay = %s; want 11/12/2026", got)
	}
}
