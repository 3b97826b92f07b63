//go:build smoke

// The desktop smoke test runs the real desktop binary in a real window under
// Xvfb with a window manager, as a kiosk would run it. build/scripts/test.sh
// builds the binary and runs: TRAMSO_DESKTOP_BIN=… go test -tags smoke ./app/
package app

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

func TestDesktopSmoke(t *testing.T) {
	bin := desktopBin(t)
	display := startX(t)
	data := t.TempDir()

	kiosk, logs, pageErrors := startKiosk(t, bin, display, silentHome(t), data)
	ms := waitForLine(t, logs, windowReady, 60*time.Second)
	t.Logf("cold start to first screen: %s ms", ms)
	time.Sleep(2 * time.Second) // let WebKit paint the home screen

	checkFullScreen(t, display)
	checkNotBlank(t, screenshot(t, display, "desktop-attract-1920x1080.png"))

	// "Listen" (under the welcome) starts a session that reads each screen
	// aloud: the home screen replaces the attract loop and WebKit plays the
	// kiosk's voice through GStreamer. The page counts audio use only once
	// sound really plays, so the usage log proves the window can be heard.
	xdo(t, display, "mousemove", "960", "566", "click", "1")
	time.Sleep(1500 * time.Millisecond)
	checkNotBlank(t, screenshot(t, display, "desktop-home-1920x1080.png"))
	waitForAudio(t, data)

	// "Kết thúc" and its confirmation end the session; the page, back on the
	// attract screen, asks for a fresh web process (app/pagelife.go).
	t.Run("the next resident gets a fresh page", func(t *testing.T) {
		before := webProcess(t, kiosk.Process.Pid)
		drain(logs)
		xdo(t, display, "mousemove", "1787", "1028", "click", "1")
		time.Sleep(800 * time.Millisecond)
		xdo(t, display, "mousemove", "618", "638", "click", "1")
		waitForLine(t, logs, regexp.MustCompile(`msg="web process ended" reason="(renewed after a session)"`), 15*time.Second)
		waitForLine(t, logs, windowReady, 30*time.Second)
		if after := webProcess(t, kiosk.Process.Pid); after == before {
			t.Fatalf("the web process is still %d", before)
		}
		// The page sent the session's end before it went.
		if n := countEvents(t, data, "session_ended"); n != 1 {
			t.Errorf("%d session_ended events in the usage log, want 1", n)
		}
		time.Sleep(2 * time.Second)
		checkNotBlank(t, screenshot(t, display, "desktop-renewed-1920x1080.png"))
	})

	// A crashed page comes back in a second, not when the watchdog restarts
	// the kiosk a minute later.
	t.Run("a crashed page loads again", func(t *testing.T) {
		crashed := webProcess(t, kiosk.Process.Pid)
		drain(logs)
		if err := syscall.Kill(crashed, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		waitForLine(t, logs, regexp.MustCompile(`msg="web process ended; loading the page again" reason=(crashed)`), 15*time.Second)
		waitForLine(t, logs, windowReady, 30*time.Second)
		if after := webProcess(t, kiosk.Process.Pid); after == crashed {
			t.Fatalf("the web process is still %d", crashed)
		}
		// Kept for staff and the province; the renewal before it is not an incident.
		if kinds := incidents(t, data); !slices.Equal(kinds, []string{"crashed"}) {
			t.Errorf("the kiosk recorded incidents %q, want [crashed]", kinds)
		}
		time.Sleep(2 * time.Second)
		checkNotBlank(t, screenshot(t, display, "desktop-after-crash-1920x1080.png"))
	})

	// The window serves the page under the same content security policy as a
	// browser (app.apiFirst): nothing the page needs may be refused by it,
	// in its first load or in those that followed.
	if errs := pageErrors(); len(errs) > 0 {
		t.Errorf("the page reported errors in the window:\n%s", strings.Join(errs, "\n"))
	}

	t.Run("the hub is not in the kiosk's build", func(t *testing.T) {
		// Left out to keep the window process small (README "Window budget");
		// whoever tries it is told where the hub lives.
		for _, args := range [][]string{{"hub"}, {"hub", "publish", "pack.zip"}, {"hub", "--addr", "0.0.0.0:8090", "--data", "/var/lib/tramso-hub"}} {
			out, err := exec.Command(bin, args...).CombinedOutput()
			if err == nil || !strings.Contains(string(out), "go build -o tramso-server .") {
				t.Errorf("tramso %s: err=%v, output:\n%s", strings.Join(args, " "), err, out)
			}
		}
	})

	t.Run("second instance refuses", func(t *testing.T) {
		out, err := exec.Command(bin, "--data", data).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "already using this data directory") {
			t.Fatalf("second instance: err=%v, output:\n%s", err, out)
		}
	})

	stopKiosk(t, kiosk)
}

