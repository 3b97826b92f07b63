package content

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

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
// "T2-T6 07:30-11:30, 13:30-17:00", "T7 07:30-11:30" (CN is Sunday) and, as
// build/config.example.yaml writes them, "Thứ Hai–Thứ Sáu 07:00–11:30,
// 13:30–17:00": the days run up to the first time, a dash or an en dash
// between the first and the last.
var (
	hoursLine = regexp.MustCompile(`^\s*(.+?)\s*:?\s+(\d{1,2}[:h]\d{2}.*)$`)
	timeRange = regexp.MustCompile(`^\d{1,2}[:h]\d{2}\s*[-–]\s*\d{1,2}[:h]\d{2}$`)
	dayNames  = map[string]time.Weekday{
		"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
		"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
		"t2": time.Monday, "t3": time.Tuesday, "t4": time.Wednesday, "t5": time.Thursday,
		"t6": time.Friday, "t7": time.Saturday, "cn": time.Sunday,
		"thứ hai": time.Monday, "thứ ba": time.Tuesday, "thứ tư": time.Wednesday, "thứ năm": time.Thursday,
		"thứ sáu": time.Friday, "thứ bảy": time.Saturday, "chủ nhật": time.Sunday,
		"thứ 2": time.Monday, "thứ 3": time.Tuesday, "thứ 4": time.Wednesday, "thứ 5": time.Thursday,
		"thứ 6": time.Friday, "thứ 7": time.Saturday,
	}
)

// dayOf reads one day name: any case, any Unicode form, spaces as typed.
func dayOf(s string) (time.Weekday, bool) {
	d, ok := dayNames[strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")]
	return d, ok
}

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
		days := strings.FieldsFunc(m[1], func(r rune) bool { return r == '-' || r == '–' })
		if len(days) == 0 || len(days) > 2 {
			return "", false
		}
		from, ok1 := dayOf(days[0])
		to, ok2 := dayOf(days[len(days)-1])
		if !ok1 || !ok2 {
			return "", false
		}
		var ranges []string
		for _, r := range strings.Split(m[2], ",") {
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
