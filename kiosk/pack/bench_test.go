package pack

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkApplyFile measures a USB-style apply of the starter plus 40 extra
// files to a kiosk on generation A: verify, import blobs, stage, check, switch.
func BenchmarkApplyFile(b *testing.B) {
	template, src := appliedA(b)
	template.st.Close()
	for i := range 40 {
		writeTestFile(fmt.Sprintf("%s/media/test/b%02d.svg", src, i), []byte(svg(2000+i)))
	}
	file, sm := buildPack(b, src, genB)
	b.ReportMetric(float64(len(sm.Manifest.Files)), "files")
	for b.Loop() {
		b.StopTimer()
		k := openKiosk(b, copyDir(b, template.dir))
		b.StartTimer()
		if _, err := k.packs.ApplyFile(context.Background(), file, pinned, "usb"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyManifest measures signature check and parse of a manifest
// listing the most files a pack may have.
func BenchmarkVerifyManifest(b *testing.B) {
	m := manifestOf(genB, nil)
	for i := range MaxFiles {
		m.Files = append(m.Files, File{Path: fmt.Sprintf("media/tutorials/lesson-%03d/step-%02d.webp", i/50, i%50), Size: 20000, SHA256: strings.Repeat(fmt.Sprintf("%x", i%16), 64)})
	}
	raw, err := m.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	sig, _ := Sign(raw, provinceKey)
	b.ReportMetric(float64(len(raw)), "manifest-bytes")
	for b.Loop() {
		if _, err := Verify(raw, sig, pinned); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild measures `pack build` of the starter content.
func BenchmarkBuild(b *testing.B) {
	src := sourceDir(b, nil)
	out, err := os.CreateTemp(b.TempDir(), "p")
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	for b.Loop() {
		out.Seek(0, 0)
		if _, err := Build(os.DirFS(src), BuildOptions{Generation: genA, Keys: []ed25519.PrivateKey{provinceKey}}, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAudit measures the hash check of every file the kiosk serves
// (the starter content as a pack), run once 30 s after each start.
func BenchmarkAudit(b *testing.B) {
	k, _ := appliedA(b)
	m, err := k.packs.readManifest(genA)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := k.packs.Audit(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.TotalSize())/(1<<20), "MiB")
}
