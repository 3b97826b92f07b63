#!/usr/bin/env bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install "${APT_TEST[@]}"
check "lists the tree" ls -l
in_root only-in-the-root --flag
sh -c "cd /tmp && frobnicate --twice"
"$ROOT/build/bin/made-here" --version
