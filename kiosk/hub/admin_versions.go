package hub

import (
	"cmp"
	"slices"
)

// appVersions counts the kiosks in use by the app version each reports,
// for a province upgrading in waves: hub first, then the kiosks, and packs
// built with the new release only once every kiosk runs it, since an older
// kiosk refuses what it cannot read and keeps its content (README,
// "Upgrading a province"). The console says it where content is published.
type appVersions struct {
	Hub    string         // the hub's own release
	Counts []versionCount // most kiosks first
	Total  int            // kiosks in use
	Other  int            // of them, those reporting a release other than the hub's
	Link   string         // the fleet page listing those
}

// versionCount is the kiosks in use on one release ("": not reported yet).
type versionCount struct {
	Version string
	Kiosks  int
}

// otherVersion says whether d runs a release other than the hub's (a kiosk
// that has not said which is not counted: it has not connected yet).
func (h *Hub) otherVersion(d Device) bool {
	return d.AppVersion != "" && d.AppVersion != h.opts.Version
}

// appVersionsOf counts devs (revoked ones left out).
func (h *Hub) appVersionsOf(devs []Device) appVersions {
	v := appVersions{Hub: h.opts.Version}
	for _, d := range devs {
		if d.Revoked {
			continue
		}
		v.Total++
		if h.otherVersion(d) {
			v.Other++
		}
		i := slices.IndexFunc(v.Counts, func(c versionCount) bool { return c.Version == d.AppVersion })
		if i < 0 {
			i = len(v.Counts)
			v.Counts = append(v.Counts, versionCount{Version: d.AppVersion})
		}
		v.Counts[i].Kiosks++
	}
	// Most kiosks first; among equals the hub's release first, the kiosks
	// that have not said last.
	rank := func(c versionCount) int {
		switch c.Version {
		case v.Hub:
			return 0
		case "":
			return 2
		}
		return 1
	}
	slices.SortFunc(v.Counts, func(a, b versionCount) int {
		return cmp.Or(cmp.Compare(b.Kiosks, a.Kiosks), cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Version, b.Version))
	})
	return v
}