// A kiosk stopped or restarted by systemd while it starts (the window not yet
// open) closes at once, rather than after systemd's 90 s and a SIGKILL.
func TestDesktopStopWhileStarting(t *testing.T) {
	bin := desktopBin(t)
	display := startX(t)
	kiosk, logs, _ := startKiosk(t, bin, display, silentHome(t), t.TempDir())
	waitForLine(t, logs, regexp.MustCompile(`msg="(content loaded)"`), 30*time.Second)
	stopKiosk(t, kiosk)
}

// desktopBin is the desktop build under test or measured, $TRAMSO_DESKTOP_BIN.
func desktopBin(t testing.TB) string {
	bin := os.Getenv("TRAMSO_DESKTOP_BIN")
	if bin == "" {
		t.Fatal("TRAMSO_DESKTOP_BIN must name a desktop build of tramso (build/scripts/test.sh and bench-window.sh build one)")
	}
	return bin
}

// startX starts Xvfb on a free display (or on $TRAMSO_XVFB_DISPLAY, a
// number, when several people share the machine), and a window manager so
// that the window can go full screen, as WAILS.md notes.
func startX(t testing.TB) string {
	n := 90
	for ; n < 200; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); os.IsNotExist(err) {
			break
		}
	}
	if fixed := os.Getenv("TRAMSO_XVFB_DISPLAY"); fixed != "" {
		if _, err := fmt.Sscan(fixed, &n); err != nil {
			t.Fatalf("TRAMSO_XVFB_DISPLAY=%q is not a display number", fixed)
		}
	}
	display := fmt.Sprintf(":%d", n)
	xvfb := exec.Command("Xvfb", display, "-ac", "-nolisten", "tcp", "-screen", "0", "1920x1080x24")
	if err := xvfb.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	t.Cleanup(func() { xvfb.Process.Kill(); xvfb.Wait() })
	socket := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// Dial, not stat: a killed Xvfb leaves its socket file behind.
		if c, err := net.Dial("unix", socket); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Xvfb did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	wm := exec.Command("matchbox-window-manager", "-use_titlebar", "no")
	wm.Env = append(os.Environ(), "DISPLAY="+display)
	if err := wm.Start(); err != nil {
		t.Fatalf("start window manager: %v", err)
	}
	t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	return display
}

// startKiosk starts the desktop kiosk on data with home as its HOME (see
// silentHome) and args added; it returns its log lines as they come, and
// the page's errors so far.
func startKiosk(t *testing.T, bin, display, home, data string, args ...string) (*exec.Cmd, <-chan string, func() []string) {
	cmd := exec.Command(bin, append([]string{"--data", data}, args...)...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "XDG_CONFIG_HOME="+t.TempDir(), "HOME="+home, "TRAMSO_WEBKIT_CONSOLE=1")
	// The kiosk logs to stderr; WebKit writes the page's console to stdout.
	out, in, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = in, in
	if err := cmd.Start(); err != nil {
		t.Fatalf("start kiosk: %v", err)
	}
	in.Close()
	lines := make(chan string, 100)
	var mu sync.Mutex
	var pageErrors []string
	read := make(chan struct{})
	t.Cleanup(func() {
		cmd.Process.Kill()
		// WebKit's own processes share the pipe and may outlive the kiosk for
		// a moment. Wait for them (the pipe's end), so that none still writes
		// into the test's directories while they are removed (CI once failed
		// "directory not empty"); then stop reading anyway before the test
		// ends, or a late line is logged to a finished test (a panic).
		select {
		case <-read:
		case <-time.After(5 * time.Second):
		}
		out.Close()
		<-read
	})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			t.Log("kiosk: " + sc.Text())
			if pageError.MatchString(sc.Text()) {
				mu.Lock()
				pageErrors = append(pageErrors, sc.Text())
				mu.Unlock()
			}
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	return cmd, lines, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(pageErrors)
	}
}

// pageError is a console line WebKit writes for a script error or for a load
// or script the page's content security policy refused.
var pageError = regexp.MustCompile(`CONSOLE (JS|SECURITY) ERROR`)

