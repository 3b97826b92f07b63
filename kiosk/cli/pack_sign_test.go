package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackSignOffline: build without the key, sign the manifest with the real
// CLI as on the offline machine, attach the signature, and the pack is byte
// for byte `pack build --key` of the same folder and generation.
func TestPackSignOffline(t *testing.T) {
	tmp := t.TempDir()
	a, b, src := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "src")
	mustRun(t, "keygen", "--out", a)
	mustRun(t, "keygen", "--out", b)
	mustRun(t, "pack", "export-starter", "--out", src)
	keyA, keyB := filepath.Join(a, "province.key"), filepath.Join(b, "province.key")
	pubA, pubB := filepath.Join(a, "province.pub"), filepath.Join(b, "province.pub")

	cases := []struct {
		name     string
		keys     []string // --key for build and sign
		pub      string   // --pub for attach
		wantKeys int      // key ids sign prints
	}{
		{"one key", []string{keyA}, pubA, 1},
		{"key rotation", []string{keyA, keyB}, pubB, 2},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(tmp, strings.ReplaceAll(c.name, " ", "-"))
			os.Mkdir(dir, 0o755)
			signed, unsigned, attached := filepath.Join(dir, "signed.tspack"), filepath.Join(dir, "unsigned.tspack"), filepath.Join(dir, "attached.tspack")
			gen := []string{"--generation", "1796400000"}
			args := append([]string{"pack", "build", "--src", src, "--out", signed}, gen...)
			for _, k := range c.keys {
				args = append(args, "--key", k)
			}
			mustRun(t, args...)
			out := mustRun(t, append([]string{"pack", "build", "--src", src, "--out", unsigned}, gen...)...)
			manifest := filepath.Join(dir, "manifest.json")
			if !strings.Contains(out, "NOT SIGNED") || !strings.Contains(out, "pack sign --key") {
				t.Fatalf("unsigned build does not say what to do next:\n%s", out)
			}
			signArgs := []string{"pack", "sign"}
			for _, k := range c.keys {
				signArgs = append(signArgs, "--key", k)
			}
			out = mustRun(t, append(signArgs, manifest)...)
			if !strings.Contains(out, "generation 1796400000 \"Nội dung khởi đầu Trạm Số\"") || !strings.Contains(out, "manifest sha256 ") ||
				strings.Count(strings.Split(out, "signed by key ")[1], ",") != c.wantKeys-1 {
				t.Fatalf("sign does not show what it signs:\n%s", out)
			}
			mustRun(t, "pack", "attach", "--pub", c.pub, "--sig", filepath.Join(dir, "manifest.sig"), "--out", attached, unsigned)
			want, _ := os.ReadFile(signed)
			got, _ := os.ReadFile(attached)
			if len(want) == 0 || !bytes.Equal(got, want) {
				t.Fatalf("case %d: attached pack (%d bytes) is not the built one (%d bytes)", i, len(got), len(want))
			}
			if out := mustRun(t, "pack", "verify", "--pub", c.pub, attached); !strings.HasPrefix(out, "ok: ") {
				t.Fatalf("verify: %s", out)
			}
		})
	}
}

func TestPackAttachRefuses(t *testing.T) {
	tmp := t.TempDir()
	a, b, src := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "src")
	mustRun(t, "keygen", "--out", a)
	mustRun(t, "keygen", "--out", b)
	mustRun(t, "pack", "export-starter", "--out", src)
	unsigned, other := filepath.Join(tmp, "u.tspack"), filepath.Join(tmp, "other", "u.tspack")
	os.Mkdir(filepath.Join(tmp, "other"), 0o755)
	mustRun(t, "pack", "build", "--src", src, "--out", unsigned, "--generation", "1796400000")
	mustRun(t, "pack", "build", "--src", src, "--out", other, "--generation", "1796400001")
	sign := func(key, manifest, out string) string {
		mustRun(t, "pack", "sign", "--key", filepath.Join(tmp, key, "province.key"), "--out", out, manifest)
		return out
	}
	byB := sign("b", filepath.Join(tmp, "manifest.json"), filepath.Join(tmp, "by-b.sig"))
	otherManifest := sign("a", filepath.Join(tmp, "other", "manifest.json"), filepath.Join(tmp, "other.sig"))
	good := sign("a", filepath.Join(tmp, "manifest.json"), filepath.Join(tmp, "good.sig"))
	data, _ := os.ReadFile(good)
	cut := filepath.Join(tmp, "cut.sig")
	os.WriteFile(cut, data[:len(data)-20], 0o644)

	cases := []struct {
		name, sig, words string
	}{
		{"signed by a key not pinned", byB, "unknown_key"},
		{"signed over another manifest", otherManifest, "bad_signature"},
		{"signature file cut short", cut, "bad_signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(tmp, "out.tspack")
			code, _, errOut := tramso(t, "pack", "attach", "--pub", filepath.Join(a, "province.pub"), "--sig", c.sig, "--out", out, unsigned)
			if code != 1 || !strings.Contains(errOut, c.words) {
				t.Fatalf("exit %d, want 1 saying %q: %s", code, c.words, errOut)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("a refused attach left %s behind (%v)", out, err)
			}
		})
	}
	for file, words := range map[string]string{unsigned: "larger than", good: "kiosks would refuse"} {
		if code, _, errOut := tramso(t, "pack", "sign", "--key", filepath.Join(a, "province.key"), "--out", filepath.Join(tmp, "x.sig"), file); code != 1 || !strings.Contains(errOut, words) {
			t.Fatalf("signing %s instead of a manifest: exit %d: %s", file, code, errOut)
		}
	}
	if code, _, _ := tramso(t, "pack", "build", "--src", src, "--out", unsigned, "--key", filepath.Join(a, "province.key"), "--manifest", "m.json"); code != 2 {
		t.Fatalf("--manifest with --key: exit %d, want 2", code)
	}
}
