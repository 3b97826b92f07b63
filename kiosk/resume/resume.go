// Package resume makes the short "Tiếp tục sau" (continue later) codes that let
// a resident pick a lesson up again, at the same step, on any kiosk that serves
// the same content version, for 14 days.
//
// A code is stateless: nothing is stored anywhere, so any kiosk can read any
// other kiosk's codes, and a code can hold nothing about the person. It packs
// 30 bits — lesson index (9), step (6), content generation (7 low bits) and
// issue day (8 low bits) — scrambled by a fixed permutation so that codes made
// one after another look unrelated, then appends a 10-bit CRC. The 40 bits are
// written as 8 characters of Crockford's base 32 (no I, L, O or U; those read
// as 1, 1 and 0), shown as two groups of four for reading aloud.
//
// The CRC catches every single wrong character and every swap of two
// neighbouring characters (each is an error burst of at most 10 bits, and a
// degree-10 CRC detects all of those); other typos slip through about once in
// a thousand, and then most likely fail the version, day or lesson checks.
package resume

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"tramso/kiosk/hours"
)

// Point is where a learner stopped: a lesson (its index in the pack's order)
// and a step (from 1).
type Point struct {
	Lesson int
	Step   int
}

// Limits of what a code can carry.
const (
	MaxLesson = 1<<9 - 1
	MaxStep   = 1 << 6 // steps 1..64
	// ValidDays is how long a code works: made on day D, it works through D+14.
	ValidDays = 14
	// CodeLen is the number of characters of a code, without the dash.
	CodeLen = 8
)

// Errors a code can fail with; API answers name which one.
var (
	ErrMalformed    = errors.New("a resume code has 8 letters and digits")
	ErrTypo         = errors.New("this code has a typing mistake: check each character")
	ErrExpired      = errors.New("this code is more than 14 days old")
	ErrOtherVersion = errors.New("this code was made for other lesson content")
)

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Day numbers days since 1970-01-01 in Vietnam (hours.Vietnam), so a code
// means the same on every kiosk whatever its clock's zone says.
func Day(t time.Time) int {
	y, m, d := t.In(hours.Vietnam).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// LastDay is the last calendar day (in Vietnam) a code made at t works.
func LastDay(t time.Time) time.Time {
	y, m, d := t.In(hours.Vietnam).Date()
	return time.Date(y, m, d+ValidDays, 0, 0, 0, 0, hours.Vietnam)
}

// Encode makes the code for p, for content generation gen, made on day.
func Encode(p Point, gen int64, day int) (string, error) {
	if p.Lesson < 0 || p.Lesson > MaxLesson {
		return "", fmt.Errorf("resume: lesson index %d out of range 0..%d", p.Lesson, MaxLesson)
	}
	if p.Step < 1 || p.Step > MaxStep {
		return "", fmt.Errorf("resume: step %d out of range 1..%d", p.Step, MaxStep)
	}
	data := uint32(p.Lesson)<<21 | uint32(p.Step-1)<<15 | uint32(gen&0x7f)<<8 | uint32(day&0xff)
	data = scramble(data)
	word := uint64(data)<<10 | uint64(crc10(data))
	var b [CodeLen]byte
	for i := CodeLen - 1; i >= 0; i-- {
		b[i] = alphabet[word&31]
		word >>= 5
	}
	return string(b[:]), nil
}

// Decode reads a code typed by a resident (any case, dashes and spaces
// ignored) for content generation gen, on day today.
func Decode(code string, gen int64, today int) (Point, error) {
	word, err := parse(code)
	if err != nil {
		return Point{}, err
	}
	data := uint32(word >> 10)
	if uint16(word&0x3ff) != crc10(data) {
		return Point{}, ErrTypo
	}
	data = unscramble(data)
	age := (today - int(data&0xff)) & 0xff
	// A code from "tomorrow" (age 255) is a neighbour kiosk's clock a little
	// ahead of ours, not a code eight months old.
	if age > ValidDays && age != 0xff {
		return Point{}, ErrExpired
	}
	if int64(data>>8&0x7f) != gen&0x7f {
		return Point{}, ErrOtherVersion
	}
	return Point{Lesson: int(data >> 21), Step: int(data>>15&0x3f) + 1}, nil
}

// Format groups a code for reading aloud: "7K3M-Q9TX".
func Format(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// Normalize returns the canonical 8 characters of a typed code, or "".
func Normalize(code string) string {
	word, err := parse(code)
	if err != nil {
		return ""
	}
	var b [CodeLen]byte
	for i := CodeLen - 1; i >= 0; i-- {
		b[i] = alphabet[word&31]
		word >>= 5
	}
	return string(b[:])
}

func parse(code string) (uint64, error) {
	var word uint64
	n := 0
	for _, r := range strings.ToUpper(code) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		v := strings.IndexRune(alphabet, r)
		if v < 0 {
			return 0, ErrMalformed
		}
		n++
		if n > CodeLen {
			return 0, ErrMalformed
		}
		word = word<<5 | uint64(v)
	}
	if n != CodeLen {
		return 0, ErrMalformed
	}
	return word, nil
}

// crc10 is CRC-10/ATM (x^10+x^9+x^5+x^4+x+1) over the 30 data bits.
func crc10(data uint32) uint16 {
	const poly = 0x233
	var crc uint32
	for i := 29; i >= 0; i-- {
		bit := (data >> i) & 1
		top := (crc >> 9) & 1
		crc = (crc << 1) & 0x3ff
		if bit^top == 1 {
			crc ^= poly & 0x3ff
		}
	}
	return uint16(crc)
}

// scramble is a fixed 4-round Feistel permutation of 30 bits. It hides
// nothing (the key is public); it only makes neighbouring codes look different.
func scramble(x uint32) uint32 {
	l, r := x>>15, x&0x7fff
	for k := range rounds {
		l, r = r, l^round(r, k)
	}
	return l<<15 | r
}

func unscramble(x uint32) uint32 {
	l, r := x>>15, x&0x7fff
	for k := rounds - 1; k >= 0; k-- {
		l, r = r^round(l, k), l
	}
	return l<<15 | r
}

const rounds = 4

func round(half uint32, k int) uint32 {
	h := sha256.Sum256([]byte{'t', 'r', 'a', 'm', 's', 'o', byte(k), byte(half >> 8), byte(half)})
	return (uint32(h[0])<<8 | uint32(h[1])) & 0x7fff
}