// silentHome is a home directory whose ALSA default device writes what it
// is given to a file (heard) instead of a sound card: Xvfb has none, and
// GStreamer plays into it as into a kiosk's speakers.
func silentHome(t testing.TB) string {
	home := t.TempDir()
	rc := fmt.Sprintf("pcm.!default {\n  type file\n  slave.pcm \"null\"\n  file %q\n  format \"raw\"\n}\n", filepath.Join(home, "heard.raw"))
	if err := os.WriteFile(filepath.Join(home, ".asoundrc"), []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	return home
}

// heard is how many bytes of sound a kiosk run with home has played.
func heard(home string) int64 {
	fi, err := os.Stat(filepath.Join(home, "heard.raw"))
	if err != nil {
		return 0
	}
	return fi.Size()
}

// windowReady is the kiosk's log line each time the page has loaded.
var windowReady = regexp.MustCompile(`msg="window ready" since_start_ms=(\d+)`)

// webProcess is the pid of the kiosk's WebKit web process (the page's).
func webProcess(t *testing.T, kiosk int) int {
	for pid := range processTree(kiosk) {
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.HasPrefix(string(comm), "WebKitWebProces") {
			return pid
		}
	}
	t.Fatal("the kiosk has no WebKit web process")
	return 0
}

// drain forgets the log lines seen so far, so that the next wait reads only
// what comes after, and the buffer has room for it.
func drain(lines <-chan string) {
	for {
		select {
		case _, ok := <-lines:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// usageDB opens the kiosk's own SQLite file read-only, while it runs.
func usageDB(t *testing.T, data string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "tramso.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// countEvents counts the usage log's events of one type.
// incidents are the window's incidents the kiosk recorded, oldest first. The
// window records each on a goroutine of its own: it is given a moment.
func incidents(t *testing.T, data string) []string {
	db := usageDB(t, data)
	defer db.Close()
	var kinds []string
	for range 50 {
		kinds = kinds[:0]
		rows, err := db.Query(`SELECT kind FROM window_incidents ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			kinds = append(kinds, k)
		}
		rows.Close()
		if len(kinds) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return kinds
}

func countEvents(t *testing.T, data, typ string) int {
	db := usageDB(t, data)
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM usage_events WHERE type = ?`, typ).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitForAudio waits for the usage log (the kiosk's own SQLite file, read
// while it runs) to hold an audio_used event.
func waitForAudio(t *testing.T, data string) {
	db := usageDB(t, data)
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		err := db.QueryRow(`SELECT count(*) FROM usage_events WHERE type = 'audio_used'`).Scan(&n)
		if err == nil && n > 0 {
			t.Logf("audio played in the window (%d audio_used events)", n)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no audio played in the window within 30 s (last error: %v)", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func waitForLine(t *testing.T, lines <-chan string, re *regexp.Regexp, limit time.Duration) string {
	timeout := time.After(limit)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("kiosk exited before its window was ready")
			}
			if m := re.FindStringSubmatch(l); m != nil {
				return m[1]
			}
		case <-timeout:
			t.Fatalf("no %q within %s", re, limit)
		}
	}
}

func xdo(t testing.TB, display string, args ...string) string {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func checkFullScreen(t *testing.T, display string) {
	out := xdo(t, display, "search", "--onlyvisible", "--name", "Trạm Số", "getwindowgeometry")
	if !strings.Contains(out, "Geometry: 1920x1080") {
		t.Fatalf("window is not full screen:\n%s", out)
	}
}

func screenshot(t *testing.T, display, name string) image.Image {
	cmd := exec.Command("import", "-display", display, "-window", "root", "png:-")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if dir := os.Getenv("TRAMSO_SCREENSHOTS"); dir != "" {
		_ = os.MkdirAll(dir, 0o755)
		_ = os.WriteFile(filepath.Join(dir, name), out.Bytes(), 0o644)
	}
	img, err := png.Decode(io.Reader(&out))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	return img
}

// checkNotBlank fails on a screen of one colour (a blank or white WebKit view):
// a painted home screen has text, tiles and anti-aliasing, so many colours.
func checkNotBlank(t *testing.T, img image.Image) {
	colours := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	if len(colours) < 50 {
		t.Fatalf("screenshot has only %d colours: the window looks blank", len(colours))
	}
	t.Logf("screenshot has %d distinct colours", len(colours))
}
