#!/usr/bin/env bash
# Build the tramso Debian package: the frontend, the desktop binary
# (WebKitGTK 4.1) and the .deb, from a clean checkout.
#
#   bash build/package.sh            → build/dist/tramso_VERSION_ARCH.deb
#   VERSION=1.2.3 bash build/package.sh
#   SKIP_FRONTEND=1 …                 use frontend/dist as it is
#
# nfpm comes from the Go module proxy at a pinned version (v2.46 and later need
# modules the proxy does not serve; v2.45.2 builds with Go 1.26).
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
VERSION=${VERSION:-$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' "$ROOT/wails.json")}
[ -n "$VERSION" ] || die "no VERSION and no productVersion in wails.json"
ARCH=${ARCH:-$(go env GOARCH)}
DIST="$ROOT/build/dist"
DEB="$DIST/tramso_${VERSION}_${ARCH}.deb"

command -v go >/dev/null || die "Go 1.26 is needed at /usr/local/go or on PATH"
apt_install "${APT_BUILD[@]}"

if [ -z "${SKIP_FRONTEND:-}" ] && [ -f "$ROOT/frontend/package.json" ]; then
	check_toolchains
	npm_install
	build_frontend
else
	say "using frontend/dist as it is"
fi
# A binary without the screens installs cleanly and fails only on the kiosk
# ("this binary holds no screens"): refuse to pack one.
[ -f "$ROOT/frontend/dist/index.html" ] ||
	die "frontend/dist has no index.html: build the frontend first (run without SKIP_FRONTEND=1), or the kiosk would have no screens"

say "go build (desktop, $VERSION) → build/bin/tramso"
# The same flags as build_desktop (lib.sh) but the version: the compile cache is shared.
mkdir -p "$BIN" "$DIST"
(cd "$ROOT" && CGO_ENABLED=1 go build -tags desktop,production,webkit2_41 \
	-ldflags "-w -s -X tramso/kiosk/buildinfo.Version=$VERSION" -o "$BIN/tramso" .)

say "nfpm → ${DEB#"$ROOT"/}"
rm -f "$DEB"
(cd "$ROOT/build/linux" && VERSION=$VERSION ARCH=$ARCH \
	go run "$NFPM" package --config nfpm.yaml --packager deb --target "$DEB")
ls -l "$DEB"
