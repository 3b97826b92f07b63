#!/usr/bin/env bash
# Test the tramso Debian package, as root:
#   1. build it with build/package.sh (or take DEB=path/to/tramso.deb);
#   2. check it from outside: control fields, dependency list, file list with
#      modes, conffiles, maintainer scripts, desktop entry;
#   3. run the packaged binary in a headless cage session and show that a
#      frozen WebKit stops WATCHDOG=1 (kiosk/watchdog/cage_test.go);
#   4. install it into a throw-away Debian 12 root (mmdebstrap from Debian's
#      mirror, then `apt-get install ./tramso.deb` inside, so apt resolves the
#      declared dependencies) and check there: the user, the data directory,
#      the config's permissions, the unit (systemd-analyze verify) and that it
#      is enabled, that every library the binary needs is installed, that
#      `tramso serve` runs as user tramso with the installed config, doctor,
#      and that purge removes the data;
#   5. upgrade without a prompt, in the same root: config edited as enroll and
#      staff-pin edit it, then `apt-get install -y ./tramso_NEXT.deb` with no
#      stdin keeps it byte for byte. Twice: from this package to a later one
#      whose starting config differs, and from the released layout, which
#      shipped /etc/tramso/config.yaml as a conffile. Both "from" packages are
#      this one repacked with dpkg-deb (seconds, no second build); FROM_DEB=
#      a released tramso .deb of a lower version is the real thing instead.
#      And the control: between two releases of that layout the same upgrade
#      stops at dpkg's prompt; this package then finishes it.
# Measured here: see the report printed at the end (the Debian root takes the most,
# mostly downloading WebKit; the .debs are kept in /var/cache/tramso-test-apt).
# KEEP_ROOT=1 keeps the root for a look afterwards.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

[ "$(id -u)" -eq 0 ] || die "run as root: it builds a Debian root with mmdebstrap and chroots into it"
apt_install "${APT_PACKAGE_TEST[@]}"

if [ -z "${DEB:-}" ]; then
	bash "$ROOT/build/package.sh"
	DEB=$(ls -t "$ROOT"/build/dist/tramso_*.deb | head -n1)
fi
[ -f "$DEB" ] || die "no package at $DEB"
DEB=$(readlink -f "$DEB")

failures=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
check() { # check "what" command...
	local what=$1
	shift
	if "$@" >/tmp/tramso-check.out 2>&1; then pass "$what"; else
		fail "$what"
		sed 's/^/        /' /tmp/tramso-check.out | tail -n 20
	fi
}

say "the package from outside: $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"
field() { dpkg-deb -f "$DEB" "$1"; }
check "Package is tramso" test "$(field Package)" = tramso
check "Architecture is $(dpkg --print-architecture)" test "$(field Architecture)" = "$(dpkg --print-architecture)"
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libsoup-3.0-0 cage xwayland systemd libpam-systemd dbus espeak-ng gstreamer1.0-plugins-good gstreamer1.0-alsa; do
	check "Depends on $dep" grep -qE "(^|, )$dep( |,|$)" <<<"$(field Depends)"
done

listing=$(dpkg-deb -c "$DEB")
has_file() { # has_file MODE PATH
	grep -qE "^$1 [^ ]+ +[0-9]+ [0-9-]+ [0-9:]+ \.$2\$" <<<"$listing"
}
check "/usr/bin/tramso, executable" has_file -rwxr-xr-x /usr/bin/tramso
check "/usr/lib/tramso/kiosk-session, executable" has_file -rwxr-xr-x /usr/lib/tramso/kiosk-session
check "the service unit" has_file -rw-r--r-- /lib/systemd/system/tramso-kiosk.service
check "sysusers.d" has_file -rw-r--r-- /usr/lib/sysusers.d/tramso.conf
check "tmpfiles.d" has_file -rw-r--r-- /usr/lib/tmpfiles.d/tramso.conf
check "the udev rule that mounts a USB stick" has_file -rw-r--r-- /usr/lib/udev/rules.d/90-tramso-usb.rules
check "the PAM session" has_file -rw-r--r-- /etc/pam.d/tramso-kiosk
check "the starting config /usr/share/tramso/config.yaml" has_file -rw-r--r-- /usr/share/tramso/config.yaml
lacks_file() { ! grep -qE " \.$1\$" <<<"$listing"; }
check "no /etc/tramso/config.yaml in the package (postinst creates it: the kiosk's tools rewrite it)" lacks_file /etc/tramso/config.yaml
check "the desktop entry" has_file -rw-r--r-- /usr/share/applications/tramso.desktop
check "the icons" has_file -rw-r--r-- /usr/share/icons/hicolor/256x256/apps/tramso.png
check "the scalable icon" has_file -rw-r--r-- /usr/share/icons/hicolor/scalable/apps/tramso.svg

