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

	"tramso/kiosk/pgtest"
)

// The scale benchmark runs the simulated kiosks in a child process (this test
// binary again, in kiosk mode), so the hub's memory is measured alone and
// each process stays within its own open-file limit.
const benchChildEnv = "TRAMSO_BENCH_KIOSK_CHILD" // "ws://a/ws[,ws://b/ws…] N"

func TestMain(m *testing.M) {
	if spec := os.Getenv(benchChildEnv); spec != "" {
		os.Exit(benchChild(spec))
	}
	pgtest.Main(m) // stops the PostgreSQL server, if a test started one
}

// BenchmarkFleet connects TRAMSO_BENCH_KIOSKS (default 10,000) kiosks over
// loopback to one hub and measures, per announcement, the time until every
// kiosk has acknowledged it, and the hub's memory per idle connection.
//
//	go test ./kiosk/hub -run '^$' -bench 'Fleet$' -benchtime 5x
func BenchmarkFleet(b *testing.B) {
	raiseOpenFiles(b)
	h, srv := startTestHub(b, benchOptions(testDatabase(b)))
	runFleetBench(b, []*Hub{h}, []string{wsURLOf(srv)})
}

// BenchmarkFleetTwoHubsPostgres is BenchmarkFleet with the kiosks split
// between two hubs on one PostgreSQL database: the pack is published
// through the first, and the second hears of it through the database.
//
//	go test ./kiosk/hub -run '^$' -bench FleetTwoHubsPostgres -benchtime 5x
func BenchmarkFleetTwoHubsPostgres(b *testing.B) {
	raiseOpenFiles(b)
	opts := benchOptions(pgtest.DSN(b))
	a, srvA := startTestHub(b, opts)
	other, srvB := startTestHub(b, opts)
	runFleetBench(b, []*Hub{a, other}, []string{wsURLOf(srvA), wsURLOf(srvB)})
}

func benchOptions(database string) Options {
	return Options{Database: database, Heartbeat: 30 * time.Minute, FlushEvery: time.Second}
}

func benchKiosks() int {
	if v, err := strconv.Atoi(os.Getenv("TRAMSO_BENCH_KIOSKS")); err == nil && v > 0 {
		return v
	}
	return 10000
}

