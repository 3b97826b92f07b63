package cli

import (
	"os"
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
	if code, _, errOut := runCLI(t, "staff-pin", "--config", path, "--pin-stdin"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := staffpin.Verify(cfg.Staff.PINHash, "135790"); !ok {
		t.Fatal("hash does not verify")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", st.Mode().Perm())
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
		{"mismatch", "123456\n654321\n", "", nil, 1, "differ"},
		{"no input", "", "", []string{"--pin-stdin"}, 1, "read PIN"},
		{"broken config", "123456\n", "idle: [\n", []string{"--pin-stdin"}, 1, "YAML"},
		{"invalid config", "123456\n", "idle:\n  quiet_seconds: 1\n", []string{"--pin-stdin"}, 1, "idle.quiet_seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			if tc.config != "" {
				if err := os.WriteFile(path, []byte(tc.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			withStdin(t, tc.input)
			code, _, errOut := runCLI(t, append([]string{"staff-pin", "--config", path}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Fatalf("exit %d, stderr %q; want %d mentioning %q", code, errOut, tc.code, tc.msg)
			}
			if body, _ := os.ReadFile(path); string(body) != tc.config {
				t.Fatalf("config changed to %q", body)
			}
		})
	}
}
