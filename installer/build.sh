#!/usr/bin/env bash
# Builds the one-folder desktop bundle dist/loyalty-desk/ (run from anywhere; Linux).
#
#   installer/build.sh            → dist/loyalty-desk/loyalty-desk (+ its _internal/ folder)
#
# PyInstaller runs in its own venv (build/venv), never in the developer's .venv: the
# application is installed there as a wheel (as a user would get it), next to the pinned build tools.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v objdump >/dev/null; then
    echo "build.sh: PyInstaller needs objdump: apt-get install binutils" >&2
    exit 1
fi
python=${PYTHON:-python3}
venv=build/venv
requirements=installer/requirements-build.txt

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# Reinstall the tools only when their pins change; the application itself is reinstalled every time.
stamp="$venv/.tools-$(sha256sum "$requirements" pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -r "$requirements"
    rm -f "$venv"/.tools-*
    touch "$stamp"
fi
"$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall .
"$venv/bin/python" -m pip install --quiet .  # any dependency added to pyproject.toml since the last build

rm -rf dist/loyalty-desk
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/loyalty-desk.spec

# The bundle must start: print its version (no display needed).
QT_QPA_PLATFORM=offscreen dist/loyalty-desk/loyalty-desk --version
du -sh dist/loyalty-desk | sed 's/\t/  /'
