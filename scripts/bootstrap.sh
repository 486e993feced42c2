#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: checks the system libraries WeasyPrint
# needs, creates .venv with Python 3.11+, and installs requirements.txt when it changes.
set -euo pipefail
# (No `grep -q` after a pipe below: it exits early, the writer gets SIGPIPE, and pipefail
# would report a library that is installed as missing.)
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "forumapp needs Python 3.11 or newer as '$PYTHON'. On Debian: sudo apt-get install python3 python3-venv" >&2
  exit 1
fi

# WeasyPrint renders PDFs with Pango (and HarfBuzz, fontconfig) from the system.
APT_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1"
if ! ldconfig -p 2>/dev/null | grep 'libpangoft2-1.0.so.0' >/dev/null; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    echo "Installing system libraries for WeasyPrint: $APT_PACKAGES"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES
  else
    echo "WeasyPrint needs Pango, which is not installed. Install it with:" >&2
    echo "    sudo apt-get install -y $APT_PACKAGES" >&2
    exit 1
  fi
fi
# HarfBuzz's subsetter makes WeasyPrint embed fonts several times faster than its fontTools
# fallback (the programme PDF and certificate batches depend on it for their speed).
if ! ldconfig -p 2>/dev/null | grep 'libharfbuzz-subset.so.0' >/dev/null; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    echo "Installing libharfbuzz-subset0 for fast PDF font embedding"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null
  else
    echo "Note: PDFs render faster with HarfBuzz's subsetter: sudo apt-get install -y libharfbuzz-subset0" >&2
  fi
fi
# Browser tests drive Debian's Chromium; without it they are skipped with this same advice.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    echo "Installing Chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Note: browser tests are skipped until Chromium is installed: sudo apt-get install -y chromium" >&2
  fi
fi
# nginx (only its binary) for tests/deploy/test_nginx.py, which runs deploy/nginx.conf.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    echo "Installing nginx for the deploy tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl >/dev/null
  else
    echo "Note: the nginx deploy test is skipped until nginx is installed: sudo apt-get install -y nginx-light" >&2
  fi
fi
if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
  echo "Python's venv module is missing. Install it with: sudo apt-get install -y python3-venv" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing Python packages from requirements.txt ..."
  # pip and setuptools come with the venv at the age of the Python build; both have advisories
  # (docs/advisories.toml), so they are brought up to date first.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip "setuptools>=78.1.1"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$wanted" > "$stamp"
fi
