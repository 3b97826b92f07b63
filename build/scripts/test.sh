#!/usr/bin/env bash
# Install what the tests need and run all of them: Go tests, frontend unit tests,
# end-to-end tests in Debian's Chromium against `tramso serve`, a smoke test of
# the real desktop window under Xvfb, and the Debian package checks.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_toolchains
apt_install "${APT_BUILD[@]}" "${APT_RUN[@]}" "${APT_TEST[@]}" "${APT_PACKAGE_TEST[@]}"
# Before anything slow: every program the tests and scripts invoke has a row in
# build/scripts/programs.tsv, is installed by the scripts that run it, and is
# really here, from that package. Its own tests first: a scanner that finds
# nothing would pass everything.
say "preflight: what the tests invoke is what the scripts install"
(cd "$ROOT/build/preflight" && go vet ./... && go test -count=1 ./... && go run . -root "$ROOT")
npm_install
build_frontend

cd "$ROOT"
say "go vet"
go vet ./...
say "staticcheck (pinned in build/lint/go.mod)"
go tool -modfile=build/lint/go.mod staticcheck ./...
(cd build/preflight && go tool -modfile=../lint/go.mod staticcheck ./...)
say "go test ./... (real SQLite files, real websockets on 127.0.0.1)"
go test -count=1 -timeout 30m ./...

say "the hub's tests again on PostgreSQL (a throwaway server per package; hubs from kiosk/hub/hubtest)"
TRAMSO_HUB_TEST_DB=postgres go test -count=1 -timeout 30m ./kiosk/hub/... ./kiosk/update/... ./kiosk/station/... ./kiosk/cli/...

say "frontend unit tests (vitest)"
(cd frontend && npm test --silent)

build_plain
say "end-to-end tests in Chromium against tramso serve"
(cd frontend && TRAMSO_BIN="$BIN/tramso-server" node --test --test-concurrency=1 e2e/)

build_desktop
say "desktop smoke test: the real Wails window under Xvfb"
TRAMSO_DESKTOP_BIN="$BIN/tramso" go test -count=1 -tags smoke -run 'TestDesktop' -v ./app/ | grep -v '^=== RUN'

if [ -x build/linux/test-package.sh ]; then
	say "Debian package"
	SKIP_FRONTEND=1 build/linux/test-package.sh
fi
say "all tests passed"
