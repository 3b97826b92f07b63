package hub

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

// TestExpiredUploadLeadsBackToItsPage: a file upload sent after the
// session ended cannot be carried through the login as a form can; its
// "Đăng nhập lại" leads back to the page it was sent from, not to Thiết bị
// (outside QA: the author then had to find the change again). A page of
// another site is not followed.
func TestExpiredUploadLeadsBackToItsPage(t *testing.T) {
	_, srv := startTestHub(t, Options{})
	const from = "/admin/content/files/tutorials/scam-spotting.yaml?change=3"
	for referer, next := range map[string]string{
		srv.URL + from:                        "/admin/login?next=%2Fadmin%2Fcontent%2Ffiles%2Ftutorials%2Fscam-spotting.yaml%3Fchange%3D3",
		"https://evil.example/admin/devices/": "/admin/login?next=%2Fadmin%2F",
	} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/admin/content/media", strings.NewReader("--x--\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Referer", referer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(html.UnescapeString(body), `href="`+next+`"`) {
			t.Errorf("sent from %s: %d, want a login link to %s: %.2000s", referer, resp.StatusCode, next, body)
		}
	}
}
