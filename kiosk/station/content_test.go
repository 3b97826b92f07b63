package station

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// TestServesAppliedPack: a kiosk serves the pack applied to its data folder
// when its config pins the key that signed it, named on the home screen by
// the title it was published under, and the embedded starter when that pack
// no longer loads.
func TestServesAppliedPack(t *testing.T) {
	dir := t.TempDir()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	var buf bytes.Buffer
	sm, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: 42, Title: "Sửa lệ phí chứng thực", Keys: []ed25519.PrivateKey{key}, Now: time.Now()}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "p.tspack")
	os.WriteFile(file, buf.Bytes(), 0o644)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	packs, err := pack.OpenStore(context.Background(), st)
	if err == nil {
		_, err = packs.ApplyFile(context.Background(), file, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, "usb")
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("hub:\n  province_keys: [\""+strings.TrimSpace(pack.EncodePublicKey(key.Public().(ed25519.PublicKey)))+"\"]\n"), 0o600)
	open := func() *Station {
		s, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	if got := s.Content.Get(); got.Source != content.SourcePack || got.Pack.Meta.Generation != sm.Manifest.Generation {
		t.Fatalf("serves %s generation %d, want the applied pack", got.Source, got.Pack.Meta.Generation)
	}
	// pack.yaml still says "Nội dung khởi đầu Trạm Số" (outside QA s22
	// finding 13: staff took the province's pack for the starter).
	if title := homeContentTitle(t, s); title != "Sửa lệ phí chứng thực" {
		t.Fatalf("the home screen names the content %q, want the pack's title", title)
	}
	s.Close()

	os.Remove(filepath.Join(dir, "content", "generations", "42", "files", "pack.yaml"))
	s = open()
	defer s.Close()
	if got := s.Content.Get(); got.Source != content.SourceEmbedded {
		t.Fatalf("serves %s after the pack broke, want the embedded starter", got.Source)
	}
	status, err := s.Packs.Status(context.Background())
	if err != nil || status.Fallback == "" {
		t.Fatalf("staff status does not say why: %+v, %v", status, err)
	}
	starter, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	if title := homeContentTitle(t, s); title != starter.Meta.Title {
		t.Fatalf("the home screen names the content %q while it shows the starter, %q", title, starter.Meta.Title)
	}
}

// homeContentTitle is the "Nội dung: …" line of the home screen, as the page
// reads it from GET /api/kiosk.
func homeContentTitle(t *testing.T, s *Station) string {
	t.Helper()
	srv := httptest.NewServer(s.Handler(fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/kiosk")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var info struct {
		ContentTitle string `json:"content_title"`
	}
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	return info.ContentTitle
}

// TestRunningKioskTakesInboxPack: `tramso pack apply` on a running kiosk's
// data folder hands the pack over; the kiosk applies it with the keys its
// config pins and switches what it serves.
func TestRunningKioskTakesInboxPack(t *testing.T) {
	dir := t.TempDir()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize))
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("hub:\n  province_keys: [\""+strings.TrimSpace(pack.EncodePublicKey(key.Public().(ed25519.PublicKey)))+"\"]\n"), 0o644)
	var buf bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: 77, Keys: []ed25519.PrivateKey{key}}, &buf); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "p.tspack")
	os.WriteFile(file, buf.Bytes(), 0o644)

	s, err := Open(Options{DataDir: dir, ConfigPath: cfgPath, ConfigExplicit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)

	ticket, err := pack.Enqueue(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	wait, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	res, err := pack.WaitResult(wait, dir, ticket)
	if err != nil || res.Error != "" || res.Generation != 77 {
		t.Fatalf("result %+v, %v", res, err)
	}
	if got := s.Content.Get(); got.Source != content.SourcePack || got.Pack.Meta.Generation != 77 {
		t.Fatalf("serves %s generation %d after the inbox apply", got.Source, got.Pack.Meta.Generation)
	}
}
