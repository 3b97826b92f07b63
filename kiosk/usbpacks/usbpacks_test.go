package usbpacks

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Pack files are taken from folders one to three levels below a media
// folder (a stick mounted at /media/STICK or /media/USER/STICK, at its top
// or one folder in). Not from the media folder itself (no stick), nor from
// deeper; hidden entries are skipped.
func TestWalkDepth(t *testing.T) {
	media := t.TempDir()
	files := map[string]bool{
		"loose.tspack":                  false, // in /media itself: on no stick
		"STICK/top.tspack":              true,
		"STICK/goi/in.tspack":           true,
		"user/STICK/top2.tspack":        true,
		"user/STICK/goi/deep.tspack":    true, // in a folder three levels down
		"STICK/.Trash-1000/old.tspack":  false,
		"STICK/notes.txt":               false,
		"STICK/UPPER.TSPACK":            true,
		"STICK/goi/two/three.tspack":    true,
		"STICK/goi/readme.tspack.bak":   false,
		"user/STICK/.hidden.tspack":     false,
		"user/STICK/ok2.tspack":         true,
		"user/STICK/goi/empty/x.tspack": false, // in a folder four levels down
	}
	var want []string
	for name, listed := range files {
		path := filepath.Join(media, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if listed {
			want = append(want, filepath.Clean(name))
		}
	}
	found, more := New([]string{media, filepath.Join(media, "absent")}, nil).walk()
	var got []string
	for _, p := range found {
		rel, _ := filepath.Rel(media, p.path)
		got = append(got, rel)
		if p.ID == "" || p.State != Checking {
			t.Errorf("%s: %+v", rel, p)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if more || !slices.Equal(got, want) {
		t.Fatalf("found %v (more %v), want %v", got, more, want)
	}
}
