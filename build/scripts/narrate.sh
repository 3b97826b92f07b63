#!/usr/bin/env bash
# Regenerate the starter pack's PLACEHOLDER narration: synthetic speech from
# espeak-ng, until native narrators record it (PROCEDURES.md §4). Each lesson
# step (its title, then its text) and the shell's idle question ("Bạn còn đang
# dùng không?", from frontend/src/i18n/<lang>/shell.json so voice and screen
# agree) is spoken in Vietnamese and, where the text has one, English. Every
# question of the procedures assistant (each procedure's flow and each life
# event's) is spoken in Vietnamese, the question and then its answers read as a
# list ("… Các lựa chọn: A. B."), so a resident who cannot read hears the
# choices; it goes to media/narration/procedures/<flow>/<question>.vi.ogg.
#
# Why this shape:
# - The recordings are the pack's media and are committed, so CI and packers
#   never need espeak-ng or opusenc; only whoever changes a text runs this, by
#   hand, then reviews and commits the result.
# - Reading hand-written YAML needs a real parser and neither bash nor a stock
#   python3 has one, so the YAML half is build/narrate, a small Go command
#   (yaml.v3 + stdlib, vetted with the module). It prints what to say and,
#   with -wire, writes each step's `narration:` field and each question's
#   `audio:` field in place, keeping the
#   files' comments and layout.
# - Ogg Opus at 24 kbit/s mono keeps speech clear at about 3 KB a second; the
#   content validator and the media server both accept .ogg.
# - Idempotent: the Ogg stream serial is fixed and a file is only replaced
#   when its bytes change, so a rerun with unchanged texts changes nothing;
#   recordings no longer listed are removed.
#
# Usage: build/scripts/narrate.sh            (from anywhere in the repository)
# Needs Go; installs espeak-ng and opus-tools (opusenc) if missing, as root.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install espeak-ng opus-tools
command -v go >/dev/null || die "narrate: Go is needed at /usr/local/go or on PATH"

root=$ROOT
cd "$root"
pack=kiosk/content/starter
media=$pack/media

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One line per recording: media path (relative to media/), language, text.
go run ./build/narrate -pack "$pack" -i18n frontend/src/i18n -wire >"$tmp/list"

made=0 changed=0
while IFS=$'\t' read -r rel lang text; do
  out=$media/$rel
  mkdir -p "$(dirname "$out")"
  # Text on stdin, so a text starting with "-" is never read as an option.
  printf '%s' "$text" | espeak-ng -v "$lang" -s 140 -w "$tmp/say.wav"
  # The tags say what this is, for anyone who finds the file on its own.
  opusenc --quiet --bitrate 24 --speech --serial 1 \
    --title "$text" --artist "espeak-ng (synthetic placeholder)" \
    --comment "DESCRIPTION=Synthetic placeholder narration; replace with a human recording" \
    "$tmp/say.wav" "$tmp/say.ogg"
  made=$((made + 1))
  if ! cmp -s "$tmp/say.ogg" "$out"; then
    mv "$tmp/say.ogg" "$out"
    changed=$((changed + 1))
  fi
done <"$tmp/list"

# Drop recordings of steps or languages that no longer exist.
cut -f1 "$tmp/list" | sed "s|^|$media/|" | sort >"$tmp/keep"
find "$media/narration" "$media/shell" -type f -name '*.ogg' 2>/dev/null | sort |
  comm -23 - "$tmp/keep" | while read -r stale; do
    echo "narrate: removing $stale"
    rm -f "$stale"
  done
find "$media/narration" -type d -empty -delete 2>/dev/null || true

echo "narrate: $made recordings, $changed changed; $(du -sh "$media/narration" "$media/shell" | awk '{print $1}' | paste -sd+) in media/narration + media/shell"
