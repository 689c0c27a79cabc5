#!/usr/bin/env bash
# Copies the front-end assets Vigie serves from node_modules into static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=static/vendor
mkdir -p "$vendor/fonts"
copy() { cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
copy node_modules/@picocss/pico/css/pico.min.css "$vendor/pico.min.css"
font_dir=node_modules/@fontsource/atkinson-hyperlegible-next/files
for weight in 400 700; do
  for style in normal italic; do
    suffix=$([[ $style == italic ]] && echo "-italic" || echo "")
    copy "$font_dir/atkinson-hyperlegible-next-latin-$weight-$style.woff2" "$vendor/fonts/atkinson-$weight$suffix.woff2"
    copy "$font_dir/atkinson-hyperlegible-next-latin-ext-$weight-$style.woff2" "$vendor/fonts/atkinson-ext-$weight$suffix.woff2"
  done
done
