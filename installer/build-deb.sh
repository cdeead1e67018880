#!/usr/bin/env bash
# Makes the Debian package from the bundle built by installer/build.sh:
#
#   installer/build-deb.sh                   → dist/loyalty-desk_<version>_<arch>.deb
#   installer/build-deb.sh --version-suffix +ci2   (a "newer" package of the same bundle, for upgrade tests)
#
# Layout: the bundle in /opt/loyalty-desk, a /usr/bin/loyalty-desk launcher, a desktop entry and
# the scalable icon, and /etc/loyalty-desk/desk.ini (a conffile: machine-wide desk defaults that
# IT may fill in; dpkg keeps an edited copy on upgrade and on remove, and deletes it only on purge).
# There are no maintainer scripts: dpkg's triggers refresh the menu and icon caches, and nothing
# the package does at install, upgrade or removal can reach a user's data folder
# (~/.local/share/LoyaltyDesk), which the package never owns.
#
# Head office: the same package carries loyalty-desk-central.service, the central applier as a
# systemd unit, disabled (no maintainer script enables it). It runs under a dynamic user and reads
# its database URL from /etc/loyalty-desk/central.ini (a conffile, 0600: it holds a password),
# which systemd hands it as a credential: `systemctl enable --now loyalty-desk-central` once filled in.
set -euo pipefail
cd "$(dirname "$0")/.."

suffix=""
while [ $# -gt 0 ]; do
    case "$1" in
        --version-suffix) suffix=$2; shift 2 ;;
        *) echo "usage: installer/build-deb.sh [--version-suffix SUFFIX]" >&2; exit 2 ;;
    esac
done

bundle=dist/loyalty-desk
if [ ! -x "$bundle/loyalty-desk" ]; then
    echo "build-deb: no bundle in $bundle; run installer/build.sh first" >&2
    exit 1
fi
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' loyalty_desk/__init__.py)$suffix
arch=$(dpkg --print-architecture)
package=dist/loyalty-desk_${version}_${arch}.deb

root=build/deb/root
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/etc/loyalty-desk" "$root/usr/share/doc/loyalty-desk" \
    "$root/lib/systemd/system"
cp -a "$bundle" "$root/opt/loyalty-desk"

cat > "$root/usr/bin/loyalty-desk" <<'EOF'
#!/bin/sh
# Loyalty Desk launcher: the application lives in /opt/loyalty-desk (a frozen bundle).
exec /opt/loyalty-desk/loyalty-desk "$@"
EOF
chmod 0755 "$root/usr/bin/loyalty-desk"

cat > "$root/usr/share/applications/loyalty-desk.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Loyalty Desk
Name[zh_CN]=积分柜台
GenericName=Points loyalty desk
GenericName[zh_CN]=会员积分柜台
Comment=Serve loyalty programme members at the branch counter
Comment[zh_CN]=在网点柜台为积分会员办理业务
Exec=loyalty-desk
Icon=loyalty-desk
Terminal=false
Categories=Office;Finance;
StartupNotify=true
EOF

cp resources/icons/logo.svg "$root/usr/share/icons/hicolor/scalable/apps/loyalty-desk.svg"

cat > "$root/etc/loyalty-desk/desk.ini" <<'EOF'
; Loyalty Desk: machine-wide defaults for every user of this computer (read at start).
; A user's own settings (desk.json in their data folder) win over these.
[desk]
; central_url = postgresql://central.bank.example:5432/loyalty
; desk_name = bj01_desk03
; branch = BJ01
EOF
cat > "$root/etc/loyalty-desk/central.ini" <<'EOF'
; Loyalty Desk central applier (loyalty-desk-central.service), at head office only.
; Fill in the URL of the central database (a login that owns it), then:
;   systemctl enable --now loyalty-desk-central
[central]
; url = postgresql://loyalty_owner:PASSWORD@db.bank.example:5432/loyalty
; workers = 2
; poll = yes              (when the url goes through PgBouncer in transaction pooling)
; metrics_port = 9464
; metrics_address = 127.0.0.1
EOF

cat > "$root/lib/systemd/system/loyalty-desk-central.service" <<'EOF'
[Unit]
Description=Loyalty Desk central applier (desk operations, daily jobs, metrics)
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
DynamicUser=yes
LoadCredential=central.ini:/etc/loyalty-desk/central.ini
Environment=QT_QPA_PLATFORM=offscreen
ExecStart=/opt/loyalty-desk/loyalty-desk --data-dir ${STATE_DIRECTORY} central run --config ${CREDENTIALS_DIRECTORY}/central.ini
StateDirectory=loyalty-desk-central
Restart=on-failure
RestartSec=5
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
EOF
printf '/etc/loyalty-desk/desk.ini\n/etc/loyalty-desk/central.ini\n' > "$root/DEBIAN/conffiles"

cat > "$root/usr/share/doc/loyalty-desk/copyright" <<'EOF'
Loyalty Desk: proprietary. Bundled: Python (PSF licence), Qt for Python / Qt (LGPLv3),
Noto Sans SC (SIL Open Font Licence, /opt/loyalty-desk/_internal/loyalty_desk/resources/fonts/OFL.txt)
and the Python packages listed in the application's pyproject.toml under their own licences.
EOF

installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: loyalty-desk
Version: $version
Architecture: $arch
Maintainer: Loyalty Desk team <loyalty-desk@bank.example>
Installed-Size: $installed_kb
Section: misc
Priority: optional
Depends: libc6 (>= 2.36), libgl1, libegl1, libxcb1, libxcb-icccm4, libxcb-keysyms1, libfontconfig1
Recommends: xkb-data
Description: Loyalty Desk, the branch desk of the points loyalty programme
 Branch staff find a member by card, phone, ID or name, see the balance,
 tier and expiring points, redeem, refer, adjust and print statements.
 Works standalone on a local store or in sync with the central database.
 Each user's data lives in ~/.local/share/LoyaltyDesk; the package never
 touches it.
EOF

# Every file root-owned, directories 0755, regular files keep their mode (the bundle's executables).
chmod -R u+rwX,go+rX,go-w "$root"
chmod 0600 "$root/etc/loyalty-desk/central.ini"
dpkg-deb --root-owner-group -Zzstd -z9 --build "$root" "$package" >/dev/null
rm -rf "$root"
echo "$package  $(du -h "$package" | cut -f1)"
