#!/usr/bin/env sh
# Regenerates the translation sources from the UI code and compiles them.
#   tools/update_translations.sh           (from the repository root)
# English is the source language; translations are edited in resources/translations/*.ts
# (Qt Linguist: .venv/bin/pyside6-linguist), then this script compiles the .qm files.
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
SOURCES=$(find loyalty_desk/ui -name '*.py' | sort)
for lang in zh_CN; do
    ts="resources/translations/loyalty_desk_${lang}.ts"
    "$BIN/pyside6-lupdate" -no-obsolete -locations relative -source-language en -target-language "$lang" $SOURCES -ts "$ts"
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "resources/translations/loyalty_desk_${lang}.qm"
done
