package hours

import (
	"slices"
	"time"
)

// Override is staff's exception to the weekly hours, set in the staff panel:
// open from From until Until (an evening class, a Sunday meeting), or closed
// from From until Until (Tết, closed for the rest of the day). It ends by
// itself at Until. The zero Override changes nothing.
type Override struct {
	Open        bool
	From, Until time.Time
}

// Active says whether o is in force at now.
func (o Override) Active(now time.Time) bool {
	return !o.Until.IsZero() && !now.Before(o.From) && now.Before(o.Until)
}

// AtWith is At with staff's override applied. An opening is joined with the
// week's openings it touches; a closing takes From..Until out of them. An
// override that has ended still counts in the past it covers: a kiosk opened
// until 21:00 has been closed since 21:00, not since 17:00.
func (s Schedule) AtWith(now time.Time, o Override) Status {
	if o.Until.IsZero() || !o.Until.After(o.From) {
		return s.At(now)
	}
	if s.Always {
		// Open all the time but for a closing: nothing else can change it.
		if !o.Open && o.Active(now) {
			return Status{OpensAt: o.Until, ClosedSince: o.From}
		}
		return Status{Open: true}
	}
	loc := s.Loc
	if loc == nil {
		loc = time.Local
	}
	now = now.In(loc)
	ivs := s.intervals(now, loc)
	if o.Open {
		ivs = join(append(ivs, interval{o.From.In(loc), o.Until.In(loc)}))
	} else {
		ivs = cut(ivs, interval{o.From.In(loc), o.Until.In(loc)})
	}
	return statusAt(now, s.Week[now.Weekday()], ivs)
}

// statusAt is the status at now among openings ivs, sorted and apart.
func statusAt(now time.Time, today []Span, ivs []interval) Status {
	st := Status{Today: today}
	for _, iv := range ivs {
		switch {
		case !iv.to.After(now):
			st.ClosedSince = iv.to
		case !iv.from.After(now):
			st.Open, st.ClosesAt = true, iv.to
		case st.OpensAt.IsZero() && !st.Open:
			st.OpensAt = iv.from
		}
	}
	if st.Open {
		st.ClosedSince = time.Time{}
	}
	return st
}

// join sorts openings and joins those that touch or overlap.
func join(ivs []interval) []interval {
	slices.SortFunc(ivs, func(a, b interval) int { return a.from.Compare(b.from) })
	var out []interval
	for _, iv := range ivs {
		if n := len(out); n > 0 && !iv.from.After(out[n-1].to) {
			if iv.to.After(out[n-1].to) {
				out[n-1].to = iv.to
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// cut takes the closing c out of openings ivs.
func cut(ivs []interval, c interval) []interval {
	var out []interval
	for _, iv := range ivs {
		if !iv.to.After(c.from) || !iv.from.Before(c.to) {
			out = append(out, iv)
			continue
		}
		if iv.from.Before(c.from) {
			out = append(out, interval{iv.from, c.from})
		}
		if iv.to.After(c.to) {
			out = append(out, interval{c.to, iv.to})
		}
	}
	return out
}

// ClosedForToday is when "closed for today" from now ends: the start of the
// first opening that begins on a later day than now (in the schedule's
// zone), so that the rest of today's openings stay shut and a night's
// opening running past midnight with them. Without such an opening in the
// coming week (no hours set, or none that start on another day), it is the
// next midnight.
func (s Schedule) ClosedForToday(now time.Time) time.Time {
	loc := s.Loc
	if loc == nil {
		loc = time.Local
	}
	now = now.In(loc)
	y, m, d := now.Date()
	tomorrow := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	if !s.Always {
		for _, iv := range s.intervals(now, loc) {
			if !iv.from.Before(tomorrow) {
				return iv.from
			}
		}
	}
	return tomorrow
}

// Choices are what staff may do with the hours at now, o in force: the
// "Giờ mở cửa" card in the staff panel offers these and nothing else.
type Choices struct {
	// OpenUntil are the times staff may open the kiosk until, soonest
	// first: every whole hour at least 45 minutes away (an opening ends at
	// a time people say: "đến 20:00") up to 21:00 today (an evening class,
	// arranged during the day), and three at least.
	// While the kiosk is open, only those after it closes: "Mở thêm đến".
	// None without opening hours: such a kiosk is open but for a closing.
	OpenUntil []time.Time
	// CanClose says whether "closed for today" changes anything: the kiosk
	// is open, or today still has an opening ahead (before opening time, at
	// lunch: a funeral at noon closes the afternoon).
	CanClose bool
	// CloseUntil is when the kiosk opens again if closed for today.
	CloseUntil time.Time
}

// ChoicesAt is what staff may do with the hours at now, o in force.
func (s Schedule) ChoicesAt(now time.Time, o Override) Choices {
	loc := s.Loc
	if loc == nil {
		loc = time.Local
	}
	now = now.In(loc)
	st := s.AtWith(now, o)
	c := Choices{CloseUntil: s.ClosedForToday(now)}
	c.CanClose = st.Open || (!st.OpensAt.IsZero() && st.OpensAt.Before(c.CloseUntil))
	if s.Always {
		return c
	}
	for _, at := range openHours(now) {
		if !st.Open || at.After(st.ClosesAt) {
			c.OpenUntil = append(c.OpenUntil, at)
		}
	}
	return c
}

// openHours are the whole hours from the first at least 45 minutes from now
// up to 21:00 today, and three at least.
func openHours(now time.Time) []time.Time {
	first := now.Add(45*time.Minute + time.Hour - time.Nanosecond)
	first = time.Date(first.Year(), first.Month(), first.Day(), first.Hour(), 0, 0, 0, now.Location())
	y, m, d := now.Date()
	last := time.Date(y, m, d, 21, 0, 0, 0, now.Location())
	if last.Before(first.Add(2 * time.Hour)) {
		last = first.Add(2 * time.Hour) // three to choose from, late in the day too
	}
	var out []time.Time
	for at := first; !at.After(last); at = at.Add(time.Hour) {
		out = append(out, at)
	}
	return out
}
