package cli

import (
	"os"
	"path/filepath"
	"strings"
)

// checkConfigLeftovers names the copies dpkg or ucf leaves beside the config
// after an upgrade met a changed config: earlier releases shipped
// /etc/tramso/config.yaml as a conffile, so answering dpkg's prompt with "Y"
// put the package's file in place and kept the kiosk's own (its hub, pinned
// keys and staff PIN hash) only in config.yaml.dpkg-old, where nothing reads
// it (outside QA, s23).
func (d *doctor) checkConfigLeftovers() []finding {
	dir, base := filepath.Split(d.configPath)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // the config check says why the folder cannot be read
	}
	var out []finding
	for _, e := range entries {
		suffix, ok := strings.CutPrefix(e.Name(), base+".")
		if !ok || !isPackagingLeftover(suffix) {
			continue
		}
		left := filepath.Join(dir, e.Name())
		f := finding{check: "config", level: levelWarn,
			fix: msg("compare the two: diff %s %s; copy what the config lacks into it (hub.url, hub.province_keys, staff.pin_hash), check with `tramso doctor`, then remove %s",
				left, d.configPath, left)}
		if strings.HasSuffix(suffix, "-old") || strings.HasSuffix(suffix, "-bak") {
			f.say = msg("%s was left by a package upgrade that replaced the config: it may hold this kiosk's earlier hub, province keys and staff PIN", left)
		} else {
			f.say = msg("%s was left by a package upgrade beside the config: the config in use or this file may lack this kiosk's hub, province keys and staff PIN", left)
		}
		out = append(out, f)
	}
	return out
}

// isPackagingLeftover reports whether a file named config.yaml.SUFFIX is one
// dpkg (conffile prompt, rm_conffile) or ucf sets aside; .dpkg-tmp is dpkg's
// own while it writes, not a copy anyone should compare.
func isPackagingLeftover(suffix string) bool {
	switch suffix {
	case "dpkg-old", "dpkg-dist", "dpkg-new", "dpkg-bak", "dpkg-backup", "dpkg-remove":
		return true
	}
	return strings.HasPrefix(suffix, "ucf-")
}
