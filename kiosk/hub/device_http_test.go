package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func deviceGet(t *testing.T, url, token, rng string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// deviceSend sends body to url as the device with token ("" for none) and
// returns the status.
func deviceSend(t *testing.T, method, url, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBlobsServedWithRange(t *testing.T) {
	for _, bs := range blobStores {
		t.Run(bs.name, func(t *testing.T) { testBlobsServedWithRange(t, bs.open(t)) })
	}
}

func testBlobsServedWithRange(t *testing.T, blobs BlobStore) {
	h, srv := startTestHub(t, Options{Blobs: blobs})
	_, token := newDevice(t, h)
	blob := bytes.Repeat([]byte("0123456789"), 10000)
	sum := sha256.Sum256(blob)
	sha := hex.EncodeToString(sum[:])
	if err := h.Blobs().Put(context.Background(), sha, int64(len(blob)), bytes.NewReader(blob)); err != nil {
		t.Fatal(err)
	}
	if err := h.Blobs().Put(context.Background(), sha, 5, bytes.NewReader(blob)); err == nil {
		t.Fatal("stored a blob that does not match its size")
	}
	url := srv.URL + "/blobs/" + sha
	if resp, _ := deviceGet(t, url, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("blob without a device token: %d", resp.StatusCode)
	}
	resp, body := deviceGet(t, url, token, "bytes=1000-1999")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, blob[1000:2000]) ||
		resp.Header.Get("Content-Range") != "bytes 1000-1999/100000" {
		t.Fatalf("range: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(body))
	}
	if resp, body := deviceGet(t, url, token, ""); resp.StatusCode != http.StatusOK || !bytes.Equal(body, blob) {
		t.Fatalf("whole blob: %d", resp.StatusCode)
	}
	if resp, _ := deviceGet(t, srv.URL+"/blobs/"+strings.Repeat("0", 64), token, ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing blob: %d", resp.StatusCode)
	}
	if resp, _ := deviceGet(t, srv.URL+"/blobs/..%2f..%2fhub.db", token, ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("path escape: %d", resp.StatusCode)
	}
	if resp, body := deviceGet(t, srv.URL+"/api/device/target", token, ""); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"generation":0`) {
		t.Fatalf("target: %d %s", resp.StatusCode, body)
	}
}

func TestUsageUpload(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h, srv := startTestHub(t, Options{Now: func() time.Time { return now }})
	id, token := newDevice(t, h)
	post := func(body string) int { return deviceSend(t, http.MethodPost, srv.URL+"/api/device/usage", token, body) }
	day1 := `[{"day":"2026-11-26","metric":"sessions","count":42},{"day":"2026-11-26","metric":"tutorial_opened","key":"vneid-kich-hoat","count":12}]`
	if code := post(day1); code != http.StatusOK {
		t.Fatalf("upload: %d", code)
	}
	// Sending a day again replaces it.
	if code := post(`[{"day":"2026-11-26","metric":"sessions","count":43}]`); code != http.StatusOK {
		t.Fatalf("upload again: %d", code)
	}
	for _, bad := range []string{`{}`, `[{"day":"yesterday","metric":"sessions","count":1}]`,
		`[{"day":"2026-11-26","metric":"sessions","count":-1}]`, `[{"day":"2026-11-26","metric":"Sessions!","count":1}]`,
		`[{"day":"2026-11-26","metric":"sessions","count":1,"name":"Nguyễn Văn A"}]`} {
		if code := post(bad); code != http.StatusBadRequest {
			t.Errorf("accepted %s: %d", bad, code)
		}
	}
	rows, err := h.Usage(context.Background(), "2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Count != 43 || rows[0].DeviceID != id {
		t.Fatalf("stored usage: %+v", rows)
	}
}
