package watchdog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestProcessFrozenPageGetsTheKioskRestarted runs the real thing: a `tramso
// serve` process under a stand-in for systemd (a notify socket and
// WATCHDOG_USEC, as the service sets them) and the real page in headless
// Chromium. While the page runs, WATCHDOG=1 flows. Then the page's JavaScript
// main loop is frozen (an endless loop, through the DevTools protocol): the
// process still answers /api/health, yet WATCHDOG=1 stops — so systemd would
// kill it. The stand-in does what systemd does (SIGABRT, start again), and the
// fresh kiosk with a fresh page reports READY=1 and WATCHDOG=1 again.
func TestProcessFrozenPageGetsTheKioskRestarted(t *testing.T) {
	bin := tramsoBinary(t)
	dir := t.TempDir()
	sock := filepath.Join(dir, "notify")
	msgs := notifySocket(t, sock)
	const timeout = 4 * time.Second // WatchdogSec
	data, cfg := filepath.Join(dir, "data"), filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("commune: {name: Ea Kao}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	kiosk := startServe(t, bin, sock, timeout, data, cfg)
	page := openPage(t, kiosk.url)
	expect(t, msgs, "READY=1")
	for i := 0; i < 3; i++ {
		expect(t, msgs, "WATCHDOG=1")
	}

	page.freeze(t)
	if !quietFor(msgs, timeout, 90*time.Second) {
		t.Fatal("WATCHDOG=1 kept coming after the page froze")
	}
	if resp, err := http.Get(kiosk.url + "api/health"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the process should still answer while its page is frozen: %v", err)
	} else {
		resp.Body.Close()
	}

	// systemd's part: WatchdogSec passed without WATCHDOG=1 → SIGABRT, restart.
	kiosk.kill(syscall.SIGABRT)
	page.close()
	kiosk = startServe(t, bin, sock, timeout, data, cfg)
	openPage(t, kiosk.url)
	expect(t, msgs, "READY=1")
	expect(t, msgs, "WATCHDOG=1")
}

// expect waits for want, skipping other messages (a dying kiosk's last words).
func expect(t *testing.T, msgs <-chan string, want string) {
	t.Helper()
	deadline := time.After(90 * time.Second)
	for {
		select {
		case m := <-msgs:
			if m == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %s within 90 s", want)
		}
	}
}

// tramsoBinary is $TRAMSO_BIN, or tramso built from this checkout. Either way
// it embeds frontend/dist, which must hold the built page.
func tramsoBinary(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("../../frontend/dist/index.html"); err != nil {
		t.Fatal("frontend/dist has no index.html: build the frontend first (cd frontend && npm run build)")
	}
	if bin := os.Getenv("TRAMSO_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "tramso")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type serveProcess struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

var servingRE = regexp.MustCompile(`serving on (http://\S+/)`)

func startServe(t *testing.T, bin, sock string, timeout time.Duration, data, cfg string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock,
		fmt.Sprintf("WATCHDOG_USEC=%d", timeout.Microseconds()))
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill(syscall.SIGKILL) })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case p.url = <-found:
	case <-p.done:
		t.Fatal("tramso serve exited before serving")
	case <-time.After(60 * time.Second):
		t.Fatal("tramso serve did not start within 60 s")
	}
	return p
}

func (p *serveProcess) kill(sig syscall.Signal) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// page is a headless Chromium showing the kiosk, driven over DevTools.
type page struct {
	cmd  *exec.Cmd
	ws   *websocket.Conn
	once sync.Once
}

var devtoolsRE = regexp.MustCompile(`DevTools listening on (ws://[^/]+)/`)

func openPage(t *testing.T, url string) *page {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("this test needs Debian's chromium (apt-get install chromium)")
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-timer-throttling", "--disable-renderer-backgrounding",
		"--remote-debugging-port=0", "--user-data-dir="+t.TempDir(), "about:blank")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &page{cmd: cmd}
	t.Cleanup(p.close)
	endpoint := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := devtoolsRE.FindStringSubmatch(sc.Text()); m != nil {
				endpoint <- strings.Replace(m[1], "ws://", "http://", 1)
			}
		}
	}()
	var base string
	select {
	case base = <-endpoint:
	case <-time.After(60 * time.Second):
		t.Fatal("chromium did not open DevTools within 60 s")
	}
	req, _ := http.NewRequest(http.MethodPut, base+"/json/new?"+url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	defer resp.Body.Close()
	var target struct {
		WebSocketDebuggerURL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&target); err != nil || target.WebSocketDebuggerURL == "" {
		t.Fatalf("open a tab: %v", err)
	}
	if p.ws, _, err = websocket.DefaultDialer.Dial(target.WebSocketDebuggerURL, nil); err != nil {
		t.Fatalf("DevTools: %v", err)
	}
	return p
}

// freeze starts an endless loop on the page's main thread, as a page stuck in
// a bug would, after making sure the command arrived.
func (p *page) freeze(t *testing.T) {
	t.Helper()
	cmd := map[string]any{"id": 1, "method": "Runtime.evaluate",
		"params": map[string]any{"expression": "setTimeout(() => { for (;;) {} }, 0); 'frozen'", "returnByValue": true}}
	if err := p.ws.WriteJSON(cmd); err != nil {
		t.Fatal(err)
	}
	p.ws.SetReadDeadline(time.Now().Add(60 * time.Second))
	for {
		var msg struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
		}
		if err := p.ws.ReadJSON(&msg); err != nil {
			t.Fatalf("freeze the page: %v", err)
		}
		if msg.ID == 1 {
			if !strings.Contains(string(msg.Result), "frozen") {
				t.Fatalf("freeze the page: %s", msg.Result)
			}
			return
		}
	}
}

func (p *page) close() {
	p.once.Do(func() {
		if p.ws != nil {
			p.ws.Close()
		}
		p.cmd.Process.Kill()
		p.cmd.Wait()
	})
}