ctl=$(mktemp -d)
dpkg-deb -e "$DEB" "$ctl"
for f in /etc/default/tramso /etc/pam.d/tramso-kiosk; do
	check "conffile $f" grep -qx "$f" "$ctl/conffiles"
done
check "/etc/tramso/config.yaml is no conffile (an upgrade would prompt)" sh -c "! grep -qx /etc/tramso/config.yaml '$ctl/conffiles'"
for s in postinst prerm postrm; do
	check "$s is valid sh" sh -n "$ctl/$s"
done
check "kiosk-session is valid sh" sh -n "$ROOT/build/linux/kiosk-session"
check "desktop entry validates" desktop-file-validate "$ROOT/build/linux/tramso.desktop"
rm -rf "$ctl"

say "the packaged binary in a real (headless) cage session: a frozen WebKit stops the watchdog"
bin_dir=$(mktemp -d)
chmod 0755 "$bin_dir" # the session runs as an unprivileged user, like the service
dpkg-deb -x "$DEB" "$bin_dir"
check "cage + tramso: READY=1 on the page's first ping, WATCHDOG=1 while it pings, none once WebKit freezes, READY=1 after the restart" \
	sh -c "cd '$ROOT' && TRAMSO_DESKTOP_BIN='$bin_dir/usr/bin/tramso' go test -count=1 -tags cage -run Cage ./kiosk/watchdog/"
rm -rf "$bin_dir"

