package hub

import (
	"context"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/pack"
)

// manifestFS is a pack's file tree read straight from the blob store, so the
// hub can load a pack's content the way a kiosk does without laying the
// pack out on disk (or fetching it all from object storage).
type manifestFS struct {
	ctx   context.Context
	blobs BlobStore
	files map[string]pack.File
	dirs  map[string][]fs.DirEntry // "." is the top
}

func newManifestFS(ctx context.Context, blobs BlobStore, m *pack.Manifest) *manifestFS {
	mfs := &manifestFS{ctx: ctx, blobs: blobs, files: map[string]pack.File{}, dirs: map[string][]fs.DirEntry{".": nil}}
	for _, f := range m.Files {
		mfs.files[f.Path] = f
		mfs.add(f.Path, entry{name: path.Base(f.Path), size: f.Size})
	}
	for _, entries := range mfs.dirs {
		slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	return mfs
}

// add lists name in its folder, creating the folders above it as needed.
func (m *manifestFS) add(name string, e entry) {
	dir := path.Dir(name)
	_, known := m.dirs[dir]
	m.dirs[dir] = append(m.dirs[dir], e)
	if !known && dir != "." {
		m.add(dir, entry{name: path.Base(dir), dir: true})
	}
}

// Open implements fs.FS.
func (m *manifestFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := m.files[name]; ok {
		r, _, _, err := m.blobs.Open(m.ctx, f.SHA256)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &blobFile{ReadSeekCloser: r, info: entry{name: path.Base(name), size: f.Size}}, nil
	}
	if entries, ok := m.dirs[name]; ok {
		return &dirFile{info: entry{name: path.Base(name), dir: true}, entries: entries}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// entry describes a file or folder of the tree.
type entry struct {
	name string
	size int64
	dir  bool
}

func (e entry) Name() string               { return e.name }
func (e entry) Size() int64                { return e.size }
func (e entry) ModTime() time.Time         { return time.Time{} }
func (e entry) IsDir() bool                { return e.dir }
func (e entry) Sys() any                   { return nil }
func (e entry) Type() fs.FileMode          { return e.Mode().Type() }
func (e entry) Info() (fs.FileInfo, error) { return e, nil }

func (e entry) Mode() fs.FileMode {
	if e.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

type blobFile struct {
	io.ReadSeekCloser
	info entry
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return f.info, nil }

type dirFile struct {
	info    entry
	entries []fs.DirEntry
	read    int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: fs.ErrInvalid}
}

// ReadDir implements fs.ReadDirFile.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.read:]
	if n <= 0 {
		d.read = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.read += len(rest)
	return slices.Clone(rest), nil
}
