//go:build smoke

package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The attract screen speaks its invitation by itself in the real window.
// WebKit lets a page play sound only after a touch unless the window allows
// it (app/webprocess.c), and the window starts the page again after every
// resident (app/pagelife.go), so no touch is ever left over: without the
// permission a native speaker's recorded invitation never sounded. A pack
// holds a recording of the Vietnamese invitation; nobody touches the screen;
// sound must come.
func TestDesktopAttractVoice(t *testing.T) {
	bin := desktopBin(t)
	display := startX(t)
	data, cfg := recordedInvitation(t, bin)
	home := silentHome(t)
	_, logs, _ := startKiosk(t, bin, display, home, data, "--config", cfg)
	waitForLine(t, logs, windowReady, 60*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for heard(home) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the attract screen played no sound within 30 s of its first screen, untouched")
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("the invitation sounded untouched (%d bytes to the sound device)", heard(home))
}

// recordedInvitation makes a data folder holding a signed pack in which a
// person's recording (here the starter's idle question stands in) says the
// attract screen's Vietnamese invitation, and a config that trusts its key
// and lets the invitation sound every minute.
func recordedInvitation(t *testing.T, bin string) (data, cfg string) {
	tmp := t.TempDir()
	tramso := func(args ...string) string {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("tramso %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	key, src := filepath.Join(tmp, "key"), filepath.Join(tmp, "src")
	tramso("keygen", "--out", key)
	tramso("pack", "export-starter", "--out", src)
	where, _, _ := strings.Cut(tramso("pack", "speech-path", "--lang", "vi", "Chạm vào màn hình để bắt đầu"), "\t")
	recording, err := os.ReadFile(filepath.Join(src, "media/shell/vi/idle-warning.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(src, where)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, where), recording, 0o644); err != nil {
		t.Fatal(err)
	}
	pack := filepath.Join(tmp, "invite.tspack")
	tramso("pack", "build", "--src", src, "--key", filepath.Join(key, "province.key"), "--out", pack, "--generation", "500")
	pub, err := os.ReadFile(filepath.Join(key, "province.pub"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = filepath.Join(tmp, "config.yaml")
	conf := fmt.Sprintf("languages: [vi, en]\nattract_voice_minutes: 1\nhub:\n  province_keys: [%q]\n", strings.TrimSpace(string(pub)))
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	data = filepath.Join(tmp, "data")
	tramso("pack", "apply", "--data", data, "--create-data", "--config", cfg, pack)
	return data, cfg
}
