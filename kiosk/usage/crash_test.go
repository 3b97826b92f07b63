package usage

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/store"
)

// The crash test starts this test binary again as a child that logs heavily
// (TestHelperProcess) and SIGKILLs it mid-stream, three times. After each kill
// the database must pass SQLite's integrity check, hold every event the child
// reported as committed, hold them as an unbroken prefix (batches are whole),
// and miss at most what the child queued in its last second.
func TestCrashDuringHeavyLogging(t *testing.T) {
	for round := range 3 {
		t.Run(fmt.Sprintf("kill %d", round+1), func(t *testing.T) { crashOnce(t) })
	}
}

// childReport is what the parent learnt from the child before killing it.
type childReport struct {
	flushed int64      // the last count the child reported committed
	queued  []queuedAt // every progress line, in order
	lines   int
}

type queuedAt struct {
	seq int64
	at  time.Time
}

func crashOnce(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "TRAMSO_USAGE_CHILD_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rep := childReport{}
	sc := bufio.NewScanner(out)
	killAt := time.Time{}
	for sc.Scan() {
		rep.read(t, sc.Text())
		// Kill at a random moment once the child has been logging for a
		// while (over a second, so that "the last second" means something).
		if killAt.IsZero() && rep.flushed >= 5000 && len(rep.queued) > 0 && time.Since(rep.queued[0].at) > 1500*time.Millisecond {
			killAt = time.Now().Add(time.Duration(rand.IntN(300)) * time.Millisecond)
		}
		if !killAt.IsZero() && time.Now().After(killAt) {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() { // lines already in the pipe were written before the kill
		rep.read(t, sc.Text())
	}
	_ = cmd.Wait()
	if rep.flushed == 0 || len(rep.queued) == 0 {
		t.Fatalf("the child reported nothing (%d lines)", rep.lines)
	}

	st, err := store.Open(dir)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer st.Close()
	var check string
	if err := st.DB.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	rows := count(t, st.DB, `SELECT count(*) FROM usage_events WHERE type = 'audio_used'`)
	distinct := count(t, st.DB, `SELECT count(DISTINCT value) FROM usage_events WHERE type = 'audio_used'`)
	maxSeq := count(t, st.DB, `SELECT coalesce(max(value), 0) FROM usage_events WHERE type = 'audio_used'`)
	if rows != distinct || rows != maxSeq {
		t.Fatalf("%d rows, %d distinct, highest %d: the stored events are not an unbroken prefix", rows, distinct, maxSeq)
	}
	if rows < rep.flushed {
		t.Fatalf("%d events stored, but the child had reported %d committed", rows, rep.flushed)
	}
	last := rep.queued[len(rep.queued)-1]
	secondBefore := rep.seqAt(last.at.Add(-time.Second))
	if rows < secondBefore {
		t.Fatalf("%d events stored; the child had queued %d a second before its last report: more than the last second was lost", rows, secondBefore)
	}
	t.Logf("SIGKILL: child had reported %d committed and queued at least %d; %d stored (a second before its last report it had queued %d)",
		rep.flushed, last.seq, rows, secondBefore)
}

func (r *childReport) read(t *testing.T, line string) {
	r.lines++
	f := strings.Fields(line)
	switch {
	case len(f) == 2 && f[0] == "flushed":
		n, _ := strconv.ParseInt(f[1], 10, 64)
		r.flushed = max(r.flushed, n)
	case len(f) == 3 && f[0] == "queued":
		seq, _ := strconv.ParseInt(f[1], 10, 64)
		ns, _ := strconv.ParseInt(f[2], 10, 64)
		r.queued = append(r.queued, queuedAt{seq, time.Unix(0, ns)})
	}
}

// seqAt is the highest sequence the child had queued by at.
func (r *childReport) seqAt(at time.Time) int64 {
	var seq int64
	for _, q := range r.queued {
		if q.at.After(at) {
			break
		}
		seq = q.seq
	}
	return seq
}

// childBacklog is how many events the child lets wait for the writer.
const childBacklog = 256

// TestHelperProcess is the crash test's child: it logs numbered events as fast
// as the writer commits them and prints its progress, until it is killed. Run
// directly (without the parent's environment) it does nothing.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("TRAMSO_USAGE_CHILD_DIR")
	if dir == "" {
		return
	}
	st, err := store.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	// The writer reports each commit; the count of committed events is the
	// highest sequence committed, since events are written in order.
	l := New(st.DB, Options{Catalog: catalog, Location: vn, OnFlush: func(n int64) {
		fmt.Printf("flushed %d\n", n-1) // minus the session_started row
	}})
	go l.Run(context.Background())
	id, _ := parseSession(l.StartSession())
	minute := minuteOf(time.Now())
	for seq := int64(1); ; seq++ {
		// Heavy but sustained: keep at most a few hundred events waiting,
		// as fast as the writer commits them (on a slow machine too). So
		// nothing is dropped — the parent checks that what is stored is an
		// unbroken prefix — and what waits is the last moments' events.
		for len(l.queue) >= childBacklog {
			time.Sleep(100 * time.Microsecond)
		}
		l.enqueue(store.UsageRow{Minute: minute, Session: id, Type: AudioUsed, Value: seq})
		if seq%100 == 0 {
			fmt.Printf("queued %d %d\n", seq, time.Now().UnixNano())
		}
	}
}
