#!/usr/bin/env bash
# Run forumapp on its embedded default: SQLite in instance/, the demo forum loaded,
# served on http://127.0.0.1:${PORT:-5000}/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export FLASK_APP=wsgi
# Links in e-mails and certificates point at the address this serves on (unless set otherwise).
export FORUMAPP_PUBLIC_URL=${FORUMAPP_PUBLIC_URL:-http://127.0.0.1:${PORT:-5000}/}
.venv/bin/flask db upgrade
.venv/bin/flask demo load
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
