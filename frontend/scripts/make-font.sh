#!/bin/sh
# Regenerates the bundled font subsets in src/fonts/ (committed; the build does
# not run this). Why not @fontsource/noto-sans: none of its subset files holds
# U+0306 COMBINING BREVE, which Ê Đê and M'nông write on ê ô ơ ư (Ê̆ Ô̆ Ơ̆ Ư̆),
# so those clusters would fall back to a system font. The Google Fonts static
# Noto Sans (OFL) has every glyph; we keep Latin, Latin Extended-A/B,
# Vietnamese and the combining marks, with all OpenType layout features (mark
# and mkmk stack the breve over the circumflex/horn).
# Needs: npm, and Debian's python3-fonttools python3-brotli (pyftsubset).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @expo-google-fonts/noto-sans@0.4.2 >/dev/null && tar xzf ./*.tgz)
ranges="U+0000-024F,U+0250-02FF,U+0300-036F,U+1AB0-1AFF,U+1DC0-1DFF,U+1E00-1EFF,U+2000-206F,U+20AB,U+20AC,U+2122,U+2190-2193,U+2212,U+25CC,U+FEFF,U+FFFD"
for w in 400Regular 700Bold; do
	/usr/bin/python3 -m fontTools.subset "$tmp/package/$w/NotoSans_$w.ttf" \
		--unicodes="$ranges" --layout-features='*' --flavor=woff2 \
		--output-file="$here/src/fonts/NotoSans-$(echo $w | cut -c1-3).woff2"
done
ls -l "$here/src/fonts"
