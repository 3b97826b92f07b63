package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/staffpin"
)

// withStdin makes staff-pin read input for the rest of the test.
func withStdin(t *testing.T, input string) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(input)
	t.Cleanup(func() { stdin = old })
}

func TestStaffPINWritesHashKeepingTheRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	orig := "# Cultural house of Ea Tu\ncommune:\n  name: Xã Ea Tu # the name residents see\nidle:\n  quiet_seconds: 120\nstaff:\n  pin_hash: \"\"\n"
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	withStdin(t, "482916\n482916\n")
	code, out, errOut := runCLI(t, "staff-pin", "--config", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, path) {
		t.Errorf("stdout %q does not name the file", out)
	}
	body, _ := os.ReadFile(path)
	for _, keep := range []string{"# Cultural house of Ea Tu", "name: Xã Ea Tu # the name residents see", "quiet_seconds: 120"} {
		if !strings.Contains(string(body), keep) {
			t.Errorf("lost %q:\n%s", keep, body)
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := staffpin.Verify(cfg.Staff.PINHash, "482916"); !ok || err != nil {
		t.Fatalf("stored hash does not verify: %v %v\n%s", ok, err, body)
	}
	if strings.Contains(string(body), "482916") {
		t.Fatal("the PIN itself reached the config file")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the file's own 0640 kept", st.Mode().Perm())
	}
}

func TestStaffPINCreatesMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "etc", "tramso", "config.yaml")
	withStdin(t, "135790\n")
	if code, _, errOut := runCLI(t, "staff-pin", "--config", path, "--pin-stdin"); code != 1 || !strings.Contains(errOut, "--create-config") {
		t.Fatalf("a missing --config: exit %d, want 1 naming --create-config: %s", code, errOut)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the refused staff-pin wrote %s: %v", path, err)
	}
	withStdin(t, "135790\n")
	if code, _, errOut := runCLI(t, "staff-pin", "--config", path, "--create-config", "--pin-stdin"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := staffpin.Verify(cfg.Staff.PINHash, "135790"); !ok {
		t.Fatal("hash does not verify")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("new file mode %v, want 0640 like the package's (the kiosk's group reads it)", st.Mode().Perm())
	}
}

func TestStaffPINRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, input, config string
		args                []string
		code                int
		msg                 string
	}{
		{"too short", "123\n", "", []string{"--pin-stdin"}, 2, "6 to 8 digits"},
		{"letters", "1234ab\n", "", []string{"--pin-stdin"}, 2, "digits only"},
		{"mismatch", "482916\n482917\n", "", nil, 1, "differ"},
		{"a run", "123456\n", "", []string{"--pin-stdin"}, 2, "one of the first anyone would try (digits in a row"},
		{"a run asked on a terminal", "654321\n654321\n", "", nil, 2, "one of the first anyone would try"},
		{"one digit", "00000000\n", "", []string{"--pin-stdin"}, 2, "one digit repeated"},
		{"a group repeated", "121212\n", "", []string{"--pin-stdin"}, 2, "nothing was changed"},
		{"no input", "", "", []string{"--pin-stdin"}, 1, "read PIN"},
		{"no terminal", "", "", nil, 1, "--pin-stdin"},
		{"broken config", "482916\n", "idle: [\n", []string{"--pin-stdin"}, 1, "YAML"},
		{"invalid config", "482916\n", "idle:\n  quiet_seconds: 1\n", []string{"--pin-stdin"}, 1, "idle.quiet_seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			if tc.config != "" {
				if err := os.WriteFile(path, []byte(tc.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			withStdin(t, tc.input)
			code, _, errOut := runCLI(t, append([]string{"staff-pin", "--config", path, "--create-config"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Fatalf("exit %d, stderr %q; want %d mentioning %q", code, errOut, tc.code, tc.msg)
			}
			if body, _ := os.ReadFile(path); string(body) != tc.config {
				t.Fatalf("config changed to %q", body)
			}
		})
	}
}

// TestStaffPINKeepsOwnerGroupAndMode: the package's config is root:tramso
// 0640; after staff-pin run as root the kiosk's user (nobody here) must still
// read it (outside QA: the rewrite made it root:root and the kiosk stopped).
func TestStaffPINKeepsOwnerGroupAndMode(t *testing.T) {
	path := filepath.Join(nobodyDir(t), "config.yaml")
	writeDoctorConfig(t, path, "commune:\n  name: Xã Ea Tu\n")
	chownTest(t, path, 0, nobodyGID)
	withStdin(t, "135791\n")
	if code, _, errOut := runCLI(t, "staff-pin", "--pin-stdin", "--config", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := ownerOf(st); o != (fileOwner{0, nobodyGID}) || st.Mode().Perm() != 0o640 {
		t.Fatalf("config is %d:%d %v after staff-pin, want 0:%d 0640", o.uid, o.gid, st.Mode().Perm(), nobodyGID)
	}
	body, err := asNobody(exec.Command("cat", path)).CombinedOutput()
	if err != nil || !strings.Contains(string(body), "pin_hash") {
		t.Fatalf("the kiosk's user cannot read the config after staff-pin: %v: %s", err, body)
	}
}

// TestStaffPINWithoutRootSaysSudo: a technician who forgot sudo is told so,
// before typing the PIN, and the config stays as it was.
func TestStaffPINWithoutRootSaysSudo(t *testing.T) {
	path := filepath.Join(nobodyDir(t), "config.yaml")
	const orig = "commune:\n  name: Xã Ea Tu\n"
	writeDoctorConfig(t, path, orig)
	code, out := tramsoAsNobody(t, "135791\n", "staff-pin", "--pin-stdin", "--config", path)
	if code != 1 || !strings.Contains(out, "sudo tramso staff-pin --config "+path) || strings.Contains(out, "PIN (") {
		t.Fatalf("exit %d, want 1 saying to run it with sudo before asking for the PIN:\n%s", code, out)
	}
	if body, _ := os.ReadFile(path); string(body) != orig {
		t.Fatalf("config changed to %q", body)
	}
}
