#!/usr/bin/env bash
# The window's budget (DESIGN.md: ≤ 200 MiB PSS for the whole process tree,
# ≤ 1.0 s cold start to text visible): builds the frontend and the desktop
# binary, then runs app/bench_window_test.go — the real window under Xvfb with
# a window manager, median of 5 runs — and the same start of build/floor, the
# smallest Wails window (one heading, no kiosk code), the floor under the
# budget on this machine; then the memory of both inside cage, the Wayland
# compositor a kiosk runs the window in (app/bench_cage_test.go, headless).
# It reports and never fails on a slow machine;
# README "Window budget" has the figures and what each one measures.
#
#   bash build/scripts/bench-window.sh                 # as a kiosk runs it
#   WEBKIT_DISABLE_COMPOSITING_MODE=1 bash build/scripts/bench-window.sh   # try a lever
#   TRAMSO_WEBKIT_TUNING=none bash build/scripts/bench-window.sh           # without app/webkit_tuning.go
#
# TRAMSO_BENCH_RUNS (default 5), TRAMSO_XVFB_DISPLAY (a display number, when
# the machine is shared), TRAMSO_SCREENSHOTS (a directory: keeps the frame
# counted as "text visible"), TRAMSO_DESKTOP_BIN (skip the build, use this).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_toolchains
apt_install "${APT_BUILD[@]}" "${APT_RUN[@]}" "${APT_TEST[@]}" cage
npm_install
if [ -z "${TRAMSO_DESKTOP_BIN:-}" ]; then
	build_frontend
	build_desktop
	export TRAMSO_DESKTOP_BIN="$BIN/tramso"
fi
say "window budget: $TRAMSO_DESKTOP_BIN and build/floor under Xvfb, then in cage, ${TRAMSO_BENCH_RUNS:-5} runs each"
cd "$ROOT" && go test -count=1 -tags smoke -run '^$' -bench 'Window(Budget|Floor|Cage)' -benchtime 1x -timeout 40m ./app/
