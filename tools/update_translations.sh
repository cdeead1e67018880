#!/usr/bin/env sh
# Regenerates the translation sources from the UI code and compiles them.
#   tools/update_translations.sh           (from the repository root)
# English is the source language; translations are edited in resources/translations/*.ts
# (Qt Linguist: .venv/bin/pyside6-linguist), then this script compiles the .qm files.
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
SOURCES="loyalty_desk/messages.py $(find loyalty_desk/ui -name '*.py' | sort)"
for lang in zh_CN; do
    ts="resources/translations/loyalty_desk_${lang}.ts"
    "$BIN/pyside6-lupdate" -no-obsolete -locations relative -source-language en -target-language "$lang" $SOURCES -ts "$ts"
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "resources/translations/loyalty_desk_${lang}.qm"
done
# English needs only its plural forms ("1 member", "2 members"); the source strings carry "(s)".
ts="resources/translations/loyalty_desk_en.ts"
"$BIN/pyside6-lupdate" -no-obsolete -pluralonly -locations relative -source-language en -target-language en $SOURCES -ts "$ts"
"$BIN/pyside6-lrelease" -silent "$ts" -qm "resources/translations/loyalty_desk_en.qm"
