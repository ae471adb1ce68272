#!/usr/bin/env bash
# Regenerates the images in screenshots/ from fix401's own demos.
#
#   screenshots/make.sh
#
# Every image is a stable snapshot (`fix401 demo SCENARIO --snapshot STEP`):
# the same scenario draws the same screen, so the same input makes the same
# image. SVGs need only Go; PNGs also need rsvg-convert (Debian:
# librsvg2-bin) and a monospace font (fonts-dejavu-core) so tables line up.
set -euo pipefail
cd "$(dirname "$0")/.."

out=screenshots
bin=$(mktemp -d)/fix401
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" .

freeze=(go run github.com/charmbracelet/freeze@v0.2.2
	--window --padding 20,24 --margin 0 --border.radius 8
	--background "#171520" --font.family "DejaVu Sans Mono" --font.size 14 --line-height 1.25)

png=0
command -v rsvg-convert >/dev/null && png=1

# name  scenario  step  extra flags
shots=(
	"understand       revoked   understand"
	"verify-key       trailing-newline verify-key"
	"new-key          shadowed  new-key"
	"permissions      billing   permissions"
	"headers          proxy-page headers"
	"header-stripped  header-stripped headers"
	"spend-limit      spend-limit permissions"
	"workspace        workspace-required permissions"
	"key-disabled     key-disabled permissions"
	"claude-code-bedrock claude-code-bedrock headers"
	"subscription     subscription-overridden permissions"
	"checklist        shadowed  checklist"
	"fix-preview      shadowed  fix"
	"verify           shadowed  verify --after-fix"
	"summary          shadowed  summary --after-fix --height 40"
	"check            shadowed  check"
)

for shot in "${shots[@]}"; do
	read -r name scenario step extra <<<"$shot"
	ansi="$out/$name.ansi"
	# shellcheck disable=SC2086 # extra holds flags
	"$bin" demo "$scenario" --snapshot "$step" --width 100 $extra >"$ansi"
	"${freeze[@]}" --language ansi -o "$out/$name.svg" "$ansi" >/dev/null
	if [ "$png" = 1 ]; then
		rsvg-convert --zoom 1.5 "$out/$name.svg" -o "$out/$name.png"
	fi
	rm "$ansi"
	echo "screenshots/$name: $scenario / $step"
done
