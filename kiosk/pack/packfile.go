package pack

import (
	"archive/tar"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tramso/kiosk/content"
)

// Names inside a pack file. A pack file is a plain tar (`tar tvf` lists it):
// manifest.json, manifest.sig, then blobs/<sha256> for each distinct file
// content, in Manifest.Blobs order. Nothing else is allowed in it. An
// unsigned pack (BuildUnsigned) is the same without manifest.sig.
const (
	manifestName   = "manifest.json"
	signatureName  = "manifest.sig"
	blobPrefix     = "blobs/"
	packFileSlack  = 64 << 20 // tar headers and padding on top of MaxPackSize
	MaxPackFileLen = MaxPackSize + MaxManifestSize + MaxSignaturesSize + packFileSlack
)

// Republish is the manifest of an earlier pack's files under a new
// generation, to be signed: how the province rolls the fleet back (kiosks
// only ever move forward). Only the manifest changes, so kiosks that still
// hold the blobs transfer nothing. It is unsigned so that a hub whose key is
// kept offline can hold it for its signature.
func Republish(old *Manifest, gen int64, now time.Time) (raw []byte, err error) {
	if err := CheckGeneration(gen); err != nil {
		return nil, fmt.Errorf("republish: %w", err)
	}
	if gen <= old.Generation {
		return nil, fmt.Errorf("republish: generation %d is not above %d", gen, old.Generation)
	}
	m := *old
	m.Generation, m.Created = gen, now
	return m.Marshal()
}

// packTar reads the entries of a pack file, telling the end of its entries
// from the end of its bytes: tar's own reader takes a file that stops at an
// entry's edge for a whole one, and a copy cut short there would then read
// as a pack that lacks its last files, not as a broken copy.
type packTar struct {
	*tar.Reader
	src *countingReader
}

func newPackTar(r io.Reader) *packTar {
	c := &countingReader{r: r}
	return &packTar{Reader: tar.NewReader(c), src: c}
}

// tarEndMark is the size of tar's end-of-archive mark, two zero blocks,
// which every pack file ends with (tar.Writer.Close writes it).
const tarEndMark = 2 * 512

// errCutShort is a pack file that ends without the end-of-archive mark.
var errCutShort = errors.New("the file is cut short (it stops without tar's end mark): copy it again")

// Next is tar's Next, but the end of the file without the end mark is
// errCutShort, not io.EOF. Before the mark tar skips at most the last
// entry's padding (under 512 bytes), so fewer than tarEndMark bytes read
// means the mark was not there.
func (t *packTar) Next() (*tar.Header, error) {
	before := t.src.n
	hdr, err := t.Reader.Next()
	if errors.Is(err, io.EOF) && t.src.n-before < tarEndMark {
		return nil, errCutShort
	}
	return hdr, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Reader reads a pack file: the verified manifest first, then its blobs.
type Reader struct {
	tr     *packTar
	signed *Signed
	want   map[string]File // blobs by sha256 not yet read
	cur    *verifyingReader
}

// NewReader reads the manifest and signature at the start of a pack file and
// verifies them against keys. Every error is a *Rejection.
func NewReader(r io.Reader, keys []ed25519.PublicKey) (*Reader, error) {
	tr := newPackTar(r)
	raw, err := readMember(tr, manifestName, MaxManifestSize)
	if err != nil {
		return nil, err
	}
	sig, err := readMember(tr, signatureName, MaxSignaturesSize)
	if err != nil {
		return nil, err
	}
	sm, err := Verify(raw, sig, keys)
	if err != nil {
		return nil, err
	}
	want := make(map[string]File)
	for _, f := range sm.Manifest.Blobs() {
		want[f.SHA256] = f
	}
	return &Reader{tr: tr, signed: sm, want: want}, nil
}

func readMember(tr *packTar, name string, limit int64) ([]byte, error) {
	hdr, err := tr.Next()
	if err != nil {
		return nil, reject(KindBadPackFile, 0, "not a pack file: cannot read %s: %v", name, err)
	}
	if hdr.Name != name || hdr.Typeflag != tar.TypeReg {
		if name == signatureName && hdr.Typeflag == tar.TypeReg && strings.HasPrefix(hdr.Name, blobPrefix) {
			return nil, reject(KindMissingSignature, 0, "the pack file has no %s", signatureName)
		}
		return nil, reject(KindBadPackFile, 0, "expected %s, found %q", name, hdr.Name)
	}
	if hdr.Size > limit {
		return nil, reject(KindTooLarge, 0, "%s is %d bytes, the limit is %d", name, hdr.Size, limit)
	}
	b, err := io.ReadAll(io.LimitReader(tr, limit))
	if err != nil {
		return nil, reject(KindBadPackFile, 0, "read %s: %v", name, err)
	}
	return b, nil
}

// Signed is the verified manifest.
func (r *Reader) Signed() *Signed { return r.signed }

// Next returns the next blob and a reader of its bytes. Reading it to the end
// returns a *Rejection instead of io.EOF when the size or sha256 is wrong; a
// blob not read to the end is read and checked by the next call. At the end
// of the file Next returns io.EOF, or a *Rejection if a blob was missing.
func (r *Reader) Next() (File, io.Reader, error) {
	gen := r.signed.Manifest.Generation
	if r.cur != nil {
		if _, err := io.Copy(io.Discard, r.cur); err != nil {
			return File{}, nil, withGeneration(err, gen)
		}
		r.cur = nil
	}
	hdr, err := r.tr.Next()
	if errors.Is(err, io.EOF) {
		for _, f := range r.want {
			return File{}, nil, reject(KindMissingFile, gen, "the pack file lacks %s (%s)", f.Path, f.SHA256)
		}
		return File{}, nil, io.EOF
	}
	if err != nil {
		return File{}, nil, reject(KindBadPackFile, gen, "read pack file: %v", err)
	}
	sha, ok := strings.CutPrefix(hdr.Name, blobPrefix)
	if !ok || hdr.Typeflag != tar.TypeReg {
		return File{}, nil, reject(KindBadPackFile, gen, "unexpected entry %q in the pack file", hdr.Name)
	}
	f, ok := r.want[sha]
	if !ok {
		return File{}, nil, reject(KindBadPackFile, gen, "entry %q is not a file of the manifest, or comes twice", hdr.Name)
	}
	delete(r.want, sha)
	if hdr.Size != f.Size {
		return File{}, nil, reject(KindSizeMismatch, gen, "%s is %d bytes in the pack file, the manifest says %d", f.Path, hdr.Size, f.Size)
	}
	r.cur = &verifyingReader{r: tarBody{r.tr, gen}, f: f, h: sha256.New(), gen: gen}
	return f, r.cur, nil
}

// tarBody reads an entry's bytes; a pack file cut short (a USB copy that
// stopped) is the pack's fault, so it is a rejection, not an I/O error.
type tarBody struct {
	tr  *packTar
	gen int64
}

func (b tarBody) Read(p []byte) (int, error) {
	n, err := b.tr.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, reject(KindBadPackFile, b.gen, "read pack file: %v", err)
	}
	return n, err
}

