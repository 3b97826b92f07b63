# Shared by the build scripts: where things are, and the checks and installs
# every script needs. Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="$ROOT/build/bin"
export PATH="/usr/local/go/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages: to build the desktop window, to run it, and to test it.
APT_BUILD=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
# To be heard (the .deb depends on the same): the kiosk's voice, and GStreamer
# to play it and the recordings in the window. The tests use them for real.
APT_RUN=(espeak-ng gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-alsa)
APT_TEST=(chromium xvfb matchbox-window-manager imagemagick xdotool x11-utils systemd zbar-tools gettext fontconfig postgresql postgresql-client)
# To test the .deb (build/linux/test-package.sh): a Debian root to install it
# into, and what its checks run. test.sh installs them up front with the rest,
# so its preflight (build/preflight) sees everything installed.
APT_PACKAGE_TEST=(mmdebstrap desktop-file-utils curl cage xwayland procps)

apt_install() {
	local missing=()
	for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "installing ${missing[*]} needs root (run with sudo)"
	say "apt-get install ${missing[*]}"
	if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_toolchains() {
	command -v go >/dev/null || die "Go 1.26 is needed at /usr/local/go or on PATH (Debian 12's golang-go is too old)"
	command -v node >/dev/null || die "Node.js 20 or newer is needed (node and npm on PATH)"
	local major
	major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$major" -ge 20 ] || die "Node.js $(node --version) is too old; Vite needs 20 or newer"
}

# The frontend's npm packages, exactly as locked.
npm_install() {
	if [ ! -d "$ROOT/frontend/node_modules" ] || [ "$ROOT/frontend/package-lock.json" -nt "$ROOT/frontend/node_modules/.package-lock.json" ]; then
		say "npm ci (frontend)"
		(cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}

build_frontend() {
	say "build the frontend"
	(cd "$ROOT/frontend" && npm run build --silent)
}

# The plain binary: serve, hub, pack and the tests. No WebKit linked.
# -buildvcs=auto: stamp the git revision (the version shown) even where GOFLAGS turns it off.
build_plain() {
	say "go build (plain) → build/bin/tramso-server"
	mkdir -p "$BIN"
	(cd "$ROOT" && go build -buildvcs=auto -o "$BIN/tramso-server" .)
}

# The desktop binary: the Wails window, WebKitGTK 4.1.
build_desktop() {
	say "go build (desktop) → build/bin/tramso"
	mkdir -p "$BIN"
	(cd "$ROOT" && go build -buildvcs=auto -tags desktop,production,webkit2_41 -ldflags "-w -s" -o "$BIN/tramso" .)
}
