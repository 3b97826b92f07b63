package update

import "time"

// clockSkewLimit is how far the kiosk's clock may be from the hub's before
// staff are told to set it. The hub's time reaches the kiosk in whole
// seconds and a welcome's trip takes under a second, so a few seconds of
// difference mean nothing; opening hours are set to the minute and a clock
// that nobody sets drifts a few seconds a day, so 5 minutes catches a clock
// that a resident would notice (the "closed" screen 5 minutes early or late,
// a visit near midnight counted on the wrong day) without waking staff for
// a drift that NTP or the next setting fixes. (tramso doctor, run by a
// technician who is there to fix it, is stricter: 2 minutes.)
const clockSkewLimit = 5 * time.Minute

// clockSkew is how far now (the kiosk's clock) is ahead of the hub's
// serverTime (unix seconds), in whole seconds: negative when the kiosk is
// behind; 0 within clockSkewLimit, or when the hub sent no time.
func clockSkew(serverTime int64, now time.Time) int64 {
	if serverTime <= 0 {
		return 0
	}
	skew := now.Sub(time.Unix(serverTime, 0))
	if skew.Abs() <= clockSkewLimit {
		return 0
	}
	return int64(skew.Round(time.Second) / time.Second)
}

// checkClock compares the kiosk's clock with the hub's time in a welcome:
// once a connection, a WARN when they differ by more than clockSkewLimit,
// and the difference in Status for the staff panel, with when it was found.
// The kiosk's opening hours, closed screen, usage days and daily restart all
// follow its own clock; the hub's welcome is the one other clock a running
// kiosk hears.
func (c *Client) checkClock(serverTime int64) {
	skew := clockSkew(serverTime, time.Now())
	c.mu.Lock()
	c.st.ClockSkewSeconds = skew
	if serverTime > 0 {
		c.st.ClockCheckedAt = time.Unix(serverTime, 0).UTC().Format(time.RFC3339)
	}
	c.mu.Unlock()
	if skew != 0 {
		c.log.Warn("the kiosk's clock differs from the hub's; set it (opening hours, usage days and the closed screen follow it)",
			"kiosk_ahead_by", (time.Duration(skew) * time.Second).String(), "hub_time", time.Unix(serverTime, 0).UTC().Format(time.RFC3339))
	}
}