// verifyingReader passes a blob through, and at its end checks size and hash.
type verifyingReader struct {
	r   io.Reader
	f   File
	h   hash.Hash
	n   int64
	gen int64
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.n += int64(n)
	v.h.Write(p[:n])
	if v.n > v.f.Size {
		return n, reject(KindSizeMismatch, v.gen, "%s is longer than the %d bytes the manifest says", v.f.Path, v.f.Size)
	}
	if errors.Is(err, io.EOF) {
		if v.n != v.f.Size {
			return n, reject(KindSizeMismatch, v.gen, "%s is %d bytes, the manifest says %d", v.f.Path, v.n, v.f.Size)
		}
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.f.SHA256 {
			return n, reject(KindHashMismatch, v.gen, "%s has sha256 %s, the manifest says %s", v.f.Path, got, v.f.SHA256)
		}
	}
	return n, err
}

// VerifyFile checks a pack file the way a kiosk would, without any kiosk
// state: signature, container, every size and hash, and that the content
// loads. Every error is a *Rejection.
func VerifyFile(path string, keys []ed25519.PublicKey) (*Signed, error) {
	f, r, err := openPackFile(path, keys)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tmp, err := os.MkdirTemp("", "tramso-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	blobs := filepath.Join(tmp, "blobs")
	if err := os.Mkdir(blobs, 0o700); err != nil {
		return nil, err
	}
	for {
		bf, body, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := createFile(filepath.Join(blobs, bf.SHA256), body, 0o600, false); err != nil {
			return nil, withGeneration(err, r.Signed().Manifest.Generation)
		}
	}
	sm := r.Signed()
	tree := filepath.Join(tmp, "files")
	if err := buildTree(tree, blobs, sm.Manifest, false); err != nil {
		return nil, err
	}
	if _, err := loadTree(tree, sm.Manifest); err != nil {
		return nil, err
	}
	return sm, nil
}

// openPackFile opens a pack file and verifies its manifest; the caller
// closes the file once it has read the blobs.
func openPackFile(path string, keys []ed25519.PublicKey) (*os.File, *Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if err := checkPackFileSize(f); err != nil {
		f.Close()
		return nil, nil, err
	}
	r, err := NewReader(f, keys)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, r, nil
}

func checkPackFileSize(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() > MaxPackFileLen {
		return reject(KindTooLarge, 0, "the pack file is %d bytes, the limit is %d", info.Size(), int64(MaxPackFileLen))
	}
	return nil
}

// loadTree loads a staged tree as content. The manifest's generation, which
// is signed, is the pack's generation whatever pack.yaml says.
func loadTree(dir string, m *Manifest) (*content.Pack, error) {
	p, err := content.Load(os.DirFS(dir))
	if err != nil {
		return nil, reject(KindBadContent, m.Generation, "the content does not load: %v", err)
	}
	p.Meta.Generation = m.Generation
	// The manifest's title names this pack among the province's packs (the
	// hub's console and the staff panel say it); pack.yaml's names the
	// content, which the studio never renames (outside QA s22 finding 13:
	// the home screen read the starter's title after the province's pack).
	if m.Title != "" {
		p.Meta.Title = m.Title
	}
	return p, nil
}