say "install into a throw-away Debian 12 root"
work=$(mktemp -d /var/tmp/tramso-root.XXXXXX)
R="$work/root"
cache=/var/cache/tramso-test-apt # downloaded .debs, kept for the next run
cleanup() {
	for m in "$R/var/cache/apt/archives" "$R/dev/pts" "$R/dev" "$R/proc" "$R/sys"; do
		mountpoint -q "$m" 2>/dev/null && umount -l "$m"
	done
	[ -n "${KEEP_ROOT:-}" ] && { echo "root kept at $R"; return; }
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
start=$(date +%s)
# A throw-away root needs no fsync after every file (--force-unsafe-io).
mmdebstrap --variant=apt --quiet --skip=cleanup/apt/lists --dpkgopt=force-unsafe-io bookworm "$R" http://deb.debian.org/debian >"$work/mmdebstrap.log" 2>&1 ||
	{ tail -n 30 "$work/mmdebstrap.log"; die "mmdebstrap failed"; }
mkdir -p "$cache/partial"
mount_once() { mountpoint -q "${*: -1}" || mount "$@"; }
mount_once -t proc proc "$R/proc"
mount_once -t sysfs sys "$R/sys"
mount_once --bind /dev "$R/dev"
mount_once --bind /dev/pts "$R/dev/pts"
mount_once --bind "$cache" "$R/var/cache/apt/archives"
cp /etc/resolv.conf "$R/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d" # start nothing in here
chmod 0755 "$R/usr/sbin/policy-rc.d"
cp "$DEB" "$R/tmp/tramso.deb"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
in_root apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-unsafe-io /tmp/tramso.deb >"$work/install.log" 2>&1 ||
	{ tail -n 40 "$work/install.log"; die "apt-get install tramso.deb failed in the Debian root"; }
pass "apt-get install ./tramso.deb resolved and installed its dependencies ($(($(date +%s) - start)) s so far)"

stat_of() { in_root stat -c '%U:%G %a' "$1"; }
passwd=$(in_root getent passwd tramso || true)
check "user tramso exists" test -n "$passwd"
IFS=: read -r _ _ uid _ _ home shell <<<"$passwd"
check "tramso is a system user (uid $uid < 1000)" test "${uid:-9999}" -lt 1000
check "tramso cannot log in ($shell)" test "$shell" = /usr/sbin/nologin
check "tramso's home is the data directory" test "$home" = /var/lib/tramso
groups=$(in_root id -nG tramso)
for g in video render input audio; do
	check "tramso is in group $g" grep -qw "$g" <<<"$groups"
done
check "/var/lib/tramso is tramso:tramso 750" test "$(stat_of /var/lib/tramso)" = "tramso:tramso 750"
check "/etc/tramso is root:tramso 750" test "$(stat_of /etc/tramso)" = "root:tramso 750"
check "/etc/tramso/config.yaml is root:tramso 640" test "$(stat_of /etc/tramso/config.yaml)" = "root:tramso 640"
check "the service is enabled at boot" test -L "$R/etc/systemd/system/multi-user.target.wants/tramso-kiosk.service"
check "systemd-analyze verify tramso-kiosk.service" in_root systemd-analyze verify --man=no /lib/systemd/system/tramso-kiosk.service
check "every library tramso needs is installed (ldd)" sh -c "! chroot '$R' ldd /usr/bin/tramso | grep 'not found'"
check "cage is installed" test -x "$R/usr/bin/cage"
check "espeak-ng has a Vietnamese voice (espeak-ng --voices=vi lists vi)" grep -qE "^ *[0-9]+ +vi " <<<"$(in_root espeak-ng --voices=vi 2>&1 || true)"
for plugin in ogg opus wavparse alsa autodetect; do
	check "GStreamer can play narration: plugin $plugin" sh -c "ls '$R'/usr/lib/*/gstreamer-1.0/libgst$plugin.so >/dev/null"
done
# The USB rule: read-only, through systemd-mount without blocking udev, under
# /media where the kiosk looks (config usb.media_dirs), for a user that exists.
usb_rule=/usr/lib/udev/rules.d/90-tramso-usb.rules
check "the USB rule mounts read-only with systemd-mount --no-block --automount=yes under /media, twice" \
	test "$(grep -c 'RUN{program}+="/usr/bin/systemd-mount --no-block --automount=yes --bind-device --collect -o ro,nosuid,nodev,noexec[, ].*\$devnode /media/usb-%k"' "$R$usb_rule")" = 2
check "systemd-mount is installed where the USB rule runs it" test -x "$R/usr/bin/systemd-mount"
check "the USB rule's owner exists (uid=tramso,gid=tramso)" sh -c "grep -q 'uid=tramso,gid=tramso' '$R$usb_rule' && chroot '$R' getent group tramso"
check "tramso version runs" in_root tramso version

port=$((20000 + RANDOM % 20000))
# Not through in_root: $! must be the process chain (chroot → env → runuser)
# that passes SIGTERM on to tramso.
chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 runuser -u tramso -- \
	tramso serve --addr "127.0.0.1:$port" --data /var/lib/tramso --config /etc/tramso/config.yaml >"$work/serve.log" 2>&1 &
serve=$!
ok=""
for _ in $(seq 1 120); do
	if curl -fsS "http://127.0.0.1:$port/api/health" >"$work/health.json" 2>/dev/null; then ok=1; break; fi
	sleep 1
done
check "tramso serve runs as tramso with the installed config and answers /api/health" test -n "$ok"
[ -n "$ok" ] || sed 's/^/        /' "$work/serve.log"
check "the kiosk's database is in /var/lib/tramso, owned by tramso" test "$(stat_of /var/lib/tramso/tramso.db | cut -d' ' -f1)" = tramso:tramso
kill "$serve" 2>/dev/null || true
wait "$serve" 2>/dev/null || true
# ([t]: the pattern must not match this sh's own command line.)
check "tramso serve stopped on SIGTERM" sh -c \
	"for i in \$(seq 1 20); do pgrep -f '[t]ramso serve --addr 127.0.0.1:$port' >/dev/null || exit 0; sleep 0.5; done; exit 1"

in_root tramso doctor --lang en >"$work/doctor.log" 2>&1 || true
check "doctor: the installed config is valid" grep -q "config   /etc/tramso/config.yaml is valid" "$work/doctor.log"
check "doctor: the data directory is fine" grep -q "/var/lib/tramso exists and is writable" "$work/doctor.log"
check "doctor: no kiosk left running" grep -q "its lock is free" "$work/doctor.log"
check "doctor: WebKit found" grep -q "ok     webkit" "$work/doctor.log"
check "doctor: the kiosk's voice speaks Vietnamese" grep -q "ok     speech .* speaks vi " "$work/doctor.log"
check "doctor: GStreamer can play sound" grep -q "ok     sound" "$work/doctor.log"
sed 's/^/        /' "$work/doctor.log"
in_root tramso doctor >"$work/doctor-vi.log" 2>&1 || true
check "doctor: speaks Vietnamese to the commune technician by default" grep -q "tệp cấu hình /etc/tramso/config.yaml hợp lệ" "$work/doctor-vi.log"

say "upgrades keep the kiosk's config: no prompt, not a byte changed"
version=$(field Version)
# repack NAME VERSION [conffile]: this package as another release, in
# $R/tmp/NAME.deb, with a starting config unlike this one's (under the
# conffile layout, exactly what made dpkg prompt). "conffile": the layout
# released before, /etc/tramso/config.yaml itself shipped as a conffile.
repack() {
	local dir="$work/repack-$1"
	dpkg-deb -R "$DEB" "$dir"
	sed -i "s/^Version: .*/Version: $2/" "$dir/DEBIAN/control"
	printf '# the starting config of %s\n' "$2" >>"$dir/usr/share/tramso/config.yaml"
	if [ "${3:-}" = conffile ]; then
		mv "$dir/usr/share/tramso/config.yaml" "$dir/etc/tramso/config.yaml"
		chmod 0640 "$dir/etc/tramso/config.yaml"
		rmdir "$dir/usr/share/tramso"
		echo /etc/tramso/config.yaml >>"$dir/DEBIAN/conffiles"
	fi
	(cd "$dir" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | xargs -0 md5sum >DEBIAN/md5sums)
	dpkg-deb -Znone -b "$dir" "$R/tmp/$1.deb" >/dev/null
	rm -rf "$dir"
}
apt_deb() { # apt_deb FILE.deb: as a technician or a script would, with no stdin
	in_root apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "/tmp/$1" </dev/null
}
# What enroll, pin-key and staff-pin do to the config on every kiosk.
edit_config() {
	rm -rf "$R/root/province"
	in_root tramso keygen --out /root/province >"$work/keygen.log" 2>&1 || return 1
	local id key
	id=$(sed -n 's/.*(key id \([0-9a-f]*\)).*/\1/p' "$work/keygen.log")
	key=$(sed -n 's/^  - //p' "$work/keygen.log")
	[ -n "$id" ] && [ -n "$key" ] || { echo "keygen's output changed: no key id or key line" >&2; return 1; }
	in_root tramso pin-key --key-id "$id" /root/province/province.pub &&
		printf '246813\n' | in_root tramso staff-pin --pin-stdin &&
		grep -q 'pin_hash:' "$R/etc/tramso/config.yaml" && grep -qF -- "$key" "$R/etc/tramso/config.yaml"
}
no_leftovers() { ! ls "$R"/etc/tramso/config.yaml.* 2>/dev/null | grep -E '\.(dpkg|ucf)-'; }
# upgrade_check WHAT FROM TO TO_VERSION: FROM installed, its config edited, TO over it.
upgrade_check() {
	local what=$1 from=$2 to=$3 to_version=$4 rc=0
	if [ "$from" != - ]; then # -: the one installed
		apt_deb "$from" >"$work/from.log" 2>&1 || { tail -n 20 "$work/from.log"; fail "$what: install $from"; return; }
	fi
	check "$what: the config edited as on a kiosk (pin-key, staff-pin)" edit_config
	cp -p "$R/etc/tramso/config.yaml" "$work/config.before"
	apt_deb "$to" >"$work/upgrade.log" 2>&1 || rc=$?
	check "$what: apt-get install -y ./$to with no stdin exits 0" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || sed 's/^/        /' "$work/upgrade.log" | tail -n 20
	check "$what: dpkg says ii $to_version" test "$(in_root dpkg-query -W -f='${db:Status-Abbrev}${Version}' tramso)" = "ii $to_version"
	check "$what: no conffile prompt" sh -c "! grep -q 'Configuration file' '$work/upgrade.log'"
	check "$what: the config is the kiosk's, byte for byte" cmp "$work/config.before" "$R/etc/tramso/config.yaml"
	check "$what: the config is still root:tramso 640" test "$(stat_of /etc/tramso/config.yaml)" = "root:tramso 640"
	check "$what: no config.yaml.dpkg-* or .ucf-* beside it" no_leftovers
	in_root tramso doctor --lang en >"$work/doctor.log" 2>&1 || true
	check "$what: doctor reads the config valid" grep -q "config   /etc/tramso/config.yaml is valid" "$work/doctor.log"
}
repack tramso-next "$version+next"
upgrade_check "upgrade to a later release" - tramso-next.deb "$version+next"
check "the later release's starting config is installed" grep -q "starting config of $version+next" "$R/usr/share/tramso/config.yaml"

in_root apt-get purge -y -q tramso >"$work/purge.log" 2>&1 || { tail -n 20 "$work/purge.log"; fail "apt-get purge tramso"; }
check "purge removes /var/lib/tramso" test ! -e "$R/var/lib/tramso"
check "purge removes /usr/bin/tramso" test ! -e "$R/usr/bin/tramso"
check "purge leaves no enable link" test ! -e "$R/etc/systemd/system/multi-user.target.wants/tramso-kiosk.service"
check "purge removes the config and /etc/tramso" test ! -e "$R/etc/tramso"

if [ -n "${FROM_DEB:-}" ]; then
	# Same or newer than this package, apt would install nothing and every
	# check below would pass without an upgrade.
	from_version=$(dpkg-deb -f "$FROM_DEB" Version)
	dpkg --compare-versions "$from_version" lt "$version" ||
		die "FROM_DEB is version $from_version, not older than this package's $version (build this one with VERSION=…)"
	cp "$FROM_DEB" "$R/tmp/tramso-released.deb"
	from_what="upgrade from $(basename "$FROM_DEB")"
else
	repack tramso-released "$version~conffile" conffile
	from_what="upgrade from the conffile layout"
fi
upgrade_check "$from_what" tramso-released.deb tramso.deb "$version"
check "$from_what: dpkg keeps the dropped conffile as obsolete (neither removed nor renamed)" \
	grep -q '/etc/tramso/config.yaml [0-9a-f]* obsolete' <<<"$(in_root dpkg-query -W -f='${Conffiles}' tramso)"
in_root apt-get purge -y -q tramso >"$work/purge.log" 2>&1 || { tail -n 20 "$work/purge.log"; fail "apt-get purge tramso"; }
check "$from_what: purge removes the config and /etc/tramso" test ! -e "$R/etc/tramso"

# The control, and kiosks already caught by it: between two releases of the
# conffile layout, the same upgrade stops at dpkg's prompt (iU, the new copy
# in config.yaml.dpkg-new); this package then finishes it.
repack tramso-stuck "$version~conffile2" conffile
stuck="a kiosk stuck at the conffile prompt"
apt_deb tramso-released.deb >"$work/from.log" 2>&1 || { tail -n 20 "$work/from.log"; fail "$stuck: install tramso-released.deb"; }
check "$stuck: the config edited as on a kiosk (pin-key, staff-pin)" edit_config
rc=0
apt_deb tramso-stuck.deb >"$work/stuck.log" 2>&1 || rc=$?
check "control: from the conffile layout to another release of it, apt-get fails at the prompt (exit $rc)" \
	grep -q 'end of file on stdin at conffile prompt' "$work/stuck.log"
check "control: dpkg says iU, that release's config set aside as config.yaml.dpkg-new" \
	test "$(in_root dpkg-query -W -f='${db:Status-Abbrev}' tramso)" = "iU " -a -e "$R/etc/tramso/config.yaml.dpkg-new"
upgrade_check "$stuck, then this package" - tramso.deb "$version"
in_root apt-get purge -y -q tramso >"$work/purge.log" 2>&1 || { tail -n 20 "$work/purge.log"; fail "apt-get purge tramso"; }
check "$stuck: purge removes the config and /etc/tramso" test ! -e "$R/etc/tramso"

elapsed=$(($(date +%s) - start))
if [ "$failures" -gt 0 ]; then
	echo "package test: $failures check(s) failed (Debian root: ${elapsed} s)"
	exit 1
fi
echo "package test: all checks passed (Debian root: ${elapsed} s)"
