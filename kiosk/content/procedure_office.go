package content

import (
	"regexp"
	"strings"
	"time"

	"tramso/kiosk/config"
)

// Office is where a procedure's files are received, resolved against the
// commune's overlay in the kiosk config. Known is false when the commune has
// not configured the office: the screen then says "ask the staff" and never
// shows an address it does not have.
type Office struct {
	ID      string   `json:"id"`
	Known   bool     `json:"known"`
	Name    string   `json:"name,omitempty"`
	Address string   `json:"address,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Hours   []string `json:"hours,omitempty"`
	// Today is today's opening hours ("07:30-11:30, 13:30-17:00"); TodayKnown
	// is false when the hours could not be read, and Today is empty on a day
	// the office is closed.
	Today      string `json:"today"`
	TodayKnown bool   `json:"today_known"`
}

// ResolveOffice finds office id in the overlay and works out today's hours.
func ResolveOffice(offices []config.Office, id string, now time.Time) Office {
	for _, o := range offices {
		if o.ID != id {
			continue
		}
		out := Office{ID: id, Known: true, Name: o.Name, Address: o.Address, Phone: o.Phone, Hours: o.Hours}
		out.Today, out.TodayKnown = hoursOn(o.Hours, now.Weekday())
		return out
	}
	return Office{ID: id}
}

// Line is the office as one line for the checklist: "name, address, phone".
func (o Office) Line() string {
	if !o.Known {
		return ""
	}
	parts := []string{o.Name}
	for _, s := range []string{o.Address, o.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Hours lines look like "Mon-Fri 07:30-11:30,13:30-17:00" or, in Vietnamese,
// "T2-T6 07:30-11:30, 13:30-17:00" and "T7 07:30-11:30"; CN is Sunday.
var (
	hoursLine = regexp.MustCompile(`^\s*([A-Za-z0-9]+)(?:\s*-\s*([A-Za-z0-9]+))?\s*:?\s+(.+)$`)
	timeRange = regexp.MustCompile(`^\d{1,2}[:h]\d{2}\s*-\s*\d{1,2}[:h]\d{2}$`)
	dayNames  = map[string]time.Weekday{
		"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
		"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
		"t2": time.Monday, "t3": time.Tuesday, "t4": time.Wednesday, "t5": time.Thursday,
		"t6": time.Friday, "t7": time.Saturday, "cn": time.Sunday,
	}
)

// hoursOn returns the opening hours on day. ok is false when a line cannot
// be read, so the screen shows the lines as written instead of guessing.
func hoursOn(lines []string, day time.Weekday) (string, bool) {
	if len(lines) == 0 {
		return "", false
	}
	var today []string
	for _, line := range lines {
		m := hoursLine.FindStringSubmatch(line)
		if m == nil {
			return "", false
		}
		from, ok1 := dayNames[strings.ToLower(m[1])]
		to, ok2 := from, true
		if m[2] != "" {
			to, ok2 = dayNames[strings.ToLower(m[2])]
		}
		if !ok1 || !ok2 {
			return "", false
		}
		var ranges []string
		for _, r := range strings.Split(m[3], ",") {
			r = strings.TrimSpace(r)
			if !timeRange.MatchString(r) {
				return "", false
			}
			ranges = append(ranges, r)
		}
		if inDays(day, from, to) {
			today = append(today, ranges...)
		}
	}
	return strings.Join(today, ", "), true
}

// inDays reports whether day is in from..to, counting Monday first so that
// "Mon-Sun" and "T2-CN" cover the week.
func inDays(day, from, to time.Weekday) bool {
	idx := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	return idx(from) <= idx(day) && idx(day) <= idx(to)
}
