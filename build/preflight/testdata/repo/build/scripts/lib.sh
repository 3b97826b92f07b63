# A miniature of the real lib.sh: the package lists, the installer, and
# wrappers the scanner must see through (check) or leave alone (in_root).
APT_TEST=(xvfb)
apt_install() { apt-get install -y "$@"; }
in_root() { chroot "$R" env -i PATH=/usr/bin "$@"; }
check() {
	local what=$1
	shift
	"$@" || echo "FAIL $what"
}
