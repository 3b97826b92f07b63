package main

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// What dpkg knows about the installed packages.
type dpkgDB struct {
	pkgs     map[string]*pkgInfo
	provides map[string][]string // virtual package → the installed packages providing it
}

type pkgInfo struct {
	base bool     // Essential: yes or Priority: required: in every Debian root
	deps []string // Depends and Pre-Depends, every alternative
}

func readDpkg() (*dpkgDB, error) {
	out, err := exec.Command("dpkg-query", "-W", "-f",
		`${db:Status-Abbrev}\t${Package}\t${Essential}\t${Priority}\t${Provides}\t${Pre-Depends}, ${Depends}\n`).Output()
	if err != nil {
		return nil, err
	}
	db := &dpkgDB{pkgs: map[string]*pkgInfo{}, provides: map[string][]string{}}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 6 || !strings.HasPrefix(f[0], "ii") {
			continue
		}
		info := db.pkgs[f[1]]
		if info == nil {
			info = &pkgInfo{}
			db.pkgs[f[1]] = info
		}
		info.base = info.base || f[2] == "yes" || f[3] == "required"
		info.deps = append(info.deps, pkgNames(f[5])...)
		for _, v := range pkgNames(f[4]) {
			db.provides[v] = append(db.provides[v], f[1])
		}
	}
	return db, nil
}

var versionPart = regexp.MustCompile(`\([^)]*\)|:[a-z0-9]+`)

// pkgNames lists the names in a Depends-style field, alternatives included.
func pkgNames(field string) []string {
	var names []string
	for _, alt := range strings.FieldsFunc(versionPart.ReplaceAllString(field, ""), func(r rune) bool { return r == ',' || r == '|' }) {
		if name := strings.TrimSpace(alt); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// real lists the installed packages a name stands for (itself, or what provides it).
func (db *dpkgDB) real(name string) []string {
	if db.pkgs[name] != nil {
		return []string{name}
	}
	return db.provides[name]
}

func (db *dpkgDB) base(name string) bool {
	for _, p := range db.real(name) {
		if db.pkgs[p].base {
			return true
		}
	}
	return false
}

// from says whether owner is the package pkg or one it depends on directly:
// imagemagick's `import` is in imagemagick-6.q16.
func (db *dpkgDB) from(owner, pkg string) bool {
	for _, p := range db.real(pkg) {
		if p == owner {
			return true
		}
		for _, d := range db.pkgs[p].deps {
			for _, r := range db.real(d) {
				if r == owner {
					return true
				}
			}
		}
	}
	return false
}

// owners asks dpkg, in one call, which package holds each file. A file is
// also tried by its other name across the merged /usr (dpkg may know
// /bin/sh where the path is /usr/bin/sh).
func owners(files []string) map[string]string {
	var ask []string
	for _, f := range files {
		ask = append(ask, f, mergedUsrTwin(f))
	}
	out, _ := exec.Command("dpkg", append([]string{"-S"}, ask...)...).Output() // exits 1 if one is unknown
	byPath := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		pkgs, p, ok := strings.Cut(sc.Text(), ": ")
		if !ok || strings.HasPrefix(pkgs, "diversion by") {
			continue
		}
		first, _, _ := strings.Cut(pkgs, ", ")
		first, _, _ = strings.Cut(first, ":") // drop the architecture
		byPath[p] = first
	}
	result := map[string]string{}
	for _, f := range files {
		if o := byPath[f]; o != "" {
			result[f] = o
		} else if o := byPath[mergedUsrTwin(f)]; o != "" {
			result[f] = o
		}
	}
	return result
}

func mergedUsrTwin(p string) string {
	if rest, ok := strings.CutPrefix(p, "/usr/"); ok {
		return "/" + rest
	}
	return filepath.Join("/usr", p)
}
