package hub

import (
	"strconv"
	"time"
)

// What the hub believes of what a kiosk reports. A kiosk's clock may run
// ahead (a flat battery, a bad time server) and a kiosk's token is all it
// takes to send anything: a time in 2100 would count an incident as recent
// for ever, a free-disk figure of exabytes would read as fact. Such values
// are made sane at intake, so that what is stored can be shown as it is.

// kioskClockSkew is how far ahead of the hub's clock a kiosk's time is still
// believed: clocks drift, and a report takes a moment to arrive.
const kioskClockSkew = 10 * time.Minute

// kioskTime is the time a kiosk reported (unix seconds, its clock) as the
// hub keeps it: one later than the hub's clock allows (kioskClockSkew) is
// taken as the time the hub received it, and ahead says so.
func kioskTime(at int64, received time.Time) (t time.Time, ahead bool) {
	t = time.Unix(at, 0).UTC()
	if t.After(received.Add(kioskClockSkew)) {
		return received.UTC().Truncate(time.Second), true
	}
	return t, false
}

// fastClock is the device history's note on a time kioskTime did not
// believe: what the kiosk's clock said, and what to do.
func (h *Hub) fastClock(at int64) string {
	return "đồng hồ kiosk báo " + h.formatExact(time.Unix(at, 0)) + ", chạy nhanh: cần chỉnh giờ kiosk"
}

// maxFreeDisk is the most free space a kiosk's report is believed to have:
// far beyond any kiosk's disk (64 TiB), far below a made-up figure.
const maxFreeDisk = 64 << 40

// freeDiskUnknown is the free space stored when a kiosk reported more than
// maxFreeDisk: the console says "không rõ".
const freeDiskUnknown = -1

// believedFreeDisk is a reported free space as the hub keeps it.
func believedFreeDisk(n int64) int64 {
	if n < 0 || n > maxFreeDisk {
		return freeDiskUnknown
	}
	return n
}

// freeDiskText is a kiosk's free space as the console shows it; a figure
// stored by a hub that believed anything is not shown either.
func freeDiskText(n int64) string {
	if believedFreeDisk(n) == freeDiskUnknown {
		return "không rõ (kiosk báo con số không thể có)"
	}
	return humanBytes(n)
}

// freeDiskCSV is a kiosk's free space in the fleet's CSV: bytes, or empty
// when not believed.
func freeDiskCSV(n int64) string {
	if believedFreeDisk(n) == freeDiskUnknown {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
