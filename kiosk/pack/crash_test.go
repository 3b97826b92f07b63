package pack

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"tramso/kiosk/store"
)

// The crash test re-runs this test binary as a child process that applies a
// pack file, and kills it with SIGKILL at a random moment.
const (
	crashChildData = "TRAMSO_PACK_CRASH_CHILD_DATA"
	crashChildFile = "TRAMSO_PACK_CRASH_CHILD_FILE"
)

func TestMain(m *testing.M) {
	// Refusals are logged by design; the tests check them in the database.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if dir := os.Getenv(crashChildData); dir != "" {
		os.Exit(crashChild(dir, os.Getenv(crashChildFile)))
	}
	os.Exit(m.Run())
}

// crashChild applies file to the kiosk data folder dir, as `tramso pack apply`
// does, saying "ready" on stdout just before it starts.
func crashChild(dir, file string) int {
	st, err := store.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx := context.Background()
	packs, err := OpenStore(ctx, st)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	if _, err := packs.ApplyFile(ctx, file, pinned, "usb"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	st.Close()
	return 0
}

// runChild starts the child on dir and returns once it is ready to apply.
func runChild(t *testing.T, dir, file string) (*exec.Cmd, time.Time) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildData+"="+dir, crashChildFile+"="+file)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not get ready: %q, %v", line, err)
	}
	return cmd, time.Now()
}

// TestKillProcessDuringApply: kill -9 of a real process applying a pack, at random
// moments, always leaves the old or the new generation, complete — loaded
// with content.Load and every file's sha256 compared with its manifest.
func TestKillProcessDuringApply(t *testing.T) {
	const runs = 50
	template, src := appliedA(t)
	template.st.Close()
	// B changes many files, so the apply has many steps to be killed in.
	extra := map[string]string{}
	for i := range 40 {
		extra[fmt.Sprintf("media/test/b%02d.svg", i)] = svg(1000 + i)
	}
	for p, data := range extra {
		writeTestFile(src+"/"+p, []byte(data))
	}
	fileB, _ := buildPack(t, src, genB)

	// One undisturbed run says how long an apply takes on this machine.
	cmd, start := runChild(t, copyDir(t, template.dir), fileB)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("undisturbed apply: %v", err)
	}
	span := time.Since(start)

	counts := map[int64]int{}
	for i := range runs {
		dir := copyDir(t, template.dir)
		cmd, _ := runChild(t, dir, fileB)
		time.Sleep(time.Duration(rand.Int64N(int64(span) * 3 / 2)))
		cmd.Process.Kill()
		cmd.Wait()

		st, err := store.Open(dir)
		if err != nil {
			t.Fatalf("run %d: reopen: %v", i, err)
		}
		packs, err := OpenStore(context.Background(), st)
		if err != nil {
			t.Fatalf("run %d: reopen content store: %v", i, err)
		}
		packs.Pin([]ed25519.PublicKey{pub(provinceKey)})
		state, _ := packs.State(context.Background())
		if state.Current != genA && state.Current != genB {
			t.Fatalf("run %d: current generation %d, want %d or %d", i, state.Current, genA, genB)
		}
		if err := checkApplied(packs, state.Current); err != nil {
			t.Fatalf("run %d: generation %d is not complete after kill -9: %v", i, state.Current, err)
		}
		counts[state.Current]++
		st.Close()
		os.RemoveAll(dir)
	}
	t.Logf("%d kills within %v of an apply: %d left the old generation, %d the new, all complete",
		runs, span*3/2, counts[genA], counts[genB])
}
