package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/pgtest"
	"tramso/kiosk/testlog"
)

// cliProcessEnv makes this test binary the tramso command line, with the
// arguments it holds (a JSON list): the tests start real hub and kiosk
// processes, which they can kill as an operating system would.
const cliProcessEnv = "TRAMSO_TEST_CLI_ARGS"

func TestMain(m *testing.M) {
	if raw := os.Getenv(cliProcessEnv); raw != "" {
		os.Exit(runCLIProcess(raw))
	}
	pgtest.Main(m)
}

func runCLIProcess(raw string) int {
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, cliProcessEnv+":", err)
		return 2
	}
	return Main(args, Env{Assets: fstest.MapFS{"index.html": {Data: []byte("<html></html>")}},
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
}

// tramsoProcess is `tramso ARGS…` running as a process of its own.
type tramsoProcess struct {
	name   string
	cmd    *exec.Cmd
	out    *testlog.Buffer // stdout and stderr together
	exited chan struct{}
}

// startTramso starts `tramso args…` with stdin as its standard input and
// stops it (SIGTERM, then SIGKILL) when the test ends.
func startTramso(t *testing.T, name, stdin string, args ...string) *tramsoProcess {
	t.Helper()
	return startTramsoEnv(t, name, stdin, nil, args...)
}

// startTramsoEnv is startTramso with env (NAME=value) added to the process's environment.
func startTramsoEnv(t *testing.T, name, stdin string, env []string, args ...string) *tramsoProcess {
	t.Helper()
	raw, _ := json.Marshal(args)
	p := &tramsoProcess{name: name, cmd: exec.Command(os.Args[0], "-test.run=^$"), out: &testlog.Buffer{},
		exited: make(chan struct{})}
	p.cmd.Env = append(append(os.Environ(), env...), cliProcessEnv+"="+string(raw))
	p.cmd.Stdin = strings.NewReader(stdin)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("output of %s (its end):\n%s", name, p.out.Tail(8<<10))
		}
	})
	return p
}

// runTramso runs `tramso args…` as a process to its end and returns its output.
func runTramso(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	p := startTramso(t, "tramso "+args[0], stdin, args...)
	select {
	case <-p.exited:
	case <-time.After(time.Minute):
		t.Fatalf("tramso %s: still running after a minute\n%s", strings.Join(args, " "), p.out.String())
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("tramso %s: exit %d\n%s", strings.Join(args, " "), code, p.out.String())
	}
	return p.out.String()
}

// kill ends the process with SIGKILL: no shutdown, no goodbye to anyone.
func (p *tramsoProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

// await waits until the process's output matches re, past the first from
// bytes, and returns the submatches and where the match ends.
func (p *tramsoProcess) await(t *testing.T, what string, re *regexp.Regexp, from int) ([]string, int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := p.out.String()
		if loc := re.FindStringSubmatchIndex(out[from:]); loc != nil {
			var subs []string
			for i := 0; i < len(loc); i += 2 {
				subs = append(subs, out[from+loc[i]:from+loc[i+1]])
			}
			return subs, from + loc[1]
		}
		select {
		case <-p.exited:
			t.Fatalf("%s exited before %s", p.name, what)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no %s after 30 s", p.name, what)
		}
	}
}
