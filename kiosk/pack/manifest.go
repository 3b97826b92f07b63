// Package pack owns signed content packs: the manifest and its signatures, the
// pack file that carries them, and the kiosk's content store — blobs by hash,
// staging, the atomic switch between generations, rollback and the trusted
// state that refuses old, replayed or forged packs.
//
// The threat model is The Update Framework's, without its weight: one role (the
// province), keys pinned in the kiosk's config, a strictly increasing content
// generation remembered in SQLite in the same transaction that switches
// content, and every file checked against the signed manifest before it is used.
package pack

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/strictjson"
)

// Format identifies a manifest; FormatVersion is the manifest layout this
// kiosk reads (the content inside has its own schema, content.SchemaVersion).
const (
	FormatName    = "tramso-pack"
	FormatVersion = 1
)

// Limits. They bound what a hostile or broken pack can make a kiosk read,
// store or allocate, and are generous for real content (a lesson's narration
// is a few MB; the whole starter a few tens).
const (
	MaxManifestSize   = 1 << 20
	MaxSignaturesSize = 64 << 10
	MaxFileSize       = 50 << 20
	MaxPackSize       = 500 << 20 // sum of the sizes of the files
	MaxFiles          = 5000      // about 130 manifest bytes each: fits MaxManifestSize
	MaxPathLen        = 512
	MaxTitleLen       = 200
)

// MinGeneration is the lowest generation a pack may have: the embedded starter
// is generation 1, and every pack must be newer than it. The top is the
// protocol's, hubproto.MaxGeneration.
const MinGeneration = 2

// CheckGeneration says whether gen may be a pack's generation:
// MinGeneration..hubproto.MaxGeneration. Build, ParseManifest, Republish and
// the hub's publish all use it, so no pack can carry a generation that some
// other part of the system cannot hold.
func CheckGeneration(gen int64) error {
	if gen < MinGeneration {
		return fmt.Errorf("%w: %d is below %d (the embedded starter is 1)", hubproto.ErrGeneration, gen, MinGeneration)
	}
	return hubproto.CheckGeneration(gen)
}

// File is one file of a pack.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lowercase hex
}

// Manifest lists a pack's files. Its bytes, exactly as signed, are what a
// kiosk verifies; it never re-encodes them.
type Manifest struct {
	Format        string    `json:"format"`
	Schema        int       `json:"schema"`
	ContentSchema int       `json:"content_schema"`
	Generation    int64     `json:"generation"`
	Created       time.Time `json:"created"` // pack build: the time the generation stands for (unix seconds)
	Title         string    `json:"title"`
	Files         []File    `json:"files"`
}

// ParseManifest decodes and checks a manifest: size, strict JSON, known format
// and schemas, generation, and every path, size and hash. Every error is a
// *Rejection. It does not check signatures: use Verify for that.
func ParseManifest(raw []byte) (*Manifest, error) {
	if len(raw) > MaxManifestSize {
		return nil, reject(KindTooLarge, 0, "manifest is %d bytes, the limit is %d", len(raw), MaxManifestSize)
	}
	if !utf8.Valid(raw) {
		return nil, reject(KindBadManifest, 0, "manifest is not UTF-8")
	}
	var m Manifest
	if err := strictjson.Unmarshal(raw, &m); err != nil {
		return nil, reject(KindBadManifest, 0, "manifest is not valid JSON for this format: %v", err)
	}
	if err := m.check(); err != nil {
		return nil, withGeneration(err, namedGeneration(m.Generation))
	}
	return &m, nil
}

func (m *Manifest) check() error {
	switch {
	case m.Format != FormatName:
		return reject(KindBadManifest, 0, "format is %q, want %q", m.Format, FormatName)
	case m.Schema != FormatVersion:
		return reject(KindUnknownSchema, 0, "manifest schema %d is not supported (this kiosk reads %d)", m.Schema, FormatVersion)
	case !content.ReadsSchema(m.ContentSchema):
		return reject(KindUnknownSchema, 0, "content schema %d is not supported (this kiosk reads %d)", m.ContentSchema, content.SchemaVersion)
	case CheckGeneration(m.Generation) != nil:
		return reject(KindBadManifest, 0, "%v", CheckGeneration(m.Generation))
	case m.Created.IsZero():
		return reject(KindBadManifest, 0, "created time is missing")
	case len(m.Title) > MaxTitleLen || !utf8.ValidString(m.Title):
		return reject(KindBadManifest, 0, "title is longer than %d bytes or not UTF-8", MaxTitleLen)
	case len(m.Files) == 0:
		return reject(KindBadManifest, 0, "manifest lists no files")
	case len(m.Files) > MaxFiles:
		return reject(KindTooLarge, 0, "manifest lists %d files, the limit is %d", len(m.Files), MaxFiles)
	}
	return checkFiles(m.Files)
}

