#!/usr/bin/env bash
# Translation catalogues (Flask-Babel). Message ids are English; Kazakh and Russian catalogues
# live in forumapp/translations/<lang>/LC_MESSAGES/messages.po, compiled .mo files beside them.
#   scripts/i18n.sh          extract every message, merge it into kk and ru, compile
#   scripts/i18n.sh compile  compile only (after editing a .po file)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
DIR=forumapp/translations
POT=$DIR/messages.pot
mkdir -p "$DIR"

if [ "${1:-}" != "compile" ]; then
  $PYBABEL extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
    --project forumapp --copyright-holder "forumapp contributors" -o "$POT" . 2>/dev/null >/dev/null
  for lang in kk ru; do
    if [ -f "$DIR/$lang/LC_MESSAGES/messages.po" ]; then
      $PYBABEL update --no-fuzzy-matching --ignore-obsolete -i "$POT" -d "$DIR" -l "$lang" >/dev/null
    else
      $PYBABEL init -i "$POT" -d "$DIR" -l "$lang" >/dev/null
    fi
  done
fi
$PYBABEL compile --statistics -d "$DIR" 2>&1 | sed 's/^/  /'