// runFleetBench connects the kiosks, kiosk i to urls[i % len(urls)], then
// publishes through hubs[0] and waits for the acks counted by all hubs.
func runFleetBench(b *testing.B, hubs []*Hub, urls []string) {
	n := benchKiosks()
	benchDevices(b, hubs[0], n) // one database: every hub knows them
	connected := func() (c int) {
		for _, h := range hubs {
			c += h.Connected()
		}
		return c
	}
	acks := func(gen int64) (c int64) {
		for _, h := range hubs {
			c += h.Acks(gen)
		}
		return c
	}

	before, rssBefore := heapAndStacks(), rss()
	goroutines := runtime.NumGoroutine()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), benchChildEnv+"="+strings.Join(urls, ",")+" "+strconv.Itoa(n))
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
	eventually(b, "every kiosk connected", func() bool { return connected() == n })
	connectTime := time.Since(started)
	time.Sleep(500 * time.Millisecond) // let handshake garbage become garbage
	after := heapAndStacks()
	perConn := float64(after-before) / float64(n)
	rssPerConn := float64(rss()-rssBefore) / float64(n)
	perConnGoroutines := float64(runtime.NumGoroutine()-goroutines) / float64(n)

	var total time.Duration
	worst := time.Duration(0)
	var rounds []string
	hubCPU, kioskCPU, dbCPU := processCPU(os.Getpid()), processCPU(child.Process.Pid), childProcessesCPU(child.Process.Pid)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gen := int64(1000 + i)
		start := time.Now()
		publishEmpty(b, hubs[0], gen, StageEveryone)
		for acks(gen) < int64(n) {
			time.Sleep(200 * time.Microsecond)
		}
		d := time.Since(start)
		total += d
		worst = max(worst, d)
		rounds = append(rounds, d.Round(time.Millisecond).String())
	}
	b.StopTimer()
	// CPU time does not depend on how busy the machine's other tenants are.
	b.ReportMetric(float64((processCPU(os.Getpid())-hubCPU).Milliseconds())/float64(b.N), "hub-cpu-ms/announce")
	b.ReportMetric(float64((processCPU(child.Process.Pid)-kioskCPU).Milliseconds())/float64(b.N), "kiosks-cpu-ms/announce")
	b.ReportMetric(float64((childProcessesCPU(child.Process.Pid)-dbCPU).Milliseconds())/float64(b.N), "db-cpu-ms/announce")
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/announce-all-acked")
	b.ReportMetric(float64(worst.Milliseconds()), "ms-worst")
	b.ReportMetric(perConn, "B/idle-conn")
	b.ReportMetric(perConnGoroutines, "goroutines/conn")
	b.ReportMetric(float64(n), "kiosks")
	// RSS is meaningful in the first round only: later rounds reuse memory
	// the first one took from the kernel.
	b.Logf("%d kiosks connected to %d hub(s) in %v; hub heap+stacks %.1f KB per idle connection (RSS +%.1f KB), %.2f goroutines each",
		n, len(hubs), connectTime.Round(time.Millisecond), perConn/1024, rssPerConn/1024, perConnGoroutines)
	b.Logf("announce → all acked, round by round: %s", strings.Join(rounds, " "))
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
func benchDevices(tb testing.TB, h *Hub, n int) {
	ctx := context.Background()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO devices(id, token_hash, name, enrolled_at) VALUES ($1, $2, $3, $4)`)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		id, secret := benchToken(i)
		if _, err := stmt.ExecContext(ctx, id, hashHex(secret), id, h.stamp()); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func benchToken(i int) (id, secret string) {
	return fmt.Sprintf("bench%06d", i), fmt.Sprintf("secret-%06d-for-the-scale-benchmark", i)
}

// benchChild is the kiosk process: it dials N kiosks (kiosk i to the i-th
// of the comma-separated URLs, round robin), says "ready", and acknowledges
// every announcement until its standard input closes.
func benchChild(spec string) int {
	list, nText, _ := strings.Cut(spec, " ")
	urls := strings.Split(list, ",")
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
			ws, _, err := dialer.Dial(urls[i%len(urls)], http.Header{"Authorization": {"Bearer " + id + "." + secret}})
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
	st, ok := readStat(pid)
	if !ok {
		return 0
	}
	return st.cpu
}

// childProcessesCPU is the CPU time of every process below this one but
// skip (the simulated kiosks), with their reaped children: the PostgreSQL
// server pgtest started and its backends, which do the database's share of
// an announcement (nothing on SQLite, which runs inside the hub).
func childProcessesCPU(skip int) time.Duration {
	entries, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	stats := map[int]procStat{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ok := readStat(pid); ok {
			parent[pid], stats[pid] = st.ppid, st
		}
	}
	below := func(pid int) bool {
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == skip {
				return false
			}
			if p == os.Getpid() {
				return true
			}
		}
		return false
	}
	var total time.Duration
	for pid, st := range stats {
		if pid != skip && below(pid) {
			total += st.cpu + st.children
		}
	}
	return total
}

type procStat struct {
	ppid          int
	cpu, children time.Duration // its own user+system time; its reaped children's
}

func readStat(pid int) (procStat, bool) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	// Fields after the command name (which may hold spaces) start after ')'.
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+2:]))
	if len(fields) < 15 {
		return procStat{}, false
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(fields[i], 10, 64); return v }
	ticks := func(v int64) time.Duration { return time.Duration(v) * time.Second / 100 } // 100 Hz on Linux
	return procStat{ppid: int(n(1)), cpu: ticks(n(11) + n(12)), children: ticks(n(13) + n(14))}, true
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
