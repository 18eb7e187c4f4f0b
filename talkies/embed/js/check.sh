#!/usr/bin/env bash
# The embed's checks, run by `make embed-check` (and so by `make test`): the committed built files are
# what the sources build, the JSDoc types hold (tsc --noEmit), and the unit tests pass (node --test).
# Needs node_modules (npm ci); the Makefile target installs it when missing.
set -euo pipefail
cd "$(dirname "$0")"

built=../../static/embed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

node build.mjs --outdir "$tmp"
stale=0
for name in embed.js count.js $(cd "$tmp" && ls i18n/*.json); do
  if ! cmp -s "$tmp/$name" "$built/$name"; then
    echo "talkies/static/embed/$name is not what talkies/embed/js/src builds: run make embed-build and commit the result" >&2
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  exit 1
fi
if [ "$(cd "$built" && ls i18n/*.json 2>/dev/null)" != "$(cd "$tmp" && ls i18n/*.json)" ]; then
  echo "talkies/static/embed/i18n/ holds other languages than the sources build: run make embed-build" >&2
  exit 1
fi
echo "embed: the committed embed.js, count.js and i18n/*.json are what the sources build"

node_modules/.bin/tsc --noEmit -p jsconfig.json
echo "embed: tsc --noEmit found no type error"

node --test --test-reporter=spec test/*.test.js
