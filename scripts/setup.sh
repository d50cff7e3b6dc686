#!/usr/bin/env bash
# Installs everything bantin needs on a fresh machine, then the npm packages.
# - Debian/Ubuntu as root: apt packages chromium (the typesetting browser), poppler-utils and qpdf
#   (PDF checks in tests), libjpeg-turbo-progs (jpegtran: sideways phone photos turned without
#   re-encoding; optional, sharp does it otherwise). Elsewhere it says what is missing and relies on Puppeteer's own Chrome.
# - npm ci with the lock file; Puppeteer skips its Chrome download when a system Chromium exists
#   (.puppeteerrc.cjs), because closed networks cannot download it.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(chromium poppler-utils qpdf libjpeg-turbo-progs)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing ${missing[*]} with apt" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: missing Debian packages: ${missing[*]} — run: sudo apt-get install ${missing[*]}" >&2
      echo "setup: without chromium, Puppeteer downloads its own Chrome during npm ci (needs internet)." >&2
    fi
  fi
else
  echo "setup: not a Debian system; install Chromium or Chrome yourself or let Puppeteer download it" >&2
fi

npm ci --no-audit --no-fund --loglevel=error
