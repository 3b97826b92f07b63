package pack

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// The database lost what content it applied, three ways a commune's kiosk
// meets: its write-ahead log gone with a power cut (set back to before the
// last switch), the file emptied, the file overwritten. The newest
// generation on disk is taken back after the checks any pack passes, and
// the highest generation with it, so an older signed pack is refused again.
func TestContentTakenBackFromDisk(t *testing.T) {
	ctx := context.Background()
	for name, lose := range map[string]func(t *testing.T, k *kiosk){
		"set back": func(t *testing.T, k *kiosk) {
			for _, q := range []string{
				`UPDATE content_state SET current_generation = ` + strconv.Itoa(genA) + `, previous_generation = 0, highest_generation = ` + strconv.Itoa(genA),
				`DELETE FROM content_generations WHERE generation = ` + strconv.Itoa(genB),
			} {
				if _, err := k.st.DB.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			k.st.Close()
		},
		"emptied": func(t *testing.T, k *kiosk) {
			k.st.Close()
			if err := os.Truncate(filepath.Join(k.dir, "tramso.db"), 0); err != nil {
				t.Fatal(err)
			}
		},
		"overwritten": func(t *testing.T, k *kiosk) {
			k.st.Close()
			f, err := os.OpenFile(filepath.Join(k.dir, "tramso.db"), os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt([]byte("this is not a database, whatever its name says"), 0)
			f.Close()
		},
	} {
		t.Run(name, func(t *testing.T) {
			k, src := appliedA(t)
			fileB, _ := buildPack(t, src, genB)
			if _, err := k.packs.ApplyFile(ctx, fileB, pinned, "usb"); err != nil {
				t.Fatal(err)
			}
			lose(t, k)

			again := openKiosk(t, k.dir)
			again.shows(t, genB)
			if name == "overwritten" && again.st.SetAside == "" {
				t.Error("the overwritten database was not set aside")
			}
			if state, _ := again.packs.State(ctx); state.Highest != genB {
				t.Errorf("highest %d after taking back, want %d", state.Highest, genB)
			}
			fileA, _ := buildPack(t, src, genA)
			if _, err := again.packs.ApplyFile(ctx, fileA, pinned, "usb"); err == nil {
				t.Error("an older pack applied after the take-back: the rollback guard was lost with the database")
			}
		})
	}
}

// A folder above the highest generation that no pinned key signed is not
// content the database lost: it is refused, removed, and nothing changes.
func TestForgedFolderNotTakenBack(t *testing.T) {
	ctx := context.Background()
	k, src := appliedA(t)
	forged, _ := buildPack(t, src, genB, otherKey)
	other := openKioskPinning(t, t.TempDir(), pub(otherKey))
	if _, err := other.packs.ApplyFile(ctx, forged, []ed25519.PublicKey{pub(otherKey)}, "usb"); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(k.packs.Dir(), "generations", strconv.Itoa(genB))
	if err := os.CopyFS(folder, os.DirFS(filepath.Join(other.packs.Dir(), "generations", strconv.Itoa(genB)))); err != nil {
		t.Fatal(err)
	}
	k.st.Close()

	again := openKiosk(t, k.dir)
	again.shows(t, genA)
	if _, err := os.Stat(folder); !os.IsNotExist(err) {
		t.Errorf("the forged folder is kept: %v", err)
	}
	if status, _ := again.packs.Status(ctx); len(status.Rejections) == 0 {
		t.Error("staff mode is not told of the refused folder")
	}
}
