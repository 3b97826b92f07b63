package qr

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"
)

// vietnamese is n bytes of Vietnamese text, as a checklist is: byte mode,
// letters of two and three bytes.
func vietnamese(n int) string {
	var b strings.Builder
	for _, r := range strings.Repeat("Giấy tờ cần mang: Nộp. ", n) {
		if b.Len()+utf8.RuneLen(r) > n {
			break
		}
		b.WriteRune(r)
	}
	return b.String() + strings.Repeat(".", n-b.Len())
}

// MaxBytes is version 22's whole capacity at low correction: one byte more
// needs version 23.
func TestMaxBytesIsVersion22(t *testing.T) {
	q, err := encode(vietnamese(MaxBytes))
	if err != nil || q.VersionNumber != MaxVersion || q.Level != qrcode.Low {
		t.Fatalf("MaxBytes: %v, version %d level %v", err, q.VersionNumber, q.Level)
	}
	over, err := qrcode.New(vietnamese(MaxBytes+1), qrcode.Low)
	if err != nil || over.VersionNumber != MaxVersion+1 {
		t.Errorf("MaxBytes+1 at low correction: version %d, %v", over.VersionNumber, err)
	}
	if _, err := encode(vietnamese(MaxBytes + 1)); err == nil {
		t.Error("a text over MaxBytes was drawn")
	}
	if _, err := encode(""); err == nil {
		t.Error("an empty text was drawn")
	}
}

// A text that fits version 22 at medium correction keeps it; only a longer
// one trades correction for module size, never the other way.
func TestCorrectionBeforeDensity(t *testing.T) {
	for _, tc := range []struct {
		n     int
		level qrcode.RecoveryLevel
	}{{80, qrcode.Medium}, {760, qrcode.Medium}, {800, qrcode.Low}, {MaxBytes, qrcode.Low}} {
		q, err := encode(vietnamese(tc.n))
		if err != nil || q.Level != tc.level || q.VersionNumber > MaxVersion {
			t.Errorf("%d bytes: level %v version %d, %v; want level %v", tc.n, q.Level, q.VersionNumber, err, tc.level)
		}
	}
}

// The densest code the kiosk draws reads back whole with zbarimg, at the
// checklist's pixel size and at three quarters of it.
func TestDensestCodeReads(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("the tests need zbarimg (apt-get install zbar-tools): %v", err)
	}
	text := vietnamese(MaxBytes)
	for _, size := range []int{480, 360} {
		png, err := PNG(text, size)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "code.png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "--raw", "-q", "-Sbinary", file).Output()
		if got := strings.TrimSuffix(string(out), "\n"); err != nil || got != text {
			t.Errorf("%d px: zbarimg read %d bytes (%v), want %d", size, len(got), err, len(text))
		}
	}
}
