package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorNamesConfigCopiesAnUpgradeLeft: a kiosk whose upgrade answered
// dpkg's conffile prompt with "Y" ran on the package's config, its hub, keys
// and PIN only in config.yaml.dpkg-old; doctor explained each loss but never
// named that file (outside QA, s23).
func TestDoctorNamesConfigCopiesAnUpgradeLeft(t *testing.T) {
	cases := []struct {
		leftovers []string
		want      []string // in the report
	}{
		{nil, nil},
		{[]string{"config.yaml.dpkg-old"}, []string{"config.yaml.dpkg-old was left by a package upgrade that replaced the config: it may hold this kiosk's earlier hub, province keys and staff PIN"}},
		{[]string{"config.yaml.dpkg-dist", "config.yaml.ucf-old"}, []string{"config.yaml.dpkg-dist was left by a package upgrade beside the config", "config.yaml.ucf-old was left by a package upgrade that replaced"}},
		{[]string{"config.yaml.dpkg-new"}, []string{"config.yaml.dpkg-new was left"}},
		// Not the kiosk's config, or not a packaging copy.
		{[]string{"other.yaml.dpkg-old", "config.yaml.dpkg-tmp", "config.yaml.bak", "config.last-good.yaml"}, nil},
	}
	for _, c := range cases {
		d := healthyDoctor(t)
		dir := filepath.Dir(d.configPath)
		for _, name := range c.leftovers {
			writeDoctorConfig(t, filepath.Join(dir, name), "hub:\n  url: ws://hub.example/ws\n")
		}
		faults, out := doctorReport(d)
		if faults != 0 {
			t.Errorf("%v: %d faults, want a leftover to be a warning only:\n%s", c.leftovers, faults, out)
		}
		if got := strings.Count(out, "was left by a package upgrade"); got != len(c.want) {
			t.Errorf("%v: %d leftovers named, want %d:\n%s", c.leftovers, got, len(c.want), out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: report lacks %q:\n%s", c.leftovers, w, out)
			}
		}
		if len(c.want) > 0 && !strings.Contains(out, "fix: compare the two: diff "+filepath.Join(dir, strings.Fields(c.want[0])[0])+" "+d.configPath) {
			t.Errorf("%v: the fix does not give the diff:\n%s", c.leftovers, out)
		}
	}
}

// TestDoctorNamesLeftoversOfABrokenConfig: the leftover matters most when
// the config in use does not even load.
func TestDoctorNamesLeftoversOfABrokenConfig(t *testing.T) {
	d := healthyDoctor(t)
	writeDoctorConfig(t, d.configPath, "idle:\n  warning_seconds: 5\n")
	if err := os.WriteFile(d.configPath+".dpkg-old", []byte("hub: {}\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, out := doctorReport(d); !strings.Contains(out, d.configPath+".dpkg-old was left by a package upgrade") {
		t.Fatalf("a config fault hid the leftover:\n%s", out)
	}
}
