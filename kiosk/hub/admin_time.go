package hub

import (
	"fmt"
	"time"
)

// The console shows times as province staff read them: in the province's
// zone (Options.Zone), day first ("04/12/2026 11:05"), and recent ones as
// "5 phút trước" with the exact time beside them for whoever needs it. The
// database keeps RFC 3339 UTC; nothing in the console shows that.
const (
	exactLayout = "02/01/2006 15:04"
	dayLayout   = "02/01/2006"
)

// timeView is a moment ready for the "time" template.
type timeView struct {
	ISO   string // for <time datetime>: machine-readable, never shown
	Exact string // "04/12/2026 11:05", in the province's zone
	Text  string // what the page shows: relative when recent
}

// describeTime says when t was, as seen at now in loc.
func describeTime(t, now time.Time, loc *time.Location) timeView {
	t, now = t.In(loc), now.In(loc)
	v := timeView{ISO: t.UTC().Format(time.RFC3339), Exact: t.Format(exactLayout)}
	v.Text = v.Exact
	d := now.Sub(t)
	ty, tm, td := t.Date()
	yy, ym, yd := now.AddDate(0, 0, -1).Date()
	switch {
	case d < -time.Minute: // the future (a code's expiry): the exact time says it best
	case d < time.Minute:
		v.Text = "vừa xong"
	case d < time.Hour:
		v.Text = fmt.Sprintf("%d phút trước", int(d/time.Minute))
	case d < 24*time.Hour:
		v.Text = fmt.Sprintf("%d giờ trước", int(d/time.Hour))
	case ty == yy && tm == ym && td == yd:
		v.Text = "hôm qua, " + t.Format("15:04")
	}
	return v
}

// parseStamp reads a time the hub stored.
func parseStamp(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

// formatDay turns a stored day (2026-12-04) into 04/12/2026.
func formatDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format(dayLayout)
}

func (h *Hub) formatExact(t time.Time) string { return t.In(h.opts.Location).Format(exactLayout) }

// timeView describes t for a page, as of now in the province's zone.
func (h *Hub) timeView(t time.Time) timeView { return describeTime(t, h.now(), h.opts.Location) }

// timeViewOf describes a stored time; an empty or unreadable one says so.
func (h *Hub) timeViewOf(stamp string) timeView {
	t, ok := parseStamp(stamp)
	if !ok {
		return timeView{Text: "chưa có"}
	}
	return h.timeView(t)
}
