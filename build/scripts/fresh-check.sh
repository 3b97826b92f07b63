#!/usr/bin/env bash
# Prove the README's two commands on a machine that has nothing installed by
# hand: a throw-away Debian 12 root (mmdebstrap) holding only what the CI
# machine image promises — Debian 12 (priority "required", i.e. the packages
# every Debian root has), git, ca-certificates, Go 1.26 (/usr/local/go,
# bind-mounted read-only) and Node 20 with npm (copied from this machine) —
# and a clean checkout of the working tree as it would be committed (tracked
# and untracked-not-ignored files; no node_modules, no build outputs).
#
# Each command runs in its own copy of that root, entered with chroot, one
# after the other, so one cannot hide the other's missing install:
#   kiosk.sh  until it answers on its address (browser mode: no display), then stopped;
#   test.sh   with CI=true and no stdin, to the end (it builds its own nested
#             Debian root for the package test, so /proc, /sys and /dev are mounted).
# Prints a timed report and exits non-zero if either fails.
#
# Why a chroot and not systemd-nspawn: CI machines (and this one) do not run
# systemd as PID 1. Why the egress CA certificates are copied: they belong to
# the network, not to the software; without them nothing reaches a registry.
# Downloaded .debs are shared with build/linux/test-package.sh in
# /var/cache/tramso-test-apt: a warm cache saves downloads, never an install.
#
#   bash build/scripts/fresh-check.sh            (as root)
#   ONLY=kiosk|test …                             run one of the two
#   KEEP_ROOT=1 …                                 keep the roots for a look
#   TEST_SCRIPT=build/linux/test-package.sh …     run that instead of test.sh (a part, faster)
# Logs are kept in $LOGS (default /var/tmp/tramso-fresh-logs/<time>).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "run as root: it builds Debian roots with mmdebstrap and chroots into them"
apt_install mmdebstrap curl

MIRRORS=(
	"deb http://deb.debian.org/debian bookworm main"
	"deb http://deb.debian.org/debian bookworm-updates main"
	"deb http://deb.debian.org/debian-security bookworm-security main"
)
CACHE=${TRAMSO_APT_CACHE:-/var/cache/tramso-test-apt} # apt locks it: one run at a time per cache
LOGS=${LOGS:-/var/tmp/tramso-fresh-logs/$(date -u +%Y%m%dT%H%M%SZ)}
WORK=$(mktemp -d /var/tmp/tramso-fresh.XXXXXX)
SRC=/root/tramso # where the checkout sits inside a root
mkdir -p "$LOGS" "$CACHE/partial"

