#!/usr/bin/env bash
# CI step (called by .ci/run after the test suite): build the bundle and the .deb, install it,
# smoke-test the installed desk offscreen, upgrade it to a "newer" package, remove and purge it,
# and check that the user's data folder and store survive every step. Needs root (dpkg -i).
#
#   installer/ci-smoke.sh                       (LOYALTY_DESK_SKIP_INSTALLER=1 makes .ci/run skip it)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "ci-smoke: needs root for dpkg -i (or set LOYALTY_DESK_SKIP_INSTALLER=1 to skip this step)" >&2
    exit 1
fi
started=$SECONDS
step() { printf '\n== installer smoke test: %s (%ss)\n' "$1" $((SECONDS - started)); }
fail() { echo "ci-smoke: FAILED: $*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen

# PyInstaller reads shared-library dependencies with objdump (binutils) on Linux.
if ! command -v objdump >/dev/null; then
    apt-get update -qq && apt-get install -y -qq binutils
fi

step "bundle (installer/build.sh)"
installer/build.sh
bundle_size=$(du -sh dist/loyalty-desk | cut -f1)

step "packages (installer/build-deb.sh)"
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' loyalty_desk/__init__.py)
arch=$(dpkg --print-architecture)
installer/build-deb.sh
installer/build-deb.sh --version-suffix "+ci.upgrade"  # the same bundle as a newer package: the upgrade path
old_deb=dist/loyalty-desk_${version}_${arch}.deb
new_deb=dist/loyalty-desk_${version}+ci.upgrade_${arch}.deb
deb_size=$(du -h "$old_deb" | cut -f1)

install_deb() {
    if ! dpkg -i "$1"; then  # missing dependencies: let apt fetch them and finish the configuration
        apt-get update -qq
        apt-get install -y -qq -f
    fi
    dpkg -s loyalty-desk | grep -q '^Status: install ok installed' || fail "$1 is not installed"
}

step "install $old_deb"
if dpkg -s loyalty-desk >/dev/null 2>&1; then
    dpkg --purge loyalty-desk  # a leftover from an earlier local run
fi
install_deb "$old_deb"
for path in /usr/bin/loyalty-desk /opt/loyalty-desk/loyalty-desk /usr/share/applications/loyalty-desk.desktop \
            /usr/share/icons/hicolor/scalable/apps/loyalty-desk.svg /etc/loyalty-desk/desk.ini; do
    [ -e "$path" ] || fail "missing $path"
done
# Head office's applier unit: shipped, disabled, its settings file readable by root only.
unit=/lib/systemd/system/loyalty-desk-central.service
[ -f "$unit" ] || fail "missing $unit"
[ "$(stat -c %a /etc/loyalty-desk/central.ini)" = 600 ] || fail "/etc/loyalty-desk/central.ini is not 0600"
[ ! -e /etc/systemd/system/multi-user.target.wants/loyalty-desk-central.service ] || fail "the central unit is enabled at install"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$unit" || fail "systemd-analyze finds fault with $unit"
fi
# as shipped (no url yet) the applier refuses with the one line that says what to fill in
if out=$(QT_QPA_PLATFORM=offscreen /opt/loyalty-desk/loyalty-desk central run --config /etc/loyalty-desk/central.ini --once 2>&1); then
    fail "central run started without a database URL"
fi
echo "$out" | grep -q "url= in the \[central\] section" || fail "central run without a URL said: $out"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate /usr/share/applications/loyalty-desk.desktop
fi
# Every shared library the Qt plugins need resolves (bundle or system dependencies of the package).
for plugin in /opt/loyalty-desk/_internal/PySide6/Qt/plugins/*/*.so; do
    if LD_LIBRARY_PATH=/opt/loyalty-desk/_internal ldd "$plugin" | grep -q 'not found'; then
        LD_LIBRARY_PATH=/opt/loyalty-desk/_internal ldd "$plugin" | grep 'not found' >&2
        fail "unresolved libraries for $plugin"
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config
unset LOYALTY_DESK_DATA_DIR
mkdir -p "$HOME"
store=$work/store
user_data=$XDG_DATA_HOME/LoyaltyDesk  # the default data folder of this (throw-away) user
desk() { /usr/bin/loyalty-desk "$@"; }

step "smoke test the installed desk"
[ "$(desk --version)" = "loyalty-desk $version" ] || fail "unexpected version: $(desk --version)"
desk --data-dir "$store" demo --members 200
member=$(desk --data-dir "$store" lookup 张 --json | sed -n 's/.*"member_no": "\(M[0-9]*\)".*/\1/p' | head -1)
[ -n "$member" ] || fail "lookup found no member"
desk --data-dir "$store" member "$member" | tee "$work/member-before.txt" | head -6
desk --data-dir "$store" screenshots --out "$work/shots"
for language in en zh_CN; do
    png=$work/shots/01-sign-in.$language.png
    [ "$(head -c 4 "$png" | tail -c 3)" = PNG ] || fail "no sign-in screenshot in $language"
done
count=$(find "$work/shots" -name '*.png' -size +1k | wc -l)
[ "$count" -ge 2 ] || fail "only $count screenshots"
echo "$count screenshots"
desk --data-dir "$store" statement "$member" --period last_12_months --out "$work/statement.pdf" >/dev/null
[ "$(head -c 5 "$work/statement.pdf")" = "%PDF-" ] || fail "no statement PDF"
desk demo --members 50 >/dev/null  # the default data folder, as a desk user gets it
[ -f "$user_data/loyalty-desk.sqlite3" ] || fail "no store in the default data folder $user_data"
# Start the desk itself (sign-in window, offscreen) and stop it after a few seconds: it must still be running.
set +e
timeout 8 /usr/bin/loyalty-desk --data-dir "$store"
status=$?
set -e
[ "$status" = 124 ] || fail "the desk stopped by itself (exit $status) instead of showing the sign-in window"
# A new user's first start (no store yet): the setup dialog waits for an answer and creates no store.
set +e
timeout 8 /usr/bin/loyalty-desk --data-dir "$work/new-user"
status=$?
set -e
[ "$status" = 124 ] && [ ! -e "$work/new-user/loyalty-desk.sqlite3" ] || fail "first start without a store: exit $status"
desk --data-dir "$store" audit verify
checksum() { sha256sum "$store/loyalty-desk.sqlite3" "$user_data/loyalty-desk.sqlite3" | cut -c1-64; }
before=$(checksum)

step "upgrade to $new_deb"
install_deb "$new_deb"
[ "$(dpkg-query -W -f '${Version}' loyalty-desk)" = "${version}+ci.upgrade" ] || fail "the upgrade did not install"
[ "$(checksum)" = "$before" ] || fail "the upgrade changed a user's store"
desk --data-dir "$store" member "$member" >"$work/member-after.txt"
diff "$work/member-before.txt" "$work/member-after.txt" || fail "the member view changed across the upgrade"
desk --data-dir "$store" audit verify

step "remove and purge"
dpkg -r loyalty-desk
[ ! -e /opt/loyalty-desk ] && [ ! -e /usr/bin/loyalty-desk ] || fail "files left after dpkg -r"
[ -f /etc/loyalty-desk/desk.ini ] || fail "dpkg -r removed the machine settings (a conffile: only purge may)"
dpkg --purge loyalty-desk
[ ! -e /etc/loyalty-desk/desk.ini ] || fail "purge left /etc/loyalty-desk/desk.ini"
[ "$(checksum)" = "$before" ] || fail "removing the package touched a user's store"
ls -la "$user_data" | head -5

step "done"
echo "bundle dist/loyalty-desk: $bundle_size; package $old_deb: $deb_size; step took $((SECONDS - started)) s"
