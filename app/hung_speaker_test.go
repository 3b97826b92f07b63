//go:build smoke

package app

import (
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"testing"
	"time"
)

// A sound device that stops taking sound froze the whole page: WebKit asks
// GStreamer where a playing line is on the page's own thread, and ALSA's
// answer waits for the device's blocked write (gdb on the web process). The
// resident faced a dead screen, the idle countdown stopped, and the session
// never ended, until systemd's watchdog restarted the kiosk (and never when
// it runs by hand). Here the ALSA device writes into a pipe nobody reads, a
// speaker hung before the resident asks for sound: the page freezes within a
// fraction of a second of the first line, before it plays, so the heartbeat
// must already have said a line was asked for (lib/audio.svelte.ts). The
// window must end the frozen page and load it again (app/pagelife.go), and
// the new page must answer taps, silent (kiosk/sound): with the speaker
// still hung, the same "Listen" must not freeze the page a second time,
// which would leave the kiosk to systemd's watchdog, a minute of dead screen
// at each restart. (A speaker that hangs in the middle of a reading freezes
// the page the same way; its timing could not be held steady in a test: the
// null device plays faster than real time.)
func TestDesktopHungSpeaker(t *testing.T) {
	bin := desktopBin(t)
	display := startX(t)
	data := t.TempDir()
	home := hungSpeaker(t)
	// No spoken invitation on the attract screen: the first line the
	// speaker is given is the one the tap asks for.
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("attract_voice_minutes: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	kiosk, logs, _ := startKiosk(t, bin, display, home, data, "--config", cfg)
	waitForLine(t, logs, windowReady, 60*time.Second)
	time.Sleep(2 * time.Second)
	frozen := webProcess(t, kiosk.Process.Pid)

	drain(logs)
	xdo(t, display, "mousemove", "960", "566", "click", "1") // "Listen": every screen read aloud
	waitForLine(t, logs, regexp.MustCompile(`msg="web process ended; loading the page again" reason=(froze)`), frozenAfter+30*time.Second)
	waitForLine(t, logs, windowReady, 30*time.Second)
	if webProcess(t, kiosk.Process.Pid) == frozen {
		t.Fatal("the frozen web process is still the page's")
	}
	time.Sleep(2 * time.Second)
	checkNotBlank(t, screenshot(t, display, "desktop-after-freeze-1920x1080.png"))

	if kinds := incidents(t, data); !slices.Equal(kinds, []string{"froze"}) {
		t.Errorf("the kiosk recorded incidents %q, want [froze]", kinds)
	}
	if off := soundOff(t, data); off != "froze" {
		t.Fatalf("sound after the freeze: %q, want off for \"froze\"", off)
	}

	// The new page answers: a tap where "Listen" was starts a session, whose
	// first event is the language it opens in; on a silent kiosk the button
	// is gone and the session reads nothing aloud.
	sessions := countEvents(t, data, "language_chosen")
	drain(logs)
	xdo(t, display, "mousemove", "960", "566", "click", "1")
	deadline := time.Now().Add(15 * time.Second)
	for countEvents(t, data, "language_chosen") == sessions {
		if time.Now().After(deadline) {
			screenshot(t, display, "desktop-after-freeze-tap.png")
			t.Fatal("the reloaded page did not answer a tap within 15 s")
		}
		time.Sleep(250 * time.Millisecond)
	}
	// Longer than a freeze takes to be seen, with the speaker still hung.
	if l, ok := lineWithin(logs, regexp.MustCompile(`stopped answering|froze again`), frozenAfter+10*time.Second); ok {
		screenshot(t, display, "desktop-silent-froze-again.png")
		t.Fatalf("the page froze again on the hung speaker: %s", l)
	}
	checkNotBlank(t, screenshot(t, display, "desktop-silent-home-1920x1080.png"))
}

// soundOff reads why the kiosk's sound is off from its SQLite file, while it
// runs ("" when on).
func soundOff(t *testing.T, data string) string {
	db := usageDB(t, data)
	defer db.Close()
	var v string
	err := db.QueryRow(`SELECT value FROM meta WHERE key = 'sound_off'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	var off struct{ Reason string }
	if err := json.Unmarshal([]byte(v), &off); err != nil {
		t.Fatal(err)
	}
	return off.Reason
}

// lineWithin waits up to limit for a log line matching re.
func lineWithin(lines <-chan string, re *regexp.Regexp, limit time.Duration) (string, bool) {
	timeout := time.After(limit)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return "the kiosk exited", true
			}
			if re.MatchString(l) {
				return l, true
			}
		case <-timeout:
			return "", false
		}
	}
}

// hungSpeaker is a home directory whose ALSA default device writes into a
// pipe held open and never read: once its buffer is full, every write
// blocks, as on a speaker that stopped taking sound.
func hungSpeaker(t *testing.T) (home string) {
	home = silentHome(t)
	pipe := filepath.Join(home, "heard.raw")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	// Opened without blocking, as there is no writer yet; held open, it lets
	// the device's own open go ahead without waiting for a reader.
	f, err := os.OpenFile(pipe, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return home
}
