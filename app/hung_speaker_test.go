//go:build smoke

package app

import (
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// A sound device that stops taking sound froze the whole page: WebKit asks
// GStreamer where a playing line is on the page's own thread, and ALSA's
// answer waits for the device's blocked write (gdb on the web process). The
// resident faced a dead screen, the idle countdown stopped, and the session
// never ended, until systemd's watchdog restarted the kiosk (and never when
// it runs by hand). Here the ALSA device writes into a pipe that is read
// until a line is playing, then no more, as a hung speaker. The window must
// end the frozen page and load it again (app/pagelife.go), and the new page
// must answer taps.
func TestDesktopHungSpeaker(t *testing.T) {
	bin := desktopBin(t)
	display := startX(t)
	data := t.TempDir()
	home, hang := hangingSpeaker(t)
	kiosk, logs, _ := startKiosk(t, bin, display, home, data)
	waitForLine(t, logs, windowReady, 60*time.Second)
	time.Sleep(2 * time.Second)
	frozen := webProcess(t, kiosk.Process.Pid)

	xdo(t, display, "mousemove", "960", "470", "click", "1") // "Listen": every screen read aloud
	waitForAudio(t, data)                                    // a line is playing
	hang()
	drain(logs)
	waitForLine(t, logs, regexp.MustCompile(`msg="web process ended; loading the page again" reason=(froze)`), frozenAfter+30*time.Second)
	waitForLine(t, logs, windowReady, 30*time.Second)
	if webProcess(t, kiosk.Process.Pid) == frozen {
		t.Fatal("the frozen web process is still the page's")
	}
	time.Sleep(2 * time.Second)
	checkNotBlank(t, screenshot(t, display, "desktop-after-freeze-1920x1080.png"))

	// The new page answers: a tap on the attract screen starts a session,
	// whose first event is the language it opens in.
	sessions := countEvents(t, data, "language_chosen")
	xdo(t, display, "mousemove", "300", "900", "click", "1")
	deadline := time.Now().Add(15 * time.Second)
	for countEvents(t, data, "language_chosen") == sessions {
		if time.Now().After(deadline) {
			screenshot(t, display, "desktop-after-freeze-tap.png")
			t.Fatal("the reloaded page did not answer a tap within 15 s")
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// hangingSpeaker is a home directory whose ALSA default device writes into a
// pipe, read until hang is called and then held open unread: the writes
// that follow block once the pipe is full.
func hangingSpeaker(t *testing.T) (home string, hang func()) {
	home = silentHome(t)
	pipe := filepath.Join(home, "heard.raw")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	// Non-blocking open: there is no writer yet. Reads wait for data (Go's
	// poller) and end with io.EOF while no device has the pipe open.
	f, err := os.OpenFile(pipe, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	var hung atomic.Bool
	go func() {
		buf := make([]byte, 4096)
		for !hung.Load() {
			if _, err := f.Read(buf); err != nil {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	return home, func() { hung.Store(true) }
}
