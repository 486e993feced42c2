#!/usr/bin/env bash
# Run the test suite. On SQLite by default; on PostgreSQL as well when
# FORUMAPP_TEST_DATABASE_URL=postgresql://user@host:port/dbname is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/test_tools.sh
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
