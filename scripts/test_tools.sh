#!/usr/bin/env bash
# The checkers the tests run besides Python: the Nu HTML Checker (npm vnu-jar, run with Java)
# and axe-core (npm, injected into Chromium). Installed into tests/tools/node_modules from the
# committed package-lock.json (--ignore-scripts: vnu-jar's install script would download a Java;
# Debian's is used). Without them the HTML and accessibility tests are skipped, except in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v java >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    echo "Installing Java for the Nu HTML Checker"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "Note: HTML validity tests are skipped until Java is installed: sudo apt-get install -y default-jre-headless" >&2
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "Note: HTML and accessibility checks are skipped until npm is installed: sudo apt-get install -y npm" >&2
    exit 0
  fi
fi
stamp=tests/tools/node_modules/.lock.sha256
wanted=$(sha256sum tests/tools/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing the test tools (vnu-jar, axe-core) ..."
  npm ci --ignore-scripts --no-audit --no-fund --silent --prefix tests/tools
  echo "$wanted" > "$stamp"
fi
