package pack

import (
	"fmt"
	"io/fs"
	"strings"

	"tramso/kiosk/content"
)

// LintSource returns every problem the kiosk would refuse the source folder
// for: content.Lint (schema, flows, media, translations, links) and the
// pack-level checks — paths, file kinds, sizes and counts. Names starting with
// "." (.git, .DS_Store) are not part of a pack and are skipped.
func LintSource(src fs.FS) content.Problems {
	_, probs := sourceFiles(src)
	probs = append(probs, lintCatalogues(src)...)
	return append(probs, content.Lint(src)...)
}

// mediaProblem holds every file of media/ to the rules the studio's upload
// form holds a new one to (content.MediaProblem): an imported folder, or
// one edited in git, brings files no form checked.
func mediaProblem(src fs.FS, p string, size int64) string {
	if !strings.HasPrefix(p, "media/") {
		return ""
	}
	return content.MediaFileProblem(src, p, size)
}

// sourceFile is one file of a source folder.
type sourceFile struct {
	path string
	size int64
}

// sourceFiles lists the regular files of a source folder that go into a pack.
func sourceFiles(src fs.FS) ([]sourceFile, content.Problems) {
	var files []sourceFile
	var probs content.Problems
	var total int64
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			probs = append(probs, content.Problem{File: p, Message: err.Error()})
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			probs = append(probs, content.Problem{File: p, Message: "is not a regular file (a link or device); a pack holds only plain files"})
			return nil
		}
		if err := CheckPath(p); err != nil {
			probs = append(probs, content.Problem{File: p, Message: err.Error()})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			probs = append(probs, content.Problem{File: p, Message: err.Error()})
			return nil
		}
		if info.Size() > MaxFileSize {
			probs = append(probs, content.Problem{File: p, Message: fmt.Sprintf("is %d bytes; a file may be at most %d (50 MiB)", info.Size(), MaxFileSize)})
		} else if m := mediaProblem(src, p, info.Size()); m != "" {
			probs = append(probs, content.Problem{File: p, Message: m})
		}
		total += info.Size()
		files = append(files, sourceFile{path: p, size: info.Size()})
		return nil
	})
	if err != nil {
		probs = append(probs, content.Problem{File: ".", Message: err.Error()})
	}
	if len(files) > MaxFiles {
		probs = append(probs, content.Problem{File: ".", Message: fmt.Sprintf("%d files; a pack may hold at most %d", len(files), MaxFiles)})
	}
	if total > MaxPackSize {
		probs = append(probs, content.Problem{File: ".", Message: fmt.Sprintf("files add up to %d bytes; a pack may be at most %d (500 MiB)", total, MaxPackSize)})
	}
	return files, probs
}
