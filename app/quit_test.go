package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteQuitMarker(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"kiosk session: the marker in the runtime directory", filepath.Join(dir, "staff-quit"), false},
		{"no kiosk session ($TRAMSO_QUIT_MARKER unset): nothing written", "", false},
		{"runtime directory gone: an error to log, not a panic", filepath.Join(dir, "gone", "staff-quit"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := writeQuitMarker(c.path)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v", err, c.wantErr)
			}
			if c.path == "" || c.wantErr {
				return
			}
			got, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatalf("no marker: %v", err)
			}
			if !strings.HasPrefix(string(got), "staff quit at ") {
				t.Errorf("marker says %q", got)
			}
			if fi, _ := os.Stat(c.path); fi.Mode().Perm() != 0o600 {
				t.Errorf("marker mode %v, want 0600", fi.Mode().Perm())
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the temp dir holds %d entries, want only the one marker", len(entries))
	}
}

// Before the window exists there is nothing to quit, so a staff quit must not
// leave a marker behind either: the app keeps running, and a later crash
// would otherwise be taken for a staff quit and not restarted.
func TestQuitBeforeWindowLeavesNoMarker(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "staff-quit")
	w := &window{quitMarker: marker}
	w.Quit()
	w.close()
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Fatalf("marker after a quit with no window: %v", err)
	}
}
