package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// An address blocked from enrolling by wrong codes: the refusal says until
// when and who can lift it, the codes page lists the block, and an admin
// lifts it for every hub on the database.

// enrollOver posts an enrollment to the hub at base over real HTTP.
func enrollOver(t *testing.T, base, code string) (*http.Response, enrollThrottled) {
	t.Helper()
	body, _ := json.Marshal(enrollRequest{Code: code, Name: "Kiosk"})
	resp, err := http.Post(base+"/api/enroll", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer enrollThrottled
	_ = json.NewDecoder(resp.Body).Decode(&answer)
	return resp, answer
}

var tallyRe = regexp.MustCompile(`name="tally" value="([0-9a-f]+)"`)

func TestEnrollBlockSaysUntilWhenAndAnAdminLiftsIt(t *testing.T) {
	ctx := context.Background()
	h, srv, a := loggedIn(t)
	if err := h.AddAdminUser(ctx, "xem", testPassword, RoleViewer); err != nil {
		t.Fatal(err)
	}
	start := h.now()
	for i := range enrollPerAddress {
		if resp, _ := enrollOver(t, srv.URL, fmt.Sprintf("AAAA-BBBB-%04d", i)); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("wrong code %d: %d", i, resp.StatusCode)
		}
	}
	// Another address, blocked through another hub on the database: listed
	// too, and not lifted with the first.
	other := secondHub(t, h).Handler()
	const stranger = "198.51.100.60"
	for i := range enrollPerAddress {
		enrollFrom(other, stranger, fmt.Sprintf("CCCC-DDDD-%04d", i))
	}

	good, err := h.CreateCode(ctx, "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	resp, answer := enrollOver(t, srv.URL, good)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a good code from a blocked address: %d", resp.StatusCode)
	}
	until, err := time.Parse(time.RFC3339, answer.Until)
	if err != nil || until.Before(start.Add(guessWindow-time.Minute)) || until.After(h.now().Add(guessWindow)) {
		t.Fatalf("until %q (%v), want about %s", answer.Until, err, start.Add(guessWindow).UTC().Format(time.RFC3339))
	}
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || retry < 1 || int64(retry) != answer.RetryAfter || time.Duration(retry)*time.Second > guessWindow {
		t.Fatalf("Retry-After %q, retry_after %d", resp.Header.Get("Retry-After"), answer.RetryAfter)
	}
	for _, want := range []string{answer.Until, "127.0.0.1", "admin can lift", "Mã đăng ký", fmt.Sprintf("in %d seconds", retry)} {
		if !strings.Contains(answer.Error, want) {
			t.Fatalf("the refusal lacks %q: %+v", want, answer)
		}
	}

	_, page := a.get("/admin/codes")
	row := regexp.MustCompile(`(?s)data-testid="enroll-block-127\.0\.0\.1">.*?</tr>`).FindString(page)
	if row == "" || !strings.Contains(row, "Mở chặn") || !strings.Contains(row, `name="csrf"`) || !strings.Contains(row, h.formatExact(until)) {
		t.Fatalf("the codes page does not list the block with its end and a lift:\n%.3000s", page)
	}
	if !strings.Contains(page, `data-testid="enroll-block-`+stranger+`"`) {
		t.Fatalf("the block made through the other hub is not listed:\n%.3000s", page)
	}
	tally := tallyRe.FindStringSubmatch(row)[1]

	// Without the page's token, or from a viewer, nothing is lifted.
	if code, _ := a.post("/admin/codes/unblock", url.Values{"tally": {tally}}, srv.URL); code != http.StatusForbidden {
		t.Fatalf("unblock without the CSRF token: %d", code)
	}
	viewer := newAdmin(t, srv)
	if code := viewer.login("xem", testPassword); code != http.StatusOK {
		t.Fatalf("viewer login: %d", code)
	}
	if code, _ := viewer.post("/admin/codes/unblock", url.Values{"csrf": {viewer.csrf("/admin/")}, "tally": {tally}}, srv.URL); code != http.StatusForbidden {
		t.Fatalf("a viewer lifting an enrollment block: %d", code)
	}
	if resp, _ := enrollOver(t, srv.URL, good); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the block went without an admin lifting it: %d", resp.StatusCode)
	}

	code, body := a.post("/admin/codes/unblock", url.Values{"csrf": {a.csrf("/admin/codes")}, "tally": {tally}}, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, "Đã mở chặn đăng ký") || strings.Contains(body, `data-testid="enroll-block-127.0.0.1"`) {
		t.Fatalf("unblock: %d\n%.3000s", code, body)
	}
	if !strings.Contains(body, `data-testid="enroll-block-`+stranger+`"`) {
		t.Fatal("lifting one address's block lifted the other's")
	}
	if resp, _ := enrollOver(t, srv.URL, good); resp.StatusCode != http.StatusOK {
		t.Fatalf("enrollment with the good code after the lift: %d", resp.StatusCode)
	}
	if got := enrollFrom(other, stranger, "EEEE-FFFF-0000"); got != http.StatusTooManyRequests {
		t.Fatalf("the other address after lifting the first: %d", got)
	}
	// Lifting it again finds nothing, and says so.
	if _, body := a.post("/admin/codes/unblock", url.Values{"csrf": {a.csrf("/admin/codes")}, "tally": {tally}}, srv.URL); !strings.Contains(body, "không còn bị chặn") {
		t.Fatalf("a second lift:\n%.2000s", body)
	}

	entries, _ := h.Audit(ctx, 0, 300)
	var lifts []string
	for _, e := range entries {
		if e.Action == "enroll_unblocked" {
			lifts = append(lifts, e.User+" "+e.Detail)
		}
	}
	if len(lifts) != 1 || !strings.HasPrefix(lifts[0], "tinh đăng ký từ 127.0.0.1: bị chặn") || !strings.Contains(lifts[0], fmt.Sprintf("bỏ %d lần nhập sai", enrollPerAddress)) {
		t.Fatalf("audit of the lift: %q", lifts)
	}
}