// namedGeneration is the generation a refusal may name: an out-of-range one
// is not repeated to the hub (its protocol could not carry it).
func namedGeneration(gen int64) int64 {
	if hubproto.CheckGeneration(gen) != nil {
		return 0
	}
	return gen
}

func checkFiles(files []File) error {
	var total int64
	paths := make(map[string]bool, len(files))
	sizes := make(map[string]int64, len(files))
	for i, f := range files {
		if err := CheckPath(f.Path); err != nil {
			return reject(KindBadPath, 0, "files[%d]: %v", i, err)
		}
		if paths[f.Path] {
			return reject(KindBadPath, 0, "files[%d]: %q is listed twice", i, f.Path)
		}
		paths[f.Path] = true
		if f.Size < 0 || f.Size > MaxFileSize {
			return reject(KindTooLarge, 0, "%s: size %d is outside 0..%d", f.Path, f.Size, MaxFileSize)
		}
		if !validHash(f.SHA256) {
			return reject(KindBadManifest, 0, "%s: sha256 %q is not 64 lowercase hex digits", f.Path, f.SHA256)
		}
		if n, ok := sizes[f.SHA256]; ok && n != f.Size {
			return reject(KindBadManifest, 0, "%s: same sha256 as another file but a different size", f.Path)
		}
		sizes[f.SHA256] = f.Size
		total += f.Size
		if total > MaxPackSize {
			return reject(KindTooLarge, 0, "files add up to more than %d bytes", MaxPackSize)
		}
	}
	// A path that is also a folder of another ("a" and "a/b") cannot both exist on disk.
	for p := range paths {
		for dir := p; ; {
			i := strings.LastIndexByte(dir, '/')
			if i < 0 {
				break
			}
			dir = dir[:i]
			if paths[dir] {
				return reject(KindBadPath, 0, "%q is a file and also the folder of %q", dir, p)
			}
		}
	}
	return nil
}

// CheckPath accepts a relative, slash-separated path that stays inside the
// pack on every filesystem the kiosk or an author might use.
func CheckPath(p string) error {
	switch {
	case p == "":
		return errors.New("path is empty")
	case len(p) > MaxPathLen:
		return fmt.Errorf("path is longer than %d bytes", MaxPathLen)
	case !utf8.ValidString(p):
		return fmt.Errorf("path %q is not UTF-8", p)
	case strings.ContainsRune(p, '\\'):
		return fmt.Errorf("path %q contains a backslash", p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("path %q is absolute", p)
	}
	for _, r := range p {
		if r == 0 || unicode.IsControl(r) {
			return fmt.Errorf("path %q contains a control character", p)
		}
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return fmt.Errorf("path %q has an empty segment", p)
		case ".", "..":
			return fmt.Errorf("path %q has a %q segment", p, seg)
		}
		if len(seg) > 255 {
			return fmt.Errorf("path %q has a segment longer than 255 bytes", p)
		}
	}
	return nil
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// Blobs returns the distinct file contents of the pack, by hash, in the order
// they first appear: what a kiosk must hold and a pack file carries.
func (m *Manifest) Blobs() []File {
	seen := make(map[string]bool, len(m.Files))
	var out []File
	for _, f := range m.Files {
		if !seen[f.SHA256] {
			seen[f.SHA256] = true
			out = append(out, f)
		}
	}
	return out
}

// TotalSize is the number of bytes of the pack's distinct blobs: the most a
// kiosk ever transfers for it.
func (m *Manifest) TotalSize() int64 {
	var n int64
	for _, f := range m.Blobs() {
		n += f.Size
	}
	return n
}

// Marshal encodes the manifest as `pack build` signs it: compact JSON with
// one file per line (readable in `tar xOf pack.tspack manifest.json`), the
// files sorted by path.
func (m *Manifest) Marshal() ([]byte, error) {
	files := append([]File(nil), m.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	head := *m
	head.Created = m.Created.UTC().Truncate(time.Second)
	head.Files = nil
	var buf bytes.Buffer
	if err := appendJSON(&buf, head); err != nil {
		return nil, err
	}
	// Reopen the object's "files" (encoded as null above) as a list, one per line.
	buf.Truncate(buf.Len() - len(`null}`))
	buf.WriteString("[")
	for i, f := range files {
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
		if err := appendJSON(&buf, f); err != nil {
			return nil, err
		}
	}
	buf.WriteString("\n]}\n")
	return buf.Bytes(), nil
}

func appendJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // the Encoder's newline
	return nil
}
