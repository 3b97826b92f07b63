package hubproto

// UsageAnswer is the hub's 200 answer to POST /api/device/usage. Days the
// hub does not take are skipped and the rest stored: a kiosk whose clock
// runs a day ahead sent the province no figures at all when one bad day
// refused the whole upload (outside QA). Malformed uploads still get a 4xx.
type UsageAnswer struct {
	Stored  int          `json:"stored"`            // totals stored
	Skipped []SkippedDay `json:"skipped,omitempty"` // days not stored, each once, in the order sent
}

// SkippedDay is one calendar day of an upload that the hub did not store.
type SkippedDay struct {
	Day    string `json:"day"`    // YYYY-MM-DD, as sent
	Reason string `json:"reason"` // SkippedFuture or SkippedTooOld
}

// Why the hub skips a day.
const (
	SkippedFuture = "future"  // after today in the province: the kiosk's clock is ahead
	SkippedTooOld = "too_old" // before the days the hub keeps
)