# Every mount point under $WORK, deepest first (the nested package test adds its own).
mounts_under() {
	awk -v w="$WORK/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Processes whose root is inside $WORK were started by this script (a stray
# daemon, a kiosk that ignored SIGTERM); end them by id so the mounts can go.
kill_rooted() {
	local pid root
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		root=$(readlink "/proc/$pid/root" 2>/dev/null) || continue
		case "$root" in "$WORK"/*) kill -KILL "$pid" 2>/dev/null || true ;; esac
	done
}

cleanup() {
	kill_rooted
	local m
	for m in $(mounts_under); do umount -l "$m" 2>/dev/null || true; done
	if [ -n "$(mounts_under)" ]; then
		# Bind mounts share the disk with $WORK: rm would walk into the host's files.
		echo "fresh-check: still mounted, NOT removing $WORK:" >&2
		mounts_under >&2
		return
	fi
	if [ -n "${KEEP_ROOT:-}" ]; then echo "roots kept in $WORK"; else rm -rf --one-file-system "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

REPORT=()
FAILED=0
record() { # record STEP SECONDS RESULT
	REPORT+=("$(printf '%-12s %6s s  %s' "$1" "$2" "$3")")
	[ "$3" = ok ] || FAILED=1
}

# The base root: Debian 12 as the CI image promises it, and the checkout.
bootstrap() {
	local base=$WORK/base
	say "mmdebstrap: Debian 12 (required) + git ca-certificates → $base"
	mmdebstrap --variant=required --include=git,ca-certificates --quiet \
		--skip=cleanup/apt/lists --dpkgopt=force-unsafe-io \
		bookworm "$base" "${MIRRORS[@]}" >"$LOGS/mmdebstrap.log" 2>&1 ||
		{ tail -n 30 "$LOGS/mmdebstrap.log"; return 1; }

	cp /usr/local/share/ca-certificates/*.crt "$base/usr/local/share/ca-certificates/" 2>/dev/null || true
	chroot "$base" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the root"

	say "Go (read-only bind of /usr/local/go) and Node $(node --version) + npm (copied)"
	mkdir -p "$base/usr/local/go" "$base/usr/lib/node_modules"
	cp -a "$(readlink -f "$(command -v node)")" "$base/usr/bin/node"
	cp -a /usr/lib/node_modules/npm "$base/usr/lib/node_modules/npm"
	ln -s ../lib/node_modules/npm/bin/npm-cli.js "$base/usr/bin/npm"
	ln -s ../lib/node_modules/npm/bin/npx-cli.js "$base/usr/bin/npx"

	# Installs may start services; in a root nothing must outlive the run.
	printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d"
	chmod 0755 "$base/usr/sbin/policy-rc.d"

	say "the working tree as it would be committed → $SRC"
	mkdir -p "$base$SRC"
	(cd "$ROOT" && git ls-files -co --exclude-standard -z |
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$base$SRC"
	git -C "$base$SRC" init -q
	git -C "$base$SRC" add -A
	git -C "$base$SRC" -c user.name=fresh-check -c user.email=fresh-check@localhost \
		commit -q -m "working tree for fresh-check"
	echo "  $(git -C "$base$SRC" ls-files | wc -l) files"
}

# A copy of the base root with what a running machine has mounted.
prepare_root() { # prepare_root NAME → prints the root's path
	local r=$WORK/$1
	cp -a --reflink=auto "$WORK/base" "$r"
	mount -t proc proc "$r/proc"
	mount -t sysfs sys "$r/sys"
	mount --bind /dev "$r/dev"
	mount --bind /dev/pts "$r/dev/pts"
	mount -t tmpfs -o mode=1777 shm "$r/dev/shm"
	mount -t tmpfs -o mode=1777 tmp "$r/tmp"
	mount --bind /usr/local/go "$r/usr/local/go"
	mount -o remount,bind,ro "$r/usr/local/go"
	mount --bind "$CACHE" "$r/var/cache/apt/archives"
	mkdir -p "$r/var/cache/tramso-test-apt" # where test-package.sh looks
	mount --bind "$CACHE" "$r/var/cache/tramso-test-apt"
	cp /etc/resolv.conf "$r/etc/resolv.conf"
	echo "$r"
}

# The environment a fresh root login has, plus where this network's CA lives for Node.
ROOT_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	HOME=/root USER=root LOGNAME=root LANG=C.UTF-8 TERM=dumb
	NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)

# kiosk.sh serves forever in browser mode: run it until /api/health answers.
check_kiosk() {
	local r port pid log=$LOGS/kiosk.log
	r=$(prepare_root kiosk)
	port=$((20000 + RANDOM % 20000))
	say "kiosk.sh in a fresh root (log: $log)"
	# Its own session, so stopping it stops everything it started.
	setsid chroot "$r" env -i "${ROOT_ENV[@]}" TRAMSO_ADDR="127.0.0.1:$port" \
		bash -c "cd $SRC && exec bash build/scripts/kiosk.sh" </dev/null >"$log" 2>&1 &
	pid=$!
	local deadline=$((SECONDS + ${KIOSK_TIMEOUT:-2400}))
	while [ $SECONDS -lt $deadline ]; do
		if curl -fsS "http://127.0.0.1:$port/api/health" >"$LOGS/kiosk-health.json" 2>/dev/null; then
			echo "  answers on http://127.0.0.1:$port/: $(cat "$LOGS/kiosk-health.json")"
			kill -TERM -- "-$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 2
	done
	kill -TERM -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	tail -n 40 "$log"
	return 1
}

check_test() {
	local r log=$LOGS/test.log script=${TEST_SCRIPT:-build/scripts/test.sh}
	r=$(prepare_root test)
	say "$script in a fresh root, CI=true, no stdin (log: $log)"
	chroot "$r" env -i "${ROOT_ENV[@]}" CI=true \
		bash -c "cd $SRC && exec bash $script" </dev/null >"$log" 2>&1 ||
		{ tail -n 60 "$log"; return 1; }
	tail -n 3 "$log"
}

# A subshell with errexit on: bash ignores set -e inside an if or || condition.
step() { # step NAME FUNCTION
	local name=$1 start=$SECONDS rc=0
	shift
	set +e
	(set -e; "$@")
	rc=$?
	set -e
	record "$name" $((SECONDS - start)) "$([ $rc -eq 0 ] && echo ok || echo FAILED)"
}

step bootstrap bootstrap
if [ "$FAILED" -eq 0 ]; then
	[ "${ONLY:-kiosk}" = kiosk ] && step kiosk.sh check_kiosk
	[ "${ONLY:-test}" = test ] && step "$(basename "${TEST_SCRIPT:-test.sh}")" check_test
fi

say "fresh-check report (logs in $LOGS)"
printf '  %s\n' "${REPORT[@]}" | tee "$LOGS/report.txt"
exit "$FAILED"
