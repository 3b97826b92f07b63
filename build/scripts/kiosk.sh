#!/usr/bin/env bash
# Install what the kiosk needs, build it and start it: the desktop window where a
# display exists, otherwise `tramso serve` with the address printed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_toolchains
apt_install "${APT_BUILD[@]}" "${APT_RUN[@]}"
npm_install
build_frontend
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	build_desktop
	say "starting the kiosk window (--windowed for a normal window; Ctrl+C to stop)"
	exec "$BIN/tramso" "$@"
fi
build_plain
addr="${TRAMSO_ADDR:-127.0.0.1:8080}"
say "no display here: serving the kiosk to a browser at http://$addr/"
exec "$BIN/tramso-server" serve --addr "$addr" "$@"
