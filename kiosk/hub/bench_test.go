package hub

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The scale benchmark runs the simulated kiosks in a child process (this test
// binary again, in kiosk mode), so the hub's memory is measured alone and
// each process stays within its own open-file limit.
const benchChildEnv = "TRAMSO_BENCH_KIOSK_CHILD" // "ws://addr/ws N"

func TestMain(m *testing.M) {
	if spec := os.Getenv(benchChildEnv); spec != "" {
		os.Exit(benchChild(spec))
	}
	os.Exit(m.Run())
}

// BenchmarkFleet connects TRAMSO_BENCH_KIOSKS (default 10,000) kiosks over
// loopback and measures, per announcement, the time until every kiosk has
// acknowledged it, and the hub's memory per idle connection.
//
//	go test ./kiosk/hub -run '^$' -bench Fleet -benchtime 5x
func BenchmarkFleet(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("TRAMSO_BENCH_KIOSKS")); err == nil && v > 0 {
		n = v
	}
	raiseOpenFiles(b)
	h, srv := startTestHub(b, Options{Heartbeat: 30 * time.Minute, FlushEvery: time.Second})
	tokens := benchDevices(b, h, n)
	_ = tokens

	before, rssBefore := heapAndStacks(), rss()
	goroutines := runtime.NumGoroutine()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), benchChildEnv+"="+wsURLOf(srv)+" "+strconv.Itoa(n))
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdin, _ := child.StdinPipe() // the child exits when this closes
	if err := child.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); child.Process.Kill(); child.Wait() })
	started := time.Now()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		b.Fatalf("kiosk process: %q %v", line, err)
	}
	eventually(b, "every kiosk connected", func() bool { return h.Connected() == n })
	connectTime := time.Since(started)
	time.Sleep(500 * time.Millisecond) // let handshake garbage become garbage
	after := heapAndStacks()
	perConn := float64(after-before) / float64(n)
	rssPerConn := float64(rss()-rssBefore) / float64(n)
	perConnGoroutines := float64(runtime.NumGoroutine()-goroutines) / float64(n)

	var total time.Duration
	worst := time.Duration(0)
	hubCPU, kioskCPU := processCPU(os.Getpid()), processCPU(child.Process.Pid)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gen := int64(1000 + i)
		start := time.Now()
		publishEmpty(b, h, gen, StageEveryone)
		for h.Acks(gen) < int64(n) {
			time.Sleep(200 * time.Microsecond)
		}
		d := time.Since(start)
		total += d
		worst = max(worst, d)
	}
	b.StopTimer()
	// CPU time does not depend on how busy the machine's other tenants are.
	b.ReportMetric(float64((processCPU(os.Getpid())-hubCPU).Milliseconds())/float64(b.N), "hub-cpu-ms/announce")
	b.ReportMetric(float64((processCPU(child.Process.Pid)-kioskCPU).Milliseconds())/float64(b.N), "kiosks-cpu-ms/announce")
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/announce-all-acked")
	b.ReportMetric(float64(worst.Milliseconds()), "ms-worst")
	b.ReportMetric(perConn, "B/idle-conn")
	b.ReportMetric(perConnGoroutines, "goroutines/conn")
	b.ReportMetric(float64(n), "kiosks")
	// RSS is meaningful in the first round only: later rounds reuse memory
	// the first one took from the kernel.
	b.Logf("%d kiosks connected in %v; hub heap+stacks %.1f KB per idle connection (RSS +%.1f KB), %.2f goroutines each",
		n, connectTime.Round(time.Millisecond), perConn/1024, rssPerConn/1024, perConnGoroutines)
}

// heapAndStacks is the hub process's live heap and goroutine stacks after a GC.
func heapAndStacks() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

func raiseOpenFiles(tb testing.TB) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
}

// benchDevices inserts n devices in one transaction; their tokens are
// derived from their number so the child process can rebuild them.
func benchDevices(tb testing.TB, h *Hub, n int) []string {
	ctx := context.Background()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	tokens := make([]string, n)
	for i := range n {
		id, secret := benchToken(i)
		if _, err := stmt.ExecContext(ctx, id, hashHex(secret), id, h.stamp()); err != nil {
			tb.Fatal(err)
		}
		tokens[i] = id + "." + secret
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return tokens
}

func benchToken(i int) (id, secret string) {
	return fmt.Sprintf("bench%06d", i), fmt.Sprintf("secret-%06d-for-the-scale-benchmark", i)
}

// benchChild is the kiosk process: it dials N kiosks, says "ready", and
// acknowledges every announcement until its standard input closes.
func benchChild(spec string) int {
	url, nText, _ := strings.Cut(spec, " ")
	n, _ := strconv.Atoi(nText)
	var lim syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	lim.Cur = lim.Max
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	dialer := websocket.Dialer{ReadBufferSize: 512, WriteBufferSize: 512, HandshakeTimeout: time.Minute}
	sem := make(chan struct{}, 64) // dial in parallel, without flooding the accept queue
	var wg sync.WaitGroup
	var failed sync.Once
	code := 0
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, secret := benchToken(i)
			ws, _, err := dialer.Dial(url, http.Header{"Authorization": {"Bearer " + id + "." + secret}})
			<-sem
			if err != nil {
				failed.Do(func() { fmt.Fprintln(os.Stderr, "kiosk dial:", err); code = 1 })
				return
			}
			go cheapAckLoop(ws)
		}()
	}
	wg.Wait()
	if code != 0 {
		return code
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n') // until the benchmark closes stdin
	return 0
}

// cheapAckLoop is ackLoop for the simulated fleet: the kiosks share this
// machine's two cores with the hub, so they answer with the fewest cycles —
// a real kiosk spends its own CPU on this. The ack is the canonical frame.
func cheapAckLoop(ws *websocket.Conn) {
	prefix := []byte(`{"v":1,"type":"announce","body":{"generation":`)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		digits, ok := bytes.CutPrefix(data, prefix)
		if !ok {
			continue
		}
		digits, _ = bytes.CutSuffix(digits, []byte("}}"))
		ack := append([]byte(`{"v":1,"type":"ack","body":{"generation":`), digits...)
		if ws.WriteMessage(websocket.TextMessage, append(ack, "}}"...)) != nil {
			return
		}
	}
}

// processCPU is the user+system CPU time a process has used, from /proc.
func processCPU(pid int) time.Duration {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start after ')'.
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+2:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // clock ticks: 100 Hz on Linux
}

// rss is the process's resident set in bytes (what the machine actually
// gives it, including memory the Go heap has freed but not yet returned).
func rss() int64 {
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
